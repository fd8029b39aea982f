"""Browser: the host screen's huge numbers are never cut (1024×768 and 1280×800 with the sidebar
open), a phone (390×844) sees the questions and the last promise without scrolling, and the
console shows no English input hints (issue 13 #15, #19)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

import db
from db.models import Deal
from services import auth, live, shows
from services.authz import SYSTEM
from tests.browser.conftest import login, screenshot, wait_for_app

SHOW = "亲亲宝贝《安心之选》"

# Every number's text must lie inside its tile, and no "…" may stand for a cut number.
CUT_NUMBERS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(tile => {
  const box = tile.getBoundingClientRect();
  const value = tile.querySelector('[data-testid="stMetricValue"]');
  const range = document.createRange(); range.selectNodeContents(value);
  const text = range.getBoundingClientRect();
  const cut = text.right > box.right + 1 || text.left < box.left - 1 || value.innerText.includes('…')
    || [...value.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1);
  return cut ? [value.innerText] : [];
})"""


@pytest.fixture(scope="module")
def big_night(server):
    """The demo show with its focus deal at four-digit numbers, and a host link to it."""
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        show_id = shows.find_show(s, SHOW).id
        snap = live.snapshot(s, show_id)
        s.execute(update(Deal).where(Deal.id == snap.focus.id).values(
            threshold=2000, threshold_unit="units", units_valid=1234, stock=5000, reached_at=None, status="released"))
        token = auth.create_host_link(s, SYSTEM, show_id)
        snap = live.snapshot(s, show_id)
    eng.dispose()
    return show_id, token, snap


@pytest.mark.parametrize("width, height", [(1024, 768), (1280, 800)])
def test_huge_numbers_are_whole_beside_the_open_sidebar(server, browser, big_night, width, height):
    show_id, _, _ = big_night
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, server, "assistant")
        page.goto(f"{server.url}/host?show={show_id}")  # the session cookie carries the login
        wait_for_app(page)
        expect(page.get_by_test_id("stSidebar")).to_be_visible()
        expect(page.get_by_test_id("stMetricValue").filter(has_text="1234 / 2000")).to_be_visible()
        expect(page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^766 份$"))).to_be_visible()
        expect(page.get_by_test_id("stMetricValue").filter(has_text="3766 份")).to_be_visible()
        assert page.evaluate(CUT_NUMBERS) == []
        # still huge: the smallest number is at least 1.5 rem
        sizes = page.eval_on_selector_all('[data-testid="stMetricValue"]', "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= 24
        screenshot(page, f"host_layout_{width}x{height}")
    finally:
        context.close()


def test_a_phone_sees_the_questions_and_the_last_promise_without_scrolling(server, browser, big_night):
    _, token, snap = big_night
    assert snap.questions and snap.promises, "the demo night has questions for the host and promises"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{server.url}/?host={token}")
        wait_for_app(page)
        expect(page.get_by_test_id("stMetricValue").filter(has_text="1234 / 2000")).to_be_visible()
        question = page.get_by_text(snap.questions[0].text, exact=False).first
        promise = page.get_by_text(snap.promises[0].text, exact=False).first
        for what in (page.get_by_role("heading", name="请先回答"), question, promise):
            box = what.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, (what, box)
        assert page.evaluate(CUT_NUMBERS) == []
        screenshot(page, "host_layout_phone")
    finally:
        context.close()


def test_the_console_shows_no_english_input_hints(server, page):
    login(page, server, "assistant")
    # the console's right column is three tabs: 接龙 / 承诺速记 / 主播链接
    page.get_by_role("tab", name="承诺速记").click()
    box = page.get_by_role("textbox", name="主播刚说的承诺（回车即记录）")
    box.scroll_into_view_if_needed()
    box.click()
    box.type("前50名送手札")
    page.wait_for_timeout(300)
    assert page.get_by_text("Press Enter to submit form").filter(visible=True).count() == 0
    page.get_by_role("tab", name="接龙", exact=True).click()
    page.get_by_role("tab", name="粘贴接龙").click()
    area = page.get_by_role("textbox", name=re.compile("^把群里的接龙整段复制粘贴到这里"))
    area.scroll_into_view_if_needed()
    area.click()
    area.type("1. 王芳 2份")
    page.wait_for_timeout(300)
    assert page.get_by_text("Press Ctrl+Enter to apply").filter(visible=True).count() == 0
    assert page.get_by_text("Press Enter").filter(visible=True).count() == 0


def test_numbers_never_fade_while_the_screen_refreshes(server, browser, big_night):
    _, token, _ = big_night
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?host={token}")
        wait_for_app(page)
        expect(page.get_by_test_id("stMetricValue").filter(has_text="1234 / 2000")).to_be_visible()
        faded = []
        for _ in range(30):  # about 3 s: at least one refresh of the fragment
            faded += page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stText"]')]
                .filter(e => { let o = 1; for (let n = e; n; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity || 1); return o < 0.99; })
                .map(e => e.innerText)""")
            page.wait_for_timeout(100)
        assert faded == []
    finally:
        context.close()
