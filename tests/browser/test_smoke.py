"""Smoke: the app starts, an assistant logs in and sees the demo show in Chinese."""
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot, wait_for_app


def test_console_shows_the_demo_show_title(server, page):
    login(page, server, "assistant")
    # The login page's title may linger for a moment while the console's first run draws.
    expect(page.get_by_role("heading", level=1, name="中控台 · 源味集《农场主来了》")).to_be_visible(timeout=20_000)
    path = screenshot(page, "smoke_console")
    assert path.stat().st_size > 10_000


def test_refresh_keeps_the_assistant_logged_in(server, page):
    login(page, server, "assistant")
    page.reload()
    wait_for_app(page)
    assert page.get_by_test_id("stSidebar").get_by_text("assistant_user").is_visible()
    assert page.get_by_label("密码").count() == 0
