"""Operators, password login, session tokens and read-only host links.

Passwords are argon2 hashes; tokens are random and only their SHA-256 is stored,
so a leaked database grants nothing. A login gives a single-use code, which the cookie
endpoint (ui/session_routes.py) exchanges for a session token in an HttpOnly cookie: no
login ever travels in a URL. Sessions end on logout, deactivation, password reset, after
SESSION_HOURS, or after SESSION_IDLE_MINUTES without activity. Repeated failures lock a name
from one source (and a source trying many names) in the shared database (services/throttle.py),
known name or not, so the answers never tell whether a name exists. No password, token or
typed name of a failed login is ever logged.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import AuthToken, Operator, Show
from services import clock, config, events, locking, passwords, throttle
from services.authz import ROLES, SYSTEM, Actor, require
from services.errors import AuthError, InvalidInput, InvalidState, NotFound
from services.text import clean, twin_key
from services.sql import get_or_not_found

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")

FREE_FAILURES = throttle.NAME_AT_SOURCE.free  # failures before each further one locks the name for a while
MAX_LOCK_S = throttle.MAX_LOCK_S
LOGIN_CODE_S = 30  # the login form's code lives this long: just the hop to the cookie endpoint
TOUCH_EVERY = timedelta(seconds=60)
MIN_PASSWORD = passwords.MIN_PASSWORD
MAX_PASSWORD = passwords.MAX_PASSWORD
SETUP_CODE_HOURS = 24
SETUP_REFUSED = "初始化码不正确或已过期：请查看启动服务器的终端里打印的初始化码（过期请重启服务器）。"
MAX_HOST_LINK_HOURS = 72
BAD_LOGIN = "用户名或密码不正确。"
FIRST_ADMIN_MARK = "first-admin"  # the fixed row that makes first-run creation happen once


def session_hours() -> float:
    """SESSION_HOURS, read at call time so .streamlit/secrets.toml can set it."""
    return config.get_float("SESSION_HOURS")


def session_idle_minutes() -> float:
    return config.get_float("SESSION_IDLE_MINUTES")


def host_link_hours() -> float:
    return config.get_float("HOST_LINK_HOURS")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(op: Operator) -> Actor:
    return Actor(id=op.id, name=op.name, role=op.role)


def has_operators(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Operator)))


def _validate(name: str, role: str, password: str) -> str:
    name = clean(name)
    if not name or len(name) > 64:
        raise InvalidInput("用户名不能为空，且不超过 64 个字符。", "用户名")
    if role not in ROLES:
        raise InvalidInput(f"未知角色：{role}", "角色")
    _check_password(password, name)
    return name


def _check_password(password: str, name: str = "") -> None:
    passwords.check(password, name)  # length, and none of the first passwords an attacker tries


def create_operator(session: Session, actor: Actor, name: str, role: str, password: str) -> Operator:
    require(actor, "operator.manage")
    name = _validate(name, role, password)
    if session.scalar(select(Operator.id).where(Operator.name == name)):
        raise InvalidInput(f"用户名「{name}」已存在。", "用户名")
    key = twin_key(name)  # the shop's few operators; a look-alike would read as the same person in the log
    if (twin := next((n for n in session.scalars(select(Operator.name)) if twin_key(n) == key), None)) is not None:
        raise InvalidInput(f"用户名「{name}」与已有的「{twin}」看起来一样，请换一个。", "用户名")
    op = Operator(name=name, role=role, password_hash=_hasher.hash(password), created_at=clock.now())
    try:  # two admins (or a double click) adding the same name at once: the unique name decides
        with session.begin_nested():
            session.add(op)
    except IntegrityError:
        raise InvalidInput(f"用户名「{name}」已存在。", "用户名") from None
    events.record(session, "operator.created", None, actor, name=name, role=role)
    return op


def create_first_admin(session: Session, name: str, password: str, setup_code: str = "") -> Operator:
    """The first-run setup: allowed only with a live setup code (printed on the server's console,
    see issue_setup_code) and only while there is no operator at all, atomically."""
    now = clock.now()
    if live_token(session, (setup_code or "").strip(), "setup_code", now) is None:
        raise InvalidInput(SETUP_REFUSED, "初始化码")
    return _create_first(session, name, password, now)


def _create_first(session: Session, name: str, password: str, now: datetime) -> Operator:
    """Two browsers racing: both may see no operator, but only one can insert the fixed marker
    row (token_hash is unique; the second insert waits for the first commit, then fails)."""
    if has_operators(session):
        raise InvalidInput("管理员已存在，请直接登录。")
    _validate(name, "admin", password)
    try:
        with session.begin_nested():
            session.add(AuthToken(token_hash=_hash_token(FIRST_ADMIN_MARK), kind="first_admin", created_at=now,
                                  expires_at=now))
    except IntegrityError:
        raise InvalidInput("管理员已存在，请直接登录。") from None
    session.execute(
        update(AuthToken).where(AuthToken.kind == "setup_code", AuthToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    return create_operator(session, SYSTEM, name, "admin", password)


def issue_setup_code(session: Session, now: datetime | None = None) -> str | None:
    """On a database without operators: a new one-time setup code (valid SETUP_CODE_HOURS) for the
    server to print on its console, so only someone who sees that console creates the admin.
    None once there is an operator."""
    if has_operators(session):
        return None
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))  # e.g. 3F2A-91C0-7B4E
    session.add(AuthToken(token_hash=_hash_token(code), kind="setup_code", created_at=now or clock.now(),
                          expires_at=(now or clock.now()) + timedelta(hours=SETUP_CODE_HOURS)))
    session.flush()
    return code


def ensure_admin_from_env(session: Session) -> Operator | None:
    """Create the admin from ADMIN_USER / ADMIN_PASSWORD on the first start, if set."""
    password = config.get("ADMIN_PASSWORD")
    if not password or has_operators(session):
        return None
    try:
        return _create_first(session, config.get("ADMIN_USER"), password, clock.now())
    except InvalidInput as exc:  # never echo the value itself
        if has_operators(session):
            return None  # another server process created it a moment ago
        raise InvalidInput(f"环境变量 ADMIN_USER / ADMIN_PASSWORD 无法使用：{exc}", exc.field) from None


def list_operators(session: Session) -> list[Operator]:
    return list(session.scalars(select(Operator).order_by(Operator.id)))


def _get_operator(session: Session, operator_id: int) -> Operator:
    return get_or_not_found(session, Operator, operator_id, "找不到该运营人员。")


def set_active(session: Session, actor: Actor, operator_id: int, active: bool, at: datetime | None = None) -> None:
    """Deactivate (ends every session at once) or reactivate an operator."""
    require(actor, "operator.manage")
    op = _get_operator(session, operator_id)
    if not active and op.id == actor.id:
        raise InvalidState("不能停用自己的账号。")
    if not active and op.role == "admin" and op.active and _active_admins(session) <= 1:
        raise InvalidState("这是最后一个启用的管理员，不能停用。")
    op.active = active
    if not active:
        _revoke_all_sessions(session, op.id)
    else:
        throttle.clear_name(session, throttle.digest("name", op.name))
    events.record(session, "operator.active", None, actor, at=at, operator=op.name, active=active)


def reset_password(session: Session, actor: Actor, operator_id: int, password: str, at: datetime | None = None) -> None:
    """Set a new password (admin only); the operator's sessions end."""
    require(actor, "operator.manage")
    op = _get_operator(session, operator_id)
    _check_password(password, op.name)
    op.password_hash = _hasher.hash(password)
    throttle.clear_name(session, throttle.digest("name", op.name))
    _revoke_all_sessions(session, op.id)
    events.record(session, "operator.password_reset", None, actor, at=at, operator=op.name)


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Operator).where(Operator.role == "admin", Operator.active.is_(True))
    ) or 0


def login_code(
    session: Session, name: str, password: str, source: str | None = None, now: datetime | None = None
) -> str:
    """A single-use code, valid LOGIN_CODE_S seconds, that `open_session` exchanges for a session
    (the browser carries it to the cookie endpoint), or AuthError. The error never says which part
    was wrong, nor whether the name exists.

    Each attempt is charged in the shared throttle (services/throttle.py) BEFORE the password is
    checked and the charge is committed at once (the caller's unit of work rolls back on the
    AuthError, and the count must survive it): login is always its own unit of work.
    """
    now = now or clock.now()
    name = clean(name)[:64]  # services.text: a NUL or bidi override never reaches the query
    keys = _throttle_keys(name, source)
    for key, rule, name_hash in keys:
        until = throttle.charge(session, key, rule, now, name_hash)
        if until is not None:
            session.commit()
            raise AuthError(too_many_message(until, now))
    session.commit()
    op = session.scalar(select(Operator).where(Operator.name == name)) if name else None
    # Unknown names cost the same argon2 work as known ones (no timing oracle).
    ok = _verify(op.password_hash if op is not None else _DUMMY_HASH, (password or "")[:MAX_PASSWORD])
    if op is None or not op.active or not ok:
        if op is not None:
            events.record(session, "auth.failed", None, actor_of(op), at=now)
            session.commit()
        raise AuthError(BAD_LOGIN)
    for key, _rule, _name_hash in keys:
        throttle.clear(session, key)
    throttle.forget_old(session, now)
    if _hasher.check_needs_rehash(op.password_hash):
        op.password_hash = _hasher.hash(password)
    return issue_token(session, "login_code", now, LOGIN_CODE_S / 3600, operator_id=op.id)


def _throttle_keys(name: str, source: str | None) -> list[tuple[str, throttle.Rule, str | None]]:
    """The name from this source, and the source alone: a stranger's guesses lock the name only
    for the stranger's own address, never for the admin at the shop's computer."""
    source = (source or "local")[:64]
    name_hash = throttle.digest("name", name)
    return [
        (throttle.digest("name@source", name, source), throttle.NAME_AT_SOURCE, name_hash),
        (throttle.digest("source", source), throttle.SOURCE, None),
    ]


def open_session(session: Session, code: str, replaces: str | None = None, now: datetime | None = None) -> str | None:
    """Exchange a live login code (once) for a fresh session token; `replaces` (the browser's
    previous session, if any) ends: every login rotates the token. None when the code is unknown,
    already used or expired."""
    now = now or clock.now()
    row = session.scalar(
        select(AuthToken).where(AuthToken.token_hash == _hash_token(code or ""), AuthToken.kind == "login_code")
    )
    if row is None:
        return None
    used = session.execute(  # atomic: of two requests with the same code, one wins
        update(AuthToken)
        .where(AuthToken.id == row.id, AuthToken.revoked_at.is_(None), AuthToken.expires_at > now)
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    op = session.get(Operator, row.operator_id)
    if not used or op is None or not op.active:
        return None
    old = live_token(session, replaces or "", "session", now)
    if old is not None:
        old.revoked_at = now
    token = issue_token(session, "session", now, session_hours(), operator_id=op.id, last_seen_at=now)
    events.record(session, "auth.login", None, actor_of(op), at=now)
    return token


def login(session: Session, name: str, password: str, now: datetime | None = None, source: str | None = None) -> str:
    """A new session token straight away (tools and tests; the browser goes through login_code and
    the cookie endpoint), or AuthError."""
    now = now or clock.now()
    token = open_session(session, login_code(session, name, password, source, now), now=now)
    if token is None:  # the code was issued a moment ago in this very transaction
        raise AuthError(BAD_LOGIN)
    return token


def too_many_message(locked_until: datetime, now: datetime) -> str:
    wait = int((locked_until - now).total_seconds()) + 1
    return f"尝试次数过多，请 {wait} 秒后再试。"


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def issue_token(session: Session, kind: str, now: datetime, hours: float, **refs) -> str:
    """A new token of `kind` (session, host_link; services.pickup's pickup_link), valid for `hours`;
    only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(
        AuthToken(
            token_hash=_hash_token(token),
            kind=kind,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            **refs,
        )
    )
    session.flush()
    return token


def live_token(session: Session, token: str, kind: str, now: datetime) -> AuthToken | None:
    """The token's row while it is live (known, of this kind, not revoked, not expired), else None."""
    if not token:
        return None
    row = session.scalar(
        select(AuthToken).where(AuthToken.token_hash == _hash_token(token), AuthToken.kind == kind)
    )
    return row if row is not None and is_live(row, now) else None


def is_live(row: AuthToken, now: datetime | None = None) -> bool:
    return row.revoked_at is None and row.expires_at > (now or clock.now())


def resolve_session(session: Session, token: str, now: datetime | None = None, touch: bool = False) -> Actor | None:
    """The operator behind a live session token, or None (unknown, revoked, expired, idle longer
    than SESSION_IDLE_MINUTES, or the operator deactivated). `touch` records activity (written at
    most once a minute), which slides the idle timeout. One indexed query: every read checks it."""
    if not token:
        return None
    now = now or clock.now()
    row = session.execute(
        select(AuthToken.id, AuthToken.created_at, AuthToken.last_seen_at, Operator.id, Operator.name, Operator.role)
        .join(Operator, Operator.id == AuthToken.operator_id)
        .where(AuthToken.token_hash == _hash_token(token), AuthToken.kind == "session")
        .where(AuthToken.revoked_at.is_(None), AuthToken.expires_at > now, Operator.active.is_(True))
    ).first()
    if row is None:
        return None
    token_id, created, seen, op_id, name, role = row
    seen = seen or created
    if seen + timedelta(minutes=session_idle_minutes()) <= now:
        return None
    if touch and now - seen >= TOUCH_EVERY:
        session.execute(update(AuthToken).where(AuthToken.id == token_id).values(last_seen_at=now))
    return Actor(id=op_id, name=name, role=role)


def logout(session: Session, token: str, at: datetime | None = None) -> None:
    """End the session token: the URL that carried it no longer logs in."""
    at = at or clock.now()
    row = live_token(session, token, "session", at)
    if row is not None:
        row.revoked_at = at
        op = session.get(Operator, row.operator_id)
        events.record(session, "auth.logout", None, actor_of(op) if op else None, at=at)


def _revoke_all_sessions(session: Session, operator_id: int) -> None:
    for row in session.scalars(
        select(AuthToken).where(AuthToken.operator_id == operator_id, AuthToken.revoked_at.is_(None))
    ):
        row.revoked_at = clock.now()


def create_host_link(
    session: Session, actor: Actor, show_id: int, hours: float | None = None, now: datetime | None = None
) -> str:
    """A read-only token that opens only this show's host screen, without a password."""
    require(actor, "hostlink.manage")
    hours = host_link_hours() if hours is None else hours
    if not isinstance(hours, (int, float)) or not 0 < hours <= MAX_HOST_LINK_HOURS:
        raise InvalidInput(f"有效时长须在 0 到 {MAX_HOST_LINK_HOURS} 小时之间。", "有效时长")
    now = now or clock.now()
    # The show's row is locked first, so a double click cannot make two links; only the hash
    # of the first is kept, so the second click is refused rather than handed the first.
    locking.lock(session, Show, show_id, missing=f"场次 {show_id} 不存在。")
    if session.scalar(select(AuthToken.id).where(
        AuthToken.kind == "host_link", AuthToken.show_id == show_id, AuthToken.revoked_at.is_(None),
        AuthToken.expires_at > now, locking.near(AuthToken.created_at, now),
    ).limit(1)) is not None:
        raise InvalidState("本场的主播链接刚刚已生成（重复点击）。请用刚显示的链接；若没看到，请撤销后重新生成。")
    token = issue_token(session, "host_link", now, hours, show_id=show_id, operator_id=actor.id)
    events.record(session, "hostlink.created", show_id, actor, at=now, hours=hours)
    return token


def resolve_host_link(session: Session, token: str, now: datetime | None = None) -> int | None:
    """The show id a live host link grants, or None when unknown, expired or revoked."""
    row = live_token(session, token, "host_link", now or clock.now())
    return row.show_id if row else None


def host_link_id(session: Session, token: str) -> int | None:
    """The id of the link row behind a token (live or not), to revoke the one just shown."""
    return session.scalar(
        select(AuthToken.id).where(AuthToken.token_hash == _hash_token(token or ""), AuthToken.kind == "host_link")
    )


def list_host_links(session: Session, show_id: int) -> list[AuthToken]:
    return list(
        session.scalars(
            select(AuthToken)
            .where(AuthToken.kind == "host_link", AuthToken.show_id == show_id)
            .order_by(AuthToken.id.desc())
        )
    )


def revoke_host_link(session: Session, actor: Actor, link_id: int, at: datetime | None = None) -> None:
    """End a host link now; an open host screen is refused on its next check."""
    require(actor, "hostlink.manage")
    row = session.get(AuthToken, link_id)
    if row is None or row.kind != "host_link":
        raise NotFound("找不到该主播链接。")
    if row.revoked_at is not None:
        return  # idempotent: revoking twice changes nothing
    at = at or clock.now()
    row.revoked_at = at
    events.record(session, "hostlink.revoked", row.show_id, actor, at=at, link_id=link_id)


def host_link_status(row: AuthToken, now: datetime | None = None) -> str:
    """有效 / 已过期 / 已撤销, for the list on the console."""
    if row.revoked_at is not None:
        return "已撤销"
    return "已过期" if row.expires_at <= (now or clock.now()) else "有效"
