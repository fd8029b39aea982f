"""Storing one flush of captured items: one transaction, idempotent (a retried flush stores nothing twice).

The message log's unique key (show, platform, msg_id) decides what is new; comments then go through
triage's ingest (classification, grouping, tallies, one event per batch) with a client_key made from
the same key, interactions go into the per-minute tallies, room numbers become viewer samples.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from db.models import CaptureFeed, CaptureMessage, CaptureMinute, CaptureViewer, Show, ViewerSample
from services import clock, events, live, locking, shows, tallies, triage
from services.sql import chunks, upsert_insert
from services.authz import Actor
from services.capture.model import INTERACTIONS, Kind, Message, Stats
from services.errors import DomainError

# Who writes: the capture process (no operator). Role admin: it writes comments and viewer numbers.
CAPTURE_ACTOR = Actor(id=None, name="直播采集", role="admin")
COMMENT_SOURCE = "pipe"  # triage's label for it: 采集管道
PAID_REPEAT = frozenset({"已付款"})  # an order the tool sends again once paid: counted when placed
_TALLY = {Kind.ENTER: "enters", Kind.LIKE: "likes", Kind.GIFT: "gifts", Kind.FOLLOW: "follows", Kind.ORDER: "orders"}


@dataclass
class Stored:
    fresh: int = 0
    duplicates: int = 0
    comments: int = 0  # comment rows triage inserted
    samples: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def client_key(m: Message) -> str:
    """The comment's Comment.client_key: platform + message id (hashed when too long)."""
    key = f"{m.platform}:{m.msg_id}"
    if len(key) <= 64:
        return key
    return "cap:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def store(
    session: Session,
    show_id: int,
    messages: list[Message],
    stats: list[Stats],
    received_at: datetime | None = None,
    viewer_every_s: float = 10.0,
) -> Stored:
    """Store what is new in this flush; every tally in the same transaction."""
    received_at = received_at or clock.now()
    locking.lock(session, Show, show_id)  # one writer per show at a time (triage locks it too)
    shows.get_show(session, show_id)
    out = Stored()
    fresh = _insert_new(session, show_id, messages, received_at)
    out.fresh, out.duplicates = len(fresh), len(messages) - len(fresh)
    comments = [
        triage.CommentIn(m.nickname, m.text, m.at or received_at, client_key(m)) for m in fresh if m.kind is Kind.COMMENT
    ]
    if comments:
        out.comments = triage.ingest(session, CAPTURE_ACTOR, show_id, comments, source=COMMENT_SOURCE).inserted
    others = [m for m in fresh if m.kind is not Kind.COMMENT]
    _tally(session, show_id, fresh, received_at)
    out.samples = _record_stats(session, show_id, stats, received_at, viewer_every_s)
    for m in fresh:
        out.by_kind[m.kind.value] = out.by_kind.get(m.kind.value, 0) + 1
    if others:
        events.record(session, "capture.received", show_id, CAPTURE_ACTOR, at=received_at,
                      **{k: n for k, n in out.by_kind.items() if k != Kind.COMMENT.value})
    session.execute(
        update(CaptureFeed)
        .where(CaptureFeed.show_id == show_id)
        .values(stored=CaptureFeed.stored + out.fresh, duplicates=CaptureFeed.duplicates + out.duplicates)
    )
    return out


def _insert_new(session: Session, show_id: int, messages: list[Message], received_at: datetime) -> list[Message]:
    """Insert the messages the log does not have yet; return those (in order)."""
    unique: dict[tuple[str, str], Message] = {}
    for m in messages:
        unique.setdefault((m.platform, m.msg_id), m)
    if not unique:
        return []
    rows = [
        {
            "show_id": show_id, "platform": m.platform[:24], "msg_id": m.msg_id, "kind": m.kind.value,
            "user_id": m.user_id[:128], "nickname": m.nickname[:100], "at": m.at or received_at,
            "client_key": client_key(m) if m.kind is Kind.COMMENT else None, "item": m.item[:200],
            "quantity": m.quantity, "amount": m.amount, "status": m.status[:16], "received_at": received_at,
        }
        for m in unique.values()
    ]
    # The show row is locked (one writer per show), so reading the known keys first is exact; the
    # ON CONFLICT clause is only a safety net. Core executemany: the ORM bulk path costs more than the SQL.
    known = _present(session, show_id, CaptureMessage.msg_id, [(r["platform"], r["msg_id"]) for r in rows])
    rows = [r for r in rows if (r["platform"], r["msg_id"]) not in known]
    if rows:
        stmt = upsert_insert(session, CaptureMessage).on_conflict_do_nothing(index_elements=["show_id", "platform", "msg_id"])
        session.connection().execute(stmt, rows)
    return [m for key, m in unique.items() if (key[0][:24], key[1]) not in known]


def _present(session: Session, show_id: int, column, keys, *where) -> set[tuple[str, str]]:
    """The (platform, value) pairs of `keys` that `column`'s table holds for the show (read in chunks)."""
    table = column.class_
    found: set[tuple[str, str]] = set()
    for platform in {p for p, _ in keys}:
        values = [v for p, v in keys if p == platform]
        for part in chunks(values, 500):
            found.update(
                (platform, v)
                for v in session.scalars(
                    select(column).where(table.show_id == show_id, table.platform == platform, column.in_(part), *where)
                )
            )
    return found


def _person(m: Message) -> str:
    """Who did it: the platform user id, else the nickname (some tools send no id)."""
    return m.user_id[:128] or (f"name:{m.nickname}"[:128] if m.nickname else "")


def _ids_by_name(session: Session, show_id: int, fresh: list[Message]) -> dict[tuple[str, str], str]:
    """User ids for messages that carry only a nickname (e.g. a like): the id the same nickname came
    with earlier in the show or in this flush, so one person is not counted twice."""
    names = {(m.platform[:24], m.nickname[:100]) for m in fresh if not m.user_id and m.nickname}
    if not names:
        return {}
    found = {(m.platform[:24], m.nickname[:100]): m.user_id[:128] for m in fresh if m.user_id and m.nickname}
    for platform in {p for p, _ in names}:
        wanted = [n for p, n in names if p == platform and (p, n) not in found]
        for part in chunks(wanted, 500):
            for nick, uid in session.execute(
                select(CaptureViewer.nickname, CaptureViewer.user_id).where(
                    CaptureViewer.show_id == show_id, CaptureViewer.platform == platform,
                    CaptureViewer.nickname.in_(part), ~CaptureViewer.user_id.startswith("name:"),
                )
            ):
                found.setdefault((platform, nick), uid)
    return {k: v for k, v in found.items() if k in names}


def _tally(session: Session, show_id: int, fresh: list[Message], received_at: datetime) -> None:
    minutes: dict[datetime, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in fresh:
        column = _TALLY.get(m.kind)
        if column is None or (m.kind is Kind.ORDER and m.status in PAID_REPEAT):
            continue
        minutes[clock.minute(m.at or received_at)][column] += m.quantity if m.kind is Kind.LIKE else 1
    for minute, when_first in _new_interactors(session, show_id, fresh, received_at).items():
        minutes[minute]["interactors"] += when_first
    for minute, deltas in minutes.items():
        tallies.bump_minute(session, CaptureMinute, {"show_id": show_id, "minute": minute}, dict(deltas))


def _new_interactors(session: Session, show_id: int, fresh: list[Message], received_at: datetime) -> dict[datetime, int]:
    """Register the people of this flush; per minute, how many interacted for the first time."""
    first_seen: dict[tuple[str, str], tuple[datetime, str]] = {}
    first_act: dict[tuple[str, str], datetime] = {}
    known = _ids_by_name(session, show_id, fresh)
    for m in fresh:
        person = m.user_id[:128] or known.get((m.platform[:24], m.nickname[:100])) or _person(m)
        if not person:
            continue
        key, at = (m.platform[:24], person), m.at or received_at
        if key not in first_seen or at < first_seen[key][0]:
            first_seen[key] = (at, m.nickname[:100])
        if m.kind in INTERACTIONS and (key not in first_act or at < first_act[key]):
            first_act[key] = at
    if not first_seen:
        return {}
    rows = [{"show_id": show_id, "platform": p, "user_id": u, "nickname": n, "first_seen": at}
            for (p, u), (at, n) in first_seen.items()]
    session.connection().execute(upsert_insert(session, CaptureViewer).on_conflict_do_nothing(), rows)
    if not first_act:
        return {}
    done = _present(session, show_id, CaptureViewer.user_id, list(first_act), CaptureViewer.interacted_at.is_not(None))
    new = {k: at for k, at in first_act.items() if k not in done}
    if new:
        t = CaptureViewer.__table__
        stmt = update(t).where(t.c.show_id == show_id, t.c.platform == bindparam("p"), t.c.user_id == bindparam("u"))
        session.connection().execute(stmt.values(interacted_at=bindparam("at")),
                                     [{"p": p, "u": u, "at": at} for (p, u), at in new.items()])
    per_minute: dict[datetime, int] = defaultdict(int)
    for at in new.values():
        per_minute[clock.minute(at)] += 1
    return per_minute


def _record_stats(session: Session, show_id: int, stats: list[Stats], received_at: datetime, every_s: float) -> int:
    """Room numbers → viewer samples: one when the numbers changed and `every_s` passed since the last."""
    if not stats:
        return 0
    likes = [s.likes for s in stats if s.likes is not None]
    if likes:
        session.execute(update(CaptureFeed).where(CaptureFeed.show_id == show_id).values(room_likes=likes[-1]))
    last = session.execute(
        select(ViewerSample.online, ViewerSample.cumulative, ViewerSample.at)
        .where(ViewerSample.show_id == show_id)
        .order_by(ViewerSample.at.desc(), ViewerSample.id.desc())
        .limit(1)
    ).first()
    recorded = 0
    for s in stats:
        if s.online is None:
            continue
        at = s.at or received_at
        cumulative = max(s.cumulative or 0, s.online, last.cumulative if last and not s.cumulative else 0)
        if last is not None and ((s.online, cumulative) == (last.online, last.cumulative)
                                 or at - last.at < timedelta(seconds=every_s)):
            continue
        try:
            live.record_viewers(session, CAPTURE_ACTOR, show_id, s.online, cumulative, at=at)
        except DomainError:
            continue  # numbers out of range: skipped (the tool's own glitch)
        last = _Last(s.online, cumulative, at)
        recorded += 1
    return recorded


@dataclass(frozen=True)
class _Last:
    online: int
    cumulative: int
    at: datetime
