"""The frame: login, navigation per role, show picker, configuration errors."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import APP, PASSWORD


def nav_titles(at: AppTest) -> set[str]:
    """The page titles st.navigation registered for this run."""
    return {info["page_name"] for info in at._registered_pages.values()}


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
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("assistant_user")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any("中控台" in t for t in _titles(at))


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", {"中控台", "主播副屏", "承诺履约", "复盘", "场次准备", "运营人员"}),
        ("assistant", {"中控台", "主播副屏", "承诺履约", "复盘", "场次准备"}),
        ("host", {"中控台", "主播副屏"}),
        ("reviewer", {"承诺履约", "复盘"}),
    ],
)
def test_navigation_per_role(app_as, role, expected):
    at = app_as(role)
    assert not at.exception
    assert nav_titles(at) == expected


def test_unknown_show_id_in_url_gets_a_clear_message(app_as):
    at = app_as("assistant", query={"show": "99999"})
    assert any("99999" in e.value and "不存在" in e.value for e in at.sidebar.error)
    assert not at.exception


def test_bad_database_url_gets_a_chinese_message_naming_the_variable(monkeypatch, app_db):
    monkeypatch.setenv("DATABASE_URL", "nonsense://nowhere")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("DATABASE_URL" in e.value for e in at.error)
