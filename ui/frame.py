"""The frame around every page: login, first-run setup, show picker, outage notice."""
from __future__ import annotations

import time

import streamlit as st

from services import auth, passwords, shows, store
from services.authz import ROLE_LABELS, Actor
from services.errors import DomainError
from ui import context as ctx
from ui import session_routes
from ui.markdown import literal
from ui.context import HOST_CHECKED_KEY, HOST_LINK_REFUSED, HOST_TOKEN_KEY, TOKEN_KEY
from ui.markdown import literal

# Who acts on a screen opened through a host link: read-only, no operator behind it.
HOST_LINK_ACTOR = Actor(id=None, name="主播链接", role="host")


# Streamlit's own input hints are English ("Press Enter to submit form", "Press Ctrl+Enter to
# apply"); the labels and captions say in Chinese what Enter does, so the hints are hidden.
BASE_STYLE = "<style>[data-testid='InputInstructions']{display:none !important}</style>"


def base_style() -> None:
    """Page-wide style, once per run, before any page draws."""
    st.html(BASE_STYLE)


def current_actor() -> Actor | None:
    """The logged-in operator behind this browser's session cookie (HttpOnly, set by
    ui/session_routes.py), checked in the database on every run; this run counts as activity
    for the idle timeout. A login never comes from the URL: an old `?s=` is dropped unused."""
    st.query_params.pop("s", None)
    cookie = st.context.cookies.get(session_routes.COOKIE)
    token = (cookie if isinstance(cookie, str) else None) or st.session_state.get(TOKEN_KEY)
    if not token:
        ctx.forget_login()
        return None
    # store.read commits (the touch) without retrying: a database outage shows its notice at once
    actor = store.read(ctx.engine(), auth.resolve_session, token, touch=True)
    if actor is None:
        ctx.forget_login()
        return None
    st.session_state[TOKEN_KEY] = token
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
        done = ctx.act(auth.login_code, name, password, _source())  # a refusal or a wait is shown
        if done:
            go_to_session(done.value)


def _source() -> str | None:
    """The browser's address, for the per-source login throttle (None on this computer itself;
    behind a reverse proxy every browser shares the proxy's address)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None


def go_to_session(code: str) -> None:
    """Hand the single-use code to the cookie endpoint (a POST: the code is in no URL); the browser
    comes back to this page with the session cookie set."""
    st.caption("正在登录……")
    st.html(session_routes.post_form_html(session_routes.SESSION_PATH, {"code": code}), unsafe_allow_javascript=True)
    st.stop()


def _first_run_form() -> None:
    st.info(
        "首次使用：请创建管理员账号。初始化码打印在启动服务器的终端里（只有能看到服务器的人才能创建管理员）；"
        "也可用环境变量 ADMIN_USER / ADMIN_PASSWORD 预先创建。"
    )
    with st.form("first_run_form"):
        code = st.text_input("初始化码", help="启动服务器的终端里打印的一次性初始化码，形如 3F2A-91C0-7B4E")
        name = st.text_input("管理员用户名", value="admin")
        password = st.text_input(f"密码（至少 {auth.MIN_PASSWORD} 位）", type="password", help=passwords.HINT)
        submitted = st.form_submit_button("创建管理员", type="primary")
    if submitted and ctx.act(auth.create_first_admin, name, password, code, success="管理员已创建，请登录"):
        st.rerun()


def logout() -> None:
    """End the session in the database (every tab of it goes to the login on its next check),
    then let the browser drop the cookie."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        ctx.act(auth.logout, token)
    ctx.forget_login()
    st.html(session_routes.post_form_html(session_routes.LOGOUT_PATH, {}), unsafe_allow_javascript=True)
    st.stop()


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
        st.caption(f"{literal(actor.name)}（{ROLE_LABELS.get(actor.role, actor.role)}）")
        show_picker()
        if st.button("退出登录", key="frame_logout"):
            logout()


SHOWN_LABEL_KEY = "frame_show_label"  # the picker's label drawn in the last run


def show_picker() -> None:
    """Pick the show every page works on; `?show=ID` in the URL selects it. Without a choice yet,
    the live show (the one being worked on tonight), else the latest scheduled."""
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
        wanted = st.session_state.get(ctx.SHOW_KEY) if st.session_state.get(ctx.SHOW_KEY) in ids else default_show(rows)
    labels = {r[0]: show_label(*r) for r in rows}
    current = st.session_state.get("frame_show_select")
    if requested not in ids and current == wanted and st.session_state.get(SHOWN_LABEL_KEY) not in (None, labels[wanted]):
        # Its label changed (开播 / 结束直播): the browser keeps drawing the old one for the same
        # value (streamlit#13788) unless the value is sent again, which session state does.
        st.session_state["frame_show_select"] = requested = wanted
    index = 0 if requested in ids else ids.index(wanted)  # a requested show is already in session state
    picked = st.selectbox("场次", ids, index=index, format_func=labels.get, key="frame_show_select")
    st.session_state[SHOWN_LABEL_KEY] = labels[picked]
    st.caption(literal(next(r[1] for r in rows if r[0] == picked)))  # the full title, wrapped
    st.session_state[ctx.SHOW_KEY] = picked
    st.query_params["show"] = str(picked)


def default_show(rows: list[tuple]) -> int:
    """rows as (id, title, status, scheduled_start), most recent first: the first live one, else the first."""
    return next((r[0] for r in rows if r[2] == shows.ShowStatus.LIVE), rows[0][0])


TITLE_SHOWN = 16  # the sidebar's select box cuts longer labels at its edge


def show_label(show_id: int, title: str, status: str, start) -> str:
    """Time and status first (short, and what tells tonight's show from the rest), then the title
    with its middle elided (two long titles sharing a beginning still differ), then the id."""
    if len(title) > TITLE_SHOWN:
        title = f"{title[:TITLE_SHOWN - 7]}…{title[-6:]}"
    return f"{start:%m-%d %H:%M} {shows.STATUS_LABELS[status]} · {title} #{show_id}"


def _show_from_url(ids: list[int]) -> int | None:
    raw = st.query_params.get("show")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) not in ids:
        st.error("链接中的场次不存在，已改为显示最近的场次。")  # the URL is never echoed
        st.query_params.pop("show", None)
        return None
    wanted = int(raw)
    if st.session_state.get("frame_show_select") not in (None, wanted):
        return None  # the operator just picked another show in the selectbox
    return wanted


def config_error(exc: DomainError | Exception) -> None:
    st.error(literal(str(exc)))
    st.stop()
