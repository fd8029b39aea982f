"""The live pages' wording: projections, countdowns and paces as short Chinese text."""
from __future__ import annotations

import math

from datetime import datetime

from services import jielong
from services.live.snapshots import DealSnapshot, Projection, Snapshot
from services.shows import ShowStatus


def eta_text(p: Projection | None) -> str:
    """'约 4 分钟（3–6）' for a projection; '—' when there is no pace yet."""
    if p is None:
        return "—"
    if p.minutes <= 0:
        return "已达成"
    high = "以上" if p.high is None else f"–{_round(p.high)}"
    return f"约 {_round(p.minutes)} 分钟（{_round(p.low)}{high}）"


def forecast_text(p: Projection | None, pace: float) -> str:
    """eta_text, except that a pace with no forecast says why: the arrivals so far came in one
    minute (one paste or one import), which tells nothing of how fast people keep coming."""
    if p is None and pace > 0:
        return "待观察（只有一批录入，看不出节奏）"
    return eta_text(p)


def countdown_tile(snap: Snapshot, now: datetime | None = None) -> tuple[str, str]:
    """The host's countdown tile as (label, text). Once the show has ended a chain may still run in
    the group up to its deadline (that countdown stays); else the tile says 已下播, not 距下播 已截止."""
    label, minutes = snap.countdown(now)
    if label == "距下播" and snap.status == ShowStatus.ENDED:
        return "直播", "已下播"
    return label, countdown_text(minutes)


def countdown_text(minutes: float | None) -> str:
    """'12:05' (mm:ss), '1:02:05' over an hour, '已截止' once passed. From 10 hours on a
    countdown in h:mm:ss reads like a clock time ("25:10:41"), so it is said in words."""
    if minutes is None:
        return "—"
    seconds = int(minutes * 60)
    if seconds <= 0:
        return "已截止"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h >= 24:
        return f"{h // 24}天{h % 24}小时"
    if h >= 10:
        return f"{h}小时{m}分"
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def also_open_text(deals: tuple[DealSnapshot, ...]) -> str:
    """The host screen's line of the other open chains: '同时接龙中：土鸡蛋 36/30 份 已成团 ·
    家庭箱 12/20 份 还差 8 份'; '' when there is none."""
    if not deals:
        return ""
    parts = []
    for d in deals:
        unit = jielong.unit_label(d.threshold_unit)
        state = "已成团" if d.reached else f"还差 {d.remaining} {unit}"
        parts.append(f"{d.product} {d.progress}/{d.threshold} {unit} {state}")
    return "同时接龙中：" + " · ".join(parts)


def rate_text(per_min: float, unit: str = "份") -> str:
    return f"{per_min:.1f} {unit}/分"


def _round(minutes: float) -> int:
    return max(1, math.ceil(minutes)) if minutes > 0 else 0
