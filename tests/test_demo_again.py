"""`forum demo` again and again on one database: console changes, results, passwords, sessions stay."""

import re

import pytest

from forum import create_app
from forum.cli import main
from forum.extensions import db
from forum.models import Card, Forum, Group, Participant, Room, User
from forum.services.demo_passwords import keep_passwords
from tests import dbutil
from tests.conftest import PhoneClient, csrf_of, sign_in
from tests.forms import form


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """The demo's instance folder (secret key, passwords), not the checkout's."""
    folder = tmp_path / "instance"
    monkeypatch.setattr("forum.cli.DEMO_INSTANCE", str(folder))
    return folder


@pytest.fixture
def demo_database(tmp_path):
    """One real database file (or PostgreSQL database) that every run of the demo reuses."""
    if dbutil.using_postgres():
        return dbutil.postgres_database("_demo")
    return f"sqlite:///{tmp_path / 'demo.sqlite3'}"


def console(instance, demo_database):
    database = demo_database
    """A fresh server process's app on the demo's database and secret key."""
    app = create_app(
        {
            "LOCAL_SECRET_KEY": True,
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": database,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.test_client_class = PhoneClient
    return app


def run_demo(app, database, *options) -> dict[str, str]:
    """Run `forum demo --no-serve` as on the command line; return the printed sign-ins."""
    result = app.test_cli_runner().invoke(
        main, ["demo", "--no-serve", "--database", database, *options]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "Fehler" not in result.output, result.output
    return dict(re.findall(r"(?:Anmeldung:|Gruppe \S+)\s+(\S+) / (\S+)", result.output))


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.execute(db.select(db.func.count(model.id))).scalar()
        for model in (Card, Participant, Group, Room, User, Forum)
    }


def cards_of(group: Group) -> list[Card]:
    return db.session.execute(db.select(Card).filter_by(group_id=group.id)).scalars().all()


def forum_1() -> Forum:
    return db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()


def add_room_and_group_in_the_console(planner, forum: Forum) -> None:
    """Create a moderator, then a room and a group for them, through the planner's forms."""
    page = planner.get("/planner/accounts").text
    _, data = form(
        page,
        "",
        username="lorenz",
        display_name="Fr. Lorenz",
        role="moderator",
        password="lorenz-eigenes-passwort",
    )
    assert planner.post("/planner/accounts", data=data).status_code == 302
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "")
    rooms, groups = len(forum.rooms), len(forum.groups)
    data.update({f"room-{rooms}-name": "Saal 9", f"room-{rooms}-capacity": "30"})
    data.update(
        {
            f"group-{groups}-name": "Lila",
            f"group-{groups}-colour": "#7B2D8E",
            f"group-{groups}-room": "Saal 9",
            f"group-{groups}-moderator": "lorenz",
        }
    )
    response = planner.post(url, data=data)
    assert response.status_code == 302, response.text


def join_and_write(app, forum: Forum, text: str) -> None:
    """A phone joins the forum and writes one card on its board."""
    phone = app.test_client()
    _, data = form(phone.get(f"/j/{forum.join_code}").text, org_type="volunteer")
    assert phone.post(f"/j/{forum.join_code}", data=data).status_code == 302
    _, data = form(phone.get(f"/j/{forum.join_code}/board").text, "/cards", text=text)
    assert phone.post(f"/j/{forum.join_code}/cards", data=data).status_code in (200, 302, 303)


def write_on_paper(app, forum: Forum, group_name: str, text: str) -> None:
    """The group's moderator types a paper card into the console."""
    group = next(group for group in forum.groups if group.name == group_name)
    browser = app.test_client()
    sign_in(browser, group.moderator.username, "lorenz-eigenes-passwort")
    page = browser.get(f"/moderation/groups/{group.id}").text
    data = {
        "csrf_token": csrf_of(page),
        "text": text,
        "quadrant": "weakness",
        "client_key": "p" * 22,
    }
    assert browser.post(f"/moderation/groups/{group.id}/cards", data=data).status_code == 302


def test_demo_three_times_keeps_console_changes_results_passwords_and_sessions(
    instance, demo_database
):
    database = demo_database
    app = console(instance, database)
    first = run_demo(app, database)
    assert set(first) == {"planung", "beitz", "heyde", "bidell", "schaefer"}
    planner, moderator = app.test_client(), app.test_client()
    with app.app_context():
        sign_in(planner, "planung", first["planung"])
        sign_in(moderator, "heyde", first["heyde"])
        add_room_and_group_in_the_console(planner, forum_1())
        for text in ("Viele Ehrenamtliche im Stadtteil", "Zu wenige Räume für Treffen"):
            join_and_write(app, forum_1(), text)
        # A group the seed file does not know now holds a result (the old demo refused here).
        write_on_paper(app, forum_1(), "Lila", "Treffpunkt fehlt abends")

    second = run_demo(app, database, "--sample")
    with app.app_context():
        join_and_write(app, forum_1(), "Sprachcafés laufen gut")
        before = counts()
    third = run_demo(app, database)

    # The same passwords each time; the console's own moderator keeps the password it was given.
    assert first == {name: second[name] for name in first} == {name: third[name] for name in first}
    assert second["lorenz"] == third["lorenz"] == "(eigenes"
    app = console(instance, database)  # as after a restart: the key is read again
    with app.app_context():
        assert counts() == before
        forum = forum_1()
        lila = next(group for group in forum.groups if group.name == "Lila")
        assert (lila.room.name, lila.room.capacity, lila.moderator.username) == (
            "Saal 9",
            30,
            "lorenz",
        )
        assert lila.moderator.check_password("lorenz-eigenes-passwort")
        texts = set(db.session.execute(db.select(Card.text)).scalars())
        assert {"Viele Ehrenamtliche im Stadtteil", "Sprachcafés laufen gut"} <= texts
        assert "Treffpunkt fehlt abends" in [card.text for card in cards_of(lila)]
        # Signed in after the first run, still signed in after the third: no new key, no new hash.
        for browser, page in ((planner, "/planner/"), (moderator, "/moderation/")):
            fresh = app.test_client()
            fresh.set_cookie("session", browser.get_cookie("session").value)
            response = fresh.get(page)
            assert response.status_code == 200, (page, response.status_code)
        db.session.remove()
        db.engine.dispose()


def test_the_demo_keeps_its_passwords_beside_the_secret_key_for_the_owner_only(
    instance, demo_database
):
    database = demo_database
    app = console(instance, database)
    shown = run_demo(app, database)
    stored = instance / "demo_passwords.json"
    assert stored.parent == (instance / "secret_key").parent
    assert stored.stat().st_mode & 0o777 == 0o600
    assert all(password in stored.read_text() for password in shown.values())


DEMO_ACCOUNTS = [("planung", "Sozialplanung", "planner"), ("heyde", "Fr. Heyde", "moderator")]


def test_a_password_changed_in_the_console_is_kept_and_not_shown(app, tmp_path):
    first = keep_passwords(tmp_path, DEMO_ACCOUNTS)
    heyde = db.session.execute(db.select(User).filter_by(username="heyde")).scalar_one()
    heyde.set_password("selbst-gewaehlt-123")
    db.session.commit()
    version = heyde.session_version
    again = keep_passwords(tmp_path, DEMO_ACCOUNTS)
    assert again["planung"].password == first["planung"].password
    assert (again["heyde"].password, again["heyde"].note) == (None, "eigenes Passwort")
    assert heyde.check_password("selbst-gewaehlt-123") and heyde.session_version == version


def test_a_demo_database_from_before_the_passwords_file_gets_passwords_once(app, tmp_path):
    planner = User(username="planung", display_name="Sozialplanung", role="planner")
    planner.set_password("vergessenes-passwort")
    db.session.add(planner)
    db.session.commit()
    first = keep_passwords(tmp_path, DEMO_ACCOUNTS)
    assert planner.check_password(first["planung"].password)
    version = planner.session_version
    assert keep_passwords(tmp_path, DEMO_ACCOUNTS)["planung"].password == first["planung"].password
    assert planner.session_version == version
