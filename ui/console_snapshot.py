"""Console panel: 实时数据, the compact snapshot strip, and the viewer-count entry.

The numbers live in a fragment that refreshes itself (CONSOLE_REFRESH_S, default 2 s) and
re-reads the snapshot only when the show's version moved. The entry takes 在线 and 累计观看
as one line ("186 270" + Enter) or a CSV file.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import clock, config, events, jielong, live
from services.authz import Actor, can
from ui import context as ctx
from ui import outcomes

REFRESH_S = config.get_float("CONSOLE_REFRESH_S")
MAX_AGE_S = 60
SNAP_KEY, VERSION_KEY, FUNNEL_KEY = "console_snapshot_snap", "console_snapshot_version", "console_snapshot_funnel"


def render(show_id: int, actor: Actor) -> None:
    with st.container(border=True):
        numbers, entry = st.columns([5, 2], gap="medium")
        with numbers:
            _live(show_id)
        with entry:
            if can(actor, "viewers.write"):
                _viewer_entry(show_id, actor)


def current_snapshot(show_id: int) -> live.Snapshot:
    version = ctx.read(events.version, show_id)
    snap = st.session_state.get(SNAP_KEY)
    fresh = (
        snap is not None
        and snap.show_id == show_id
        and st.session_state.get(VERSION_KEY) == version
        and (clock.now() - snap.at).total_seconds() < MAX_AGE_S
    )
    if not fresh:
        snap = ctx.read(live.snapshot, show_id)
        st.session_state[SNAP_KEY], st.session_state[VERSION_KEY] = snap, version
        st.session_state.pop(FUNNEL_KEY, None)
    return snap


def deal_rows(snap: live.Snapshot) -> pd.DataFrame:
    rows = []
    for d in snap.deals:
        rows.append({
            "团品": d.product,
            "状态": jielong.status_label(d.status),
            "已接龙": f"{d.progress}/{d.threshold}{jielong.unit_label(d.threshold_unit)}",
            # Text columns: a column mixing numbers and "—" cannot be sent to the browser as Arrow.
            "还差": "—" if d.reached else str(d.remaining),
            "剩余": jielong.stock_left_text(d.stock, d.units, d.units_flagged),
            "速度": f"{live.rate_text(d.units_per_min)}（{d.rate_label}）" if d.released else "—",
            "预计成团": "—" if d.reached else live.eta_text(d.to_threshold),
            "预计售罄": live.eta_text(d.to_sellout),
            "截止": live.countdown_text(d.minutes_to_deadline) if d.deadline else "—",
        })
    return pd.DataFrame(rows)


@ctx.fragment(run_every=REFRESH_S)
def _live(show_id: int) -> None:
    outcomes.settle(show_id)  # 团品进度 says 未成团 once a deadline passed, picked on the panel or not
    snap = current_snapshot(show_id)
    cols = st.columns([1, 1, 1.3, 1, 1, 1.6])  # 累计观看 and its help icon fit uncut at 1280×800
    cols[0].metric("在线", snap.viewers_online)
    cols[1].metric("峰值在线", snap.viewers_peak)
    cols[2].metric("累计观看", snap.viewers_cumulative, help=f"社群成员 {snap.community_size} 人")
    cols[3].metric("互动人数", snap.commenters)
    cols[4].metric("下单人数", snap.buyers)
    focus = snap.focus
    # 成团 reached: the tile says so under its own label (「当前团品还差 已成团」 read as still missing)
    cols[5].metric("当前团品" if focus is not None and focus.reached else "当前团品还差", _still_missing(focus))
    if snap.deals:  # folded: at 1280×800 the queue and the chain must show below this strip
        with st.expander(f"团品进度（{len(snap.deals)} 个团品）"):
            st.dataframe(deal_rows(snap), hide_index=True, width="stretch",
                         height=min(38 + 35 * len(snap.deals), 220))
    if st.toggle("显示转化漏斗", key="console_snapshot_show_funnel"):
        steps = st.session_state.get(FUNNEL_KEY)
        if steps is None:
            steps = st.session_state[FUNNEL_KEY] = ctx.read(live.funnel, show_id, snap)
        st.altair_chart(live.funnel_chart(steps, height=200), theme=None, width="stretch")


def _still_missing(focus: live.DealSnapshot | None) -> str:
    if focus is None:
        return "—"
    return "已成团" if focus.reached else f"{focus.remaining}{jielong.unit_label(focus.threshold_unit)}"


def _viewer_entry(show_id: int, actor: Actor) -> None:
    with st.form("console_viewers_form", clear_on_submit=True, border=False):
        raw = st.text_input("观看数据：在线 累计", placeholder="如 186 270，回车保存", key="console_viewers_text")
        submitted = st.form_submit_button("保存观看数据")
    if submitted and ctx.act(live.record_viewers_text, actor, show_id, raw, success="观看数据已保存"):
        st.rerun()
    with st.popover("导入观看数据 CSV"):
        st.caption("表头：时间,在线,累计观看（时间如 20:05 或 2025-06-01 20:05）")
        upload = st.file_uploader("CSV 文件", type=["csv"], key="console_viewers_csv")
        if upload is not None and st.button("导入", key="console_viewers_import"):
            done = ctx.act(live.import_viewers, actor, show_id, upload.getvalue(), upload.name)
            if done:
                st.success(f"已导入 {done.value} 条观看数据")
