"""The database goes away mid-show and comes back: every page says so in Chinese, shows no
traceback, and recovers by itself. The app talks to a PostgreSQL database created for this
test through a TCP proxy the test cuts and restores."""
from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

import db
from services import auth, demo
from services.authz import SYSTEM
from tests.browser.conftest import PASSWORD, ROLES, login, screenshot, start_server, stop_server, wait_for_app
from tests.support import postgres_database
from tests.tcp_proxy import TcpProxy

NOTICE = "数据库暂时无法连接"
SHOW = "源味集《农场主来了》"
PAGES = ["console", "host", "promises", "review", "setup", "operators"]
# The host screen ticks every second (the live-screen tests rely on it); the console's panels slowly.
LIVE = {"HOST_REFRESH_S": "1", **{k: "60" for k in ("CONSOLE_REFRESH_S", "CONSOLE_QUEUE_REFRESH_S",
                                                   "JIELONG_REFRESH_S", "JIELONG_ADVICE_REFRESH_S")}}


@pytest.fixture(scope="module")
def outage(tmp_path_factory) -> Iterator[tuple]:
    with postgres_database() as url:
        eng = db.connect(url)
        db.upgrade(eng)
        with db.session(eng) as s:
            demo.ensure_demo(s)
            for role in ROLES:
                auth.create_operator(s, SYSTEM, f"{role}_user", role, PASSWORD)
        eng.dispose()
        target = make_url(url)
        with TcpProxy((target.host or "127.0.0.1", target.port or 5432)) as proxy:
            proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            srv = start_server(proxied, tmp_path_factory.mktemp("outage") / "streamlit.log", env=LIVE)
            try:
                yield srv, proxy
            finally:
                stop_server(srv)


def _no_traceback(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.content()


def _wait_gone(page, text: str, timeout_s: float = 30) -> float:
    start = time.monotonic()
    page.get_by_text(text).first.wait_for(state="detached", timeout=timeout_s * 1000)
    return time.monotonic() - start


def test_every_page_shows_the_notice_and_recovers_without_a_reload(outage, page):
    server, proxy = outage
    login(page, server, "admin")
    proxy.cut()
    try:
        for name in PAGES:
            page.goto(f"{server.url}/{name}")
            wait_for_app(page)
            page.get_by_text(NOTICE).first.wait_for()
            _no_traceback(page)
        screenshot(page, "outage_notice")
    finally:
        proxy.restore()
    # no reload, no click: the notice's own probe reruns the app once the database answers
    _wait_gone(page, NOTICE)
    screenshot(page, "outage_recovered")
    page.get_by_role("heading", name="运营人员", exact=True).wait_for()
    _no_traceback(page)
    page.get_by_test_id("stSidebar").get_by_text("admin_user").wait_for()


def test_a_live_screen_shows_the_notice_by_itself_and_recovers(outage, page):
    server, proxy = outage
    login(page, server, "assistant")
    page.get_by_test_id("stSidebarNav").get_by_text("主播副屏").click()
    wait_for_app(page)
    page.get_by_text(SHOW).first.wait_for()
    cut_at = time.monotonic()
    proxy.cut()  # no interaction from here on: the screen's own refresh meets the outage
    try:
        page.get_by_text(NOTICE).first.wait_for(timeout=30_000)
        noticed_s = time.monotonic() - cut_at
        _no_traceback(page)
        screenshot(page, "outage_live_screen")
    finally:
        proxy.restore()
    back_s = _wait_gone(page, NOTICE)
    page.get_by_text(SHOW).first.wait_for()
    _no_traceback(page)
    print(f"outage_notice_after_cut: {noticed_s:.1f} s\noutage_recovered_after_restore: {back_s:.1f} s")


def test_the_host_link_screen_rides_out_an_outage(outage, page):
    server, proxy = outage
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        from services import shows

        token = auth.create_host_link(s, SYSTEM, shows.find_show(s, SHOW).id)
    eng.dispose()
    page.goto(f"{server.url}/?host={token}")
    wait_for_app(page)
    page.get_by_text(SHOW).first.wait_for()
    proxy.cut()
    try:
        page.get_by_text(NOTICE).first.wait_for(timeout=30_000)
        _no_traceback(page)
    finally:
        proxy.restore()
    _wait_gone(page, NOTICE)
    page.get_by_text(SHOW).first.wait_for()
    assert page.get_by_label("密码").count() == 0
