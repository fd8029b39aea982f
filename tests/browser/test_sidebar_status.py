"""The sidebar's show picker follows 结束直播 / 恢复直播 on the console at once (night 8: it kept
saying 直播中 beside a head saying 已结束 until another page was opened). Only a browser sees it:
the server sends the new label, the selectbox kept drawing the old one for the same value."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import login, wait_for_app


def test_the_picker_label_follows_the_show_status(server, page):
    login(page, server, "assistant")
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox").first
    expect(picker).to_have_value(re.compile("已结束 · 源味集《农场主来了》"))
    page.get_by_role("button", name="恢复直播").click()
    wait_for_app(page)
    expect(page.get_by_text("状态：直播中")).to_be_visible()
    expect(picker).to_have_value(re.compile("直播中 · 源味集《农场主来了》"), timeout=10_000)
    page.get_by_role("button", name=re.compile("结束直播")).click()
    page.get_by_role("button", name="确认结束直播").click()
    wait_for_app(page)
    expect(page.get_by_text("状态：已结束")).to_be_visible()
    expect(picker).to_have_value(re.compile("已结束 · 源味集《农场主来了》"), timeout=10_000)
