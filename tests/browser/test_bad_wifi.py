"""Bad Wi-Fi in real Chromium: cards wait on the phone and are stored once; forms follow the phase."""

import time

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Card
from tests.browser.conftest import assert_accessible, join, open_quadrant
from tests.browser.test_timer import start_phase
from tests.test_phases import AGENDA

pytestmark = pytest.mark.browser

NOTE = "Karten können in der Phase „4-Feldermatrix“ hinzugefügt werden."


def on_board(page, forum):
    """Join from the phone and open the group's board."""
    join(page, forum)
    page.goto(f"/j/{forum.join_code}/board")
    return page


def unique(text: str) -> str:
    return f"{text} {time.time_ns()}"


def stored(live_app, text: str) -> list[str]:
    """Return the quadrants of the stored cards with this text."""
    with live_app.app_context():
        found = db.session.execute(db.select(Card.quadrant).filter_by(text=text)).scalars().all()
        db.session.remove()
        return found


def queued(page) -> list:
    """Return the cards the phone keeps in its outbox."""
    return page.evaluate(
        "Object.keys(localStorage).filter(function (k) { return k.indexOf('outbox.') === 0; })"
        ".map(function (k) { return JSON.parse(localStorage.getItem(k)); })"
        ".reduce(function (all, items) { return all.concat(items); }, [])"
    )


def send(page, quadrant: str, label: str, text: str) -> None:
    open_quadrant(page, label)
    page.get_by_label(f"Neue Karte: {label}").fill(text)
    page.locator(f"#q-{quadrant}").get_by_role("button", name="Karte hinzufügen").click()


def card_posts(page) -> list[str]:
    """Collect the card POSTs the page makes from now on."""
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


def test_a_card_sent_offline_is_stored_once_when_the_network_returns(
    new_phone, live_forum, live_app
):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    text = unique("Sprachcafé im Nachbarschaftszentrum")
    phone.context.set_offline(True)
    send(phone, "strength", "Stärken", text)

    waiting = phone.locator("#q-strength [data-pending]")
    expect(waiting).to_contain_text(text)
    expect(waiting).to_contain_text("wird gesendet…")
    expect(phone.locator("#status-strength")).to_contain_text(
        "Keine Verbindung – die Karte wird gesendet, sobald das Netz zurück ist."
    )
    expect(phone.get_by_label("Neue Karte: Stärken")).to_have_value("")
    assert [item["text"] for item in queued(phone)] == [text]
    phone.wait_for_timeout(2500)  # the first retry fails too
    assert stored(live_app, text) == []
    assert_accessible(phone)

    phone.context.set_offline(False)
    expect(phone.locator("#status-strength")).to_contain_text("Karte gespeichert.")
    expect(phone.locator("#cards-strength .card-text", has_text=text)).to_have_count(1)
    # The real card replaces the waiting one: shown once.
    expect(phone.locator("#q-strength .card-text", has_text=text)).to_have_count(1)
    assert stored(live_app, text) == ["strength"]
    assert queued(phone) == []


def test_a_queued_card_survives_a_reload_and_is_sent_once_when_the_server_answers(
    new_phone, live_forum, live_app
):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    phone.route("**/cards", lambda route: route.abort())  # the server is out of reach
    text = unique("Ehrenamtliche brauchen Supervision")
    send(phone, "weakness", "Schwächen", text)
    expect(phone.locator("#q-weakness [data-pending]")).to_contain_text("wird gesendet…")

    phone.reload()  # the board loads, cards still cannot get through
    expect(phone.locator("#q-weakness [data-pending]")).to_contain_text(text)
    expect(phone.locator("#status-weakness")).to_contain_text("Keine Verbindung")
    assert stored(live_app, text) == []

    # The browser is killed; later the phone opens the board again and the server answers.
    context = phone.context
    phone.close()
    phone = context.new_page()
    posts = card_posts(phone)
    phone.goto(f"/j/{forum.join_code}/board")
    expect(phone.locator("#status-weakness")).to_contain_text("Karte gespeichert.")
    expect(phone.locator("#q-weakness .card-text", has_text=text)).to_have_count(1)
    phone.wait_for_timeout(2000)  # time for a second send to show up, if there were one
    assert len(posts) == 1
    assert stored(live_app, text) == ["weakness"]
    assert queued(phone) == []


def test_a_card_whose_answer_is_lost_is_sent_again_and_stored_once(new_phone, live_forum, live_app):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    answers = []

    def lose_first_answer(route):
        # The server stores the card, but its answer never reaches the phone.
        answers.append(route.fetch().status)
        if len(answers) == 1:
            route.abort()
        else:
            route.continue_()

    phone.route("**/cards", lose_first_answer)
    phone.route("**/board/live*", lambda route: route.abort())  # only the resend can tell
    text = unique("Ehrenamtsbörse im Rathaus")
    send(phone, "opportunity", "Chancen", text)
    expect(phone.locator("#status-opportunity")).to_contain_text("Karte gespeichert.")
    assert answers[0] == 200 and len(answers) == 2
    assert stored(live_app, text) == ["opportunity"]
    phone.unroute("**/board/live*")
    expect(phone.locator("#cards-opportunity .card-text", has_text=text)).to_have_count(1)
    expect(phone.locator("#q-opportunity .card-text", has_text=text)).to_have_count(1)


def test_a_throttled_card_waits_as_long_as_the_server_asks_and_goes_once(
    new_phone, live_forum, live_app
):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    sent_at = []

    def throttle_first(route):
        sent_at.append(time.monotonic())
        if len(sent_at) == 1:  # the server's answer when this phone posted too much at once
            route.fulfill(status=429, headers={"Retry-After": "3"}, body="")
        else:
            route.continue_()

    phone.route("**/cards", throttle_first)
    text = unique("Dolmetschpool für Elterngespräche")
    send(phone, "strength", "Stärken", text)
    status = phone.locator("#status-strength")
    expect(status).to_contain_text("Viele Karten kurz nacheinander")
    expect(status).not_to_contain_text("Keine Verbindung")
    expect(phone.locator("#q-strength [data-pending]")).to_contain_text(text)
    assert_accessible(phone)

    expect(status).to_contain_text("Karte gespeichert.", timeout=8000)
    assert len(sent_at) == 2 and sent_at[1] - sent_at[0] >= 2.9
    assert stored(live_app, text) == ["strength"] and queued(phone) == []


def test_a_draft_survives_a_reload_and_goes_once_the_card_is_sent(new_phone, live_forum):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    open_quadrant(phone, "Chancen")
    field = phone.get_by_label("Neue Karte: Chancen")
    field.fill("Leerstehende Ladenlokale als Treffpunkte")
    phone.reload()
    expect(field).to_have_value("Leerstehende Ladenlokale als Treffpunkte")

    phone.locator("#q-opportunity").get_by_role("button", name="Karte hinzufügen").click()
    expect(phone.locator("#status-opportunity")).to_contain_text("Karte gespeichert.")
    phone.reload()
    expect(field).to_have_value("")


def test_sending_twice_in_a_row_stores_both_cards(new_phone, live_forum, live_app):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    first, second = unique("Gute Netzwerke"), unique("Engagierte Kirchgemeinden")
    send(phone, "strength", "Stärken", first)
    expect(phone.locator("#status-strength")).to_contain_text("Karte gespeichert.")
    send(phone, "strength", "Stärken", second)
    expect(phone.locator("#cards-strength .card-text", has_text=second)).to_have_count(1)
    assert stored(live_app, first) == stored(live_app, second) == ["strength"]


def test_an_empty_card_is_not_queued(new_phone, live_forum):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    send(phone, "threat", "Risiken", "   ")
    expect(phone.locator("#text-threat-error")).to_contain_text(
        "Bitte schreiben Sie etwas auf die Karte."
    )
    assert queued(phone) == []


def test_a_card_sent_after_the_phase_closed_keeps_its_text_and_says_why(
    new_phone, live_forum, live_app
):
    forum = live_forum(agenda=AGENDA)
    start_phase(live_app, forum.slug, "swot")
    phone = on_board(new_phone(), forum)
    phone.route("**/board/live*", lambda route: route.abort())  # the phone has not noticed yet
    start_phase(live_app, forum.slug, "goals")
    text = unique("Förderprogramme laufen 2026 aus")
    send(phone, "threat", "Risiken", text)

    error = phone.locator("#text-threat-error")
    expect(error).to_contain_text("die 4-Feldermatrix ist nicht die aktuelle Phase")
    field = phone.get_by_label("Neue Karte: Risiken")
    expect(field).to_have_value(text)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("[data-pending]")).to_have_count(0)
    assert stored(live_app, text) == [] and queued(phone) == []

    # Once the phone hears of the phase, the form holding text stays, locked, beside the note.
    phone.unroute("**/board/live*")
    expect(phone.locator("#note-threat")).to_have_text(NOTE)
    expect(field).to_have_value(text)
    expect(
        phone.locator("#q-threat").get_by_role("button", name="Karte hinzufügen")
    ).to_be_disabled()
    open_quadrant(phone, "Stärken")  # an empty form of a closed phase is not shown
    expect(phone.locator("#note-strength")).to_have_text(NOTE)
    expect(phone.get_by_label("Neue Karte: Stärken")).to_be_hidden()
    assert_accessible(phone)


def test_forms_follow_the_phase_live_and_typed_text_stays(new_phone, live_forum, live_app):
    forum = live_forum(agenda=AGENDA)
    start_phase(live_app, forum.slug, "warmup")
    start_phase(live_app, forum.slug, "goals")
    phone = on_board(new_phone(), forum)
    strengths = phone.get_by_label("Neue Karte: Stärken")
    expect(strengths).to_be_hidden()
    expect(phone.locator("#note-strength")).to_have_text(NOTE)

    start_phase(live_app, forum.slug, "swot")  # the planner starts the matrix
    expect(strengths).to_be_visible()
    expect(phone.locator(".phase-note")).to_have_count(0)
    expect(phone.locator("#status")).to_contain_text("Sie können jetzt Karten hinzufügen.")
    assert_accessible(phone)

    strengths.fill("Viele Sprachmittler")
    start_phase(live_app, forum.slug, "goals")  # ... and moves on while the phone types
    expect(phone.locator("#note-strength")).to_have_text(NOTE)
    expect(strengths).to_have_value("Viele Sprachmittler")
    button = phone.locator("#q-strength").get_by_role("button", name="Karte hinzufügen")
    expect(button).to_be_disabled()
    open_quadrant(phone, "Chancen")  # an empty form of a closed phase is not shown
    expect(phone.get_by_label("Neue Karte: Chancen")).to_be_hidden()
    open_quadrant(phone, "Stärken")

    phone.reload()  # the draft comes back even while the phase is closed
    expect(strengths).to_have_value("Viele Sprachmittler")
    expect(button).to_be_disabled()
    start_phase(live_app, forum.slug, "swot")
    expect(button).to_be_enabled()
    open_quadrant(phone, "Chancen")
    expect(phone.get_by_label("Neue Karte: Chancen")).to_be_visible()


def test_a_phone_that_lost_its_session_keeps_the_card_until_it_joins_again(
    new_phone, live_forum, live_app
):
    forum = live_forum()
    phone = on_board(new_phone(), forum)
    # Every answer renews the session cookie: stop the polls so none brings it back.
    for polled in ("**/timer", "**/board/live*"):
        phone.route(polled, lambda route: route.abort())
    phone.wait_for_timeout(300)
    phone.context.clear_cookies()
    text = unique("Mehr Beratung in Leichter Sprache")
    send(phone, "opportunity", "Chancen", text)

    status = phone.locator("#status-opportunity")
    expect(status).to_contain_text("Dieses Telefon ist nicht mehr angemeldet.")
    expect(phone.locator("#q-opportunity [data-pending]")).to_contain_text("wird gesendet…")
    assert stored(live_app, text) == [] and len(queued(phone)) == 1
    assert_accessible(phone)

    phone.unroute_all()
    status.get_by_role("link", name="Wieder teilnehmen").click()
    phone.get_by_label("Hauptamt", exact=True).check()
    phone.get_by_role("button", name="Teilnehmen").click()
    phone.get_by_role("link", name="Zur 4-Feldermatrix").click()
    expect(phone.locator("#status-opportunity")).to_contain_text("Karte gespeichert.")
    expect(phone.locator("#cards-opportunity .card-text", has_text=text)).to_have_count(1)
    assert stored(live_app, text) == ["opportunity"]
