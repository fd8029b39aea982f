"""Smoke: the app starts, an assistant logs in and sees the demo show in Chinese."""
from tests.browser.conftest import login, screenshot, wait_for_app


def test_console_shows_the_demo_show_title(server, page):
    login(page, server, "assistant")
    heading = page.get_by_role("heading", level=1).first
    heading.wait_for()
    assert "源味集《农场主来了》" in heading.inner_text()
    path = screenshot(page, "smoke_console")
    assert path.stat().st_size > 10_000


def test_refresh_keeps_the_assistant_logged_in(server, page):
    login(page, server, "assistant")
    page.reload()
    wait_for_app(page)
    assert page.get_by_test_id("stSidebar").get_by_text("assistant_user").is_visible()
    assert page.get_by_label("密码").count() == 0
