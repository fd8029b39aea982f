"""Badges for the names on screen (the queue's askers, the chain's buyers): a few indexed queries
per call, whatever the community's size.

The night's usual case (every earlier show synced, tonight the latest) takes three round trips:
the show and its community's shape (one row), the members the names link to with their tallies,
and the names no member answers to (show_buyer by name). Otherwise (an earlier show not synced
yet, or an older show looked at) the linked members' history is read live from show_buyer
through their names, one more grouped query. The statements are built once, at import, with
bind parameters: building them per call cost more than running them.
A name bought in a show when it has a valid order in a deal of that show that did not fail
(jielong.buyer_gmv_counts): an order in a failed deal (未成团) is refunded, no purchase.

A comment says only a name. When the name is more than one person (two members of that name, or
namesakes at two buildings: 王芳（5栋） and 王芳（12栋）, in the community or in tonight's chain),
the comment is not linked to either: its badge says 同名N人 and carries no segment (`namesakes`),
one more indexed query (`_NAMESAKES`). A name that is one person links as before.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import DateTime, Integer, String, and_, bindparam, case, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from db.models import Member, MemberAlias, MemberShow, MemberSync, Show, ShowBuyer
from services import jielong
from services.errors import NotFound
from services.members.labels import SILENT_SHOWS, AliasKind, Segment, badge_text, namesakes_text


@dataclass
class Badge:
    """A person's segments tonight. shows_bought counts tonight when they ordered tonight."""

    codes: list[str] = field(default_factory=list)
    shows_bought: int = 0
    member_id: int | None = None
    namesakes: int = 0  # ≥ 2: the name is that many people; which one wrote is not guessed (no link)

    @property
    def ambiguous(self) -> bool:
        return self.namesakes >= 2

    @property
    def text(self) -> str:
        return namesakes_text(self.namesakes) if self.ambiguous else badge_text(self.codes, self.shows_bought)


_s, _e = Show.__table__.alias("s"), Show.__table__.alias("e")
_m, _ms, _sb, _sync = Member.__table__, MemberShow.__table__, ShowBuyer.__table__, MemberSync.__table__
_a1, _a2 = MemberAlias.__table__.alias("a1"), MemberAlias.__table__.alias("a2")
_SHOW, _C = bindparam("show_id", type_=Integer), bindparam("community_id", type_=Integer)
_START, _RECENT = bindparam("start", type_=DateTime), bindparam("recent_from", type_=DateTime)
_NAMES, _IDS = bindparam("names", expanding=True, type_=String), bindparam("ids", expanding=True, type_=Integer)
_BOUGHT = jielong.buyer_gmv_counts(ShowBuyer)  # on _sb: the mapped class reads the same (unaliased) table


def _count_e(*where):
    return select(func.count()).select_from(_e).where(*where).scalar_subquery()


_before = and_(_e.c.community_id == _s.c.community_id, _e.c.scheduled_start < _s.c.scheduled_start, _e.c.id != _s.c.id)

# The show, and its community's shape around it: earlier shows, of which not synced, later ones,
# and the start of the SILENT_SHOWS-th earlier show (older orders are 沉默).
_INFO = select(
    _s.c.community_id, _s.c.scheduled_start,
    _count_e(_before).label("earlier"),
    _count_e(_before, ~exists().where(_sync.c.show_id == _e.c.id)).label("unsynced"),
    _count_e(_e.c.community_id == _s.c.community_id, _e.c.scheduled_start >= _s.c.scheduled_start,
             _e.c.id != _s.c.id).label("later"),
    select(_e.c.scheduled_start).where(_before).order_by(_e.c.scheduled_start.desc(), _e.c.id.desc())
    .offset(SILENT_SHOWS - 1).limit(1).scalar_subquery().label("recent_from"),
).where(_s.c.id == _SHOW)

# Bought tonight under any of the member's names.
_tonight = exists().where(_a2.c.member_id == _m.c.id, _a2.c.kind == AliasKind.NAME, _sb.c.show_id == _SHOW,
                          _sb.c.name == _a2.c.value, _BOUGHT)
_row_tonight = select(_ms.c.orders).where(_ms.c.member_id == _m.c.id, _ms.c.show_id == _SHOW).scalar_subquery()
_claims_upto = select(func.coalesce(func.sum(_ms.c.claims), 0)).where(
    _ms.c.member_id == _m.c.id, _ms.c.show_at <= _START).scalar_subquery()


def _linked(claims) -> object:
    """name asked → its member: tallies, KOC mark, claims, this show's own row, bought tonight."""
    return (
        select(_a1.c.value, _m.c.id, _m.c.shows_bought, _m.c.last_order_at, _m.c.koc, claims, _row_tonight, _tonight)
        .select_from(_a1.join(_m, _m.c.id == _a1.c.member_id))
        .where(_a1.c.community_id == _C, _a1.c.kind == AliasKind.NAME, _a1.c.value.in_(_NAMES))
    )


_LINKED_FAST = _linked(_m.c.claims)  # no later show: the tally is the sum up to tonight
_LINKED_SLOW = _linked(_claims_upto)

_earlier = and_(_s.c.community_id == _C, _s.c.scheduled_start < _START, _s.c.id != _SHOW)
_recent = or_(_RECENT.is_(None), _s.c.scheduled_start >= _RECENT)
# Earlier shows bought in (and of them in the last SILENT_SHOWS), read live through the names.
_HISTORY = (
    select(_a2.c.member_id, func.count(_sb.c.show_id.distinct()),
           func.count(case((_recent, _sb.c.show_id)).distinct()))
    .select_from(_a2.join(_sb, _sb.c.name == _a2.c.value).join(_s, _s.c.id == _sb.c.show_id))
    .where(_a2.c.member_id.in_(_IDS), _a2.c.kind == AliasKind.NAME, _BOUGHT, _earlier)
    .group_by(_a2.c.member_id)
)
# Names no member answers to (first-time viewers, a show not synced yet): by name in show_buyer.
_is_earlier = and_(_s.c.scheduled_start < _START, _s.c.id != _SHOW)
_UNLINKED = (  # show_buyer holds a row per name and building: shows are counted once
    select(_sb.c.name, func.count(case((_is_earlier, _sb.c.show_id)).distinct()),
           func.count(case((and_(_is_earlier, _recent), _sb.c.show_id)).distinct()),
           func.count(case((_s.c.id == _SHOW, 1))))
    .select_from(_sb.join(_s, _s.c.id == _sb.c.show_id))
    .where(_sb.c.name.in_(_NAMES), _BOUGHT, _s.c.community_id == _C,
           or_(_s.c.id == _SHOW, _s.c.scheduled_start < _START))
    .group_by(_sb.c.name)
)


# Who a name may be: the members of that name (named so, or holding it as a name alias) with their
# buildings, and the buildings it was written with in tonight's chain (indexed: member by
# community and name, the alias's unique key, show_buyer's primary key).
_NAMESAKES = union_all(
    select(_m.c.name, _m.c.id, _m.c.building).where(
        _m.c.community_id == _C, _m.c.name.in_(_NAMES), _m.c.merged_into_id.is_(None)),
    select(_a1.c.value, _m.c.id, _m.c.building).select_from(_a1.join(_m, _m.c.id == _a1.c.member_id)).where(
        _a1.c.community_id == _C, _a1.c.kind == AliasKind.NAME, _a1.c.value.in_(_NAMES), _m.c.merged_into_id.is_(None)),
    select(_sb.c.name, null(), _sb.c.building).where(
        _sb.c.show_id == _SHOW, _sb.c.name.in_(_NAMES), _sb.c.building != literal(""), _BOUGHT),
)


def people_named(rows) -> dict[str, int]:
    """name → how many people it may be, from (name, member id or None, building) rows: its
    members, or the distinct buildings it is known at, whichever is more (who_is: another
    building is another person)."""
    ids: dict[str, set[int]] = {}
    places: dict[str, set[str]] = {}
    for name, mid, building in rows:
        if mid is not None:
            ids.setdefault(name, set()).add(mid)
        if building:
            places.setdefault(name, set()).add(building)
    return {n: max(len(ids.get(n, ())), len(places.get(n, ()))) for n in set(ids) | set(places)}


def _codes(n: int, recent: int, tonight: bool, koc: bool, claims: int, silent_possible: bool) -> list[str]:
    """The segment rules (labels.SEGMENT_RULES), for one person: n earlier shows bought in, of
    which `recent` in the community's last SILENT_SHOWS shows."""
    out = []
    if n == 0:
        out.append(Segment.NEW)
    if n + tonight >= 2:
        out.append(Segment.RETURNING)
    if koc:
        out.append(Segment.KOC)
    if n and not tonight and silent_possible and recent == 0:
        out.append(Segment.SILENT)
    if claims:
        out.append(Segment.AFTER_SALES_WATCH)
    return out


def member_badges(session: Session, show_id: int, names: list[str]) -> dict[str, Badge]:
    """name (as written in the comments or the chain) → Badge, for the show's community."""
    info = session.execute(_INFO, {"show_id": show_id}).first()
    if info is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次。")
    community_id, start, earlier, unsynced, later, recent_from = info
    keys = {n: n[:160] for n in names if n}
    if not keys:
        return {}
    fast = unsynced == 0 and later == 0  # the members' tallies hold exactly the earlier shows (and maybe tonight)
    p = {"show_id": show_id, "start": start, "community_id": community_id, "recent_from": recent_from,
         "names": sorted(set(keys.values()))}
    by_name: dict[str, tuple] = {}  # name → (member id, earlier shows bought, recent ones, tonight, koc, claims)
    rows = session.execute(_LINKED_FAST if fast else _LINKED_SLOW, p).all()
    history = {}
    if rows and not fast:
        history = {m: (n, r) for m, n, r in session.execute(_HISTORY, {**p, "ids": sorted({r[1] for r in rows})})}
    for name, mid, bought, last, koc, claims, row_tonight, tonight in rows:
        if fast:
            n = max(bought - (1 if row_tonight else 0), 0)  # this show's own row, when it was synced already
            recent = int(bool(n) and recent_from is not None and last is not None and last >= recent_from)
        else:
            n, recent = history.get(mid, (0, 0))
        by_name[name] = (mid, n, recent, bool(tonight), bool(koc), int(claims or 0))
    unlinked = [k for k in p["names"] if k not in by_name]
    if unlinked:
        for name, n, recent, tonight in session.execute(_UNLINKED, {**p, "names": unlinked}):
            by_name[name] = (None, n, recent, bool(tonight), False, 0)
    silent_possible = earlier >= SILENT_SHOWS
    many = {k: n for k, n in people_named(session.execute(_NAMESAKES, p)).items() if n >= 2}
    out: dict[str, Badge] = {}
    for name, key in keys.items():
        if key in many:
            out[name] = Badge(namesakes=many[key])  # not linked: which namesake wrote it is not guessed
            continue
        mid, n, recent, tonight, koc, claims = by_name.get(key, (None, 0, 0, False, False, 0))
        out[name] = Badge(_codes(n, recent, tonight, koc, claims, silent_possible), n + tonight, mid)
    return out
