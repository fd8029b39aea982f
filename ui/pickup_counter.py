"""核销 tab: one text box (跟团号 / 手机尾号 / 姓名) → the person's orders as cards, each with one
big 已提货 button, a partial pickup, the perks owed (ticked to hand out with it), who took it
and when, a care message to copy, and undo. Built for one hand on a phone at the counter.

Buttons act in callbacks whose arguments were fixed when the card was drawn (the order's
version): a double tap or a resent tap carries the same request key and records once."""
from __future__ import annotations

import streamlit as st

from services import pickup
from services.authz import Actor
from ui import context as ctx
from ui import pickup_access as access
from ui.markdown import literal as md

QUERY_KEY = "pickup_query"
LAST_KEY = "pickup_last_entry"
SHOWN_KEY = "pickup_shown"  # (query, entry ids of the cards drawn): a tap must not move them
STATUS_COLORS = {
    pickup.PickupStatus.PENDING: "orange",
    pickup.PickupStatus.PARTIAL: "blue",
    pickup.PickupStatus.PICKED_UP: "green",
}


def render(show_id: int, actor: Actor, show_title: str) -> None:
    query = st.text_input("跟团号 / 手机尾号 / 姓名", key=QUERY_KEY, placeholder="如 12、5678、王芳，回车查找")
    if not (query or "").strip():
        counts = ctx.read(pickup.status_counts, show_id)
        st.caption(" · ".join(f"{s.label} {counts[s]}" for s in pickup.PickupStatus))
        return
    shown_query, shown_ids = st.session_state.get(SHOWN_KEY, ("", []))
    keep = shown_ids if shown_query == query else []
    found = ctx.read(pickup.find, show_id, query, keep=keep)
    st.session_state[SHOWN_KEY] = (query, [r.entry_id for r in found])
    if not found:
        st.info("没有找到：请核对跟团号、手机尾号（4 位）或姓名。")
        return
    st.caption(f"找到 {len(found)} 单")
    for row in found:
        _card(row, actor, show_title)
    _elsewhere(show_id, found)


def _elsewhere(show_id: int, found: list[pickup.PickupRow]) -> None:
    """The same neighbour's orders still open in other shows: where to hand them over."""
    other = ctx.read(pickup.open_elsewhere, show_id, found)
    if not other:
        return
    where = "、".join(f"「{o.title}」{o.orders} 单 {o.units} 份" for o in other)
    how = "请用那一场的提货链接核销" if access.on_link() else "请在左侧切换到那一场核销"
    st.info(f"{md(found[0].name)} 在其他场次还有未提：{md(where)}（{how}）。", icon="📦")


def _card(row: pickup.PickupRow, actor: Actor, show_title: str) -> None:
    with st.container(border=True, key=f"pickup_card_{row.entry_id}"):
        st.markdown(f"**{md(row.seq_text)} {md(row.name)}** · {md(row.place)}")
        spec = f"（{row.spec}）" if row.spec else ""
        st.text(f"{row.product} ×{row.qty}{spec}")
        st.badge(_status_text(row), color=STATUS_COLORS[row.status])
        if row.check and row.remaining:
            st.warning(row.check, icon="⚠️")
        if row.picked_at:
            st.caption(f"{row.via_label or '提货'}：{md(row.picked_by or '—')} · {pickup.when_text(row.picked_at)}")
        gifts = _perks(row)
        if row.remaining:
            _mark_buttons(row, actor, gifts)
        elif row.open_perks:
            st.button("补发赠品", key=f"pickup_gift_{row.entry_id}", width="stretch",
                      on_click=_hand, args=(row, actor, gifts), disabled=not gifts)
        if row.status == pickup.PickupStatus.PICKED_UP:
            with st.expander("关怀消息（复制后私信）", expanded=st.session_state.get(LAST_KEY) == row.entry_id):
                st.code(pickup.care_message_for(row, show_title), language=None, wrap_lines=True)
        if row.picked_qty or any(p.handed for p in row.perks):
            with st.popover("撤销…", width="stretch"):
                st.caption("撤销这单最近一次的提货（含同时发出的赠品）。")
                st.button("确认撤销", key=f"pickup_undo_{row.entry_id}", on_click=_undo, args=(row, actor))


def _status_text(row: pickup.PickupRow) -> str:
    if row.status == pickup.PickupStatus.PARTIAL:
        return f"{row.status_label} {row.picked_qty}/{row.qty}"
    return row.status_label  # 已提货, or 已发货 for a 快递 order


def _perks(row: pickup.PickupRow) -> list[int]:
    """The perks owed: handed ones ticked off, open ones as checkboxes (ticked: hand out now)."""
    chosen = []
    for p in row.perks:
        if p.handed:
            st.caption(f"✓ {md(p.label)}（已发）")
        elif st.checkbox(f"赠品：{md(p.label)}", value=True, key=f"pickup_perk_{row.entry_id}_{p.item_id}"):
            chosen.append(p.item_id)
    return chosen


def _mark_buttons(row: pickup.PickupRow, actor: Actor, gifts: list[int]) -> None:
    st.button(f"已提货 ×{row.remaining}", key=f"pickup_mark_{row.entry_id}", type="primary", width="stretch",
              on_click=_mark, args=(row, actor, None, gifts))
    if row.remaining > 1:
        with st.popover("部分提货", width="stretch"):
            qty = st.number_input("本次提几份", min_value=1, max_value=row.remaining - 1, value=1, step=1,
                                  key=f"pickup_qty_{row.entry_id}")
            st.button("确认部分提货", key=f"pickup_part_{row.entry_id}", on_click=_mark,
                      args=(row, actor, "qty", gifts))


def _mark(row: pickup.PickupRow, actor: Actor, qty: str | None, gifts: list[int]) -> None:
    n = int(st.session_state.get(f"pickup_qty_{row.entry_id}", 1)) if qty else None
    key = pickup.request_key("mark", row, actor, n)
    done = access.act(pickup.mark, actor, row.entry_id, n, gifts=gifts, key=key,
                      success=f"{row.seq_text} {row.name}：已提货 ×{n or row.remaining}")
    if done and done.value.status == pickup.PickupStatus.PICKED_UP:
        st.session_state[LAST_KEY] = row.entry_id


def _hand(row: pickup.PickupRow, actor: Actor, gifts: list[int]) -> None:
    key = pickup.request_key("gift", row, actor)
    access.act(pickup.hand_gifts, actor, row.entry_id, gifts, key=key, success="赠品已登记发放")


def _undo(row: pickup.PickupRow, actor: Actor) -> None:
    key = pickup.request_key("undo", row, actor)
    access.act(pickup.undo, actor, row.entry_id, key=key, success=f"已撤销 {row.seq_text} {row.name} 的提货")
    st.session_state.pop(LAST_KEY, None)
