"""Phones propose measures and place their dots within the forum's limits."""

import pytest

from forum.extensions import db
from forum.models import Measure, Vote
from forum.services import moderation
from tests.forms import form


@pytest.fixture
def forum(make_forum):
    return make_forum()


def page_url(forum):
    return f"/j/{forum.join_code}/measures"


def measure_in(group, title) -> Measure:
    return moderation.add_measure(group.id, "", title, f"key-{title}-{group.id}")


def votes() -> int:
    return db.session.execute(db.select(db.func.count(Vote.id))).scalar()


def vote_form(html, measure):
    return form(html, f"/measures/{measure.id}/vote")


def test_phone_proposes_a_measure_once_and_sees_it(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    page = phone.get(page_url(forum)).text
    _, data = form(page, "", goal="Ehrenamt sichtbar machen", title="Ehrenamtsnachweis der Stadt")
    assert phone.post(page_url(forum), data=data).status_code == 302
    assert phone.post(page_url(forum), data=data).status_code == 302  # retried request
    [measure] = db.session.execute(db.select(Measure)).scalars().all()
    assert (measure.group_id, measure.participant_id) == (participant.group_id, participant.id)
    assert "Ehrenamtsnachweis der Stadt" in phone.get(page_url(forum)).text


def test_empty_proposal_keeps_the_goal_and_says_why(forum, join_as_participant):
    phone, _ = join_as_participant(forum)
    _, data = form(phone.get(page_url(forum)).text, "", goal="Mein Ziel", title=" ")
    response = phone.post(page_url(forum), data=data)
    assert response.status_code == 422
    assert "Bitte beschreiben Sie die Maßnahme." in response.text and "Mein Ziel" in response.text


def test_dots_are_limited_per_participant_and_per_measure(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    group = participant.group
    first, second, third, fourth = (measure_in(group, f"Maßnahme {n}") for n in range(1, 5))
    page = phone.get(page_url(forum)).text
    assert "Ihre Punkte: noch 3" in page
    action, data = vote_form(page, first)
    phone.post(action, data=data)
    phone.post(action, data=data)  # double tap: one dot
    assert votes() == 1
    action, data = vote_form(phone.get(page_url(forum)).text, first)
    refused = phone.post(action, data=data, follow_redirects=True)
    assert "schon die höchste Zahl an Punkten" in refused.text and votes() == 1
    # The refusal stands beside the measure the phone acted on, not at the top of the page.
    beside = refused.text.index(f'id="m-{first.id}"')
    assert beside < refused.text.index("schon die höchste Zahl") < refused.text.index("Maßnahme 2")
    status = refused.text[refused.text.index('id="status"') :]
    assert "schon die höchste Zahl" not in status[: status.index("</div>")]
    assert "Höchstens 1 Punkt pro Maßnahme." in refused.text
    for measure in (second, third):
        action, data = vote_form(phone.get(page_url(forum)).text, measure)
        phone.post(action, data=data)
    assert votes() == 3
    page = phone.get(page_url(forum)).text
    assert "Ihre Punkte: noch 0" in page
    assert page.count("Alle Ihre Punkte sind vergeben.") == 4  # beside each disabled button
    assert page.count(" disabled aria-describedby=") == 4


def test_a_dot_can_be_taken_back_and_placed_elsewhere(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    first, second = measure_in(participant.group, "Erste"), measure_in(participant.group, "Zweite")
    action, data = vote_form(phone.get(page_url(forum)).text, first)
    phone.post(action, data=data)
    action, data = form(phone.get(page_url(forum)).text, f"/measures/{first.id}/unvote")
    phone.post(action, data=data)
    assert votes() == 0
    action, data = vote_form(phone.get(page_url(forum)).text, second)
    phone.post(action, data=data)
    assert db.session.execute(db.select(Vote)).scalar_one().measure_id == second.id


def test_measures_of_other_groups_cannot_be_voted(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    other_group = next(g for g in forum.groups if g.id != participant.group_id)
    foreign = measure_in(other_group, "Fremde Maßnahme")
    mine = measure_in(participant.group, "Eigene Maßnahme")
    action, data = vote_form(phone.get(page_url(forum)).text, mine)
    response = phone.post(action.replace(f"/{mine.id}/", f"/{foreign.id}/"), data=data)
    assert response.status_code == 404 and votes() == 0
    assert "Fremde Maßnahme" not in phone.get(page_url(forum)).text


def test_ranking_orders_measures_by_dots(forum, join_as_participant):
    phones = [join_as_participant(forum, org_type="volunteer") for _ in range(5)]
    phone, participant = phones[0]
    mates = [p for p, person in phones if person.group_id == participant.group_id]
    measure_in(participant.group, "Wenig Punkte")  # created first, so only dots can lift the other
    high = measure_in(participant.group, "Viele Punkte")
    for mate in mates:
        action, data = vote_form(mate.get(page_url(forum)).text, high)
        mate.post(action, data=data)
    page = phone.get(page_url(forum)).text
    assert page.index("Viele Punkte") < page.index("Wenig Punkte")


def live(phone, forum, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return phone.get(f"/j/{forum.join_code}/measures/live", headers=headers)


def test_live_list_sends_only_the_measures_changed_since_the_phones_version(
    forum, join_as_participant
):
    phone, participant = join_as_participant(forum)
    second = measure_in(participant.group, "Zweite")
    etag = live(phone, forum).headers["ETag"]
    assert live(phone, forum, etag).status_code == 304
    third = measure_in(participant.group, "Dritte")
    changed = live(phone, forum, etag).json
    assert [entry["id"] for entry in changed["items"]] == [f"m-{third.id}"]
    assert changed["items"][0]["in"] == "measure-items"
    assert set(changed["regions"]) == {"dots-left"} and "timer" in changed
    # Hidden by the moderation: taken off the phone's list.
    etag = live(phone, forum).headers["ETag"]
    moderation.set_measure_hidden(second, True)
    assert f"m-{second.id}" in live(phone, forum, etag).json["remove"]


def test_live_list_is_sent_whole_when_the_phones_dots_run_out(forum, join_as_participant):
    phone, participant = join_as_participant(forum)
    measures = [measure_in(participant.group, f"Maßnahme {n}") for n in range(1, 4)]
    for measure in measures[:2]:
        action, data = vote_form(phone.get(page_url(forum)).text, measure)
        phone.post(action, data=data)
    etag = live(phone, forum).headers["ETag"]
    action, data = vote_form(phone.get(page_url(forum)).text, measures[2])
    phone.post(action, data=data)
    # Every button changes with the last dot: the whole list, each with the reason.
    changed = live(phone, forum, etag).json
    assert changed["regions"]["measure-items"].count("Alle Ihre Punkte sind vergeben.") == 3
    assert "items" not in changed
