"""The 核心看板's charts (Altair, no Streamlit), drawn from rows already aggregated in SQL."""
from __future__ import annotations

import altair as alt
import pandas as pd


def cohort_chart(rows: list[dict], height: int = 260) -> alt.Chart | None:
    """Cohort retention heat map: first-order month × show, the share of the cohort who bought."""
    if not rows:
        return None
    df = pd.DataFrame([{"首单月份": r["cohort"], "场次": f"{r['at']:%m-%d}", "复购占比": r["share"] or 0.0,
                        "下单人数": r["buyers"], "群组人数": r["size"]} for r in sorted(rows, key=lambda r: r["at"])])
    base = alt.Chart(df).encode(
        x=alt.X("场次:O", title="场次（日期）", sort=None), y=alt.Y("首单月份:O", title="首单月份（群组）"))
    cells = base.mark_rect().encode(
        color=alt.Color("复购占比:Q", scale=alt.Scale(domain=[0, 1], scheme="greens"), title="下单占比"),
        tooltip=["首单月份:O", "场次:O", alt.Tooltip("复购占比:Q", format=".0%"), "下单人数:Q", "群组人数:Q"],
    )
    text = base.mark_text(fontSize=13).encode(text=alt.Text("复购占比:Q", format=".0%"))
    return (cells + text).properties(height=height, width="container", title="群组留存（按首单月份）")


def ltv_chart(series: list[dict], height: int = 260) -> alt.Chart | None:
    """Average LTV of the community's buyers so far, show after show."""
    rows = [r for r in series if r["avg_ltv"] is not None]
    if not rows:
        return None
    df = pd.DataFrame([{"场次": r["title"], "日期": r["at"], "人均累计消费": round(r["avg_ltv"], 2)} for r in rows])
    return (
        alt.Chart(df).mark_line(point=True)
        .encode(x=alt.X("日期:T", title="场次日期", axis=show_axis(df["日期"])),
                y=alt.Y("人均累计消费:Q", title="人均 LTV（元）"),
                tooltip=["场次:N", alt.Tooltip("日期:T", format="%Y-%m-%d"), "人均累计消费:Q"])
        .properties(height=height, width="container", title="用户 LTV 变化（逐场）")
    )


def buyers_chart(series: list[dict], height: int = 260) -> alt.Chart | None:
    """New and returning buyers per show (stacked)."""
    if not series:
        return None
    df = pd.DataFrame(
        [{"日期": r["at"], "场次": r["title"], "类型": "新客", "人数": r["new_buyers"]} for r in series]
        + [{"日期": r["at"], "场次": r["title"], "类型": "复购", "人数": r["returning_buyers"]} for r in series]
    )
    return (
        alt.Chart(df).mark_bar()
        .encode(x=alt.X("日期:T", title="场次日期", axis=show_axis(df["日期"])), y=alt.Y("人数:Q", stack=True, title="下单人数"),
                color=alt.Color("类型:N", scale=alt.Scale(domain=["复购", "新客"], range=["#2ca02c", "#ff7f0e"])),
                tooltip=["场次:N", "类型:N", "人数:Q"])
        .properties(height=height, width="container", title="每场新客 / 复购人数")
    )


def show_axis(dates) -> alt.Axis:
    """A tick at each show, labelled 月-日: Vega's own time ticks over one show (or a few close
    together) fell on hours and printed English 「09 AM」."""
    days = sorted({pd.Timestamp(d).to_pydatetime() for d in dates if d is not None and not pd.isna(d)})
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day, hours=d.hour, minutes=d.minute) for d in days]
    return alt.Axis(format="%m-%d", values=values, labelOverlap="greedy") if values else alt.Axis(format="%m-%d")
