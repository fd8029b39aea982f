"""AppTest fixtures: a SQLite file with the demo nights, and a logged-in operator per role."""
from __future__ import annotations

import shutil
from pathlib import Path
from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import db
from services import auth, demo, shows
from services.authz import SYSTEM
from ui import context
from tests.support import demo_morning

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
PASSWORD = "test-password-1"
ROLES = ("admin", "assistant", "host", "reviewer")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> str:
    """Build the demo database once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    eng = db.connect(f"sqlite:///{path}")
    db.upgrade(eng)
    with db.session(eng) as s:
        demo.ensure_demo(s, now=demo_morning())  # the counter's perks still to hand over
        for role in ROLES:
            auth.create_operator(s, SYSTEM, f"{role}_user", role, PASSWORD)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return str(path)


@pytest.fixture
def app_db(demo_template, tmp_path, monkeypatch) -> Iterator[str]:
    path = tmp_path / "app.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()


def login_token(url: str, role: str) -> str:
    eng = db.connect(url)
    with db.session(eng) as s:
        token = auth.login(s, f"{role}_user", PASSWORD)
    eng.dispose()
    return token


def log_in(at: AppTest, url: str, role: str) -> AppTest:
    """Put `role`'s live login (token and operator) into an AppTest's session, as the frame does
    after the cookie endpoint: every read and act of a panel checks it."""
    eng = db.connect(url)
    with db.session(eng) as s:
        token = auth.login(s, f"{role}_user", PASSWORD)
        actor = auth.resolve_session(s, token)
    eng.dispose()
    at.session_state[context.TOKEN_KEY] = token
    at.session_state[context.ACTOR_KEY] = actor
    return at


@pytest.fixture
def app_as(app_db) -> Callable[..., AppTest]:
    """app_as("assistant") → dashboard.py logged in with that role, after its first run. The
    browser's session cookie is played by the frame's session state (AppTest sends no cookies).

    AppTest reruns only the page script after the first run of an st.navigation app,
    so the frame is tested here on first runs and pages are tested with `page_as`.
    """

    def _make(role: str, query: dict[str, str] | None = None, timeout: float = 30) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=timeout)
        at.session_state["frame_token"] = login_token(app_db, role)
        at.query_params.update(query or {})
        return at.run()

    return _make


@pytest.fixture
def page_as(app_db) -> Callable[..., AppTest]:
    """page_as("assistant", "console") → that page script run as the role on the demo night."""

    def _make(role: str, page: str, show_title: str = "源味集《农场主来了》", timeout: float = 30) -> AppTest:
        eng = db.connect(app_db)
        with db.session(eng) as s:
            token = auth.login(s, f"{role}_user", PASSWORD)
            actor = auth.resolve_session(s, token)
            show = shows.find_show(s, show_title)
            show_id = show.id if show else None
        eng.dispose()
        at = AppTest.from_file(str(Path(APP).parent / "views" / f"{page}.py"), default_timeout=timeout)
        at.session_state[context.TOKEN_KEY] = token  # every read and act checks it, as in the app
        at.session_state[context.ACTOR_KEY] = actor
        at.session_state[context.SHOW_KEY] = show_id
        return at.run()

    return _make
