"""What every page needs from the frame: the engine, who is acting, which show, and the two
ways to reach the services.

- `read(fn, *args)`: a read in its own session, the tab's login checked in that session first
  (at most once a second: SESSION_CHECK_S).
- `act(fn, *args, success=…)`: THE one write path from the UI, widget callbacks included. It
  runs fn in one retried unit of work (services.store.unit_of_work, ACT_RETRY_S), re-checks the
  tab's login inside that unit (a logged-out or deactivated operator writes nothing and goes to
  the login), and returns an explicit `Outcome`: ok with the value, or not ok with the Chinese
  message of the DomainError (already shown with st.error unless show_error=False).

This module is the bottom of ui/: it imports no other ui module but ui.markdown (the frame imports it).
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st
from sqlalchemy import Engine

from services import auth, demo, store
from services.authz import Actor
from services.errors import AuthError, DomainError
from ui.markdown import literal

T = TypeVar("T")
log = logging.getLogger("live_night")

ACTOR_KEY = "frame_actor"
SHOW_KEY = "frame_show_id"
SHOW_REQUEST_KEY = "frame_show_request"  # a show a page asks the sidebar picker to select next run
HOST_LINK_KEY = "frame_host_link_show"
TOKEN_KEY = "frame_token"  # the login token of this tab (from the HttpOnly cookie; never in the URL)
LOGIN_ENDED = "登录已失效（已退出、已停用或长时间未操作），请重新登录。"
SESSION_CHECKED_KEY = "frame_session_checked"
# Reads re-check the login at most this often (a page run makes dozens of reads; every live panel
# refreshes less often than this, so each refresh checks). Every act checks, always.
SESSION_CHECK_S = 1.0
HOST_TOKEN_KEY = "frame_host_token"  # set on a screen opened through a host link
HOST_CHECKED_KEY = "frame_host_checked"
HOST_CHECK_S = 5.0  # how often an open host-link screen re-checks its link
HOST_LINK_REFUSED = "主播链接无效、已过期或已被撤销，请向直播助手索取新的链接。"
ACT_RETRY_S = 15.0
WAITING_FOR_WRITER = "正在等待其他写入……（另一个页面或导入正在保存，稍候会自动重试）"
REFUSED_INPUT = "这次输入没有保存：其中有数据库无法保存的内容（如过长的文字或特殊字符），请检查后重试。"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an action did: ok and its value, or not ok and the message shown to the operator.
    Truthy exactly when ok, so `if ctx.act(...):` reads as "if it worked" whatever fn returns."""

    ok: bool
    value: T | None = None
    error: str | None = None

    def __bool__(self) -> bool:
        return self.ok


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """One engine per server process; schema upgraded and (unless DEMO_NIGHTS=0) demo loaded on first use."""
    eng = store.open_database()
    store.read(eng, auth.ensure_admin_from_env)
    if demo.demo_wanted():
        store.read(eng, demo.ensure_demo)
    return eng


def actor() -> Actor:
    """Who acts on this page. Without one (the login just ended, see check_session) the page
    stops here: only dashboard.py's login lets anyone in."""
    who = st.session_state.get(ACTOR_KEY)
    if who is None:
        st.info(LOGIN_ENDED)
        st.stop()
    return who


def show_id() -> int | None:
    return st.session_state.get(SHOW_KEY)


def select_show(show_id: int) -> None:
    """Make `show_id` the working show from the next run on (a page just created it): the
    sidebar picker, which already ran in this run, selects it then. Follow with st.rerun()."""
    st.session_state[SHOW_KEY] = show_id
    st.session_state[SHOW_REQUEST_KEY] = show_id
    st.query_params["show"] = str(show_id)


def selected_show(hint: str = "请先在左侧选择场次；还没有场次时，请到「场次准备」创建。") -> int:
    """The show the page works on; without one, the hint and the page stops."""
    sid = show_id()
    if sid is None:
        st.info(hint)
        st.stop()
    return sid


def read(fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """Run a read-only service function in its own session."""
    def unit(s):
        if not st.session_state.get(TOKEN_KEY) or time.monotonic() - st.session_state.get(
            SESSION_CHECKED_KEY, 0.0
        ) >= SESSION_CHECK_S:  # without a token the check needs no query
            check_session(s)  # an ended login reads nothing (the run's first read, each refresh)
            st.session_state[SESSION_CHECKED_KEY] = time.monotonic()
        return fn(s, *args, **kw)

    try:
        check_host_link()  # a screen opened through a host link
        return store.read(engine(), unit)
    except Exception as exc:
        _outage_in_fragment(exc)
        raise


def act(
    fn: Callable[..., T], *args: Any, success: str | None = None, show_error: bool = True, **kw: Any
) -> Outcome[T]:
    """Run a service action in one transaction; see the module doc. A database blink is
    retried for ACT_RETRY_S seconds (actions are idempotent) before the outage notice."""

    def notice(exc: BaseException, attempt: int) -> None:
        if attempt == 1:
            st.toast(WAITING_FOR_WRITER if store.is_lock_wait(exc) else "数据库连接中断，正在重试……")

    def unit(s):
        check_session(s, touch=True)  # a logged-out or deactivated operator writes nothing
        return fn(s, *args, **kw)

    try:
        result = store.unit_of_work(engine(), unit, budget_s=ACT_RETRY_S, on_retry=notice)
    except DomainError as exc:
        if show_error:
            st.error(literal(str(exc)))
        return Outcome(False, error=str(exc))
    except store.DATABASE_ERRORS as exc:
        if not store.is_refused_input(exc):  # still away after the retries: the outage notice
            _outage_in_fragment(exc)
            raise
        # The database refused this input (a value it cannot store): not an outage.
        log.exception("database refused an action's input")
        if show_error:
            st.error(REFUSED_INPUT)
        return Outcome(False, error=REFUSED_INPUT)
    if success:
        st.toast(literal(success))
    return Outcome(True, result)


# ---------------------------------------------------------------- who may still act


def check_session(session, touch: bool = False) -> None:
    """Inside every read and act: the tab's login must still be live (not logged out anywhere,
    not deactivated, not expired or idle). A fragment tick or a widget callback never passes
    through dashboard.py, so this is what ends an open console. On a dead login the whole app
    reruns to the login page; the AuthError (which st.rerun normally pre-empts) makes sure that
    fn never runs and the unit of work rolls back even where a rerun cannot be requested.
    `touch` (acts) counts as activity for the idle timeout."""
    token = st.session_state.get(TOKEN_KEY)
    who = st.session_state.get(ACTOR_KEY)
    if not token:
        if who is None or who.id is None:
            return  # the login page, or a screen opened through a host or pickup link
        forget_login()  # an operator without a login token: never trusted
    elif (live := auth.resolve_session(session, token, touch=touch)) is not None and live == who:
        return
    forget_login()
    st.rerun(scope="app")
    raise AuthError(LOGIN_ENDED)


def forget_login() -> None:
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(SESSION_CHECKED_KEY, None)


def check_host_link(every_s: float = HOST_CHECK_S) -> None:
    """On a screen opened through a host link, re-check the link at most every `every_s`
    seconds (read calls this; a fragment tick never passes through dashboard.py). Once it
    is revoked or expired, the whole app reruns and dashboard.py shows the refusal."""
    token = st.session_state.get(HOST_TOKEN_KEY)
    if not token or time.monotonic() - st.session_state.get(HOST_CHECKED_KEY, 0.0) < every_s:
        return
    granted = store.read(engine(), auth.resolve_host_link, token)
    st.session_state[HOST_CHECKED_KEY] = time.monotonic()
    if granted != st.session_state.get(HOST_LINK_KEY):
        if in_fragment():
            st.rerun(scope="app")
        st.error(HOST_LINK_REFUSED)
        st.stop()


# ---------------------------------------------------------------- the database being away


def in_fragment() -> bool:
    """True while a @st.fragment body runs (its exceptions never reach dashboard.py)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import RunLocation, ThreadState

        return ThreadState.get().run_location is RunLocation.FRAGMENT
    except Exception:  # no script run context (plain Python) or an internal change
        return False


def _outage_in_fragment(exc: Exception) -> None:
    """Inside a fragment (live panels), an exception would print a traceback there: show
    the outage notice instead and stop the fragment; its next tick retries. Elsewhere the
    exception reaches dashboard.py, which shows the notice for the whole page."""
    if store.is_transient(exc) and in_fragment():
        database_down(exc)
        st.stop()


def fragment(run_every: float | None = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """st.fragment for the live panels, whose exceptions never reach dashboard.py: a rule the
    panel did not catch shows its Chinese message, an outage the outage notice, and a bug the
    Chinese notice (the traceback to the server log only) instead of Streamlit's English box."""

    def wrap(body: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(body)
        def guarded(*args: Any, **kw: Any) -> None:
            try:
                body(*args, **kw)
            except DomainError as exc:
                st.error(literal(str(exc)))
            except Exception as exc:  # st.stop / st.rerun are BaseExceptions and pass through
                if store.is_transient(exc):
                    database_down(exc)
                else:
                    unexpected_error(exc)

        return st.fragment(guarded, run_every=run_every)

    return wrap


UNEXPECTED = "页面出了点问题，刚才的操作可能没有完成。请刷新页面后再试；问题已记录在服务器日志里，如反复出现请告诉管理员。"


def unexpected_error(exc: BaseException) -> None:
    """A bug reached the top of the page or of a live panel (`fragment`): the operator reads a
    Chinese sentence, the traceback (paths, SQL, parameters) goes to the server log only
    (client.showErrorDetails = "none" in .streamlit/config.toml covers what escapes both, e.g.
    a widget callback)."""
    log.error("unexpected error on a page", exc_info=exc)
    st.error(UNEXPECTED)


def database_down(exc: Exception) -> None:
    """A clear notice instead of a traceback; reruns the app by itself once the database answers."""
    log.warning("database unavailable: %s", exc)
    st.error(
        "数据库暂时无法连接（请检查环境变量 DATABASE_URL 指向的数据库是否在运行）。"
        "页面会在恢复后自动刷新，已保存的数据不会丢失，请稍候。"
    )

    @st.fragment(run_every=3)
    def _probe() -> None:
        try:
            reachable = store.ping(engine())
        except Exception:  # the engine itself may not build while the database is away
            reachable = False
        if not reachable:
            st.caption("正在重试连接数据库……")
            return
        st.rerun(scope="app")

    _probe()
