"""What the phone's outbox relies on: JSON answers for cards, one card per key, forms by phase."""

import pytest

from forum.extensions import db
from forum.models import Card
from forum.services import phases
from tests.forms import forms
from tests.test_phases import AGENDA

JSON = {"Accept": "application/json"}
# What Chromium sends with a plain form post.
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
NOTE = "Karten können in der Phase „4-Feldermatrix“ hinzugefügt werden."


@pytest.fixture
def forum(make_forum):
    return make_forum(agenda=AGENDA)


@pytest.fixture
def phone(forum, join_as_participant):
    return join_as_participant(forum)[0]


def start(forum, key):
    phases.start(forum, next(i for i in phases.work_phases(forum) if i.phase == key))


def card_form(phone, forum, quadrant, **fields):
    """Return the fields the quadrant's form on the board would send, with the typed text."""
    page = phone.get(f"/j/{forum.join_code}/board").text
    found = next(f for f in forms(page) if f["fields"].get("quadrant") == quadrant)
    return {**found["fields"], **fields}


def send(phone, forum, data, headers=JSON):
    return phone.post(f"/j/{forum.join_code}/cards", data=data, headers=headers)


def stored() -> list[Card]:
    return db.session.execute(db.select(Card).order_by(Card.id)).scalars().all()


def test_a_card_sent_for_json_is_answered_with_json_and_stored(phone, forum):
    response = send(phone, forum, card_form(phone, forum, "strength", text="Offene Treffs"))
    [card] = stored()
    assert response.status_code == 200 and response.json == {"ok": True, "card_id": card.id}
    assert (card.quadrant, card.text) == ("strength", "Offene Treffs")
    # No confirmation is left behind for the next page: the script showed its own.
    assert '"flash">Karte gespeichert.' not in phone.get(f"/j/{forum.join_code}/board").text


def test_a_plain_form_post_still_gets_the_page(phone, forum):
    data = card_form(phone, forum, "strength", text="Offene Treffs")
    response = send(phone, forum, data, headers=BROWSER)
    assert response.status_code == 302 and response.location.endswith("#q-strength")
    assert '"flash">Karte gespeichert.' in phone.get(response.location).text


def test_a_resent_card_with_the_same_key_is_stored_once(phone, forum):
    data = card_form(phone, forum, "weakness", text="Zu wenig Räume")
    first, again = send(phone, forum, data), send(phone, forum, data)
    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    assert [c.text for c in stored()] == ["Zu wenig Räume"]


def test_a_retry_through_the_form_after_a_json_send_is_stored_once(phone, forum):
    data = card_form(phone, forum, "weakness", text="Zu wenig Räume")
    assert send(phone, forum, data).status_code == 200
    assert send(phone, forum, data, headers=BROWSER).status_code == 302
    assert len(stored()) == 1


@pytest.mark.parametrize(
    ("typed", "message", "kept"),
    [
        ("  \n ", "Bitte schreiben Sie etwas auf die Karte.", ""),
        ("x" * 501, "Die Karte ist zu lang: 501 Zeichen, erlaubt sind 500.", "x" * 501),
        ("Sprach\x07treff", "unsichtbare Steuerzeichen", "Sprachtreff"),
    ],
)
def test_bad_text_gets_422_with_the_message_and_the_text(phone, forum, typed, message, kept):
    response = send(phone, forum, card_form(phone, forum, "threat", text=typed))
    assert response.status_code == 422
    assert message in " ".join(response.json["errors"]["text"])
    assert response.json["text"] == kept
    assert stored() == []


def test_a_card_outside_the_card_phases_gets_409_with_the_text(phone, forum):
    data = card_form(phone, forum, "opportunity", text="Sprachcafés in Bibliotheken")
    start(forum, "goals")
    response = send(phone, forum, data)
    assert response.status_code == 409
    assert "die 4-Feldermatrix ist nicht die aktuelle Phase" in response.json["errors"]["text"][0]
    assert response.json["text"] == "Sprachcafés in Bibliotheken"
    assert stored() == []


def test_a_resend_of_a_card_stored_before_the_phase_closed_is_still_ok(phone, forum):
    start(forum, "swot")
    data = card_form(phone, forum, "opportunity", text="Sprachcafés in Bibliotheken")
    first = send(phone, forum, data)
    start(forum, "goals")
    again = send(phone, forum, data)
    assert first.status_code == again.status_code == 200
    assert len(stored()) == 1


def test_a_phone_whose_cookie_is_lost_is_refused_and_nothing_stored(phone, forum):
    data = card_form(phone, forum, "strength", text="Gute Netzwerke")
    phone.delete_cookie("session")
    # The form token belonged to the lost session; outbox.js keeps the card on a 400.
    assert send(phone, forum, data).status_code == 400
    assert stored() == []


def test_a_phone_whose_participant_is_gone_is_sent_to_join(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    data = card_form(phone, forum, "strength", text="Gute Netzwerke")
    db.session.delete(participant)
    db.session.commit()
    response = send(phone, forum, data)
    # outbox.js recognises the join page at the end of the redirect and keeps the card.
    assert response.status_code == 302 and response.location == f"/j/{forum.join_code}"
    assert stored() == []


# --- the forms follow the phase ------------------------------------------------------------


def visible_forms(page: str) -> list[str]:
    """Return the quadrants whose card form a person can see."""
    quadrants = []
    for chunk in page.split('<form method="post"')[1:]:
        tag = chunk.split(">", 1)[0]
        if 'class="card-form"' in tag and " hidden" not in tag:
            quadrants.append(chunk.split('name="quadrant" value="')[1].split('"')[0])
    return quadrants


ALL = ["strength", "weakness", "opportunity", "threat"]


@pytest.mark.parametrize(
    ("key", "open_"),
    [(None, True), ("warmup", True), ("swot", True), ("goals", False), ("plenum", False)],
)
def test_card_forms_show_only_while_cards_may_be_added(phone, forum, key, open_):
    if key:
        start(forum, key)
    page = phone.get(f"/j/{forum.join_code}/board").text
    assert visible_forms(page) == (ALL if open_ else [])
    assert page.count(NOTE) == (0 if open_ else 4)


def test_a_refused_form_stays_visible_with_its_text_while_the_phase_is_closed(phone, forum):
    data = card_form(phone, forum, "threat", text="Förderung läuft aus")
    start(forum, "goals")
    page = send(phone, forum, data, headers=BROWSER).text
    assert visible_forms(page) == ["threat"]
    assert "Förderung läuft aus</textarea>" in page and page.count(NOTE) == 4


def test_the_live_poll_brings_the_note_when_the_phase_closes_and_takes_it_away(phone, forum):
    live = f"/j/{forum.join_code}/board/live"
    first = phone.get(live)
    assert first.json["regions"]["note-strength"] == ""
    assert phone.get(live, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    start(forum, "goals")
    closed = phone.get(live, headers={"If-None-Match": first.headers["ETag"]})
    assert closed.status_code == 200
    assert all(NOTE in closed.json["regions"][f"note-{q}"] for q in ALL)
    start(forum, "swot")
    opened = phone.get(live, headers={"If-None-Match": closed.headers["ETag"]})
    assert opened.status_code == 200 and opened.json["regions"]["note-threat"] == ""


def test_own_cards_carry_their_key_others_do_not(forum, join_as_participant):
    author, p1 = join_as_participant(forum, org_type="volunteer")
    joined = [join_as_participant(forum, org_type="volunteer") for _ in range(4)]
    mate = next(phone for phone, p in joined if p.group_id == p1.group_id)
    data = card_form(author, forum, "strength", text="Viele Ehrenamtliche")
    send(author, forum, data)
    key = data["client_key"]
    assert f'data-key="{key}"' in author.get(f"/j/{forum.join_code}/board").text
    mates_page = mate.get(f"/j/{forum.join_code}/board").text
    assert "Viele Ehrenamtliche" in mates_page and key not in mates_page
