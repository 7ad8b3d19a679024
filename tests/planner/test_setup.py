"""Planners set up processes and forums in the console; the console and the seed file agree."""

import re

import pytest

from forum.extensions import db
from forum.models import Forum, Process, User
from forum.services.seed_export import process_toml
from forum.services.seeding import load_seed, read_seed
from tests.forms import form


def forum_named(slug) -> Forum:
    return db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()


def test_planner_creates_a_process_with_leitziele(planner):
    page = planner.get("/planner/processes/new")
    _, data = form(page.text, "", title="Fachplan Wohnen 2026", slug="fachplan-wohnen")
    data["guiding_goals-0"] = "Wohnraum für alle"
    response = planner.post("/planner/processes/new", data=data)
    assert response.status_code == 302
    process = db.session.execute(db.select(Process)).scalar_one()
    assert (process.title, [g.text for g in process.guiding_goals]) == (
        "Fachplan Wohnen 2026",
        ["Wohnraum für alle"],
    )


def test_process_without_leitziel_is_refused_with_a_message(planner):
    page = planner.get("/planner/processes/new")
    _, data = form(page.text, "", title="Ohne Ziele", slug="ohne-ziele")
    response = planner.post("/planner/processes/new", data=data)
    assert response.status_code == 422
    assert "Leitziele: braucht mindestens einen Eintrag" in response.text
    assert "guiding_goals:" not in response.text
    assert 'value="Ohne Ziele"' in response.text


DRESDEN = "seed/dresden-fachplan-asyl-integration.toml"


def horizon_fields(html: str) -> dict[str, str]:
    """Map the horizon years' input ids to their whole tags."""
    return {key: tag for tag, key in re.findall(r'(<input[^>]*id="(horizons-[a-z]+)"[^>]*>)', html)}


def test_the_process_form_shows_the_horizon_years_with_labels_and_hint(app, planner):
    from forum import ROOT

    process = load_seed(read_seed(ROOT / DRESDEN))
    page = planner.get(f"/planner/processes/{process.slug}/edit").text
    labels = re.findall(r'<label for="(horizons-[a-z]+)">([^<]*)</label>', page)
    assert labels == [
        ("horizons-short", "Jahre für kurzfristig"),
        ("horizons-medium", "Jahre für mittelfristig"),
        ("horizons-long", "Jahre für langfristig"),
    ]
    all_labels = re.findall(r"<label[^>]*>([^<]*)</label>", page)
    assert len(all_labels) == len(set(all_labels))  # each label names one field
    fields = horizon_fields(page)
    assert 'value="bis 2026"' in fields["horizons-short"]
    assert 'value="2027–2028"' in fields["horizons-medium"]
    assert 'value="2029–2030"' in fields["horizons-long"]
    assert all('aria-describedby="horizons-hint"' in tag for tag in fields.values())
    assert 'id="horizons-hint"' in page and "neben dem Horizont" in page
    new = planner.get("/planner/processes/new").text
    assert 'placeholder="bis 2026"' in horizon_fields(new)["horizons-short"]
    assert 'value=""' in horizon_fields(new)["horizons-short"]


def test_the_process_form_saves_the_horizon_years(app, planner):
    from forum import ROOT

    process = load_seed(read_seed(ROOT / DRESDEN))
    url = f"/planner/processes/{process.slug}/edit"
    _, data = form(planner.get(url).text, "")
    data.update({"horizons-short": "  2025–2026 ", "horizons-long": ""})
    response = planner.post(url, data=data)
    assert response.status_code == 302, response.text
    db.session.expire_all()
    process = db.session.execute(db.select(Process)).scalar_one()
    assert process.horizon_years == {"short": "2025–2026", "medium": "2027–2028", "long": ""}
    page = planner.get(url).text
    assert 'value="2025–2026"' in horizon_fields(page)["horizons-short"]
    # The seed file the console writes says the same.
    assert '[process.horizons]\nshort = "2025–2026"\nmedium = "2027–2028"\nlong = ""\n' in (
        process_toml(process)
    )


def test_a_new_process_can_be_given_horizon_years(planner):
    page = planner.get("/planner/processes/new")
    _, data = form(page.text, "", title="Fachplan Wohnen 2026", slug="fachplan-wohnen")
    data.update({"guiding_goals-0": "Wohnraum für alle", "horizons-medium": "2027"})
    assert planner.post("/planner/processes/new", data=data).status_code == 302
    process = db.session.execute(db.select(Process)).scalar_one()
    assert process.horizon_years == {"short": "", "medium": "2027", "long": ""}


def test_too_long_horizon_years_are_refused_and_the_input_kept(app, planner):
    from forum import ROOT

    process = load_seed(read_seed(ROOT / DRESDEN))
    url = f"/planner/processes/{process.slug}/edit"
    _, data = form(planner.get(url).text, "", **{"horizons-long": "2029" * 16})
    response = planner.post(url, data=data)
    assert response.status_code == 422
    tag = horizon_fields(response.text)["horizons-long"]
    assert 'value="' + "2029" * 16 + '"' in tag and 'aria-invalid="true"' in tag
    assert 'aria-describedby="horizons-hint horizons-long-error"' in tag and "autofocus" in tag
    db.session.expire_all()
    assert db.session.execute(db.select(Process)).scalar_one().horizon_long_years == "2029–2030"


def test_planner_edits_rooms_groups_and_agenda(planner, make_forum):
    forum = make_forum()
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "")
    # Rename a room, add a group in a new room with a capacity, add an agenda item with a phase.
    data.update({"room-3-name": "Saal 1", "room-3-capacity": "40"})
    data.update(
        {
            "group-4-name": "Gelb",
            "group-4-colour": "#f2c200",
            "group-4-room": "Saal 1",
            "group-4-moderator": "heyde",
        }
    )
    data.update(
        {
            "agenda-0-title": "Arbeitsphase",
            "agenda-1-title": "Matrix",
            "agenda-1-level": "phase",
            "agenda-1-key": "swot",
            "agenda-1-minutes": "30",
        }
    )
    response = planner.post(url, data=data)
    assert response.status_code == 302, response.text
    db.session.expire_all()
    forum = forum_named(forum.slug)
    assert [g.name for g in forum.groups][-1] == "Gelb"
    gelb = forum.groups[-1]
    assert (gelb.room.name, gelb.room.capacity, gelb.moderator.username) == ("Saal 1", 40, "heyde")
    assert [(i.title, [(p.phase, p.minutes) for p in i.phases]) for i in forum.agenda] == [
        ("Arbeitsphase", [("swot", 30)])
    ]


def test_a_group_in_an_unknown_room_is_refused_and_the_form_keeps_the_input(planner, make_forum):
    forum = make_forum()
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "")
    data.update({"group-4-name": "Gelb", "group-4-colour": "#f2c200", "group-4-room": "Keller"})
    response = planner.post(url, data=data)
    assert response.status_code == 422
    assert "Raum „Keller“ ist nicht unter den Räumen" in response.text
    assert 'value="Gelb"' in response.text
    assert len(forum_named(forum.slug).groups) == 4


def test_a_group_with_participants_cannot_be_removed(planner, make_forum, join_as_participant):
    forum = make_forum()
    _, participant = join_as_participant(forum)
    url = f"/planner/forums/{forum.slug}/edit"
    page = planner.get(url).text
    _, data = form(page, "")
    index = [g.name for g in forum.groups].index(participant.group.name)
    data[f"group-{index}-name"] = ""
    response = planner.post(url, data=data)
    assert response.status_code == 422
    assert "hat schon Teilnehmende oder Ergebnisse" in response.text
    assert len(forum_named(forum.slug).groups) == 4


def test_a_new_forum_can_be_added_to_a_process(planner, make_forum):
    process_slug = make_forum().process.slug
    url = f"/planner/processes/{process_slug}/forums/new"
    page = planner.get(url).text
    assert (
        "Welche Ressourcen/Netzwerke und positiven Aspekte gibt es?" in page
    )  # the standard questions
    _, data = form(
        page,
        "",
        title="Spracherwerb",
        slug="themenforum-4",
        number="4",
        date="2025-03-20",
        venue="Sozialamt Dresden",
    )
    assert planner.post(url, data=data).status_code == 302
    new = forum_named("themenforum-4")
    assert (new.title, str(new.date), new.venue) == (
        "Spracherwerb",
        "2025-03-20",
        "Sozialamt Dresden",
    )


@pytest.mark.parametrize("path", ["seed/dresden-fachplan-asyl-integration.toml"])
def test_what_the_console_shows_a_seed_file_says_and_back(app, planner, tmp_path, path):
    from forum import ROOT

    load_seed(read_seed(ROOT / path))
    process = db.session.execute(db.select(Process)).scalar_one()
    # Saving the console form unchanged changes nothing in the exported seed file.
    before = process_toml(process)
    for forum in process.forums:
        url = f"/planner/forums/{forum.slug}/edit"
        _, data = form(planner.get(url).text, "")
        assert planner.post(url, data=data).status_code == 302, forum.slug
    db.session.expire_all()
    assert process_toml(db.session.execute(db.select(Process)).scalar_one()) == before
    # And the exported file loads into an empty database as the same process.
    exported = tmp_path / "export.toml"
    exported.write_text(before, encoding="utf-8")
    spec = read_seed(exported)
    assert [f.slug for f in spec.forum] == [f.slug for f in process.forums]
    assert spec.forum[0].agenda[3].phases[1].minutes == 30


def test_moderator_accounts_appear_in_the_group_form(planner, make_forum):
    forum = make_forum()
    assert db.session.execute(db.select(User).filter_by(username="bidell")).scalar_one()
    page = planner.get(f"/planner/forums/{forum.slug}/edit").text
    assert 'value="bidell" selected' in page or 'selected value="bidell"' in page
