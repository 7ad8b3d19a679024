"""The dot button on a phone at the limits (issue 13.6): disabled, with the reason beside it."""

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Forum
from forum.services import moderation
from tests.browser.conftest import assert_accessible, join

pytestmark = pytest.mark.browser

TITLES = ("Raumbörse für Vereine", "Ehrenamtskarte", "Sprachcafé im Stadtteil")
PER_MEASURE = "Höchstens 2 Punkte pro Maßnahme."
SPENT = "Alle Ihre Punkte sind vergeben."


def measures_for(live_app, slug, group_name) -> None:
    with live_app.app_context():
        forum = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()
        group = next(g for g in forum.groups if g.name == group_name)
        for title in TITLES:
            moderation.add_measure(group.id, "", title, f"key-{title}-{group.id}")


def dot_button(page, title):
    return page.get_by_role("button", name=f"Punkt setzen: {title}")


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_dot_button_is_disabled_at_each_limit_with_the_reason(
    script, new_phone, live_forum, live_app, tmp_path
):
    forum = live_forum(dots_per_participant=3, max_dots_per_measure=2)
    phone = new_phone(java_script_enabled=script)
    measures_for(live_app, forum.slug, join(phone, forum))
    phone.goto(f"/j/{forum.join_code}/measures")
    first, second, third = (dot_button(phone, title) for title in TITLES)

    first.click()
    expect(phone.get_by_text("Ihre Punkte: noch 2")).to_be_visible()
    expect(first).to_be_enabled()
    first.click()
    # The per-measure limit: this button only, the reason beside it and tied to it.
    expect(first).to_be_disabled()
    expect(first).to_have_accessible_description(PER_MEASURE)
    beside = phone.locator(f"#{first.get_attribute('aria-describedby')}")
    expect(beside).to_be_visible()
    expect(beside).to_have_text(PER_MEASURE)
    for other in (second, third):
        expect(other).to_be_enabled()
    if script:  # axe runs in the page: not where scripts are off (the markup is the same)
        assert_accessible(phone)

    second.click()
    # Every dot spent: every button disabled, each with the reason.
    expect(phone.get_by_text("Ihre Punkte: noch 0")).to_be_visible()
    for button in (first, second, third):
        expect(button).to_be_disabled()
        expect(button).to_have_accessible_description(SPENT)
    expect(phone.get_by_text(SPENT)).to_have_count(3)
    if script:
        assert_accessible(phone)
        phone.screenshot(path=str(tmp_path / "measures-390.png"), full_page=True)

    # Taking a dot back opens the others again.
    phone.get_by_role("button", name=f"Punkt zurücknehmen: {TITLES[1]}").click()
    expect(third).to_be_enabled()
    expect(first).to_have_accessible_description(PER_MEASURE)


def test_a_refused_dot_is_explained_beside_its_measure(new_phone, live_forum, live_app):
    forum = live_forum(dots_per_participant=3, max_dots_per_measure=1)
    phone = new_phone(java_script_enabled=False)
    measures_for(live_app, forum.slug, join(phone, forum))
    phone.goto(f"/j/{forum.join_code}/measures")
    stale = phone.context.new_page()  # a second tab, opened before the dot
    stale.goto(f"/j/{forum.join_code}/measures")
    dot_button(phone, TITLES[2]).click()
    expect(dot_button(phone, TITLES[2])).to_be_disabled()

    dot_button(stale, TITLES[2]).click()
    refusal = stale.locator(".measure", has_text=TITLES[2]).locator(".flash.error")
    expect(refusal).to_have_text(
        "Auf diese Maßnahme haben Sie schon die höchste Zahl an Punkten gesetzt."
    )
    expect(refusal).to_be_in_viewport()
    expect(stale.locator("#status")).to_have_text("")
