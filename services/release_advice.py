"""When to release the jielong: now / soon / wait, with the reasons in Chinese.

Signals (seed article, section 五: release right after the climax, in the last minutes of the show):
minutes to the scheduled end, a surge of order-intent comments (在哪接龙 / 怎么买 / 链接), the
comment rate peaking then cooling, authenticity questions still open (trust first), readiness.
Reads only tally rows (ShowMinute) and open question groups; no scans of comments.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import QuestionGroup, ShowMinute
from services import clock
from services.deals import get_deal, readiness_of

RELEASE_WINDOW_MIN = 5  # the article: release in the last 5 minutes of the show
SOON_WINDOW_MIN = 15
INTENT_WINDOW_MIN = 3
INTENT_SURGE = 3  # order-intent comments in the window that count as a surge
PEAK_MIN_COMMENTS = 5  # a peak needs at least this many comments in its minute
COOLED_RATIO = 0.7


@dataclass
class Advice:
    status: str  # now / soon / wait
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {"now": "现在发布", "soon": "准备发布", "wait": "再等等"}[self.status]


def release_advice(session: Session, deal_id: int, now: datetime | None = None) -> Advice:
    now = now or clock.now()
    deal = get_deal(session, deal_id)
    show = deal.show
    if deal.status != "draft":
        when = f"{deal.released_at:%H:%M}" if deal.released_at else ""
        return Advice("wait", [f"接龙已于 {when} 发布，不需要再次发布。"])
    blockers = readiness_of(deal, now)
    now_r: list[str] = []
    soon_r: list[str] = []
    wait_r: list[str] = []

    left = (show.scheduled_end - now).total_seconds() / 60
    if show.status == "ended" or left < 0:
        now_r.append("直播已结束或已过计划下播时间：请立即发布接龙，防止热度冷却。")
    elif left <= RELEASE_WINDOW_MIN:
        now_r.append(f"距离计划下播还剩 {left:.0f} 分钟：在直播结束前 5 分钟发布接龙，趁热打铁。")
    elif left <= SOON_WINDOW_MIN:
        soon_r.append(f"距离计划下播还有 {left:.0f} 分钟：准备好接龙文案，高潮过后就发。")
    elif show.status == "planned" and now < show.scheduled_start:
        wait_r.append("直播还没开始：先预热，直播后半段再发布接龙。")
    else:
        wait_r.append(f"距离计划下播还有 {left:.0f} 分钟：先讲透卖点、回答问题。")

    cur = clock.minute(now)
    rows = session.execute(
        select(ShowMinute.minute, ShowMinute.comments, ShowMinute.order_intent)
        .where(ShowMinute.show_id == show.id, ShowMinute.minute > cur - timedelta(minutes=15), ShowMinute.minute <= cur)
        .order_by(ShowMinute.minute)
    ).all()
    per_min = {r.minute: (r.comments or 0, r.order_intent or 0) for r in rows}
    intent_recent = sum(v[1] for m, v in per_min.items() if m > cur - timedelta(minutes=INTENT_WINDOW_MIN))
    intent_before = sum(v[1] for m, v in per_min.items() if m <= cur - timedelta(minutes=INTENT_WINDOW_MIN))
    base_rate = intent_before / (15 - INTENT_WINDOW_MIN)
    if intent_recent >= INTENT_SURGE and intent_recent / INTENT_WINDOW_MIN >= 2 * base_rate:
        now_r.append(f"最近 {INTENT_WINDOW_MIN} 分钟有 {intent_recent} 条「在哪接龙 / 怎么买 / 链接」类评论：观众在等接龙。")
    elif intent_recent >= 1:
        soon_r.append(f"最近 {INTENT_WINDOW_MIN} 分钟有 {intent_recent} 条下单意向评论。")

    series = [per_min.get(cur - timedelta(minutes=i), (0, 0))[0] for i in range(14, -1, -1)]  # oldest → now
    peak = max(series)
    if peak >= PEAK_MIN_COMMENTS:
        peak_age = len(series) - 1 - max(i for i, v in enumerate(series) if v == peak)  # minutes ago
        recent = (series[-1] + series[-2]) / 2
        if 2 <= peak_age <= 10 and recent <= COOLED_RATIO * peak:
            now_r.append(f"评论热度刚过高峰（{peak_age} 分钟前 {peak} 条/分钟，现在约 {recent:.0f} 条/分钟）：高潮之后正是发布时机。")
        elif peak_age <= 1:
            soon_r.append(f"评论正在高峰（{peak} 条/分钟）：高潮一过就发布。")

    open_auth = session.scalar(
        select(func.count())
        .select_from(QuestionGroup)
        .where(
            QuestionGroup.show_id == show.id,
            QuestionGroup.category == "authenticity",
            QuestionGroup.status.in_(("new", "to_host")),
            QuestionGroup.merged_into_id.is_(None),
        )
    ) or 0
    trust = f"还有 {open_auth} 个真伪资质问题未回复：先回答再卖货（信任优先）。" if open_auth else ""

    if blockers:
        return Advice("wait", [f"未就绪：{b}" for b in blockers] + ([trust] if trust else []) + now_r + soon_r)
    if now_r and not trust:
        return Advice("now", now_r + soon_r)
    if now_r or soon_r:
        return Advice("soon", ([trust] if trust else []) + now_r + soon_r)
    return Advice("wait", ([trust] if trust else []) + wait_r)
