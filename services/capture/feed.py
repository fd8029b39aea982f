"""Feed health: the capture process's heartbeat, the console's status line and banner, and the gaps.

The process writes one CaptureFeed row per show every second or so (`beat`); the console reads it
(`feed_status`) and the review marks the stretches the feed was not delivering (`feed_gaps`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import CaptureFeed, CaptureGap
from services import clock, config, shows

HEARTBEAT_STALE_S = 4  # no heartbeat for longer: the process is gone (it beats every second)
GAP_MARK_MIN_S = 5  # shorter interruptions are not marked on the review timeline


class FeedState(StrEnum):
    NONE = "none"  # no capture process ever ran for the show (paste and import are the intake)
    OK = "ok"
    SILENT = "silent"  # connected, but nothing came for CAPTURE_SILENCE_S while the show is live
    GAP = "gap"  # the tool reported a stretch it could not deliver
    DISCONNECTED = "disconnected"  # the tool is not reachable; the process keeps reconnecting
    NEEDS_LOGIN = "needs_login"
    OFFLINE = "offline"  # the tool says the room is not on air
    ERROR = "error"  # the tool reports a failure it keeps retrying
    DOWN = "down"  # the process stopped beating (killed, crashed, machine off)
    STOPPED = "stopped"  # the process was stopped on purpose


STATE_LABELS = {
    FeedState.NONE: "未接入采集", FeedState.OK: "已连接", FeedState.SILENT: "无消息", FeedState.GAP: "有缺口",
    FeedState.DISCONNECTED: "未连接", FeedState.NEEDS_LOGIN: "需要登录", FeedState.OFFLINE: "直播间未开播",
    FeedState.ERROR: "采集工具报错", FeedState.DOWN: "采集已中断", FeedState.STOPPED: "采集已停止",
}
SOURCE_LABELS = {"wxlivespy": "wxlivespy", "oba": "oba-live-tool", "danmaku": "DanmakuListener",
                 "douyinlive": "douyinLive", "jsonl": "JSONL 管道"}
# States the process writes that mean nothing is being captured: each such stretch is a gap.
GAP_STATES = frozenset({FeedState.DISCONNECTED, FeedState.NEEDS_LOGIN, FeedState.ERROR})
GAP_REASON_LABELS = {"disconnected": "未连接", "needs_login": "需要登录", "error": "采集工具报错",
                     "down": "采集程序中断", "stopped": "采集已停止", "network": "网络断连", "protocol": "解析失败",
                     "risk_control": "平台风控", "backpressure": "来不及处理", "crash_recovery": "采集工具重启"}


@dataclass(frozen=True)
class FeedStatus:
    state: FeedState
    label: str
    source: str
    per_minute: int
    since_last_s: int | None  # seconds since the last message; None before the first
    last_error: str
    banner: str | None  # the console's warning, None when all is well (or nothing to say)
    line: str  # the compact status line: 已连接 · 每分钟 N 条 · 最后一条 3 秒前
    stored: int = 0
    duplicates: int = 0
    malformed: int = 0
    unknown: int = 0


@dataclass
class Beat:
    """What the process knows right now (written as the heartbeat)."""

    connected: bool | None  # None: the first attempt to reach the tool has not finished yet
    state: FeedState
    per_minute: int = 0
    last_message_at: datetime | None = None
    last_error: str = ""
    received: int = 0
    malformed: int = 0
    unknown: int = 0
    db_retries: int = 0
    lost: int = 0


@dataclass(frozen=True)
class FeedGap:
    start: datetime
    end: datetime
    reason: str
    label: str

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


def silence_s() -> float:
    return config.get_float("CAPTURE_SILENCE_S")


# --- the process side ---------------------------------------------------------------------------


def start(session: Session, show_id: int, source: str, now: datetime | None = None) -> None:
    """A capture process starts for the show: close what the last one left open, reset the row."""
    now = now or clock.now()
    shows.get_show(session, show_id)
    row = session.get(CaptureFeed, show_id, with_for_update=True)
    if row is None:
        session.add(CaptureFeed(show_id=show_id, source=source, connected=False, state=FeedState.OK.value,
                                per_minute=0, last_error="", started_at=now, updated_at=now))
        session.flush()
        return
    if row.stopped_at is None and (now - row.updated_at).total_seconds() > HEARTBEAT_STALE_S:
        session.add(CaptureGap(show_id=show_id, started_at=row.updated_at, ended_at=now, reason="down"))
    _close_gaps(session, show_id, now)
    # Not connected yet, but not a gap either: the first heartbeat says how the link is.
    row.source, row.connected, row.state, row.per_minute, row.last_error = source, False, FeedState.OK.value, 0, ""
    row.started_at, row.updated_at, row.stopped_at = now, now, None
    row.received = row.stored = row.duplicates = row.malformed = row.unknown = row.db_retries = row.lost = 0


def beat(session: Session, show_id: int, b: Beat, now: datetime | None = None) -> None:
    """Write the heartbeat; open a gap when the feed stops delivering, close it when it is back."""
    now = now or clock.now()
    row = session.get(CaptureFeed, show_id, with_for_update=True)
    if row is None:
        return
    was_gap = FeedState(row.state) in GAP_STATES
    state = b.state if b.connected is not False else FeedState.DISCONNECTED
    if b.connected is None:
        pass  # still connecting: neither a gap nor a recovery
    elif state in GAP_STATES and not was_gap:
        session.add(CaptureGap(show_id=show_id, started_at=now, reason=state.value))
    elif was_gap and state not in GAP_STATES:
        _close_gaps(session, show_id, now)
    row.connected, row.state, row.per_minute = bool(b.connected), state.value, b.per_minute
    row.last_message_at, row.last_error = b.last_message_at, b.last_error[:300]
    row.received, row.malformed, row.unknown, row.db_retries, row.lost = b.received, b.malformed, b.unknown, b.db_retries, b.lost
    row.updated_at = now


def tool_gap(session: Session, show_id: int, start_at: datetime, end_at: datetime, reason: str) -> None:
    """The tool itself reported a window it could not deliver (DanmakuListener's GAP)."""
    session.add(CaptureGap(show_id=show_id, started_at=start_at, ended_at=end_at, reason=reason[:24]))


def stop(session: Session, show_id: int, b: Beat, now: datetime | None = None) -> None:
    """The process stops on purpose: last counts, and a gap that the next start closes."""
    now = now or clock.now()
    beat(session, show_id, b, now)
    row = session.get(CaptureFeed, show_id)
    if row is None:
        return
    _close_gaps(session, show_id, now)
    row.connected, row.state, row.stopped_at = False, FeedState.STOPPED.value, now
    if shows.get_show(session, show_id).status == shows.ShowStatus.LIVE:
        session.add(CaptureGap(show_id=show_id, started_at=now, reason="stopped"))


def _close_gaps(session: Session, show_id: int, now: datetime) -> None:
    session.execute(
        update(CaptureGap).where(CaptureGap.show_id == show_id, CaptureGap.ended_at.is_(None)).values(ended_at=now)
    )


# --- the console side ---------------------------------------------------------------------------


def feed_status(session: Session, show_id: int, now: datetime | None = None) -> FeedStatus:
    """The feed's state for the console: status line and, when the operator must act, a banner."""
    now = now or clock.now()
    row = session.get(CaptureFeed, show_id)
    if row is None:
        return FeedStatus(FeedState.NONE, STATE_LABELS[FeedState.NONE], "", 0, None, "", None,
                          "未接入直播采集：评论请粘贴或导入")
    show = shows.get_show(session, show_id)
    since_last = int((now - row.last_message_at).total_seconds()) if row.last_message_at else None
    state = _derived_state(row, show.status, now, since_last)
    status = FeedStatus(
        state=state, label=STATE_LABELS[state], source=row.source, per_minute=row.per_minute if state is not FeedState.DOWN else 0,
        since_last_s=since_last, last_error=row.last_error, banner=_banner(state, row, show.status, now, since_last),
        line="", stored=row.stored, duplicates=row.duplicates, malformed=row.malformed, unknown=row.unknown,
    )
    return _with_line(status)


def _derived_state(row: CaptureFeed, show_status: str, now: datetime, since_last: int | None) -> FeedState:
    if row.stopped_at is not None:
        return FeedState.STOPPED
    if (now - row.updated_at).total_seconds() > HEARTBEAT_STALE_S:
        return FeedState.DOWN
    state = FeedState(row.state)
    if not row.connected and state is FeedState.OK:
        return FeedState.DISCONNECTED
    if state is FeedState.OK and show_status == shows.ShowStatus.LIVE:
        quiet = since_last if since_last is not None else (now - row.started_at).total_seconds()
        if quiet > silence_s():
            return FeedState.SILENT
    return state


def _banner(state: FeedState, row: CaptureFeed, show_status: str, now: datetime, since_last: int | None) -> str | None:
    if show_status == shows.ShowStatus.ENDED or state in (FeedState.OK, FeedState.NONE):
        return None
    tool = SOURCE_LABELS.get(row.source, row.source)
    detail = f"（{row.last_error}）" if row.last_error else ""
    if state is FeedState.DOWN:
        ago = _ago(int((now - row.updated_at).total_seconds()))
        return f"直播采集已中断：采集程序{ago}停止响应，评论不会自动进来。请重新启动采集，或先粘贴评论。"
    if state is FeedState.STOPPED:
        return "直播采集已停止：评论不会自动进来。请重新启动采集，或先粘贴评论。" if show_status == shows.ShowStatus.LIVE else None
    if state is FeedState.DISCONNECTED:
        return f"连不上采集工具 {tool}{detail}，正在自动重连。请检查 {tool} 是否在运行。"
    if state is FeedState.NEEDS_LOGIN:
        return f"采集工具 {tool} 需要重新登录{detail}：请在直播电脑上扫码登录。"
    if state is FeedState.ERROR:
        return f"采集工具 {tool} 报错{detail}，正在重试。"
    if state is FeedState.OFFLINE:
        return f"采集工具 {tool} 显示直播间未开播或已下播，请确认监听的是本场直播间。" if show_status == shows.ShowStatus.LIVE else None
    if state is FeedState.GAP:
        return f"采集工具 {tool} 报告部分消息漏采{detail}，期间的评论请以直播后台为准。"
    if state is FeedState.SILENT:
        quiet = _ago(since_last) if since_last is not None else "开始采集后"
        return f"直播采集 {quiet}起没有收到任何消息：请检查 {tool} 是否还在监听本场直播间。"
    return None


def _with_line(s: FeedStatus) -> FeedStatus:
    if s.state in (FeedState.DOWN, FeedState.STOPPED):
        line = f"{s.label} · {SOURCE_LABELS.get(s.source, s.source)}"
    else:
        last = "还没有消息" if s.since_last_s is None else f"最后一条 {_ago(s.since_last_s)}"
        line = f"{s.label} · 每分钟 {s.per_minute} 条 · {last}"
    if s.malformed or s.unknown:
        line += f" · 跳过 {s.malformed + s.unknown} 条"
    return replace(s, line=line)


def _ago(seconds: int) -> str:
    seconds = max(0, seconds)
    if seconds < 60:
        return f"{seconds} 秒前"
    if seconds < 3600:
        return f"{seconds // 60} 分钟前"
    return f"{seconds // 3600} 小时前"


# --- the review side ----------------------------------------------------------------------------


def feed_gaps(session: Session, show_id: int, now: datetime | None = None) -> list[FeedGap]:
    """The stretches the feed was not delivering, oldest first (open ones end now or at the show's end)."""
    now = now or clock.now()
    show = shows.get_show(session, show_id)
    horizon = min(now, show.actual_end) if show.actual_end else now
    out = []
    for start_at, end_at, reason in session.execute(
        select(CaptureGap.started_at, CaptureGap.ended_at, CaptureGap.reason)
        .where(CaptureGap.show_id == show_id)
        .order_by(CaptureGap.started_at, CaptureGap.id)
    ):
        end_at = end_at or max(start_at, horizon)
        out.append(FeedGap(start_at, end_at, reason, GAP_REASON_LABELS.get(reason, reason)))
    row = session.get(CaptureFeed, show_id)
    if row is not None and row.stopped_at is None and (now - row.updated_at).total_seconds() > HEARTBEAT_STALE_S:
        out.append(FeedGap(row.updated_at, max(row.updated_at, horizon), "down", GAP_REASON_LABELS["down"]))
    return out


def gap_markers(session: Session, show_id: int) -> list[dict]:
    """Feed gaps as review-timeline markers, so a quiet minute is not read as a cold room."""
    return [
        {"at": g.start, "kind": "feed_gap", "label": f"采集中断·{g.label}·{_span(g.seconds)}", "short": "采集中断"}
        for g in feed_gaps(session, show_id)
        if g.seconds >= GAP_MARK_MIN_S
    ]


def _span(seconds: int) -> str:
    return f"{seconds} 秒" if seconds < 60 else f"{seconds // 60} 分钟"
