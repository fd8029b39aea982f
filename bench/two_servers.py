"""Two Streamlit servers on one PostgreSQL: how long until what the console on server A
writes shows on the host screen served by server B.

Each round types new viewer numbers on A's console (实时数据 entry), notes when the write is
committed (polling the database), then when B's host screen shows them. Prints
`cross_server_visible_s` (median) with its spread.
"""
from __future__ import annotations

import statistics
import time
from datetime import timedelta
from pathlib import Path
from tempfile import mkdtemp

import db
from bench.common import fresh_engine, report
from bench.soak import CHROMIUM_ARGS
from services import auth, clock, jielong, shows
from services.authz import SYSTEM
from tests.appserver import start_server, stop_server

ROUNDS = 8
PASSWORD = "two-servers-1"
REFRESH_S = "2"


def _live_show(eng) -> tuple[int, str]:
    now = clock.now()
    with db.session(eng) as s:
        auth.create_operator(s, SYSTEM, "assistant_user", "assistant", PASSWORD)
        form = shows.ShowForm("双机测试之夜", "测试社群", 300, "老李", now - timedelta(minutes=5), now + timedelta(hours=1))
        show_id = shows.create_show(s, SYSTEM, form).id
        shows.start_show(s, SYSTEM, show_id, at=now - timedelta(minutes=5))
        deal = jielong.create_deal(s, SYSTEM, show_id, jielong.DealForm(
            product="有机上海青", selling_points="当天采摘", group_price="9.9", original_price="15", threshold=50,
            stock=300, delivery_text="明天中午前送到", deadline=now + timedelta(minutes=50)))
        jielong.release(s, deal.id, SYSTEM)
        token = auth.create_host_link(s, SYSTEM, show_id)
    return show_id, token


def _committed(eng, show_id: int, online: int, timeout: float = 30) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session(eng) as s:
            if shows.get_show(s, show_id).viewers_online == online:
                return time.monotonic()
        time.sleep(0.02)
    raise RuntimeError("the viewer numbers were not saved")


def measure(rounds: int = ROUNDS) -> list[float]:
    from playwright.sync_api import sync_playwright

    delays: list[float] = []
    with fresh_engine("postgresql") as eng:
        url = eng.url.render_as_string(hide_password=False)
        show_id, token = _live_show(eng)
        tmp = Path(mkdtemp())
        a = start_server(url, tmp / "a.log", {"HOST_REFRESH_S": REFRESH_S})
        b = start_server(url, tmp / "b.log", {"HOST_REFRESH_S": REFRESH_S})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                host = browser.new_context(locale="zh-CN").new_page()
                host.goto(f"{b.url}/?host={token}")
                host.get_by_text("累计观看").first.wait_for(timeout=60_000)
                console = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
                console.goto(a.url)
                console.get_by_label("用户名").fill("assistant_user", timeout=60_000)
                console.get_by_label("密码").fill(PASSWORD)
                console.get_by_role("button", name="登录").click()
                console.get_by_test_id("stSidebar").wait_for(timeout=60_000)
                console.goto(f"{a.url}/?show={show_id}")  # the session cookie carries the login
                entry = console.get_by_label("观看数据：在线 累计")
                for i in range(rounds):
                    online, cumulative = 150 + i, 260 + i
                    entry.fill(f"{online} {cumulative}")
                    entry.press("Enter")
                    committed = _committed(eng, show_id, online)
                    host.get_by_text(f"在线 {online} · 累计观看 {cumulative}").wait_for(timeout=30_000)
                    delays.append(time.monotonic() - committed)
                browser.close()
        finally:
            stop_server(a)
            stop_server(b)
    return delays


def main() -> None:
    delays = measure()
    report("cross_server_visible_s", statistics.median(delays), "s", 2)
    print(f"#   cross_server_visible_s: min {min(delays):.2f}, max {max(delays):.2f}, n={len(delays)}, "
          f"host refresh every {REFRESH_S} s")
