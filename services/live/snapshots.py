"""实时数据: the live snapshot of a night, read in one go.

Everything the live pages show is read from tally columns and per-minute rows kept by the
writers (Show.viewers_*, Show.commenters, Show.buyers, Deal.units_valid, DealMinute, …),
so a snapshot costs a handful of indexed lookups however big the night grows: it never
scans comment or chain_entry. 下单人数 is Show.buyers, which leaves out a name whose only orders
were in a deal that failed (未成团, refunded), as the review does (services.jielong.buyers).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, bindparam, case, func, select
from sqlalchemy.orm import Session

from db.models import Community, Deal, DealMinute, Promise, Show
from services import clock, jielong, triage
from services.errors import NotFound

RATE_WINDOW_MIN = 5  # the rate is taken over the last 5 minutes
MIN_SPAN_MIN = 1.0  # never divide by less than a minute (5 entries in 10 s is not 30/min)
# A pace needs arrivals in at least two different minutes: one paste or one 快团团 import lands
# all its rows in one minute, and a burst says nothing of how fast people keep coming.
MIN_ACTIVE_MINUTES = 2
Z = 1.645  # projection range: about 90 % under a Poisson model of arrivals


@dataclass(frozen=True)
class Projection:
    """Minutes until something happens at the current pace, with a range.

    `high` is None when the pace is too thin to bound the wait from above.
    """

    minutes: float
    low: float
    high: float | None


@dataclass(frozen=True)
class DealSnapshot:
    id: int
    product: str
    status: str  # draft / released / reached / sold_out / failed
    threshold: int
    threshold_unit: str  # ThresholdUnit code: units (份) or people (人)
    stock: int | None
    units: int
    entries: int
    buyers: int
    units_waitlisted: int
    entries_waitlisted: int
    released_at: datetime | None
    reached_at: datetime | None
    sold_out_at: datetime | None
    failed_at: datetime | None
    deadline: datetime | None
    minutes_since_release: float | None
    units_per_min: float  # over the last RATE_WINDOW_MIN minutes
    entries_per_min: float
    to_threshold: Projection | None
    to_sellout: Projection | None
    minutes_to_deadline: float | None  # negative once passed
    window_from_release: bool = False  # the rate's window starts at the release (holds its minute)
    units_flagged: int = 0  # 待核实 units among `units` (超出限购 / 规格限量, gone from the latest chain)

    @property
    def progress(self) -> int:
        """What counts towards the threshold (services.jielong's one rule)."""
        return jielong.progress(self.threshold_unit, self.units, self.buyers)

    @property
    def remaining(self) -> int:
        """还差 K to 成团."""
        return max(0, self.threshold - self.progress)

    @property
    def reached(self) -> bool:
        return self.reached_at is not None or (self.status != jielong.DealStatus.DRAFT and self.remaining == 0)

    @property
    def stock_left(self) -> int | None:
        """剩余 X 份; None when the stock is unlimited (services.jielong's one rule)."""
        return jielong.stock_left(self.stock, self.units)

    @property
    def stock_left_words(self) -> tuple[str, str]:
        """(剩余's value, its note: 另 3 份待核实), as the console shows it (jielong.stock_left_words)."""
        return jielong.stock_left_words(self.stock, self.units, self.units_flagged)

    @property
    def rate_label(self) -> str:
        """What the rate is taken over: the last 5 minutes, or since the release when that is sooner
        (6 份 one minute after the release read 6.0 份/分, not 1.2). The window is whole minutes, so
        4 min 20 s after a release at :41 it no longer holds the release minute: that is 近5分钟
        (night 17: 8 份 in the release minute read 「发布以来 0.0 份/分」)."""
        return "发布以来" if self.window_from_release else f"近{RATE_WINDOW_MIN}分钟"

    @property
    def released(self) -> bool:
        return self.released_at is not None

    @property
    def open(self) -> bool:
        """Released and still taking entries."""
        return (
            self.status in jielong.OPEN_STATUSES
            and self.released_at is not None
            and self.stock_left != 0
            and (self.minutes_to_deadline is None or self.minutes_to_deadline > 0)
        )


@dataclass(frozen=True)
class QuestionRow:
    id: int
    category: str
    text: str
    askers: int
    comments: int


@dataclass(frozen=True)
class PromiseRow:
    id: int
    text: str
    kind: str
    said_at: datetime
    deal_id: int | None = None  # None: a promise for the whole show
    product: str = ""  # its deal's product

    def line(self, shown_deal_id: int | None) -> str:
        """The host screen's 刚才承诺 line: the last promise said, whichever deal it was for (it
        is what the host just said and may be asked about), naming its deal when that is not
        the deal on the screen, so 「后天下午到」 of 草莓 never reads as 脐橙's."""
        other = self.deal_id is not None and self.deal_id != shown_deal_id
        return f"{self.said_at:%H:%M}  " + (f"【{self.product}】" if other else "") + self.text


@dataclass(frozen=True)
class Snapshot:
    show_id: int
    title: str
    status: str
    host_name: str
    at: datetime  # the moment the numbers describe
    version: int
    scheduled_end: datetime
    minutes_to_end: float
    community_size: int
    viewers_online: int
    viewers_peak: int
    viewers_cumulative: int
    commenters: int
    comments_total: int
    buyers: int
    deals: tuple[DealSnapshot, ...]
    questions: tuple[QuestionRow, ...]  # the top to-host groups
    promises: tuple[PromiseRow, ...]  # the last promises said, newest first
    host_deal_id: int | None = None  # the deal the assistant put on the host screen, if any

    @property
    def focus(self) -> DealSnapshot | None:
        """The deal the host is selling now: the one the assistant chose for the host screen, else
        the open deal released last, else the last released."""
        chosen = self.deal(self.host_deal_id) if self.host_deal_id is not None else None
        if chosen is not None:
            return chosen
        released = [d for d in self.deals if d.released_at is not None]
        if not released:
            return None
        live = [d for d in released if d.open]
        return max(live or released, key=lambda d: (d.released_at, d.id))

    def deal(self, deal_id: int) -> DealSnapshot | None:
        return next((d for d in self.deals if d.id == deal_id), None)

    @property
    def also_open(self) -> tuple[DealSnapshot, ...]:
        """The other deals still taking entries besides the focus one, released first first: the
        host selling 家庭箱 still sees 土鸡蛋 filling (the team posts two chains at once)."""
        focus = self.focus
        others = [d for d in self.deals if d.open and (focus is None or d.id != focus.id)]
        return tuple(sorted(others, key=lambda d: (d.released_at, d.id)))

    def countdown(self, now: datetime | None = None) -> tuple[str, float | None]:
        """(label, minutes left) for the host's countdown: the focus deal's deadline, else the show's end."""
        now = now or clock.now()
        deal = self.focus
        if deal is not None and deal.deadline is not None and deal.status in jielong.OPEN_STATUSES:
            return "接龙截止", _minutes(deal.deadline - now)
        return "距下播", _minutes(self.scheduled_end - now)


# The statements of the refresh path are built once (building a select costs more than
# running it on these tiny indexed reads); values come in as bind parameters.
_RECENT = (
    select(
        DealMinute.deal_id,
        func.sum(DealMinute.entries).label("entries_recent"),
        func.sum(DealMinute.units).label("units_recent"),
        func.count(case((DealMinute.entries > 0, DealMinute.minute))).label("minutes_active"),
    )
    .join(Deal, Deal.id == DealMinute.deal_id)
    .where(
        Deal.show_id == bindparam("show_id"),
        DealMinute.minute >= bindparam("window_start", type_=DateTime),
        DealMinute.minute <= bindparam("now", type_=DateTime),
    )
    .group_by(DealMinute.deal_id)
    .subquery()
)
# The show's tallies and one row per deal (with its last minutes) in a single statement.
_SNAPSHOT_Q = (
    select(
        Show.title, Show.status.label("show_status"), Show.host_name, Show.version, Show.scheduled_end, Show.host_deal_id,
        Show.viewers_online, Show.viewers_peak, Show.viewers_cumulative,
        Show.commenters, Show.comments_total, Show.buyers, Community.member_count,
        Deal.id, Deal.product, Deal.status, Deal.threshold, Deal.threshold_unit, Deal.stock,
        Deal.units_valid, Deal.entries_valid, Deal.buyers_valid, Deal.units_waitlisted, Deal.entries_waitlisted,
        Deal.units_flagged, Deal.released_at, Deal.reached_at, Deal.sold_out_at, Deal.failed_at, Deal.deadline,
        _RECENT.c.entries_recent, _RECENT.c.units_recent, _RECENT.c.minutes_active,
    )
    .select_from(Show)
    .join(Community, Community.id == Show.community_id)
    .outerjoin(Deal, Deal.show_id == Show.id)
    .outerjoin(_RECENT, _RECENT.c.deal_id == Deal.id)
    .where(Show.id == bindparam("show_id"))
    .order_by(Deal.id)
)
_PROMISES_Q = (
    select(Promise.id, Promise.text, Promise.kind, Promise.said_at, Promise.deal_id, Deal.product)
    .outerjoin(Deal, Deal.id == Promise.deal_id)
    .where(Promise.show_id == bindparam("show_id"))
    .order_by(Promise.said_at.desc(), Promise.id.desc())
    .limit(bindparam("n", type_=Integer))
)


def snapshot(session: Session, show_id: int, now: datetime | None = None, questions: int = 3, promises: int = 3) -> Snapshot:
    """The live numbers of a show in one go, from tallies (three indexed reads)."""
    now = now or clock.now()
    window_start = clock.minute(now) - timedelta(minutes=RATE_WINDOW_MIN - 1)
    rows = session.connection().execute(
        _SNAPSHOT_Q, {"show_id": show_id, "window_start": window_start, "now": now}
    ).all()
    if not rows:
        raise NotFound(f"找不到编号为 {show_id} 的场次，请从左侧重新选择。")
    row = rows[0]
    return Snapshot(
        show_id=show_id,
        title=row.title,
        status=row.show_status,
        host_name=row.host_name,
        at=now,
        version=row.version,
        scheduled_end=row.scheduled_end,
        minutes_to_end=_minutes(row.scheduled_end - now),
        community_size=row.member_count,
        viewers_online=row.viewers_online,
        viewers_peak=row.viewers_peak,
        viewers_cumulative=row.viewers_cumulative,
        commenters=row.commenters,
        comments_total=row.comments_total,
        buyers=row.buyers,
        deals=tuple(_deal(r, window_start, now) for r in rows if r.id is not None),
        questions=tuple(top_questions(session, show_id, questions)),
        promises=tuple(recent_promises(session, show_id, promises)),
        host_deal_id=row.host_deal_id,
    )


def _deal(r, window_start: datetime, now: datetime) -> DealSnapshot:
    entries_recent, units_recent = int(r.entries_recent or 0), int(r.units_recent or 0)
    since = None
    span = MIN_SPAN_MIN
    if r.released_at is not None and r.released_at <= now:
        since = _minutes(now - r.released_at)
        span = max(MIN_SPAN_MIN, _minutes(now - max(window_start, r.released_at)))
    to_deadline = _minutes(r.deadline - now) if r.deadline else None
    remaining = max(0, r.threshold - jielong.progress(r.threshold_unit, r.units_valid, r.buyers_valid))
    stock_left = jielong.stock_left(r.stock, r.units_valid)
    is_open = (
        r.status in jielong.OPEN_STATUSES and since is not None and stock_left != 0 and (to_deadline is None or to_deadline > 0)
    )
    reached = r.reached_at is not None or remaining == 0
    to_threshold = to_sellout = None
    if is_open and int(r.minutes_active or 0) >= MIN_ACTIVE_MINUTES:
        # People (人) arrive about as fast as entries; units (份) as fast as units.
        count = jielong.progress(r.threshold_unit, units_recent, entries_recent)
        to_threshold = None if reached else project(remaining, count, span)
        to_sellout = None if stock_left is None else project(stock_left, units_recent, span)
    return DealSnapshot(
        id=r.id, product=r.product, status=r.status, threshold=r.threshold, threshold_unit=r.threshold_unit,
        stock=r.stock, units=r.units_valid, entries=r.entries_valid, buyers=r.buyers_valid,
        units_waitlisted=r.units_waitlisted, entries_waitlisted=r.entries_waitlisted,
        released_at=r.released_at, reached_at=r.reached_at, sold_out_at=r.sold_out_at, failed_at=r.failed_at,
        deadline=r.deadline, minutes_since_release=since,
        window_from_release=since is not None and clock.minute(r.released_at) >= window_start,
        units_per_min=units_recent / span if since is not None else 0.0,
        entries_per_min=entries_recent / span if since is not None else 0.0,
        to_threshold=to_threshold, to_sellout=to_sellout, minutes_to_deadline=to_deadline,
        units_flagged=int(r.units_flagged or 0),
    )


def project(remaining: int, count: int, span_min: float) -> Projection | None:
    """Minutes to cover `remaining` at the pace of `count` arrivals in `span_min` minutes.

    The range treats arrivals as Poisson: the pace is count ± Z·√count per span.
    """
    if remaining <= 0:
        return Projection(0.0, 0.0, 0.0)
    if count <= 0 or span_min <= 0:
        return None
    spread = Z * math.sqrt(count)
    fast = (count + spread) / span_min
    slow = (count - spread) / span_min
    return Projection(
        minutes=remaining * span_min / count,
        low=remaining / fast,
        high=remaining / slow if slow > 0 else None,
    )


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


def top_questions(session: Session, show_id: int, n: int = 3) -> list[QuestionRow]:
    """The question groups passed to the host, ranked as the console queue ranks them."""
    return [_question_row(g) for g in triage.top_to_host(session, show_id, n=n)]


def _question_row(g) -> QuestionRow:
    return QuestionRow(g.id, g.category, g.text, g.askers, g.comments)


def recent_promises(session: Session, show_id: int, n: int = 3) -> list[PromiseRow]:
    """The last promises said on air, newest first: the words only, one indexed read.

    services.promises.recent returns the same promises with their fulfilment progress, which
    aggregates every fulfilment item; the live screens need only the words, on every refresh.
    """
    rows = session.connection().execute(_PROMISES_Q, {"show_id": show_id, "n": n})
    return [PromiseRow(r.id, r.text, r.kind, r.said_at, r.deal_id, r.product or "") for r in rows]
