"""Issue 14: sessions that end, a first run that cannot be hijacked, a lockout that holds."""
from __future__ import annotations

import importlib
import threading
from datetime import timedelta

import pytest

import db
from services import auth, clock, config, promises, shows
from services.authz import SYSTEM
from services.errors import AuthError, Forbidden, InvalidInput

RIGHT = "correct horse"


def _parallel(n: int, fn) -> list[BaseException | object]:
    """Run fn(i) in n threads released at once; the results (or exceptions) in order."""
    results: list = [None] * n
    gate = threading.Barrier(n)

    def work(i: int) -> None:
        gate.wait()
        try:
            results[i] = fn(i)
        except BaseException as exc:  # collected, asserted by the caller
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _login(engine, name, password, now=None, source=None):
    # As the app does (ui.context.act): one transaction, retried while another writer holds
    # SQLite's lock; a plain session gave up after the 3 s busy timeout on a loaded machine.
    return db.transaction(engine, lambda s: auth.login(s, name, password, now=now, source=source))


# ---------------------------------------------------------------- #6 parallel guesses


def test_parallel_wrong_guesses_are_counted_and_the_lock_holds(clean_engine):
    with db.session(clean_engine) as s:
        auth.create_operator(s, SYSTEM, "小美", "assistant", RIGHT)
    now = clock.now()
    results = _parallel(12, lambda i: _login(clean_engine, "小美", f"guess-{i:04d}", now=now))
    checked = [r for r in results if isinstance(r, AuthError) and str(r) == auth.BAD_LOGIN]
    refused = [r for r in results if isinstance(r, AuthError) and "秒后再试" in str(r)]
    assert len(checked) + len(refused) == 12
    assert len(checked) <= auth.FREE_FAILURES + 1  # the rest never reached the password check
    with pytest.raises(AuthError, match="秒后再试"):
        _login(clean_engine, "小美", RIGHT, now=now)


# ---------------------------------------------------------------- #7 unknown names


def test_unknown_and_real_names_answer_alike_after_a_restart(clean_engine):
    with db.session(clean_engine) as s:
        auth.create_operator(s, SYSTEM, "小美", "assistant", RIGHT)
    now = clock.now()
    for name in ("小美", "没有这个人"):
        for _ in range(auth.FREE_FAILURES + 1):
            with pytest.raises(AuthError, match="用户名或密码不正确"):
                _login(clean_engine, name, "wrong password", now=now)
    importlib.reload(auth)  # a restart (or a second server process): nothing kept in memory
    answers = []
    for name in ("小美", "没有这个人"):
        with pytest.raises(AuthError) as info:
            _login(clean_engine, name, "wrong password", now=now)
        answers.append(str(info.value))
    assert answers[0] == answers[1] and "秒后再试" in answers[0]


# ---------------------------------------------------------------- #14 lockout per source


def test_a_strangers_guesses_do_not_lock_the_admin_out_of_the_shop(session, admin):
    auth.create_operator(session, admin, "店长", "admin", RIGHT)
    now = clock.now()
    for _ in range(auth.FREE_FAILURES + 3):
        with pytest.raises(AuthError):
            auth.login(session, "店长", "wrong password", now=now, source="203.0.113.9")
    with pytest.raises(AuthError, match="秒后再试"):
        auth.login(session, "店长", RIGHT, now=now, source="203.0.113.9")
    assert auth.login(session, "店长", RIGHT, now=now, source="192.168.1.20")


def test_one_source_trying_many_names_is_throttled(session):
    now = clock.now()
    with pytest.raises(AuthError, match="秒后再试"):
        for i in range(40):
            try:
                auth.login(session, f"name-{i}", "wrong password", now=now, source="203.0.113.7")
            except AuthError as exc:
                if "秒后再试" in str(exc):
                    raise
    assert i < 40


# ---------------------------------------------------------------- #14 weak passwords


@pytest.mark.parametrize("weak", ["12345678", "password", "aaaaaaaa", "88888888", "abcdefgh", "qwertyuiop"])
def test_common_passwords_are_refused_with_a_passphrase_hint(session, admin, weak):
    with pytest.raises(InvalidInput) as info:
        auth.create_operator(session, admin, "小美", "assistant", weak)
    assert info.value.field == "密码" and "短句" in str(info.value)


def test_a_passphrase_is_accepted(session, admin):
    assert auth.create_operator(session, admin, "小美", "assistant", "店门口的桂花开了两棵")


# ---------------------------------------------------------------- #2 idle timeout, rotation, codes


def test_an_idle_session_ends_and_activity_slides_it(session, admin, monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "120")
    auth.create_operator(session, admin, "小美", "assistant", RIGHT)
    t0 = clock.now()
    token = auth.login(session, "小美", RIGHT, now=t0)
    assert auth.resolve_session(session, token, now=t0 + timedelta(minutes=100), touch=True)
    assert auth.resolve_session(session, token, now=t0 + timedelta(minutes=200))  # 100 min after the touch
    assert auth.resolve_session(session, token, now=t0 + timedelta(minutes=221)) is None


def test_a_login_code_works_once_and_a_new_login_ends_the_old_session(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", RIGHT)
    old = auth.login(session, "小美", RIGHT)
    code = auth.login_code(session, "小美", RIGHT)
    new = auth.open_session(session, code, replaces=old)
    assert new and new != old and auth.resolve_session(session, new)
    assert auth.resolve_session(session, old) is None  # rotated
    assert auth.open_session(session, code) is None  # single use


def test_a_login_code_expires_within_a_minute(session, admin):
    auth.create_operator(session, admin, "小美", "assistant", RIGHT)
    now = clock.now()
    code = auth.login_code(session, "小美", RIGHT, now=now)
    assert auth.open_session(session, code, now=now + timedelta(seconds=61)) is None


# ---------------------------------------------------------------- #4 first run


def test_first_admin_needs_the_setup_code(session):
    with pytest.raises(InvalidInput, match="初始化码"):
        auth.create_first_admin(session, "admin", RIGHT, "")
    with pytest.raises(InvalidInput, match="初始化码"):
        auth.create_first_admin(session, "admin", RIGHT, "0000-0000-0000")
    assert not auth.has_operators(session)


def test_two_browsers_racing_create_one_admin(clean_engine):
    with db.session(clean_engine) as s:
        code = auth.issue_setup_code(s)

    def create(i: int):
        with db.session(clean_engine) as s:
            return auth.create_first_admin(s, f"admin{i}", RIGHT, code).name

    results = _parallel(2, create)
    with db.session(clean_engine) as s:
        assert len(auth.list_operators(s)) == 1
    assert sum(isinstance(r, str) for r in results) == 1


def test_admin_password_in_the_environment_needs_no_code(session, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "from-the-env-1")
    assert auth.ensure_admin_from_env(session).role == "admin"
    assert config.get("ADMIN_USER")


# ---------------------------------------------------------------- #14 promises.sync_show


def test_sync_show_requires_a_permitted_actor(session, admin, host):
    start = clock.now()
    show = shows.create_show(session, admin, shows.ShowForm("场次", "群", 10, "主播", start, start + timedelta(hours=1)))
    with pytest.raises(Forbidden):
        promises.sync_show(session, show.id, actor=host)
    with pytest.raises(Forbidden):
        promises.sync_show(session, show.id)
    assert not promises.sync_show(session, show.id, actor=admin).changed


def test_the_server_listens_on_this_computer_only_by_default():
    import tomllib
    from pathlib import Path

    cfg = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text("utf-8"))
    assert cfg["server"]["address"] == "127.0.0.1"
