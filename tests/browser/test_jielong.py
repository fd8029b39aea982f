"""Browser: set up a deal on 场次准备, check readiness, release it on 中控台, paste the group's
chain, see the totals and the progress text."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot, seed_demo_database, start_server, stop_server, wait_for_app

expect.set_options(timeout=20_000)  # a shared 2-core machine: Streamlit reruns can take seconds

SHOW = "浏览器接龙测试场"
CHAIN = """#接龙
【有机上海青】
例 张三 1份 3栋

1. 王芳 2份 5栋
2、李四 两份
3. Lqz13Th x3
4. 295-909 1份
5. 🍓草莓妈妈（不要黄叶）
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the demo nights; live panels refresh slowly so a busy machine keeps up."""
    tmp = tmp_path_factory.mktemp("jielong_server")
    env = {"CONSOLE_REFRESH_S": "30", "JIELONG_REFRESH_S": "30", "JIELONG_ADVICE_REFRESH_S": "60"}
    srv = start_server(seed_demo_database(tmp / "app.db"), tmp / "streamlit.log", env=env)
    yield srv
    stop_server(srv)


def choose(page, label: str, option_text: str, scope=None) -> None:
    (scope or page).get_by_label(label).click()
    page.get_by_role("option").filter(has_text=option_text).first.click()
    wait_for_app(page)


def nav(page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1).first).to_contain_text(title)
    wait_for_app(page)


def test_set_up_release_paste_and_see_progress(server, page):
    login(page, server, "assistant")
    nav(page, "场次准备")

    # A new show (tomorrow, so the deal's default deadline lies ahead), then pick it.
    page.get_by_label("标题").first.fill(SHOW)
    page.get_by_label("社群名称").first.fill("阳光花园团购群")
    page.get_by_label("主播").first.fill("老李")
    page.get_by_role("button", name="保存场次").first.click()
    wait_for_app(page)
    page.reload()  # the sidebar's show list was drawn before the show existed
    wait_for_app(page)
    choose(page, "场次", SHOW, scope=page.get_by_test_id("stSidebar"))
    expect(page.get_by_role("heading", name=re.compile(f"团品 · {SHOW}"))).to_be_visible()

    # The deal: a missing price is named in Chinese first, then the full form saves.
    page.get_by_label("商品名称").first.fill("有机上海青")
    page.get_by_label("核心卖点（每行一条）").first.fill("老李大棚现摘\n农残检测未检出")
    page.get_by_label("成团数").first.fill("5")
    page.get_by_label("限量（份，留空为不限量）").first.fill("12")
    page.get_by_label("预计送达 / 自提").first.fill("明天中午 12 点前送达，东门自提")
    page.get_by_role("button", name="保存团品").first.click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("专享价：须大于 0"))).to_be_visible()
    page.get_by_label("专享价（元）").first.fill("19.9")
    page.get_by_label("原价（元，可留空）").first.fill("29.9")
    page.get_by_role("button", name="保存团品").first.click()
    wait_for_app(page)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text("有机上海青")
    expect(grid).to_contain_text("可发布")  # the readiness check in the deal list
    screenshot(page, "jielong_setup_deal")

    # 中控台: readiness and advice beside the release button, then release.
    nav(page, "中控台")
    expect(page.get_by_text(re.compile("发布前检查：都已就绪"))).to_be_visible()
    expect(page.get_by_text(re.compile("发布时机"))).to_be_visible()
    release = page.get_by_role("button", name="发布接龙")
    release.scroll_into_view_if_needed()
    screenshot(page, "jielong_before_release")
    release.click()
    wait_for_app(page)
    box = page.get_by_label(re.compile("把群里的接龙整段复制粘贴到这里"))
    expect(box).to_be_visible()

    # Paste → preview → confirm.
    box.fill(CHAIN)
    box.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="预览变化").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("预览：识别 5 条，新增 5 条"))).to_be_visible()
    page.get_by_role("button", name="确认保存").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("已保存：新增 5 条"))).to_be_visible()

    # Totals and the progress text (9 份 of a threshold of 5 → reached; 12 - 9 = 3 left).
    metric = page.get_by_test_id("stMetric").filter(has_text="已接龙").first
    expect(metric).to_contain_text("5 单")
    expect(metric).to_contain_text("9 份")
    progress = page.get_by_test_id("stCode").filter(has_text="最后3份！").first
    expect(progress).to_be_visible()
    progress.scroll_into_view_if_needed()
    path = screenshot(page, "jielong_after_paste")
    assert path.stat().st_size > 20_000
