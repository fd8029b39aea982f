"""Browser: log a promise on the console, find it on 承诺履约, tick items, see the progress move."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot, wait_for_app

WORDS = "前3名下单的送一把小香葱"
T = 30_000  # expect timeout: the machine is shared, slow reruns must not flake


def choose(page, label: str, option_text: str) -> None:
    """Pick the option containing option_text in the Streamlit selectbox with this label."""
    page.get_by_label(label).click()
    page.get_by_role("option").filter(has_text=option_text).first.click()
    wait_for_app(page)


def test_log_on_console_then_tick_on_the_promises_page(server, page):
    # The machine is shared: give slow reruns room rather than flake.
    page.set_default_timeout(60_000)
    try:
        _log_confirm_tick(server, page)
    except Exception:
        screenshot(page, "promises_failure")  # what the page showed when it went wrong
        raise


def _log_confirm_tick(server, page) -> None:
    login(page, server, "assistant")
    page.get_by_role("tab", name="承诺速记").click()  # the console's right column: 接龙 / 承诺速记 / 主播链接
    box = page.get_by_label("主播刚说的承诺（回车即记录）")
    box.fill(WORDS)
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("刚记录：")).to_be_visible(timeout=T)
    expect(box).to_have_value("", timeout=T)  # cleared for the next promise
    # the guessed kind is shown selected (its button greyed), the others one click away
    expect(page.get_by_role("button", name="赠品", exact=True)).to_be_disabled(timeout=T)
    expect(page.get_by_role("button", name="包退", exact=True)).to_be_enabled(timeout=T)
    page.get_by_text("刚记录：").scroll_into_view_if_needed()
    screenshot(page, "promises_console_quick_log")

    page.get_by_test_id("stSidebar").get_by_role("link", name="承诺履约").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1).first).to_contain_text("承诺履约", timeout=T)
    screenshot(page, "promises_page")
    choose(page, "查看 / 处理承诺", WORDS)
    page.get_by_role("button", name="确认并生成履约项").click()
    wait_for_app(page)
    progress = page.get_by_text(re.compile(r"^已完成 \d+/3$"))
    expect(progress).to_have_text("已完成 0/3", timeout=T)
    screenshot(page, "promises_confirmed")

    # One tick in the item table (the first row's 完成 checkbox) saves by itself.
    grid = page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    bb = grid.bounding_box()
    # the checkbox sits in the middle of the first column ("small": about 80 px wide, so its
    # middle is ~40 px in), below the 35px header. Only a click ON the checkbox toggles it (a click
    # beside it just selects the cell); the editor's on_change then saves it.
    page.mouse.click(bb["x"] + 40, bb["y"] + 35 + 17)
    expect(progress).to_have_text("已完成 1/3", timeout=T)

    # Bulk ticking by chain range takes the rest.
    page.get_by_label("按接龙序号批量勾选").fill("1-500")
    page.get_by_role("button", name="批量勾选").click()
    wait_for_app(page)
    expect(progress).to_have_text("已完成 3/3", timeout=T)
    expect(page.get_by_text("全部履约项已完成，建议标记为「已兑现」。")).to_be_visible(timeout=T)
    screenshot(page, "promises_ticked")
    page.get_by_role("button", name="标记为已兑现").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("状态：已兑现"))).to_be_visible(timeout=T)
