"""The counter on a phone (390×844): open a pickup link, find a neighbour by phone tail, hand the
order over with the perk owed, and watch the gift promise's checklist move on 承诺履约."""
from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

import db
from db.models import ChainEntry
from services import pickup, promises, shows
from services.authz import SYSTEM
from tests.browser.conftest import PASSWORD, screenshot, seed_demo_database, start_server, stop_server, wait_for_app

SHOW = "源味集《农场主来了》"
PHONE = "139 1234 8888"
PHONE_VIEW = {"width": 390, "height": 844}
T = 30_000
QUIET = {k: "60" for k in ("CONSOLE_REFRESH_S", "CONSOLE_QUEUE_REFRESH_S", "JIELONG_REFRESH_S",
                           "JIELONG_ADVICE_REFRESH_S")}


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """The demo server; 跟团号 3 of the greens (owed the signed notebook) has a phone number, and
    the shop has a pickup link for 前台小周."""
    tmp = tmp_path_factory.mktemp("server")
    url = seed_demo_database(tmp / "app.db")
    eng = db.connect(url)
    with db.session(eng) as s:
        show_id = shows.find_show(s, SHOW).id
        row = next(r for r in pickup.find(s, show_id, "3") if r.product.startswith("有机上海青"))
        s.execute(update(ChainEntry).where(ChainEntry.id == row.entry_id).values(phone=PHONE))
        token = pickup.create_link(s, SYSTEM, show_id, "前台小周")
        gift = next(p for p in promises.list_promises(s, show_id) if p.kind == "gift")
    eng.dispose()
    srv = start_server(url, tmp / "streamlit.log", env=QUIET)
    yield {"server": srv, "token": token, "name": row.name, "entry_id": row.entry_id, "show_id": show_id, "gift": gift}
    stop_server(srv)
    from tests.appserver import log_tracebacks

    problems = log_tracebacks(srv)
    assert not problems, f"the server logged {len(problems)} traceback(s): {problems[:3]}"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE_VIEW, locale="zh-CN", is_mobile=True, has_touch=True)
    p = context.new_page()
    p.set_default_timeout(60_000)
    yield p
    context.close()


def login_on_phone(page, server) -> str:
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_label("用户名").fill("assistant_user")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("stSidebar").wait_for(state="attached")  # back from the cookie endpoint, logged in
    wait_for_app(page)
    return ""  # the login is in the session cookie, not in any URL


def open_gift_promise(page, server, token, show_id, gift) -> None:
    page.goto(f"{server.url}/promises?{urlencode({'show': show_id})}")
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1).first).to_contain_text("承诺履约", timeout=T)
    page.get_by_label("查看 / 处理承诺").tap()  # a touch screen: a tap opens the list
    page.get_by_role("option").filter(has_text=gift.text[:20]).first.tap()
    wait_for_app(page)


def test_find_by_phone_tail_mark_and_see_the_promise_move(night, phone, browser):
    try:
        _counter_then_promises(night, phone, browser)
    except Exception:
        screenshot(phone, "pickup_phone_failure")
        raise


def _counter_then_promises(night, phone, browser) -> None:
    server, gift = night["server"], night["gift"]
    # The assistant's phone: the notebook promise before anyone came to the counter.
    desk = browser.new_context(viewport=PHONE_VIEW, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    desk.set_default_timeout(60_000)
    login_token = login_on_phone(desk, server)
    open_gift_promise(desk, server, login_token, night["show_id"], gift)
    progress = desk.get_by_text(re.compile(r"^已完成 \d+/\d+$"))
    expect(progress).to_have_text(f"已完成 {gift.done}/{gift.total}", timeout=T)

    # The counter: 前台小周's pickup link on a phone.
    phone.goto(f"{server.url}/?{urlencode({'pickup': night['token']})}")
    wait_for_app(phone)
    expect(phone.get_by_role("heading", level=1).first).to_contain_text("提货核销", timeout=T)
    expect(phone.get_by_text(f"{SHOW} · 前台小周（提货链接）")).to_be_visible(timeout=T)
    box = phone.get_by_label("跟团号 / 手机尾号 / 姓名")
    box.fill("8888")
    box.press("Enter")
    wait_for_app(phone)
    # The card is a keyed st.container: Streamlit tags it with the class st-key-<key> (no own test id).
    card = phone.locator(f".st-key-pickup_card_{night['entry_id']}")
    expect(card).to_contain_text(f"3号 {night['name']}", timeout=T)
    expect(card.get_by_role("checkbox", name="赠品：送《有机生活手札》")).to_be_checked(timeout=T)
    mark = card.get_by_role("button", name=re.compile(r"^已提货 ×\d+$"))
    assert mark.bounding_box()["width"] >= 300  # one big button, easy with a thumb
    screenshot(phone, "pickup_phone_found")
    mark.tap()
    wait_for_app(phone)
    expect(card.get_by_text("已提货", exact=True)).to_be_visible(timeout=T)
    expect(card.get_by_text(re.compile(r"^到店自提：前台小周 · "))).to_be_visible(timeout=T)
    expect(card.get_by_text("✓ 送《有机生活手札》（已发）")).to_be_visible(timeout=T)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEW["width"] + 1, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "pickup_phone_marked")

    # Back on 承诺履约: the checklist moved by one, by pickup.
    open_gift_promise(desk, server, login_token, night["show_id"], gift)
    expect(desk.get_by_text(re.compile(r"^已完成 \d+/\d+$"))).to_have_text(
        f"已完成 {gift.done + 1}/{gift.total}", timeout=T)
    screenshot(desk, "pickup_promises_moved")
    desk.context.close()
