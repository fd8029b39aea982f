"""跟进 tab: who has not picked up by the deadline (reminder to copy into the group), the care
message for each order handed over (主动关怀, to copy into a private message), and a claim heard
in a follow-up into the show's claims log."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from services import clock, pickup
from services.authz import Actor, can
from ui import context as ctx
from ui import pickup_access as access


def render(show_id: int, actor: Actor, show_title: str) -> None:
    _reminder(show_id, show_title)
    st.divider()
    _care(show_id, actor, show_title)


def _reminder(show_id: int, show_title: str) -> None:
    st.markdown("**未提货提醒**")
    default = ctx.read(pickup.default_deadline, show_id)
    d1, d2 = st.columns(2)
    day = d1.date_input("截止日期", value=default.date(), key="pickup_follow_day")
    at = d2.time_input("截止时间", value=default.time(), key="pickup_follow_time", step=1800)
    deadline = datetime.combine(day, at)
    place = st.text_input("提货地点（可不填）", key="pickup_follow_place", placeholder="如 东门驿站")
    rows = ctx.read(pickup.not_picked, show_id, deadline)
    late = sum(1 for r in rows if not r.remaining)
    came = f"（其中 {late} 单已在截止后取走，不再提醒）" if late else ""
    st.caption(f"截至 {pickup.when_text(deadline)} 未提完：{len({r.name for r in rows})} 人 {len(rows)} 单{came}")
    delivers = ctx.read(pickup.show_delivers, show_id)
    text = pickup.reminder_text(show_title, rows, deadline, place.strip(), delivers, now=clock.now())
    st.code(text, language=None, wrap_lines=True)
    if rows:
        st.dataframe(
            pd.DataFrame({
                "取货点/楼栋": [r.group for r in rows], "跟团号": pd.array([r.seq for r in rows], dtype="Int64"),
                "团员": [r.name for r in rows], "团品": [r.product for r in rows], "未提": [r.remaining for r in rows],
                "手机尾号": [r.phone_tail for r in rows],
            }),
            hide_index=True, width="stretch",
        )


def _care(show_id: int, actor: Actor, show_title: str) -> None:
    st.markdown("**提货后关怀**")
    done = ctx.read(pickup.picked_recently, show_id)
    if not done:
        st.caption("还没有已提货的订单。")
        return
    labels = {r.entry_id: f"{pickup.when_text(r.done_at)} {r.seq_text} {r.name} · {r.product}" for r in done}
    entry_id = st.selectbox("选择订单", list(labels), format_func=labels.get, key="pickup_care_pick")
    row = next(r for r in done if r.entry_id == entry_id)
    st.code(pickup.care_message_for(row, show_title), language=None, wrap_lines=True)
    if not can(actor, "promise.write"):
        return
    claims = dict(ctx.read(pickup.claim_promises, show_id))
    if not claims:
        st.caption("团员反馈问题时，可先在「承诺履约」记录一条包退/赔付承诺（按申请登记），再在这里登记售后。")
        return
    with st.form("pickup_claim_form", clear_on_submit=True, border=True):
        pid = st.selectbox("记入", list(claims), format_func=lambda i: claims[i][:30], key="pickup_claim_promise")
        reason = st.text_input("团员反馈的问题", key="pickup_claim_reason", placeholder="如：坏了两颗")
        if st.form_submit_button("登记售后申请", width="stretch"):
            access.act(pickup.log_claim, actor, row.entry_id, reason, pid, success="已登记到售后申请")
