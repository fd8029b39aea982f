"""提货清单 tab: the show's (or one deal's) orders by pickup point and building, with what each
person gets and the perks owed; the same grouping as the packing export."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import pickup, promises
from ui import context as ctx
from ui.markdown import literal as md
from ui.tables import blank_missing

ALL = 0


def render(show_id: int) -> None:
    deals = {ALL: "全部团品", **dict(ctx.read(promises.deal_choices, show_id))}
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    deal = c1.selectbox("团品", list(deals), format_func=deals.get, key="pickup_list_deal")
    only_open = c2.toggle("只看未提完", key="pickup_list_open", help="未提和部分提货的订单")
    groups = ctx.read(pickup.pickup_list, show_id, None if deal == ALL else deal, only_open)
    if not groups:
        st.info("没有要提货的订单。" if not only_open else "全部订单都已提货。")
        return
    for g in groups:
        check = f" · :orange[待核实 {g.to_check} 单]" if g.to_check else ""
        st.markdown(f"**{md(g.group)}** · {g.tally_text}{check}")
        st.dataframe(
            blank_missing(pd.DataFrame(
                {
                    "跟团号": pd.array([r.seq for r in g.rows], dtype="Int64"),
                    "团员": [r.name for r in g.rows],
                    "团品": [r.product for r in g.rows],
                    "规格": [r.spec for r in g.rows],
                    "数量": [r.qty for r in g.rows],
                    "已提": [r.picked_qty for r in g.rows],
                    "状态": [r.status_label for r in g.rows],
                    "待核实": ["；".join(r.check_reasons) for r in g.rows],
                    "赠品": ["、".join(("✓" if p.handed else "") + p.label for p in r.perks) for r in g.rows],
                    "备注": [r.note for r in g.rows],
                }
            )),
            hide_index=True,
            width="stretch",
        )
