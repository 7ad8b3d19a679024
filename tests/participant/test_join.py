"""Joining by QR code: no account, optional name, a group card, the same group on rejoin."""

from forum.extensions import db
from forum.models import Participant
from tests.forms import form


def count_participants() -> int:
    return db.session.execute(db.select(db.func.count(Participant.id))).scalar()


def test_join_page_asks_org_type_and_explains_privacy(client, make_forum):
    forum = make_forum()
    page = client.get(f"/j/{forum.join_code}")
    assert page.status_code == 200
    assert '<html lang="de"' in page.text
    for label in ["Hauptamt", "Ehrenamt", "Migrant*innenorganisation", "Verwaltung", "Sonstige"]:
        assert label in page.text
    assert "Name (freiwillig)" in page.text and "Organisation (freiwillig)" in page.text
    assert "Datenschutz in Kürze" in page.text and "keine Dienste Dritter" in page.text
    # The page carries the phone's new token: no cache may keep it.
    assert "no-store" in page.headers["Cache-Control"]


def test_joining_without_a_name_shows_group_room_and_moderator(client, make_forum):
    forum = make_forum()
    page = client.get(f"/j/{forum.join_code}")
    _, data = form(page.text, org_type="full_time")
    response = client.post(f"/j/{forum.join_code}", data=data, follow_redirects=True)
    assert response.status_code == 200
    participant = db.session.execute(db.select(Participant)).scalar_one()
    assert participant.name is None and participant.organisation is None
    group = participant.group
    assert f"<strong>{group.name}</strong>" in response.text
    assert group.room.name in response.text
    assert group.moderator.display_name in response.text
    assert "Zur 4-Feldermatrix" in response.text


def test_org_type_is_required_and_typed_fields_survive(client, make_forum):
    forum = make_forum()
    page = client.get(f"/j/{forum.join_code}")
    _, data = form(page.text, name="Amira", organisation="Willkommen in Löbtau e. V.")
    response = client.post(f"/j/{forum.join_code}", data=data)
    assert response.status_code == 422
    assert "Bitte wählen Sie eine Art der Organisation." in response.text
    assert 'value="Amira"' in response.text and "Willkommen in Löbtau e. V." in response.text
    assert count_participants() == 0


def test_same_phone_rejoining_gets_the_same_group(make_forum, join_as_participant):
    forum = make_forum()
    phone, participant = join_as_participant(forum)
    again = phone.get(f"/j/{forum.join_code}")
    assert again.status_code == 302 and again.location.endswith(f"/j/{forum.join_code}/group")
    assert participant.group.name in phone.get(again.location).text
    assert count_participants() == 1


def test_double_tap_on_join_creates_one_participant(client, make_forum):
    forum = make_forum()
    page = client.get(f"/j/{forum.join_code}")
    _, data = form(page.text, org_type="volunteer")
    first = client.post(f"/j/{forum.join_code}", data=data)
    # The second tap comes from a copy of the page that never saw the first answer's cookie.
    other_tab = client.application.test_client()
    other_tab.get(f"/j/{forum.join_code}")
    second = other_tab.post(
        f"/j/{forum.join_code}",
        data={
            **data,
            "csrf_token": form(other_tab.get(f"/j/{forum.join_code}").text)[1]["csrf_token"],
        },
    )
    assert first.status_code == second.status_code == 302
    assert count_participants() == 1


def test_first_two_phones_land_in_different_groups(make_forum, join_as_participant):
    forum = make_forum()
    _, first = join_as_participant(forum, org_type="full_time")
    _, second = join_as_participant(forum, org_type="full_time")
    assert first.group_id != second.group_id


def test_hauptamt_and_ehrenamt_are_mixed_across_groups(make_forum, join_as_participant):
    forum = make_forum()
    for org_type in ["full_time"] * 4 + ["volunteer"] * 4:
        join_as_participant(forum, org_type=org_type)
    for group in forum.groups:
        members = db.session.execute(db.select(Participant).filter_by(group_id=group.id)).scalars()
        assert sorted(p.org_type for p in members) == ["full_time", "volunteer"], group.name


def test_unknown_and_closed_forums_get_the_same_page(client, make_forum):
    closed = make_forum(open=False)

    def page(response, code):
        # Only the language switch's way back to the address asked for may differ.
        assert response.status_code == 404
        return response.text.replace(f"/j/{code}", "/j/CODE")

    shut = page(client.get(f"/j/{closed.join_code}"), closed.join_code)
    assert page(client.get("/j/AAAAAAAAAAAAAAAAAAAAAA"), "AAAAAAAAAAAAAAAAAAAAAA") == shut
    assert "Dieses Forum ist nicht verfügbar" in shut
    assert page(client.get("/j/x"), "x") == shut


def test_full_rooms_refuse_with_a_clear_message(client, make_forum, join_as_participant):
    forum = make_forum(
        groups=[("Orange", "#E8710A", "E05", "beitz", "Hr. Beitz")], capacities={"E05": 1}
    )
    join_as_participant(forum)
    page = client.get(f"/j/{forum.join_code}")
    _, data = form(page.text, org_type="other")
    response = client.post(f"/j/{forum.join_code}", data=data)
    assert response.status_code == 409
    assert "Alle Gruppen sind voll" in response.text
    assert count_participants() == 1


def test_closing_the_forum_keeps_joined_phones_on_their_board(app, make_forum, join_as_participant):
    forum = make_forum()
    phone, _ = join_as_participant(forum)
    forum.is_open = False
    db.session.commit()
    assert phone.get(f"/j/{forum.join_code}/board").status_code == 200
    assert app.test_client().get(f"/j/{forum.join_code}").status_code == 404


def test_board_of_a_phone_that_has_not_joined_sends_it_to_join(client, make_forum):
    forum = make_forum()
    response = client.get(f"/j/{forum.join_code}/board")
    assert response.status_code == 302 and response.location.endswith(f"/j/{forum.join_code}")
