"""Browser tests: a real Streamlit server on a free port, driven by Debian's Chromium."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import db
from services import auth, demo
from services.authz import SYSTEM
from tests.support import demo_morning
from tests.appserver import ROOT, Server, log_tracebacks, start_server, stop_server  # noqa: F401 (re-exported)

ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-pass-1"
ROLES = ("admin", "assistant", "host", "reviewer")
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

pytestmark = pytest.mark.browser


def seed_demo_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    eng = db.connect(url)
    db.upgrade(eng)
    with db.session(eng) as s:
        demo.ensure_demo(s, now=demo_morning())  # the counter's perks still to hand over
        for role in ROLES:
            auth.create_operator(s, SYSTEM, f"{role}_user", role, PASSWORD)
    eng.dispose()
    return url


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """The app on the demo nights, with one operator per role (name `<role>_user`)."""
    tmp = tmp_path_factory.mktemp("server")
    srv = start_server(seed_demo_database(tmp / "app.db"), tmp / "streamlit.log")
    yield srv
    stop_server(srv)
    problems = log_tracebacks(srv)
    assert not problems, f"the server logged {len(problems)} traceback(s): {problems[:3]}"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tests/install.sh (apt package chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_timeout(150)
    page.wait_for_selector(APP_IDLE, timeout=30_000)


def login(page, server: Server, role: str, path: str = "") -> None:
    """Log in through the form; the browser then goes through the cookie endpoint and comes back
    to the page with the HttpOnly session cookie (no login in the URL)."""
    page.goto(server.url + path)
    wait_for_app(page)
    page.get_by_label("用户名").fill(f"{role}_user")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("stSidebar").wait_for()
    wait_for_app(page)
    wait_for_app(page)  # the first page after login is drawn in its own run


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def shot() -> Callable[..., Path]:
    return screenshot
