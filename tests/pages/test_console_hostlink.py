"""Console panel 主播链接: a link with a QR code, listed, revocable; pure URL helpers."""
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import db
from services import auth, shows
from ui import console_hostlink as panel
from ui import context
from tests.pages.conftest import log_in

SCRIPT = """
from ui import console_hostlink, context
console_hostlink.render(context.show_id(), context.actor())
"""


@pytest.fixture
def panel_as(app_db):
    def _make(role: str) -> AppTest:
        eng = db.connect(app_db)
        with db.session(eng) as s:
            show_id = shows.find_show(s, "源味集《农场主来了》").id
        eng.dispose()
        at = AppTest.from_string(SCRIPT, default_timeout=30)
        log_in(at, app_db, role)
        at.session_state[context.SHOW_KEY] = show_id
        return at.run()

    return _make


def _resolve(app_db, url: str):
    token = url.split("host=", 1)[1]
    eng = db.connect(app_db)
    with db.session(eng) as s:
        show_id = auth.resolve_host_link(s, token)
    eng.dispose()
    return show_id


def test_assistant_generates_a_link_with_a_qr_code(panel_as, app_db):
    at = panel_as("assistant")
    at.button(key="console_hostlink_create").click().run()
    assert not at.exception and not at.error
    url = at.code[0].value
    assert list(parse_qs(urlsplit(url).query)) == ["host"]  # never the operator's session token
    assert len(at.get("image")) == 1
    assert _resolve(app_db, url) == at.session_state[context.SHOW_KEY]
    assert any("有效" in t.value for t in at.text)


def test_a_double_click_leaves_the_first_link_shown(panel_as, app_db, monkeypatch):
    """The second click of a double click stops the first run at its next element (here: the
    toast after the link was made) and is itself refused as a twin (within 5 s): the link made by
    the first run, shown only once, is still there to copy and it works."""
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    at = panel_as("assistant")
    toast, stops = st.toast, []

    def interrupted(*args, **kwargs):
        if not stops:
            stops.append(1)
            raise StopException()  # what the second click's rerun request does to the first run
        return toast(*args, **kwargs)

    monkeypatch.setattr(st, "toast", interrupted)
    at.button(key="console_hostlink_create").click().run()
    assert stops and not at.exception
    at.button(key="console_hostlink_create").click().run()  # the second click: a twin
    assert not at.exception
    assert any("重复点击" in e.value for e in at.error)
    assert len(at.code) == 1 and _resolve(app_db, at.code[0].value) == at.session_state[context.SHOW_KEY]
    assert len(at.get("image")) == 1


def test_revoking_the_link_ends_it_and_hides_it(panel_as, app_db):
    at = panel_as("assistant")
    at.button(key="console_hostlink_create").click().run()
    url = at.code[0].value
    revoke = [b for b in at.button if b.key and b.key.startswith("console_hostlink_revoke_")]
    revoke[0].click().run()
    assert not at.exception
    assert _resolve(app_db, url) is None
    assert not at.code
    assert any("已撤销" in t.value for t in at.text)


def test_host_sees_no_link_controls(panel_as):
    at = panel_as("host")
    assert not at.exception
    assert not at.button
    assert any("直播助手" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "context_url,host,public,expected",
    [
        ("http://10.0.0.5:8501/console", None, None, "http://10.0.0.5:8501"),
        ("https://live.example.cn/app/console", None, None, "https://live.example.cn/app"),
        ("http://10.0.0.5:8501/", None, "http://pub:1", "http://10.0.0.5:8501"),
        (None, "10.0.0.5:8501", None, "http://10.0.0.5:8501"),
        (None, None, "http://192.168.1.20:8501/", "http://192.168.1.20:8501"),
        ("http://localhost:8501/console", None, "http://192.168.1.20:8501", "http://192.168.1.20:8501"),
        ("http://127.0.0.1:8501/console", None, None, "http://127.0.0.1:8501"),
    ],
)
def test_base_url(context_url, host, public, expected):
    assert panel.base_url(context_url, host, public) == expected


def test_link_url_and_qr_png():
    url = panel.host_link_url("http://10.0.0.5:8501/", "abc-DEF_1")
    assert url == "http://10.0.0.5:8501/?host=abc-DEF_1"
    assert panel.qr_png(url).startswith(b"\x89PNG")
    assert panel.is_loopback("http://localhost:8501") and not panel.is_loopback(url)


def test_the_assistant_chooses_the_deal_the_host_screen_shows(panel_as, app_db, page_as):
    from services import live, promises

    at = panel_as("assistant")
    eng = db.connect(app_db)
    with db.session(eng) as s:
        show_id = shows.find_show(s, "源味集《农场主来了》").id
        deals = dict(promises.deal_choices(s, show_id))
        auto_focus = live.snapshot(s, show_id).focus
    eng.dispose()
    pick = at.selectbox(key=f"console_hostlink_deal_{show_id}")
    assert pick.value == panel.AUTO and pick.format_func(pick.value) == "自动：最新发布的团品"
    other = next(i for i in deals if auto_focus is None or i != auto_focus.id)
    pick.set_value(other).run()
    assert not at.exception
    host = page_as("host", "host")
    assert deals[other] in host.subheader[0].value  # the host screen follows the pick
    at.selectbox(key=f"console_hostlink_deal_{show_id}").set_value(panel.AUTO).run()
    host = page_as("host", "host")
    assert auto_focus is None or auto_focus.product in host.subheader[0].value


def test_the_host_cannot_choose_the_deal(panel_as, app_db):
    at = panel_as("host")
    assert not [s for s in at.selectbox if s.key and s.key.startswith("console_hostlink_deal_")]
