"""After the night: the seed's 核心看板 across a community's shows (社群→观看, 观看→接龙, GMV and
客单价, repeat / new buyer shares, retention, LTV by cohort) from member_show and show tallies,
aggregated in SQL; Python only arranges the aggregated rows (one per show or per cohort month)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, and_, case, cast, exists, func, literal, literal_column, select
from sqlalchemy.orm import Session, aliased

from db.models import ChainEntry, Community, Deal, Member, MemberAlias, MemberShow, Show, ShowBuyer
from services import jielong
from services.errors import NotFound
from services.members.identity import names_of, owners
from services.members.labels import AliasKind

ENDED = "ended"
SERIES_SHOWS = 24  # the board's per-show series: the community's latest this many shows


def _ratio(a, b) -> float | None:
    return float(a) / float(b) if b else None


def _month(session: Session, col):
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(col, literal_column("'YYYY-MM'"))  # a literal, so GROUP BY matches the SELECT
    return func.strftime(literal_column("'%Y-%m'"), col)


def ltv(session: Session, member_id: int) -> Decimal:
    """A member's spend across the community's shows: the sum of their entries that count toward the
    review's 成交额 (valid, not flagged, of a deal that did not fail: jielong.gmv_counts; an entry without an amount counts qty × its
    spec's price, else the 专享价), read live from the chains."""
    community_id = session.scalar(select(Member.community_id).where(Member.id == member_id))
    if community_id is None:
        raise NotFound(f"找不到编号为 {member_id} 的社群成员。")
    # Read by name (indexed), then kept only for the lines that are this member's (identity.owners:
    # a namesake at another building has the same name and is someone else).
    rows = session.execute(
        select(Deal.show_id, ChainEntry.buyer_name, ChainEntry.address, func.sum(jielong.entry_amount()))
        .join(Deal, Deal.id == ChainEntry.deal_id).join(Show, Show.id == Deal.show_id)
        .where(Show.community_id == community_id, ChainEntry.buyer_name.in_(sorted(names_of(session, member_id))),
               jielong.gmv_counts())
        .group_by(Deal.show_id, ChainEntry.buyer_name, ChainEntry.address)
    ).all()
    mine = owners(session, community_id, {(s, n, a) for s, n, a, _ in rows})
    total = sum((Decimal(t or 0) for s, n, a, t in rows if mine.get((s, n, a)) == member_id), Decimal(0))
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _persons(community_id: int, *where):
    """The people who bought in the shows matched by `where`, one key each: the member a name links
    to (so a merged member's names count once), else the bare name. Read live from show_buyer."""
    a = MemberAlias
    key = func.coalesce(cast(a.member_id, String), literal("n:") + ShowBuyer.name)
    return (
        select(key.label("person"))
        .select_from(ShowBuyer).join(Show, Show.id == ShowBuyer.show_id)
        .outerjoin(a, and_(a.community_id == community_id, a.kind == AliasKind.NAME, a.value == ShowBuyer.name))
        .where(Show.community_id == community_id, jielong.buyer_gmv_counts(ShowBuyer), *where)
    )


def _count(session: Session, q) -> int:
    sub = q.subquery()
    return session.scalar(select(func.count(func.distinct(sub.c.person)))) or 0


def _gmv(session: Session, show_id: int) -> Decimal:
    """The review's 成交额: the deals' tallies (spec prices in, flagged entries apart, failed deals refunded)."""
    return Decimal(session.scalar(select(func.sum(jielong.deal_gmv())).where(Deal.show_id == show_id)) or 0)


def _buyer_counts(session: Session, show: Show) -> tuple[int, int, Decimal]:
    """(buyers, returning buyers, GMV) of a show, live; returning = bought in an earlier show of the
    community, under the same name (show_buyer by name, indexed) or as the same member (member_show)."""
    a, sb2 = MemberAlias, aliased(ShowBuyer)
    earlier = select(Show.id).where(Show.community_id == show.community_id, Show.id != show.id,
                                    Show.scheduled_start < show.scheduled_start)
    by_name = exists(select(sb2.name).where(sb2.name == ShowBuyer.name, jielong.buyer_gmv_counts(sb2),
                                            sb2.show_id.in_(earlier)))
    by_member = exists(select(MemberShow.member_id).where(
        MemberShow.member_id == a.member_id, MemberShow.orders > 0, MemberShow.show_id != show.id,
        MemberShow.show_at < show.scheduled_start))
    tonight = _persons(show.community_id, Show.id == show.id)
    returning = _count(session, tonight.where(by_name | by_member))
    return _count(session, tonight), returning, _gmv(session, show.id)


def retained(session: Session, community_id: int, prev_id: int, show_id: int) -> tuple[int, int]:
    """(buyers of the previous show, how many of them bought again in this one)."""
    prev = _persons(community_id, Show.id == prev_id)
    again = prev.where(prev.selected_columns[0].in_(_persons(community_id, Show.id == show_id)))
    return _count(session, prev), _count(session, again)


def _previous(session: Session, show: Show) -> Show | None:
    return session.scalar(
        select(Show).where(Show.community_id == show.community_id, Show.scheduled_start < show.scheduled_start)
        .order_by(Show.scheduled_start.desc()).limit(1)
    )


def show_kpis(session: Session, show_id: int) -> dict:
    """One show's member KPIs: buyers, repeat / new buyer shares (0–1), retention of the previous show's buyers."""
    show = session.get(Show, show_id)
    if show is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次。")
    buyers, returning, gmv = _buyer_counts(session, show)
    prev = _previous(session, show)
    prev_buyers, again = retained(session, show.community_id, prev.id, show.id) if prev else (0, 0)
    viewers = show.viewers_cumulative or 0
    return {
        "show_id": show.id, "title": show.title, "at": show.scheduled_start,
        "buyers": buyers, "returning_buyers": returning, "new_buyers": buyers - returning,
        "repeat_buyer_share": _ratio(returning, buyers), "new_buyer_share": _ratio(buyers - returning, buyers),
        "retention": _ratio(again, prev_buyers), "previous_buyers": prev_buyers, "retained_buyers": again,
        "gmv": gmv, "aov": (gmv / buyers).quantize(Decimal("0.01")) if buyers else None,
        "viewers": viewers, "community_to_viewers": _ratio(viewers, show.community.member_count),
        "viewers_to_buyers": _ratio(jielong.show_buyers(session, show.id), viewers),
    }


def latest_ended(session: Session, community_id: int) -> Show | None:
    return session.scalar(
        select(Show).where(Show.community_id == community_id, Show.status == ENDED)
        .order_by(Show.scheduled_start.desc(), Show.id.desc()).limit(1)
    )


def member_count(session: Session, community_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Member).where(
        Member.community_id == community_id, Member.merged_into_id.is_(None))) or 0


def community_kpis(session: Session, community_id: int) -> dict:
    """The community's latest ended show's KPIs (repeat_buyer_share, new_buyer_share, retention, …)
    plus `members` (known members) and `shows`."""
    if session.get(Community, community_id) is None:
        raise NotFound(f"找不到编号为 {community_id} 的社群。")
    show = latest_ended(session, community_id)
    base = show_kpis(session, show.id) if show else {
        "show_id": None, "buyers": 0, "repeat_buyer_share": None, "new_buyer_share": None, "retention": None}
    shows = session.scalar(select(func.count()).select_from(Show).where(Show.community_id == community_id)) or 0
    return {**base, "community_id": community_id, "members": member_count(session, community_id), "shows": shows}


def window(session: Session, community_id: int, last: int = SERIES_SHOWS) -> list[Show]:
    """The community's latest `last` shows, oldest first (the board's per-show window)."""
    rows = session.scalars(select(Show).where(Show.community_id == community_id)
                           .order_by(Show.scheduled_start.desc(), Show.id.desc()).limit(last)).all()
    return list(reversed(rows))


def series(session: Session, community_id: int, last: int = SERIES_SHOWS) -> list[dict]:
    """Per show of the window (oldest first): buyers, new / returning, GMV, 客单价, and the average
    LTV of the community's buyers as of that show. Reads only the window's member_show rows; the
    running totals come from the members' tallies minus what the later shows of the window added."""
    shows = window(session, community_id, last)
    if not shows:
        return []
    ms = MemberShow
    per = {sid: (n, int(r or 0), Decimal(g or 0)) for sid, n, r, g in session.execute(
        select(ms.show_id, func.count(), func.sum(case((Member.first_order_at < ms.show_at, 1), else_=0)), func.sum(ms.spend))
        .join(Member, Member.id == ms.member_id)
        .where(ms.community_id == community_id, ms.show_id.in_([x.id for x in shows]), ms.orders > 0)
        .group_by(ms.show_id)
    )}
    total_gmv, total_buyers = session.execute(
        select(func.coalesce(func.sum(Member.spend), 0), func.count(Member.first_order_at))
        .where(Member.community_id == community_id, Member.merged_into_id.is_(None))
    ).one()
    cum_gmv, cum_buyers, out = Decimal(total_gmv or 0), int(total_buyers or 0), []
    for show in reversed(shows):  # newest first: peel the later shows off the running totals
        buyers, returning, gmv = per.get(show.id, (0, 0, Decimal(0)))
        out.append({
            "show_id": show.id, "title": show.title, "at": show.scheduled_start, "viewers": show.viewers_cumulative or 0,
            "buyers": buyers, "new_buyers": buyers - returning, "returning_buyers": returning, "gmv": float(gmv),
            "aov": float(gmv / buyers) if buyers else None, "repeat_buyer_share": _ratio(returning, buyers),
            "avg_ltv": float(cum_gmv / cum_buyers) if cum_buyers > 0 else None,
        })
        cum_gmv -= gmv
        cum_buyers -= buyers - returning
    return list(reversed(out))


def cohorts(session: Session, community_id: int, last: int = SERIES_SHOWS, by_cohort: list[dict] | None = None) -> list[dict]:
    """Cohort retention: per first-order month (cohort) and per show of the window, the share of
    the cohort who bought in that show."""
    shows = window(session, community_id, last)
    if not shows:
        return []
    ms, cohort = MemberShow, _month(session, Member.first_order_at)
    sizes = {r["cohort"]: r["members"] for r in (by_cohort if by_cohort is not None else ltv_by_cohort(session, community_id))}
    active = session.execute(
        select(ms.show_id, cohort, func.count())
        .join(Member, Member.id == ms.member_id)
        .where(ms.community_id == community_id, ms.show_id.in_([x.id for x in shows]), ms.orders > 0)
        .group_by(ms.show_id, cohort)
    ).all()
    at = {x.id: x.scheduled_start for x in shows}
    return [{"cohort": c, "show_id": sid, "at": at[sid], "buyers": n, "size": sizes.get(c, 0),
             "share": _ratio(n, sizes.get(c, 0))} for sid, c, n in active if c]


def ltv_by_cohort(session: Session, community_id: int) -> list[dict]:
    cohort = _month(session, Member.first_order_at)
    rows = session.execute(
        select(cohort, func.count(), func.avg(Member.spend))
        .where(Member.community_id == community_id, Member.first_order_at.is_not(None), Member.merged_into_id.is_(None))
        .group_by(cohort).order_by(cohort)
    ).all()
    return [{"cohort": c, "members": n, "avg_ltv": round(float(v or 0), 2)} for c, n, v in rows]


def board(session: Session, community_id: int) -> dict:
    """Everything the 核心看板 draws, in one read."""
    by_cohort = ltv_by_cohort(session, community_id)  # one pass over the members: sizes and LTV per cohort
    return {
        "kpis": community_kpis(session, community_id),
        "series": series(session, community_id),
        "cohorts": cohorts(session, community_id, by_cohort=by_cohort),
        "ltv_by_cohort": by_cohort,
    }
