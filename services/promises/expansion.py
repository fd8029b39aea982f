"""Expansion: a confirmed promise's items drawn from the chain, in SQL, and kept in step with it.

Every statement is set-based (INSERT … SELECT with ON CONFLICT DO NOTHING, UPDATE … WHERE id IN
(SELECT …)), so no statement carries one parameter per entry: a whole-show promise over 100k
entries is three statements, never an IN list of ids (SQLite and psycopg cap parameters).

When it runs:
- `expand` (whole promise): on `confirm`, on `update_promise` when the deal changes, on the
  「同步名单」 button (`sync_show`);
- `follow_chain` (incremental): in the transaction that changed the chain, just before it
  commits. services.events notes every chain.* / deal.* event in session.info; this package
  listens to the session's before_commit and re-expands only the entries of the touched deals
  changed since the event's time (intake writes `updated_at` = the event's `at`). No page
  re-expands anything while it draws.

Scopes: deal / show are every valid entry of the deal / of the show's deals that did not fail
(未成团); first_n is the first N *people* (each buyer's first valid entry, in chain order: seq in
a deal, entry time across the show), so a buyer with two entries gets one gift.
Idempotent: entries that left the scope lose their item's `active` flag (done history kept),
entries back in scope get it back, the unique (promise_id, chain_entry_id) forbids doubles.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, case, cast, event, exists, func, literal, or_, select, true, union_all, update
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Promise
from services import clock, events, jielong
from services.authz import Actor, require
from services.errors import Forbidden
from services.promises.labels import EXPANDED_SCOPES, PromiseStatus, Scope
from services.sql import chunks, get_or_not_found, upsert_insert

VALID, FAILED = jielong.EntryStatus.VALID, jielong.DealStatus.FAILED
CHUNK = 1_000  # entry ids a statement carries (well under SQLite's and psycopg's parameter limits)


@dataclass(frozen=True)
class ExpandResult:
    added: int = 0
    reactivated: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reactivated or self.deactivated)

    def __add__(self, other: "ExpandResult") -> "ExpandResult":
        return ExpandResult(
            self.added + other.added, self.reactivated + other.reactivated, self.deactivated + other.deactivated
        )


def get_promise(session: Session, promise_id: int) -> Promise:
    return get_or_not_found(session, Promise, promise_id, "找不到编号为 {key} 的承诺，可能已被删除。")


# ---------------------------------------------------------------- which entries a promise covers


def _scope_where(p: Promise) -> list:
    """Conditions on ChainEntry ⨝ Deal for the promise's deal or show (any entry status)."""
    if p.deal_id is not None and p.scope in (Scope.DEAL, Scope.FIRST_N, Scope.MIN_QTY):
        return [ChainEntry.deal_id == p.deal_id]
    return [Deal.show_id == p.show_id]


def _valid_in_scope(p: Promise):
    """SELECT ids of the valid entries in the promise's scope, deals that failed left out."""
    return (
        select(ChainEntry.id)
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(ChainEntry.status == VALID, Deal.status != FAILED, *_scope_where(p))
    )


def _firsts_of_deal(deal_id: int, by_seq: bool, limit: int):
    """Each buyer's first valid entry in one deal (chain number order, else entry time), the
    first `limit` of them in that order."""
    if by_seq:
        order = (ChainEntry.seq.is_(None), ChainEntry.seq, ChainEntry.id)
    else:
        order = (ChainEntry.created_at, ChainEntry.id)
    rn = func.row_number().over(partition_by=ChainEntry.buyer_name, order_by=order).label("rn")
    ranked = (
        select(ChainEntry.id, ChainEntry.buyer_name, ChainEntry.seq, ChainEntry.created_at, rn)
        .where(ChainEntry.deal_id == deal_id, ChainEntry.status == VALID)
        .subquery()
    )
    by = [ranked.c.seq.is_(None), ranked.c.seq] if by_seq else [ranked.c.created_at]
    return (
        select(ranked.c.id, ranked.c.buyer_name, ranked.c.created_at)
        .where(ranked.c.rn == 1)
        .order_by(*by, ranked.c.id)
        .limit(limit)
    )


def _first_n_target(session: Session, p: Promise):
    """SELECT ids of the first N people's first entries (see the module doc).

    Across the show, the first N people are among the first N people of each deal (anyone
    ahead of a person in their earliest deal is ahead in the show too), so only N per deal
    are ranked: the show is never sorted as a whole."""
    n = p.first_n or 0
    if p.deal_id is not None:
        failed = session.scalar(select(Deal.status).where(Deal.id == p.deal_id)) == FAILED
        firsts = _firsts_of_deal(p.deal_id, True, 0 if failed else n).subquery()
        return select(firsts.c.id)
    deal_ids = session.scalars(select(Deal.id).where(Deal.show_id == p.show_id, Deal.status != FAILED)).all()
    if not deal_ids:
        return select(ChainEntry.id).where(literal(False))
    parts = [select(*_firsts_of_deal(d, False, n).subquery().c) for d in deal_ids]
    cand = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    rn = func.row_number().over(partition_by=cand.c.buyer_name, order_by=(cand.c.created_at, cand.c.id)).label("rn")
    ranked = select(cand.c.id, cand.c.created_at, rn).subquery()
    return select(ranked.c.id).where(ranked.c.rn == 1).order_by(ranked.c.created_at, ranked.c.id).limit(n)


def _min_qty_target(p: Promise):
    """满 N 份: each buyer (name as written, per deal) whose valid entries of the promise's deal
    (of the show's deals when it has none) add up to at least N, once: their first entry."""
    return (
        select(func.min(ChainEntry.id))
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(ChainEntry.status == VALID, Deal.status != FAILED, *_scope_where(p))
        .group_by(ChainEntry.deal_id, ChainEntry.buyer_name)
        .having(func.sum(ChainEntry.qty) >= (p.min_qty or 1))
    )


def _target(session: Session, p: Promise):
    if p.scope == Scope.MIN_QTY:
        return _min_qty_target(p)
    return _first_n_target(session, p) if p.scope == Scope.FIRST_N else _valid_in_scope(p)


# ---------------------------------------------------------------- the three statements


def _label():
    """'12. 王芳 ×2（5斤装）' in SQL (the same text on SQLite and PostgreSQL)."""
    head = func.coalesce(cast(ChainEntry.seq, String) + ". ", "")
    spec = func.coalesce(func.nullif(ChainEntry.spec, ""), None)
    tail = func.coalesce("（" + spec + "）", "")
    qty = cast(func.coalesce(ChainEntry.qty, 1), String)
    return func.substr(head + ChainEntry.buyer_name + " ×" + qty + tail, 1, 200)


def _apply(session: Session, p: Promise, target, now: datetime, gone=None) -> ExpandResult:
    """Items for every target entry added or reactivated; items of entries outside the target
    deactivated: all of them (gone None, a whole re-expansion) or those of the `gone` entries.
    target / gone: a SELECT of entry ids, or a list of them (empty lists skip their statements;
    a listed entry that just got its item is not looked up again)."""
    mine = [FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item"]
    listed = isinstance(target, list)
    had = True if listed else session.scalar(select(exists().where(*mine)))
    added: set[int] = set()
    back = left = 0
    if not listed or target:
        new = select(
            literal(p.id), ChainEntry.id, literal("item"), _label(), true(), literal(False), literal(""),
            literal(p.due_at, FulfilmentItem.due_at.type), literal(now, FulfilmentItem.created_at.type),
        ).where(ChainEntry.id.in_(target))
        cols = ["promise_id", "chain_entry_id", "kind", "label", "active", "done", "note", "due_at", "created_at"]
        ins = upsert_insert(session, FulfilmentItem).from_select(cols, new).on_conflict_do_nothing(
            index_elements=["promise_id", "chain_entry_id"]
        ).returning(FulfilmentItem.chain_entry_id)
        # Counted from RETURNING: psycopg reports no row count for INSERT … SELECT … ON CONFLICT.
        added = set(session.connection().execute(ins).scalars())
        rest = [i for i in target if i not in added] if listed else target
        if had and (not listed or rest):
            back = _set_active(session, mine, True, FulfilmentItem.chain_entry_id.in_(rest))
    if had and (gone is None or gone):
        leaving = FulfilmentItem.chain_entry_id.not_in(target) if gone is None else FulfilmentItem.chain_entry_id.in_(gone)
        left = _set_active(session, mine, False, leaving)
    return ExpandResult(added=len(added), reactivated=back, deactivated=left)


def _set_active(session: Session, mine: list, active: bool, which) -> int:
    stmt = (
        update(FulfilmentItem)
        .where(*mine, FulfilmentItem.active.is_(not active), which)
        .values(active=active)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount or 0


def _incremental(session: Session, p: Promise, changed: list[int], now: datetime) -> ExpandResult:
    """A deal / show promise brought along for some changed entries only: those in scope now
    get (back) their item, the others lose it. The entries are sorted in or out first, so each
    statement carries plain id lists (index lookups by (promise, entry), whatever the statistics)."""
    in_scope = and_(ChainEntry.status == VALID, Deal.status != FAILED, *_scope_where(p))
    rows = session.execute(
        select(ChainEntry.id, case((in_scope, 1), else_=0))
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(ChainEntry.id.in_(changed))
    ).all()
    inside = [i for i, ok in rows if ok]
    outside = [i for i, ok in rows if not ok]
    return _apply(session, p, inside, now, gone=outside)


def _log(session: Session, p: Promise, result: ExpandResult, actor: Actor | None, at: datetime | None) -> None:
    if result.changed:
        events.record(
            session, "promise.expanded", p.show_id, actor, at=at, promise_id=p.id,
            added=result.added, reactivated=result.reactivated, deactivated=result.deactivated,
        )


def expand(
    session: Session,
    promise_id: int,
    *,
    actor: Actor | None = None,
    at: datetime | None = None,
    log: bool = True,
) -> ExpandResult:
    """Bring the promise's items in line with its scope and the chain as it is now.

    Idempotent: run it as often as you like. Unconfirmed promises and claims scopes have
    nothing to expand. Logs one 'promise.expanded' event when something changed."""
    p = get_promise(session, promise_id)
    if not p.confirmed or p.scope == Scope.CLAIMS:
        return ExpandResult()
    session.flush()
    result = _apply(session, p, _target(session, p), at or clock.now())
    if log:
        _log(session, p, result, actor, at)
    session.expire_all()
    return result


def _open_promises(session: Session, show_id: int) -> list[Promise]:
    return list(
        session.scalars(
            select(Promise).where(
                Promise.show_id == show_id,
                Promise.confirmed.is_(True),
                Promise.status == PromiseStatus.OPEN,
                Promise.scope.in_(EXPANDED_SCOPES),
            ).order_by(Promise.id)
        )
    )


def sync_show(session: Session, show_id: int, *, actor: Actor | None = None, at: datetime | None = None) -> ExpandResult:
    """Re-expand every confirmed open promise of the show as a whole (the 「同步名单」 action). A
    write: the actor must be one who may see the items follow the chain (promise.sync)."""
    if actor is None:
        raise Forbidden("同步履约名单需要操作人。")
    require(actor, "promise.sync")
    return _resync(session, show_id, actor=actor, at=at)


def _resync(session: Session, show_id: int, *, actor: Actor | None = None, at: datetime | None = None) -> ExpandResult:
    total = ExpandResult()
    for p in _open_promises(session, show_id):
        total = total + expand(session, p.id, actor=actor, at=at)
    return total


# ---------------------------------------------------------------- following the chain as it changes


def _first_n_untouched(session: Session, p: Promise, candidates) -> bool:
    """True when a change cannot move the first N: all N are there, no candidate has an item
    of this promise, and every candidate comes after the last of them in chain order."""
    active = [FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item", FulfilmentItem.active.is_(True)]
    have = session.scalar(select(func.count()).select_from(FulfilmentItem).where(*active)) or 0
    if have < (p.first_n or 0):
        return False
    touched = session.scalar(
        select(exists().where(FulfilmentItem.promise_id == p.id, FulfilmentItem.chain_entry_id.in_(candidates)))
    )
    if touched:
        return False
    key = ChainEntry.seq if p.deal_id is not None else ChainEntry.created_at
    last = (
        select(func.max(key))
        .join(FulfilmentItem, FulfilmentItem.chain_entry_id == ChainEntry.id)
        .where(*active)
        .scalar_subquery()
    )
    ahead = select(
        exists().where(ChainEntry.id.in_(candidates), ChainEntry.status == VALID, key <= last)
    )
    return not session.scalar(ahead)


def _changed_entries(changes: list[tuple[int | None, str, datetime]]):
    """SELECT ids of the entries the noted events may have changed."""
    whole = {d for d, kind, _ in changes if d is not None and kind == "deal.failed"}
    since: dict[int, datetime] = {}
    for d, _, at in changes:
        if d is not None and d not in whole:
            since[d] = min(at, since.get(d, at))
    conds = [ChainEntry.deal_id.in_(sorted(whole))] if whole else []
    conds += [and_(ChainEntry.deal_id == d, ChainEntry.updated_at >= at) for d, at in sorted(since.items())]
    return select(ChainEntry.id).where(or_(*conds))


def follow_chain(session: Session, changes: dict[int, list[tuple[int | None, str, datetime]]] | None = None,
                 *, now: datetime | None = None) -> ExpandResult:
    """Re-expand the open promises of the shows whose chain changed in this transaction, from
    the changed entries only. `changes` defaults to what services.events noted in the session.

    The changed entries' ids are read first and passed in chunks of CHUNK: the statements then
    look items up by (promise, entry) whatever the planner's statistics say (a subquery here
    made PostgreSQL scan every item after a big confirm, before autovacuum analysed the table)."""
    if changes is None:
        changes = events.take_chain_changes(session)
    total = ExpandResult()
    for show_id, noted in changes.items():
        promises = _open_promises(session, show_id)
        if not promises:
            continue
        if any(d is None for d, _, _ in noted):  # an event without a deal: re-expand as a whole
            total = total + _resync(session, show_id)
            continue
        changed = list(session.scalars(_changed_entries(noted)))
        if not changed:
            continue
        deals = {d for d, _, _ in noted}
        for p in promises:
            if p.deal_id is not None and p.scope != Scope.SHOW and p.deal_id not in deals:
                continue
            total = total + _follow(session, p, changed, now or clock.now())
    return total


def _follow(session: Session, p: Promise, changed: list[int], now: datetime) -> ExpandResult:
    if p.scope == Scope.MIN_QTY:  # a buyer's sum moves with any of their entries: recomputed whole
        return _apply(session, p, _target(session, p), now)
    if p.scope == Scope.FIRST_N:
        if len(changed) <= CHUNK and _first_n_untouched(session, p, changed):
            return ExpandResult()
        return _apply(session, p, _target(session, p), now)  # N is small: recomputed whole
    total = ExpandResult()
    for part in chunks(changed, CHUNK):
        total = total + _incremental(session, p, list(part), now)
    return total  # no event of its own: the chain event it follows is the record


def _before_commit(session: Session) -> None:
    if session.info.get(events.CHAIN_CHANGES_KEY):
        follow_chain(session)


def _after_rollback(session: Session) -> None:
    events.take_chain_changes(session)  # rolled back: nothing of it to follow


def install() -> None:
    """Follow the chain in every session that changes it (idempotent)."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _after_rollback)
