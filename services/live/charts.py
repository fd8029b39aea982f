"""Altair chart builders for the live pages and the review (no Streamlit here).

Each builder takes numbers already aggregated in SQL (services.live) and returns a chart;
the page decides where to draw it. `dark=True` gives the host screen's high-contrast look.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import altair as alt
import pandas as pd

from services import jielong
from services.live.conversion import FunnelStep
from services.live.host import SeriesPoint
from services.live.snapshots import DealSnapshot

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
LIGHT = {"bg": "white", "fg": "#1f2933", "muted": "#52606d", "grid": "#e4e7eb", "line": "#1f77b4",
         "threshold": "#d62728", "stock": "#2ca02c", "release": "#7f7f7f", "projection": "#1f77b4", "bar": "#4c78a8"}
DARK = {"bg": "#05070a", "fg": "#f5f7fa", "muted": "#9fb3c8", "grid": "#243b53", "line": "#4fc3f7",
        "threshold": "#ff5252", "stock": "#69f0ae", "release": "#b0bec5", "projection": "#ffd54f", "bar": "#4fc3f7"}


def _style(chart: alt.TopLevelMixin, dark: bool, size: int = 14) -> alt.TopLevelMixin:
    """Colours and fonts in one configure call (each call copies the whole chart)."""
    c = DARK if dark else LIGHT
    return chart.configure(
        background=c["bg"],
        font=FONT,
        view={"stroke": None},
        axis={"labelColor": c["fg"], "titleColor": c["muted"], "gridColor": c["grid"], "domainColor": c["grid"],
              "tickColor": c["grid"], "labelFontSize": size, "titleFontSize": size},
        legend={"labelColor": c["fg"], "titleColor": c["muted"], "labelFontSize": size},
        title={"color": c["fg"], "fontSize": size + 4},
    )


_MINUTE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 240)


def time_axis(times: Sequence[datetime], most: int = 8, **kw) -> alt.Axis:
    """An HH:MM axis with a tick on every whole 1, 2, 5, 10 … minutes, at most `most` of them: never
    two ticks inside one minute (which print the same label twice: "19:26 19:26"). The ticks are
    given as values (Vega's own time ticks fall on seconds when the span is short)."""
    times = [pd.Timestamp(t).to_pydatetime() for t in times if t is not None and not pd.isna(t)]
    if not times:
        return alt.Axis(format="%H:%M", **kw)
    first, last = min(times), max(times)
    span = (last - first).total_seconds() / 60
    step = next((s for s in _MINUTE_STEPS if span / s <= most), _MINUTE_STEPS[-1])
    tick = first.replace(second=0, microsecond=0)
    tick -= timedelta(minutes=(tick.hour * 60 + tick.minute) % step)
    if tick < first:
        tick += timedelta(minutes=step)
    ticks = []
    while tick <= last:
        ticks.append(_datum(tick))
        tick += timedelta(minutes=step)
    return alt.Axis(format="%H:%M", values=ticks or [_datum(first)], labelOverlap="greedy", **kw)


def count_axis(**kw) -> alt.Axis:
    """A counting axis: whole-number ticks only (never 0.1 … 2.0 questions)."""
    return alt.Axis(tickMinStep=1, format="d", **kw)


def funnel_frame(steps: Sequence[FunnelStep]) -> pd.DataFrame:
    rows = [
        {"step": s.label, "order": i, "count": s.count, "rate": s.rate, "share": s.share, "label": s.text}
        for i, s in enumerate(steps)
    ]
    return pd.DataFrame(rows, columns=["step", "order", "count", "rate", "share", "label"])


def funnel_chart(steps: Sequence[FunnelStep], dark: bool = False, height: int = 220) -> alt.Chart:
    """社群成员 → 观看 → 互动 → 接龙 → 成团 as horizontal bars in step order, each labelled
    with its count, its share of the community and its ratio to the step above (both named)."""
    c = DARK if dark else LIGHT
    data = funnel_frame(steps)
    order = list(data["step"])
    y = alt.Y("step:N", sort=order, title=None)
    base = alt.Chart(data).encode(y=y)
    # The label sits right of the bar; the x domain leaves room for it (a long label on the
    # widest bar would otherwise run off the chart).
    widest = max((s.count for s in steps), default=0)
    bars = base.mark_bar(color=c["bar"], cornerRadiusEnd=3).encode(
        x=alt.X("count:Q", title="人数", axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max(widest * 1.9, 1)])),
        tooltip=[alt.Tooltip("step:N", title="环节"), alt.Tooltip("label:N", title="人数与比例")],
    )
    labels = base.mark_text(align="left", dx=4, color=c["fg"], fontSize=13).encode(x="count:Q", text="label:N")
    return _style((bars + labels).properties(height=height, title="转化漏斗"), dark)


def progress_frame(series: Sequence[SeriesPoint], deal: DealSnapshot) -> pd.DataFrame:
    """One row per point: time and the cumulative count the threshold is measured in (the
    per-minute series counts entries, which stand in for people on a 人 threshold)."""
    return pd.DataFrame(
        {"at": [p.at for p in series], "count": [_counted(deal, p) for p in series]},
        columns=["at", "count"],
    )


def _counted(deal: DealSnapshot, point: SeriesPoint) -> int:
    return jielong.progress(deal.threshold_unit, point.units, point.entries)


def _by_units(deal: DealSnapshot) -> bool:
    return deal.threshold_unit == jielong.ThresholdUnit.UNITS


def _datum(at: datetime) -> alt.DateTime:
    return alt.DateTime(year=at.year, month=at.month, date=at.day, hours=at.hour, minutes=at.minute, seconds=at.second)


def progress_chart(
    series: Sequence[SeriesPoint], deal: DealSnapshot, now: datetime | None = None, dark: bool = False, height: int = 320
) -> alt.LayerChart:
    """Entries over time for one deal: the cumulative line, the threshold (rule), the stock
    (rule), the release moment (vertical rule) and, dashed, the projection at the current pace."""
    c = DARK if dark else LIGHT
    unit = "份" if _by_units(deal) else "人次"
    data = progress_frame(series, deal)
    y_title = f"已接龙（{unit}）"
    projection = projection_frame(series, deal, now)
    times = list(data["at"]) + list(projection["at"]) + ([deal.released_at] if deal.released_at else [])
    line = alt.Chart(data).mark_line(color=c["line"], strokeWidth=4).encode(
        x=alt.X("at:T", title=None, scale=alt.Scale(padding=14), axis=time_axis(times)),
        y=alt.Y("count:Q", title=y_title, axis=count_axis()),
        tooltip=[alt.Tooltip("at:T", title="时间", format="%H:%M"), alt.Tooltip("count:Q", title=unit)],
    )
    layers: list[alt.Chart] = [line]
    layers.append(
        alt.Chart().mark_rule(color=c["threshold"], strokeWidth=3).encode(y=alt.Y(datum=deal.threshold))
    )
    # Both labels stand at the right edge, above their line; when the 限量 line is close above the
    # 成团 line (限量 30, 成团 30 or 28), the 成团 label goes under its line, or the two print over
    # each other (night 9).
    stock_shown = deal.stock is not None and _by_units(deal)
    under = stock_shown and _close(deal.stock - deal.threshold, [*data["count"], *projection["count"], deal.stock])
    layers.append(
        alt.Chart().mark_text(align="right", baseline="top" if under else "bottom", dx=-4, dy=4 if under else -2,
                              color=c["threshold"], fontSize=14)
        .encode(y=alt.Y(datum=deal.threshold), x=alt.value("width"), text=alt.value(f"成团 {deal.threshold}{jielong.unit_label(deal.threshold_unit)}"))
    )
    if stock_shown:
        layers.append(alt.Chart().mark_rule(color=c["stock"], strokeWidth=2, strokeDash=[2, 2]).encode(y=alt.Y(datum=deal.stock)))
        layers.append(
            alt.Chart().mark_text(align="right", baseline="bottom", dx=-4, dy=-2, color=c["stock"], fontSize=14)
            .encode(y=alt.Y(datum=deal.stock), x=alt.value("width"), text=alt.value(f"限量 {deal.stock}份"))
        )
    if deal.released_at is not None:
        layers.append(
            alt.Chart().mark_rule(color=c["release"], strokeWidth=2).encode(x=alt.X(datum=_datum(deal.released_at)))
        )
        layers.append(
            alt.Chart().mark_text(align="left", baseline="top", dx=4, dy=4, color=c["release"], fontSize=13)
            .encode(x=alt.X(datum=_datum(deal.released_at)), y=alt.value(0),
                    text=alt.value(f"发布 {deal.released_at:%H:%M}"))
        )
    if not projection.empty:
        layers.append(
            alt.Chart(projection).mark_line(color=c["projection"], strokeWidth=3, strokeDash=[8, 6]).encode(
                x="at:T", y="count:Q"
            )
        )
    return _style(alt.layer(*layers).properties(height=height), dark)


def _close(gap: float, values: Sequence[float]) -> bool:
    """Whether two lines `gap` apart on the count axis are closer than a label's height (14 px of
    type on a plot about 300 px tall: under 8 % of the axis, which runs from 0 to the top value)."""
    top = max([*values, 1])
    return 0 <= gap < 0.08 * top


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec of a chart (data inlined), for a page that keeps it between reruns and
    draws it with st.vega_lite_chart: building and validating a layered chart costs more than
    the rest of a live page, so a page rebuilds it only when its numbers change."""
    return chart.to_dict(validate=False)  # the builders' output is validated by tests/services/test_charts.py


def projection_frame(series: Sequence[SeriesPoint], deal: DealSnapshot, now: datetime | None = None) -> pd.DataFrame:
    """The dashed projection: from the last point to the threshold (or, once reached, to the
    stock) at the current pace; empty when there is no pace or nothing left to reach."""
    empty = pd.DataFrame(columns=["at", "count"])
    if not series:
        return empty
    if deal.to_threshold is not None and deal.to_threshold.minutes > 0:
        target, minutes = deal.threshold, deal.to_threshold.minutes
    elif deal.to_sellout is not None and deal.to_sellout.minutes > 0 and _by_units(deal):
        target, minutes = deal.stock, deal.to_sellout.minutes
    else:
        return empty
    last = series[-1]
    start = now or last.at
    current = _counted(deal, last)
    return pd.DataFrame({"at": [start, start + timedelta(minutes=minutes)], "count": [current, target]})


def viewers_chart(samples: Sequence[tuple[datetime, int, int]], dark: bool = False, height: int = 220) -> alt.Chart:
    """Online and cumulative viewers over time, from (at, online, cumulative) rows."""
    data = pd.DataFrame(samples, columns=["at", "在线", "累计观看"]).melt("at", var_name="series", value_name="viewers")
    chart = alt.Chart(data).mark_line(strokeWidth=2).encode(
        x=alt.X("at:T", title=None, axis=time_axis(list(data["at"]))),
        y=alt.Y("viewers:Q", title="人数", axis=count_axis()),
        color=alt.Color("series:N", title=None),
    )
    return _style(chart.properties(height=height), dark)
