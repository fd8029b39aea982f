"""Login, logout and the host link, in a real browser."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

import db
from services import auth, clock, shows
from services.authz import SYSTEM
from tests.browser.conftest import PASSWORD, login, screenshot, seed_demo_database, start_server, stop_server, wait_for_app

SHOW = "源味集《农场主来了》"
REFUSED = "主播链接无效、已过期或已被撤销"


# Live panels refresh every few seconds; on a loaded machine that keeps the app "running"
# most of the time and wait_for_app flaky. These tests are not about live refresh: slow it.
QUIET = {k: "60" for k in ("CONSOLE_REFRESH_S", "CONSOLE_QUEUE_REFRESH_S", "JIELONG_REFRESH_S",
                           "JIELONG_ADVICE_REFRESH_S")} | {"HOST_REFRESH_S": "3"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("server")
    srv = start_server(seed_demo_database(tmp / "app.db"), tmp / "streamlit.log", env=QUIET)
    yield srv
    stop_server(srv)


def _link(server, hours: float = 1.0, expired: bool = False, revoked: bool = False) -> str:
    """A host link written straight into the server's database."""
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        show_id = shows.find_show(s, SHOW).id
        now = clock.now() - timedelta(hours=hours + 1) if expired else None
        token = auth.create_host_link(s, SYSTEM, show_id, hours=hours, now=now)
        if revoked:
            auth.revoke_host_link(s, SYSTEM, auth.host_link_id(s, token))
    eng.dispose()
    return token


@pytest.fixture
def second_page(browser):
    """A second browser context: no cookies, no storage, no session shared with `page`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def test_logout_ends_the_token(server, page, second_page):
    login(page, server, "assistant")
    old_url = page.url
    assert "s=" in old_url
    token = old_url.split("s=", 1)[1].split("&", 1)[0]
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert PASSWORD not in log and token not in log  # the server log holds neither
    page.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    wait_for_app(page)
    page.get_by_label("密码").wait_for()
    assert "s=" not in page.url
    for p in (page, second_page):  # the same tab and a fresh context both land on the login
        p.goto(old_url)
        wait_for_app(p)
        p.get_by_label("密码").wait_for()
        assert p.get_by_text("assistant_user").count() == 0
        assert p.get_by_text("Page not found").count() == 0


def test_a_deep_link_shows_the_login_and_then_that_page(server, page):
    page.goto(f"{server.url}/review")
    wait_for_app(page)
    page.get_by_label("用户名").fill("reviewer_user")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.get_by_role("heading", level=1).filter(has_text="复盘").wait_for()
    assert "/review" in page.url and page.get_by_text("Page not found").count() == 0


def test_console_link_opens_the_host_screen_in_a_second_context_without_login(server, page, second_page):
    login(page, server, "assistant")
    page.get_by_role("tab", name="主播链接").click()  # the console's right column: 接龙 / 承诺速记 / 主播链接
    page.get_by_role("button", name="生成主播链接").click()
    wait_for_app(page)
    code = page.get_by_test_id("stCode").filter(has_text="host=").first
    code.wait_for()
    url = code.inner_text().strip()
    assert url.startswith(server.url) and list(parse_qs(urlsplit(url).query)) == ["host"]
    page.get_by_test_id("stImage").first.wait_for()  # the QR code
    screenshot(page, "hostlink_console")

    second_page.goto(url)
    wait_for_app(second_page)
    second_page.get_by_text(SHOW).first.wait_for()
    assert second_page.get_by_label("密码").count() == 0
    assert second_page.get_by_test_id("stSidebarNav").count() == 0  # only the host screen
    assert second_page.get_by_role("button", name="生成主播链接").count() == 0
    screenshot(second_page, "hostlink_host_screen")

    token = url.split("host=", 1)[1]
    second_page.goto(f"{server.url}/console?host={token}")  # asking for another page
    wait_for_app(second_page)
    second_page.get_by_text(SHOW).first.wait_for()
    assert second_page.get_by_role("heading", name="中控台").count() == 0
    assert second_page.get_by_role("button", name="生成主播链接").count() == 0
    second_page.goto(f"{server.url}/console")  # the link is no login
    wait_for_app(second_page)
    second_page.get_by_label("密码").wait_for()


@pytest.mark.parametrize("kind", ["expired", "revoked"])
def test_expired_or_revoked_link_is_refused_in_chinese(server, second_page, kind):
    token = _link(server, expired=kind == "expired", revoked=kind == "revoked")
    second_page.goto(f"{server.url}/?host={token}")
    wait_for_app(second_page)
    second_page.get_by_text(REFUSED).wait_for()
    assert second_page.get_by_text(SHOW).count() == 0
    assert second_page.get_by_label("密码").count() == 0
    assert second_page.get_by_test_id("stException").count() == 0
    screenshot(second_page, f"hostlink_{kind}")


def _open_then_revoke(server, second_page) -> None:
    """Open the host screen through a fresh link, then revoke the link behind its back."""
    token = _link(server)
    second_page.goto(f"{server.url}/?host={token}")
    wait_for_app(second_page)
    second_page.get_by_text(SHOW).first.wait_for()
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        auth.revoke_host_link(s, SYSTEM, auth.host_link_id(s, token))
    eng.dispose()


def test_a_link_revoked_while_open_is_refused_without_a_reload(server, second_page):
    _open_then_revoke(server, second_page)
    # the screen's own refresh re-checks the link (every few seconds) and gives way
    second_page.get_by_text(REFUSED).wait_for(timeout=30_000)
    second_page.get_by_text(SHOW).first.wait_for(state="detached", timeout=10_000)


def test_a_link_revoked_while_open_is_refused_on_the_next_load(server, second_page):
    _open_then_revoke(server, second_page)
    second_page.reload()
    wait_for_app(second_page)
    second_page.get_by_text(REFUSED).wait_for()
    assert second_page.get_by_text(SHOW).count() == 0
