"""实时数据: the live snapshot of a night, the funnel, and the viewer counts.

Everything the live pages show is read from tally columns and per-minute rows kept by the
writers (Show.viewers_*, Show.commenters, Show.buyers, Deal.units_valid, DealMinute, …),
so a snapshot costs a handful of indexed lookups however big the night grows: it never
scans chain_entry or comment.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, bindparam, func, insert, select
from sqlalchemy.orm import Session, lazyload

from db.models import CaptureMinute, Community, Deal, DealBuyer, DealMinute, Promise, Show, ViewerSample
from services import clock, events, triage
from services.authz import Actor, require
from services.errors import InvalidInput, NotFound, check_paste_size

RATE_WINDOW_MIN = 5  # the rate is taken over the last 5 minutes
MIN_SPAN_MIN = 1.0  # never divide by less than a minute (5 entries in 10 s is not 30/min)
Z = 1.645  # projection range: about 90 % under a Poisson model of arrivals
MAX_VIEWERS = 10_000_000
FUNNEL_LABELS = ("社群成员", "观看", "互动", "接龙", "成团")
OPEN_STATUSES = ("released", "reached")


# ---------------------------------------------------------------------------- snapshot


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
    threshold_unit: str  # 份 or 人
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

    @property
    def progress(self) -> int:
        """What counts towards the threshold: units (份) or people (人)."""
        return self.buyers if self.threshold_unit == "人" else self.units

    @property
    def remaining(self) -> int:
        """还差 K to 成团."""
        return max(0, self.threshold - self.progress)

    @property
    def reached(self) -> bool:
        return self.reached_at is not None or (self.status != "draft" and self.remaining == 0)

    @property
    def stock_left(self) -> int | None:
        """剩余 X 份; None when the stock is unlimited."""
        return None if self.stock is None else max(0, self.stock - self.units)

    @property
    def released(self) -> bool:
        return self.released_at is not None

    @property
    def open(self) -> bool:
        """Released and still taking entries."""
        return (
            self.status in OPEN_STATUSES
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

    @property
    def focus(self) -> DealSnapshot | None:
        """The deal the host is selling now: the open deal released last, else the last released."""
        released = [d for d in self.deals if d.released_at is not None]
        if not released:
            return None
        live = [d for d in released if d.open]
        return max(live or released, key=lambda d: (d.released_at, d.id))

    def deal(self, deal_id: int) -> DealSnapshot | None:
        return next((d for d in self.deals if d.id == deal_id), None)

    def countdown(self, now: datetime | None = None) -> tuple[str, float | None]:
        """(label, minutes left) for the host's countdown: the focus deal's deadline, else the show's end."""
        now = now or clock.now()
        deal = self.focus
        if deal is not None and deal.deadline is not None and deal.status in OPEN_STATUSES:
            return "接龙截止", _minutes(deal.deadline - now)
        return "距下播", _minutes(self.scheduled_end - now)


# The statements of the refresh path are built once (building a select costs more than
# running it on these tiny indexed reads); values come in as bind parameters.
_RECENT = (
    select(
        DealMinute.deal_id,
        func.sum(DealMinute.entries).label("entries_recent"),
        func.sum(DealMinute.units).label("units_recent"),
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
        Show.title, Show.status.label("show_status"), Show.host_name, Show.version, Show.scheduled_end,
        Show.viewers_online, Show.viewers_peak, Show.viewers_cumulative,
        Show.commenters, Show.comments_total, Show.buyers, Community.member_count,
        Deal.id, Deal.product, Deal.status, Deal.threshold, Deal.threshold_unit, Deal.stock,
        Deal.units_valid, Deal.entries_valid, Deal.buyers_valid, Deal.units_waitlisted, Deal.entries_waitlisted,
        Deal.released_at, Deal.reached_at, Deal.sold_out_at, Deal.failed_at, Deal.deadline,
        _RECENT.c.entries_recent, _RECENT.c.units_recent,
    )
    .select_from(Show)
    .join(Community, Community.id == Show.community_id)
    .outerjoin(Deal, Deal.show_id == Show.id)
    .outerjoin(_RECENT, _RECENT.c.deal_id == Deal.id)
    .where(Show.id == bindparam("show_id"))
    .order_by(Deal.id)
)
_PROMISES_Q = (
    select(Promise.id, Promise.text, Promise.kind, Promise.said_at)
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
    )


def _deal(r, window_start: datetime, now: datetime) -> DealSnapshot:
    entries_recent, units_recent = int(r.entries_recent or 0), int(r.units_recent or 0)
    since = None
    span = MIN_SPAN_MIN
    if r.released_at is not None and r.released_at <= now:
        since = _minutes(now - r.released_at)
        span = max(MIN_SPAN_MIN, _minutes(now - max(window_start, r.released_at)))
    to_deadline = _minutes(r.deadline - now) if r.deadline else None
    progress = r.buyers_valid if r.threshold_unit == "人" else r.units_valid
    remaining = max(0, r.threshold - progress)
    stock_left = None if r.stock is None else max(0, r.stock - r.units_valid)
    is_open = (
        r.status in OPEN_STATUSES and since is not None and stock_left != 0 and (to_deadline is None or to_deadline > 0)
    )
    reached = r.reached_at is not None or remaining == 0
    to_threshold = to_sellout = None
    if is_open:
        # People (人) arrive about as fast as entries; units (份) as fast as units.
        count = entries_recent if r.threshold_unit == "人" else units_recent
        to_threshold = None if reached else project(remaining, count, span)
        to_sellout = None if stock_left is None else project(stock_left, units_recent, span)
    return DealSnapshot(
        id=r.id, product=r.product, status=r.status, threshold=r.threshold, threshold_unit=r.threshold_unit,
        stock=r.stock, units=r.units_valid, entries=r.entries_valid, buyers=r.buyers_valid,
        units_waitlisted=r.units_waitlisted, entries_waitlisted=r.entries_waitlisted,
        released_at=r.released_at, reached_at=r.reached_at, sold_out_at=r.sold_out_at, failed_at=r.failed_at,
        deadline=r.deadline, minutes_since_release=since,
        units_per_min=units_recent / span if since is not None else 0.0,
        entries_per_min=entries_recent / span if since is not None else 0.0,
        to_threshold=to_threshold, to_sellout=to_sellout, minutes_to_deadline=to_deadline,
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
    return [PromiseRow(r.id, r.text, r.kind, r.said_at) for r in rows]


# ---------------------------------------------------------------------------- series


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


def viewer_series(session: Session, show_id: int) -> list[tuple[datetime, int, int]]:
    """(minute, online, cumulative) per minute of the night: the highest sample of each minute,
    aggregated in SQL (a long night holds thousands of samples)."""
    if session.get_bind().dialect.name == "postgresql":
        bucket = func.date_trunc("minute", ViewerSample.at)
    else:
        bucket = func.strftime("%Y-%m-%d %H:%M:00", ViewerSample.at)
    rows = session.execute(
        select(bucket.label("minute"), func.max(ViewerSample.online), func.max(ViewerSample.cumulative))
        .where(ViewerSample.show_id == show_id)
        .group_by(bucket)
        .order_by(bucket)
    ).all()
    return [(m if isinstance(m, datetime) else datetime.fromisoformat(m), online, cumulative) for m, online, cumulative in rows]


# ---------------------------------------------------------------------------- funnel


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int
    rate: float | None  # share of the previous step; None for the first or after a zero


def buyers_reached(session: Session, show_id: int) -> int:
    """Distinct buyers with a valid entry in a deal that reached its threshold (成团)."""
    deals = session.execute(
        select(Deal.id, Deal.buyers_valid, Deal.reached_at, Deal.failed_at).where(Deal.show_id == show_id)
    ).all()
    reached = [d for d in deals if d.reached_at is not None and d.failed_at is None]
    if not reached:
        return 0
    if len(reached) == 1:
        return reached[0].buyers_valid
    reached_ids = {d.id for d in reached}
    if all(d.id in reached_ids for d in deals if d.buyers_valid > 0):  # every buyer is in a reached deal
        return session.scalar(select(Show.buyers).where(Show.id == show_id)) or 0
    return session.scalar(
        select(func.count(func.distinct(DealBuyer.name))).where(
            DealBuyer.deal_id.in_(reached_ids), DealBuyer.valid_entries > 0
        )
    ) or 0


def funnel(session: Session, show_id: int, snap: Snapshot | None = None) -> list[FunnelStep]:
    """社群成员 → 观看 → 互动 → 接龙 → 成团, in people, with the share kept at each step."""
    snap = snap or snapshot(session, show_id)
    interacted = max(snap.commenters, captured_interactors(session, show_id))
    counts = [snap.community_size, snap.viewers_cumulative, interacted, snap.buyers, buyers_reached(session, show_id)]
    steps, previous = [], None
    for label, count in zip(FUNNEL_LABELS, counts):
        steps.append(FunnelStep(label, count, count / previous if previous else None))
        previous = count
    return steps


def captured_interactors(session: Session, show_id: int) -> int:
    """People a capture tool saw comment, like, gift, follow or order (services/capture keeps the tally).
    The 互动 step takes the larger of this and the commenters: pasted comments carry no user id."""
    return session.scalar(
        select(func.coalesce(func.sum(CaptureMinute.interactors), 0)).where(CaptureMinute.show_id == show_id)
    ) or 0


# ---------------------------------------------------------------------------- viewer counts


def record_viewers(
    session: Session, actor: Actor, show_id: int, online: int, cumulative: int, at: datetime | None = None
) -> ViewerSample:
    """Store one viewer sample (在线 / 累计观看) and move Show.viewers_* with it."""
    require(actor, "viewers.write")
    at = at or clock.now()
    online, cumulative = _check_counts(online, cumulative)
    show = _lock_show(session, show_id)
    last_at = session.scalar(select(func.max(ViewerSample.at)).where(ViewerSample.show_id == show_id))
    sample = ViewerSample(show_id=show_id, at=at, online=online, cumulative=cumulative)
    session.add(sample)
    if last_at is None or at >= last_at:  # a late, older sample does not move "now"
        show.viewers_online, show.viewers_cumulative = online, cumulative
    show.viewers_peak = max(show.viewers_peak or 0, online)
    session.flush()
    events.record(session, "viewers.recorded", show_id, actor, at=at, online=online, cumulative=cumulative)
    return sample


def parse_viewers(text: str) -> tuple[int, int]:
    """'186 270' (or 186/270, 186，270, full-width digits) → (online, cumulative)."""
    numbers = re.findall(r"\d+", _halfwidth(text or ""))
    if len(numbers) != 2:
        raise InvalidInput("请输入两个数字：在线人数 和 累计观看，例如「186 270」。", field="观看数据")
    return _check_counts(int(numbers[0]), int(numbers[1]))


def record_viewers_text(session: Session, actor: Actor, show_id: int, text: str, at: datetime | None = None) -> ViewerSample:
    """The console's two-number entry: parse '186 270', then record it."""
    online, cumulative = parse_viewers(text)
    return record_viewers(session, actor, show_id, online, cumulative, at=at)


_TIME_HEADERS = ("时间", "at", "time")
_ONLINE_HEADERS = ("在线", "在线人数", "online")
_CUMULATIVE_HEADERS = ("累计", "累计观看", "cumulative", "total")


def import_viewers(session: Session, actor: Actor, show_id: int, data: bytes, filename: str = "viewers.csv") -> int:
    """Import viewer samples from a CSV (时间,在线,累计观看); one event for the whole file.

    Times are 'HH:MM[:SS]' on the show's day or full 'YYYY-MM-DD HH:MM[:SS]'.
    """
    require(actor, "viewers.write")
    text = _decode(data)
    check_paste_size(text, "观看数据文件")
    show = _lock_show(session, show_id)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InvalidInput(f"文件「{filename}」是空的。", field="观看数据文件")
    header = [h.strip().lower() for h in rows[0]]
    cols = [_column(header, names) for names in (_TIME_HEADERS, _ONLINE_HEADERS, _CUMULATIVE_HEADERS)]
    if None in cols:
        raise InvalidInput("CSV 第一行须为表头：时间,在线,累计观看。", field="观看数据文件")
    samples = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        try:
            at = _parse_time(row[cols[0]], show.scheduled_start)
            online, cumulative = _check_counts(int(_halfwidth(row[cols[1]]).strip()), int(_halfwidth(row[cols[2]]).strip()))
        except (IndexError, ValueError, InvalidInput) as exc:
            detail = str(exc) if isinstance(exc, InvalidInput) else "时间或数字无法识别"
            raise InvalidInput(f"第 {n} 行：{detail}。", field="观看数据文件") from exc
        samples.append({"show_id": show_id, "at": at, "online": online, "cumulative": cumulative})
    if not samples:
        raise InvalidInput(f"文件「{filename}」没有数据行。", field="观看数据文件")
    last_at = session.scalar(select(func.max(ViewerSample.at)).where(ViewerSample.show_id == show_id))
    session.execute(insert(ViewerSample), samples)
    latest = max(samples, key=lambda s: s["at"])
    if last_at is None or latest["at"] >= last_at:
        show.viewers_online, show.viewers_cumulative = latest["online"], latest["cumulative"]
    show.viewers_peak = max(show.viewers_peak or 0, max(s["online"] for s in samples))
    events.record(session, "viewers.imported", show_id, actor, rows=len(samples), filename=filename)
    return len(samples)


def _lock_show(session: Session, show_id: int) -> Show:
    show = session.scalar(
        select(Show).options(lazyload(Show.community)).where(Show.id == show_id).with_for_update()
    )  # one writer of a show's viewer tallies at a time
    if show is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次，请从左侧重新选择。")
    return show


def _check_counts(online, cumulative) -> tuple[int, int]:
    for value, name in ((online, "在线人数"), (cumulative, "累计观看")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VIEWERS:
            raise InvalidInput(f"{name}须为 0 到 {MAX_VIEWERS} 之间的整数。", field=name)
    if cumulative < online:
        raise InvalidInput(f"累计观看（{cumulative}）不能少于在线人数（{online}），请检查是否输反或输错。", field="累计观看")
    return online, cumulative


def _halfwidth(text: str) -> str:
    return text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("文件编码无法识别，请另存为 UTF-8 的 CSV。", field="观看数据文件")


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if h in names), None)


def _parse_time(raw: str, day: datetime) -> datetime:
    raw = _halfwidth(raw).strip().replace("/", "-").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            pass
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            t = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return day.replace(hour=t.hour, minute=t.minute, second=t.second, microsecond=0)
    raise ValueError(raw)


# ---------------------------------------------------------------------------- wording


def eta_text(p: Projection | None) -> str:
    """'约 4 分钟（3–6）' for a projection; '—' when there is no pace yet."""
    if p is None:
        return "—"
    if p.minutes <= 0:
        return "已达成"
    high = "以上" if p.high is None else f"–{_round(p.high)}"
    return f"约 {_round(p.minutes)} 分钟（{_round(p.low)}{high}）"


def countdown_text(minutes: float | None) -> str:
    """'12:05' (mm:ss), '1:02:05' over an hour, '已截止' once passed."""
    if minutes is None:
        return "—"
    seconds = int(minutes * 60)
    if seconds <= 0:
        return "已截止"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def rate_text(per_min: float, unit: str = "份") -> str:
    return f"{per_min:.1f} {unit}/分"


def _round(minutes: float) -> int:
    return max(1, math.ceil(minutes)) if minutes > 0 else 0
