"""The Auswertungsveranstaltung: phones see the adopted measures by Leitziel and place the
event's dots; those dots are the event's priority, apart from the forums' dots."""

import re

import pytest

from forum.extensions import db
from forum.models import Forum, Measure, Participant, Vote
from forum.services import event, moderation, voting
from forum.services.report import plan_measures
from tests.forms import form, forms


@pytest.fixture
def forums(make_forum):
    """Two Themenforen and the evaluation event of one process (event: 2 dots, 1 per measure)."""
    first = make_forum()
    second = make_forum(number=2, title="Arbeitsmarkt")
    evaluation = make_forum(
        kind="evaluation", number=None, title="Auswertungsveranstaltung", dots_per_participant=2
    )
    return first, second, evaluation


def measure(forum: Forum, title: str, *, goal: int | None, decision="adopt", group=0) -> Measure:
    made = moderation.add_measure(forum.groups[group].id, "", title, f"key-{title}")
    made.decision = decision
    made.guiding_goal = forum.process.guiding_goals[goal - 1] if goal else None
    db.session.commit()
    return made


def board(forum) -> str:
    return f"/j/{forum.join_code}/auswertung"


def titles(html: str) -> list[str]:
    return re.findall(r'class="plan-number"[^>]*>([^<]+)</span> <span[^>]*>([^<]+)</span>', html)


def votes(**where) -> int:
    return db.session.execute(db.select(db.func.count(Vote.id)).filter_by(**where)).scalar()


def vote_form(html, made):
    return form(html, f"/auswertung/{made.id}/vote")


def test_event_board_lists_adopted_measures_by_leitziel_with_plan_numbers(
    forums, join_as_participant
):
    first, second, evaluation = forums
    sprach = measure(first, "Sprachcafés ausbauen", goal=2)
    lotsen = measure(second, "Lotsen in Betriebe", goal=1, group=2)
    offen = measure(first, "Noch nicht entschieden", goal=1, decision="open")
    measure(second, "Zurückgestellt", goal=1, decision="defer")
    ohne = measure(second, "Ohne Leitziel übernommen", goal=None)
    merged = measure(second, "Sprachcafés in jedem Stadtteil", goal=None)
    merged.merged_into_id = sprach.id  # a duplicate: shows once, as the kept measure
    hidden = measure(first, "Versteckt", goal=1)
    hidden.hidden = True
    db.session.commit()
    phone, _ = join_as_participant(evaluation)
    page = phone.get(board(evaluation))
    assert page.status_code == 200
    numbers = {
        row.key: row.number for row in plan_measures(first.process, list(first.process.forums))
    }
    assert titles(page.text) == [
        (numbers[lotsen.id], "Lotsen in Betriebe"),
        (numbers[sprach.id], "Sprachcafés ausbauen"),
        (numbers[ohne.id], "Ohne Leitziel übernommen"),
    ]
    # The plan's numbers, which count the open and deferred measures too.
    assert numbers[lotsen.id] == "M 1.3" and numbers[sprach.id] == "M 2.1"
    text = page.text
    assert text.index('id="goal-1"') < text.index("Lotsen") < text.index('id="goal-2"')
    assert text.index("Sprachcafés ausbauen") < text.index('id="goal-0"')
    assert "Noch ohne Leitziel" in text
    assert "Leitziel zwei" in text  # the Leitziel's own text
    assert "Noch nicht entschieden" not in text and "Zurückgestellt" not in text
    assert offen.id not in [
        s.id for sec in event.adopted_by_goal(first.process, evaluation) for s in sec.measures
    ]
    # The event's board is the phone's board; the group page leads there.
    assert phone.get(f"/j/{evaluation.join_code}/board").location.endswith(board(evaluation))
    assert board(evaluation) in phone.get(f"/j/{evaluation.join_code}/group").text


def test_event_board_says_when_nothing_is_adopted(forums, join_as_participant):
    first, _, evaluation = forums
    measure(first, "Offen", goal=1, decision="open")
    phone, _ = join_as_participant(evaluation)
    assert "noch keine Maßnahmen übernommen" in phone.get(board(evaluation)).text


def test_a_forum_phone_is_not_sent_to_the_event_board(forums, join_as_participant):
    first, _, _ = forums
    phone, _ = join_as_participant(first)
    assert phone.get(board(first)).location.endswith(f"/j/{first.join_code}/board")
    assert phone.get(f"/j/{first.join_code}/board").status_code == 200


def test_event_dots_keep_the_event_forums_limits(forums, join_as_participant):
    first, second, evaluation = forums
    a, b, c = (measure(first, t, goal=1) for t in ("Erste", "Zweite", "Dritte"))
    phone, participant = join_as_participant(evaluation)
    page = phone.get(board(evaluation)).text
    assert "Ihre Punkte: noch 2" in page
    action, data = vote_form(page, a)
    phone.post(action, data=data)
    phone.post(action, data=data)  # double tap: one dot
    assert votes(participant_id=participant.id) == 1
    # One per measure: the button is gone, and a forged second dot is refused.
    page = phone.get(board(evaluation)).text
    assert not [f for f in forms(page) if f"/auswertung/{a.id}/vote" in f["action"]]
    _, data = vote_form(phone.get(board(evaluation)).text, b)
    refused = phone.post(
        f"/j/{evaluation.join_code}/auswertung/{a.id}/vote", data=data, follow_redirects=True
    )
    assert "schon die höchste Zahl an Punkten" in refused.text
    assert votes(participant_id=participant.id) == 1
    action, data = vote_form(phone.get(board(evaluation)).text, b)
    phone.post(action, data=data)
    page = phone.get(board(evaluation)).text
    assert "Ihre Punkte: noch 0" in page and votes(participant_id=participant.id) == 2
    assert not [f for f in forms(page) if "/vote" in f["action"]]
    # Taking one back frees it for another measure.
    action, data = form(page, f"/auswertung/{a.id}/unvote")
    phone.post(action, data=data)
    action, data = vote_form(phone.get(board(evaluation)).text, c)
    phone.post(action, data=data)
    placed = db.session.execute(
        db.select(Vote.measure_id).filter_by(participant_id=participant.id)
    ).scalars()
    assert sorted(placed) == sorted([b.id, c.id])


def test_event_phones_vote_only_on_adopted_measures_of_their_process(
    forums, join_as_participant, make_forum
):
    first, _, evaluation = forums
    open_one = measure(first, "Offen", goal=1, decision="open")
    adopted = measure(first, "Übernommen", goal=1)
    _, participant = join_as_participant(evaluation)
    with pytest.raises(voting.VoteRefused):
        voting.vote(participant, open_one, "k-open-measure-12345")
    hidden = measure(first, "Versteckt", goal=1)
    hidden.hidden = True
    db.session.commit()
    with pytest.raises(voting.VoteRefused):
        voting.vote(participant, hidden, "k-hidden-measure-1234")
    # Another process's adopted measure is not this event's.
    other = make_forum(slug="anderer-prozess")
    other.process = _other_process()
    db.session.commit()
    foreign = measure(other, "Fremd", goal=None)
    with pytest.raises(voting.VoteRefused):
        voting.vote(participant, foreign, "k-foreign-measure-123")
    voting.vote(participant, adopted, "k-adopted-measure-123")
    assert votes(participant_id=participant.id) == 1


def _other_process():
    from forum.models import Process

    process = Process(slug="anderer", title="Anderer Prozess")
    db.session.add(process)
    db.session.flush()
    return process


def test_forum_phones_still_vote_only_in_their_group(forums, join_as_participant):
    first, _, _ = forums
    phone, participant = join_as_participant(first)
    elsewhere = next(g for g in first.groups if g.id != participant.group_id)
    other = moderation.add_measure(elsewhere.id, "", "Andere Gruppe", "key-andere-gruppe")
    other.decision = "adopt"
    db.session.commit()
    with pytest.raises(voting.VoteRefused):
        voting.vote(participant, other, "k-other-group-123456")
    # And an event's route does not take a forum phone's dot.
    assert phone.post(f"/j/{first.join_code}/auswertung/{other.id}/vote").status_code in (400, 404)
    assert votes() == 0


def test_event_dots_are_the_events_priority_not_the_forums(forums, join_as_participant):
    first, _, evaluation = forums
    adopted = measure(first, "Übernommen", goal=1)
    group = first.groups[0]
    # One dot in the forum from a phone of the group, one on paper.
    _, member = join_as_participant(first)
    member.group_id = group.id
    db.session.commit()
    voting.vote(member, adopted, "k-forum-dot-12345678")
    db.session.add(Vote(measure_id=adopted.id, participant_id=None, client_key="paper-1"))
    db.session.commit()
    for n in range(3):
        _, guest = join_as_participant(evaluation)
        voting.vote(guest, adopted, f"k-event-dot-{n}-123456")
    [row] = plan_measures(first.process, list(first.process.forums))
    assert row.votes == 2 and row.event_votes == 3
    participants = db.session.execute(
        db.select(db.func.count(Participant.id)).filter_by(group_id=group.id)
    ).scalar()
    assert row.priority == 2 / participants  # the event's dots are not the group's
    # The group's own list (phones and projector of the forum) counts its forum's dots only.
    assert [(m.id, dots) for m, dots in voting.ranking(group.id)] == [(adopted.id, 2)]
    assert event.event_dots(evaluation) == {adopted.id: 3}


def test_event_projector_ranks_per_leitziel_and_updates(forums, join_as_participant, planner):
    first, second, evaluation = forums
    low = measure(first, "Wenig Punkte", goal=1)
    high = measure(second, "Viele Punkte", goal=1)
    other = measure(first, "Im zweiten Leitziel", goal=2)
    url = f"/moderation/forums/{evaluation.id}/auswertung"
    page = planner.get(url)
    assert page.status_code == 200
    assert page.text.index("Wenig Punkte") < page.text.index("Viele Punkte")  # plan order, 0 dots
    live = planner.get(url + "/live")
    etag = live.headers["ETag"]
    assert planner.get(url + "/live", headers={"If-None-Match": etag}).status_code == 304
    for n in range(2):
        _, guest = join_as_participant(evaluation)
        voting.vote(guest, high, f"k-projector-{n}-1234567")
    changed = planner.get(url + "/live", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    ranking = changed.json["regions"]["event-ranking"]
    assert (
        ranking.index("Viele Punkte")
        < ranking.index("Wenig Punkte")
        < ranking.index("Im zweiten Leitziel")
    )
    assert re.search(rf'id="event-measure-{other.id}">\s*<td class="rank">1\.</td>', ranking)
    assert low.id and "Die Planung hat noch keine Themen" in changed.json["regions"]["event-themes"]


def test_event_projector_shows_the_marked_themes_only(forums, planner):
    first, _, evaluation = forums
    from forum.models import Card, Theme, ThemeCard

    def card(group, text):
        made = Card(group_id=group.id, quadrant="strength", text=text)
        db.session.add(made)
        return made

    marked = Theme(
        process_id=first.process_id, quadrant="strength", title="Starke Vereine", for_plan=True
    )
    unmarked = Theme(process_id=first.process_id, quadrant="strength", title="Nicht gewählt")
    db.session.add_all([marked, unmarked])
    cards = [
        card(first.groups[0], "Vereine"),
        card(first.groups[1], "Vereine stark"),
        card(first.groups[2], "Anderes"),
        card(first.groups[3], "Anderes auch"),
    ]
    db.session.flush()
    db.session.add_all(
        [
            ThemeCard(card_id=cards[0].id, theme_id=marked.id),
            ThemeCard(card_id=cards[1].id, theme_id=marked.id),
            ThemeCard(card_id=cards[2].id, theme_id=unmarked.id),
            ThemeCard(card_id=cards[3].id, theme_id=unmarked.id),
        ]
    )
    db.session.commit()
    text = planner.get(f"/moderation/forums/{evaluation.id}/auswertung").text
    assert "Starke Vereine" in text and "2 Gruppen, 1 Forum" in text
    assert "Nicht gewählt" not in text


def test_event_projector_is_for_the_events_staff(forums, moderator_of, planner):
    first, _, evaluation = forums
    assert planner.get(f"/moderation/forums/{first.id}/auswertung").status_code == 404
    first.groups[0].moderator = None  # the seed's moderators lead groups in every forum
    db.session.commit()
    assert (
        moderator_of(first.groups[0])
        .get(f"/moderation/forums/{evaluation.id}/auswertung")
        .status_code
        == 403
    )
    own = moderator_of(evaluation.groups[0])
    assert own.get(f"/moderation/forums/{evaluation.id}/auswertung").status_code == 200
    assert f"/moderation/forums/{evaluation.id}/auswertung" in own.get("/moderation/").text


def test_event_phones_post_no_swot_cards(forums, join_as_participant):
    """The event's cards would join the process's consolidated SWOT: the app refuses them, for
    the outbox's JSON as for a plain form."""
    first, _, evaluation = forums
    from forum.models import Card
    from tests.conftest import csrf_of

    phone, _ = join_as_participant(evaluation)
    token = csrf_of(phone.get(board(evaluation)).text)
    data = {"csrf_token": token, "quadrant": "strength", "text": "Karte", "client_key": "k" * 22}
    url = f"/j/{evaluation.join_code}/cards"
    assert phone.post(url, data=data, headers={"Accept": "application/json"}).status_code == 404
    assert phone.post(url, data={**data, "client_key": "m" * 22}).status_code == 404
    assert db.session.execute(db.select(db.func.count(Card.id))).scalar() == 0
    # A forum's phone still posts its card.
    forum_phone, _ = join_as_participant(first)
    token = csrf_of(forum_phone.get(f"/j/{first.join_code}/board").text)
    answer = forum_phone.post(
        f"/j/{first.join_code}/cards",
        data={**data, "csrf_token": token, "client_key": "n" * 22},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200 and answer.json["ok"]


def test_the_events_dots_reach_the_plan_chapter(forums, join_as_participant):
    from forum.services.docx_export import build_docx
    from forum.services.report import process_report
    from tests.docx_reading import field_values, headings, open_docx

    first, _, evaluation = forums
    lotsen = measure(first, "Lotsen in Betriebe", goal=1)
    phone, _ = join_as_participant(evaluation)
    action, data = vote_form(phone.get(board(evaluation)).text, lotsen)
    assert phone.post(action, data=data).status_code == 302
    doc = open_docx(build_docx(process_report(first.process)))
    heading = next(h for h in headings(doc, 2) if h.endswith("Lotsen in Betriebe"))
    fields = field_values(doc, heading)
    assert fields["Auswertungsveranstaltung"].startswith("1 Punkt, Rang 1")
    assert fields["Entscheidung"] == "übernommen"
    assert fields["Priorität"].startswith("0 Punkte")  # the event's dot is no forum dot
