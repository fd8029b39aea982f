"""The 核心看板 across a community's shows (seed: 社群→观看, 观看→接龙, GMV / 客单价, LTV), drawn from
services.members.board: KPI tiles, charts, segment counts with their rules."""
from __future__ import annotations

import streamlit as st

from services import members
from services.formats import pct
from services.authz import Actor, can
from ui import context as ctx
from ui.markdown import literal as md


def money(v) -> str:
    return "—" if v is None else f"¥{float(v):,.2f}"


def sync_if_needed(show_id: int, actor: Actor | None) -> None:
    """The show changed since its members were counted: count them again (one unit of work)."""
    if actor is not None and can(actor, "members.sync") and ctx.read(members.needs_sync, show_id):
        ctx.act(members.sync_show, actor, show_id)


def show_tiles(show_id: int) -> None:
    """This show's own member figures (the review of an earlier show shows its own, not the latest's)."""
    k = ctx.read(members.show_kpis, show_id)
    st.subheader("本场成员")
    cols = st.columns(4)
    for col, (label, value) in zip(cols, (
        ("本场复购用户占比", pct(k["repeat_buyer_share"])), ("本场新客占比", pct(k["new_buyer_share"])),
        ("上一场买家留存", pct(k["retention"])),
    )):
        col.metric(label, value, border=True)
    # The new buyers under the number, in grey: 「8（新客 8）」 as one value was cut to 「8（新客…」.
    cols[3].metric("本场下单人数", k["buyers"], delta=f"其中新客 {k['new_buyers']}", delta_color="off",
                   delta_arrow="off", border=True)


def render(community_id: int) -> None:
    b = ctx.read(members.board, community_id)
    k = b["kpis"]
    st.subheader("核心看板")
    if k["show_id"] is None:
        st.info("这个社群还没有已结束的场次。")
        return
    st.caption(md(f"最近一场已结束的直播：{k['title']}（{k['at']:%Y-%m-%d}）· 社群已识别成员 {k['members']} 人 · 共 {k['shows']} 场"))
    tiles = [
        ("社群→观看", pct(k["community_to_viewers"])), ("观看→接龙", pct(k["viewers_to_buyers"])),
        ("单场 GMV", money(k["gmv"])), ("客单价", money(k["aov"])),
        ("复购用户占比", pct(k["repeat_buyer_share"])), ("新客占比", pct(k["new_buyer_share"])),
        ("上一场买家留存", pct(k["retention"])), ("下单人数", str(k["buyers"])),
    ]
    for i in range(0, len(tiles), 4):
        for col, (label, value) in zip(st.columns(4), tiles[i:i + 4]):
            col.metric(label, value, border=True)
    left, right = st.columns(2)
    for col, chart in ((left, members.cohort_chart(b["cohorts"])), (right, members.ltv_chart(b["series"]))):
        with col:
            if chart is None:
                st.caption("数据还不够画图。")
            else:
                st.altair_chart(chart, width="stretch")
    chart = members.buyers_chart(b["series"])
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    if b["ltv_by_cohort"]:
        st.dataframe([{"首单月份": r["cohort"], "人数": r["members"], "人均 LTV（元）": r["avg_ltv"]}
                      for r in b["ltv_by_cohort"]], hide_index=True)


def segment_legend(counts: dict[str, int]) -> None:
    """Each segment with its count and its rule."""
    st.dataframe(
        [{"分层": members.segment_label(s), "人数": counts.get(s, 0), "规则": members.SEGMENT_RULES[s]} for s in members.SEGMENTS],
        hide_index=True, width="stretch",
    )
