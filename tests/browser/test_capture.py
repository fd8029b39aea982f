"""Live capture in the browser: the capture process runs against a fake oba-live-tool; comments said
in the room appear in the console's question queue with no paste, and the status line follows the feed."""
from __future__ import annotations

import re

import pytest

import db
from tests.browser.conftest import login, screenshot, wait_for_app
from tests.capture_fakes import CaptureProcess, FakeWsTool, frames, live_show

TITLE = "直播采集浏览器测试场"


@pytest.fixture(scope="module")
def show_on_air(server) -> int:
    eng = db.connect(server.database_url)
    show_id = live_show(eng, TITLE)
    eng.dispose()
    return show_id


def test_captured_comments_reach_the_queue_and_the_status_line_follows_the_feed(server, page, show_on_air, tmp_path):
    tool = FakeWsTool().start()
    proc = CaptureProcess(server.database_url, show_on_air, "oba", "--url", tool.url, log=tmp_path / "capture.log")
    try:
        tool.wait_for_client()
        login(page, server, "assistant")
        page.goto(f"{server.url}/console?show={show_on_air}")  # the session cookie carries the login
        wait_for_app(page)
        main = page.get_by_test_id("stMain")
        main.get_by_text(re.compile("已连接 · 每分钟 0 条 · 还没有消息")).wait_for()

        lines = frames("oba")
        tool.send([lines[0], lines[1], lines[3]])  # 鸡蛋什么时候发货 / 运费多少 / 我要两份
        for text in ("鸡蛋什么时候发货", "运费多少"):
            main.get_by_text(text, exact=True).first.wait_for(timeout=15_000)
        main.get_by_text(re.compile(r"已连接 · 每分钟 3 条 · 最后一条 \d+ 秒前")).wait_for(timeout=10_000)
        assert page.get_by_test_id("stException").count() == 0
        screenshot(page, "capture_console_connected")

        tool.stop()  # the tool quits: the console says so
        main.get_by_text(re.compile("连不上采集工具 oba-live-tool")).wait_for(timeout=10_000)
        screenshot(page, "capture_console_banner")
    finally:
        tool.stop()
        proc.stop()
