"""The member list: a table filterable by segment, KOC suggestions, proposals to decide, the
communities to choose from, and the CSV import / export of a member list."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from db.models import ChainEntry, Community, Deal, FulfilmentItem, Member, MemberAlias, MemberProposal, MemberShow, Show
from services import clock, events
from services.authz import Actor, require
from services.errors import InvalidInput, NotFound
from services.text import clean
from services.members.board import latest_ended
from services.members.identity import Person, link_people, names_of, owners, tail_of
from services.members.labels import (
    ALIAS_KIND_LABELS, KOC_EARLY_SHOWS, KOC_LAST_SHOWS, PROPOSAL_STATUS_LABELS, REASON_LABELS, AliasKind, ProposalStatus, Segment, member_label,
    segment_label,
)
from services.members.night import silent_cut
from services.uploads import check_file_size, decode

TABLE_LIMIT = 500
_HEADERS = {"name": ("昵称", "name", "姓名", "下单人"), "building": ("楼栋", "building"), "phone_tail": ("手机尾号", "phone_tail", "尾号")}


def directory_limit() -> int:
    return TABLE_LIMIT


def communities(session: Session) -> list[dict]:
    rows = session.execute(
        select(Community.id, Community.name, func.count(Show.id)).join(Show, Show.community_id == Community.id)
        .group_by(Community.id, Community.name).order_by(Community.name)
    ).all()
    return [{"id": i, "name": n, "shows": s} for i, n, s in rows]


def _latest_start(session: Session, community_id: int) -> datetime | None:
    show = latest_ended(session, community_id)
    return show.scheduled_start if show else None


def _segment_filter(session: Session, community_id: int, segment: str):
    latest = _latest_start(session, community_id)
    if segment == Segment.NEW:
        return Member.first_order_at == latest if latest else Member.id < 0
    if segment == Segment.RETURNING:
        return Member.shows_bought >= 2
    if segment == Segment.KOC:
        return Member.koc.is_(True)
    if segment == Segment.AFTER_SALES_WATCH:
        return Member.claims > 0
    if segment == Segment.SILENT:
        cut = silent_cut(session, community_id, latest, inclusive=True) if latest else None
        return and_(Member.shows_bought > 0, Member.last_order_at < cut) if cut else Member.id < 0
    raise InvalidInput("未知的用户分层。", "分层")


def segments_of(m, latest: datetime | None, cut: datetime | None) -> list[str]:
    out = []
    if latest and m.first_order_at == latest:
        out.append(Segment.NEW)
    if m.shows_bought >= 2:
        out.append(Segment.RETURNING)
    if m.koc:
        out.append(Segment.KOC)
    if cut and m.shows_bought and m.last_order_at and m.last_order_at < cut:
        out.append(Segment.SILENT)
    if m.claims:
        out.append(Segment.AFTER_SALES_WATCH)
    return out


def members(session: Session, community_id: int, segment: str | None = None, search: str = "",
            limit: int = TABLE_LIMIT) -> list[dict]:
    """Members (highest LTV first), optionally one segment's, optionally matching a name."""
    q = select(Member).where(Member.community_id == community_id, Member.merged_into_id.is_(None))
    if segment:
        q = q.where(_segment_filter(session, community_id, segment))
    if search := clean(search):
        q = q.where(Member.name.contains(search[:50], autoescape=True))
    latest = _latest_start(session, community_id)
    cut = silent_cut(session, community_id, latest, inclusive=True) if latest else None
    rows = session.scalars(q.order_by(Member.spend.desc(), Member.id).limit(limit)).all()
    return [
        {"id": m.id, "name": m.name, "label": member_label(m.name, m.building), "building": m.building, "phone_tail": m.phone_tail, "koc": m.koc,
         "segments": segments_of(m, latest, cut), "shows_watched": m.shows_watched, "shows_bought": m.shows_bought,
         "orders": m.orders, "units": m.units, "ltv": m.spend, "claims": m.claims,
         "first_show_at": m.first_show_at, "last_order_at": m.last_order_at}
        for m in rows
    ]


def segment_counts(session: Session, community_id: int) -> dict[str, int]:
    base = select(func.count()).select_from(Member).where(Member.community_id == community_id, Member.merged_into_id.is_(None))
    return {s: session.scalar(base.where(_segment_filter(session, community_id, s))) or 0 for s in Segment}


def member_shows(session: Session, member_id: int) -> list[dict]:
    """One member's shows: watched, orders, units, spend, claims per show."""
    ms = MemberShow
    rows = session.execute(
        select(Show.title, ms.show_at, ms.watched, ms.orders, ms.units, ms.spend, ms.claims, ms.early)
        .join(Show, Show.id == ms.show_id).where(ms.member_id == member_id).order_by(ms.show_at)
    ).all()
    return [dict(r._mapping) for r in rows]


def suggest_kocs(session: Session, community_id: int, limit: int = 20) -> list[dict]:
    """Members not yet KOC who were among the first entries after a release in at least
    KOC_EARLY_SHOWS of their last KOC_LAST_SHOWS shows bought in, or whose comments others
    answered by buying in at least KOC_EARLY_SHOWS of their last KOC_LAST_SHOWS shows (labels)."""
    ms = MemberShow
    bought = ms.orders > 0
    recent = select(
        ms.member_id, ms.early, ms.led, bought.label("bought"),
        func.row_number().over(partition_by=ms.member_id, order_by=ms.show_at.desc()).label("rn"),
        func.row_number().over(partition_by=(ms.member_id, bought), order_by=ms.show_at.desc()).label("rn_bought"),
    ).where(ms.community_id == community_id).subquery()
    r = recent.c
    early = func.sum(case((and_(r.bought, r.rn_bought <= KOC_LAST_SHOWS, r.early.is_(True)), 1), else_=0))
    led = func.sum(case((and_(r.rn <= KOC_LAST_SHOWS, r.led > 0), 1), else_=0))
    q = (
        select(Member.id, Member.name, Member.building, early.label("early"), led.label("led"))
        .join(recent, r.member_id == Member.id)
        .where(Member.koc.is_(False), Member.merged_into_id.is_(None))
        .group_by(Member.id, Member.name, Member.building)
        .having((early >= KOC_EARLY_SHOWS) | (led >= KOC_EARLY_SHOWS))
        .order_by((early + led).desc(), Member.spend.desc(), Member.id).limit(limit)
    )
    return [{"id": i, "name": n, "label": member_label(n, b), "early_shows": int(e), "led_shows": int(x)}
            for i, n, b, e, x in session.execute(q)]


def proposals(session: Session, community_id: int, status: str | None = ProposalStatus.OPEN, limit: int = 100) -> list[dict]:
    a, b = aliased(Member), aliased(Member)
    q = (
        select(MemberProposal, a.name, a.building, a.phone_tail, b.name, b.building, b.phone_tail)
        .join(a, a.id == MemberProposal.member_id).join(b, b.id == MemberProposal.other_id)
        .where(MemberProposal.community_id == community_id)
    )
    if status:
        q = q.where(MemberProposal.status == status)
    rows = session.execute(q.order_by(MemberProposal.id.desc()).limit(limit)).all()
    return [
        {"id": p.id, "member_id": p.member_id, "other_id": p.other_id, "status": p.status,
         "status_label": PROPOSAL_STATUS_LABELS.get(p.status, p.status), "reason": p.reason,
         "reason_label": REASON_LABELS.get(p.reason, p.reason),
         "member": _who(an, ab, at), "other": _who(bn, bb, bt)}
        for p, an, ab, at, bn, bb, bt in rows
    ]


def _who(name: str, building: str, tail: str) -> str:
    """A proposal's side: the member's label with the phone tail when known (王芳（5栋 尾号1234）)."""
    return member_label(name, " ".join(x for x in (building, f"尾号{tail}" if tail else "") if x))


def import_members(session: Session, actor: Actor, community_id: int, data: bytes, filename: str = "",
                   at: datetime | None = None) -> dict:
    """A member list (CSV: 昵称, 楼栋, 手机尾号): exact matches link, others become members
    (fuzzy ones proposed). Returns counts."""
    require(actor, "members.write")
    if session.get(Community, community_id) is None:
        raise NotFound(f"找不到编号为 {community_id} 的社群。")
    check_file_size(data)
    rows = list(csv.DictReader(io.StringIO(decode(data, "文件", "无法识别 CSV 文件的编码（支持 UTF-8 和 GBK）。"))))
    if not rows:
        raise InvalidInput("文件里没有成员（需要表头：昵称,楼栋,手机尾号）。", "文件")
    cols = {f: next((h for h in rows[0] if h and h.strip() in names), None) for f, names in _HEADERS.items()}
    if not cols["name"]:
        raise InvalidInput("找不到「昵称」一列（表头：昵称,楼栋,手机尾号）。", "文件")
    people = [
        Person(clean(r.get(cols["name"]))[:100], clean(r.get(cols["building"]))[:50] if cols["building"] else "",
               tail_of(r.get(cols["phone_tail"]) or "") if cols["phone_tail"] else "")
        for r in rows
    ]
    people = [p for p in people if p.name]
    at = at or clock.now()
    before = session.scalar(select(func.count()).select_from(Member).where(Member.community_id == community_id)) or 0
    _, proposed = link_people(session, community_id, people, at)
    after = session.scalar(select(func.count()).select_from(Member).where(Member.community_id == community_id)) or 0
    events.record(session, "members.imported", None, actor, at=at, community_id=community_id, rows=len(people),
                  filename=(filename or "")[:100])
    return {"rows": len(people), "created": after - before, "linked": len(people) - (after - before), "proposals": proposed}


def export_members(session: Session, community_id: int) -> bytes:
    """The member list as CSV (UTF-8 with BOM, opens in Excel): the import's columns plus tallies."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["昵称", "楼栋", "手机尾号", "KOC", "分层", "观看场次", "下单场次", "订单数", "份数", "累计消费（元）", "售后申请"])
    for m in members(session, community_id, limit=1_000_000):
        w.writerow([m["name"], m["building"], m["phone_tail"], "是" if m["koc"] else "",
                    "、".join(segment_label(s) for s in m["segments"]), m["shows_watched"], m["shows_bought"],
                    m["orders"], m["units"], m["ltv"], m["claims"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def member_detail(session: Session, member_id: int) -> dict:
    """One member: who they are (aliases), their shows, and the promise items still owed to them
    (open fulfilment items on their valid orders)."""
    m = session.get(Member, member_id)
    if m is None:
        raise NotFound(f"找不到编号为 {member_id} 的社群成员。")
    # a chain line's alias (show|name|address) is bookkeeping, not a way anyone is known: not listed
    aliases = session.execute(select(MemberAlias.kind, MemberAlias.value).where(
        MemberAlias.member_id == m.id, MemberAlias.kind != AliasKind.LINE).order_by(MemberAlias.kind, MemberAlias.value)).all()
    rows = session.execute(
        select(Deal.show_id, ChainEntry.buyer_name, ChainEntry.address, func.count()).select_from(FulfilmentItem)
        .join(ChainEntry, ChainEntry.id == FulfilmentItem.chain_entry_id)
        .join(Deal, Deal.id == ChainEntry.deal_id).join(Show, Show.id == Deal.show_id)
        .where(Show.community_id == m.community_id, ChainEntry.buyer_name.in_(sorted(names_of(session, m.id))),
               ChainEntry.status == "valid", FulfilmentItem.active.is_(True), FulfilmentItem.done.is_(False))
        .group_by(Deal.show_id, ChainEntry.buyer_name, ChainEntry.address)
    ).all()
    mine = owners(session, m.community_id, {(s, n, a) for s, n, a, _ in rows})
    owed = sum(k for s, n, a, k in rows if mine.get((s, n, a)) == m.id)
    return {"id": m.id, "name": m.name, "label": member_label(m.name, m.building), "koc": m.koc, "merged_into_id": m.merged_into_id,
            "aliases": [(ALIAS_KIND_LABELS.get(k, k), v) for k, v in aliases], "shows": member_shows(session, m.id),
            "promises_owed": owed, "ltv": m.spend, "claims": m.claims}
