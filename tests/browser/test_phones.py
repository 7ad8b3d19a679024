"""Phones in real Chromium: join one after another, post cards, see the group's cards live."""

import time

import pytest

from tests.browser.conftest import assert_accessible, join, open_quadrant

pytestmark = pytest.mark.browser


def test_phones_join_and_see_their_groups_cards_live(new_phone, live_forum):
    forum = live_forum()
    first, second = new_phone(), new_phone()
    first_group = join(first, forum, "Hauptamt")
    assert_accessible(first)
    second_group = join(second, forum, "Hauptamt")
    assert first_group != second_group

    # Later phones join until one lands in the first phone's group.
    mate = None
    for _ in range(6):
        phone = new_phone()
        if join(phone, forum, "Ehrenamt") == first_group:
            mate = phone
            break
    assert mate is not None, "no later phone joined the first phone's group"

    for phone in (first, second, mate):
        phone.get_by_role("link", name="Zur 4-Feldermatrix").click()
        phone.wait_for_selector("#board")
    assert_accessible(mate)

    text = f"Sprachtreff im Stadtteiltreff {time.time_ns()}"
    first.get_by_label("Neue Karte: Stärken").fill(text)
    first.locator("#q-strength").get_by_role("button", name="Karte hinzufügen").click()
    first.wait_for_selector("text=Karte gespeichert.")
    posted = time.monotonic()

    mate.locator("#q-strength .card-text", has_text=text).wait_for(timeout=2000)
    assert time.monotonic() - posted < 2.0
    assert mate.locator("#q-weakness .card-text", has_text=text).count() == 0

    second.wait_for_timeout(2500)  # two poll rounds: long enough for a leak to show
    assert second.locator(".card-text", has_text=text).count() == 0
    assert_accessible(first)


def test_typed_text_survives_a_validation_error(new_phone, live_forum):
    forum = live_forum()
    phone = new_phone()
    join(phone, forum, "Verwaltung")
    phone.get_by_role("link", name="Zur 4-Feldermatrix").click()
    too_long = "Ehrenamt braucht Anerkennung. " * 20
    open_quadrant(phone, "Chancen")
    phone.get_by_label("Neue Karte: Chancen").fill(too_long)
    phone.locator("#q-opportunity").get_by_role("button", name="Karte hinzufügen").click()
    error = phone.locator("#text-opportunity-error")
    error.wait_for()
    assert "zu lang" in error.inner_text()
    assert phone.get_by_label("Neue Karte: Chancen").input_value() == too_long.strip()
    assert (
        phone.get_by_label("Neue Karte: Chancen")
        .get_attribute("aria-describedby")
        .endswith("text-opportunity-error")
    )
    assert_accessible(phone)


def test_board_works_without_javascript(new_phone, live_forum):
    forum = live_forum()
    phone = new_phone(java_script_enabled=False)
    group = join(phone, forum, "Sonstige")
    mate = new_phone(java_script_enabled=False)
    while join(mate, forum, "Sonstige") != group:
        mate = new_phone(java_script_enabled=False)
    phone.goto(f"/j/{forum.join_code}/board")
    open_quadrant(phone, "Risiken")
    phone.get_by_label("Neue Karte: Risiken").fill("Förderung läuft 2026 aus")
    phone.locator("#q-threat").get_by_role("button", name="Karte hinzufügen").click()
    phone.locator("#q-threat .card-text", has_text="Förderung läuft 2026 aus").wait_for()
    mate.goto(f"/j/{forum.join_code}/board")  # a reload shows the group's new cards
    assert mate.locator("#q-threat .card-text", has_text="Förderung läuft 2026 aus").count() == 1


@pytest.mark.parametrize("width", [320, 390])
def test_participant_pages_fit_small_phones_and_stay_on_this_server(
    new_phone, live_forum, base_url, width
):
    forum = live_forum()
    phone = new_phone(viewport={"width": width, "height": 640})
    requests = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.goto(f"/j/{forum.join_code}")
    pages = [phone.url]
    join(phone, forum, "Migrant*innenorganisation")
    pages.append(phone.url)
    phone.goto(f"/j/{forum.join_code}/board")
    pages.append(phone.url)
    phone.get_by_label("Neue Karte: Stärken").fill("Mehrsprachige Beratung im Stadtteil")
    phone.locator("#q-strength").get_by_role("button", name="Karte hinzufügen").click()
    phone.get_by_role("link", name="Bearbeiten").first.click()
    pages.append(phone.url)
    pages.append(phone.url.split("/cards/")[0] + "/measures")
    for url in pages:
        phone.goto(url)
        assert phone.evaluate("document.documentElement.lang") == "de"
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
    phone.goto("/j/AAAAAAAAAAAAAAAAAAAAAA")
    assert_accessible(phone)
    foreign = [
        url for url in requests if not url.startswith(base_url) and not url.startswith("data:")
    ]
    assert foreign == []


def test_the_accessibility_check_itself_reports_violations(new_phone):
    # Guards the guard: a page with an unlabelled field and low contrast must fail the check.
    page = new_phone()
    page.set_content(
        '<html lang="de"><body><main><input type="text">'
        '<p style="color:#ccc;background:#fff">blass</p></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label|color-contrast"):
        assert_accessible(page)
