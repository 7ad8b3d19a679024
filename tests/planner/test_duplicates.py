"""Likely duplicate measures across groups are flagged; merging keeps origins and votes."""

from forum.extensions import db
from forum.models import Measure, Vote
from forum.services import duplicates
from forum.services.report import process_report
from tests.conftest import csrf_of
from tests.forms import form


def add(group, title, votes=0) -> Measure:
    measure = Measure(group_id=group.id, title=title, votes=[Vote() for _ in range(votes)])
    db.session.add(measure)
    db.session.commit()
    return measure


def test_rephrased_measures_of_different_groups_and_forums_are_flagged(make_forum):
    first, second = make_forum(), make_forum()
    a = add(first.groups[0], "Stadtteilbündnisse dauerhaft finanzieren")
    b = add(second.groups[2], "Dauerhafte Finanzierung der Stadtteilbündnisse sichern")
    add(first.groups[1], "Fortbildung für Ehrenamtliche zu Asylrecht")
    add(first.groups[2], "Fortbildung für Hauptamtliche zu Datenschutz")
    add(first.groups[3], "Sprachcafés in Prohlis ausbauen")
    pairs = duplicates.likely_duplicates(duplicates.candidates([first, second]))
    assert [(p.first.id, p.second.id) for p in pairs] == [(a.id, b.id)]


def test_the_same_group_repeating_itself_is_not_a_cross_group_duplicate(make_forum):
    forum = make_forum()
    add(forum.groups[0], "Sprachcafés ausbauen")
    add(forum.groups[0], "Sprachcafés ausbauen")
    assert duplicates.likely_duplicates(duplicates.candidates([forum])) == []


def test_planner_merges_a_pair_and_the_export_keeps_one_with_summed_votes(planner, make_forum):
    forum = make_forum()
    keep = add(forum.groups[0], "Ansprechpartner-Übersicht je Stadtbezirk online stellen", votes=3)
    other = add(
        forum.groups[3], "Übersicht der Ansprechpartner je Stadtbezirk online stellen", votes=2
    )
    url = f"/planner/processes/{forum.process.slug}/duplicates"
    page = planner.get(url).text
    assert "Ähnlichkeit" in page and keep.title in page and other.title in page
    action, data = form(page, "/merge")
    assert planner.post(action, data=data).status_code == 302
    db.session.refresh(other)
    assert other.merged_into_id == keep.id
    assert [g.name for g in duplicates.origins(keep)] == [
        forum.groups[0].name,
        forum.groups[3].name,
    ]
    rows = process_report(forum.process, forum).measures
    assert [(r.title, r.votes, [o.group for o in r.origins]) for r in rows] == [
        (keep.title, 5, [forum.groups[0].name, forum.groups[3].name])
    ]
    page = planner.get(url).text
    assert "Bereits zusammengeführt" in page and "Keine ähnlichen Maßnahmen gefunden." in page
    action, data = form(page, "/split")
    planner.post(action, data=data)
    db.session.refresh(other)
    assert other.merged_into_id is None


def test_measures_of_another_process_cannot_be_merged(planner, make_forum):
    from forum.services.seed_schema import SeedFile
    from forum.services.seeding import load_seed
    from tests.conftest import forum_spec

    forum = make_forum()
    spec = forum_spec()
    spec["process"]["slug"] = "anderer-prozess"
    load_seed(SeedFile.model_validate(spec))
    from forum.models import Forum

    stranger_forum = db.session.execute(
        db.select(Forum).filter_by(slug=spec["forum"][0]["slug"])
    ).scalar_one()
    keep = add(forum.groups[0], "Sprachcafés ausbauen")
    stranger = add(stranger_forum.groups[1], "Sprachcafés ausbauen")
    page = planner.get(f"/planner/processes/{forum.process.slug}/duplicates").text
    token = csrf_of(page)
    response = planner.post(
        f"/planner/processes/{forum.process.slug}/duplicates/merge",
        data={"csrf_token": token, "keep": keep.id, "other": stranger.id},
    )
    assert response.status_code == 404
    db.session.refresh(stranger)
    assert stranger.merged_into_id is None


def test_merge_form_shows_where_the_two_proposals_differ(planner, make_forum):
    forum = make_forum()
    add(
        forum.groups[0], "Ansprechpartner-Übersicht je Stadtbezirk online stellen"
    ).owner = "Sozialamt"
    other = add(forum.groups[1], "Übersicht der Ansprechpartner je Stadtbezirk online stellen")
    other.owner, other.indicator = "Jobcenter", "10 Stadtbezirke bis 2026"
    db.session.commit()
    page = planner.get(f"/planner/processes/{forum.process.slug}/duplicates").text
    assert "Jobcenter" in page and "10 Stadtbezirke bis 2026" in page
    assert page.count("(weicht ab)") == 4  # owner and indicator, seen from either side
