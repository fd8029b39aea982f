"""Entry point: login, show picker and navigation over the pages the role may see."""
import streamlit as st
from sqlalchemy.exc import DBAPIError

from db import DatabaseConfigError
from services import auth
from services.authz import pages_for
from ui import context as ctx
from ui import frame

st.set_page_config(page_title="直播夜中控台", page_icon="📺", layout="wide")

PAGES = {
    "console": ("pages/console.py", "中控台", ":material/dashboard:"),
    "host": ("pages/host.py", "主播副屏", ":material/live_tv:"),
    "promises": ("pages/promises.py", "承诺履约", ":material/task_alt:"),
    "review": ("pages/review.py", "复盘", ":material/insights:"),
    "setup": ("pages/setup.py", "场次准备", ":material/edit_calendar:"),
    "operators": ("pages/operators.py", "运营人员", ":material/group:"),
}


def page(key: str) -> st.Page:
    path, title, icon = PAGES[key]
    return st.Page(path, title=title, icon=icon, url_path=key)


def main() -> None:
    host_token = st.query_params.get("host")
    if host_token:
        show_id = ctx.read(auth.resolve_host_link, host_token)
        if show_id is None:
            st.error("主播链接无效、已过期或已被撤销，请向直播助手索取新的链接。")
            st.stop()
        st.session_state[ctx.HOST_LINK_KEY] = show_id
        st.session_state[ctx.SHOW_KEY] = show_id
        st.navigation([page("host")], position="hidden").run()
        return
    st.session_state.pop(ctx.HOST_LINK_KEY, None)
    actor = frame.current_actor()
    if actor is None:
        st.navigation([st.Page(frame.login_page, title="登录", url_path="login")], position="hidden").run()
        return
    frame.sidebar(actor)
    st.navigation([page(k) for k in pages_for(actor.role)]).run()


try:
    main()
except DatabaseConfigError as exc:
    frame.config_error(exc)
except DBAPIError as exc:
    frame.database_down(exc)
