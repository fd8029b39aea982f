"""Viewer counts (观看数据): one sample typed as '186 270', a CSV file, and the night's series."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.models import Show, ViewerSample
from services import clock, events, locking
from services.authz import Actor, require
from services.errors import InvalidInput, check_paste_size
from services.sql import minute_bucket
from services.uploads import decode

MAX_VIEWERS = 10_000_000


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


# A number as the platform shows it: 186, 1.2万 / 1.2w (its way of writing 12000), with a minus
# sign only where no digit stands before it (186-270 is two numbers, -5 is a negative one).
_RE_COUNT = re.compile(r"(?<![\d.])(-?)(\d+(?:\.\d+)?)\s*([万wW]?)")


def parse_viewers(text: str) -> tuple[int, int]:
    """'186 270' (or 186/270, 186，270, full-width digits, 1.2万 as the platform writes 12000)
    → (online, cumulative). A negative or a fraction without 万 is refused, never read as a count."""
    numbers = _RE_COUNT.findall(_halfwidth(text or ""))
    if len(numbers) != 2:
        raise InvalidInput("请输入两个数字：在线人数 和 累计观看，例如「186 270」。", field="观看数据")
    return _check_counts(*(_count(*n) for n in numbers))


def _count(sign: str, digits: str, wan: str) -> int:
    value = Decimal(digits) * (10_000 if wan else 1)
    if sign or value != value.to_integral_value():
        raise InvalidInput(f"「{sign}{digits}{wan}」不是人数：请输入 0 或正整数（如 186，或平台显示的 1.2万）。",
                           field="观看数据")
    return int(value)


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
    text = decode(data, "观看数据文件", "文件编码无法识别，请另存为 UTF-8 的 CSV。")
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
    """The show, locked: one writer of a show's viewer tallies at a time."""
    return locking.lock(session, Show, show_id, missing=f"找不到编号为 {show_id} 的场次，请从左侧重新选择。")


def _check_counts(online, cumulative) -> tuple[int, int]:
    for value, name in ((online, "在线人数"), (cumulative, "累计观看")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VIEWERS:
            raise InvalidInput(f"{name}须为 0 到 {MAX_VIEWERS} 之间的整数。", field=name)
    if cumulative < online:
        raise InvalidInput(f"累计观看（{cumulative}）不能少于在线人数（{online}），请检查是否输反或输错。", field="累计观看")
    return online, cumulative


def _halfwidth(text: str) -> str:
    return text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})


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


def viewer_series(session: Session, show_id: int) -> list[tuple[datetime, int, int]]:
    """(minute, online, cumulative) per minute of the night: the highest sample of each minute,
    aggregated in SQL (a long night holds thousands of samples)."""
    bucket = minute_bucket(session, ViewerSample.at)
    rows = session.execute(
        select(bucket.label("minute"), func.max(ViewerSample.online), func.max(ViewerSample.cumulative))
        .where(ViewerSample.show_id == show_id)
        .group_by(bucket)
        .order_by(bucket)
    ).all()
    return [(m if isinstance(m, datetime) else datetime.fromisoformat(m), online, cumulative) for m, online, cumulative in rows]
