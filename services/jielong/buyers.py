"""Who ordered in a show: the buyer tallies, kept in the chain's transaction (no scan of chain_entry).

deal_buyer holds each name's valid entries and units per deal (per-person limits, the deal's 人数);
show_buyer each person's valid entries in the show (`valid_entries`) and those in deals that did
not fail (`kept_entries`: an order in a deal that failed its 成团 threshold, 未成团, is refunded and
bought nothing). A person in show_buyer is a name AND the building the line names
(services.buildings.home_building, '' when none): 同名 is common, and `王芳 2份 5栋` / `王芳 1份 12栋`
are two neighbours, as services.members' `who_is` decides when the show is synced.

Show.buyers, the night's 下单人数 (the live snapshot, the funnel, the host screen, the review), counts
those people with a kept entry (`bought(sb)`), by the night's reading of who_is (`people_of`): one
per building a name was written with, and its lines without a building are the one person who
wrote it with a building when there is exactly one, else one more (unresolved) person. Recounted
in SQL whenever a person's entries or a deal's outcome change. Whether a deal counts is
services.jielong.lifecycle's rule (`deal_counts`); the callers pass it in, so this module stays
below the lifecycle.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, bindparam, case, func, select, update
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, DealBuyer, Show, ShowBuyer
from services.buildings import home_building
from services.sql import upsert_insert

Person = tuple[str, str]  # (name as written, home building or '')


@lru_cache(maxsize=4096)
def _building(address: str) -> str:
    return home_building(address)  # most addresses repeat (5栋, 东门自提): read each once


def person(name: str, address: str) -> Person:
    """Who a chain line is on the night: its name and the building its address names."""
    return name, _building(address or "")


def people_of(buildings: Iterable[str]) -> int:
    """How many people the lines of one name are, given the buildings they were written with
    ('' for a line without one): who_is on a night with no earlier namesakes. Each building is
    someone (王芳 5栋, 王芳 12栋: 2); lines without a building are the one namesake when the name
    has exactly one building (王芳 5栋 + 王芳: 1), else one more, unresolved person (王芳 5栋 +
    王芳 12栋 + 王芳: 3; 王芳 alone: 1). `_recount` is the same rule in SQL."""
    seen = set(buildings)
    placed = len(seen - {""})
    return placed + (1 if "" in seen and placed != 1 else 0)


def bought(sb) -> ColumnElement:
    """A name bought in its show: the show_buyer row `sb` (ShowBuyer or an alias of it) has a valid
    order in a deal of the show that did not fail."""
    return sb.kept_entries > 0


def people_in(session: Session, deal_ids: list[int]) -> int:
    """How many people (`people_of` per name) have a valid entry in the given deals: the entries
    grouped in SQL per name and address, the buildings read from the few distinct addresses.
    For a subset of a show's deals (the funnel's 成团 step); the whole show is Show.buyers."""
    buildings: dict[str, set[str]] = {}
    for name, address in session.execute(
        select(ChainEntry.buyer_name, ChainEntry.address)
        .where(ChainEntry.deal_id.in_(deal_ids), ChainEntry.status == "valid")
        .group_by(ChainEntry.buyer_name, ChainEntry.address)
    ):
        buildings.setdefault(name, set()).add(_building(address or ""))
    return sum(people_of(b) for b in buildings.values())


def apply_deltas(session: Session, deal: Deal, deltas: dict[Person, tuple[int, int]], counts: bool) -> None:
    """Apply per-person ((name, building): (entries, units)) deltas to DealBuyer (summed per name)
    and ShowBuyer, then refresh Show.buyers. `counts`: the deal's entries count as purchases now
    (it did not fail).

    Atomic upserts (col = col + delta), one executemany each. Show.buyers is recounted in SQL
    from show_buyer (indexed by show): every caller has already logged its event, which locks
    the show row, so writers of one show's buyers are serialised.
    """
    deltas = {p: d for p, d in deltas.items() if d != (0, 0)}
    if not deltas:
        return
    per_name: dict[str, tuple[int, int]] = {}
    for (name, _), (e, u) in deltas.items():
        was = per_name.get(name, (0, 0))
        per_name[name] = (was[0] + e, was[1] + u)
    names = sorted(n for n, d in per_name.items() if d != (0, 0))  # the same lock order in every writer
    ins_deal = upsert_insert(session, DealBuyer.__table__)
    stmt = ins_deal.on_conflict_do_update(
        index_elements=["deal_id", "name"],
        set_={
            "valid_entries": DealBuyer.__table__.c.valid_entries + ins_deal.excluded.valid_entries,
            "valid_units": DealBuyer.__table__.c.valid_units + ins_deal.excluded.valid_units,
        },
    )
    if names:
        session.execute(stmt, [{"deal_id": deal.id, "name": n, "valid_entries": per_name[n][0],
                                "valid_units": per_name[n][1]} for n in names])
    people = sorted(p for p, d in deltas.items() if d[0])
    if not people:
        return
    sb = ShowBuyer.__table__
    ins_show = upsert_insert(session, sb)
    stmt = ins_show.on_conflict_do_update(
        index_elements=["show_id", "name", "building"],
        set_={"valid_entries": sb.c.valid_entries + ins_show.excluded.valid_entries,
              "kept_entries": sb.c.kept_entries + ins_show.excluded.kept_entries},
    )
    session.execute(stmt, [{"show_id": deal.show_id, "name": n, "building": b, "valid_entries": deltas[(n, b)][0],
                            "kept_entries": deltas[(n, b)][0] if counts else 0} for n, b in people])
    _recount(session, deal.show_id)


def follow_outcome(session: Session, deal: Deal, counted: bool, counts: bool) -> None:
    """The deal's outcome moved across 未成团 (`counted` before, `counts` now): its buyers' entries
    leave (or rejoin) their kept entries in the show, and Show.buyers is recounted."""
    if counted == counts:
        return
    sign = 1 if counts else -1
    # The deal's valid entries per (name, address), grouped in SQL, then per person (the building
    # is read from the address in Python, as when the entries came in). Outcomes move rarely.
    mine: Counter = Counter()
    for name, address, n in session.execute(
        select(ChainEntry.buyer_name, ChainEntry.address, func.count())
        .where(ChainEntry.deal_id == deal.id, ChainEntry.status == "valid")
        .group_by(ChainEntry.buyer_name, ChainEntry.address)
    ):
        mine[person(name, address)] += n
    sb = ShowBuyer.__table__
    if mine:
        session.execute(
            update(sb).where(sb.c.show_id == bindparam("s"), sb.c.name == bindparam("n"), sb.c.building == bindparam("b"))
            .values(kept_entries=sb.c.kept_entries + bindparam("d")),
            [{"s": deal.show_id, "n": n, "b": b, "d": sign * k} for (n, b), k in sorted(mine.items())],
        )
    _recount(session, deal.show_id)


def buyers_count(show_id) -> ColumnElement:
    """下单人数 of a show in SQL: `people_of` per name over its show_buyer rows that bought
    (indexed by show: the primary key's prefix)."""
    placed = func.count(case((ShowBuyer.building != "", 1)))
    bare = func.max(case((ShowBuyer.building == "", 1), else_=0))
    per = (select(placed.label("placed"), bare.label("bare")).where(ShowBuyer.show_id == show_id, bought(ShowBuyer))
           .group_by(ShowBuyer.name).subquery())
    extra = case((and_(per.c.bare == 1, per.c.placed != 1), 1), else_=0)
    return select(func.coalesce(func.sum(per.c.placed + extra), 0)).scalar_subquery()


def _recount(session: Session, show_id: int) -> None:
    buyers = buyers_count(show_id)
    session.execute(
        update(Show).where(Show.id == show_id).values(buyers=buyers)
        .execution_options(synchronize_session=False)
    )


def show_buyers(session: Session, show_id: int) -> int:
    """下单人数: people (name and building, `people_of`) with a valid order in a deal of the show
    that did not fail (Show.buyers)."""
    return session.scalar(select(Show.buyers).where(Show.id == show_id)) or 0
