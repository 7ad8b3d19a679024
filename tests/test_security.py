"""Security settings (OWASP ASVS level 2 where it applies), each checked as a browser sees it."""

import base64
import logging
import re

import pytest

from forum import create_app
from forum.extensions import db
from forum.models import Card, Measure, Participant
from forum.services import cards, moderation
from tests import dbutil
from tests.conftest import TEST_PASSWORD, csrf_of, sign_in
from tests.forms import form

CSP_DIRECTIVES = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


@pytest.fixture
def world(make_forum, join_as_participant, moderator_of, planner):
    """A forum with a card and a measure, a phone, the group's moderator and a planner."""
    forum = make_forum()
    phone, person = join_as_participant(forum)
    group = person.group
    card = cards.store_card(group.id, "strength", "Karte", "security-card-key-000")
    measure = moderation.add_measure(group.id, "", "Maßnahme", "security-measure-key-0")
    return {
        "forum": forum,
        "group": group,
        "card": card,
        "measure": measure,
        "phone": phone,
        "moderator": moderator_of(group),
        "planner": planner,
    }


def _fill(rule, world) -> str:
    """Build a URL for a rule from the world's ids (unknown arguments get a plausible value)."""
    values = {
        "code": world["forum"].join_code,
        "slug": world["forum"].slug,
        "group_id": world["group"].id,
        "card_id": world["card"].id,
        "measure_id": world["measure"].id,
    }
    if rule.rule.startswith("/planner/processes/"):
        values["slug"] = world["forum"].process.slug
    values.update(filename="css/app.css", what="karten")
    args = {name: values.get(name, 1) for name in rule.arguments}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), rule.rule)


def _snapshot():
    """Every row of every table, to prove a request changed nothing."""
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
    return rows


def test_every_state_change_is_refused_without_a_csrf_token(app, world):
    changing = [
        r for r in app.url_map.iter_rules() if r.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert len(changing) > 20
    before = _snapshot()
    for rule in changing:
        url = _fill(rule, world)
        for client in (world["planner"], world["phone"]):
            response = client.post(url, data={"text": "x", "title": "x"})
            assert response.status_code == 400, (rule.rule, response.status_code)
    assert _snapshot() == before


def test_no_page_changes_data_when_merely_opened(app, world):
    pages = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    before = _snapshot()
    answered = 0
    for rule in pages:
        for client in (world["planner"], world["moderator"], world["phone"]):
            answered += client.get(_fill(rule, world)).status_code == 200
    assert answered > 40, "the walk must reach real pages"
    assert _snapshot() == before


def test_every_answer_carries_the_security_headers(app, world):
    urls = ["/login", "/healthz", "/datenschutz", "/nowhere", f"/j/{world['forum'].join_code}"]
    for url in urls:
        response = app.test_client().get(url)
        _assert_headers(response)
    for url in ["/planner/", f"/moderation/groups/{world['group'].id}"]:
        _assert_headers(world["planner"].get(url))
    _assert_headers(world["phone"].get(f"/j/{world['forum'].join_code}/board"))


def _assert_headers(response):
    policy = response.headers["Content-Security-Policy"]
    for directive in CSP_DIRECTIVES:
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_staff_pages_and_downloads_are_never_cached(world):
    planner, slug = world["planner"], world["forum"].slug
    urls = [
        "/planner/",
        f"/planner/forums/{slug}",
        f"/planner/forums/{slug}/ergebnisse.docx",
        f"/planner/forums/{slug}/karten.csv",
        f"/planner/processes/{world['forum'].process.slug}/sicherung.json",
        f"/moderation/groups/{world['group'].id}",
        f"/moderation/groups/{world['group'].id}/live",
        "/login",
    ]
    for url in urls:
        response = planner.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_session_cookie_is_httponly_and_samesite_lax(client, make_forum):
    forum = make_forum()
    cookie = client.get(f"/j/{forum.join_code}").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie, "plain http on the venue network must still work"


def test_cookie_is_secure_when_served_over_https(monkeypatch, database, tmp_path):
    monkeypatch.setenv("PUBLIC_URL", "https://forum.dresden.example")
    app = create_app(dbutil.app_config("sqlite://"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.test_request_context(base_url="https://forum.dresden.example"):
        response = app.test_client().get("/login", base_url="https://forum.dresden.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_participant_tokens_and_join_codes_carry_128_random_bits(client, make_forum):
    forum = make_forum()
    tokens = set()
    for _ in range(20):
        _, data = form(client.get(f"/j/{forum.join_code}").text)
        tokens.add(data["token"])
    assert len(tokens) == 20
    for value in [*tokens, forum.join_code]:
        assert len(base64.urlsafe_b64decode(value + "==")) >= 16


def test_sign_in_starts_a_new_session(app, world):
    # A session cookie handed to the browser before sign-in (e.g. planted by someone else)
    # must not become a signed-in session.
    client = app.test_client()
    client.get("/login")
    cookie_before = client.get_cookie("session").value
    token_before = csrf_of(client.get("/login").text)
    sign_in(client, world["group"].moderator.username, TEST_PASSWORD)
    assert csrf_of(client.get("/moderation/").text) != token_before
    stranger = app.test_client()
    stranger.set_cookie("session", cookie_before)
    assert stranger.get("/moderation/").status_code == 302


def test_sign_out_really_ends_the_session(app, world):
    moderator = world["moderator"]
    copied = moderator.get_cookie("session").value
    response = moderator.post(
        "/logout", data={"csrf_token": csrf_of(moderator.get("/moderation/").text)}
    )
    assert response.status_code == 302
    assert moderator.get("/moderation/").status_code == 302
    # A copy of the signed-in cookie (another tab, a stolen cookie) is worthless after sign-out.
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/moderation/")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "localhost.evil.example"])
def test_foreign_host_headers_are_refused(client, make_forum, host):
    forum = make_forum()
    response = client.get(f"/j/{forum.join_code}", headers={"Host": host})
    assert response.status_code == 400
    assert forum.join_code not in response.text


def test_the_public_host_is_trusted(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://forum.dresden.example")
    app = create_app(dbutil.app_config("sqlite://"))
    response = app.test_client().get("/healthz", base_url="https://forum.dresden.example")
    assert response.status_code == 200
    response = app.test_client().get("/healthz", base_url="https://evil.example")
    assert response.status_code == 400


def test_trusted_hosts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "forum.example.de, 192.168.1.20")
    config = create_app(dbutil.app_config("sqlite://")).config
    assert {"forum.example.de", "192.168.1.20", "localhost"} <= set(config["TRUSTED_HOSTS"])


def test_the_app_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_request_bodies_are_limited(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 1024 * 1024


def test_failed_sign_in_is_logged_without_personal_data(client, caplog):
    caplog.set_level(logging.INFO)
    _, data = form(client.get("/login").text, username="erika.mustermann", password="Geheim123")
    assert client.post("/login", data=data).status_code == 200
    assert "Failed sign-in" in caplog.text
    assert "erika" not in caplog.text.lower() and "Geheim123" not in caplog.text


def test_csrf_failure_is_logged_without_the_typed_text(world, caplog):
    caplog.set_level(logging.INFO)
    code = world["forum"].join_code
    response = world["phone"].post(
        f"/j/{code}/cards",
        data={"quadrant": "threat", "text": "Frau Müller aus der Kita", "client_key": "k" * 22},
    )
    assert response.status_code == 400
    assert "CSRF failure" in caplog.text and "Müller" not in caplog.text


def test_error_pages_are_generic(app, client):
    for url, status in [("/nowhere", 404), ("/healthz/../../etc/passwd", 404)]:
        response = client.get(url)
        assert response.status_code == status
        assert "Traceback" not in response.text and "werkzeug" not in response.text.lower()
    assert client.post("/healthz").status_code == 405


def test_phone_on_a_staff_page_is_refused_with_a_way_to_sign_in(world):
    response = world["phone"].get("/planner/")
    assert response.status_code == 403
    assert 'href="/login"' in response.text
    assert db.session.execute(db.select(db.func.count(Participant.id))).scalar() == 1
    assert db.session.execute(db.select(db.func.count(Card.id))).scalar() == 1
    assert db.session.execute(db.select(db.func.count(Measure.id))).scalar() == 1
