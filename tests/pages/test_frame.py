"""The frame: login, navigation per role, show picker, configuration errors."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import APP, PASSWORD


def plain(markdown: str) -> str:
    """What the reader sees of an escaped markdown string (ui.markdown.literal)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def nav_titles(at: AppTest) -> set[str]:
    """The page titles st.navigation registered for this run."""
    return {info["page_name"] for info in at._registered_pages.values()}  # "/" = the first page again


def _titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_login_page_when_not_logged_in(app_db):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "直播夜中控台" in _titles(at)
    assert at.text_input[0].label == "用户名"


def test_wrong_password_shows_generic_error(app_db):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("assistant_user")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]


def test_right_password_logs_in_to_the_console(app_db):
    """The form hands a single-use code to the cookie endpoint in a POST (never in the URL); the
    browser comes back with the session cookie, played here by the frame's session state."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("assistant_user")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    code = _posted_code(at)
    assert code and not dict(at.query_params)
    at.session_state["frame_token"] = _exchange(app_db, code)
    at.run()
    assert any("中控台" in t for t in _titles(at))


def _posted_code(at: AppTest) -> str:
    import re

    posts = [e.proto.body for e in at.get("html") if 'action="/auth/session"' in e.proto.body]
    return re.search(r'name="code" value="([^"]+)"', posts[0]).group(1) if posts else ""


def _exchange(url: str, code: str) -> str:
    import db
    from services import auth

    eng = db.connect(url)
    with db.session(eng) as s:
        token = auth.open_session(s, code)
    eng.dispose()
    return token


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", {"中控台", "主播副屏", "承诺履约", "复盘", "场次准备", "运营人员", "提货核销", "社群成员"}),
        ("assistant", {"中控台", "主播副屏", "承诺履约", "复盘", "场次准备", "提货核销", "社群成员"}),
        ("host", {"中控台", "主播副屏"}),
        ("reviewer", {"承诺履约", "复盘", "社群成员"}),
    ],
)
def test_navigation_per_role(app_as, role, expected):
    at = app_as(role)
    assert not at.exception
    assert nav_titles(at) == expected


@pytest.mark.parametrize("role,first", [("host", "主播副屏"), ("assistant", "中控台"), ("reviewer", "承诺履约")])
def test_each_role_opens_on_its_own_first_page(app_as, role, first):
    """The host logging in on a phone landed on the read-only console (pages long when stacked)
    and had to find the 主播副屏 in the folded sidebar."""
    at = app_as(role)
    assert not at.exception
    opened = next(p["page_name"] for p in at._registered_pages.values() if p["url_pathname"] == "")
    assert opened == first


def test_unknown_show_id_in_url_gets_a_clear_message(app_as):
    at = app_as("assistant", query={"show": "99999"})
    assert any("不存在" in e.value for e in at.sidebar.error)
    assert not any("99999" in e.value for e in at.sidebar.error)  # a URL parameter is never echoed
    assert not at.exception


def test_bad_database_url_gets_a_chinese_message_naming_the_variable(monkeypatch, app_db):
    monkeypatch.setenv("DATABASE_URL", "nonsense://nowhere")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("DATABASE_URL" in plain(e.value) for e in at.error)


def _host_link(app_db: str, hours: float = 1.0, revoke: bool = False) -> str:
    import db
    from services import auth, shows
    from services.authz import SYSTEM

    eng = db.connect(app_db)
    with db.session(eng) as s:
        show_id = shows.find_show(s, "源味集《农场主来了》").id
        token = auth.create_host_link(s, SYSTEM, show_id, hours=hours)
        if revoke:
            auth.revoke_host_link(s, SYSTEM, auth.host_link_id(s, token))
    eng.dispose()
    return token


def test_repeated_failures_show_the_wait(app_db):
    at = AppTest.from_file(APP, default_timeout=30).run()
    for _ in range(5):
        at.text_input[0].input("assistant_user")
        at.text_input[1].input("not the password")
        at.button[0].click().run()
    assert any("秒后再试" in e.value for e in at.error)
    at.text_input[0].input("assistant_user")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert any("秒后再试" in e.value for e in at.error)  # even the right password waits


def test_host_link_opens_only_the_host_screen_without_login(app_db):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["host"] = _host_link(app_db)
    at.run()
    assert not at.exception
    assert nav_titles(at) == {"主播副屏"}
    assert not at.text_input  # no login form
    headings = _titles(at) + [h.value for h in at.subheader]
    assert any("源味集" in h and "农场主来了" in h for h in headings)  # markdown-escaped on the host screen


@pytest.mark.parametrize("kind", ["revoked", "unknown"])
def test_refused_host_link_gets_a_chinese_message(app_db, kind):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["host"] = _host_link(app_db, revoke=True) if kind == "revoked" else "made-up-token"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["主播链接无效、已过期或已被撤销，请向直播助手索取新的链接。"]
    assert not at.title and not at.text_input  # neither the show nor a login form


def test_database_down_on_first_run_is_a_chinese_notice(app_db, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{port}/nowhere")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("数据库暂时无法连接" in e.value for e in at.error)


def test_operator_names_and_show_titles_are_text_not_markup(app_as):
    at = app_as("admin")
    assert not at.exception
    assert all(not getattr(m, "allow_html", False) for m in at.markdown)


def test_a_revoked_link_stops_an_open_host_screen_on_its_next_read(app_db):
    from ui import frame

    token = _host_link(app_db, revoke=True)
    at = AppTest.from_string(
        "from ui import context\nimport streamlit as st\nst.text(str(context.read(lambda s: 42)))\n", default_timeout=30
    )
    at.session_state[frame.HOST_TOKEN_KEY] = token
    at.session_state["frame_host_link_show"] = 1
    at.session_state[frame.HOST_CHECKED_KEY] = 0.0
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [frame.HOST_LINK_REFUSED]
    assert not at.text


def test_a_short_admin_password_in_the_environment_is_a_chinese_message(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert any("ADMIN_PASSWORD" in plain(e.value) and "8" in e.value and "short" not in e.value for e in at.error)


def test_a_write_after_logout_elsewhere_writes_nothing_and_goes_to_the_login(app_db):
    import db
    from services import auth
    from ui import context, frame

    eng = db.connect(app_db)
    with db.session(eng) as s:
        token = auth.login(s, "assistant_user", PASSWORD)
        actor = auth.resolve_session(s, token)
        auth.logout(s, token)  # e.g. the admin deactivated them, or another tab logged out
    eng.dispose()
    script = (
        "import streamlit as st\nfrom ui import context\n"
        "if context.ACTOR_KEY in st.session_state:\n"
        "    st.session_state['written'] = context.act(lambda s: 'written')\n"
    )
    at = AppTest.from_string(script, default_timeout=30)
    at.session_state[frame.TOKEN_KEY] = token
    at.session_state[context.ACTOR_KEY] = actor
    at.run()
    assert not at.exception
    assert "written" not in at.session_state
    assert frame.TOKEN_KEY not in at.session_state and context.ACTOR_KEY not in at.session_state


def test_a_write_with_a_live_login_goes_through(app_db):
    import db
    from services import auth
    from ui import context, frame

    eng = db.connect(app_db)
    with db.session(eng) as s:
        token = auth.login(s, "assistant_user", PASSWORD)
        actor = auth.resolve_session(s, token)
    eng.dispose()
    at = AppTest.from_string(
        "import streamlit as st\nfrom ui import context\nst.session_state['written'] = context.act(lambda s: 'ok')\n",
        default_timeout=30,
    )
    at.session_state[frame.TOKEN_KEY] = token
    at.session_state[context.ACTOR_KEY] = actor
    at.run()
    assert at.session_state["written"] == context.Outcome(True, "ok")


def test_an_action_that_returns_nothing_still_reports_success_and_a_refusal_carries_its_message(app_db):
    script = (
        "import streamlit as st\nfrom ui import context\nfrom services.errors import InvalidState\n"
        "def refuse(s):\n    raise InvalidState('不能这样做。')\n"
        "st.session_state['none'] = context.act(lambda s: None)\n"
        "st.session_state['refused'] = context.act(refuse)\n"
    )
    at = AppTest.from_string(script, default_timeout=30).run()
    assert at.session_state["none"].ok and bool(at.session_state["none"])  # `act(...) and st.rerun()` reruns
    refused = at.session_state["refused"]
    assert not refused and refused.error == "不能这样做。"
    assert [e.value for e in at.error] == ["不能这样做。"]


def _add_shows(url: str) -> dict[str, int]:
    """A live show that started an hour ago, and two long-titled shows scheduled later."""
    from datetime import timedelta

    import db
    from services import clock, shows
    from services.authz import SYSTEM

    eng = db.connect(url)
    now, ids = clock.now(), {}
    long = "源味集·阳光花园群第三期《农场主来了》有机蔬菜专场"
    with db.session(eng) as s:
        for title, start in (("今晚直播", now - timedelta(hours=1)), (long + "（上）", now + timedelta(days=1)),
                             (long + "（下）", now + timedelta(days=2))):
            ids[title] = shows.create_show(s, SYSTEM, shows.ShowForm(title, "群", 10, "主播", start, start + timedelta(hours=2))).id
        shows.start_show(s, SYSTEM, ids["今晚直播"])
    eng.dispose()
    return ids


def test_after_login_the_picker_selects_the_live_show_and_long_titles_stay_distinct(app_db, app_as):
    from ui import frame

    ids = _add_shows(app_db)
    at = app_as("assistant")
    picker = at.sidebar.selectbox(key="frame_show_select")
    assert picker.value == ids["今晚直播"]  # not the latest scheduled one
    shown = [picker.format_func(i)[: frame.TITLE_SHOWN + 20] for i in ids.values()]  # what fits the box
    assert len(set(shown)) == 3 and any("（上）" in x for x in shown) and any("（下）" in x for x in shown)
    assert "今晚直播" in [c.value for c in at.sidebar.caption]  # the picked show's full title


def test_first_run_needs_the_setup_code_from_the_server_console(tmp_path, monkeypatch):
    """Issue 14 #4: on an empty database, reaching the port is not enough to become admin."""
    import streamlit as st

    import db
    from services import auth

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        inputs = {t.label.split("（")[0]: t for t in at.text_input}
        inputs["初始化码"].input("0000-0000-0000")
        inputs["密码"].input("店门口的桂花开了两棵")
        at.button[0].click().run()
        assert any("初始化码" in e.value for e in at.error)
        eng = db.connect(url)
        with db.session(eng) as s:
            assert not auth.has_operators(s)
            code = auth.issue_setup_code(s)  # what the server printed on its console
        inputs = {t.label.split("（")[0]: t for t in at.text_input}
        inputs["初始化码"].input(code)
        inputs["密码"].input("店门口的桂花开了两棵")
        at.button[0].click().run()
        assert not at.error
        with db.session(eng) as s:
            assert [o.role for o in auth.list_operators(s)] == ["admin"]
        eng.dispose()
    finally:
        st.cache_resource.clear()
