"""Login throttling in the shared database: every server process (and a restart) sees the same
counts, and the same answer for a real name and a made-up one.

An attempt is *charged* before its password is checked, by one atomic UPDATE that adds 1 and,
past FREE failures, sets the lock in the same statement. So twelve parallel guesses cannot all be
checked: once the free ones are used up, the next charge locks the key and the rest are refused
before any argon2 work. A successful login clears its keys again.

Keys are SHA-256 digests (name and source together, and the source alone), so no typed name is
stored; `name_hash` lets an admin's password reset clear a name's keys from every source.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.orm import Session

from db.models import LoginThrottle
from services.sql import upsert_insert

MAX_LOCK_S = 300
KEEP = timedelta(days=1)  # rows untouched this long are forgotten


@dataclass(frozen=True)
class Rule:
    """`free` failures, then each further one locks the key for 5 s, doubling up to MAX_LOCK_S."""

    kind: str
    free: int


NAME_AT_SOURCE = Rule("name@source", 3)  # one name from one browser/address
SOURCE = Rule("source", 20)  # one address trying many names


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def lock_for(failures: int, free: int) -> timedelta | None:
    over = failures - free
    return timedelta(seconds=min(MAX_LOCK_S, 2 ** (over - 1) * 5)) if over > 0 else None


def _lock_after_charge(rule: Rule, now: datetime):
    """locked_until for the new count (failures + 1), as one SQL CASE: atomic with the charge."""
    new = LoginThrottle.failures + 1
    whens = []
    for n in range(rule.free + 1, rule.free + 8):  # 5 s · 2^k reaches MAX_LOCK_S within 7 steps
        whens.append((new == n, now + lock_for(n, rule.free)))
    return case((new <= rule.free, None), *whens, else_=now + timedelta(seconds=MAX_LOCK_S))


def charge(session: Session, key: str, rule: Rule, now: datetime, name_hash: str | None = None) -> datetime | None:
    """Count one attempt on `key`. None when it may go ahead, else the time its lock ends."""
    session.execute(
        upsert_insert(session, LoginThrottle)
        .values(key=key, kind=rule.kind, name_hash=name_hash, failures=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    charged = session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .where((LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until <= now))
        .values(failures=LoginThrottle.failures + 1, locked_until=_lock_after_charge(rule, now), updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if charged:
        return None
    return session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key))


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def clear_name(session: Session, name_hash: str) -> None:
    """Forget a name's failures from every source (an admin reset its password or reactivated it)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.name_hash == name_hash))


def forget_old(session: Session, now: datetime) -> None:
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.updated_at < now - KEEP)  # every lock is over by then
    )
