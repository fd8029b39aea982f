"""What every page needs from the frame: the engine, who is acting, which show, and a
safe way to call services (domain errors become a Chinese message, not a traceback)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

import db
from services.authz import Actor
from services.errors import DomainError

T = TypeVar("T")
log = logging.getLogger("live_night")

ACTOR_KEY = "frame_actor"
SHOW_KEY = "frame_show_id"
HOST_LINK_KEY = "frame_host_link_show"


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """One engine per server process; schema upgraded and demo loaded on first use."""
    from services import auth, demo

    eng = db.connect()
    db.upgrade(eng)
    with db.session(eng) as s:
        auth.ensure_admin_from_env(s)
        demo.ensure_demo(s)
    return eng


def actor() -> Actor:
    return st.session_state[ACTOR_KEY]


def show_id() -> int | None:
    return st.session_state.get(SHOW_KEY)


def read(fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """Run a read-only service function in its own session."""
    try:
        if st.session_state.get("frame_host_token"):  # a screen opened through a host link
            from ui import frame

            frame.check_host_link()
        with db.session(engine()) as s:
            return fn(s, *args, **kw)
    except Exception as exc:
        _outage_in_fragment(exc)
        raise


def _outage_in_fragment(exc: Exception) -> None:
    """Inside a fragment (live panels), an exception would print a traceback there: show
    the outage notice instead and stop the fragment; its next tick retries. Elsewhere the
    exception reaches dashboard.py, which shows the notice for the whole page."""
    from ui import frame  # the frame imports this module

    if db.is_transient(exc) and frame.in_fragment():
        frame.database_down(exc)
        st.stop()


ACT_RETRY_S = 15.0


def act(fn: Callable[..., T], *args: Any, success: str | None = None, **kw: Any) -> T | None:
    """Run a service action in one transaction. A DomainError is shown in Chinese and
    nothing is written; the result (or None on error) is returned. A database blink is
    retried for ACT_RETRY_S seconds (actions are idempotent) before the outage notice."""

    def notice(_exc: BaseException, attempt: int) -> None:
        if attempt == 1:
            st.toast("数据库连接中断，正在重试……")

    from ui import frame  # the frame imports this module

    def unit(s):
        frame.check_session(s)  # a logged-out or deactivated operator writes nothing
        return fn(s, *args, **kw)

    try:
        result = db.transaction(engine(), unit, budget_s=ACT_RETRY_S, on_retry=notice)
    except DomainError as exc:
        st.error(str(exc))
        return None
    except Exception as exc:
        _outage_in_fragment(exc)
        raise
    if success:
        st.toast(success)
    return result
