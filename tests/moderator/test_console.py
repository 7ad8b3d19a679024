"""The moderator console: live cards, fast entry, edit, move, merge, hide, measures."""

import pytest

from forum.extensions import db
from forum.models import QUADRANTS, Card, Measure, Participant
from forum.services import cards as card_service
from forum.services import moderation, voting
from tests.conftest import csrf_of
from tests.forms import form


@pytest.fixture
def forum(make_forum):
    return make_forum()


@pytest.fixture
def group(forum):
    return forum.groups[0]


@pytest.fixture
def console(group, moderator_of):
    return moderator_of(group)


def all_cards() -> list[Card]:
    return db.session.execute(db.select(Card).order_by(Card.id)).scalars().all()


def url(group, path=""):
    return f"/moderation/groups/{group.id}{path}"


def test_fast_entry_stores_a_paper_card_once_and_keeps_the_quadrant(console, group):
    page = console.get(url(group)).text
    assert 'id="quick-text"' in page and "autofocus" in page
    action, data = form(page, "/cards", text="Ehrenamt braucht feste Räume", quadrant="weakness")
    first = console.post(action, data=data)
    again = console.post(action, data=data)  # double Enter: same key
    assert first.status_code == again.status_code == 302
    # No #fragment: a page opened at one skips autofocus, and the cursor must be in the field.
    assert first.location.endswith(f"{url(group)}?q=weakness")
    [card] = all_cards()
    assert (card.quadrant, card.text, card.participant_id) == (
        "weakness",
        "Ehrenamt braucht feste Räume",
        None,
    )
    assert card.author_user_id == group.moderator_id
    assert 'value="weakness" selected' in console.get(first.location).text


def test_fast_entry_by_script_answers_json_and_stores_a_repeat_once(console, group):
    action, data = form(
        console.get(url(group)).text, "/cards", text="Kita fehlt", quadrant="threat"
    )
    json = {"Accept": "application/json"}
    first, again = (console.post(action, data=data, headers=json) for _ in range(2))
    [card] = all_cards()
    assert first.status_code == again.status_code == 200
    assert first.json == again.json == {"ok": True, "card_id": card.id}
    data["text"], data["client_key"] = "x" * 2000, "another-key-of-22-chars"
    refused = console.post(action, data=data, headers=json)
    assert refused.status_code == 422 and refused.json["text"] == "x" * 2000
    assert refused.json["errors"]["text"]
    assert len(all_cards()) == 1


def test_empty_fast_entry_gets_a_message(console, group):
    action, data = form(console.get(url(group)).text, "/cards", text="   ", quadrant="threat")
    response = console.post(action, data=data)
    assert response.status_code == 422 and "Bitte den Text der Karte eingeben." in response.text
    assert all_cards() == []


def add(group, text, quadrant="strength", **fields) -> Card:
    card = card_service.store_card(group.id, quadrant, text, f"key-{text}-{quadrant}-{group.id}")
    for name, value in fields.items():
        setattr(card, name, value)
    db.session.commit()
    return card


def test_console_shows_cards_of_phones_and_hidden_ones_marked(console, group):
    add(group, "Sichtbare Karte")
    add(group, "Unpassende Karte", hidden=True)
    page = console.get(url(group)).text
    assert "Sichtbare Karte" in page and "Unpassende Karte" in page
    assert "Ausgeblendet" in page and "Wieder zeigen" in page


def test_move_hide_and_show_again(console, group, join_as_participant, forum):
    card = add(group, "Falsches Feld")
    page = console.get(url(group)).text
    action, data = form(page, f"/cards/{card.id}/move", quadrant="opportunity")
    console.post(action, data=data)
    db.session.refresh(card)
    assert card.quadrant == "opportunity"
    action, data = form(console.get(url(group)).text, f"/cards/{card.id}/hide")
    console.post(action, data=data)
    db.session.refresh(card)
    assert card.hidden
    action, data = form(console.get(url(group)).text, f"/cards/{card.id}/hide")
    assert data["hidden"] == "0"
    console.post(action, data=data)
    db.session.refresh(card)
    assert not card.hidden


def test_merge_keeps_the_first_and_counts_the_others(console, group):
    first = add(group, "Mehr Räume für Vereine")
    second = add(group, "Räume für Vereine fehlen", quadrant="weakness")
    third = add(group, "Vereine brauchen Räume", merge_count=2)
    token = csrf_of(console.get(url(group)).text)
    response = console.post(
        url(group, "/cards/merge"),
        data={"csrf_token": token, "card": [first.id, second.id, third.id]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Card, first.id).merge_count == 4
    assert {db.session.get(Card, c.id).merged_into_id for c in (second, third)} == {first.id}
    page = console.get(url(group)).text
    assert "(×4)" in page and "Räume für Vereine fehlen" not in page


def test_two_moderators_editing_one_card_do_not_overwrite_each_other(console, group, app, planner):
    card = add(group, "Ursprünglich")
    edit_url = url(group, f"/cards/{card.id}/edit")
    _, mine = form(console.get(edit_url).text, "", text="Fassung der Moderation")
    _, theirs = form(planner.get(edit_url).text, "", text="Fassung der Planung")
    assert console.post(edit_url, data=mine).status_code == 302
    conflict = planner.post(edit_url, data=theirs)
    assert conflict.status_code == 409
    assert "Fassung der Moderation" in conflict.text and "Fassung der Planung" in conflict.text
    db.session.refresh(card)
    assert card.text == "Fassung der Moderation"


def test_live_endpoint_304_until_a_phone_adds_a_card(console, group, forum, join_as_participant):
    live = console.get(url(group, "/live"))
    etag = live.headers["ETag"]
    assert console.get(url(group, "/live"), headers={"If-None-Match": etag}).status_code == 304
    add(group, "Neu vom Telefon")
    changed = console.get(url(group, "/live"), headers={"If-None-Match": etag}).json
    # Only the new card, into its list; the quadrant's "no cards yet" line goes.
    [new] = [entry for entry in changed["items"] if entry["id"].startswith("mod-card-")]
    assert new["in"] == "mod-cards-strength" and "Neu vom Telefon" in new["html"]
    assert "mod-no-cards-strength" in changed["remove"]
    assert not any(region.startswith("mod-cards-") for region in changed["regions"])
    assert "timer" in changed


def test_live_answers_single_cards_and_measures_and_the_whole_console_when_lost(
    console, group, forum, join_as_participant
):
    kept, merged, hidden = (add(group, text) for text in ("Behalten", "Doppelt", "Verbergen"))
    measure = moderation.add_measure(group.id, "", "Raumbörse", "key-raumboerse")
    etag = console.get(url(group, "/live")).headers["ETag"]
    moderation.merge_cards([kept, merged])
    moderation.set_hidden(hidden, True)
    phone, participant = join_as_participant(forum)
    voting.vote(db.session.get(Participant, participant.id), measure, "key-dot-1")
    changed = console.get(url(group, "/live"), headers={"If-None-Match": etag}).json
    assert f"mod-card-{merged.id}" in changed["remove"]
    by_id = {entry["id"]: entry for entry in changed["items"]}
    assert "(×2)" in by_id[f"mod-card-{kept.id}"]["html"]
    assert "Ausgeblendet" in by_id[f"mod-card-{hidden.id}"]["html"]  # moderators still see it
    row = by_id[f"measure-{measure.id}"]
    assert row["in"] == "mod-measure-rows" and "<td>1</td>" in row["html"]
    assert set(changed["regions"]) == {"mod-measures-note"}
    # A version the server cannot read: the whole console, every list.
    lost = f'"mod-g{group.id}v99999.1f0"'  # from the future: not this database's
    lost = console.get(url(group, "/live"), headers={"If-None-Match": lost}).json
    assert {f"mod-cards-{q}" for q in QUADRANTS} | {"mod-measure-rows"} <= set(lost["regions"])
    assert "items" not in lost


def test_measure_is_completed_and_the_console_names_what_is_missing(console, group, forum):
    linked = add(group, "Stadtteilvereine sind gut vernetzt")
    page = console.get(url(group)).text
    action, data = form(
        page, "/measures", goal="Ehrenamt stärken", title="Ehrenamtsbörse je Stadtbezirk"
    )
    response = console.post(action, data=data)
    assert response.status_code == 302
    measure = db.session.execute(db.select(Measure)).scalar_one()
    assert "Verantwortlich, Horizont, Indikator" in console.get(url(group)).text
    edit_page = console.get(response.location).text
    goal_id = forum.process.guiding_goals[1].id
    _, data = form(
        edit_page,
        "",
        owner="Ehrenamtskoordination Asyl",
        method="Jährliche Börse",
        horizon="short",
        indicator="4 Börsen pro Jahr",
        guiding_goal=str(goal_id),
    )
    data["cards"] = [str(linked.id)]
    assert console.post(response.location, data=data).status_code == 302
    db.session.refresh(measure)
    assert (measure.owner, measure.horizon, measure.indicator) == (
        "Ehrenamtskoordination Asyl",
        "short",
        "4 Börsen pro Jahr",
    )
    assert measure.guiding_goal.position == 2 and [c.id for c in measure.cards] == [linked.id]
    assert measure.missing == []
    assert "vollständig" in console.get(url(group)).text


def test_a_moderator_sees_only_their_own_groups(moderator_of, forum):
    mine, other = forum.groups[0], forum.groups[1]
    browser = moderator_of(mine)
    page = browser.get("/moderation/").text
    assert f"Gruppe {mine.name}" in page and f"Gruppe {other.name}" not in page
    assert browser.get(url(other)).status_code == 403
    card = add(other, "Fremde Karte")
    token = csrf_of(browser.get(url(mine)).text)
    assert (
        browser.post(
            url(other, f"/cards/{card.id}/hide"), data={"csrf_token": token, "hidden": "1"}
        ).status_code
        == 403
    )
    # A card id of another group in the own group's URL is not found either.
    assert (
        browser.post(
            url(mine, f"/cards/{card.id}/hide"), data={"csrf_token": token, "hidden": "1"}
        ).status_code
        == 404
    )
    db.session.refresh(card)
    assert not card.hidden


def test_a_measure_key_of_control_characters_is_replaced_not_stored(app, make_forum, moderator_of):
    # Found by the form fuzzer: "\x1e" counts as space, so the optional key skipped its check.
    forum = make_forum()
    group = forum.groups[0]
    console = moderator_of(group)
    token = csrf_of(console.get(f"/moderation/groups/{group.id}").text)
    data = {"csrf_token": token, "title": "Lotsen", "goal": "", "client_key": "\x1e"}
    answer = console.post(f"/moderation/groups/{group.id}/measures", data=data)
    assert answer.status_code < 500 and "Lotsen" in answer.text  # offered again, text kept
    keys = db.session.execute(db.select(Measure.client_key)).scalars().all()
    assert all(key.isprintable() and len(key) >= 22 for key in keys)
