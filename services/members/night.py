"""On the night: badges for askers and buyers, the KOCs to ping at a release and who of them
entered, how many KOCs / returning buyers are in the chain. Indexed queries over the names on
screen (alias → member → member_show of earlier shows), nothing loaded per community. A name
whose only orders were in deals that failed (未成团, refunded) did not buy: jielong.buyer_gmv_counts
(a show's names), jielong.deal_gmv_counts (one deal's)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Comment, Deal, DealBuyer, Member, MemberAlias, MemberShow, Show, ShowBuyer
from services import jielong
from services.errors import NotFound
from services.members.badging import Badge, member_badges
from services.members.labels import SILENT_SHOWS, AliasKind


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
    """EXISTS: one of the member's names has a valid entry tonight (in the deal, when given) in a
    deal that did not fail."""
    a = MemberAlias
    if deal_id is not None:
        hit = select(DealBuyer.name).join(Deal, Deal.id == DealBuyer.deal_id).where(
            DealBuyer.deal_id == deal_id, DealBuyer.name == a.value, DealBuyer.valid_entries > 0, jielong.deal_gmv_counts())
    else:
        hit = select(ShowBuyer.name).where(ShowBuyer.show_id == show.id, ShowBuyer.name == a.value,
                                           same_person(Member.building, ShowBuyer.building),
                                           jielong.buyer_gmv_counts(ShowBuyer))
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


def same_person(building_a, building_b):
    """SQL: two records of one name are one person unless both name a building and they differ
    (who_is: another building is someone else; no building on one side is not told apart)."""
    return (building_a == "") | (building_b == "") | (building_a == building_b)


def chain_counts(session: Session, show_id: int) -> dict[str, int]:
    """How many KOCs and returning buyers are in tonight's chain (counts for the host screen, no names).
    A buyer is a name and building (show_buyer's rows): 王芳 12栋 is not the KOC 王芳（5栋）, nor
    returning because 王芳 5栋 bought last week."""
    show = _show(session, show_id)
    a = MemberAlias
    tonight = (
        select(a.member_id).join(ShowBuyer, (ShowBuyer.name == a.value) & (ShowBuyer.show_id == show.id))
        .join(Member, Member.id == a.member_id)
        .where(a.community_id == show.community_id, a.kind == AliasKind.NAME, jielong.buyer_gmv_counts(ShowBuyer),
               same_person(Member.building, ShowBuyer.building))
    )
    kocs = session.scalar(select(func.count()).select_from(Member).where(Member.id.in_(tonight), Member.koc.is_(True)))
    earlier = (Show.community_id == show.community_id) & (Show.scheduled_start < show.scheduled_start) & (Show.id != show.id)
    sb2, a2, m2 = aliased(ShowBuyer), aliased(MemberAlias), aliased(Member)
    by_name = exists(select(sb2.name).join(Show, Show.id == sb2.show_id).where(
        sb2.name == ShowBuyer.name, same_person(sb2.building, ShowBuyer.building), jielong.buyer_gmv_counts(sb2), earlier))
    by_member = exists(select(MemberShow.member_id).join(a2, a2.member_id == MemberShow.member_id)
                       .join(m2, m2.id == MemberShow.member_id).where(
        a2.community_id == show.community_id, a2.kind == AliasKind.NAME, a2.value == ShowBuyer.name,
        same_person(m2.building, ShowBuyer.building),
        MemberShow.orders > 0, MemberShow.show_id != show.id, MemberShow.show_at < show.scheduled_start))
    # A row without a building is no one more when the name has exactly one building tonight
    # (jielong.buyers.people_of): 王芳 5栋 and a bare 王芳 are one returning buyer, not two.
    sb3 = aliased(ShowBuyer)
    placed = select(func.count()).select_from(sb3).where(
        sb3.show_id == ShowBuyer.show_id, sb3.name == ShowBuyer.name, sb3.building != "", jielong.buyer_gmv_counts(sb3))
    a_person = (ShowBuyer.building != "") | (placed.scalar_subquery() != 1)
    returning = session.scalar(select(func.count()).select_from(ShowBuyer).where(
        ShowBuyer.show_id == show.id, jielong.buyer_gmv_counts(ShowBuyer), a_person, by_name | by_member))
    return {"kocs": kocs or 0, "returning": returning or 0}
