"""Login, sessions, host links and the role matrix."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuthToken, Event, Operator
from services import auth, clock, shows
from services.authz import PAGES, SYSTEM, can, pages_for, require
from services.errors import AuthError, Forbidden, InvalidInput


def _demo_show(session, actor):
    start = clock.now()
    form = shows.ShowForm("源味集《农场主来了》", "源味集·阳光花园群", 300, "老李", start, start + timedelta(hours=1))
    return shows.create_show(session, actor, form)


def test_password_is_stored_as_argon2_hash(session, admin):
    op = auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    assert op.password_hash.startswith("$argon2")
    assert "correct horse" not in op.password_hash


def test_login_gives_a_token_that_resolves_to_the_operator(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    token = auth.login(session, "小美", "correct horse")
    actor = auth.resolve_session(session, token)
    assert actor is not None and actor.name == "小美" and actor.role == "assistant"
    stored = session.scalars(select(AuthToken.token_hash)).all()
    assert token not in stored


def test_wrong_password_and_unknown_name_get_the_same_message(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    with pytest.raises(AuthError) as wrong_pw:
        auth.login(session, "小美", "wrong password")
    with pytest.raises(AuthError) as wrong_name:
        auth.login(session, "没有这个人", "correct horse")
    assert str(wrong_pw.value) == str(wrong_name.value) == "用户名或密码不正确。"


def test_repeated_failures_lock_the_name_even_for_the_right_password(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    now = clock.now()
    for _ in range(auth.FREE_FAILURES + 1):
        with pytest.raises(AuthError):
            auth.login(session, "小美", "wrong password", now=now)
    with pytest.raises(AuthError, match="秒后再试"):
        auth.login(session, "小美", "correct horse", now=now)
    assert auth.login(session, "小美", "correct horse", now=now + timedelta(minutes=10))


def test_logout_ends_the_token(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    token = auth.login(session, "小美", "correct horse")
    auth.logout(session, token)
    assert auth.resolve_session(session, token) is None


def test_expired_session_token_is_refused(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    token = auth.login(session, "小美", "correct horse")
    later = clock.now() + timedelta(hours=auth.session_hours() + 1)
    assert auth.resolve_session(session, token, now=later) is None


def test_host_link_grants_its_show_until_revoked(session, assistant):
    show = _demo_show(session, assistant)
    token = auth.create_host_link(session, assistant, show.id)
    assert auth.resolve_host_link(session, token) == show.id
    link = auth.list_host_links(session, show.id)[0]
    auth.revoke_host_link(session, assistant, link.id)
    assert auth.resolve_host_link(session, token) is None


def test_host_link_expires(session, assistant):
    show = _demo_show(session, assistant)
    token = auth.create_host_link(session, assistant, show.id, hours=1)
    assert auth.resolve_host_link(session, token, now=clock.now() + timedelta(hours=2)) is None


def test_host_cannot_create_host_links_or_operators(session, host, assistant):
    show = _demo_show(session, assistant)
    with pytest.raises(Forbidden):
        auth.create_host_link(session, host, show.id)
    with pytest.raises(Forbidden):
        auth.create_operator(session, host, "x", "admin", "password123")


def test_first_admin_only_while_there_is_nobody(session):
    auth.create_first_admin(session, "admin", "password123")
    with pytest.raises(InvalidInput):
        auth.create_first_admin(session, "admin2", "password123")


def test_short_password_is_refused_naming_the_field(session, admin):
    with pytest.raises(InvalidInput) as info:
        auth.create_operator(session, admin, "小美", "assistant", "123")
    assert info.value.field == "密码"


def test_every_write_records_operator_in_event_log(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    ev = session.scalars(select(Event).where(Event.kind == "operator.created")).one()
    assert ev.operator_id == admin.id and ev.at is not None


@pytest.mark.parametrize(
    "role,action,allowed",
    [
        ("assistant", "deal.release", True),
        ("assistant", "operator.manage", False),
        ("host", "deal.release", False),
        ("host", "live.read", True),
        ("host", "review.read", False),
        ("reviewer", "review.read", True),
        ("reviewer", "promise.fulfil", True),
        ("reviewer", "chain.write", False),
        ("reviewer", "question.act", False),
        ("admin", "operator.manage", True),
    ],
)
def test_role_matrix(role, action, allowed):
    from services.authz import Actor

    assert can(Actor(1, "x", role), action) is allowed


def test_require_raises_chinese_forbidden():
    from services.authz import Actor

    with pytest.raises(Forbidden, match="无权发布接龙"):
        require(Actor(1, "老李", "host"), "deal.release")


def test_pages_per_role():
    assert pages_for("host") == ["console", "host"]
    assert pages_for("reviewer") == ["promises", "review"]
    assert set(pages_for("admin")) == set(PAGES)
    assert "operators" not in pages_for("assistant")
