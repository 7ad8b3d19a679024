"""The phase timer: starting, advancing, extending, what each phase allows, and who may steer."""

from datetime import UTC, datetime, timedelta

import pytest

from forum.extensions import db
from forum.models import Card, Group, User
from forum.services import moderation, phases
from tests.conftest import csrf_of
from tests.forms import form

NOON = datetime(2025, 1, 23, 12, 0, 0)

# The seed's Arbeitsphase and Plenum, as in seed/dresden-fachplan-asyl-integration.toml.
AGENDA = [
    {"title": "Begrüßung und Einstimmung"},
    {
        "title": "Arbeitsphase in Kleingruppen",
        "phases": [
            {"key": "warmup", "title": "Warm-Up-Phase", "minutes": 15},
            {"key": "swot", "title": "4-Feldermatrix", "minutes": 30},
            {"key": "goals", "title": "Ziele und Maßnahmen", "minutes": 25},
            {"key": "owners", "title": "Verantwortlichkeiten", "minutes": 10},
            {"key": "horizon", "title": "Umsetzungshorizont", "minutes": 10},
        ],
    },
    {
        "title": "Auswertung im Plenum",
        "phases": [{"key": "plenum", "title": "Vorstellung", "minutes": 10, "per_group": True}],
    },
    {"title": "Termine"},
]


@pytest.fixture
def forum(make_forum):
    return make_forum(agenda=AGENDA)


def phase(forum, key):
    return next(item for item in phases.work_phases(forum) if item.phase == key)


def sign_in(client, username):
    """Sign in a seeded moderator (they have no password until one is set)."""
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
    user.set_password("richtig-gutes-passwort")
    db.session.commit()
    page = client.get("/login")
    _, data = form(page.text, username=username, password="richtig-gutes-passwort")
    assert client.post("/login?next=/moderation/", data=data).status_code == 302
    return client


# --- service -------------------------------------------------------------------------------


def test_work_phases_follow_the_agenda(forum):
    keys = [item.phase for item in phases.work_phases(forum)]
    assert keys == ["warmup", "swot", "goals", "owners", "horizon", "plenum"]


def test_no_phase_running_allows_everything(forum):
    assert phases.state(forum) == {
        "running": False,
        "phase": None,
        "title": "",
        "remaining": None,
        "remaining_ms": None,
        "ends_at": None,
        "overtime": False,
    }
    assert phases.may_add_cards(forum)
    assert phases.may_propose_measures(forum)
    assert phases.may_vote(forum)


def test_a_forum_without_agenda_has_no_phases(make_forum):
    forum = make_forum()
    assert phases.work_phases(forum) == []
    assert phases.advance(forum) is None
    assert not phases.state(forum)["running"] and phases.may_add_cards(forum)


def test_start_counts_the_phase_minutes_from_now(forum):
    phases.start(forum, phase(forum, "swot"), now=NOON)
    assert forum.phase_ends_at == NOON + timedelta(minutes=30)
    state = phases.state(forum, now=NOON + timedelta(minutes=10, seconds=0.4))
    assert state["running"] and state["phase"] == "swot" and state["title"] == "4-Feldermatrix"
    assert state["remaining"] == 20 * 60  # 19:59.6 is shown as 20:00, as a countdown does
    assert state["remaining_ms"] == 20 * 60 * 1000 - 400
    assert state["ends_at"] == "2025-01-23T12:30:00+00:00"
    assert not state["overtime"]


def test_overtime_shows_zero_never_negative(forum):
    phases.start(forum, phase(forum, "warmup"), now=NOON)
    state = phases.state(forum, now=NOON + timedelta(minutes=20))
    assert state["remaining"] == 0 and state["remaining_ms"] == 0 and state["overtime"]


def test_plenum_gets_its_minutes_once_per_group(forum):
    phases.start(forum, phase(forum, "plenum"), now=NOON)
    assert forum.phase_ends_at == NOON + timedelta(minutes=10 * 4)


def test_start_resets_extensions_and_changes_every_boards_version(forum):
    phases.start(forum, phase(forum, "warmup"), now=NOON)
    before = {group.id: phases.group_tag(forum, group) for group in forum.groups}
    orange = forum.groups[0]
    assert phases.extend(orange)
    # The extension changes the extended group's version only: its phones fetch the new timer.
    extended = {group.id: phases.group_tag(forum, group) for group in forum.groups}
    assert [extended[g] != before[g] for g in before] == [True] + [False] * (len(before) - 1)
    phases.start(forum, phase(forum, "swot"), now=NOON)
    db.session.expire_all()
    groups = db.session.execute(db.select(Group).filter_by(forum_id=forum.id)).scalars().all()
    assert all(group.extra_minutes == 0 for group in groups)
    assert all(phases.group_tag(forum, group) not in extended.values() for group in groups)


def test_the_same_phase_started_again_is_a_new_version(forum):
    # Its timer starts again, so pages must fetch it even though the phase is the same.
    phases.start(forum, phase(forum, "swot"), now=NOON)
    first = phases.group_tag(forum, forum.groups[0])
    phases.start(forum, phase(forum, "swot"), now=NOON + timedelta(seconds=1))
    assert phases.group_tag(forum, forum.groups[0]) != first


def test_start_refuses_an_item_that_is_not_a_work_phase(forum, make_forum):
    with pytest.raises(ValueError):
        phases.start(forum, forum.agenda[0])
    other = make_forum(agenda=AGENDA)
    with pytest.raises(ValueError):
        phases.start(forum, phase(other, "swot"))


def test_advance_walks_the_phases_and_stops_after_the_last(forum):
    seen = [phases.advance(forum, now=NOON).phase for _ in range(6)]
    assert seen == ["warmup", "swot", "goals", "owners", "horizon", "plenum"]
    assert phases.advance(forum, now=NOON) is None
    assert forum.phase_item is None and forum.phase_ends_at is None


def test_stop_ends_the_phase(forum):
    phases.start(forum, phase(forum, "goals"), now=NOON)
    phases.stop(forum)
    assert not phases.state(forum)["running"]
    assert phases.may_add_cards(forum)


def test_extend_adds_minutes_for_that_group_only(forum):
    phases.start(forum, phase(forum, "swot"), now=NOON)
    orange, red = forum.groups[0], forum.groups[1]
    assert phases.extend(orange) and phases.extend(orange, minutes=5)
    assert orange.extra_minutes == 10
    at = NOON + timedelta(minutes=25)
    assert phases.state(forum, orange, now=at)["remaining"] == 15 * 60
    assert phases.state(forum, red, now=at)["remaining"] == 5 * 60
    assert phases.state(forum, now=at)["remaining"] == 5 * 60


def test_extend_needs_a_running_phase(forum):
    group = forum.groups[0]
    assert not phases.extend(group)
    assert group.extra_minutes == 0


@pytest.mark.parametrize(
    ("key", "cards", "measures", "votes"),
    [
        ("warmup", True, False, False),
        ("swot", True, False, False),
        ("goals", False, True, True),
        ("owners", False, True, True),
        ("horizon", False, True, True),
        ("plenum", False, False, True),
    ],
)
def test_the_phase_decides_what_participants_may_do(forum, key, cards, measures, votes):
    phases.start(forum, phase(forum, key), now=NOON)
    assert phases.may_add_cards(forum) is cards
    assert phases.may_propose_measures(forum) is measures
    assert phases.may_vote(forum) is votes


def test_overtime_keeps_the_phase_permissions(forum):
    phases.start(forum, phase(forum, "swot"), now=datetime(2000, 1, 1))
    assert phases.state(forum)["overtime"]
    assert phases.may_add_cards(forum)


# --- planner controls ----------------------------------------------------------------------


def test_phase_controls_need_a_planner(client, app, forum):
    url = f"/planner/forums/{forum.slug}/phase"
    token = csrf_of(client.get("/login").text)
    response = client.post(url, data={"action": "next", "csrf_token": token})
    assert response.status_code == 302 and "/login" in response.location
    sign_in(client, "heyde")
    page = client.get("/moderation/").text
    response = client.post(url, data={"action": "next", "csrf_token": csrf_of(page)})
    assert response.status_code == 403
    assert db.session.get(type(forum), forum.id).phase_item_id is None


def test_phase_controls_need_the_csrf_token(planner, forum):
    response = planner.post(f"/planner/forums/{forum.slug}/phase", data={"action": "next"})
    assert response.status_code == 400
    assert forum.phase_item_id is None


def test_planner_starts_advances_and_stops(planner, forum):
    page = planner.get(f"/planner/forums/{forum.slug}").text
    assert "Arbeitsphasen und Zeit" in page and "Zurzeit läuft keine Phase" in page
    token = csrf_of(page)
    url = f"/planner/forums/{forum.slug}/phase"
    swot = phase(forum, "swot")

    response = planner.post(url, data={"action": "start", "item": swot.id, "csrf_token": token})
    assert response.status_code == 302
    page = planner.get(f"/planner/forums/{forum.slug}").text
    assert "Phase gestartet: 4-Feldermatrix" in page
    assert "Nächste Phase" in page and "Phase beenden" in page
    assert 'role="timer"' in page and ("30:00" in page or "29:59" in page)

    planner.post(url, data={"action": "next", "current": swot.id, "csrf_token": token})
    assert forum.phase_item.phase == "goals"
    # The same press again (a double click, a second planner) does not skip a phase.
    planner.post(url, data={"action": "next", "current": swot.id, "csrf_token": token})
    assert forum.phase_item.phase == "goals"
    assert "schon gewechselt" in planner.get(f"/planner/forums/{forum.slug}").text

    planner.post(url, data={"action": "stop", "csrf_token": token})
    assert forum.phase_item_id is None
    assert "Phase beendet" in planner.get(f"/planner/forums/{forum.slug}").text


def test_planner_cannot_start_another_forums_item(planner, forum, make_forum):
    other = make_forum(agenda=AGENDA)
    token = csrf_of(planner.get(f"/planner/forums/{forum.slug}").text)
    planner.post(
        f"/planner/forums/{forum.slug}/phase",
        data={"action": "start", "item": phase(other, "swot").id, "csrf_token": token},
    )
    assert forum.phase_item_id is None and other.phase_item_id is None


def test_planner_timer_json_is_not_cached(planner, forum):
    phases.start(forum, phase(forum, "warmup"))
    response = planner.get(f"/planner/forums/{forum.slug}/phase")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["phase"] == "warmup" and 14 * 60 < response.json["remaining"] <= 15 * 60


# --- moderators ----------------------------------------------------------------------------


def _group(forum, name) -> Group:
    return next(group for group in forum.groups if group.name == name)


def test_moderator_extends_the_own_group(client, forum):
    phases.start(forum, phase(forum, "swot"))
    red = _group(forum, "Rot")
    sign_in(client, "heyde")
    token = csrf_of(client.get(f"/moderation/groups/{red.id}").text)
    response = client.post(f"/moderation/groups/{red.id}/extend", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith(
        f"/moderation/groups/{red.id}"
    )
    assert red.extra_minutes == 5
    timer = client.get(f"/moderation/groups/{red.id}/timer")
    assert timer.headers["Cache-Control"] == "no-store"
    assert 34 * 60 < timer.json["remaining"] <= 35 * 60


def test_moderator_cannot_extend_another_group(client, forum):
    phases.start(forum, phase(forum, "swot"))
    orange = _group(forum, "Orange")
    sign_in(client, "heyde")
    token = csrf_of(client.get("/moderation/").text)
    response = client.post(f"/moderation/groups/{orange.id}/extend", data={"csrf_token": token})
    assert response.status_code == 403 and orange.extra_minutes == 0
    assert client.get(f"/moderation/groups/{orange.id}/timer").status_code == 403


def test_planner_may_extend_any_group(planner, forum):
    phases.start(forum, phase(forum, "swot"))
    orange = _group(forum, "Orange")
    token = csrf_of(planner.get(f"/planner/forums/{forum.slug}").text)
    planner.post(f"/moderation/groups/{orange.id}/extend", data={"csrf_token": token})
    assert orange.extra_minutes == 5
    assert "Gruppe Orange +5" in planner.get(f"/planner/forums/{forum.slug}").text


def test_extend_needs_the_csrf_token_and_a_signed_in_account(client, planner, forum):
    phases.start(forum, phase(forum, "swot"))
    orange = _group(forum, "Orange")
    assert planner.post(f"/moderation/groups/{orange.id}/extend").status_code == 400
    assert orange.extra_minutes == 0


def test_extend_without_a_running_phase_says_so(planner, forum):
    orange = _group(forum, "Orange")
    token = csrf_of(planner.get(f"/planner/forums/{forum.slug}").text)
    response = planner.post(
        f"/moderation/groups/{orange.id}/extend", data={"csrf_token": token}, follow_redirects=True
    )
    assert "keine Phase" in response.text and orange.extra_minutes == 0


def test_anonymous_cannot_read_a_group_timer(client, forum):
    response = client.get(f"/moderation/groups/{forum.groups[0].id}/timer")
    assert response.status_code == 302 and "/login" in response.location


# --- phones --------------------------------------------------------------------------------


def test_phone_timer_is_its_groups_state(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    assert phone.get(f"/j/{forum.join_code}/timer").json["running"] is False
    phases.start(forum, phase(forum, "swot"))
    phases.extend(participant.group)
    response = phone.get(f"/j/{forum.join_code}/timer")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["phase"] == "swot" and 34 * 60 < response.json["remaining"] <= 35 * 60


def test_phone_timer_needs_a_joined_phone(client, forum):
    response = client.get(f"/j/{forum.join_code}/timer")
    assert response.status_code == 302 and "/group" not in response.location


def test_board_shows_the_timer_only_while_a_phase_runs(forum, join_as_participant):
    phone, _ = join_as_participant(forum)
    page = phone.get(f"/j/{forum.join_code}/board").text
    assert 'role="timer"' in page and "hidden>" in page.split('role="timer"')[1].split("</div>")[0]
    phases.start(forum, phase(forum, "swot"))
    page = phone.get(f"/j/{forum.join_code}/board").text
    assert "4-Feldermatrix</span>" in page and ("30:00" in page or "29:59" in page)
    assert "js/timer.js" in page


def test_board_refuses_cards_outside_the_card_phases_keeping_the_text(forum, join_as_participant):
    phone, _ = join_as_participant(forum)
    phases.start(forum, phase(forum, "goals"))
    page = phone.get(f"/j/{forum.join_code}/board").text
    _, data = form(page, "/cards", text="Viele engagierte Ehrenamtliche")
    response = phone.post(f"/j/{forum.join_code}/cards", data=data)
    assert response.status_code == 409
    assert "die 4-Feldermatrix ist nicht die aktuelle Phase" in response.text
    assert "Viele engagierte Ehrenamtliche</textarea>" in response.text
    assert db.session.execute(db.select(Card)).first() is None

    phases.start(forum, phase(forum, "swot"))
    assert phone.post(f"/j/{forum.join_code}/cards", data=data).status_code == 302
    assert db.session.execute(db.select(Card)).scalar_one().text == "Viele engagierte Ehrenamtliche"


def test_a_retry_of_a_stored_card_passes_after_the_phase_changed(forum, join_as_participant):
    phone, _ = join_as_participant(forum)
    phases.start(forum, phase(forum, "swot"))
    _, data = form(phone.get(f"/j/{forum.join_code}/board").text, "/cards", text="Gute Netzwerke")
    assert phone.post(f"/j/{forum.join_code}/cards", data=data).status_code == 302
    phases.advance(forum)
    assert phone.post(f"/j/{forum.join_code}/cards", data=data).status_code == 302
    assert len(db.session.execute(db.select(Card)).all()) == 1


def test_state_ends_at_is_utc(forum):
    phases.start(forum, phase(forum, "owners"), now=NOON)
    ends = datetime.fromisoformat(phases.state(forum, now=NOON)["ends_at"])
    assert ends == NOON.replace(tzinfo=UTC) + timedelta(minutes=10)


def test_dot_buttons_come_live_with_the_voting_phase(forum, join_as_participant):
    phone, person = join_as_participant(forum)
    moderation_measure = moderation.add_measure(
        person.group_id, "", "Sprachcafé", "live-vote-key-0000000"
    )
    phases.start(forum, phase(forum, "swot"), now=NOON)
    url = f"/j/{forum.join_code}/measures/live"
    first = phone.get(url)
    assert f"/measures/{moderation_measure.id}/vote" not in first.json["regions"]["measure-items"]
    phases.start(forum, phase(forum, "goals"), now=NOON)
    again = phone.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert f"/measures/{moderation_measure.id}/vote" in again.json["regions"]["measure-items"]
