"""The 复盘 page's 提货 tab: pickup rate, orders still waiting past the pickup deadline (逾期未提)
beside late pickups (逾期提货), delivery promises kept on time, and the
same per pickup point / building (services.pickup.stats)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import pickup
from services.formats import pct
from ui import context as ctx


def render(show_id: int) -> None:
    s = ctx.read(pickup.stats, show_id)
    if not s.entries:
        st.caption("本场没有要提货的订单。")
        return
    a, b, c, e, d = st.columns(5)
    a.metric("提货率", pct(s.rate), help="已提货（含配送送达）÷ 有效订单", border=True)
    b.metric("已提货 / 订单", f"{s.picked_up}/{s.entries}", help=f"其中配送送达 {s.delivered} 单，部分提货 {s.partial} 单",
             border=True)
    due = pickup.when_text(s.deadline)
    c.metric("逾期未提", f"{s.overdue_open} 单",
             help=f"提货截止 {due} 已过、仍未提齐的订单（含部分提货）" if s.past_deadline else f"提货截止 {due}，还没到",
             border=True)
    e.metric("逾期提货", f"{s.late} 单", help="已提，但晚于送达承诺时间才提货或送达的订单", border=True)
    d.metric("送达承诺准时率", pct(s.on_time_rate),
             help=f"准时 {s.items_on_time}、逾期 {s.items_late}、过时未送 {s.items_overdue}（送达承诺 {s.delivery_promises} 条，"
                  f"已兑现 {s.delivery_promises_kept} 条）", border=True)
    st.dataframe(
        pd.DataFrame({
            "取货点/楼栋": [p.group for p in s.points], "订单": [p.entries for p in s.points],
            "已提货": [p.picked_up for p in s.points], "配送送达": [p.delivered for p in s.points],
            "部分提货": [p.partial for p in s.points], "未提": [p.pending for p in s.points],
            "逾期未提": [p.overdue_open for p in s.points], "逾期提货": [p.late for p in s.points], "提货率": [p.rate or 0.0 for p in s.points],
        }),
        hide_index=True,
        width="stretch",
        column_config={"提货率": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")},
    )
