"""The SWOT board on the phone: own cards, the group's cards, bad input that loses nothing."""

import pytest

from forum.extensions import db
from forum.models import Card
from forum.services import moderation
from tests.conftest import csrf_of
from tests.forms import form


def board_url(forum) -> str:
    return f"/j/{forum.join_code}/board"


def post_card(phone, forum, quadrant, text, **overrides):
    """Fill the quadrant's form on the board page as a person would and send it."""
    page = phone.get(board_url(forum))
    forms = [f for f in _forms(page.text) if f["fields"].get("quadrant") == quadrant]
    data = {**forms[0]["fields"], "text": text, **overrides}
    return phone.post(f"/j/{forum.join_code}/cards", data=data), data


def _forms(html):
    from tests.forms import forms

    return forms(html)


def cards() -> list[Card]:
    return db.session.execute(db.select(Card).order_by(Card.id)).scalars().all()


@pytest.fixture
def forum(make_forum):
    return make_forum()


@pytest.fixture
def phone(forum, join_as_participant):
    return join_as_participant(forum, org_type="volunteer")[0]


def test_board_shows_four_quadrants_with_their_guiding_questions(phone, forum):
    page = phone.get(board_url(forum)).text
    for label in ["Stärken", "Schwächen", "Chancen", "Risiken"]:
        assert f">{label}</h2>" in page
    assert "Welche Ressourcen/Netzwerke und positiven Aspekte gibt es?" in page
    assert "Welche Hindernisse oder Herausforderungen bzw. Risiken gibt es?" in page


def test_added_card_is_stored_and_shown_with_a_confirmation(phone, forum):
    response, _ = post_card(phone, forum, "strength", "Stadtteilvereine sind gut vernetzt")
    assert response.status_code == 302 and response.location.endswith("#q-strength")
    page = phone.get(response.location).text
    assert "Karte gespeichert." in page
    assert "Stadtteilvereine sind gut vernetzt" in page
    [card] = cards()
    assert (card.quadrant, card.text) == ("strength", "Stadtteilvereine sind gut vernetzt")


def test_group_members_see_each_others_cards_other_groups_do_not(forum, join_as_participant):
    first, p1 = join_as_participant(forum, org_type="full_time")
    other, p2 = join_as_participant(forum, org_type="full_time")
    assert p1.group_id != p2.group_id
    mates = [join_as_participant(forum, org_type="volunteer") for _ in range(3)]
    mate = next(phone for phone, p in mates if p.group_id == p1.group_id)
    post_card(first, forum, "weakness", "Ehrenamtliche sind überlastet")
    assert "Ehrenamtliche sind überlastet" in mate.get(board_url(forum)).text
    assert "Ehrenamtliche sind überlastet" not in other.get(board_url(forum)).text


def test_double_tap_or_retry_stores_the_card_once(phone, forum):
    response, data = post_card(phone, forum, "opportunity", "Sprachtreffs in jedem Stadtteil")
    again = phone.post(f"/j/{forum.join_code}/cards", data=data)
    assert response.status_code == again.status_code == 302
    assert len(cards()) == 1


@pytest.mark.parametrize(
    ("typed", "message", "kept"),
    [
        ("   \n  ", "Bitte schreiben Sie etwas auf die Karte.", ""),
        ("x" * 501, "Die Karte ist zu lang: 501 Zeichen, erlaubt sind 500.", "x" * 501),
        ("Sprach\x00treff\x0b am Abend", "unsichtbare Steuerzeichen", "Sprachtreff\n am Abend"),
    ],
)
def test_bad_input_gets_a_message_and_the_text_stays(phone, forum, typed, message, kept):
    response, _ = post_card(phone, forum, "threat", typed)
    assert response.status_code == 422
    assert message in response.text
    action, fields = form(response.text, "/cards")
    threat_form = [f for f in _forms(response.text) if f["fields"].get("quadrant") == "threat"][0]
    assert threat_form["fields"]["text"].strip("\n") == kept
    assert 'aria-invalid="true"' in response.text and 'id="text-threat-error"' in response.text
    assert cards() == []


def test_five_hundred_characters_and_unicode_are_fine(phone, forum):
    text = "Begegnung 🙂 لقاء Зустріч\t" + "ä" * 470
    response, _ = post_card(phone, forum, "strength", text[:500])
    assert response.status_code == 302
    assert cards()[0].text == text[:500]


def test_markup_is_shown_as_text(phone, forum):
    post_card(phone, forum, "strength", '<script>alert(1)</script> " onmouseover="x')
    page = phone.get(board_url(forum)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_card_post_without_csrf_token_is_refused_and_shows_the_text(phone, forum):
    response, _ = post_card(phone, forum, "strength", "Mein wichtiger Gedanke", csrf_token="")
    assert response.status_code == 400
    assert "Mein wichtiger Gedanke" in response.text
    assert cards() == []


def test_own_card_can_be_edited_and_moved(phone, forum):
    post_card(phone, forum, "strength", "Tippfeler")
    card = cards()[0]
    page = phone.get(f"/j/{forum.join_code}/cards/{card.id}/edit").text
    action, data = form(page, "", text="Tippfehler", quadrant="opportunity")
    response = phone.post(f"/j/{forum.join_code}/cards/{card.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(card)
    assert (card.text, card.quadrant, card.version) == ("Tippfehler", "opportunity", 2)


def test_an_edit_based_on_an_old_version_keeps_both_texts(phone, forum):
    post_card(phone, forum, "strength", "Erste Fassung")
    card = cards()[0]
    page = phone.get(f"/j/{forum.join_code}/cards/{card.id}/edit").text
    _, stale = form(page, "", text="Meine Änderung")
    card.text, card.version = "Fassung der Moderation", 2
    db.session.commit()
    response = phone.post(f"/j/{forum.join_code}/cards/{card.id}/edit", data=stale)
    assert response.status_code == 409
    assert "Fassung der Moderation" in response.text and "Meine Änderung" in response.text
    db.session.refresh(card)
    assert card.text == "Fassung der Moderation"


def test_own_card_can_be_deleted_and_a_repeat_is_harmless(phone, forum):
    post_card(phone, forum, "weakness", "Weg damit")
    card_id = cards()[0].id
    page = phone.get(f"/j/{forum.join_code}/cards/{card_id}/edit").text
    action, data = form(page, "/delete")
    assert phone.post(action, data=data).status_code == 302
    assert phone.post(action, data=data).status_code == 302
    assert cards() == []


def test_deleting_a_card_others_were_merged_into_gives_them_back(forum, join_as_participant):
    author, _ = join_as_participant(forum)
    mate, _ = join_as_participant(forum)
    post_card(author, forum, "strength", "Kurze Wege")
    post_card(mate, forum, "strength", "Alles nah beieinander")
    kept, merged = cards()
    merged.group_id = kept.group_id
    moderation.merge_cards([kept, merged])
    page = author.get(f"/j/{forum.join_code}/cards/{kept.id}/edit").text
    action, data = form(page, "/delete")
    assert author.post(action, data=data).status_code == 302
    [left] = cards()
    assert (left.text, left.merged_into_id) == ("Alles nah beieinander", None)


def test_others_cards_cannot_be_edited_or_deleted(forum, join_as_participant):
    author, _ = join_as_participant(forum)
    intruder, _ = join_as_participant(forum)
    post_card(author, forum, "strength", "Nicht deine Karte")
    card = cards()[0]
    assert intruder.get(f"/j/{forum.join_code}/cards/{card.id}/edit").status_code == 403
    token = csrf_of(intruder.get(board_url(forum)).text)
    url = f"/j/{forum.join_code}/cards/{card.id}/delete"
    assert intruder.post(url, data={"csrf_token": token}).status_code == 403
    assert [c.text for c in cards()] == ["Nicht deine Karte"]


def test_live_endpoint_answers_304_until_the_group_changes(phone, forum):
    live = f"/j/{forum.join_code}/board/live"
    first = phone.get(live)
    assert first.status_code == 200 and first.headers["ETag"]
    unchanged = phone.get(live, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""
    post_card(phone, forum, "strength", "Neue Karte")
    changed = phone.get(live, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    # Only the new card comes, into its quadrant's list.
    [new] = changed.json["items"]
    assert new["in"] == "cards-strength" and "Neue Karte" in new["html"]


def test_hidden_and_merged_cards_are_not_shown_to_participants(phone, forum):
    post_card(phone, forum, "strength", "Sichtbar")
    post_card(phone, forum, "strength", "Ausgeblendet")
    post_card(phone, forum, "strength", "Zusammengeführt")
    visible, hidden, merged = cards()
    hidden.hidden = True
    merged.merged_into_id = visible.id
    db.session.commit()
    page = phone.get(board_url(forum)).text
    assert "Sichtbar" in page and "Ausgeblendet" not in page and "Zusammengeführt" not in page
