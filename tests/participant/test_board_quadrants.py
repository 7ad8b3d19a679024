"""The phone's board shows one quadrant at a time: ?q= chooses it, saving and refusing keep it."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import csrf_of
from tests.participant.test_board import board_url, cards, post_card


class _Quadrants(HTMLParser):
    """Collect the board's panels (shown or hidden) and which tab link is marked current."""

    def __init__(self):
        super().__init__()
        self.shown: list[str] = []
        self.hidden: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("q-"):
            (self.hidden if "hidden" in attrs else self.shown).append(attrs["id"][2:])
        if tag == "a" and attrs.get("aria-current") == "true" and "data-panel" in attrs:
            self.current.append(attrs["data-panel"][2:])


def quadrants(html: str) -> _Quadrants:
    parser = _Quadrants()
    parser.feed(html)
    return parser


@pytest.fixture
def forum(make_forum):
    return make_forum()


@pytest.fixture
def phone(forum, join_as_participant):
    return join_as_participant(forum, org_type="volunteer")[0]


@pytest.mark.parametrize(
    "asked, shown",
    [("", "strength"), ("?q=threat", "threat"), ("?q=weakness", "weakness"), ("?q=x", "strength")],
)
def test_the_board_shows_the_quadrant_asked_for(phone, forum, asked, shown):
    page = quadrants(phone.get(board_url(forum) + asked).text)
    assert page.shown == [shown] and page.current == [shown]
    assert sorted(page.hidden) == sorted(
        {"strength", "weakness", "opportunity", "threat"} - {shown}
    )


def test_a_saved_card_brings_back_its_quadrant_with_the_message(phone, forum):
    response, _ = post_card(phone, forum, "opportunity", "Leerstehende Läden als Treffpunkte")
    assert response.status_code == 302
    assert response.location.endswith("/board?q=opportunity#q-opportunity")
    html = phone.get(response.location).text
    assert quadrants(html).shown == ["opportunity"]
    # The message sits between the quadrant's form and its cards.
    panel = html[html.index('id="q-opportunity"') :]
    assert panel.index("</form>") < panel.index("Karte gespeichert.") < panel.index("cards-")


def test_a_refused_card_comes_back_in_its_quadrant_with_its_text(phone, forum):
    response, _ = post_card(phone, forum, "threat", "Zu lang " * 100)
    assert response.status_code == 422
    assert quadrants(response.text).shown == ["threat"]
    assert "Zu lang Zu lang" in response.text


def test_tabs_count_the_cards_and_the_live_answer_keeps_the_counts(phone, forum):
    post_card(phone, forum, "weakness", "Zu wenig Räume am Abend")
    post_card(phone, forum, "weakness", "Busse fahren abends selten")
    page = phone.get(board_url(forum)).text
    count = re.search(r'id="count-weakness">(.*?)</span></span>', page, re.S).group(1)
    assert ">2<" in count and "2 Karten" in count
    regions = phone.get(f"/j/{forum.join_code}/board/live").json["regions"]
    assert "2 Karten" in regions["count-weakness"] and "0 Karten" in regions["count-threat"]
    assert regions["count-weakness"] in page  # the same markup as the page's


def test_editing_a_card_returns_to_its_new_quadrant(phone, forum):
    post_card(phone, forum, "strength", "Viele Vereine")
    [card] = cards()
    edit = f"/j/{forum.join_code}/cards/{card.id}/edit"
    page = phone.get(edit).text
    assert f"{board_url(forum)}?q=strength" in page  # the way back opens the card's quadrant
    data = {
        "csrf_token": csrf_of(page),
        "text": "Viele Vereine teilen Räume",
        "quadrant": "opportunity",
        "version": card.version,
    }
    response = phone.post(edit, data=data)
    assert response.status_code == 302, response.text
    assert f"/board?q=opportunity#card-{card.id}" in response.location
