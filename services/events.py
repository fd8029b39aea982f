"""The one event log: every operator action and every milestone of a night."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Event, Operator, Show
from services import clock
from services.authz import Actor


def record(
    session: Session,
    kind: str,
    show_id: int | None,
    actor: Actor | None,
    at: datetime | None = None,
    **payload: Any,
) -> Event:
    """Append one event and bump the show's version, in the caller's transaction."""
    ev = Event(
        show_id=show_id,
        operator_id=actor.id if actor else None,
        at=at or clock.now(),
        kind=kind,
        payload=_jsonable(payload),
    )
    session.add(ev)
    if show_id is not None:
        bump_version(session, show_id)
        if kind.startswith("chain.") or kind in ENTRY_SCOPE_KINDS:
            note = (payload.get("deal_id"), kind, ev.at)
            session.info.setdefault(CHAIN_CHANGES_KEY, {}).setdefault(show_id, []).append(note)
    session.flush()
    return ev


# Events that may change which chain entries count (chain.* and these): noted per transaction in
# session.info, so whatever follows the chain (services.promises) can catch up from the entries
# changed since each event's time before the transaction commits.
CHAIN_CHANGES_KEY = "events.chain_changes"
ENTRY_SCOPE_KINDS = ("deal.updated", "deal.failed")


def take_chain_changes(session: Session) -> dict[int, list[tuple[int | None, str, datetime]]]:
    """{show id: [(deal id, kind, at), …]} noted in this transaction so far, and forget them."""
    return session.info.pop(CHAIN_CHANGES_KEY, None) or {}


def bump_version(session: Session, show_id: int) -> None:
    session.execute(update(Show).where(Show.id == show_id).values(version=Show.version + 1))


def version(session: Session, show_id: int) -> int:
    """A cheap number that changes whenever anything about the show changes."""
    return session.scalar(select(Show.version).where(Show.id == show_id)) or 0


def last_event_id(session: Session, show_id: int) -> int:
    return session.scalar(select(func.max(Event.id)).where(Event.show_id == show_id)) or 0


def timeline(
    session: Session,
    show_id: int,
    operator_id: int | None = None,
    kinds: list[str] | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Events of a show, oldest first, with the operator's name."""
    q = (
        select(Event.id, Event.at, Event.kind, Event.payload, Operator.name)
        .outerjoin(Operator, Operator.id == Event.operator_id)
        .where(Event.show_id == show_id)
        .order_by(Event.at, Event.id)
        .limit(limit)
    )
    if operator_id is not None:
        q = q.where(Event.operator_id == operator_id)
    if kinds:
        q = q.where(Event.kind.in_(kinds))
    return [
        {"id": i, "at": at, "kind": k, "payload": p or {}, "operator": name or "系统"}
        for i, at, k, p, name in session.execute(q)
    ]


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in payload.items():
        if isinstance(v, datetime):
            v = v.isoformat(sep=" ")
        elif hasattr(v, "as_tuple"):  # Decimal
            v = str(v)
        out[k] = v
    return out
