"""Soak: a scripted night at 20× speed into PostgreSQL while three browser sessions watch.

Two host screens (through a host link) and one console stay open on one Streamlit server;
the simulator replays the 源味集 night (about 108 scripted minutes, then idle up to 120);
the server's RSS is sampled throughout. Prints `soak_rss_mb_at_<s>s` samples, then
`soak_rss_growth_mb` (last samples against the samples after warm-up) and `soak_log_errors`.

    python -m bench soak                 # the full 2-hour night at 20× (about 6 minutes)
    SOAK_MINUTES=20 python -m bench soak # a shorter night
"""
from __future__ import annotations

import os
import re
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import mkdtemp

import psutil

import db
from bench.common import fresh_engine, report
from services import auth, clock, simulate
from services.demo import nights as dn
from services.authz import SYSTEM
from tests.appserver import log_tracebacks, start_server, stop_server

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "soak-pass-123"
ERROR_LINE = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) ")  # Streamlit: "date time LEVEL logger: message"


@dataclass
class SoakResult:
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds, RSS MB)
    log_errors: list[str] = field(default_factory=list)
    show_id: int = 0

    @property
    def growth_mb(self) -> float:
        """Median of the last quarter of samples minus the median of the second quarter
        (the first quarter is warm-up: imports, caches, first charts)."""
        n = len(self.samples)
        q = max(1, n // 4)
        warm = [mb for _, mb in self.samples[q:2 * q]] or [self.samples[0][1]]
        last = [mb for _, mb in self.samples[-q:]]
        return statistics.median(last) - statistics.median(warm)


def _rss_mb(proc: psutil.Process) -> float:
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


def _open_sessions(browser, base: str, token: str, show_id: int):
    """Two host screens and a logged-in console. Live pages rerun their fragments all the
    time, so each wait is for something visible rather than for an idle script."""
    pages = []
    for _ in range(2):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{base}/?host={token}")
        page.get_by_role("heading").first.wait_for(timeout=90_000)
        pages.append(page)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    console = ctx.new_page()
    console.goto(base)
    console.get_by_label("用户名").fill("assistant_user", timeout=90_000)
    console.get_by_label("密码").fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    console.get_by_test_id("stSidebar").wait_for(timeout=90_000)
    console.goto(f"{base}/?show={show_id}")  # the session cookie carries the login
    console.get_by_role("heading", name="中控台", exact=False).first.wait_for(timeout=90_000)
    return pages + [console]


@contextmanager
def _browser(given):
    if given is not None:
        yield given
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def soak(minutes: float = 120, speed: float = 20, sample_s: float = 5, kind: str = "postgresql",
         browser=None) -> SoakResult:
    """Run the soak and return its samples. Pass a running Playwright `browser` when the
    caller already drives one (Playwright allows one sync driver per thread)."""
    result = SoakResult()
    night = dn.yuanweiji()
    with fresh_engine(kind) as eng:
        url = eng.url.render_as_string(hide_password=False)
        with db.session(eng) as s:
            auth.create_operator(s, SYSTEM, "assistant_user", "assistant", PASSWORD)
        start = clock.now()
        show_id, _ = simulate.prepare(eng, night, None, start, speed)
        with db.session(eng) as s:
            token = auth.create_host_link(s, SYSTEM, show_id)
        result.show_id = show_id
        log = Path(mkdtemp()) / "streamlit.log"
        night_log = ""
        server = start_server(url, log, {"HOST_REFRESH_S": "2"})
        proc = psutil.Process(server.process.pid)
        try:
            with _browser(browser) as b:
                contexts = _open_sessions(b, server.url, token, show_id)
                script_minutes = min(minutes, night.last_t / 60)
                feeder = threading.Thread(
                    target=simulate.run, args=(eng,),
                    kwargs={"speed": speed, "show_id": show_id, "minutes": script_minutes, "start": start,
                            "out": lambda line: None},
                    daemon=True,
                )
                t0 = time.monotonic()
                feeder.start()
                total_s = minutes * 60 / speed
                while time.monotonic() - t0 < total_s or feeder.is_alive():
                    result.samples.append((time.monotonic() - t0, _rss_mb(proc)))
                    time.sleep(sample_s)
                feeder.join()
                time.sleep(sample_s)  # the pages' last refreshes after the night's last write
                # The night's log, read while every page is still open: closing a tab while the
                # server sends to it makes Streamlit 1.67 on Starlette 1.x log a websocket
                # traceback (WebSocketDisconnected is a RuntimeError there), which is teardown,
                # not something that happened during the night.
                night_log = log.read_text(errors="replace")
                for page in contexts:
                    page.context.close()
        finally:
            stop_server(server)
        result.log_errors = log_tracebacks(server, night_log) + [
            ln for ln in night_log.splitlines() if ERROR_LINE.match(ln)
        ]
    return result


def main() -> None:
    minutes = float(os.environ.get("SOAK_MINUTES", "120"))
    res = soak(minutes=minutes)
    step = max(1, len(res.samples) // 12)
    for t, mb in res.samples[::step]:
        report(f"soak_rss_mb_at_{int(t)}s", mb, "MB", 1)
    report("soak_rss_growth_mb", res.growth_mb, "MB", 1)
    report("soak_log_errors", len(res.log_errors), "lines", 0)
    for line in res.log_errors[:5]:
        print(f"  log: {line}")
