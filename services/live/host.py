"""The host screen's view: the snapshot plus the focus deal's progress series."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Deal, DealMinute
from services import events
from services.authz import Actor, require
from services.errors import InvalidInput
from services.live.snapshots import Snapshot, snapshot
from services.shows import get_show


@dataclass(frozen=True)
class SeriesPoint:
    at: datetime
    units: int  # cumulative valid units
    entries: int  # cumulative valid entries


def deal_series(
    session: Session, deal_id: int, released_at: datetime | None, now: datetime, until: datetime | None = None
) -> list[SeriesPoint]:
    """Cumulative entries and units of a deal, minute by minute since its release (from DealMinute),
    up to now, or up to `until` (when the deal closed) if that came first."""
    if released_at is None:
        return []
    now = min(now, until) if until else now
    points = [SeriesPoint(released_at, 0, 0)]
    units = entries = 0
    for minute, e, u in session.execute(
        select(DealMinute.minute, DealMinute.entries, DealMinute.units)
        .where(DealMinute.deal_id == deal_id, DealMinute.minute <= now)
        .order_by(DealMinute.minute)
    ):
        units, entries = units + u, entries + e
        points.append(SeriesPoint(max(released_at, min(minute + timedelta(minutes=1), now)), units, entries))
    if points[-1].at < now:
        points.append(SeriesPoint(now, units, entries))
    return points


@dataclass(frozen=True)
class HostView:
    """What the host screen draws: the snapshot and the focus deal's progress series."""

    snapshot: Snapshot
    series: tuple[SeriesPoint, ...]


def host_view(session: Session, show_id: int, now: datetime | None = None) -> HostView:
    snap = snapshot(session, show_id, now=now)
    deal = snap.focus
    series = []
    if deal is not None:
        closed = None if deal.open else (deal.sold_out_at or deal.failed_at or deal.deadline)
        series = deal_series(session, deal.id, deal.released_at, snap.at, until=closed)
    return HostView(snap, tuple(series))


def set_host_deal(session: Session, actor: Actor, show_id: int, deal_id: int | None, *, at: datetime | None = None) -> None:
    """Put a deal on the host screen (None: follow the last released deal again). The host
    screen picks it up on its next refresh (the event bumps the show's version)."""
    require(actor, "hostlink.manage")
    show = get_show(session, show_id)
    if deal_id is not None:
        deal = session.get(Deal, deal_id)
        if deal is None or deal.show_id != show_id:
            raise InvalidInput("所选团品不属于本场直播。", field="副屏团品")
    if show.host_deal_id == deal_id:
        return
    show.host_deal_id = deal_id
    events.record(session, "host.deal_chosen", show_id, actor, at=at, deal_id=deal_id)


def host_deal_choice(session: Session, show_id: int) -> int | None:
    """The deal the assistant put on the host screen, or None (the last released deal)."""
    return get_show(session, show_id).host_deal_id
