"""The conversion funnel of a night: 社群成员 → 观看 → 互动 → 接龙 → 成团, in people."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Deal, Show
from services import jielong, tallies
from services.live.snapshots import Snapshot, snapshot

FUNNEL_LABELS = ("社群成员", "观看", "互动", "接龙", "成团")


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int
    rate: float | None  # count ÷ the previous step's; None for the first or after a zero (may pass 1)
    share: float | None = None  # count ÷ the community size; None for the first or without one

    @property
    def text(self) -> str:
        """The bar's label, each ratio named: "210 人 · 占社群 70% · 是上一步的 2.3 倍".
        A step may hold more people than the one before (buyers who never commented), so
        passing 100% is said as a multiple, never as a conversion of 115%."""
        parts = [f"{self.count} 人"]
        if self.share is not None:
            parts.append(f"占社群 {self.share:.0%}")
        if self.rate is not None:
            parts.append(f"是上一步的 {self.rate:.1f} 倍" if self.rate > 1 else f"为上一步的 {self.rate:.0%}")
        return " · ".join(parts)


def buyers_reached(session: Session, show_id: int) -> int:
    """People (a name and its building, as 下单人数 counts them: jielong.people_of) with a valid entry
    in a deal that reached its threshold (成团)."""
    deals = session.execute(
        select(Deal.id, Deal.buyers_valid, Deal.reached_at, Deal.failed_at).where(Deal.show_id == show_id)
    ).all()
    reached = [d for d in deals if d.reached_at is not None and d.failed_at is None]
    if not reached:
        return 0
    reached_ids = {d.id for d in reached}
    if all(d.id in reached_ids for d in deals if d.buyers_valid > 0):  # every buyer is in a reached deal
        return session.scalar(select(Show.buyers).where(Show.id == show_id)) or 0
    # Some buyers are only in deals still short of 成团: the reached deals' entries, grouped in SQL
    # (deal.buyers_valid counts names: 王芳 5栋 and 王芳 12栋 would be one).
    return jielong.people_in(session, sorted(reached_ids))


def funnel(session: Session, show_id: int, snap: Snapshot | None = None) -> list[FunnelStep]:
    """社群成员 → 观看 → 互动 → 接龙 → 成团, in people, each against the community size and
    against the step before."""
    snap = snap or snapshot(session, show_id)
    # 互动: pasted comments carry no user id, so the larger of the commenters and the people a
    # capture tool saw interact (by platform user id).
    interacted = max(snap.commenters, tallies.captured_interactors(session, show_id))
    counts = [snap.community_size, snap.viewers_cumulative, interacted, snap.buyers, buyers_reached(session, show_id)]
    steps, previous = [], None
    community = counts[0]
    for i, (label, count) in enumerate(zip(FUNNEL_LABELS, counts)):
        share = count / community if i and community else None
        steps.append(FunnelStep(label, count, count / previous if previous else None, share))
        previous = count
    return steps
