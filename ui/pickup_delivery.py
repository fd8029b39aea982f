"""配送 tab: mark a building, a pickup point or a whole route delivered, with the time; the runs
so far, each with undo."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from services import clock, pickup
from services.authz import Actor, can
from ui import pickup_access as access
from ui import context as ctx
from ui.markdown import literal


def render(show_id: int, actor: Actor) -> None:
    if not can(actor, "pickup.deliver"):
        st.caption("配送由直播助手登记。")
        return
    choices = ctx.read(pickup.group_choices, show_id)
    waiting = {c.group: c.open_entries for c in choices if c.open_entries}
    to_check = {c.group: c.to_check for c in choices if c.to_check}
    if waiting:
        _form(show_id, actor, waiting, to_check)
    else:
        st.success("所有订单都已提货或送达。")
    _runs(show_id, actor)


def _label(group: str, waiting: dict[str, int], to_check: dict[str, int]) -> str:
    check = f"，其中待核实 {to_check[group]} 单" if to_check.get(group) else ""
    return f"{group}（{pickup.run_words([group]).waiting} {waiting[group]} 单{check}）"  # 快递: 待发货


def _form(show_id: int, actor: Actor, waiting: dict[str, int], to_check: dict[str, int]) -> None:
    with st.form("pickup_delivery_form", border=True):
        groups = st.multiselect("送达（或快递发货）的楼栋 / 自提点", list(waiting), format_func=lambda g: _label(g, waiting, to_check),
                                key="pickup_delivery_groups", placeholder="选择一栋或一条线路的几栋")
        label = st.text_input("线路名称（可不填）", key="pickup_delivery_label", placeholder="如 A线")
        now = clock.now()
        d1, d2 = st.columns(2)
        day = d1.date_input("送达日期", value=now.date(), key="pickup_delivery_day")
        at = d2.time_input("送达时间", value=now.time().replace(second=0), key="pickup_delivery_time", step=300)
        submitted = st.form_submit_button("标记已送达 / 已发货", type="primary", width="stretch")
        if to_check:
            st.caption("待核实的订单不随配送登记：请先与团长核对，再到「核销」逐单交货。")
    if submitted:
        done = access.act(pickup.deliver, actor, show_id, groups, datetime.combine(day, at), label=label)
        if done:
            held = getattr(done.value, "held", 0)
            rest = f"；{held} 单待核实未登记，请核对后到「核销」交货" if held else ""
            st.toast(f"已登记{pickup.run_words(groups).done}：{literal(done.value.label)}，{done.value.entries} 单{rest}")
            # The form above was drawn before the run: without this its choices still read 待送 and stay
            # ticked, and a second tap on 标记已送达 is refused.
            st.session_state.pop("pickup_delivery_groups", None)
            st.rerun()


def _runs(show_id: int, actor: Actor) -> None:
    runs = ctx.read(pickup.list_runs, show_id)
    if not runs:
        st.caption("还没有配送记录。")
        return
    st.markdown("**配送记录**")
    for r in runs:
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        state = f"（已于 {pickup.when_text(r.undone_at)} 撤销）" if r.undone_at else ""
        c1.text(f"{pickup.when_text(r.delivered_at)} {r.label} · {r.entries} 单 · {r.by}{state}")
        if r.undone_at is None and c2.button("撤销", key=f"pickup_run_undo_{r.id}"):
            if access.act(pickup.undo_run, actor, r.id, success=f"已撤销配送：{r.label}"):
                st.rerun()
