"""Viewer text typed into the console's quick add shows literally in the question queue:
a <script> is text, **粗体** is not bold, no dialog ever opens."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

import db
from services import clock, shows
from services.authz import SYSTEM
from tests.browser.conftest import login, screenshot, wait_for_app

SCRIPT = "<script>alert(1)</script> 多少钱一斤"
BOLD = "**粗体** 有检测报告吗"
IMG = '<img src=x onerror="window.__pwned=1"> 几号发货'
TITLE = "队列转义测试场"


@pytest.fixture(scope="module")
def queue_show(server) -> int:
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        now = clock.now()
        show = shows.create_show(s, SYSTEM, shows.ShowForm(TITLE, "测试群", 100, "老李", now, now + timedelta(hours=1)))
        show_id = show.id
    eng.dispose()
    return show_id


def _quick_add(page, author: str, text: str) -> None:
    page.get_by_label("昵称（可选）").fill(author)
    box = page.get_by_label("评论", exact=True)
    box.fill(text)
    box.press("Enter")
    # The form clears its box once it took the comment. On the loaded CI machine an Enter pressed
    # while a run was under way was once not taken (the comment never showed): the text is still
    # in the box then, and a person presses Enter again. This test is about escaping, not that.
    try:
        expect(box).to_have_value("", timeout=10_000)
    except AssertionError:
        box.press("Enter")
    page.get_by_test_id("stMain").get_by_text(text, exact=True).first.wait_for(timeout=30_000)
    wait_for_app(page)


def test_queue_shows_script_and_markdown_literally(server, page, queue_show):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, server, "assistant")
    page.goto(f"{server.url}/console?show={queue_show}")  # the session cookie carries the login
    wait_for_app(page)
    page.get_by_text(TITLE).first.wait_for()
    # comment intake is folded above the queue (the capture pipe feeds most comments): unfold it
    page.get_by_text("问题队列 · 录入评论").first.click()

    _quick_add(page, "<b>坏人</b>", SCRIPT)
    _quick_add(page, "**路人**", BOLD)
    _quick_add(page, "某人", IMG)

    main = page.get_by_test_id("stMain")
    for text in (SCRIPT, BOLD, IMG):
        main.get_by_text(text, exact=True).first.wait_for()  # all three still shown after the last run
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert main.locator("strong", has_text="粗体").count() == 0
    assert main.locator("b", has_text="坏人").count() == 0
    assert main.locator("img[src='x']").count() == 0
    assert page.get_by_test_id("stException").count() == 0
    screenshot(page, "triage_xss_console")
