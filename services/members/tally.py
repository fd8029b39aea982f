"""Syncing a show's members: link its people (identity), rebuild its member_show rows, refresh the
members' tallies. Idempotent; every aggregate is one grouped SQL query over the show's rows."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, case, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from db.models import (
    CaptureViewer, ChainEntry, Comment, Deal, FulfilmentItem, Member, MemberAlias, MemberShow, MemberSync, Promise, Show,
    ShowCommenter,
)
from services import clock, events, jielong
from services.authz import Actor, require
from services.errors import NotFound
from services.members.identity import (
    Person, add_alias, alias_value, building_of, line_value, link_lines, link_people, lookup, tail_of,
)
from services.members.labels import KOC_FIRST_N, KOC_LED_BUYERS, KOC_LED_LIFT, KOC_LED_MINUTES, AliasKind
from services.sql import chunks, shifted


def sync_show(session: Session, actor: Actor, show_id: int, at: datetime | None = None) -> dict:
    """Link the show's buyers and viewers to members and rebuild its per-member tallies."""
    require(actor, "members.sync")
    at = at or clock.now()
    show = session.get(Show, show_id)
    if show is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次。")
    c = show.community_id
    events.record(session, "members.synced", show_id, actor, at=at)
    proposals = link_chain(session, show, at)
    _link_viewers(session, c, show_id, at)
    session.flush()
    touched = rebuild(session, show, at)
    row = session.get(MemberSync, show_id) or MemberSync(show_id=show_id)
    row.version, row.synced_at = events.version(session, show_id), at
    session.add(row)
    return {"members": len(touched), "proposals": proposals}


def needs_sync(session: Session, show_id: int) -> bool:
    """True when an ended show changed since its members were last synced (a live show is read
    live by the night's panels and synced once it ends, not on every comment)."""
    if session.scalar(select(Show.status).where(Show.id == show_id)) != "ended":
        return False
    synced = session.scalar(select(MemberSync.version).where(MemberSync.show_id == show_id))
    return synced is None or synced != session.scalar(select(Show.version).where(Show.id == show_id))


def link_chain(session: Session, show: Show, at: datetime) -> int:
    """Decide who each of the show's chain lines is (identity.link_lines): one person per name and
    address as written, so 王芳 5栋 and 王芳 12栋 in one chain stay two. Returns the proposals opened."""
    q = (
        select(ChainEntry.buyer_name, ChainEntry.address, func.max(ChainEntry.phone))
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(Deal.show_id == show.id)
        .group_by(ChainEntry.buyer_name, ChainEntry.address)
    )
    people = [Person(n, building_of(a or ""), tail_of(p or ""), a or "") for n, a, p in session.execute(q)]
    return link_lines(session, show.community_id, show.id, people, at)[1]


def _line_join(community_id: int, show_id: int, name, address):
    """member_alias ⋈ a chain line of the show: its LINE alias (identity.line_value, in SQL)."""
    key = func.substr(literal(f"{show_id}|") + name + literal("|") + address, 1, 160)
    return and_(MemberAlias.community_id == community_id, MemberAlias.kind == AliasKind.LINE, MemberAlias.value == key)


def _link_viewers(session: Session, community_id: int, show_id: int, at: datetime) -> None:
    """Capture viewers (platform user ids): a known id links; an unknown id whose nickname is a
    known name joins that member; otherwise a new member (a viewer who has not bought yet)."""
    rows = session.execute(
        select(CaptureViewer.platform, CaptureViewer.user_id, CaptureViewer.nickname).where(
            CaptureViewer.show_id == show_id, ~CaptureViewer.user_id.startswith("name:"))
    ).all()
    values = {alias_value(AliasKind.VIEWER, platform=p, user_id=u): (nick or u) for p, u, nick in rows}
    known = lookup(session, community_id, AliasKind.VIEWER, list(values))
    fresh = {v: n for v, n in values.items() if v not in known}
    if not fresh:
        return
    by_name, _ = link_people(session, community_id, [Person(n[:100]) for n in set(fresh.values())], at)
    for value, nick in fresh.items():
        add_alias(session, community_id, AliasKind.VIEWER, value, by_name[nick[:100]], at)


def _name_join(community_id: int, column):
    return and_(MemberAlias.community_id == community_id, MemberAlias.kind == AliasKind.NAME,
                MemberAlias.value == column)


def _orders(session: Session, show: Show) -> dict[int, dict]:
    spend = func.sum(jielong.gmv_amount())  # the review's 成交额 rule: flagged entries' money stays apart
    q = (
        select(MemberAlias.member_id, func.count(), func.sum(ChainEntry.qty), spend)
        .select_from(ChainEntry)
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .join(MemberAlias, _line_join(show.community_id, show.id, ChainEntry.buyer_name, ChainEntry.address))
        # a failed deal's orders (未成团) are refunded: no order, no spend (jielong.deal_gmv_counts)
        .where(Deal.show_id == show.id, ChainEntry.status == "valid", jielong.deal_gmv_counts())
        .group_by(MemberAlias.member_id)
    )
    return {m: {"orders": n, "units": int(u or 0), "spend": Decimal(s or 0)} for m, n, u, s in session.execute(q)}


def _early(session: Session, show: Show) -> set[int]:
    """Members among the first KOC_FIRST_N entries of any of the show's deals."""
    rank = func.row_number().over(partition_by=ChainEntry.deal_id, order_by=(ChainEntry.created_at, ChainEntry.id))
    ranked = (
        select(ChainEntry.buyer_name.label("name"), ChainEntry.address.label("address"), rank.label("rn"))
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(Deal.show_id == show.id, ChainEntry.status != "cancelled")
        .subquery()
    )
    q = select(MemberAlias.member_id).join(
        ranked, _line_join(show.community_id, show.id, ranked.c.name, ranked.c.address)).where(
        ranked.c.rn <= KOC_FIRST_N)
    return set(session.scalars(q.distinct()))


def _led(session: Session, show: Show) -> dict[int, int]:
    """Comments answered by others buying (the second KOC rule, see labels): member id → how
    many of their comments tonight. A comment counts when the deal released last before it had
    been out KOC_LED_MINUTES already, and in the KOC_LED_MINUTES after it at least KOC_LED_BUYERS
    other names entered that deal's chain, KOC_LED_LIFT times as many as in the KOC_LED_MINUTES
    before it. One query:
    per comment, index ranges on chain_entry (deal_id, created_at)."""
    n, c, e = KOC_LED_MINUTES * 60, Comment, ChainEntry
    on_sale = (
        select(Deal.id).where(Deal.show_id == show.id, Deal.released_at.is_not(None), Deal.released_at <= c.received_at)
        .order_by(Deal.released_at.desc(), Deal.id.desc()).limit(1).correlate(c).scalar_subquery()
    )
    said = select(c.author, c.received_at, on_sale.label("deal_id")).where(c.show_id == show.id, c.author != "").subquery()
    at = said.c.received_at

    def others(lo, hi):
        return select(func.count(e.buyer_name.distinct())).where(
            e.deal_id == said.c.deal_id, e.status != "cancelled", e.buyer_name != said.c.author,
            e.created_at > lo, e.created_at <= hi).scalar_subquery()

    after = others(at, shifted(session, at, n))
    q = (
        select(MemberAlias.member_id, func.count())
        .select_from(said).join(Deal, Deal.id == said.c.deal_id)
        .join(MemberAlias, _name_join(show.community_id, said.c.author))
        .where(Deal.released_at <= shifted(session, at, -n), after >= KOC_LED_BUYERS,
               after >= KOC_LED_LIFT * others(shifted(session, at, -n), at))
        .group_by(MemberAlias.member_id)
    )
    return {m: int(k) for m, k in session.execute(q)}


def _claims(session: Session, show: Show) -> dict[int, int]:
    """Refund / payout requests per member: by the claim's order, else by the name it was logged for."""
    q = (
        select(ChainEntry.buyer_name, ChainEntry.address, FulfilmentItem.label)
        .select_from(FulfilmentItem)
        .join(Promise, Promise.id == FulfilmentItem.promise_id)
        .outerjoin(ChainEntry, ChainEntry.id == FulfilmentItem.chain_entry_id)
        .where(Promise.show_id == show.id, FulfilmentItem.kind == "claim")
    )
    # (kind, alias value) per claim: the order's chain line, else the name the claim was logged for
    keys = [(AliasKind.LINE, line_value(show.id, n, a or "")) if n else (AliasKind.NAME, label.split("：", 1)[0][:160])
            for n, a, label in session.execute(q)]
    links = {kind: lookup(session, show.community_id, kind, [v for k, v in keys if k == kind])
             for kind in (AliasKind.LINE, AliasKind.NAME)}
    out: dict[int, int] = {}
    for kind, value in keys:
        if value in links[kind]:
            mid = links[kind][value]
            out[mid] = out.get(mid, 0) + 1
    return out


def _watched(session: Session, show: Show) -> set[int]:
    by_id = (
        select(MemberAlias.member_id)
        .join(CaptureViewer, and_(MemberAlias.community_id == show.community_id, MemberAlias.kind == AliasKind.VIEWER,
                                  MemberAlias.value == CaptureViewer.platform + literal(":") + CaptureViewer.user_id))
        .where(CaptureViewer.show_id == show.id)
    )
    by_name = select(MemberAlias.member_id).join(ShowCommenter, _name_join(show.community_id, ShowCommenter.author)).where(
        ShowCommenter.show_id == show.id)
    return set(session.scalars(by_id)) | set(session.scalars(by_name))


def rebuild(session: Session, show: Show, at: datetime | None = None) -> set[int]:
    """Replace the show's member_show rows; refresh the tallies of every member they touch. The
    show's chain lines are linked first (a show synced before LINE aliases, or a line added since)."""
    link_chain(session, show, at or clock.now())
    session.flush()
    before = set(session.scalars(select(MemberShow.member_id).where(MemberShow.show_id == show.id)))
    orders, early, claims, watched = _orders(session, show), _early(session, show), _claims(session, show), _watched(session, show)
    led = _led(session, show)
    # A night a member ordered in is a night they took part in, seen or not (观看场次 ≥ 下单场次).
    watched |= set(orders)
    ids = set(orders) | set(claims) | watched | set(led)
    session.execute(delete(MemberShow).where(MemberShow.show_id == show.id))
    rows = [
        {"member_id": m, "show_id": show.id, "community_id": show.community_id, "show_at": show.scheduled_start,
         "watched": m in watched, "early": m in early and m in orders, "claims": claims.get(m, 0),
         "led": led.get(m, 0),
         **orders.get(m, {"orders": 0, "units": 0, "spend": Decimal(0)})}
        for m in sorted(ids)
    ]
    for part in chunks(rows, 1000):
        session.execute(insert(MemberShow), part)
    refresh(session, before | ids)
    return ids


def refresh(session: Session, member_ids: set[int]) -> None:
    """Recompute members' tallies from their member_show rows (correlated subqueries, in SQL)."""
    ms = MemberShow
    bought = ms.orders > 0

    def agg(expr, where=None):
        q = select(expr).where(ms.member_id == Member.id)
        return (q.where(where) if where is not None else q).scalar_subquery()

    values = {
        "shows_watched": agg(func.count(), ms.watched.is_(True)),
        "shows_bought": agg(func.count(), bought),
        "orders": agg(func.coalesce(func.sum(ms.orders), 0)),
        "units": agg(func.coalesce(func.sum(ms.units), 0)),
        "spend": agg(func.coalesce(func.sum(ms.spend), 0)),
        "claims": agg(func.coalesce(func.sum(ms.claims), 0)),
        "first_show_at": agg(func.min(ms.show_at)),
        "first_order_at": agg(func.min(case((bought, ms.show_at)))),
        "last_order_at": agg(func.max(case((bought, ms.show_at)))),
    }
    for part in chunks(sorted(member_ids), 500):
        session.execute(update(Member).where(Member.id.in_(part)).values(values).execution_options(synchronize_session=False))
    for obj in list(session.identity_map.values()):  # loaded members re-read their new tallies
        if isinstance(obj, Member) and obj.id in member_ids:
            session.expire(obj, list(values))
