"""The night's timeline (复盘): entries, comments and questions per minute, and the
milestones to mark on it (start / end, releases, 成团, sell-outs, promises, question peaks,
capture feed gaps)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Deal, Promise, ShowMinute
from services import capture, shows


def minute_series(session: Session, show_id: int) -> list[dict[str, Any]]:
    """Per minute: entries, comments, questions (ShowMinute, written by the live services)."""
    q = (
        select(ShowMinute.minute, ShowMinute.entries, ShowMinute.comments, ShowMinute.questions)
        .where(ShowMinute.show_id == show_id)
        .order_by(ShowMinute.minute)
    )
    return [{"minute": m, "entries": e, "comments": c, "questions": qn} for m, e, c, qn in session.execute(q)]


def markers(session: Session, show_id: int, question_peaks: int = 3) -> list[dict[str, Any]]:
    """The night's milestones for the timeline: start/end, each deal's release, threshold,
    sell-out or failure, each promise, and the minutes with the most questions."""
    show = shows.get_show(session, show_id)
    out: list[dict[str, Any]] = []
    if show.actual_start:
        out.append({"at": show.actual_start, "kind": "start", "label": "开播", "short": "开播"})
    if show.actual_end:
        out.append({"at": show.actual_end, "kind": "end", "label": "下播", "short": "下播"})
    for d in session.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)):
        for at, kind, label in (
            (d.released_at, "release", "发布接龙"),
            (d.reached_at, "threshold", "成团"),
            (d.sold_out_at, "sold_out", "售罄"),
            (d.failed_at, "failed", "未成团"),
        ):
            if at is not None:
                out.append({"at": at, "kind": kind, "label": f"{label}·{short(d.product, 12)}",
                            "short": f"{label}·{short(d.product, 5)}"})
    for said_at, text, kind in session.execute(
        select(Promise.said_at, Promise.text, Promise.kind).where(Promise.show_id == show_id).order_by(Promise.said_at)
    ):
        out.append({"at": said_at, "kind": "promise", "label": f"承诺·{short(text, 16)}", "short": "承诺"})
    peaks = session.execute(
        select(ShowMinute.minute, ShowMinute.questions)
        .where(ShowMinute.show_id == show_id, ShowMinute.questions > 0)
        .order_by(ShowMinute.questions.desc(), ShowMinute.minute)
        .limit(question_peaks)
    ).all()
    for minute, n in peaks:
        out.append({"at": minute, "kind": "question_peak", "label": f"提问高峰·{n}条", "short": f"提问{n}"})
    out.extend(capture.gap_markers(session, show_id))  # a quiet stretch with no feed is not a cold room
    out.sort(key=lambda m: m["at"])
    return out


def short(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def fill_minutes(series: list[dict[str, Any]], max_minutes: int = 24 * 60) -> list[dict[str, Any]]:
    """The per-minute rows with the quiet minutes in between as zeros, so a line never
    bridges a gap as if something happened there."""
    if len(series) < 2:
        return series
    first, last = series[0]["minute"], series[-1]["minute"]
    span = int((last - first).total_seconds() // 60)
    if span > max_minutes:
        return series
    have = {r["minute"]: r for r in series}
    out = []
    for i in range(span + 1):
        m = first + timedelta(minutes=i)
        out.append(have.get(m) or {"minute": m, "entries": 0, "comments": 0, "questions": 0})
    return out
