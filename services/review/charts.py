"""The review's charts (Altair, no Streamlit): the timeline with its milestones, questions by
category, and the comparison across shows."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import altair as alt
import pandas as pd

from services.live import count_axis, time_axis
from services.review.timeline import fill_minutes, short


MARKER_COLORS = {
    "start": "#888888", "end": "#888888", "release": "#1f77b4", "threshold": "#2ca02c",
    "sold_out": "#d62728", "failed": "#7f7f7f", "promise": "#9467bd", "question_peak": "#ff7f0e",
    "feed_gap": "#bcbd22",
}
MARKER_KIND_LABELS = {
    "start": "开播/下播", "end": "开播/下播", "release": "发布接龙", "threshold": "成团",
    "sold_out": "售罄", "failed": "未成团", "promise": "承诺", "question_peak": "提问高峰",
    "feed_gap": "采集中断",
}


MINUTE = timedelta(minutes=1)


def _minute_span(start: datetime) -> str:
    return f"{start:%H:%M}–{start + MINUTE:%H:%M}"


def timeline_chart(series: list[dict[str, Any]], marks: list[dict[str, Any]], width: int | str = "container",
                   height: int = 320) -> alt.LayerChart | None:
    """Entries and comments per minute, with a dashed rule and a label at each milestone."""
    if not series and not marks:
        return None
    series = fill_minutes(series)
    # A minute's count stands at the end of its minute (20:56 for 20:55–20:56), where all of it has
    # happened: the entries of the minute a chain went out at 20:55:40 read right of its release
    # rule, never before it (drawn at the minute's start they seemed to come before the chain).
    rows = [(r, _minute_span(r["minute"])) for r in series]
    long = pd.DataFrame(
        [{"位置": r["minute"] + MINUTE, "分钟": span, "指标": "接龙", "每分钟": r["entries"]} for r, span in rows]
        + [{"位置": r["minute"] + MINUTE, "分钟": span, "指标": "评论", "每分钟": r["comments"]} for r, span in rows],
        columns=["位置", "分钟", "指标", "每分钟"],
    )
    times = list(long["位置"]) + [m["at"] for m in marks]
    x = alt.X("位置:T", title="时间", axis=time_axis(times) if times else alt.Axis(format="%H:%M"))
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=x,
            y=alt.Y("每分钟:Q", title="每分钟条数", axis=count_axis()),
            color=alt.Color("指标:N", title=None, scale=alt.Scale(domain=["接龙", "评论"], range=["#e4572e", "#4c78a8"]),
                            legend=alt.Legend(orient="top")),
            tooltip=["分钟:N", "指标:N", "每分钟:Q"],
        )
    )
    layers: list[alt.Chart] = [lines]
    chart_marks = sorted((m for m in marks if m["kind"] not in ("start", "end")), key=lambda m: m["at"]) or marks
    if chart_marks:
        plot = width - PLOT_PAD if isinstance(width, int) else CONTAINER_PX
        placed = label_lanes([m["at"] for m in chart_marks], [m.get("short", m["label"]) for m in chart_marks],
                             times, plot, height, [LABEL_RANK.get(m["kind"], len(LABEL_RANK)) for m in chart_marks])
        at_px = _pixels(times, plot)
        mdf = pd.DataFrame(
            [
                {"时间": m["at"], "事件": m["label"], "标注": text, "类型": MARKER_KIND_LABELS.get(m["kind"], m["kind"]),
                 "偏移": offset, "右侧": at_px(m["at"]) < LABEL_PX + LABEL_GAP}
                for m, (offset, text) in zip(chart_marks, placed)
            ]
        )
        kinds = list(dict.fromkeys(mdf["类型"]))
        by_label = {MARKER_KIND_LABELS[k]: c for k, c in MARKER_COLORS.items()}
        kind_scale = alt.Scale(domain=kinds, range=[by_label.get(k, "#555555") for k in kinds])
        kind_color = alt.Color("类型:N", scale=kind_scale, legend=alt.Legend(title=None, orient="bottom"))
        rules = alt.Chart(mdf).mark_rule(strokeDash=[4, 3], opacity=0.8).encode(
            x="时间:T", color=kind_color, tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "事件:N"]
        )
        layers += [rules, _labels(mdf, kind_scale, right=False), _labels(mdf, kind_scale, right=True)]
        return _sized(alt.layer(*layers).resolve_scale(color="independent"), width, height)
    return _sized(alt.layer(*layers), width, height)


def _labels(mdf: pd.DataFrame, kind_scale: alt.Scale, right: bool) -> alt.Chart:
    """The milestone labels upright, left of their rule; at the plot's left edge right of it (over
    the y axis's numbers otherwise: a release in the show's first minute)."""
    side = dict(baseline="top", dx=4) if right else dict(baseline="bottom", dx=-4)
    return alt.Chart(mdf).transform_filter(alt.datum["右侧"] == right).mark_text(
        angle=270, align="right", fontSize=11, **side).encode(
        x="时间:T",
        y=alt.value(0),
        yOffset=alt.YOffset("偏移:Q", scale=None),
        text="标注:N",
        color=alt.Color("类型:N", scale=kind_scale, legend=None),
        tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "事件:N"],
    )


def _pixels(times: list, plot: int) -> Callable[[Any], float]:
    """A time's distance in px from the plot's left edge (the x domain spans `times`)."""
    stamps = [pd.Timestamp(t) for t in times if t is not None and not pd.isna(t)]
    if not stamps:
        return lambda at: 0.0
    first, span = min(stamps), max((max(stamps) - min(stamps)).total_seconds(), 1.0)
    return lambda at: (pd.Timestamp(at) - first).total_seconds() / span * max(plot, 100)


# The milestone labels stand upright beside their rule (11 px type). Where two rules stand
# closer than a label's width, the later label goes below the earlier one (a lane further
# down); a label with no room left in the plot is left out (its rule and tooltip stay), so the
# labels never print over each other (night 9: five labels in one heap at 1280×800).
LABEL_RANK = {"release": 0, "threshold": 0, "sold_out": 0, "failed": 0, "feed_gap": 1, "question_peak": 2, "promise": 3}
LABEL_PX = 11  # the font size: one character's length along the label, and its width across
LABEL_GAP = 4  # across: two labels closer than LABEL_PX + LABEL_GAP stand side by side
LANE_GAP = 12  # along: room between two labels one under the other, so they do not read as one
CONTAINER_PX = 640  # the plot's width in the review page at 1280×800 (main column less the axis)
PLOT_PAD = 60  # a fixed width's share taken by the y axis and its title


def label_lanes(ats: list, texts: list[str], times: list, plot: int, height: int,
                ranks: list[int] | None = None) -> list[tuple[int, str]]:
    """(downward offset in px, text shown) for each label, in the order given, on a plot `plot` px
    wide spanning `times`. Labels are placed by rank, then time (the deals' milestones before the
    promises and question peaks): each goes to the highest place free of every label placed
    before it within a label's width of it; its text is "" when it would run below the plot."""
    x_of = _pixels(times, plot)
    placed: list[tuple[float, int, int]] = []  # (x, top, bottom) of each label shown
    out: list[tuple[int, str]] = [(0, "")] * len(ats)
    ranks = ranks or [0] * len(ats)
    order = sorted(range(len(ats)), key=lambda i: (ranks[i], pd.Timestamp(ats[i])))
    for i in order:
        at, text = ats[i], texts[i]
        x = x_of(at)
        length = LABEL_PX * len(text) + LANE_GAP
        near = sorted((top, bottom) for px, top, bottom in placed if abs(px - x) < LABEL_PX + LABEL_GAP)
        top = 0
        for a, b in near:  # the first gap tall enough, from the top
            if top + length <= a:
                break
            top = max(top, b)
        if top + length <= height - 2 * LABEL_PX:
            placed.append((x, top, top + length))
            out[i] = (top, text)
    return out


def _sized(chart: alt.LayerChart, width: int | str, height: int) -> alt.LayerChart:
    """Fixed plot height; in a page ("container") only the width follows the container, so the
    milestone labels never squeeze the plot (autosize "fit" would shrink it to make room)."""
    if width == "container":
        return chart.properties(width=width, height=height,
                                autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart.properties(width=width, height=height)


def category_chart(rows: list[dict[str, Any]], width: int | str = "container") -> alt.Chart | None:
    if not rows:
        return None
    df = pd.DataFrame([{"类别": r["category_label"], "问题组": r["groups"], "评论": r["comments"]} for r in rows])
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("类别:N", sort="-x", title=None),
            x=alt.X("问题组:Q", title="问题组数", axis=count_axis()),
            tooltip=["类别:N", "问题组:Q", "评论:Q"],
        )
    )
    # 28 px a category, kept: a plain container width let the page squeeze four bars into ~40 px,
    # and Vega dropped every other category's label (night 13)
    return _sized(chart, width, max(60, 28 * len(df)))


def compare_chart(rows: list[dict[str, Any]], width: int | str = "container") -> alt.Chart | None:
    """Watch rate, order rate, answered rate and kept rate per show, side by side."""
    if not rows:
        return None
    names = {"watch_rate": "观看率", "order_rate": "下单转化率", "answered_rate": "回复率", "promises_kept_rate": "承诺兑现率"}
    recs = []
    for r in rows:
        label = f"{r['date']:%m-%d} {short(r['title'], 12)}"
        for key, name in names.items():
            if r.get(key) is not None:
                recs.append({"场次": label, "指标": name, "比例": r[key]})
    if not recs:
        return None
    df = pd.DataFrame(recs)
    order = list(dict.fromkeys(df["场次"]))
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("场次:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("指标:N", sort=list(names.values())),
            y=alt.Y("比例:Q", axis=alt.Axis(format="%"), title=None),
            color=alt.Color("指标:N", sort=list(names.values()), legend=alt.Legend(orient="top", title=None)),
            tooltip=["场次:N", "指标:N", alt.Tooltip("比例:Q", format=".1%")],
        )
        .properties(width=width, height=260)
    )
