"""Languages in real Chromium: negotiation, the switch without JavaScript, RTL layout, axe."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, open_quadrant

pytestmark = pytest.mark.browser

LANGUAGES = ["de", "en", "uk", "ar"]
WIDTHS = [360, 1280]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR to keep them for a look, else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def phone_speaking(browser, base_url):
    """Return a function that opens a 390 px phone sending the given Accept-Language header."""
    contexts = []

    def open_phone(accept: str, **options):
        # Without `locale`: Chromium would send the locale instead of this header.
        context = browser.new_context(
            base_url=base_url,
            extra_http_headers={"Accept-Language": accept},
            **{"viewport": {"width": 390, "height": 844}, **options},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def join_by_form(page, forum, org_value="volunteer") -> None:
    """Join in whatever language the page speaks: the radio by its value, then the one button."""
    page.goto(f"/j/{forum.join_code}")
    page.locator(f"input[name=org_type][value={org_value}]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/j/{forum.join_code}/group")


def test_accept_language_uk_gets_ukrainian_join_form_and_board(phone_speaking, live_forum):
    forum = live_forum()
    phone = phone_speaking("uk,en;q=0.8")
    phone.goto(f"/j/{forum.join_code}")
    expect(phone.locator("html")).to_have_attribute("lang", "uk")
    expect(phone.get_by_role("group", name="Сфера, яку я представляю")).to_be_visible()
    phone.get_by_label("Волонтерська робота").check()
    phone.get_by_label("Ім’я (необов’язково)").fill("Олена")
    phone.get_by_role("button", name="Взяти участь").click()
    phone.wait_for_url(f"**/j/{forum.join_code}/group")
    expect(phone.get_by_role("heading", name="Ваша група")).to_be_visible()

    phone.get_by_role("link", name="До матриці SWOT").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Матриця SWOT")
    expect(phone.get_by_role("heading", name="Сильні сторони")).to_be_visible()
    open_quadrant(phone, "Ризики")
    phone.get_by_label("Нова картка: Ризики").fill("Мало перекладачів на зустрічах")
    phone.locator("#q-threat").get_by_role("button", name="Додати картку").click()
    expect(phone.locator("#q-threat .card-text")).to_have_text("Мало перекладачів на зустрічах")
    expect(phone.locator("#status-threat")).to_contain_text("Картку збережено.")


def test_french_then_arabic_gets_arabic_right_to_left(phone_speaking, live_forum):
    forum = live_forum()
    phone = phone_speaking("fr-FR,ar;q=0.5")
    phone.goto(f"/j/{forum.join_code}")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("button", name="المشاركة")).to_be_visible()
    # Right to left: the form's labels start at the right edge of the page.
    heading = phone.get_by_role("heading", level=1).bounding_box()
    legend = phone.locator("legend").bounding_box()
    assert legend["x"] + legend["width"] > heading["x"] + heading["width"] - 40


def test_the_switch_works_without_javascript_and_is_remembered(phone_speaking, live_forum):
    forum = live_forum()
    phone = phone_speaking("de-DE,de;q=0.9", java_script_enabled=False)
    phone.goto(f"/j/{forum.join_code}")
    expect(phone.get_by_role("button", name="Teilnehmen")).to_be_visible()
    switch = phone.get_by_role("form", name="Sprache")
    expect(switch.locator("[aria-current=true]")).to_have_text("Deutsch")

    switch.get_by_role("button", name="English").click()
    phone.wait_for_url(f"**/j/{forum.join_code}")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("button", name="Take part")).to_be_visible()
    [cookie] = [c for c in phone.context.cookies() if c["name"] == "lang"]
    assert cookie["value"] == "en" and cookie["sameSite"] == "Lax"
    assert cookie["expires"] > time.time() + 360 * 24 * 3600

    phone.reload()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.get_by_role("form", name="Language").get_by_role("button", name="العربية").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert phone.url.endswith("/datenschutz")


def phone_in(new_phone, base_url, lang: str, width: int):
    """Open a phone (or, at desktop width, a laptop) whose `lang` cookie chose a language."""
    size = {"viewport": {"width": width, "height": 844 if width < 600 else 900}}
    if width >= 600:
        size.update(is_mobile=False, has_touch=False)
    page = new_phone(**size)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    return page


def test_arabic_board_puts_strengths_on_the_right(new_phone, base_url, live_forum, shots):
    forum = live_forum()
    laptop = phone_in(new_phone, base_url, "ar", 1280)
    join_by_form(laptop, forum)
    laptop.goto(f"/j/{forum.join_code}/board")
    expect(laptop.locator("#h-strength")).to_have_text("نقاط القوة")
    tabs = laptop.get_by_role("tablist").get_by_role("tab")
    strength, weakness, threat = (tabs.nth(i).bounding_box() for i in (0, 1, 3))
    assert strength["x"] >= weakness["x"] + weakness["width"], (strength, weakness)
    assert strength["y"] == weakness["y"] == threat["y"] and threat["x"] < weakness["x"]
    laptop.screenshot(path=shots / "board-ar-1280.png", full_page=True)

    phone = phone_in(new_phone, base_url, "ar", 390)
    join_by_form(phone, forum)
    phone.goto(f"/j/{forum.join_code}/board")
    tabs = phone.get_by_role("navigation", name="حقول المصفوفة").get_by_role("tab")
    first, second = tabs.nth(0).bounding_box(), tabs.nth(1).bounding_box()
    assert first["x"] > second["x"], "the first field's tab starts on the right"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=shots / "board-ar-390.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_join_page_and_board_pass_axe_in_every_language(
    new_phone, base_url, live_forum, shots, lang, width
):
    forum = live_forum()
    phone = phone_in(new_phone, base_url, lang, width)
    phone.goto(f"/j/{forum.join_code}")
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(phone)
    join_by_form(phone, forum)
    phone.goto(f"/j/{forum.join_code}/board")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    assert_accessible(phone)
    phone.screenshot(path=shots / f"board-{lang}-{width}.png", full_page=True)
