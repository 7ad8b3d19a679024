"""A planner purges a forum's personal data: names and organisations go, the results stay."""

import io
import json
from types import SimpleNamespace

import docx
import pytest

from forum.cli import main
from forum.extensions import db
from forum.models import Card, Forum, Measure, Participant, Vote
from forum.services import cards, moderation, voting
from tests.conftest import csrf_of
from tests.forms import form

PEOPLE = [
    ("Erika Mustermann", "Stadtteilverein Pieschen", "volunteer"),
    ("Yusuf Demir", "Afropa e. V.", "migrant_org"),
    ("", "", "administration"),
]


@pytest.fixture
def workshop(make_forum, join_as_participant):
    """A forum after the event: three phones (two gave names), cards, a measure and dots."""
    forum = make_forum()
    phones = []
    for n, (name, organisation, org_type) in enumerate(PEOPLE):
        phone, person = join_as_participant(
            forum, org_type=org_type, name=name, organisation=organisation
        )
        cards.add_card(person, "strength", f"Ehrenamtsbörse im Stadtteil {n}", f"card-key-{n:014d}")
        phones.append(phone)
    person = db.session.execute(db.select(Participant).filter_by(name="Yusuf Demir")).scalar_one()
    measure = moderation.add_measure(
        person.group_id,
        "",
        "Sprachcafé in der Bibliothek",
        "measure-key-000000000",
        participant=person,
    )
    voting.vote(person, measure, "vote-key-0000000000000")
    return SimpleNamespace(forum=forum, phones=phones, measure=measure)


def results() -> tuple:
    """What the plan needs: cards, measures, dots and the organisation types of everyone."""
    count = lambda model: db.session.query(model).count()  # noqa: E731
    types = sorted(db.session.execute(db.select(Participant.org_type)).scalars())
    return count(Card), count(Measure), count(Vote), types


def purge_by_button(planner, forum) -> str:
    """Open the confirmation from the forum page, confirm, and return the forum page after."""
    page = planner.get(f"/planner/forums/{forum.slug}").text
    assert f'href="/planner/forums/{forum.slug}/purge"' in page
    confirm = planner.get(f"/planner/forums/{forum.slug}/purge")
    action, data = form(confirm.text, "/purge")
    response = planner.post(action, data=data, follow_redirects=True)
    assert response.status_code == 200
    return response.text


def test_confirmation_says_what_goes_and_what_stays(planner, workshop):
    page = planner.get(f"/planner/forums/{workshop.forum.slug}/purge").text
    assert "Was gelöscht wird" in page and "Namen und Organisationen" in page
    assert "Was bleibt" in page and "Punkte der Abstimmung" in page
    assert "Daten von 3 Teilnehmenden, davon 2 mit Name oder Organisation" in page
    # The forum is still open for joining: the planner is warned that phones lose their group.
    assert "läuft womöglich noch" in page
    # Looking is not deleting.
    assert db.session.query(Participant).filter(Participant.name.is_not(None)).count() == 2


def test_purge_removes_names_keeps_results_and_shows_the_date(planner, workshop):
    before = results()
    listing = planner.get(f"/planner/forums/{workshop.forum.slug}/participants").text
    assert "Erika Mustermann" in listing and "Afropa e. V." in listing

    page = purge_by_button(planner, workshop.forum)

    assert "Personenbezogene Daten von 3 Teilnehmenden gelöscht." in page
    assert "Personenbezogene Daten gelöscht am" in page
    people = db.session.execute(db.select(Participant)).scalars().all()
    assert [(p.name, p.organisation) for p in people] == [(None, None)] * 3
    assert results() == before
    listing = planner.get(f"/planner/forums/{workshop.forum.slug}/participants").text
    for name, organisation, _ in PEOPLE[:2]:
        assert name not in listing and organisation not in listing
    assert "Ehrenamt" in listing and "Migrant*innenorganisation" in listing
    forum = db.session.get(Forum, workshop.forum.id)
    assert forum.personal_data_purged_at is not None and not forum.is_open


def test_phones_lose_their_link_to_the_participant(planner, workshop):
    # We chose to cut it: a kept token would still tie a device to its cards and dots.
    phone = workshop.phones[0]
    board = f"/j/{workshop.forum.join_code}/board"
    assert "Ehrenamtsbörse im Stadtteil 0" in phone.get(board).text
    purge_by_button(planner, workshop.forum)
    response = phone.get(board, follow_redirects=True)
    # Joining is closed too, so the phone cannot come back as someone new.
    assert response.status_code == 404
    assert "Ehrenamtsbörse" not in response.text


def test_purging_twice_changes_nothing(planner, workshop):
    purge_by_button(planner, workshop.forum)
    first = db.session.get(Forum, workshop.forum.id).personal_data_purged_at
    hashes = sorted(db.session.execute(db.select(Participant.token_hash)).scalars())
    page = planner.post(
        f"/planner/forums/{workshop.forum.slug}/purge",
        data={"csrf_token": csrf_of(planner.get(f"/planner/forums/{workshop.forum.slug}").text)},
        follow_redirects=True,
    ).text
    assert "Es waren keine personenbezogenen Daten mehr gespeichert." in page
    db.session.expire_all()
    assert db.session.get(Forum, workshop.forum.id).personal_data_purged_at == first
    assert sorted(db.session.execute(db.select(Participant.token_hash)).scalars()) == hashes
    # Nothing left to delete: the forum page offers no purge button, the confirmation says so.
    assert (
        "Personenbezogene Daten löschen …"
        not in planner.get(f"/planner/forums/{workshop.forum.slug}").text
    )
    assert (
        "Es gibt nichts zu löschen."
        in planner.get(f"/planner/forums/{workshop.forum.slug}/purge").text
    )


def test_exports_still_work_after_the_purge_and_hold_no_names(planner, workshop):
    slug, process = workshop.forum.slug, workshop.forum.process.slug
    backup = planner.get(f"/planner/processes/{process}/sicherung.json").text
    assert "Erika Mustermann" in backup  # a backup holds everything until the purge
    purge_by_button(planner, workshop.forum)

    document = planner.get(f"/planner/forums/{slug}/ergebnisse.docx")
    karten = planner.get(f"/planner/forums/{slug}/karten.csv")
    massnahmen = planner.get(f"/planner/forums/{slug}/massnahmen.csv")
    backup = planner.get(f"/planner/processes/{process}/sicherung.json")
    assert {r.status_code for r in (document, karten, massnahmen, backup)} == {200}
    text = _docx_text(document.data)
    csv_text = karten.data.decode("utf-8-sig") + massnahmen.data.decode("utf-8-sig")
    assert "Sprachcafé in der Bibliothek" in text and "Sprachcafé in der Bibliothek" in csv_text
    assert "Ehrenamtsbörse im Stadtteil 0" in text and "Ehrenamtsbörse im Stadtteil 2" in csv_text
    people = json.loads(backup.text)["forums"][0]["participants"]
    assert sorted(p["org_type"] for p in people) == ["administration", "migrant_org", "volunteer"]
    assert {(p["name"], p["organisation"]) for p in people} == {(None, None)}
    for exported in (text, csv_text, backup.text):
        for name, organisation, _ in PEOPLE[:2]:
            assert name not in exported and organisation not in exported


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("method, anonymous_gets", [("get", 302), ("post", 400)])
def test_only_planners_may_purge(app, workshop, moderator_of, method, anonymous_gets):
    url = f"/planner/forums/{workshop.forum.slug}/purge"
    moderator = moderator_of(workshop.forum.groups[0])
    phone = workshop.phones[0]
    anonymous = app.test_client()
    console = moderator.get(f"/moderation/groups/{workshop.forum.groups[0].id}").text
    board = phone.get(f"/j/{workshop.forum.join_code}/board").text

    def send(client, page=""):
        # Each browser sends its own session's CSRF token, as its pages carry it.
        data = {"csrf_token": csrf_of(page)} if page else {}
        return getattr(client, method)(url, data=data)

    assert send(moderator, console).status_code == 403
    assert send(phone, board).status_code == 403
    # Sent to sign in; a POST without its own session's token is refused before that.
    assert send(anonymous).status_code == anonymous_gets
    assert db.session.query(Participant).filter(Participant.name.is_not(None)).count() == 2


def test_purge_without_csrf_token_is_refused(planner, workshop):
    response = planner.post(f"/planner/forums/{workshop.forum.slug}/purge", data={})
    assert response.status_code == 400
    assert db.session.query(Participant).filter(Participant.name.is_not(None)).count() == 2


def test_cli_purges_one_forum_and_names_unknown_ones(app, workshop, make_forum):
    other = make_forum()
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["purge-personal-data", "--forum", workshop.forum.slug])
    assert result.exit_code == 0, result.output
    assert f"{workshop.forum.slug}: personenbezogene Daten von 3 Teilnehmenden gelöscht" in (
        result.output
    )
    db.session.expire_all()
    assert db.session.query(Participant).filter(Participant.name.is_not(None)).count() == 0
    assert db.session.get(Forum, other.id).personal_data_purged_at is None
    unknown = runner.invoke(main, ["purge-personal-data", "--forum", "gibt-es-nicht"])
    assert unknown.exit_code == 2 and "gibt-es-nicht" in unknown.output
    neither = runner.invoke(main, ["purge-personal-data"])
    assert neither.exit_code == 2 and "--due" in neither.output


def test_planner_sets_the_automatic_purge_in_the_forum_form(planner, make_forum, app):
    forum = make_forum()
    url = f"/planner/forums/{forum.slug}/edit"
    page = planner.get(url).text
    assert "Namen und Organisationen automatisch löschen nach … Tagen" in page
    _, data = form(page, "")
    assert data["purge_after_days"] == "30"  # the default of a new forum
    for typed, stored in [("14", 14), ("", None)]:
        assert planner.post(url, data={**data, "purge_after_days": typed}).status_code == 302
        db.session.expire_all()
        assert db.session.get(Forum, forum.id).purge_after_days == stored
    refused = planner.post(url, data={**data, "purge_after_days": "0"})
    assert refused.status_code == 422 and 'id="purge_after_days-error"' in refused.text
    db.session.expire_all()
    assert db.session.get(Forum, forum.id).purge_after_days is None
    # An empty field means never, and the page says so.
    assert (
        "Keine automatische Löschung eingestellt."
        in planner.get(f"/planner/forums/{forum.slug}").text
    )


def test_a_new_forum_in_the_console_purges_after_30_days(planner, make_forum):
    process = make_forum().process.slug
    url = f"/planner/processes/{process}/forums/new"
    _, data = form(
        planner.get(url).text, "", title="Wohnen", slug="themenforum-3", date="2025-02-13"
    )
    assert planner.post(url, data=data).status_code == 302
    new = db.session.execute(db.select(Forum).filter_by(slug="themenforum-3")).scalar_one()
    assert new.purge_after_days == 30
    page = planner.get("/planner/forums/themenforum-3").text
    assert "Automatische Löschung 30 Tage nach dem Forum, also ab dem 16. März 2025." in page
