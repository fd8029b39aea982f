"""Operators, password login, session tokens and read-only host links.

Passwords are argon2 hashes; tokens are random and only their SHA-256 is stored,
so a leaked database grants nothing. Repeated failures lock the name for a while.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuthToken, Operator, Show
from services import clock, events
from services.authz import ROLES, SYSTEM, Actor, require
from services.errors import AuthError, InvalidInput, NotFound

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")

SESSION_HOURS = float(os.environ.get("SESSION_HOURS", "12"))
HOST_LINK_HOURS = float(os.environ.get("HOST_LINK_HOURS", "12"))
FREE_FAILURES = 3  # failures before each further one locks the name for a while
MAX_LOCK_S = 300
MIN_PASSWORD = 8


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(op: Operator) -> Actor:
    return Actor(id=op.id, name=op.name, role=op.role)


def has_operators(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Operator)))


def _validate(name: str, role: str, password: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput("用户名不能为空，且不超过 64 个字符。", "用户名")
    if role not in ROLES:
        raise InvalidInput(f"未知角色：{role}", "角色")
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位。", "密码")
    return name


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
    password = os.environ.get("ADMIN_PASSWORD", "")
    if not password or has_operators(session):
        return None
    return create_first_admin(session, os.environ.get("ADMIN_USER", "admin"), password)


def list_operators(session: Session) -> list[Operator]:
    return list(session.scalars(select(Operator).order_by(Operator.id)))


def set_active(session: Session, actor: Actor, operator_id: int, active: bool) -> None:
    require(actor, "operator.manage")
    op = session.get(Operator, operator_id)
    if op is None:
        raise NotFound("找不到该运营人员。")
    op.active = active
    if not active:
        _revoke_all_sessions(session, op.id)
    events.record(session, "operator.active", None, actor, name=op.name, active=active)


def login(session: Session, name: str, password: str, now: datetime | None = None) -> str:
    """A new session token, or AuthError. The error never says which part was wrong."""
    now = now or clock.now()
    op = session.scalar(select(Operator).where(Operator.name == (name or "").strip()))
    if op is not None and op.locked_until and op.locked_until > now:
        wait = int((op.locked_until - now).total_seconds()) + 1
        raise AuthError(f"尝试次数过多，请 {wait} 秒后再试。")
    if op is None or not op.active or not _verify(op.password_hash, password):
        if op is not None:
            _note_failure(op, now)
        raise AuthError("用户名或密码不正确。")
    op.failed_logins = 0
    op.locked_until = None
    if _hasher.check_needs_rehash(op.password_hash):
        op.password_hash = _hasher.hash(password)
    token = _issue(session, "session", now, SESSION_HOURS, operator_id=op.id)
    events.record(session, "auth.login", None, actor_of(op), at=now)
    return token


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _note_failure(op: Operator, now: datetime) -> None:
    op.failed_logins = (op.failed_logins or 0) + 1
    over = op.failed_logins - FREE_FAILURES
    if over > 0:
        op.locked_until = now + timedelta(seconds=min(MAX_LOCK_S, 2 ** (over - 1) * 5))


def _issue(session: Session, kind: str, now: datetime, hours: float, **refs) -> str:
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


def _live_token(session: Session, token: str, kind: str, now: datetime) -> AuthToken | None:
    if not token:
        return None
    row = session.scalar(
        select(AuthToken).where(AuthToken.token_hash == _hash_token(token), AuthToken.kind == kind)
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def resolve_session(session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """The operator behind a live session token, or None."""
    row = _live_token(session, token, "session", now or clock.now())
    if row is None:
        return None
    op = session.get(Operator, row.operator_id)
    return actor_of(op) if op and op.active else None


def logout(session: Session, token: str) -> None:
    row = _live_token(session, token, "session", clock.now())
    if row is not None:
        row.revoked_at = clock.now()
        op = session.get(Operator, row.operator_id)
        events.record(session, "auth.logout", None, actor_of(op) if op else None)


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
    now = now or clock.now()
    token = _issue(session, "host_link", now, hours or HOST_LINK_HOURS, show_id=show_id, operator_id=actor.id)
    events.record(session, "hostlink.created", show_id, actor, at=now, hours=hours or HOST_LINK_HOURS)
    return token


def resolve_host_link(session: Session, token: str, now: datetime | None = None) -> int | None:
    """The show id a live host link grants, or None when unknown, expired or revoked."""
    row = _live_token(session, token, "host_link", now or clock.now())
    return row.show_id if row else None


def list_host_links(session: Session, show_id: int) -> list[AuthToken]:
    return list(
        session.scalars(
            select(AuthToken)
            .where(AuthToken.kind == "host_link", AuthToken.show_id == show_id)
            .order_by(AuthToken.id.desc())
        )
    )


def revoke_host_link(session: Session, actor: Actor, link_id: int) -> None:
    require(actor, "hostlink.manage")
    row = session.get(AuthToken, link_id)
    if row is None or row.kind != "host_link":
        raise NotFound("找不到该主播链接。")
    row.revoked_at = clock.now()
    events.record(session, "hostlink.revoked", row.show_id, actor, link_id=link_id)
