"""The review's charts (Altair, no Streamlit): the timeline with its milestones, questions by
category, and the comparison across shows."""
from __future__ import annotations

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


def timeline_chart(series: list[dict[str, Any]], marks: list[dict[str, Any]], width: int | str = "container",
                   height: int = 320) -> alt.LayerChart | None:
    """Entries and comments per minute, with a dashed rule and a label at each milestone."""
    if not series and not marks:
        return None
    series = fill_minutes(series)
    long = pd.DataFrame(
        [{"时间": r["minute"], "指标": "接龙", "每分钟": r["entries"]} for r in series]
        + [{"时间": r["minute"], "指标": "评论", "每分钟": r["comments"]} for r in series],
        columns=["时间", "指标", "每分钟"],
    )
    times = list(long["时间"]) + [m["at"] for m in marks]
    x = alt.X("时间:T", title="时间", axis=time_axis(times) if times else alt.Axis(format="%H:%M"))
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=x,
            y=alt.Y("每分钟:Q", title="每分钟条数", axis=count_axis()),
            color=alt.Color("指标:N", title=None, scale=alt.Scale(domain=["接龙", "评论"], range=["#e4572e", "#4c78a8"]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "指标:N", "每分钟:Q"],
        )
    )
    layers: list[alt.Chart] = [lines]
    chart_marks = [m for m in marks if m["kind"] not in ("start", "end")] or marks
    if chart_marks:
        mdf = pd.DataFrame(
            [
                {"时间": m["at"], "事件": m["label"], "标注": m.get("short", m["label"]),
                 "类型": MARKER_KIND_LABELS.get(m["kind"], m["kind"]), "偏移": 55 * (i % 3)}
                for i, m in enumerate(chart_marks)
            ]
        )
        kinds = list(dict.fromkeys(mdf["类型"]))
        by_label = {MARKER_KIND_LABELS[k]: c for k, c in MARKER_COLORS.items()}
        kind_scale = alt.Scale(domain=kinds, range=[by_label.get(k, "#555555") for k in kinds])
        kind_color = alt.Color("类型:N", scale=kind_scale, legend=alt.Legend(title=None, orient="bottom"))
        rules = alt.Chart(mdf).mark_rule(strokeDash=[4, 3], opacity=0.8).encode(
            x="时间:T", color=kind_color, tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "事件:N"]
        )
        labels = alt.Chart(mdf).mark_text(angle=270, align="right", baseline="bottom", dx=-4, fontSize=11).encode(
            x="时间:T",
            y=alt.value(0),
            yOffset=alt.YOffset("偏移:Q", scale=None),
            text="标注:N",
            color=alt.Color("类型:N", scale=kind_scale, legend=None),
            tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "事件:N"],
        )
        layers += [rules, labels]
        return _sized(alt.layer(*layers).resolve_scale(color="independent"), width, height)
    return _sized(alt.layer(*layers), width, height)


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
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("类别:N", sort="-x", title=None),
            x=alt.X("问题组:Q", title="问题组数", axis=count_axis()),
            tooltip=["类别:N", "问题组:Q", "评论:Q"],
        )
        .properties(width=width, height=max(60, 28 * len(df)))
    )


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
