"""Members in the browser: an asker's badge in the queue, the KOC @ list copied from the 接龙
panel, the 核心看板 with its charts."""
from __future__ import annotations

from tests.browser.conftest import login, screenshot, wait_for_app
from tests.browser.live_night_steps import choose


def test_badges_koc_list_and_core_board(server, page):
    login(page, server, "assistant")
    # the console (the assistant's first page): each asker's badge under the question
    badge = page.get_by_test_id("stText").filter(has_text="提问人：").first
    badge.wait_for()
    assert "〔" in badge.inner_text()
    assert any(w in badge.inner_text() for w in ("新客", "复购", "KOC", "售后关注", "沉默"))
    # the 接龙 panel: the KOC @ list, copied with the code block's copy button
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    choose(page, "团品", "有机上海青")  # the console opens on the deal released last; the KOCs joined this one
    page.get_by_text("KOC 带头下单（10/10 已接龙）").click()
    wait_for_app(page)
    copied = _copy_code_block(page, page.get_by_test_id("stCode").filter(has_text="@").last)
    assert copied.startswith("@") and copied.count("@") == 10, copied
    screenshot(page, "members_console")
    # 社群成员 → 核心看板 with its charts
    page.get_by_role("link", name="社群成员").click()
    wait_for_app(page)
    page.get_by_text("核心看板").first.wait_for()
    page.get_by_test_id("stMetric").filter(has_text="复购用户占比").wait_for()
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.nth(2).wait_for()
    assert charts.count() >= 3
    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for()
    screenshot(page, "members_board")


def _copy_code_block(page, block, tries: int = 10) -> str:
    """Click the code block's copy button (shown on hover) until the clipboard holds its text.

    The browser writes the clipboard asynchronously, and a click landing while the button is
    still fading in does nothing: one immediate read came back empty under a loaded CI machine.
    """
    copied = ""
    block.scroll_into_view_if_needed()
    for _ in range(tries):
        # force: under load an expander above can still be settling and "intercept" the pointer
        # (seen once in CI); the hover only has to reveal the copy button.
        block.hover(force=True)
        block.get_by_role("button").first.click(force=True)
        page.wait_for_timeout(300)
        copied = page.evaluate("navigator.clipboard.readText()")
        if copied:
            break
    return copied
