"""Who ordered in a show: the buyer tallies, kept in the chain's transaction (no scan of chain_entry).

deal_buyer holds each name's valid entries and units per deal; show_buyer each name's valid entries
in the show (`valid_entries`) and those in deals that did not fail (`kept_entries`: an order in a
deal that failed its 成团 threshold, 未成团, is refunded and bought nothing). Show.buyers, the
night's 下单人数 (the live snapshot, the funnel, the review, the members' board), is the number of
names with a kept entry: `bought(sb)` in SQL, recounted here whenever a name's entries or a deal's
outcome change. Whether a deal counts is services.jielong.lifecycle's rule (`deal_counts`); the
callers pass it in, so this module stays below the lifecycle.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from db.models import Deal, DealBuyer, Show, ShowBuyer
from services.sql import upsert_insert


def bought(sb) -> ColumnElement:
    """A name bought in its show: the show_buyer row `sb` (ShowBuyer or an alias of it) has a valid
    order in a deal of the show that did not fail."""
    return sb.kept_entries > 0


def apply_deltas(session: Session, deal: Deal, deltas: dict[str, tuple[int, int]], counts: bool) -> None:
    """Apply per-name (entries, units) deltas to DealBuyer and ShowBuyer, then refresh Show.buyers.
    `counts`: the deal's entries count as purchases now (it did not fail).

    Atomic upserts (col = col + delta), one executemany each. Show.buyers is recounted in SQL
    from show_buyer (indexed by show): every caller has already logged its event, which locks
    the show row, so writers of one show's buyers are serialised.
    """
    deltas = {n: d for n, d in deltas.items() if d != (0, 0)}
    if not deltas:
        return
    names = sorted(deltas)  # the same lock order in every writer
    ins_deal = upsert_insert(session, DealBuyer.__table__)
    stmt = ins_deal.on_conflict_do_update(
        index_elements=["deal_id", "name"],
        set_={
            "valid_entries": DealBuyer.__table__.c.valid_entries + ins_deal.excluded.valid_entries,
            "valid_units": DealBuyer.__table__.c.valid_units + ins_deal.excluded.valid_units,
        },
    )
    session.execute(
        stmt, [{"deal_id": deal.id, "name": n, "valid_entries": deltas[n][0], "valid_units": deltas[n][1]} for n in names]
    )
    entry_names = [n for n in names if deltas[n][0]]
    if not entry_names:
        return
    sb = ShowBuyer.__table__
    ins_show = upsert_insert(session, sb)
    stmt = ins_show.on_conflict_do_update(
        index_elements=["show_id", "name"],
        set_={"valid_entries": sb.c.valid_entries + ins_show.excluded.valid_entries,
              "kept_entries": sb.c.kept_entries + ins_show.excluded.kept_entries},
    )
    session.execute(stmt, [{"show_id": deal.show_id, "name": n, "valid_entries": deltas[n][0],
                            "kept_entries": deltas[n][0] if counts else 0} for n in entry_names])
    _recount(session, deal.show_id)


def follow_outcome(session: Session, deal: Deal, counted: bool, counts: bool) -> None:
    """The deal's outcome moved across 未成团 (`counted` before, `counts` now): its buyers' entries
    leave (or rejoin) their kept entries in the show, and Show.buyers is recounted."""
    if counted == counts:
        return
    sign = 1 if counts else -1
    sb = ShowBuyer.__table__
    mine = select(DealBuyer.valid_entries).where(DealBuyer.deal_id == deal.id, DealBuyer.name == sb.c.name)
    session.execute(
        update(sb)
        .where(sb.c.show_id == deal.show_id,
               sb.c.name.in_(select(DealBuyer.name).where(DealBuyer.deal_id == deal.id, DealBuyer.valid_entries != 0)))
        .values(kept_entries=sb.c.kept_entries + sign * mine.scalar_subquery())
    )
    _recount(session, deal.show_id)


def _recount(session: Session, show_id: int) -> None:
    buyers = select(func.count()).select_from(ShowBuyer).where(ShowBuyer.show_id == show_id, bought(ShowBuyer))
    session.execute(
        update(Show).where(Show.id == show_id).values(buyers=buyers.scalar_subquery())
        .execution_options(synchronize_session=False)
    )


def show_buyers(session: Session, show_id: int) -> int:
    """下单人数: names with a valid order in a deal of the show that did not fail (Show.buyers)."""
    return session.scalar(select(Show.buyers).where(Show.id == show_id)) or 0
