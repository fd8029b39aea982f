"""Console panel: 承诺速记. One text box + Enter stores what the host just promised, with the
time, the guessed kind and the deal being shown; both can be corrected with one click."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import promises
from services.authz import Actor, can
from services.errors import NotFound
from ui import context as ctx
from ui.markdown import literal

LAST_KEY = "console_promises_last"
NO_DEAL = 0


def render(show_id: int, actor: Actor) -> None:
    st.subheader("承诺速记")
    _panel(show_id, actor)


@ctx.fragment()
def _panel(show_id: int, actor: Actor) -> None:
    writer = can(actor, "promise.write")
    if writer:
        with st.form("console_promises_form", clear_on_submit=True, border=False):
            text = st.text_input(
                "主播刚说的承诺（回车即记录）",
                key="console_promises_text",
                placeholder="如：前50名送手札 / 不好吃包退 / 明天中午前送到",
            )
            submitted = st.form_submit_button("记录承诺")
        st.caption(literal(ctx.read(promises.quick_caption, show_id)))
        if submitted:
            if not text.strip():
                st.warning("请先输入主播说的原话。")
            else:
                done = ctx.act(promises.log_promise, actor, show_id, text, success="承诺已记录")
                if done:
                    st.session_state[LAST_KEY] = done.value.id
        last_id = st.session_state.get(LAST_KEY)
        if last_id:
            _correction(show_id, actor, last_id)
    _recent(show_id)


def _correction(show_id: int, actor: Actor, promise_id: int) -> None:
    """The promise just logged: its kind and deal, each changed with one click."""
    try:
        row = ctx.read(promises.promise_row, promise_id)
    except NotFound:
        st.session_state.pop(LAST_KEY, None)
        return
    if row.show_id != show_id:
        return
    st.caption("刚记录：")
    st.text(row.text)
    hint = ctx.read(promises.quick_hint, show_id, row.text)
    if hint:
        st.caption(f"⚠ {literal(hint)}")
    # Buttons, not a segmented control or pills with on_change: a value widget whose promise
    # is no longer shown (another show picked, another promise logged) can be reported
    # "changed" by the browser and fire its callback unasked; a button fires only when clicked,
    # and what it changes travels in its args.
    with st.container(horizontal=True, gap="small"):
        st.caption("类型（点一下即改）：")
        for kind in promises.KINDS:
            st.button(
                promises.KIND_LABELS[kind], key=f"console_promises_kind_{promise_id}_{kind}",
                type="primary" if kind == row.kind else "secondary", disabled=kind == row.kind,
                on_click=_set_kind, args=(actor, promise_id, kind),
            )
    deals = ctx.read(promises.deal_choices, show_id)
    if deals:
        names = {NO_DEAL: "整场（不指定团品）", **{i: p for i, p in deals}}
        current = row.deal_id or NO_DEAL
        with st.container(horizontal=True, gap="small"):
            st.caption("团品（点一下即改）：")
            for deal_id, name in names.items():
                st.button(
                    name, key=f"console_promises_deal_{promise_id}_{deal_id}",
                    type="primary" if deal_id == current else "secondary", disabled=deal_id == current,
                    on_click=_set_deal, args=(actor, promise_id, deal_id),
                )


def _set_kind(actor: Actor, promise_id: int, kind: str) -> None:
    ctx.act(promises.update_promise, actor, promise_id, kind=kind, success=f"类型已改为「{promises.KIND_LABELS[kind]}」")


def _set_deal(actor: Actor, promise_id: int, deal_id: int) -> None:
    ctx.act(promises.update_promise, actor, promise_id, deal_id=deal_id or None, success="团品已更正")


def _recent(show_id: int) -> None:
    rows = ctx.read(promises.recent, show_id, 5)
    if not rows:
        st.caption("本场还没有记录承诺。")
        return
    df = pd.DataFrame(
        {
            "时间": [r.said_at.strftime("%H:%M") for r in rows],
            "类型": [r.kind_label for r in rows],
            "进度": [r.progress_text if r.confirmed else "待确认" for r in rows],
            "原话": [r.text for r in rows],
            "团品": [r.deal_product or "整场" for r in rows],
        }
    )
    st.dataframe(df, hide_index=True, width="stretch", key="console_promises_recent")
    st.caption("确认范围、勾选履约请到左侧「承诺履约」页。")
