"""Per-spec 限量 (Deal.spec_stock) on the incremental paths of chain intake: a paste or a cancel
re-judges only the entries of the specs it changes, never the whole chain.

The rule stays plan.flag_spec_stock: first come first served in chain order (by id); a valid
entry beyond its spec's 限量 is flagged over_stock, and flagged entries do not fill the 限量.
Every stored flag is that rule's verdict over the whole chain, so the entries before a change
keep theirs, and what they fill of each spec is one aggregate query (spec_units):

- new lines come after every entry: each spec's units so far, then the new lines in order;
- a paste that moves an earlier entry between specs re-judges those specs' entries (a change of
  quantity or status re-serves the whole chain anyway: plan.needs_full);
- a cancel lets in, in chain order, the flagged entries of its spec that the freed units now
  fit (one window query each: the spec's stored units before every entry), loading only them;
  once it let in more than it freed, an entry that fitted before may no longer (限量 3: 甲 1,
  乙 3 flagged, 丙 2; cancel 甲: 乙 fits and 丙 no longer does), so the spec's entries after
  the last one let in are judged again. An entry promoted from the 候补 re-judges its spec's
  entries from it on.
"""
from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import ChainEntry as EntryRow
from db.models import Deal
from services.jielong.lifecycle import EntryStatus
from services.jielong.plan import Work, flag_spec_stock, load, needs_full

VALID = EntryStatus.VALID


def spec_units(session: Session, deal_id: int, specs, before_id: int | None = None,
               without: int | None = None) -> dict[str, int]:
    """Valid units of each spec within its 限量 (flagged ones do not fill it): one aggregate
    query; `before_id`: only entries before that one in chain order; `without`: leave one out."""
    specs = sorted(specs)
    if not specs:
        return {}
    c = EntryRow
    q = (select(c.spec, func.coalesce(func.sum(c.qty), 0))
         .where(c.deal_id == deal_id, c.status == VALID, c.over_stock.is_(False), c.spec.in_(specs))
         .group_by(c.spec))
    if before_id is not None:
        q = q.where(c.id < before_id)
    if without is not None:
        q = q.where(c.id != without)
    return {spec or "": int(units or 0) for spec, units in session.execute(q)}


def _spec(w: Work) -> str:
    return w.spec or ""


def _moved(existing: list[Work]) -> set[str]:
    """The specs (old and new) of the entries whose status, quantity or spec the plan changed."""
    out: set[str] = set()
    for w in existing:
        old = w.before()
        if old and (w.status, w.qty, _spec(w)) != (old["status"], old["qty"], old["spec"] or ""):
            out |= {_spec(w), old["spec"] or ""}
    return out


def judge_paste(session: Session, deal: Deal, existing: list[Work], new: list[Work]) -> list[Work]:
    """Flags of an incremental paste's entries (see the module doc); returns `existing` and the
    entries of re-judged specs it loaded, in chain order. A plan that needs the whole chain
    (plan.needs_full) is judged there instead."""
    if needs_full(existing):
        return existing
    limited = set(deal.spec_stock or {})
    moved = _moved(existing)
    have = {w.id for w in existing}
    peers = [w for w in _of_specs(session, deal.id, moved & limited) if w.id not in have]
    existing = sorted(existing + peers, key=lambda w: w.id)
    flag_spec_stock(deal, [w for w in existing + new if _spec(w) in moved])
    fresh = [w for w in new if _spec(w) not in moved]
    used = spec_units(session, deal.id, {_spec(w) for w in fresh} & limited)
    flag_spec_stock(deal, fresh, used)
    return existing


def _of_specs(session: Session, deal_id: int, specs: set[str], from_id: int | None = None) -> list[Work]:
    """The valid entries of `specs` (from `from_id` on), in chain order: the only ones a flag can touch."""
    if not specs:
        return []
    where = [EntryRow.spec.in_(sorted(specs)), EntryRow.status == VALID]
    if from_id is not None:
        where.append(EntryRow.id >= from_id)
    return load(session, deal_id, *where)


def _starts(deal: Deal, target: Work, promoted: list[Work]) -> dict[str, tuple[int, bool]]:
    """spec → (the first entry of it the cancel changes, whether an entry of it was promoted)."""
    limited = deal.spec_stock or {}
    out: dict[str, tuple[int, bool]] = {}
    old = target.before()
    if old["status"] == VALID and not old["over_stock"] and (old["spec"] or "") in limited:
        out[old["spec"] or ""] = (target.id, False)
    for w in promoted:
        if _spec(w) in limited:
            start = min(w.id, out.get(_spec(w), (w.id, True))[0])
            out[_spec(w)] = (start, True)
    return out


def judge_cancel(session: Session, deal: Deal, target: Work, promoted: list[Work], touched: dict[int, Work]) -> None:
    """Flags after `target` was cancelled and `promoted` left the 候补 (both in `touched`, the
    entries the cancel already loaded); the entries whose flag it re-judges join `touched`."""
    target.over_stock = False  # only a valid entry is ever flagged
    for spec, (start, promotes) in _starts(deal, target, promoted).items():
        if promotes:  # an entry of the spec came in: every verdict of it from there on
            used = spec_units(session, deal.id, {spec}, before_id=start, without=target.id).get(spec, 0)
            _rejudge_from(session, deal, spec, start, used, touched)
        else:
            _let_in(session, deal, spec, target, touched)


def _rejudge_from(session: Session, deal: Deal, spec: str, first: int, used: int, touched: dict[int, Work]) -> None:
    """Every valid entry of `spec` from `first` on judged again, `used` units filling its 限量 before."""
    for w in _of_specs(session, deal.id, {spec}, first):
        touched.setdefault(w.id, w)
    works = sorted((w for w in touched.values() if _spec(w) == spec and w.id >= first), key=lambda w: w.id)
    flag_spec_stock(deal, works, {spec: used})


def _let_in(session: Session, deal: Deal, spec: str, target: Work, touched: dict[int, Work]) -> None:
    """The units `target` freed let in the first flagged entries of its spec that now fit, in
    chain order. While no more units are let in than were freed (room left ≥ 0), the entries that
    fitted before still fit and only the next flagged one that fits can change: one query each.
    Once more are let in than were freed, later entries may no longer fit: the rest of the
    spec is judged again from there."""
    room, after, before = target.qty, target.id, 0
    while room > 0:  # an entry fits when the units before it (stored) + its own ≤ 限量 + room
        found = _next_fit(session, deal.id, spec, deal.spec_stock[spec], after, room)
        if found is None:
            return
        after, before, qty = found
        room -= qty
        if after not in touched:
            touched[after] = load(session, deal.id, EntryRow.id == after)[0]
        touched[after].over_stock = False
    if room < 0:  # the units filling the 限量 after it: `before`, less the room that was left
        _rejudge_from(session, deal, spec, after + 1, before - room, touched)


def _next_fit(session: Session, deal_id: int, spec: str, limit: int, after_id: int, room: int) -> tuple[int, int, int] | None:
    """(id, units filling the 限量 before it, qty) of the first flagged entry of `spec` after
    `after_id` that `room` more units let in (stored state: one window query over the spec)."""
    c = EntryRow
    filling = case((c.over_stock.is_(False), c.qty), else_=0)
    ranked = (select(c.id, c.qty, c.over_stock, (func.sum(filling).over(order_by=c.id) - filling).label("before"))
              .where(c.deal_id == deal_id, c.spec == spec, c.status == VALID).subquery())
    q = (select(ranked.c.id, ranked.c.before, ranked.c.qty)
         .where(ranked.c.over_stock.is_(True), ranked.c.id > after_id, ranked.c.before + ranked.c.qty <= limit + room)
         .order_by(ranked.c.id).limit(1))
    row = session.execute(q).first()
    return None if row is None else (row[0], int(row[1]), row[2])


def spec_stock_left(session: Session, deal_id: int) -> str:
    """What is left of each spec with a 限量 of its own, for the console and the host screen:
    `规格限量：S码 剩 3 份（已接 7/10）；L码 已售罄（5/5）`; "" when no spec has one. Night 21: a
    buyer asked `L码还有吗` and only the deal's whole 剩余 25 份 was on screen, not that L码 was gone.
    Flagged entries (超出规格限量) fill nothing, as in the rule above."""
    deal = session.get(Deal, deal_id)
    stock = (deal.spec_stock or {}) if deal is not None else {}
    if not stock:
        return ""
    used = spec_units(session, deal_id, stock)
    parts = []
    for spec, limit in stock.items():
        have = min(used.get(spec, 0), limit)
        left = f"已售罄（{have}/{limit}）" if have >= limit else f"剩 {limit - have} 份（已接 {have}/{limit}）"
        parts.append(f"{spec} {left}")
    return "规格限量：" + "；".join(parts)
