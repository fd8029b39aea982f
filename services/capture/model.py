"""What the adapters hand the capture process: normalised messages, viewer counts, source signals.

Codes are English (StrEnum); their Chinese labels live in feed.py's one mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    """A viewer's action in the room."""

    COMMENT = "comment"
    ENTER = "enter"
    LIKE = "like"
    GIFT = "gift"
    FOLLOW = "follow"
    ORDER = "order"


# Kinds that make a viewer count as having interacted (the funnel's 互动 stage); entering is watching.
INTERACTIONS = frozenset({Kind.COMMENT, Kind.LIKE, Kind.GIFT, Kind.FOLLOW, Kind.ORDER})


class Signal(StrEnum):
    """What a source says about itself or the room (not about one viewer)."""

    LIVE = "live"  # room on air / the tool recovered
    OFFLINE = "offline"  # room not on air or ended
    NEEDS_LOGIN = "needs_login"  # the tool lost its login (QR code scan needed)
    ERROR = "error"  # the tool reports a failure it keeps retrying
    ALIVE = "alive"  # the tool's own heartbeat


@dataclass(frozen=True)
class Message:
    """One viewer action, with the platform's own ids (the dedupe key is platform + msg_id)."""

    kind: Kind
    platform: str
    msg_id: str
    user_id: str = ""
    nickname: str = ""
    at: datetime | None = None  # the source's time; None = when received
    text: str = ""
    item: str = ""  # gift name / product title / follow action
    quantity: int = 1
    amount: Decimal | None = None
    status: str = ""


@dataclass(frozen=True)
class Stats:
    """Room numbers: online now, cumulative viewers, total likes (any may be unknown)."""

    online: int | None = None
    cumulative: int | None = None
    likes: int | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Status:
    """A signal from the source, with its words for the operator."""

    signal: Signal
    detail: str = ""


@dataclass(frozen=True)
class Gap:
    """The tool itself reports a window it could not deliver."""

    start: datetime
    end: datetime
    reason: str = "gap"


Item = Message | Stats | Status | Gap


@dataclass
class Parsed:
    """An adapter's answer for one raw delivery (an HTTP body, a WebSocket frame, a line)."""

    items: list[Item] = field(default_factory=list)
    malformed: int = 0  # not JSON, or not the tool's shape
    unknown: int = 0  # well-formed, but a type this product does not know
