"""Hostile and broken input: every row of the hardening table as a test."""

import json
import re
import threading
import time
from urllib.parse import quote

import pytest

from forum.extensions import db
from forum.models import Card, Measure, Participant, Vote
from forum.services import cards as card_service
from forum.services import moderation
from tests.conftest import csrf_of
from tests.forms import form, forms
from tests.planner.test_docx_content import all_xml, texts

# Characters XML 1.0 cannot hold (DOCX), a noncharacter, and what a lone surrogate becomes.
CONTROL = "\x00\x0b\x0c\ufffe"
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SCRIPT = "<script>alert('x')</script>"
ATTRIBUTE = '" onmouseover="alert(1)'
LINK = "javascript:alert(1)"


@pytest.fixture
def forum(make_forum):
    return make_forum()


@pytest.fixture
def joined(forum, join_as_participant):
    phone, person = join_as_participant(forum)
    return phone, person


def board(forum) -> str:
    return f"/j/{forum.join_code}/board"


def card_form(phone, forum, quadrant="strength", **fields) -> dict:
    page = phone.get(board(forum)).text
    found = [f for f in forms(page) if f["fields"].get("quadrant") == quadrant]
    return {**found[0]["fields"], **fields}


def raw_post(client, url, pairs, csrf):
    """POST a form body byte by byte, so lone surrogates arrive as a broken phone sends them."""
    body = "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in [*pairs, ("csrf_token", csrf)]
    )
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


def count(model) -> int:
    return db.session.execute(db.select(db.func.count(model.id))).scalar()


def exports(planner, forum) -> dict[str, bytes]:
    """Every export a planner can download, each asserted to work."""
    process = forum.process.slug
    urls = {
        "docx": f"/planner/forums/{forum.slug}/ergebnisse.docx",
        "process docx": f"/planner/processes/{process}/ergebnisse.docx",
        "cards csv": f"/planner/forums/{forum.slug}/karten.csv",
        "measures csv": f"/planner/forums/{forum.slug}/massnahmen.csv",
        "json": f"/planner/processes/{process}/sicherung.json",
    }
    found = {}
    for name, url in urls.items():
        response = planner.get(url)
        assert response.status_code == 200, name
        found[name] = response.data
    return found


# -- control characters and lone surrogates -----------------------------------------------------


def test_control_characters_in_every_field_are_removed_and_every_export_works(
    forum, join_as_participant, moderator_of, planner
):
    dirty = f"Kita{CONTROL}Nord\ud800"
    phone = planner.application.test_client()
    join_page = phone.get(f"/j/{forum.join_code}").text
    _, data = form(join_page, org_type="volunteer")
    response = raw_post(
        phone,
        f"/j/{forum.join_code}",
        [
            ("token", data["token"]),
            ("org_type", "volunteer"),
            ("name", dirty),
            ("organisation", dirty),
        ],
        data["csrf_token"],
    )
    assert response.status_code == 302
    fields = card_form(phone, forum)
    pairs = [("quadrant", "strength"), ("client_key", fields["client_key"]), ("text", dirty)]
    refused = raw_post(phone, f"/j/{forum.join_code}/cards", pairs, fields["csrf_token"])
    # A card says what was removed, and offers the cleaned text to send again.
    assert refused.status_code == 422 and "Steuerzeichen" in refused.text
    cleaned = [f for f in forms(refused.text) if f["fields"].get("quadrant") == "strength"][0]
    assert phone.post(f"/j/{forum.join_code}/cards", data=cleaned["fields"]).status_code == 302
    group = db.session.execute(db.select(Participant)).scalar_one().group
    console = moderator_of(group)
    page = console.get(f"/moderation/groups/{group.id}").text
    action, data = form(page, "/measures")
    pairs = [("title", dirty), ("goal", dirty), ("client_key", data["client_key"])]
    response = raw_post(console, action, pairs, data["csrf_token"])
    assert response.status_code == 302
    edit = console.get(response.location).text
    _, data = form(edit, "")
    pairs = [
        (k, v) for k, v in data.items() if k not in ("owner", "method", "indicator", "csrf_token")
    ]
    pairs += [("owner", dirty), ("method", dirty), ("indicator", dirty)]
    assert raw_post(console, response.location, pairs, data["csrf_token"]).status_code == 302

    stored = [
        *db.session.execute(db.select(Card.text)).scalars(),
        *db.session.execute(db.select(Participant.name, Participant.organisation)).one(),
        *db.session.execute(
            db.select(Measure.title, Measure.goal, Measure.owner, Measure.method, Measure.indicator)
        ).one(),
    ]
    assert len(stored) == 8
    for value in stored:
        assert not FORBIDDEN.search(value) and "Kita" in value and "Nord" in value, repr(value)
    for name, data in exports(planner, forum).items():
        text = data.decode("utf-8-sig", errors="strict") if "docx" not in name else all_xml(data)
        assert not FORBIDDEN.search(text), name
        assert "Kita" in text, name


# -- markup and script in text --------------------------------------------------------------------


def test_markup_in_any_text_is_shown_as_text_everywhere(
    forum, join_as_participant, moderator_of, planner
):
    phone, person = join_as_participant(forum, name=ATTRIBUTE, organisation=SCRIPT)
    assert (
        phone.post(
            f"/j/{forum.join_code}/cards", data=card_form(phone, forum, text=SCRIPT)
        ).status_code
        == 302
    )
    assert (
        phone.post(
            f"/j/{forum.join_code}/cards", data=card_form(phone, forum, "threat", text=LINK)
        ).status_code
        == 302
    )
    group = person.group
    moderation.add_measure(group.id, ATTRIBUTE, LINK, "hostile-measure-key-00")
    console = moderator_of(group)
    pages = {
        "phone board": phone.get(board(forum)).text,
        "phone measures": phone.get(f"/j/{forum.join_code}/measures").text,
        "console": console.get(f"/moderation/groups/{group.id}").text,
        "console live": json.dumps(console.get(f"/moderation/groups/{group.id}/live").json),
        "projector": console.get(f"/moderation/groups/{group.id}/projector").text,
        "planner forum": planner.get(f"/planner/forums/{forum.slug}").text,
    }
    for name, html in pages.items():
        assert "<script>alert" not in html and "\\u003cscript\\u003ealert" not in html, name
        assert 'onmouseover="alert' not in html, name
        assert not re.search(r"(href|src|action)=\"\s*javascript:", html, re.I), name
    assert "&lt;script&gt;alert(" in pages["phone board"]
    assert (
        "&lt;script&gt;alert(" in pages["console"] and "&lt;script&gt;alert(" in pages["projector"]
    )
    assert "javascript:alert(1)" in pages["projector"], "shown as plain text"
    document = texts(exports(planner, forum)["docx"])
    assert any(SCRIPT in line for line in document) and any(LINK in line for line in document)


# -- sizes ----------------------------------------------------------------------------------------


def test_a_megabyte_field_is_refused_whole(joined, forum):
    phone, _ = joined
    response = phone.post(
        f"/j/{forum.join_code}/cards", data=card_form(phone, forum, text="x" * 1_000_000)
    )
    assert response.status_code == 413
    assert "Zu viel Text" in response.text
    assert count(Card) == 0


def test_two_thousand_fields_are_refused_whole(joined, forum):
    phone, _ = joined
    data = card_form(phone, forum, text="Gute Vernetzung")
    data.update({f"extra{n}": "x" for n in range(2000)})
    response = phone.post(f"/j/{forum.join_code}/cards", data=data)
    assert response.status_code == 413
    assert count(Card) == 0


def test_a_twenty_megabyte_body_is_refused_before_it_is_read(joined, forum):
    phone, _ = joined
    response = phone.post(
        f"/j/{forum.join_code}/cards",
        data=b"text=" + b"x" * (20 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert count(Card) == 0


def test_text_over_the_limit_gets_a_message_and_stays_in_the_form(joined, forum):
    phone, _ = joined
    typed = "Sehr lange Karte " * 40
    response = phone.post(f"/j/{forum.join_code}/cards", data=card_form(phone, forum, text=typed))
    assert response.status_code == 422
    assert "500" in response.text and typed.strip() in response.text
    assert count(Card) == 0


# -- repeats ---------------------------------------------------------------------------------------


def test_double_tap_and_replayed_posts_store_one_record_each(forum, joined):
    phone, person = joined
    data = card_form(phone, forum, text="Sprachcafé im Stadtteil")
    for _ in range(3):
        assert phone.post(f"/j/{forum.join_code}/cards", data=data).status_code == 302
    page = phone.get(f"/j/{forum.join_code}/measures").text
    _, proposal = form(page, "", title="Sprachcafés ausbauen")
    for _ in range(3):
        assert phone.post(f"/j/{forum.join_code}/measures", data=proposal).status_code == 302
    measure = db.session.execute(db.select(Measure)).scalar_one()
    page = phone.get(f"/j/{forum.join_code}/measures").text
    action, vote = form(page, f"/measures/{measure.id}/vote")
    for _ in range(3):
        assert phone.post(action, data=vote).status_code == 302
    assert (count(Card), count(Measure), count(Vote)) == (1, 1, 1)


def test_two_tabs_sending_the_same_card_at_once_store_it_once(app, forum, joined):
    phone, _ = joined
    data = card_form(phone, forum, text="Gleichzeitig gesendet")
    cookie = phone.get_cookie("session").value
    start = threading.Barrier(4)
    answers = []

    def tab():
        with app.app_context():
            client = app.test_client()
            client.set_cookie("session", cookie)
            start.wait()
            answers.append(client.post(f"/j/{forum.join_code}/cards", data=data).status_code)

    threads = [threading.Thread(target=tab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * 4
    assert count(Card) == 1


# -- a form left open for hours --------------------------------------------------------------------


def test_a_form_left_open_for_three_hours_is_still_accepted(monkeypatch, forum, joined):
    phone, _ = joined
    data = card_form(phone, forum, text="Nach der Mittagspause geschrieben")
    later = time.time() + 3 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert phone.post(f"/j/{forum.join_code}/cards", data=data).status_code == 302
    assert count(Card) == 1


def test_an_expired_token_gets_a_friendly_page_that_keeps_the_text_and_resends_once(forum, joined):
    phone, _ = joined
    typed = "Mehr Sprachmittlung in Ämtern"
    data = card_form(phone, forum, text=typed, csrf_token="abgelaufen")
    response = phone.post(
        f"/j/{forum.join_code}/cards", data=data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 400
    assert "nicht mehr gültig" in response.text and typed in response.text
    action, resend = form(response.text, "/cards")
    assert resend["text"] == typed and resend["client_key"] == data["client_key"]
    assert resend["csrf_token"] != "abgelaufen"
    for _ in range(2):  # the re-send tapped twice
        assert phone.post(action, data=resend).status_code == 302
    assert db.session.execute(db.select(Card.text)).scalars().all() == [typed]


def test_a_lost_session_still_shows_the_typed_text(forum, joined, app):
    phone, _ = joined
    typed = "Beratung auch abends"
    data = card_form(phone, forum, text=typed)
    fresh = app.test_client()  # the phone's cookie is gone (browser data cleared, new session)
    response = fresh.post(
        f"/j/{forum.join_code}/cards", data=data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 400 and typed in response.text
    assert count(Card) == 0


# -- forum codes -------------------------------------------------------------------------------------

SIGNED_TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def test_unknown_closed_and_guessed_codes_get_the_same_page(make_forum, client):
    closed = make_forum(open=False)
    open_forum = make_forum()
    guessed = open_forum.join_code[:-1] + ("A" if open_forum.join_code[-1] != "A" else "B")
    answers = set()
    for code in [closed.join_code, guessed, "themenforum-1", "1", "A" * 22, "%00"]:
        for path in ["", "/board", "/measures"]:
            url = f"/j/{code}{path}"
            response = client.get(url)
            # The page names its own address (language switch) and carries a form token that is
            # signed with the current second; everything else must be equal.
            page = response.text.replace(quote(url, safe="/%"), "")
            answers.add((response.status_code, SIGNED_TOKEN.sub("token", page)))
    assert len(answers) == 1, sorted(status for status, _ in answers)
    [(status, text)] = answers
    assert status == 404 and "nicht verfügbar" in text


# -- ids edited in a form -------------------------------------------------------------------------------


def test_a_participant_cannot_edit_or_delete_another_persons_card(forum, join_as_participant):
    mine, me = join_as_participant(forum)
    other, them = join_as_participant(forum)
    theirs = card_service.add_card(them, "strength", "Fremde Karte", "foreign-card-key-0000")
    token = csrf_of(mine.get(board(forum)).text)
    edit = mine.post(
        f"/j/{forum.join_code}/cards/{theirs.id}/edit",
        data={"text": "Übernommen", "quadrant": "threat", "version": "1", "csrf_token": token},
    )
    delete = mine.post(f"/j/{forum.join_code}/cards/{theirs.id}/delete", data={"csrf_token": token})
    assert edit.status_code == delete.status_code == 403
    db.session.refresh(theirs)
    assert (theirs.text, theirs.quadrant) == ("Fremde Karte", "strength")


def test_a_moderator_cannot_link_cards_of_another_group(forum, moderator_of):
    mine, other = forum.groups[0], forum.groups[1]
    foreign = card_service.store_card(other.id, "strength", "Fremde Karte", "foreign-card-key-0001")
    measure = moderation.add_measure(mine.id, "", "Eigene Maßnahme", "own-measure-key-00000")
    console = moderator_of(mine)
    url = f"/moderation/groups/{mine.id}/measures/{measure.id}/edit"
    _, data = form(console.get(url).text, "")
    data["cards"] = [str(foreign.id)]
    response = console.post(url, data=data)
    assert response.status_code == 403
    db.session.refresh(measure)
    assert measure.cards == []


# -- cross-site ------------------------------------------------------------------------------------------


def test_a_cross_site_post_is_refused_without_a_resend_offer(forum, joined):
    phone, _ = joined
    data = card_form(phone, forum, text="Von einer fremden Seite")
    del data["csrf_token"]
    response = phone.post(
        f"/j/{forum.join_code}/cards",
        data=data,
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 400
    assert "Noch einmal senden" not in response.text
    assert count(Card) == 0


def test_an_absurdly_long_number_gets_a_message_not_an_error(planner, forum):
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "", number="9" * 400, dots_per_participant="9" * 30)
    response = planner.post(url, data=data)
    assert response.status_code == 422
    assert "höchstens neun Ziffern" in response.text
    db.session.refresh(forum)
    assert forum.number == 1 and forum.dots_per_participant == 3
