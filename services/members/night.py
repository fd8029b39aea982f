"""On the night: badges for askers and buyers, the KOCs to ping at a release and who of them
entered, how many KOCs / returning buyers are in the chain. Indexed queries over the names on
screen (alias → member → member_show of earlier shows), nothing loaded per community."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from db.models import Comment, DealBuyer, Member, MemberAlias, MemberShow, Show, ShowBuyer
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


def _people(session: Session, show_id: int, community_id: int, start: datetime, names: list[str]) -> dict[str, tuple]:
    """name → (member id, koc, shows bought before tonight, last such show, claims up to tonight):
    one grouped query, alias → member → member_show (both indexed by member)."""
    ms, a = MemberShow, MemberAlias
    before = (ms.orders > 0) & (ms.show_id != show_id) & (ms.show_at < start)
    q = (
        select(a.value, Member.id, Member.koc, func.sum(case((before, 1), else_=0)),
               func.max(case((before, ms.show_at))), func.sum(case((ms.show_at <= start, ms.claims), else_=0)))
        .join(Member, Member.id == a.member_id)
        .outerjoin(ms, ms.member_id == Member.id)
        .where(a.community_id == community_id, a.kind == AliasKind.NAME, a.value.in_(names))
        .group_by(a.value, Member.id, Member.koc)
    )
    return {v: (m, koc, int(n or 0), last, int(c or 0)) for v, m, koc, n, last, c in session.execute(q)}


def member_badges(session: Session, show_id: int, names: list[str]) -> dict[str, Badge]:
    """name (as written in the comments or the chain) → Badge, for the show's community."""
    row = session.execute(select(Show.community_id, Show.scheduled_start).where(Show.id == show_id)).first()
    if row is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次。")
    community_id, start = row
    names = sorted({n[:160] for n in names if n})
    if not names:
        return {}
    people = _people(session, show_id, community_id, start, names)
    tonight = set(session.scalars(select(ShowBuyer.name).where(
        ShowBuyer.show_id == show_id, ShowBuyer.name.in_(names), ShowBuyer.valid_entries > 0)))
    cut = silent_cut(session, community_id, start)
    out: dict[str, Badge] = {}
    for name in names:
        mid, koc, n, last, claims = people.get(name, (None, False, 0, None, 0))
        b = Badge(shows_bought=n + (name in tonight), member_id=mid)
        if n == 0:
            b.codes.append(Segment.NEW)
        if b.shows_bought >= 2:
            b.codes.append(Segment.RETURNING)
        if koc:
            b.codes.append(Segment.KOC)
        if n and name not in tonight and cut is not None and last is not None and last < cut:
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
    returning = session.scalar(
        select(func.count(func.distinct(MemberShow.member_id))).where(
            MemberShow.member_id.in_(tonight), MemberShow.show_id != show.id, MemberShow.orders > 0,
            MemberShow.show_at < show.scheduled_start)
    )
    return {"kocs": kocs or 0, "returning": returning or 0}
