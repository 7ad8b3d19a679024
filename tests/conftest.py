"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""

import itertools
import re

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.extensions import db
from forum.models import Forum, Participant, User
from forum.services.seed_schema import SeedFile
from forum.services.seeding import load_seed
from tests import dbutil
from tests.forms import form

# Test accounts get a cheap hash: check_password_hash reads the method from the hash, so sign-in
# runs the production code while the suite does not spend ~0.2 s of scrypt per account.
TEST_PASSWORD = "richtig-gutes-passwort"
TEST_PASSWORD_HASH = generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:1000")

SEED_GROUPS = [
    ("Orange", "#E8710A", "E05", "beitz", "Hr. Beitz"),
    ("Rot", "#C8102E", "E05", "heyde", "Fr. Heyde"),
    ("Blau", "#1F5FBF", "5/501", "bidell", "Fr. Bidell"),
    ("Grün", "#2E8540", "4/402b", "schaefer", "Hr. Schäfer"),
]


class PhoneClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production."""

    def open(self, *args, **kwargs):
        # Without this, requests reuse the test's app context and share `g` (and the cached
        # CSRF token) across phones; the test's own session is expired to see the request's writes.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Describe how each test gets a fresh database."""
    if dbutil.using_postgres():
        uri = dbutil.postgres_database("_unit")
        dbutil.migrate(uri)
        return {"postgres": uri}
    return {"template": dbutil.sqlite_template(tmp_path_factory.mktemp("template"))}


@pytest.fixture
def app(database, tmp_path):
    """An app bound to an empty, fully migrated database."""
    yield from app_on(database, tmp_path)


def app_on(database, tmp_path, **config):
    """Yield an app with extra configuration on the test's empty database, inside its context."""
    if "postgres" in database:
        app = create_app(dbutil.app_config(database["postgres"], **config))
        with app.app_context():
            dbutil.truncate_all()
    else:
        uri = dbutil.fresh_sqlite(database["template"], tmp_path)
        app = create_app(dbutil.app_config(uri, **config))
    app.test_client_class = PhoneClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client: one phone or one browser."""
    return app.test_client()


_slugs = itertools.count(1)


def forum_spec(groups=SEED_GROUPS, capacities=None, **forum_fields) -> dict:
    """Build a seed mapping with one forum shaped like the 1. Themenforum."""
    capacities = capacities or {}
    rooms = list(dict.fromkeys(room for _, _, room, _, _ in groups))
    forum = {
        "slug": f"forum-{next(_slugs)}",
        "number": 1,
        "title": "Gemeinwesenarbeit und Ehrenamt",
        "room": [{"name": room, "capacity": capacities.get(room)} for room in rooms],
        "group": [
            {"name": name, "colour": colour, "room": room, "moderator": key}
            for name, colour, room, key, _ in groups
        ],
        **forum_fields,
    }
    return {
        "process": {
            "slug": "fachplan",
            "title": "Fachplan Asyl und Integration 2025–2030",
            "guiding_goals": ["Leitziel eins", "Leitziel zwei", "Leitziel drei"],
        },
        "moderator": [{"username": key, "name": person} for _, _, _, key, person in groups],
        "forum": [forum],
    }


def create_forum(open=True, **kwargs) -> Forum:
    """Load a forum like the 1. Themenforum through the seed loader (inside an app context)."""
    spec = forum_spec(**kwargs)
    load_seed(SeedFile.model_validate(spec))
    forum = db.session.execute(
        db.select(Forum).filter_by(slug=spec["forum"][0]["slug"])
    ).scalar_one()
    forum.is_open = open
    db.session.commit()
    return forum


@pytest.fixture
def make_forum(app):
    """Return a function that creates an open forum like the 1. Themenforum."""

    return create_forum


@pytest.fixture
def join_as_participant(app):
    """Return a function that joins a forum from a new phone and returns (client, participant)."""

    def join(forum: Forum, org_type="volunteer", client=None, **fields):
        phone = client or app.test_client()
        page = phone.get(f"/j/{forum.join_code}")
        assert page.status_code == 200, page.status_code
        action, data = form(page.text, org_type=org_type, **fields)
        response = phone.post(f"/j/{forum.join_code}", data=data)
        assert response.status_code == 302, response.text
        token_hash = _participant_hash(data["token"])
        participant = db.session.execute(
            db.select(Participant).filter_by(token_hash=token_hash)
        ).scalar_one()
        return phone, participant

    return join


def _participant_hash(token: str) -> str:
    from forum.services.joining import token_hash

    return token_hash(token)


def csrf_of(html: str) -> str:
    """Return the CSRF token embedded in a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def planner(app, client):
    """A signed-in planner's browser."""
    user = User(username="planung", display_name="Sozialplanung", role="planner")
    user.password_hash = TEST_PASSWORD_HASH
    db.session.add(user)
    db.session.commit()
    page = client.get("/login")
    _, data = form(page.text, username="planung", password=TEST_PASSWORD)
    assert client.post("/login", data=data).status_code == 302
    return client


def sign_in(client, username: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page = client.get("/login")
    _, data = form(page.text, username=username, password=password)
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.text


@pytest.fixture
def moderator_of(app):
    """Return a function that signs in a new browser as the moderator of a group."""

    def sign_in_as(group):
        user = group.moderator
        if user is None:
            user = User(
                username=f"mod{group.id}", display_name=f"Moderation {group.name}", role="moderator"
            )
            db.session.add(user)
            group.moderator = user
        user.password_hash = TEST_PASSWORD_HASH
        db.session.commit()
        browser = app.test_client()
        sign_in(browser, user.username, TEST_PASSWORD)
        return browser

    return sign_in_as
