"""The frame around every page: login, first-run setup, show picker, outage notice."""
from __future__ import annotations

import time

import streamlit as st

from services import auth, shows
from services.authz import ROLE_LABELS, Actor
from services.errors import DomainError
from ui import context as ctx
from ui.context import HOST_CHECKED_KEY, HOST_LINK_REFUSED, HOST_TOKEN_KEY, TOKEN_KEY

# Who acts on a screen opened through a host link: read-only, no operator behind it.
HOST_LINK_ACTOR = Actor(id=None, name="主播链接", role="host")


def current_actor() -> Actor | None:
    """The logged-in operator from this tab's session or the URL token (survives refresh)."""
    token = st.session_state.get(TOKEN_KEY) or st.query_params.get("s")
    if not token:
        return None
    actor = ctx.read(auth.resolve_session, token)
    if actor is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.query_params.pop("s", None)
        return None
    st.session_state[TOKEN_KEY] = token
    st.query_params["s"] = token
    st.session_state[ctx.ACTOR_KEY] = actor
    return actor


def login_page() -> None:
    st.title("直播夜中控台")
    if not ctx.read(auth.has_operators):
        _first_run_form()
        return
    with st.form("login_form"):
        name = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        done = ctx.act(auth.login, name, password)  # a refusal (or a lock-out's wait) is shown
        if not done:
            return
        st.session_state[TOKEN_KEY] = done.value
        st.query_params["s"] = done.value
        st.rerun()


def _first_run_form() -> None:
    st.info("首次使用：请创建管理员账号（也可用环境变量 ADMIN_USER / ADMIN_PASSWORD 预先创建）。")
    with st.form("first_run_form"):
        name = st.text_input("管理员用户名", value="admin")
        password = st.text_input("密码（至少 8 位）", type="password")
        submitted = st.form_submit_button("创建管理员", type="primary")
    if submitted and ctx.act(auth.create_first_admin, name, password, success="管理员已创建，请登录"):
        st.rerun()


def logout() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        ctx.act(auth.logout, token)
    st.session_state.pop(ctx.ACTOR_KEY, None)
    st.query_params.clear()  # the token leaves the URL; the server refuses it anyway
    st.rerun()


def open_host_link(token: str) -> int:
    """The show a host link grants, set as this tab's show and read-only actor; a refused
    link stops the run with a clear message."""
    show_id = ctx.read(auth.resolve_host_link, token)
    if show_id is None:
        forget_host_link()
        st.error(HOST_LINK_REFUSED)
        st.stop()
    st.session_state[HOST_TOKEN_KEY] = token
    st.session_state[HOST_CHECKED_KEY] = time.monotonic()
    st.session_state[ctx.HOST_LINK_KEY] = show_id
    st.session_state[ctx.SHOW_KEY] = show_id
    st.session_state[ctx.ACTOR_KEY] = HOST_LINK_ACTOR
    return show_id


def forget_host_link() -> None:
    if st.session_state.pop(HOST_TOKEN_KEY, None) is not None:
        st.session_state.pop(ctx.ACTOR_KEY, None)
    st.session_state.pop(ctx.HOST_LINK_KEY, None)
    st.session_state.pop(HOST_CHECKED_KEY, None)


def sidebar(actor: Actor) -> None:
    with st.sidebar:
        st.caption(f"{actor.name}（{ROLE_LABELS.get(actor.role, actor.role)}）")
        show_picker()
        if st.button("退出登录", key="frame_logout"):
            logout()


def show_picker() -> None:
    """Pick the show every page works on; `?show=ID` in the URL selects it."""
    rows = ctx.read(lambda s: [(x.id, x.title, x.status, x.scheduled_start) for x in shows.list_shows(s)])
    if not rows:
        st.session_state[ctx.SHOW_KEY] = None
        st.info("还没有场次，请到「场次准备」创建。")
        return
    ids = [r[0] for r in rows]
    requested = st.session_state.pop(ctx.SHOW_REQUEST_KEY, None)  # ctx.select_show: a show just created
    if requested in ids:
        st.session_state["frame_show_select"] = requested  # before the widget exists in this run
    wanted = requested if requested in ids else _show_from_url(ids)
    if wanted is None:
        wanted = st.session_state.get(ctx.SHOW_KEY) if st.session_state.get(ctx.SHOW_KEY) in ids else ids[0]
    labels = {r[0]: f"{r[3]:%m-%d} {r[1]}（{shows.STATUS_LABELS[r[2]]}）" for r in rows}
    index = 0 if requested in ids else ids.index(wanted)  # a requested show is already in session state
    picked = st.selectbox("场次", ids, index=index, format_func=labels.get, key="frame_show_select")
    st.session_state[ctx.SHOW_KEY] = picked
    st.query_params["show"] = str(picked)


def _show_from_url(ids: list[int]) -> int | None:
    raw = st.query_params.get("show")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) not in ids:
        st.error(f"链接中的场次编号「{raw}」不存在，已改为显示最近的场次。")
        st.query_params.pop("show", None)
        return None
    wanted = int(raw)
    if st.session_state.get("frame_show_select") not in (None, wanted):
        return None  # the operator just picked another show in the selectbox
    return wanted


def config_error(exc: DomainError | Exception) -> None:
    st.error(str(exc))
    st.stop()
