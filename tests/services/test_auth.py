"""Login, sessions, host links and the role matrix."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuthToken, Event, Operator
from services import auth, clock, shows
from services.authz import PAGES, SYSTEM, can, pages_for, require
from services.errors import AuthError, Forbidden, InvalidInput


def _demo_show(session, actor, title: str = "源味集《农场主来了》"):
    start = clock.now()
    form = shows.ShowForm(title, "源味集·阳光花园群", 300, "老李", start, start + timedelta(hours=1))
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
    code = auth.issue_setup_code(session)
    auth.create_first_admin(session, "admin", "correct horse", code)
    with pytest.raises(InvalidInput):
        auth.create_first_admin(session, "admin2", "correct horse", code)
    assert auth.issue_setup_code(session) is None


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
    assert pages_for("reviewer") == ["promises", "review", "members"]
    assert set(pages_for("admin")) == set(PAGES)
    assert "operators" not in pages_for("assistant")


# --- hardening -------------------------------------------------------------------------

import json
import logging

import db
from services import config
from services.errors import InvalidState


def test_a_lock_out_survives_the_rollback_of_the_failed_login(clean_engine):
    with db.session(clean_engine) as s:
        auth.create_operator(s, SYSTEM, "小美", "assistant", "correct horse")
    now = clock.now()
    for _ in range(auth.FREE_FAILURES + 1):
        with pytest.raises(AuthError), db.session(clean_engine) as s:  # the app's unit of work
            auth.login(s, "小美", "wrong password", now=now)
    with pytest.raises(AuthError, match=r"请 \d+ 秒后再试"), db.session(clean_engine) as s:
        auth.login(s, "小美", "correct horse", now=now)


def test_unknown_names_are_locked_out_like_known_ones(session):
    import uuid

    name, now = f"从来没有的人-{uuid.uuid4().hex[:6]}", clock.now()
    for _ in range(auth.FREE_FAILURES + 1):
        with pytest.raises(AuthError, match="用户名或密码不正确"):
            auth.login(session, name, "whatever1", now=now)
    with pytest.raises(AuthError, match="秒后再试"):
        auth.login(session, name, "whatever1", now=now)


def test_lock_grows_with_each_further_failure_up_to_a_cap():
    from services import throttle

    waits = [throttle.lock_for(n, auth.FREE_FAILURES) for n in range(1, 15)]
    assert waits[: auth.FREE_FAILURES] == [None] * auth.FREE_FAILURES
    seconds = [w.total_seconds() for w in waits[auth.FREE_FAILURES:]]
    assert seconds == sorted(seconds) and seconds[0] >= 5 and seconds[-1] == auth.MAX_LOCK_S


def test_deactivated_operator_is_refused_with_the_same_message(session, admin):
    op = auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    token = auth.login(session, "小美", "correct horse")
    auth.set_active(session, admin, op.id, False)
    assert auth.resolve_session(session, token) is None
    with pytest.raises(AuthError) as info:
        auth.login(session, "小美", "correct horse")
    assert str(info.value) == auth.BAD_LOGIN


def test_the_last_active_admin_and_oneself_cannot_be_deactivated(session, admin):
    with pytest.raises(InvalidState, match="不能停用自己"):
        auth.set_active(session, admin, admin.id, False)
    with pytest.raises(InvalidState, match="最后一个"):
        auth.set_active(session, SYSTEM, admin.id, False)


def test_reset_password_ends_sessions_and_the_new_one_works(session, admin):
    op = auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    token = auth.login(session, "小美", "correct horse")
    auth.reset_password(session, admin, op.id, "battery staple")
    assert auth.resolve_session(session, token) is None
    with pytest.raises(AuthError):
        auth.login(session, "小美", "correct horse")
    assert auth.login(session, "小美", "battery staple")


def test_passwords_never_reach_the_event_log_or_the_log_output(session, admin, caplog):
    caplog.set_level(logging.DEBUG)
    secrets_typed = ["correct horse", "battery staple", "wrong password 1", "typed-into-name-field"]
    op = auth.create_operator(session, admin, "小美", "assistant", "correct horse")
    auth.login(session, "小美", "correct horse")
    for _ in range(auth.FREE_FAILURES + 2):
        with pytest.raises(AuthError):
            auth.login(session, "小美", "wrong password 1")
    with pytest.raises(AuthError):
        auth.login(session, "typed-into-name-field", "x")  # a password typed into the name field
    auth.reset_password(session, admin, op.id, "battery staple")
    payloads = json.dumps([e.payload for e in session.scalars(select(Event))], ensure_ascii=False)
    stored = json.dumps([(o.name, o.password_hash) for o in session.scalars(select(Operator))], ensure_ascii=False)
    for secret in secrets_typed:
        assert secret not in payloads
        assert secret not in caplog.text
    for secret in secrets_typed[:3]:
        assert secret not in stored
    kinds = {e.kind for e in session.scalars(select(Event))}
    assert {"operator.created", "auth.login", "auth.failed", "operator.password_reset"} <= kinds


def test_host_link_hours_out_of_range_are_refused_naming_the_field(session, assistant):
    show = _demo_show(session, assistant)
    for bad in (0, -1, auth.MAX_HOST_LINK_HOURS + 1):
        with pytest.raises(InvalidInput) as info:
            auth.create_host_link(session, assistant, show.id, hours=bad)
        assert info.value.field == "有效时长"


def test_revoking_twice_is_harmless_and_status_reads_in_chinese(session, assistant):
    show = _demo_show(session, assistant)
    auth.create_host_link(session, assistant, show.id, hours=1)
    link = auth.list_host_links(session, show.id)[0]
    assert auth.host_link_status(link) == "有效"
    assert auth.host_link_status(link, now=clock.now() + timedelta(hours=2)) == "已过期"
    auth.revoke_host_link(session, assistant, link.id)
    auth.revoke_host_link(session, assistant, link.id)
    assert auth.host_link_status(link) == "已撤销"
    assert len(session.scalars(select(Event).where(Event.kind == "hostlink.revoked")).all()) == 1


def test_host_link_grants_only_its_own_show(session, assistant):
    one, other = _demo_show(session, assistant), _demo_show(session, assistant, "源味集《农场主来了》第2期")
    token = auth.create_host_link(session, assistant, one.id)
    assert auth.resolve_host_link(session, token) == one.id != other.id
    assert auth.resolve_session(session, token) is None  # a host link is no login
    assert auth.resolve_host_link(session, "not-a-token") is None
    assert auth.host_link_id(session, token) == auth.list_host_links(session, one.id)[0].id


# --- configuration -----------------------------------------------------------------------


def test_secrets_file_fills_only_unset_keys(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('DATABASE_URL = "sqlite:///x.db"\nADMIN_USER = "boss"\nSESSION_HOURS = 6\n'
                    '[auth]\ncookie_secret = "zzz"\n', encoding="utf-8")
    env = {"DATABASE_URL": "postgresql+psycopg://from-env"}
    assert sorted(config.load_secrets(path, env)) == ["ADMIN_USER", "SESSION_HOURS"]
    assert env == {"DATABASE_URL": "postgresql+psycopg://from-env", "ADMIN_USER": "boss", "SESSION_HOURS": "6"}


def test_missing_or_malformed_secrets_file_is_no_crash_and_no_leak(tmp_path, caplog):
    assert config.load_secrets(tmp_path / "absent.toml", {}) == []
    bad = tmp_path / "secrets.toml"
    bad.write_text('ADMIN_PASSWORD = "s3cret-value\nDATABASE_URL = \n', encoding="utf-8")
    env: dict[str, str] = {}
    assert config.load_secrets(bad, env) == [] and env == {}
    assert "s3cret-value" not in caplog.text
    assert config.secrets_error() == str(bad)
    config.load_secrets(tmp_path / "absent.toml", {})


def test_bad_number_in_configuration_falls_back_to_the_default(monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "twelve")
    assert auth.session_hours() == 12.0
    monkeypatch.setenv("SESSION_HOURS", "0.5")
    assert auth.session_hours() == 0.5


def test_admin_from_environment_on_first_start_only(session, monkeypatch):
    monkeypatch.setenv("ADMIN_USER", "boss")
    monkeypatch.setenv("ADMIN_PASSWORD", "from-the-env-1")
    assert auth.ensure_admin_from_env(session).name == "boss"
    assert auth.ensure_admin_from_env(session) is None
    assert auth.resolve_session(session, auth.login(session, "boss", "from-the-env-1")).role == "admin"


def test_the_repository_holds_no_secrets_file():
    from pathlib import Path
    import subprocess

    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True).stdout.split()
    assert ".streamlit/secrets.toml" not in tracked
    assert ".streamlit/secrets.toml.example" in tracked
    ignored = subprocess.run(["git", "check-ignore", ".streamlit/secrets.toml"], cwd=root, capture_output=True)
    assert ignored.returncode == 0


def test_a_bad_admin_password_in_the_environment_names_the_variable_not_the_value(session, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    with pytest.raises(InvalidInput) as info:
        auth.ensure_admin_from_env(session)
    assert "ADMIN_PASSWORD" in str(info.value) and "short" not in str(info.value)
