"""Operators, password login, session tokens and read-only host links.

Passwords are argon2 hashes; tokens are random and only their SHA-256 is stored,
so a leaked database grants nothing. Repeated failures lock the name for a while, known
or not (unknown names are throttled in memory), so the answers never tell whether a
name exists. No password, token or typed name of a failed login is ever logged.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuthToken, Operator, Show
from services import clock, config, events
from services.authz import ROLES, SYSTEM, Actor, require
from services.errors import AuthError, InvalidInput, InvalidState, NotFound
from services.text import clean

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")

FREE_FAILURES = 3  # failures before each further one locks the name for a while
MAX_LOCK_S = 300
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_HOST_LINK_HOURS = 72
BAD_LOGIN = "用户名或密码不正确。"


def session_hours() -> float:
    """SESSION_HOURS, read at call time so .streamlit/secrets.toml can set it."""
    return config.get_float("SESSION_HOURS")


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
    _check_password(password)
    return name


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位。", "密码")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"密码不能超过 {MAX_PASSWORD} 位。", "密码")


def create_operator(session: Session, actor: Actor, name: str, role: str, password: str) -> Operator:
    require(actor, "operator.manage")
    name = _validate(name, role, password)
    if session.scalar(select(Operator.id).where(Operator.name == name)):
        raise InvalidInput(f"用户名「{name}」已存在。", "用户名")
    op = Operator(name=name, role=role, password_hash=_hasher.hash(password), created_at=clock.now())
    session.add(op)
    session.flush()
    events.record(session, "operator.created", None, actor, name=name, role=role)
    return op


def create_first_admin(session: Session, name: str, password: str) -> Operator:
    """The first-run setup: allowed only while there is no operator at all."""
    if has_operators(session):
        raise InvalidInput("管理员已存在，请直接登录。")
    return create_operator(session, SYSTEM, name, "admin", password)


def ensure_admin_from_env(session: Session) -> Operator | None:
    """Create the admin from ADMIN_USER / ADMIN_PASSWORD on the first start, if set."""
    password = config.get("ADMIN_PASSWORD")
    if not password or has_operators(session):
        return None
    try:
        return create_first_admin(session, config.get("ADMIN_USER"), password)
    except InvalidInput as exc:  # never echo the value itself
        raise InvalidInput(f"环境变量 ADMIN_USER / ADMIN_PASSWORD 无法使用：{exc}", exc.field) from None


def list_operators(session: Session) -> list[Operator]:
    return list(session.scalars(select(Operator).order_by(Operator.id)))


def _get_operator(session: Session, operator_id: int) -> Operator:
    op = session.get(Operator, operator_id)
    if op is None:
        raise NotFound("找不到该运营人员。")
    return op


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
        op.failed_logins, op.locked_until = 0, None
    events.record(session, "operator.active", None, actor, at=at, operator=op.name, active=active)


def reset_password(session: Session, actor: Actor, operator_id: int, password: str, at: datetime | None = None) -> None:
    """Set a new password (admin only); the operator's sessions end."""
    require(actor, "operator.manage")
    _check_password(password)
    op = _get_operator(session, operator_id)
    op.password_hash = _hasher.hash(password)
    op.failed_logins, op.locked_until = 0, None
    _revoke_all_sessions(session, op.id)
    events.record(session, "operator.password_reset", None, actor, at=at, operator=op.name)


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Operator).where(Operator.role == "admin", Operator.active.is_(True))
    ) or 0


def login(session: Session, name: str, password: str, now: datetime | None = None) -> str:
    """A new session token, or AuthError. The error never says which part was wrong.

    A failure is committed at once (the caller's unit of work rolls back on the AuthError,
    and the failure count must survive it); login is always its own unit of work.
    """
    now = now or clock.now()
    name = clean(name)[:64]  # services.text: a NUL or bidi override never reaches the query
    op = session.scalar(select(Operator).where(Operator.name == name)) if name else None
    locked_until = op.locked_until if op is not None else _unknown.locked_until(name)
    if locked_until and locked_until > now:
        raise AuthError(too_many_message(locked_until, now))
    # Unknown names cost the same argon2 work as known ones (no timing oracle).
    ok = _verify(op.password_hash if op is not None else _DUMMY_HASH, (password or "")[:MAX_PASSWORD])
    if op is None or not op.active or not ok:
        if op is None:
            _unknown.fail(name, now)
        else:
            _note_failure(op, now)
            events.record(session, "auth.failed", None, actor_of(op), at=now, failures=op.failed_logins)
            session.commit()
        raise AuthError(BAD_LOGIN)
    op.failed_logins = 0
    op.locked_until = None
    if _hasher.check_needs_rehash(op.password_hash):
        op.password_hash = _hasher.hash(password)
    token = issue_token(session, "session", now, session_hours(), operator_id=op.id)
    events.record(session, "auth.login", None, actor_of(op), at=now)
    return token


def too_many_message(locked_until: datetime, now: datetime) -> str:
    wait = int((locked_until - now).total_seconds()) + 1
    return f"尝试次数过多，请 {wait} 秒后再试。"


def _lock_for(failures: int) -> timedelta | None:
    over = failures - FREE_FAILURES
    return timedelta(seconds=min(MAX_LOCK_S, 2 ** (over - 1) * 5)) if over > 0 else None


class _UnknownNames:
    """Failures of names that are not operators, kept in memory (bounded), so that an
    unknown name is locked out exactly like a known one."""

    MAX = 2000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, tuple[int, datetime | None]] = OrderedDict()

    def locked_until(self, name: str) -> datetime | None:
        with self._lock:
            return self._seen.get(name, (0, None))[1]

    def fail(self, name: str, now: datetime) -> None:
        with self._lock:
            count = self._seen.pop(name, (0, None))[0] + 1
            lock = _lock_for(count)
            self._seen[name] = (count, now + lock if lock else None)
            while len(self._seen) > self.MAX:
                self._seen.popitem(last=False)


_unknown = _UnknownNames()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _note_failure(op: Operator, now: datetime) -> None:
    op.failed_logins = (op.failed_logins or 0) + 1
    lock = _lock_for(op.failed_logins)
    if lock:
        op.locked_until = now + lock


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


def resolve_session(session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """The operator behind a live session token, or None."""
    row = live_token(session, token, "session", now or clock.now())
    if row is None:
        return None
    op = session.get(Operator, row.operator_id)
    return actor_of(op) if op and op.active else None


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
    if session.get(Show, show_id) is None:
        raise NotFound(f"场次 {show_id} 不存在。")
    hours = host_link_hours() if hours is None else hours
    if not isinstance(hours, (int, float)) or not 0 < hours <= MAX_HOST_LINK_HOURS:
        raise InvalidInput(f"有效时长须在 0 到 {MAX_HOST_LINK_HOURS} 小时之间。", "有效时长")
    now = now or clock.now()
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
