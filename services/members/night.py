"""On the night: badges for askers and buyers, the KOCs to ping at a release and who of them
entered, how many KOCs / returning buyers are in the chain. Indexed queries over the names on
screen (alias → member → member_show of earlier shows), nothing loaded per community."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Comment, DealBuyer, Member, MemberAlias, MemberShow, MemberSync, Show, ShowBuyer
from services.errors import NotFound
from services.members.labels import SILENT_SHOWS, AliasKind, Segment, badge_text


@dataclass
class Badge:
    """A person's segments tonight. shows_bought counts tonight when they ordered tonight."""

    codes: list[str] = field(default_factory=list)
    shows_bought: int = 0
    member_id: int | None = None

    @property
    def text(self) -> str:
        return badge_text(self.codes, self.shows_bought)


def _show(session: Session, show_id: int) -> Show:
    show = session.get(Show, show_id)
    if show is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次。")
    return show


def silent_cut(session: Session, community_id: int, before: datetime, inclusive: bool = False) -> datetime | None:
    """The scheduled start of the SILENT_SHOWS-th show before `before` (or at it, when inclusive):
    a buyer whose last order is older is 沉默. None while the community has too few shows."""
    when = Show.scheduled_start <= before if inclusive else Show.scheduled_start < before
    return session.scalar(
        select(Show.scheduled_start).where(Show.community_id == community_id, when)
        .order_by(Show.scheduled_start.desc()).offset(SILENT_SHOWS - 1).limit(1)
    )


def _names_of(session: Session, community_id: int, names: list[str]) -> dict[str, int]:
    """Every name of the members the given names link to (a merged member answers to each of its
    names): name → member id. One indexed self-join on member_alias."""
    a1, a2 = aliased(MemberAlias), aliased(MemberAlias)
    return dict(session.execute(
        select(a2.value, a2.member_id).select_from(a1)
        .join(a2, (a2.member_id == a1.member_id) & (a2.kind == AliasKind.NAME))
        .where(a1.community_id == community_id, a1.kind == AliasKind.NAME, a1.value.in_(names))
    ).all())


def _earlier_shows(session: Session, community_id: int, start: datetime, show_id: int) -> list[tuple[int, datetime, bool]]:
    """The community's shows before this one, newest first: (id, start, members synced)."""
    return [tuple(r) for r in session.execute(
        select(Show.id, Show.scheduled_start, MemberSync.show_id.is_not(None))
        .outerjoin(MemberSync, MemberSync.show_id == Show.id)
        .where(Show.community_id == community_id, Show.scheduled_start < start, Show.id != show_id)
        .order_by(Show.scheduled_start.desc(), Show.id.desc()))]


def _is_latest(session: Session, community_id: int, start: datetime, show_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(Show).where(
        Show.community_id == community_id, Show.scheduled_start >= start, Show.id != show_id)) == 0


def _people(session: Session, show_id: int, earlier: list[int], history: list[str], tonight: list[str],
            linked: dict[str, int]) -> dict[object, list]:
    """person (member id, else the bare name) → [shows bought before tonight, of which in the last
    SILENT_SHOWS shows, bought tonight]. History read live from show_buyer by name (indexed)."""
    recent = earlier[:SILENT_SHOWS]
    prior: dict[object, list] = {}
    if earlier and history:
        for name, n, r in session.execute(
            select(ShowBuyer.name, func.count(), func.sum(case((ShowBuyer.show_id.in_(recent), 1), else_=0)))
            .where(ShowBuyer.name.in_(history), ShowBuyer.show_id.in_(earlier), ShowBuyer.valid_entries > 0)
            .group_by(ShowBuyer.name)
        ):
            p = prior.setdefault(linked.get(name, name), [0, 0, False])
            p[0], p[1] = p[0] + n, p[1] + int(r or 0)
    for name in session.scalars(select(ShowBuyer.name).where(
            ShowBuyer.show_id == show_id, ShowBuyer.name.in_(tonight), ShowBuyer.valid_entries > 0)):
        prior.setdefault(linked.get(name, name), [0, 0, False])[2] = True
    return prior


def _from_tallies(session: Session, show_id: int, recent_from: datetime | None, ids: list[int]) -> dict[int, tuple[int, int]]:
    """member id → (shows bought before tonight, bought since recent_from), from the members'
    tallies: exact when every earlier show is synced and none is later (the night's case)."""
    if not ids:
        return {}
    ms = MemberShow
    rows = session.execute(
        select(Member.id, Member.shows_bought, Member.last_order_at, ms.orders).outerjoin(
            ms, (ms.member_id == Member.id) & (ms.show_id == show_id)).where(Member.id.in_(ids)))
    out = {}
    for mid, n, last, tonight in rows:
        n -= 1 if tonight else 0  # this show's own row, when it was synced already
        out[mid] = (max(n, 0), int(bool(n) and recent_from is not None and last is not None and last >= recent_from))
    return out


def _flags(session: Session, show_id: int, start: datetime, ids: list[int]) -> dict[int, tuple[bool, int]]:
    """member id → (marked KOC, refund / payout claims up to tonight)."""
    if not ids:
        return {}
    ms = MemberShow
    claims = func.coalesce(func.sum(case((ms.show_at <= start, ms.claims), else_=0)), 0)
    return {m: (bool(koc), int(c or 0)) for m, koc, c in session.execute(
        select(Member.id, Member.koc, claims).outerjoin(ms, ms.member_id == Member.id)
        .where(Member.id.in_(ids)).group_by(Member.id, Member.koc))}


def member_badges(session: Session, show_id: int, names: list[str]) -> dict[str, Badge]:
    """name (as written in the comments or the chain) → Badge, for the show's community."""
    row = session.execute(select(Show.community_id, Show.scheduled_start).where(Show.id == show_id)).first()
    if row is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次。")
    community_id, start = row
    keys = {n: n[:160] for n in names if n}
    if not keys:
        return {}
    wanted = sorted(set(keys.values()))
    linked = _names_of(session, community_id, wanted)
    shows = _earlier_shows(session, community_id, start, show_id)
    earlier = [sid for sid, _, _ in shows]
    ids = sorted({linked[k] for k in wanted if k in linked})
    fast = all(synced for _, _, synced in shows) and _is_latest(session, community_id, start, show_id)
    history = [k for k in wanted if k not in linked] if fast else sorted(set(wanted) | set(linked))
    people = _people(session, show_id, earlier, history, sorted(set(wanted) | set(linked)), linked)
    if fast:  # members' history from their tallies: O(names), not O(names × shows)
        recent_from = shows[SILENT_SHOWS - 1][1] if len(shows) >= SILENT_SHOWS else None
        for mid, (n, recent) in _from_tallies(session, show_id, recent_from, ids).items():
            p = people.setdefault(mid, [0, 0, False])
            p[0], p[1] = n, recent
    flags = _flags(session, show_id, start, ids)
    silent_possible = len(earlier) >= SILENT_SHOWS
    out: dict[str, Badge] = {}
    for name, key in keys.items():
        mid = linked.get(key)
        n, recent, tonight = people.get(mid if mid is not None else key, (0, 0, False))
        koc, claims = flags.get(mid, (False, 0))
        b = Badge(shows_bought=n + tonight, member_id=mid)
        if n == 0:
            b.codes.append(Segment.NEW)
        if b.shows_bought >= 2:
            b.codes.append(Segment.RETURNING)
        if koc:
            b.codes.append(Segment.KOC)
        if n and not tonight and silent_possible and recent == 0:
            b.codes.append(Segment.SILENT)
        if claims:
            b.codes.append(Segment.AFTER_SALES_WATCH)
        out[name] = b
    return out


def badges(session: Session, show_id: int, names: list[str]) -> dict[str, list[str]]:
    """Segment codes per name ("new", "returning", "koc", "silent", "after_sales_watch")."""
    return {n: [str(c) for c in b.codes] for n, b in member_badges(session, show_id, names).items()}


def asker_badges(session: Session, show_id: int, group_ids: list[int], per_group: int = 6) -> dict[int, list[tuple[str, Badge]]]:
    """The askers of each question group on screen, with their badges (first `per_group` names)."""
    if not group_ids:
        return {}
    rows = session.execute(
        select(Comment.group_id, Comment.author).where(Comment.group_id.in_(group_ids), Comment.author != "")
        .group_by(Comment.group_id, Comment.author).order_by(Comment.group_id, func.min(Comment.received_at))
    ).all()
    per: dict[int, list[str]] = {}
    for gid, author in rows:
        if len(per.setdefault(gid, [])) < per_group:
            per[gid].append(author)
    found = member_badges(session, show_id, [a for names in per.values() for a in names])
    return {gid: [(a, found[a]) for a in names] for gid, names in per.items()}


def _entered(show: Show, deal_id: int | None):
    """EXISTS: one of the member's names has a valid entry tonight (in the deal, when given)."""
    a = MemberAlias
    if deal_id is not None:
        hit = select(DealBuyer.name).where(DealBuyer.deal_id == deal_id, DealBuyer.name == a.value, DealBuyer.valid_entries > 0)
    else:
        hit = select(ShowBuyer.name).where(ShowBuyer.show_id == show.id, ShowBuyer.name == a.value, ShowBuyer.valid_entries > 0)
    return exists(hit.where(a.member_id == Member.id, a.kind == AliasKind.NAME))


def koc_list(session: Session, show_id: int, deal_id: int | None = None) -> list[dict]:
    """The community's KOCs to ping at a release: name, and whether they have entered (the deal's chain)."""
    show = _show(session, show_id)
    q = select(Member.id, Member.name, _entered(show, deal_id)).where(
        Member.community_id == show.community_id, Member.koc.is_(True), Member.merged_into_id.is_(None)
    ).order_by(Member.name)
    return [{"member_id": m, "name": n, "entered": bool(e)} for m, n, e in session.execute(q)]


def at_list(names: list[str]) -> str:
    """The copyable @ list for the group: '@王芳 @李娜'."""
    return " ".join(f"@{n}" for n in names)


def chain_counts(session: Session, show_id: int) -> dict[str, int]:
    """How many KOCs and returning buyers are in tonight's chain (counts for the host screen, no names)."""
    show = _show(session, show_id)
    a = MemberAlias
    tonight = (
        select(a.member_id).join(ShowBuyer, (ShowBuyer.name == a.value) & (ShowBuyer.show_id == show.id))
        .where(a.community_id == show.community_id, a.kind == AliasKind.NAME, ShowBuyer.valid_entries > 0)
    )
    kocs = session.scalar(select(func.count()).select_from(Member).where(Member.id.in_(tonight), Member.koc.is_(True)))
    earlier = (Show.community_id == show.community_id) & (Show.scheduled_start < show.scheduled_start) & (Show.id != show.id)
    sb2, a2 = aliased(ShowBuyer), aliased(MemberAlias)
    by_name = exists(select(sb2.name).join(Show, Show.id == sb2.show_id).where(
        sb2.name == ShowBuyer.name, sb2.valid_entries > 0, earlier))
    by_member = exists(select(MemberShow.member_id).join(a2, a2.member_id == MemberShow.member_id).where(
        a2.community_id == show.community_id, a2.kind == AliasKind.NAME, a2.value == ShowBuyer.name,
        MemberShow.orders > 0, MemberShow.show_id != show.id, MemberShow.show_at < show.scheduled_start))
    returning = session.scalar(select(func.count()).select_from(ShowBuyer).where(
        ShowBuyer.show_id == show.id, ShowBuyer.valid_entries > 0, by_name | by_member))
    return {"kocs": kocs or 0, "returning": returning or 0}
