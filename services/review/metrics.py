"""The review's figures (复盘): the KPIs of a show, its deals, and the comparison across shows.

Every figure is an SQL aggregate or a tally column; nothing here loads a whole table.

Rules behind the numbers (kpis):
- viewers = Show.viewers_cumulative (累计观看), peak_online = Show.viewers_peak; both None (—) when
  the show has no viewer numbers at all (nothing typed, imported or captured).
- questions = question groups of the show that are not chatter and not merged into another
  group (one group = one question, however many viewers asked it). answered_rate =
  answered groups / (questions − dismissed groups): a dismissed group (已忽略) was judged
  not to need an answer. median_response_s = median of answered_at − first_seen over the
  answered groups, in seconds (services.triage.median_response_s: the console's tile reads it too).
- A deal that failed (未成团) is refunded: its orders are no sales (jielong.deal_gmv_counts), so
  buyers, entries, units and gmv leave it out and it is shown apart: refunded_entries /
  refunded_gmv (its valid entries, the money of the unflagged ones). Its row in `deals` keeps what
  its chain held (entries, units, buyers) with gmv 0 and `refunded` its money.
- buyers = distinct names with at least one valid entry in a deal of the show that did not fail
  (jielong.show_buyers: the Show.buyers tally the jielong service keeps through ShowBuyer, which
  the live snapshot reads too); order_rate = buyers / viewers.
- entries / units = Σ Deal.entries_valid / Deal.units_valid over the deals that did not fail.
- gmv = Σ Deal.gmv_valid over the deals that did not fail (jielong.deal_gmv): valid entries not
  flagged 超出限购 / 缺失, ChainEntry.amount when an order import provided it, else qty × the
  entry's spec price (else Deal.group_price); the flagged entries' money is Deal.gmv_flagged,
  shown apart. avg_order_value = gmv / buyers.
- promises = every promise logged for the show; kept rate and overdue count come from
  services.promises.
- A rate with a zero (or missing) denominator is None.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, Promise, QuestionGroup, Show, ViewerSample
from services import jielong, promises, shows, triage
from services.jielong import entry_amount  # one rule for the money of an entry (re-exported)

KPI_KEYS = (
    "community_size", "viewers", "peak_online", "watch_rate", "commenters",
    "questions", "questions_dismissed", "answered_rate", "median_response_s",
    "buyers", "order_rate", "entries", "units", "gmv", "avg_order_value", "refunded_entries", "refunded_gmv",
    "promises", "promises_kept_rate", "promises_overdue",
    "deals",
)

KPI_LABELS = {
    "community_size": "社群成员数",
    "viewers": "累计观看",
    "peak_online": "最高在线",
    "watch_rate": "观看率",
    "commenters": "评论人数",
    "questions": "提问数",
    "questions_dismissed": "已忽略问题（不计入回复率）",
    "answered_rate": "回复率",
    "median_response_s": "回复用时中位数（秒）",
    "buyers": "下单人数",
    "order_rate": "下单转化率",
    "entries": "有效接龙单数",
    "units": "有效份数",
    "gmv": "成交额（元）",
    "avg_order_value": "客单价（元）",
    "refunded_entries": "未成团单数（已退款）",
    "refunded_gmv": "未成团金额（元，已退款）",
    "promises": "承诺数",
    "promises_kept_rate": "承诺兑现率",
    "promises_overdue": "逾期履约项",
}
RATE_KEYS = ("watch_rate", "answered_rate", "order_rate", "promises_kept_rate")  # shown as 62.7%



def rate(num: float | int | None, den: float | int | None) -> float | None:
    """num / den, or None when the denominator is zero or missing."""
    if num is None or not den:
        return None
    return float(num) / float(den)


def money(value: Decimal | float | int | None) -> float:
    return float(round(Decimal(value or 0), 2))








def minutes_between(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 60, 1)




def split_lines(session: Session, show_id: int) -> dict[int, tuple[int, int]]:
    """deal id → (chain lines read as one entry per spec, the valid entries they became), for the
    deals that have any: `12. 王芳 大果2斤 小果1斤` is 2 entries (services.jielong.spec_lines), so
    有效单数 exceeds the chain's line count. The entries of one line share its number and raw
    text; one aggregate over the show's valid entries (ix_chain_entry_deal_status_seq), nothing loaded."""
    lines = (
        select(ChainEntry.deal_id, func.count().label("n"))
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(Deal.show_id == show_id, ChainEntry.status == jielong.EntryStatus.VALID, ChainEntry.raw_line != "")
        .group_by(ChainEntry.deal_id, ChainEntry.seq, ChainEntry.raw_line)
        .having(func.count(ChainEntry.spec.distinct()) > 1)
        .subquery()
    )
    q = select(lines.c.deal_id, func.count(), func.sum(lines.c.n)).group_by(lines.c.deal_id)
    return {deal_id: (int(n), int(entries)) for deal_id, n, entries in session.execute(q)}


def deal_rows(session: Session, show_id: int) -> list[dict[str, Any]]:
    """One dict per deal with its tallies, milestones, GMV and speed."""
    rows = []
    split = split_lines(session, show_id)
    for d in session.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)):
        rows.append(
            {
                "deal_id": d.id,
                "product": d.product,
                "group_price": money(d.group_price),
                # A spec with its own price (10斤装 ¥69.90): else 份 × 团购价 would not give 成交额 by hand.
                "spec_prices": "；".join(f"{spec} ¥{money(price):,.2f}" for spec, price in (d.spec_prices or {}).items()),
                "threshold": d.threshold,
                "threshold_unit": d.threshold_unit,
                "threshold_unit_label": jielong.unit_label(d.threshold_unit),
                "stock": d.stock,
                "released_at": d.released_at,
                "reached_at": d.reached_at,
                "sold_out_at": d.sold_out_at,
                "failed_at": d.failed_at,
                "entries": d.entries_valid,
                "units": d.units_valid,
                "buyers": d.buyers_valid,
                "waitlisted": d.units_waitlisted,
                # the tally: valid entries not flagged, of a deal that did not fail (else refunded)
                "gmv": money(d.gmv_valid) if jielong.deal_counts_toward_gmv(d.status) else 0.0,
                "refunded": 0.0 if jielong.deal_counts_toward_gmv(d.status) else money(d.gmv_valid),
                "refunded_entries": 0 if jielong.deal_counts_toward_gmv(d.status) else d.entries_valid,
                "gmv_flagged": money(d.gmv_flagged),  # 超出限购 / 缺失: shown apart, to be checked
                "entries_flagged": d.entries_flagged,
                # chain lines split into one entry per spec, and the entries they became (split_lines)
                "split_lines": split.get(d.id, (0, 0))[0],
                "split_entries": split.get(d.id, (0, 0))[1],
                "minutes_release_to_threshold": minutes_between(d.reached_at, d.released_at),
                "minutes_to_sellout": minutes_between(d.sold_out_at, d.released_at),
                "outcome": d.status,
                "outcome_label": jielong.status_label(d.status),
            }
        )
    return rows




def _audience(session: Session, show: Show) -> tuple[int | None, int | None]:
    """累计观看 and 最高在线; None for a show whose viewer numbers nobody recorded (no sample, both
    tallies 0): 「0 人观看」 beside 36 commenters and 5 buyers is a missing figure, not a zero."""
    if show.viewers_cumulative or show.viewers_peak:
        return show.viewers_cumulative, show.viewers_peak
    if session.scalar(select(ViewerSample.id).where(ViewerSample.show_id == show.id).limit(1)) is not None:
        return show.viewers_cumulative, show.viewers_peak
    return None, None


def _sales(session: Session, show_id: int) -> tuple[int, int, float, int, float]:
    """(entries, units, gmv) of the deals that did not fail, and (entries, money) of those that did
    (未成团, refunded): one aggregate over the show's deal tallies."""
    counts = jielong.deal_gmv_counts()

    def total(col, when=counts):
        return func.coalesce(func.sum(case((when, col), else_=0)), 0)

    e, u, g, re, rg = session.execute(
        select(total(Deal.entries_valid), total(Deal.units_valid), total(Deal.gmv_valid),
               total(Deal.entries_valid, ~counts), total(Deal.gmv_valid, ~counts)).where(Deal.show_id == show_id)
    ).one()
    return int(e), int(u), money(g), int(re), money(rg)


def kpis(session: Session, show_id: int) -> dict[str, Any]:
    """The review's KPIs for one show (keys: KPI_KEYS). See the module doc for the rules."""
    show = shows.get_show(session, show_id)
    community_size = show.community.member_count
    viewers, peak = _audience(session, show)
    questions, answered, dismissed = session.execute(
        select(
            func.count(),
            func.count().filter(QuestionGroup.status == triage.QuestionStatus.ANSWERED),
            func.count().filter(QuestionGroup.status == triage.QuestionStatus.DISMISSED),
        ).where(*triage.question_filter(show_id))
    ).one()
    response_s = triage.median_response_s(session, show_id)
    entries, units, gmv, refunded_entries, refunded_gmv = _sales(session, show_id)
    deals = deal_rows(session, show_id)
    buyers = jielong.show_buyers(session, show_id)
    promise_count = session.scalar(select(func.count()).where(Promise.show_id == show_id)) or 0
    kept_rate, overdue = promises.kept_rate(session, show_id), promises.overdue_count(session, show_id)
    aov = rate(gmv, buyers)
    return {
        "community_size": community_size,
        "viewers": viewers,
        "peak_online": peak,
        "watch_rate": rate(viewers, community_size),
        "commenters": show.commenters,
        "questions": questions,
        "questions_dismissed": dismissed,
        "answered_rate": rate(answered, questions - dismissed),
        "median_response_s": None if response_s is None else round(response_s, 1),
        "buyers": buyers,
        "order_rate": rate(buyers, viewers),
        "entries": int(entries),
        "units": int(units),
        "gmv": gmv,
        "avg_order_value": None if aov is None else round(aov, 2),
        "refunded_entries": refunded_entries,
        "refunded_gmv": refunded_gmv,
        "promises": promise_count,
        "promises_kept_rate": kept_rate,
        "promises_overdue": overdue,
        "deals": deals,
    }


def recent_show_ids(
    session: Session, n: int = 5, upto_show_id: int | None = None, include_rehearsal: bool = False
) -> list[int]:
    """The last n shows (by scheduled start) up to and including `upto_show_id`, oldest first, of
    that show's community (a reviewer compares the nights of one group: night 18 found 亲亲宝贝's
    night between two of 源味集's). Rehearsals (彩排, the simulator's shows) are left out unless
    asked for, or the one looked at. So are shows that never went live (no actual start), unless
    looked at: night 19's 第1期, planned and left empty, was a row of 0 / — that read as a night
    nobody bought anything, and it took a place among the last n."""
    q = select(Show.id).order_by(Show.scheduled_start.desc(), Show.id.desc())
    q = q.where(Show.actual_start.is_not(None) | (Show.id == upto_show_id))
    if not include_rehearsal:
        q = q.where(Show.rehearsal.is_(False) | (Show.id == upto_show_id))
    if upto_show_id is not None:
        ref = shows.get_show(session, upto_show_id)
        q = q.where(Show.scheduled_start <= ref.scheduled_start, Show.community_id == ref.community_id)
    return list(reversed(list(session.scalars(q.limit(n)))))


COMPARE_KEYS = ("watch_rate", "order_rate", "buyers", "gmv", "avg_order_value", "answered_rate", "promises_kept_rate")


def compare(
    session: Session, n: int = 5, upto_show_id: int | None = None, include_rehearsal: bool = False
) -> list[dict[str, Any]]:
    """The main KPIs of the last n shows, oldest first, one dict per show (rehearsals left out
    unless asked for)."""
    out = []
    for sid in recent_show_ids(session, n, upto_show_id, include_rehearsal):
        show = shows.get_show(session, sid)
        k = kpis(session, sid)
        row = {"show_id": sid, "title": show.title, "date": show.scheduled_start, "community": show.community.name}
        row.update({key: k[key] for key in COMPARE_KEYS})
        row["reach_minutes"] = _first_reach(k["deals"])
        out.append(row)
    return out


def _first_reach(deals: list[dict[str, Any]]) -> float | None:
    times = [d["minutes_release_to_threshold"] for d in deals if d["minutes_release_to_threshold"] is not None]
    return min(times) if times else None
