"""Live capture: comments, viewer counts and interactions arrive by themselves from a capture tool.

Public API (the rest of the package is private):
- `python -m services.capture --show ID --source {wxlivespy,oba,danmaku,douyinlive,jsonl}`: the process.
- `feed_status(session, show_id, now=None) -> FeedStatus`: the console's status line and banner.
- `feed_gaps(session, show_id, now=None) -> list[FeedGap]`, `gap_markers(session, show_id)`: for the review.
- `interactions(session, show_id) -> dict`: the night's interaction totals.
- `parse(source, raw, platform=None) -> Parsed`: the pure adapters; `SOURCES`, `Kind`, `FeedState`.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CaptureMinute
from services.capture.adapters import ADAPTERS, SOURCES
from services.capture.feed import (
    SOURCE_LABELS,
    STATE_LABELS,
    FeedGap,
    FeedState,
    FeedStatus,
    feed_gaps,
    feed_status,
    gap_markers,
)
from services.capture.model import Gap, Kind, Message, Parsed, Signal, Stats, Status
from services.capture.intake import CAPTURE_ACTOR, client_key

__all__ = [
    "CAPTURE_ACTOR", "SOURCES", "SOURCE_LABELS", "STATE_LABELS", "FeedGap", "FeedState", "FeedStatus", "Gap", "Kind",
    "Message", "Parsed", "Signal", "Stats", "Status", "client_key", "feed_gaps", "feed_status", "gap_markers",
    "interactions", "parse",
]

TALLIES = ("enters", "likes", "gifts", "follows", "orders", "interactors")


def parse(source: str, raw, platform: str | None = None) -> Parsed:
    """The adapter of `source` applied to one raw delivery (pure: no database)."""
    return ADAPTERS[source](raw, platform)


def interactions(session: Session, show_id: int) -> dict[str, int]:
    """Totals of the night: enters, likes, gifts, follows, orders and people who interacted."""
    row = session.execute(
        select(*(func.coalesce(func.sum(getattr(CaptureMinute, c)), 0) for c in TALLIES)).where(
            CaptureMinute.show_id == show_id
        )
    ).one()
    return dict(zip(TALLIES, (int(v) for v in row)))
