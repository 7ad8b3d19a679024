"""Rate limits count per phone session: a room behind one address passes, a runaway does not."""

import secrets
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from limits.storage import MemoryStorage

from forum import create_app
from forum.extensions import db
from forum.limit_storage import SQLiteStorage, beside_the_database
from forum.models import Card, Participant, User
from tests import dbutil
from tests.benchmarks import server
from tests.benchmarks.httpload import Client
from tests.conftest import TEST_PASSWORD, TEST_PASSWORD_HASH, app_on, create_forum
from tests.forms import form

ROOM = 300


@pytest.fixture
def app(database, tmp_path):
    """The regular test app with rate limits switched on, as in production."""
    yield from app_on(database, tmp_path, RATELIMIT_ENABLED=True, **own_counters(tmp_path))


def own_counters(folder) -> dict:
    """The default counter file, but the test's own (the instance folder's outlives tests)."""
    return {"RATELIMIT_STORAGE_URI": f"forum+sqlite://{folder / 'ratelimits.sqlite3'}"}


@pytest.fixture
def forum(app):
    return create_forum(capacities={"E05": 200, "5/501": 200, "4/402b": 200})


def join(app, forum):
    """Join from a new phone as a person would; return the phone and its CSRF token."""
    phone = app.test_client()
    page = phone.get(f"/j/{forum.join_code}")
    assert page.status_code == 200, page.status_code
    _, data = form(page.text, org_type="volunteer")
    joined = phone.post(f"/j/{forum.join_code}", data=data)
    assert joined.status_code == 302, joined.status_code
    return phone, data["csrf_token"]


def card(csrf_token: str, text: str) -> dict:
    """A strength card as the board's form sends it, with a fresh key."""
    key = secrets.token_urlsafe(16)
    return {"csrf_token": csrf_token, "quadrant": "strength", "text": text, "client_key": key}


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_a_room_of_phones_behind_one_address_is_never_throttled(app, forum):
    statuses = []
    for number in range(ROOM):
        phone, csrf_token = join(app, forum)
        data = card(csrf_token, f"Karte von Telefon {number}")
        statuses.append(phone.post(f"/j/{forum.join_code}/cards", data=data).status_code)
        live = phone.get(f"/j/{forum.join_code}/board/live")
        statuses.append(live.status_code)
    # Every request came from 127.0.0.1, as a venue's NAT makes it look.
    assert set(statuses) == {200, 302}
    assert count(Participant) == count(Card) == ROOM


def test_a_phone_flooding_card_posts_is_throttled_and_its_text_is_shown_back(app, forum):
    (runaway, csrf_token), (neighbour, neighbour_csrf) = join(app, forum), join(app, forum)
    answers = []
    for number in range(20):
        data = card(csrf_token, f"Karte Nummer {number} – bitte nicht verlieren")
        answers.append((data["text"], runaway.post(f"/j/{forum.join_code}/cards", data=data)))
    refused = [(text, response) for text, response in answers if response.status_code == 429]
    assert refused, [response.status_code for _, response in answers]
    text, response = refused[0]
    assert "Zu viele Anfragen auf einmal" in response.text
    assert text in response.text  # the typed card is there to copy
    assert int(response.headers["Retry-After"]) >= 0
    stored = sum(1 for _, response in answers if response.status_code == 302)
    assert count(Card) == stored < 20
    # The phone at the next table, same address, is not slowed down.
    data = card(neighbour_csrf, "Meine Karte kommt an")
    assert neighbour.post(f"/j/{forum.join_code}/cards", data=data).status_code == 302


def test_a_throttled_card_can_be_sent_again_from_the_page_once_the_moment_has_passed(app, forum):
    phone, csrf_token = join(app, forum)
    own_page = {"Sec-Fetch-Site": "same-origin"}
    posts = [card(csrf_token, f"Karte Nummer {number}") for number in range(12)]
    answers = [phone.post(f"/j/{forum.join_code}/cards", data=d, headers=own_page) for d in posts]
    refused = next(i for i, response in enumerate(answers) if response.status_code == 429)
    action, resend = form(answers[refused].text, "/cards")
    throttled = posts[refused]
    assert (resend["text"], resend["client_key"]) == (throttled["text"], throttled["client_key"])
    time.sleep(2.05)  # the flood leaves the sliding one-second window
    for _ in range(2):  # the re-send tapped twice
        assert phone.post(action, data=resend, headers=own_page).status_code == 302
    texts = db.session.execute(db.select(Card.text)).scalars().all()
    assert texts.count(throttled["text"]) == 1 and len(texts) == refused + 1


def test_a_throttled_sign_in_does_not_write_the_password_into_the_page(app):
    answers = []
    for attempt in range(31):
        browser = app.test_client()
        _, data = form(browser.get("/login").text, username="planung", password=f"geheim-{attempt}")
        answers.append(browser.post("/login", data=data, headers={"Sec-Fetch-Site": "same-origin"}))
    assert answers[-1].status_code == 429
    assert "geheim-30" not in answers[-1].text and "Noch einmal senden" not in answers[-1].text


def test_a_runaway_poll_is_throttled_while_the_group_keeps_polling(app, forum):
    (runaway, _), (neighbour, _) = join(app, forum), join(app, forum)
    live = f"/j/{forum.join_code}/board/live"
    statuses = [runaway.get(live).status_code for _ in range(30)]
    assert 429 in statuses and statuses[0] == 200
    assert neighbour.get(live).status_code == 200


def sign_in(app, username: str):
    browser = app.test_client()
    page = browser.get("/login")
    _, data = form(page.text, username=username, password=TEST_PASSWORD)
    assert browser.post("/login", data=data).status_code == 302
    return browser


def test_staff_are_counted_per_account(app, forum):
    planner = User(username="planung", display_name="Sozialplanung", role="planner")
    db.session.add(planner)
    group = forum.groups[0]
    for user in (planner, group.moderator):
        user.password_hash = TEST_PASSWORD_HASH
    db.session.commit()
    windows = [sign_in(app, "planung"), sign_in(app, "planung")]
    moderator = sign_in(app, group.moderator.username)
    live = f"/moderation/groups/{group.id}/live"
    # Two windows of one account share its budget: together they run out.
    statuses = [window.get(live).status_code for _ in range(15) for window in windows]
    assert 429 in statuses
    # The group's moderator, on the same network, is not slowed down by it.
    assert moderator.get(live).status_code == 200


def test_guessing_passwords_is_throttled_per_address(app):
    answers = []
    for attempt in range(40):
        browser = app.test_client()  # a fresh session each time does not help
        page = browser.get("/login")
        _, data = form(page.text, username="planung", password=f"falsch-{attempt}")
        answers.append(browser.post("/login", data=data).status_code)
    assert answers[:30] == [200] * 30
    assert set(answers[30:]) == {429}


@pytest.mark.parametrize("accept", ["application/json", "text/html"])  # outbox, plain form
def test_copies_of_a_phones_cookie_share_the_participants_budget(app, forum, accept):
    phone, csrf_token = join(app, forum)
    copies = [phone]
    for _ in range(3):
        # A copy of the cookie joins another forum too: a different cookie, the same participant.
        copy = app.test_client()
        copy.set_cookie("session", phone.get_cookie("session").value)
        other = create_forum()
        _, data = form(copy.get(f"/j/{other.join_code}").text, org_type="volunteer")
        assert copy.post(f"/j/{other.join_code}", data=data).status_code == 302
        copies.append(copy)
    time.sleep(2.05)  # the joins leave the sliding one-second window
    url, headers = f"/j/{forum.join_code}/cards", {"Accept": accept}
    statuses = [
        copy.post(url, data=card(csrf_token, f"Karte {n}"), headers=headers).status_code
        for n in range(5)
        for copy in copies
    ]
    # One participant, 5 writes a second: four cookies do not make it 20.
    assert 429 in statuses
    assert count(Card) == len(statuses) - statuses.count(429) <= 10


def test_failed_sign_ins_are_counted_in_a_file_beside_the_database_by_default(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    database = tmp_path / "forum.sqlite3"
    app = create_app(dbutil.app_config(f"sqlite:///{database}", RATELIMIT_ENABLED=True))
    sign_ins = app.extensions["forum.sign_in_limiter"].storage
    assert isinstance(sign_ins, SQLiteStorage) and sign_ins.path == f"{database}-ratelimits"
    # The budgets of phones and accounts stay in each worker: board polls cannot wait for a file.
    assert isinstance(app.extensions["forum.limiter"].storage, MemoryStorage)
    postgres = "postgresql+psycopg://forum@127.0.0.1/forum"
    app = create_app(dbutil.app_config(postgres, RATELIMIT_ENABLED=True))
    expected = Path(app.instance_path) / "ratelimits-postgresql-forum.sqlite3"
    assert app.extensions["forum.sign_in_limiter"].storage.path == str(expected)


def test_a_configured_storage_holds_every_counter(tmp_path):
    config = {"RATELIMIT_ENABLED": True, **own_counters(tmp_path)}
    app = create_app(dbutil.app_config(f"sqlite:///{tmp_path / 'forum.sqlite3'}", **config))
    for name in ("forum.limiter", "forum.sign_in_limiter"):
        assert app.extensions[name].storage.path == str(tmp_path / "ratelimits.sqlite3")


def test_four_gunicorn_workers_count_failed_sign_ins_together(tmp_path):
    uri = dbutil.migrated_database("_limits", tmp_path)
    counters = beside_the_database(uri, create_app(dbutil.app_config(uri)).instance_path)
    # On PostgreSQL the file sits in the instance folder: start from none, leave none behind.
    files = [Path(urlparse(counters).path + end) for end in ("", "-wal", "-shm", "-lock")]
    for path in files:
        path.unlink(missing_ok=True)
    secret = "limits-test-secret-key-" + "x" * 32
    # The default storage, as an operator who sets nothing runs it.
    env = {"SECRET_KEY": secret, "DATABASE_URL": uri, "RATELIMIT_STORAGE_URI": ""}
    env["WEB_CONCURRENCY"] = "4"
    port = server.free_port()
    process = server.start("forum.wsgi:app", port, env, tmp_path / "gunicorn.log")
    try:
        statuses = []
        for attempt in range(36):
            # A new connection each time, as from a proxy: the workers take turns answering.
            browser = Client("127.0.0.1", port, keep_alive=False)
            page = browser.get("/login").body.decode()
            _, data = form(page, username="planung", password=f"falsch-{attempt}")
            statuses.append(browser.post("/login", data).status)
    finally:
        server.stop(process)
        for path in files:
            path.unlink(missing_ok=True)
    # 30 failed sign-ins per address in 10 minutes, on the whole server, not 30 per worker.
    assert statuses == [200] * 30 + [429] * 6
