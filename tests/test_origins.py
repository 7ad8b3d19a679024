"""Only this host counts: where sign-in leads on to, and which page may re-send a refused form."""

import pytest

from tests.conftest import TEST_PASSWORD
from tests.forms import form, forms

# Each of these is read by a browser as another host (or as no page of ours at all).
HOSTILE_NEXT = [
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\t\t/evil.example/planner/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/\t\\evil.example",
    " //evil.example",
    "\x01//evil.example",
    "//evil.example\x1f ",
    "https://evil.example/",
    "https:evil.example",
    "http:/\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
]


def sign_in_with_next(app, target: str):
    """Sign in as the planner from a login link that says where to go next."""
    browser = app.test_client()
    _, data = form(browser.get("/login").text, username="planung", password=TEST_PASSWORD)
    return browser.post("/login", query_string={"next": target}, data=data)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_the_browser_to_another_host(app, planner, target):
    response = sign_in_with_next(app, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/planner/"


@pytest.mark.parametrize(
    "target",
    ["/planner/", "/moderation/?gruppe=2", "/planner/forums/forum-1/edit#gruppen", "/a//b"],
)
def test_sign_in_leads_on_to_the_page_asked_for(app, planner, target):
    response = sign_in_with_next(app, target)
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.fixture
def refused_card(make_forum, join_as_participant):
    """Post a card with a stale form token from a page naming the given origin or referrer."""
    forum = make_forum()
    phone, _ = join_as_participant(forum)
    page = phone.get(f"/j/{forum.join_code}/board").text
    fields = next(f["fields"] for f in forms(page) if f["fields"].get("quadrant") == "strength")

    def post(header: str, value: str):
        data = {**fields, "text": "Mehr Sprachmittlung", "csrf_token": "abgelaufen"}
        return phone.post(f"/j/{forum.join_code}/cards", data=data, headers={header: value})

    return post


# The test client serves http://localhost; each of these only looks like it.
LOOK_ALIKES = [
    ("Origin", "http://localhost.evil.example"),
    ("Origin", "http://localhostevil.example"),
    ("Origin", "http://localhost:8080"),
    ("Origin", "http://localhost:80800"),
    ("Origin", "http://localhost:abc"),
    ("Origin", "http://localhost@evil.example"),
    ("Origin", "https://localhost"),
    ("Origin", "null"),
    ("Referer", "http://localhost.evil.example/j/code/board"),
    ("Referer", "http://localhost:5202/j/code/board"),
]


@pytest.mark.parametrize(("header", "value"), LOOK_ALIKES)
def test_a_look_alike_origin_gets_no_fresh_token_to_resend_with(refused_card, header, value):
    response = refused_card(header, value)
    assert response.status_code == 400
    assert "Noch einmal senden" not in response.text
    assert not [f for f in forms(response.text) if f["action"].endswith("/cards")]


@pytest.mark.parametrize(
    ("header", "value"),
    [("Origin", "http://localhost"), ("Referer", "http://localhost/j/code/board")],
)
def test_our_own_page_is_offered_the_resend(refused_card, header, value):
    response = refused_card(header, value)
    assert response.status_code == 400
    assert "Noch einmal senden" in response.text
    [resend] = [f for f in forms(response.text) if f["action"].endswith("/cards")]
    assert resend["fields"]["csrf_token"] != "abgelaufen"
