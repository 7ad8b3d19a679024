"""The projector view for the plenum: who may open it, what it shows, stepping, live updates."""

import re

import pytest

from forum.extensions import db
from forum.models import Measure, User, Vote
from forum.moderator.projector import CARDS_SHOWN
from forum.services import cards, moderation
from tests.forms import form

PASSWORD = "richtig-gutes-passwort"


def sign_in(app, username, role="moderator", groups=()):
    """Create an account, assign it the groups and return a browser signed in with it."""
    user = User(username=username, display_name=username.title(), role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    for group in groups:
        group.moderator = user
    db.session.commit()
    browser = app.test_client()
    page = browser.get("/login")
    _, data = form(page.text, username=username, password=PASSWORD)
    assert browser.post("/login", data=data).status_code == 302
    return browser


def url(group, live=False) -> str:
    return f"/moderation/groups/{group.id}/projector" + ("/live" if live else "")


def measure(group, title, dots, **fields) -> Measure:
    """Store a measure with `dots` dots on it."""
    item = moderation.add_measure(group.id, fields.pop("goal", ""), title, f"m-{title}")
    for name, value in fields.items():
        setattr(item, name, value)
    db.session.add_all(Vote(measure_id=item.id) for _ in range(dots))
    db.session.commit()
    return item


def step_links(html) -> dict[str, str]:
    """Return the previous/next group links of a projector page by their rel."""
    return {rel: href for href, rel in re.findall(r'href="([^"]+)" rel="(prev|next)"', html)}


@pytest.fixture
def forum(make_forum):
    return make_forum()


@pytest.fixture
def orange(forum):
    return forum.groups[0]


@pytest.fixture
def moderator(app, orange):
    return sign_in(app, "moderation-orange", groups=[orange])


def test_anonymous_browser_is_sent_to_login(client, orange):
    for address in (url(orange), url(orange, live=True)):
        response = client.get(address)
        assert response.status_code == 302
        assert response.location.startswith("/login")


def test_participant_phone_is_refused_with_a_way_to_sign_in(forum, orange, join_as_participant):
    phone, _ = join_as_participant(forum)
    response = phone.get(url(orange))
    assert response.status_code == 403 and 'href="/login"' in response.text


def test_moderator_of_another_group_is_refused(app, forum, orange):
    blue = sign_in(app, "moderation-blau", groups=[forum.groups[2]])
    assert blue.get(url(orange)).status_code == 403
    assert blue.get(url(orange, live=True)).status_code == 403


def test_unknown_group_is_not_found(moderator):
    assert moderator.get("/moderation/groups/99999/projector").status_code == 404


def test_own_moderator_sees_cards_and_measures_ranked_by_dots(moderator, orange):
    cards.store_card(orange.id, "strength", "Stadtteilvereine gut vernetzt", "c1")
    cards.store_card(orange.id, "threat", "Ehrenamt brennt aus", "c2")
    measure(orange, "Ehrenamtsbörse", 1, goal="Mehr Engagierte gewinnen")
    measure(orange, "Sprachcafé im Stadtteil", 4, owner="Quartiersmanagement", horizon="short")
    measure(orange, "Lotsenprogramm", 2, horizon="long")
    page = moderator.get(url(orange))
    assert page.status_code == 200
    html = page.text
    assert "Gruppe Orange" in html
    assert "Stadtteilvereine gut vernetzt" in html and "Ehrenamt brennt aus" in html
    assert html.index('id="cards-strength"') < html.index("Stadtteilvereine gut vernetzt")
    assert html.index('id="cards-threat"') < html.index("Ehrenamt brennt aus")
    titles = re.findall(r'<span class="measure-title">([^<]+)</span>', html)
    assert titles == ["Sprachcafé im Stadtteil", "Lotsenprogramm", "Ehrenamtsbörse"]
    rows = re.findall(r"<tr id=\"measure-\d+\"[^>]*>(.*?)</tr>", html, re.S)
    assert "Quartiersmanagement" in rows[0] and "kurzfristig" in rows[0]
    assert '<td class="dots">4</td>' in rows[0]
    assert "offen" in rows[1] and "langfristig" in rows[1]
    assert "Ziel: Mehr Engagierte gewinnen" in rows[2] and rows[2].count("offen") == 2
    for heading in ("Rang", "Maßnahme", "Verantwortlich", "Horizont", "Punkte"):
        assert f">{heading}</th>" in html


def test_equal_dots_share_a_rank(moderator, orange):
    for title, dots in [("A", 3), ("B", 2), ("C", 2), ("D", 0)]:
        measure(orange, title, dots)
    ranks = re.findall(
        r'<td class="rank" id="rank-\d+">(\d+)\.</td>', moderator.get(url(orange)).text
    )
    assert ranks == ["1", "2", "2", "4"]


def test_hidden_and_merged_away_items_are_absent_and_merges_are_counted(moderator, orange):
    secret = cards.store_card(orange.id, "weakness", "Unsachliche Karte", "c1")
    moderation.set_hidden(secret, True)
    kept = cards.store_card(orange.id, "strength", "Viele Ehrenamtliche", "c2")
    twin = cards.store_card(orange.id, "strength", "Viele engagierte Ehrenamtliche", "c3")
    moderation.merge_cards([kept, twin])
    moderation.set_measure_hidden(measure(orange, "Versteckte Maßnahme", 5), True)
    html = moderator.get(url(orange)).text
    assert "Unsachliche Karte" not in html and "Versteckte Maßnahme" not in html
    assert "Viele engagierte Ehrenamtliche" not in html
    assert "Viele Ehrenamtliche" in html and "(×2)" in html
    assert "Noch keine Maßnahmen." in html


def test_planner_may_open_every_group(planner, forum):
    for group in forum.groups:
        page = planner.get(url(group))
        assert page.status_code == 200 and f"Gruppe {group.name}" in page.text


def test_planner_steps_through_the_forum_in_order_and_wraps(planner, forum):
    groups = forum.groups
    for index, group in enumerate(groups):
        links = step_links(planner.get(url(group)).text)
        assert links["prev"] == url(groups[index - 1])
        assert links["next"] == url(groups[(index + 1) % len(groups)])


def test_moderator_steps_only_through_own_groups(app, forum):
    orange, red, blue, green = forum.groups
    browser = sign_in(app, "doppelt", groups=[red, green])
    assert step_links(browser.get(url(red)).text) == {"prev": url(green), "next": url(green)}


def test_moderator_of_one_group_gets_no_links_to_others(moderator, forum, orange):
    html = moderator.get(url(orange)).text
    assert step_links(html) == {}
    for other in forum.groups[1:]:
        assert url(other) not in html


def test_live_regions_answer_304_until_the_group_changes(moderator, orange):
    first = moderator.get(url(orange, live=True))
    assert first.status_code == 200 and first.get_etag()[0]
    # Staff answers are never stored; the ETag still saves rebuilding and sending the regions.
    assert first.headers["Cache-Control"] == "no-store"
    quadrants = ("strength", "weakness", "opportunity", "threat")
    assert set(first.json["regions"]) == {
        *(f"cards-{quadrant}" for quadrant in quadrants),
        *(f"more-{quadrant}" for quadrant in quadrants),
        "measures",
        "more-measures",
    }
    etag = first.headers["ETag"]
    unchanged = moderator.get(url(orange, live=True), headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.headers["Cache-Control"] == "no-store"
    card = cards.store_card(orange.id, "opportunity", "Leerstehende Läden nutzen", "c1")
    changed = moderator.get(url(orange, live=True), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # Only the new card travels, with the "+N weitere" lines and the phase timer.
    assert [(i["id"], i["in"]) for i in changed.json["items"]] == [
        (f"card-{card.id}", "cards-opportunity")
    ]
    assert "Leerstehende Läden nutzen" in changed.json["items"][0]["html"]
    assert set(changed.json["regions"]) == {f"more-{quadrant}" for quadrant in quadrants} | {
        "more-measures"
    }
    assert "remaining" in changed.json["timer"] or "running" in changed.json["timer"]


def poll(browser, group, etag):
    """Poll the projector as the page holding `etag`; return the answer and the new ETag."""
    answer = browser.get(url(group, live=True), headers={"If-None-Match": etag})
    assert answer.status_code == 200
    return answer.json, answer.headers["ETag"]


def test_changed_polls_carry_only_the_changed_cards(moderator, orange):
    kept = cards.store_card(orange.id, "strength", "Viele Ehrenamtliche", "c1")
    twin = cards.store_card(orange.id, "strength", "Viele engagierte Ehrenamtliche", "c2")
    other = cards.store_card(orange.id, "threat", "Räume fehlen", "c3")
    etag = moderator.get(url(orange, live=True)).headers["ETag"]
    moderation.merge_cards([kept, twin])
    moderation.move_card(other, "weakness")
    answer, etag = poll(moderator, orange, etag)
    assert answer["remove"] == [f"card-{twin.id}"]
    placed = {i["id"]: i for i in answer["items"]}
    assert set(placed) == {f"card-{kept.id}", f"card-{other.id}"}
    assert "(×2)" in placed[f"card-{kept.id}"]["html"]
    assert placed[f"card-{other.id}"]["in"] == "cards-weakness"
    assert not any(region.startswith("cards-") for region in answer["regions"])
    moderation.set_hidden(other, True)
    answer, etag = poll(moderator, orange, etag)
    assert answer["remove"] == [f"card-{other.id}"] and "items" not in answer


def test_more_line_counts_the_cards_beyond_what_the_projector_shows(moderator, orange):
    for number in range(CARDS_SHOWN + 3):
        cards.store_card(orange.id, "strength", f"Karte {number}", f"c{number}")
    page = moderator.get(url(orange)).text
    assert re.search(r'id="more-strength">\+3 weitere</p>', page)
    assert re.search(r'id="more-threat"></p>', page)
    etag = moderator.get(url(orange, live=True)).headers["ETag"]
    cards.store_card(orange.id, "strength", "Noch eine", "late")
    answer, _ = poll(moderator, orange, etag)
    assert answer["regions"]["more-strength"] == "+4 weitere"


def test_a_dot_sends_its_measure_and_every_rank(moderator, orange):
    first = measure(orange, "Sprachcafé", 2)
    second = measure(orange, "Lotsenprogramm", 1)
    etag = moderator.get(url(orange, live=True)).headers["ETag"]
    db.session.add_all(Vote(measure_id=second.id) for _ in range(2))
    db.session.commit()
    answer, etag = poll(moderator, orange, etag)
    assert [i["id"] for i in answer["items"]] == [f"measure-{second.id}"]
    assert answer["items"][0]["in"] == "measures"
    assert answer["regions"][f"rank-{second.id}"] == "1."
    assert answer["regions"][f"rank-{first.id}"] == "2."
    # The list order comes from data-order: most dots first, then the older measure.
    orders = re.findall(r'data-order="([^"]+)"', moderator.get(url(orange)).text)
    assert orders == sorted(orders, key=lambda o: [int(part) for part in o.split()])
    moderation.set_measure_hidden(first, True)
    answer, etag = poll(moderator, orange, etag)
    assert answer["remove"] == [f"measure-{first.id}"]
    assert answer["regions"][f"rank-{second.id}"] == "1."


def test_an_unknown_version_gets_the_whole_slide(moderator, orange):
    cards.store_card(orange.id, "strength", "Viele Ehrenamtliche", "c1")
    answer, _ = poll(moderator, orange, f'"p{orange.id}v999.999f0"')
    assert "Viele Ehrenamtliche" in answer["regions"]["cards-strength"]
    answer, _ = poll(moderator, orange, '"irgendwas"')
    assert "measures" in answer["regions"] and "items" not in answer


def test_page_works_without_javascript_and_obeys_the_csp(moderator, orange):
    html = moderator.get(url(orange)).text
    assert "<script>" not in html and " style=" not in html
    assert "css/projector.css" in html and "js/projector.js" in html and "js/live.js" in html
    assert f'href="/moderation/groups/{orange.id}"' in html  # back to the console
    # The timer and the pause button need JavaScript, so they start hidden.
    assert re.search(r'id="presentation-timer"[^>]*hidden', html)
    assert re.search(r'id="refresh"[^>]*hidden', html)
