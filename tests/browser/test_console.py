"""The planner console in real Chromium: accessible pages and a live overview."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, join

pytestmark = pytest.mark.browser


def test_console_pages_are_accessible(planner_page, live_forum, live_app):
    forum = live_forum()
    with live_app.app_context():
        from forum.extensions import db
        from forum.models import Forum

        process = (
            db.session.execute(db.select(Forum).filter_by(slug=forum.slug))
            .scalar_one()
            .process.slug
        )
    for url in [
        "/planner/",
        f"/planner/forums/{forum.slug}",
        f"/planner/forums/{forum.slug}/edit",
        f"/planner/processes/{process}/edit",
        f"/planner/processes/{process}/forums/new",
        f"/planner/processes/{process}/duplicates",
        "/planner/accounts",
    ]:
        planner_page.goto(url)
        assert_accessible(planner_page)


def test_login_page_is_accessible(new_phone):
    page = new_phone()
    page.goto("/login")
    assert_accessible(page)


def test_overview_counts_a_new_phone_without_reload(planner_page, live_forum, new_phone):
    forum = live_forum()
    planner_page.goto(f"/planner/forums/{forum.slug}")
    total = planner_page.locator("#overview tfoot td").nth(2)
    assert total.inner_text() == "0"
    join(new_phone(), forum, "Ehrenamt")
    # The overview polls every 5 s; the count changes without a reload.
    expect(total).to_have_text("1", timeout=8000)
