"""Setting a forum up in minutes: from a template, rows in place, new moderators, clear refusals."""

import re

import pytest

from forum.extensions import db
from forum.models import Forum, User
from forum.services import cards
from forum.services.forum_setup import german_date, parse_date, split_title
from tests.forms import form

AGENDA = [
    {"title": "Begrüßung", "minutes": 15},
    {
        "title": "Arbeitsphase",
        "phases": [
            {"key": "swot", "title": "4-Feldermatrix", "minutes": 30, "per_group": True},
            {"key": "goals", "title": "Ziele und Maßnahmen", "minutes": 45},
        ],
    },
]


def forum_named(slug) -> Forum:
    db.session.expire_all()
    return db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()


def labels(html: str) -> list[str]:
    """The text of every label, as assistive technology names the fields."""
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("23.01.2025", ("2025-01-23", False)),
        ("3.2.2025", ("2025-02-03", False)),
        ("2025-01-23", ("2025-01-23", False)),
        ("06.2025", ("2025-06", True)),
        ("2025-06", ("2025-06", True)),
        ("31.02.2025", None),
        ("13.2025", None),
        ("23.01.25", None),
        ("morgen", None),
    ],
)
def test_dates_are_read_in_german_and_iso(typed, stored):
    assert parse_date(typed) == stored


def test_dates_are_shown_in_german():
    import datetime as dt

    assert german_date(dt.date(2025, 1, 23)) == "23.01.2025"
    assert german_date("2025-06") == "06.2025"
    assert german_date(None) == ""


@pytest.mark.parametrize(
    ("title", "number", "expected"),
    [
        ("2. Themenforum – Arbeit und Ausbildung", 2, ("Arbeit und Ausbildung", 2)),
        ("2. Themenforum: Arbeit", None, ("Arbeit", 2)),
        ("2.Themenforum - Arbeit", 2, ("Arbeit", 2)),
        ("Arbeit und Ausbildung", 2, ("Arbeit und Ausbildung", 2)),
        ("3. Themenforum – Arbeit", 2, ("3. Themenforum – Arbeit", 2)),  # a contradiction stays
        ("2. Themenforum", 2, ("2. Themenforum", 2)),  # no topic: nothing left to keep
    ],
)
def test_a_typed_label_is_not_kept_in_the_title(title, number, expected):
    assert split_title(title, number) == expected


def test_a_new_forum_like_forum_1_copies_the_frame_but_no_people(planner, make_forum):
    template = make_forum(agenda=AGENDA, venue="Rathaus", dots_per_participant=5)
    process = template.process.slug
    index = planner.get("/planner/").text
    assert "Neues Forum wie …" in index
    # The forum page and the edit form offer it too.
    link = f'href="/planner/processes/{process}/forums/new?like={template.slug}"'
    assert link in planner.get(f"/planner/forums/{template.slug}").text
    assert link in planner.get(f"/planner/forums/{template.slug}/edit").text
    page = planner.get(f"/planner/processes/{process}/forums/new?like={template.slug}").text
    assert "Vorlage: 1. Themenforum: Gemeinwesenarbeit und Ehrenamt" in page
    _, data = form(page, "", title="Arbeit und Ausbildung", date="23.01.2025")
    assert data["number"] == "2"  # the next number is suggested
    assert (data["venue"], data["dots_per_participant"]) == ("Rathaus", "5")
    assert [data[f"group-{i}-name"] for i in range(4)] == ["Orange", "Rot", "Blau", "Grün"]
    assert all(data[f"group-{i}-moderator"] == "" for i in range(4))  # no one is assigned
    response = planner.post(
        f"/planner/processes/{process}/forums/new?like={template.slug}", data=data
    )
    assert response.status_code == 302, response.text
    new = forum_named("themenforum-2")  # the short name follows from the number
    assert (new.number, new.title, new.date.isoformat()) == (
        2,
        "Arbeit und Ausbildung",
        "2025-01-23",
    )
    assert [(g.name, g.colour, g.room.name, g.moderator) for g in new.groups] == [
        (g.name, g.colour, g.room.name, None) for g in template.groups
    ]
    assert [(i.title, [p.phase for p in i.phases]) for i in new.agenda] == [
        ("Begrüßung", []),
        ("Arbeitsphase", ["swot", "goals"]),
    ]
    assert new.question("strength") == template.question("strength")
    assert (new.venue, new.dots_per_participant) == ("Rathaus", 5)
    assert new.join_code != template.join_code
    # The form shows the date in German.
    edit = planner.get("/planner/forums/themenforum-2/edit").text
    assert 'value="23.01.2025"' in edit


def test_a_template_from_another_process_is_not_found(planner, make_forum):
    forum = make_forum()
    assert planner.get("/planner/processes/fachplan/forums/new?like=nicht-da").status_code == 404
    assert (
        planner.get(f"/planner/processes/fachplan/forums/new?like={forum.slug}").status_code == 200
    )


def test_weitere_zeile_without_javascript_returns_the_form_with_a_row_more(planner, make_forum):
    forum = make_forum()
    url = f"/planner/processes/{forum.process.slug}/forums/new?like={forum.slug}"
    _, data = form(planner.get(url).text, "", title="Arbeit und Ausbildung", date="23.01.2025")
    data.update({"group-4-name": "Lila", "group-4-room": "E05", "group-4-new_name": "Fr. Lang"})
    data.update({"room-3-name": "Saal"})
    for kind, rows in [("group", 6), ("room", 5), ("agenda", 3)]:
        response = planner.post(url, data={**data, "more": kind})
        assert response.status_code == 200
        page = response.text
        _, data = form(page, "")
        assert f'id="{kind}-{rows - 1}-' in page and f'id="{kind}-{rows}-' not in page, kind
    # Nothing typed is lost, nothing is saved, and no error is shown for the unfinished row.
    assert (data["title"], data["date"], data["group-4-name"], data["group-4-new_name"]) == (
        "Arbeit und Ausbildung",
        "23.01.2025",
        "Lila",
        "Fr. Lang",
    )
    assert data["room-3-name"] == "Saal" and "aria-invalid" not in page
    assert len(db.session.execute(db.select(Forum)).scalars().all()) == 1


def test_new_moderators_are_created_from_the_group_rows_and_shown_once(planner, client, make_forum):
    forum = make_forum()
    url = f"/planner/processes/{forum.process.slug}/forums/new?like={forum.slug}"
    _, data = form(planner.get(url).text, "", title="Arbeit und Ausbildung")
    data.update({"group-0-new_name": "Ada Lang", "group-0-new_login": "  A.Lang "})
    data.update({"group-1-moderator": "heyde"})
    response = planner.post(url, data=data)
    assert response.status_code == 200, response.text
    sheet = response.text
    password = re.search(r"data-password>([^<]+)<", sheet).group(1)
    assert len(password) == 19 and "a.lang" in sheet and "Orange" in sheet and "E05" in sheet
    assert "nur einmal angezeigt" in sheet
    group = (
        db.session.execute(db.select(Forum).filter_by(slug="themenforum-2")).scalar_one().groups[0]
    )
    assert f"/moderation/groups/{group.id}" in sheet
    user = db.session.execute(db.select(User).filter_by(username="a.lang")).scalar_one()
    assert (user.display_name, user.role, group.moderator_id) == ("Ada Lang", "moderator", user.id)
    assert password not in user.password_hash and user.check_password(password)
    # Shown once: no page shows it again.
    for page in [
        "/planner/accounts",
        "/planner/forums/themenforum-2",
        "/planner/forums/themenforum-2/edit",
    ]:
        assert password not in planner.get(page).text
    # The new moderator signs in with it and reaches the group's console.
    login = client.get("/login")
    _, fields = form(login.text, username="a.lang", password=password)
    assert client.post("/login", data=fields).status_code == 302
    assert client.get(f"/moderation/groups/{group.id}").status_code == 200


def test_a_taken_login_or_a_half_new_moderator_is_refused_at_its_field(planner, make_forum):
    forum = make_forum()
    url = f"/planner/processes/{forum.process.slug}/forums/new?like={forum.slug}"
    _, data = form(planner.get(url).text, "", title="Arbeit")
    data.update({"group-0-new_name": "Noch ein Beitz", "group-0-new_login": "beitz"})
    data.update({"group-1-new_name": "Ohne Login"})
    data.update({"group-2-new_name": "B", "group-2-new_login": "neu", "group-3-new_name": "C"})
    data.update({"group-3-new_login": "neu"})
    response = planner.post(url, data=data)
    assert response.status_code == 422
    page = response.text
    assert "Den Benutzernamen „beitz“ gibt es schon" in page
    assert "Bitte einen Benutzernamen für die neue Moderation eingeben." in page
    assert "Dieser Benutzername steht schon in einer anderen Zeile." in page
    assert 'id="group-0-new_login"' in page and 'aria-invalid="true"' in page
    assert (
        db.session.execute(db.select(User).filter_by(username="neu")).scalar_one_or_none() is None
    )
    assert len(db.session.execute(db.select(Forum)).scalars().all()) == 1


def test_a_duplicate_number_in_the_process_is_refused_with_a_clear_message(planner, make_forum):
    forum = make_forum()
    url = f"/planner/processes/{forum.process.slug}/forums/new"
    _, data = form(planner.get(url).text, "", title="Noch eins", number="1")
    response = planner.post(url, data=data)
    assert response.status_code == 422
    assert (
        "Das 1. Themenforum gibt es in diesem Prozess schon („Gemeinwesenarbeit und Ehrenamt“)"
        in (response.text)
    )
    assert re.search(
        r'<input[^>]*aria-invalid="true"[^>]*id="number"|id="number"[^>]*aria-invalid',
        response.text,
    )
    # The number typed into the title counts too.
    _, data = form(planner.get(url).text, "", title="1. Themenforum – Noch eins", number="")
    assert "Das 1. Themenforum gibt es" in planner.post(url, data=data).text
    assert len(db.session.execute(db.select(Forum)).scalars().all()) == 1


def test_a_title_typed_in_full_is_not_doubled(planner, make_forum):
    forum = make_forum()
    url = f"/planner/processes/{forum.process.slug}/forums/new"
    _, data = form(planner.get(url).text, "", title="2. Themenforum – Arbeit und Ausbildung")
    assert planner.post(url, data=data).status_code == 302
    new = forum_named("themenforum-2")
    assert (new.number, new.title) == (2, "Arbeit und Ausbildung")
    assert "2. Themenforum: Arbeit und Ausbildung" in planner.get("/planner/").text
    assert "2. Themenforum: 2. Themenforum" not in planner.get(f"/planner/forums/{new.slug}").text
    # A title that is only the label, or names another number, is refused at the title.
    for title, number in [("3. Themenforum", "3"), ("4. Themenforum – Wohnen", "5")]:
        _, data = form(planner.get(url).text, "", title=title, number=number)
        response = planner.post(url, data=data)
        assert response.status_code == 422
        assert "Bitte nur das Thema eingeben" in response.text
        assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="title"', response.text)
    assert len(db.session.execute(db.select(Forum)).scalars().all()) == 2


def test_errors_name_the_fields_by_their_labels(planner, make_forum):
    forum = make_forum()
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "", slug="Mit Leerzeichen", date="2025-13-45")
    data.update({"agenda-0-title": "Arbeitsphase", "agenda-1-title": "Matrix"})
    data.update({"agenda-1-level": "phase"})  # a phase without kind and minutes
    response = planner.post(url, data=data)
    assert response.status_code == 422
    page = response.text
    assert "Bitte als TT.MM.JJJJ eingeben, z. B. 23.01.2025" in page
    assert "Nur Kleinbuchstaben, Ziffern und Bindestriche." in page
    assert "Bitte eine Phase wählen." in page and "Bitte die Minuten angeben." in page
    # What only the seed schema checks is named by the form's labels too.
    data.update({"slug": forum.slug, "date": "23.01.2025", "agenda-1-level": "item"})
    data.update({"questions-weakness": " ", "group-0-room": "Keller"})
    page = planner.post(url, data=data).text
    problems = re.search(r'role="alert">(.*?)</div>', page, re.S).group(1)
    assert "Leitfragen der 4-Feldermatrix: Schwächen: darf nicht leer sein" in problems
    data["questions-weakness"] = "Wo fehlt es?"
    problems = re.search(r'role="alert">(.*?)</div>', planner.post(url, data=data).text, re.S)
    assert "Gruppe Orange: Raum „Keller“ ist nicht unter den Räumen" in problems.group(1)
    assert "Datei" not in problems.group(1)
    # Another forum's short name: named by its label, never "slug".
    other = make_forum(number=3)
    _, data = form(planner.get(url).text, "", slug=other.slug)
    page = planner.post(url, data=data).text
    assert "gehört schon zu einer anderen Veranstaltung" in page
    for text in (problems.group(1), page):
        assert not re.search(
            r"\b(slug|group|room|agenda|questions)\b", re.sub(r"<[^>]+>", " ", text)
        )


def test_a_group_with_participants_is_named_in_words(planner, make_forum, join_as_participant):
    forum = make_forum()
    _, participant = join_as_participant(forum)
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "")
    index = [g.name for g in forum.groups].index(participant.group.name)
    data[f"group-{index}-name"] = ""
    page = planner.post(url, data=data).text
    assert f"Gruppe „{participant.group.name}“: hat schon Teilnehmende" in page
    assert "group[" not in page


def test_every_field_of_the_form_has_its_own_name(planner, make_forum):
    forum = make_forum(agenda=AGENDA)
    for url in [
        f"/planner/forums/{forum.slug}/edit",
        f"/planner/processes/{forum.process.slug}/forums/new?like={forum.slug}",
    ]:
        names = labels(planner.get(url).text)
        assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
        assert "Raum 1: Name" in names and "Gruppe 1: Raum" in names
        assert "Gruppe 2: Name der neuen Moderation" in names


def test_a_forum_without_results_is_deleted_after_a_confirmation(planner, make_forum):
    forum = make_forum()
    extra = make_forum(number=2, title="Arbeit")
    page = planner.get(f"/planner/forums/{extra.slug}/delete")
    assert "„2. Themenforum: Arbeit“ löschen?" in page.text
    _, data = form(page.text, "")
    response = planner.post(f"/planner/forums/{extra.slug}/delete", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert [f.slug for f in db.session.execute(db.select(Forum)).scalars()] == [forum.slug]
    assert "„2. Themenforum: Arbeit“ gelöscht." in planner.get("/planner/").text
    # The accounts of its moderators stay.
    assert db.session.execute(db.select(User).filter_by(username="beitz")).scalar_one()


@pytest.mark.parametrize("result", ["participant", "card"])
def test_a_forum_with_results_cannot_be_deleted(planner, make_forum, join_as_participant, result):
    forum = make_forum()
    if result == "participant":
        join_as_participant(forum)
    else:
        cards.store_card(forum.groups[0].id, "strength", "Karte", "k" * 22)
    page = planner.get(f"/planner/forums/{forum.slug}/delete").text
    assert "hat schon Teilnehmende, Karten oder Maßnahmen und kann nicht gelöscht werden" in page
    assert "endgültig löschen" not in page
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', planner.get("/planner/").text
    ).group(1)
    response = planner.post(f"/planner/forums/{forum.slug}/delete", data={"csrf_token": token})
    assert response.status_code == 409
    assert forum_named(forum.slug).id == forum.id


def test_a_taken_process_short_name_is_named_by_its_label(planner, make_forum):
    make_forum()
    page = planner.get("/planner/processes/new")
    _, data = form(page.text, "", title="Noch ein Plan", slug="fachplan")
    data["guiding_goals-0"] = "Ein Ziel"
    response = planner.post("/planner/processes/new", data=data)
    assert response.status_code == 422
    assert (
        "Kurzname (für Adressen): „fachplan“ gehört schon zu einem anderen Prozess" in response.text
    )
    assert "slug:" not in response.text
