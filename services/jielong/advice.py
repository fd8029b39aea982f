"""When to release the jielong: now / soon / wait, with the reasons in Chinese.

Signals (seed article, section 五: release right after the climax, in the last minutes of the show):
minutes to the scheduled end, a surge of order-intent comments (在哪接龙 / 怎么买 / 链接), the
comment rate peaking then cooling, authenticity questions still open (trust first), readiness.
Reads only tally rows (ShowMinute) and the open question count (services.triage); no scans of comments.

Two halves: `signals(...)` gathers the numbers in SQL; `decide(signals)` is the pure rule,
unit-tested without a database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ShowMinute
from services import clock, triage
from services.jielong.deals import get_deal, readiness_of
from services.jielong.lifecycle import DealStatus
from services.shows import ShowStatus

RELEASE_WINDOW_MIN = 5  # the article: release in the last 5 minutes of the show
SOON_WINDOW_MIN = 15
INTENT_WINDOW_MIN = 3
INTENT_SURGE = 3  # order-intent comments in the window that count as a surge
PEAK_MIN_COMMENTS = 5  # a peak needs at least this many comments in its minute
COOLED_RATIO = 0.7
LOOKBACK_MIN = 15


@dataclass
class Advice:
    status: str  # now / soon / wait
    reasons: list[str] = field(default_factory=list)
    blocked: bool = False  # waiting for the deal to be complete, not for the moment

    @property
    def label(self) -> str:
        if self.blocked:
            return "先补齐，再发布"
        return {"now": "现在发布", "soon": "准备发布", "wait": "再等等"}[self.status]


@dataclass(frozen=True)
class Signals:
    """What the advice is decided on, read at one moment."""

    blockers: tuple[str, ...]  # readiness problems
    minutes_left: float  # to the scheduled end (negative once past)
    show_status: str  # planned / live / ended
    before_start: bool
    comments: tuple[int, ...]  # comments per minute, oldest → now (LOOKBACK_MIN minutes)
    intents: tuple[int, ...]  # order-intent comments per minute, same minutes
    open_authenticity: int  # authenticity questions still waiting


def release_advice(session: Session, deal_id: int, now: datetime | None = None) -> Advice:
    now = now or clock.now()
    deal = get_deal(session, deal_id)
    if deal.status != DealStatus.DRAFT:
        when = f"{deal.released_at:%H:%M}" if deal.released_at else ""
        return Advice("wait", [f"接龙已于 {when} 发布，不需要再次发布。"])
    return decide(signals(session, deal, now))


def signals(session: Session, deal, now: datetime) -> Signals:
    show = deal.show
    cur = clock.minute(now)
    rows = session.execute(
        select(ShowMinute.minute, ShowMinute.comments, ShowMinute.order_intent).where(
            ShowMinute.show_id == show.id,
            ShowMinute.minute > cur - timedelta(minutes=LOOKBACK_MIN),
            ShowMinute.minute <= cur,
        )
    ).all()
    per_min = {r.minute: (r.comments or 0, r.order_intent or 0) for r in rows}
    minutes = [cur - timedelta(minutes=i) for i in range(LOOKBACK_MIN - 1, -1, -1)]
    return Signals(
        blockers=tuple(readiness_of(deal, now)),
        minutes_left=(show.scheduled_end - now).total_seconds() / 60,
        show_status=show.status,
        before_start=now < show.scheduled_start,
        comments=tuple(per_min.get(m, (0, 0))[0] for m in minutes),
        intents=tuple(per_min.get(m, (0, 0))[1] for m in minutes),
        open_authenticity=triage.open_count(session, show.id, category=triage.Category.AUTHENTICITY),
    )


# ---------------------------------------------------------------- the pure rule


def decide(sig: Signals) -> Advice:
    """now / soon / wait with the reasons in Chinese, from the signals alone."""
    now_r, soon_r, wait_r = _timing(sig)
    for bucket, reason in (*_intent(sig), *_peak(sig)):
        (now_r if bucket == "now" else soon_r).append(reason)
    trust = [f"还有 {sig.open_authenticity} 个真伪资质问题未回复：先回答再卖货（信任优先）。"] if sig.open_authenticity else []
    # The heading and its reasons never disagree: a "时机已到" reason under a heading that says
    # wait or prepare says what holds it back first.
    if sig.blockers:
        timing = [f"补齐后即可发布 · {r}" for r in now_r + soon_r]
        return Advice("wait", [f"未就绪：{b}" for b in sig.blockers] + trust + timing, blocked=True)
    if now_r and not trust:
        return Advice("now", now_r + soon_r)
    if now_r or soon_r:
        return Advice("soon", trust + [f"回答后即可发布 · {r}" for r in now_r] + soon_r)
    return Advice("wait", trust + wait_r)


def _timing(sig: Signals) -> tuple[list[str], list[str], list[str]]:
    left = sig.minutes_left
    if sig.show_status == ShowStatus.ENDED or left < 0:
        return ["直播已结束或已过计划下播时间：请立即发布接龙，防止热度冷却。"], [], []
    if left <= RELEASE_WINDOW_MIN:
        return [f"距离计划下播还剩 {left:.0f} 分钟：在直播结束前 5 分钟发布接龙，趁热打铁。"], [], []
    if left <= SOON_WINDOW_MIN:
        return [], [f"距离计划下播还有 {left:.0f} 分钟：准备好接龙文案，高潮过后就发。"], []
    if sig.show_status == ShowStatus.PLANNED and sig.before_start:
        return [], [], ["直播还没开始：先预热，直播后半段再发布接龙。"]
    return [], [], [f"距离计划下播还有 {left:.0f} 分钟：先讲透卖点、回答问题。"]


def _intent(sig: Signals) -> list[tuple[str, str]]:
    """A surge of 在哪接龙 / 怎么买 / 链接 in the last minutes: viewers are waiting for the chain."""
    recent = sum(sig.intents[-INTENT_WINDOW_MIN:])
    before = sum(sig.intents[:-INTENT_WINDOW_MIN])
    base_rate = before / (LOOKBACK_MIN - INTENT_WINDOW_MIN)
    if recent >= INTENT_SURGE and recent / INTENT_WINDOW_MIN >= 2 * base_rate:
        return [("now", f"最近 {INTENT_WINDOW_MIN} 分钟有 {recent} 条「在哪接龙 / 怎么买 / 链接」类评论：观众在等接龙。")]
    if recent >= 1:
        return [("soon", f"最近 {INTENT_WINDOW_MIN} 分钟有 {recent} 条下单意向评论。")]
    return []


def _peak(sig: Signals) -> list[tuple[str, str]]:
    """The comment rate peaking, then cooling: right after the climax is the moment."""
    series = sig.comments
    peak = max(series)
    if peak < PEAK_MIN_COMMENTS:
        return []
    peak_age = len(series) - 1 - max(i for i, v in enumerate(series) if v == peak)  # minutes ago
    recent = (series[-1] + series[-2]) / 2
    if 2 <= peak_age <= 10 and recent <= COOLED_RATIO * peak:
        return [("now", f"评论热度刚过高峰（{peak_age} 分钟前 {peak} 条/分钟，现在约 {recent:.0f} 条/分钟）：高潮之后正是发布时机。")]
    if peak_age <= 1:
        return [("soon", f"评论正在高峰（{peak} 条/分钟）：高潮一过就发布。")]
    return []
