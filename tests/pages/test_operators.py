"""运营人员: the admin adds, deactivates and re-enables operators; nobody else gets in."""
import db
from services import auth
from tests.pages.conftest import PASSWORD


def _names(at):
    return list(at.dataframe[0].value["用户名"])


def test_admin_sees_every_operator(page_as):
    at = page_as("admin", "operators")
    assert not at.exception
    assert {"admin_user", "assistant_user", "host_user", "reviewer_user"} <= set(_names(at))


def test_admin_adds_an_assistant_who_can_then_log_in(page_as, app_db):
    at = page_as("admin", "operators")
    at.text_input[0].input("小美")
    at.selectbox[0].select("assistant")
    at.text_input[1].input("a-new-password")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "小美" in _names(at)
    eng = db.connect(app_db)
    with db.session(eng) as s:
        assert auth.resolve_session(s, auth.login(s, "小美", "a-new-password")).role == "assistant"
    eng.dispose()


def test_short_password_is_refused_naming_the_field(page_as):
    at = page_as("admin", "operators")
    at.text_input[0].input("小美")
    at.text_input[1].input("123")
    at.button[0].click().run()
    assert any("密码" in e.value and "8" in e.value for e in at.error)


def test_deactivating_ends_the_operators_session(page_as, app_db):
    eng = db.connect(app_db)
    with db.session(eng) as s:
        token = auth.login(s, "assistant_user", PASSWORD)
        op_id = next(o.id for o in auth.list_operators(s) if o.name == "assistant_user")
    at = page_as("admin", "operators")
    at.selectbox(key="operators_pick").select(op_id).run()
    at.button(key="operators_toggle").click().run()
    assert not at.exception and not at.error
    with db.session(eng) as s:
        assert auth.resolve_session(s, token) is None
    eng.dispose()


def test_other_roles_are_refused(page_as):
    at = page_as("assistant", "operators")
    assert not at.exception
    assert any("管理员" in e.value for e in at.error)
    assert not at.dataframe


def test_admin_cannot_deactivate_themself(page_as, app_db):
    eng = db.connect(app_db)
    with db.session(eng) as s:
        op_id = next(o.id for o in auth.list_operators(s) if o.name == "admin_user")
    eng.dispose()
    at = page_as("admin", "operators")
    at.selectbox(key="operators_pick").select(op_id).run()
    at.button(key="operators_toggle").click().run()
    assert any("不能停用自己" in e.value for e in at.error)
