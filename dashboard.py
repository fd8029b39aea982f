"""Entry point: login, show picker and navigation over the pages the role may see.

`streamlit run dashboard.py` finds `app` below (an st.App) and serves it: Streamlit's own routes
plus the session-cookie endpoints (ui/session_routes.py). The same file is the page script
Streamlit runs for every browser tab (there `__name__ == "__main__"`).
"""
import streamlit as st

from services import config, store
from services.authz import pages_for
from services.errors import DomainError
from ui import context as ctx
from ui import frame, pickup_access

PAGES = {
    "console": ("views/console.py", "中控台", ":material/dashboard:"),
    "host": ("views/host.py", "主播副屏", ":material/live_tv:"),
    "promises": ("views/promises.py", "承诺履约", ":material/task_alt:"),
    "review": ("views/review.py", "复盘", ":material/insights:"),
    "setup": ("views/setup.py", "场次准备", ":material/edit_calendar:"),
    "operators": ("views/operators.py", "运营人员", ":material/group:"),
    "pickup": ("views/pickup.py", "提货核销", ":material/inventory_2:"),
    "members": ("views/members.py", "社群成员", ":material/diversity_3:"),
}

# The page a role opens on, when not its first in the sidebar: the host logs in (often on a
# phone) to watch the 主播副屏; the read-only console stacked on a phone is pages long.
FIRST_PAGE = {"host": "host"}


def page(key: str) -> st.Page:
    path, title, icon = PAGES[key]
    return st.Page(path, title=title, icon=icon, url_path=key)


_navigated = False  # module globals start afresh on every run of this script


def navigate(pages: list[st.Page], **kw) -> None:
    global _navigated
    _navigated = True
    st.navigation(pages, **kw).run()


def main() -> None:
    config.load_once()  # .streamlit/secrets.toml fills what the environment leaves unset
    if config.secrets_error():
        st.warning("配置文件 .streamlit/secrets.toml 格式有误，已忽略，改用环境变量。")
    host_token = st.query_params.get("host")
    if host_token:
        frame.open_host_link(host_token)
        navigate([home("host"), page("host")], position="hidden")
        return
    frame.forget_host_link()
    pickup_token = st.query_params.get("pickup")
    if pickup_token:  # store staff at the counter: this show's pickup page only
        pickup_access.open_link(pickup_token)
        navigate([home("pickup"), page("pickup")], position="hidden")
        return
    pickup_access.forget_link()
    actor = frame.current_actor()
    if actor is None:
        st.session_state.pop(ctx.ACTOR_KEY, None)
        navigate(login_pages(), position="hidden")
        return
    frame.sidebar(actor)
    keys = pages_for(actor.role)
    navigate([home(FIRST_PAGE.get(actor.role, keys[0])), *(page(k) for k in keys)])


def login_pages() -> list[st.Page]:
    """The login form at "/" and at every page's address, so a deep link (or the page a
    session expired on) shows the login and then that page, never "Page not found"."""
    pages = [st.Page(frame.login_page, title="登录", url_path="login", default=True)]
    return pages + [st.Page(frame.login_page, title="登录", url_path=k, visibility="hidden") for k in PAGES]


def home(key: str) -> st.Page:
    """The role's first page again, hidden, as the default page at "/". Streamlit serves the
    default page only at "/", so without this a bookmarked /console met "Page not found"."""
    path, title, icon = PAGES[key]
    return st.Page(path, title=title, icon=icon, url_path="home", default=True, visibility="hidden")


def run() -> None:
    global _navigated
    _navigated = False
    st.set_page_config(page_title="直播夜中控台", page_icon="📺", layout="wide")
    frame.base_style()
    try:
        main()
    except (store.DatabaseConfigError, DomainError) as exc:  # bad configuration, or a rule a page did not catch
        frame.config_error(exc)
    except store.DATABASE_ERRORS as exc:
        if not _navigated:  # keep the URL's page registered, so the recovery lands on it again
            st.navigation([home("console"), *(page(k) for k in PAGES)], position="hidden")
        ctx.database_down(exc)
    except Exception as exc:  # a bug: a Chinese notice here, the details in the server log only
        ctx.unexpected_error(exc)


if __name__ == "__main__":  # Streamlit runs this file as the page script of every tab
    run()
else:  # imported by the ASGI server (`streamlit run` detects `app`)
    from ui import ws_compat
    from ui.session_routes import ROUTES, lifespan

    ws_compat.install()  # a tab closing mid-send ends quietly (see ui/ws_compat.py)
    app = st.App(__file__, routes=ROUTES, lifespan=lifespan)
