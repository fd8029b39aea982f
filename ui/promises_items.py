"""One promise's items on the 承诺履约 page: filtered and paged in SQL (a whole-show promise of
40k items draws one screenful), ticked one row at a time, with the 楼栋/取货点 each gift goes to."""
from __future__ import annotations

import dataclasses
from datetime import datetime

import pandas as pd
import streamlit as st

from services import pickup, promises
from services.errors import DomainError
from ui import context as ctx

PAGE_SIZE = 50
ALL = "__all__"


def fmt(at: datetime | None) -> str:
    return f"{at.month}月{at.day}日 {at:%H:%M}" if at else ""


def _state(i) -> str:
    if i.done:
        return "已完成"
    return "逾期" if i.overdue else "待办"


def item_query(pid: int, *, active: bool = True) -> promises.ItemQuery:
    """The filters above the items (情况, 楼栋/地址, 序号范围) and the page picked."""
    f1, f2, f3, f4 = st.columns([1, 1, 1, 1])
    state = f1.selectbox("情况", [ALL, *promises.ITEM_STATE_LABELS], key=f"promises_items_state_{pid}",
                         format_func=lambda k: "全部" if k == ALL else promises.ITEM_STATE_LABELS[k])
    place = f2.text_input("楼栋 / 地址包含", key=f"promises_items_place_{pid}", placeholder="如 5栋、东门自提")
    span = f3.text_input("接龙序号", key=f"promises_items_span_{pid}", placeholder="如 1-200")
    first = last = None
    if span.strip():
        try:
            first, last = promises.parse_range(span)
        except DomainError as exc:
            st.error(str(exc))
    page = f4.number_input("页码", min_value=1, value=1, step=1, key=f"promises_items_page_{pid}")
    return promises.ItemQuery(
        state=None if state == ALL else state, place=place, seq_from=first, seq_to=last, active=active,
        offset=(int(page) - 1) * PAGE_SIZE, limit=PAGE_SIZE, by_entry=True,
    )


def _save_items(actor, pid: int, claims: bool, editor_key: str, ids_key: str) -> None:
    """The item editor's callback: only the rows just edited, through the one write path."""
    edited = (st.session_state.get(editor_key) or {}).get("edited_rows", {})
    item_ids = st.session_state.get(ids_key, [])
    col_done, col_note = ("已处理", "处理结果") if claims else ("完成", "备注")
    changes = [
        promises.ItemChange(item_ids[int(i)], done=v.get(col_done), note=v.get(col_note))
        for i, v in edited.items() if int(i) < len(item_ids)
    ]
    if changes:
        ctx.act(promises.update_items, actor, pid, changes, success="已保存")
    st.session_state["promises_items_rev"] = st.session_state.get("promises_items_rev", 0) + 1


def _frame(pid: int, items: list, claims: bool) -> tuple[pd.DataFrame, list[str]]:
    if claims:
        df = pd.DataFrame({
            "已处理": [i.done for i in items], "处理结果": [i.note for i in items], "申请": [i.label for i in items],
            "截止": [fmt(i.due_at) for i in items], "情况": [_state(i) for i in items],
        })
        return df, ["已处理", "处理结果"]
    ways = ctx.read(pickup.how_fulfilled, pid, [i.id for i in items])  # 自提核销 / 配送送达 / 手动勾选 …
    df = pd.DataFrame({
        "完成": [i.done for i in items],
        "情况": [_state(i) for i in items],
        "序号": pd.array([i.seq for i in items], dtype="Int64"),
        "团员": [i.buyer for i in items],
        "楼栋/取货点": [pickup.pickup_group(i.address, i.entry_note) for i in items],
        "地址": [i.address for i in items],
        "数量": pd.array([i.qty for i in items], dtype="Int64"),
        "规格": [i.spec for i in items],
        "备注": [i.note for i in items],
        "截止": [fmt(i.due_at) for i in items],
        "履约方式": [ways.get(i.id, "") for i in items],
    })
    return df, ["完成", "备注"]


def render_items(row, actor, fulfil: bool, now: datetime) -> int:
    """The filtered page of items; returns how many items match the filters in all."""
    pid = row.id
    claims = row.scope == promises.Scope.CLAIMS
    query = item_query(pid)
    if not query.filtered:  # the promise's row already counted its active items
        query = dataclasses.replace(query, count=False)
    items, total = ctx.read(promises.items_page, pid, query, now=now)
    if total < 0:
        total = row.total
    if not total:
        st.caption("没有符合条件的履约项。")
        return 0
    pages = -(-total // PAGE_SIZE)
    st.caption(
        f"共 {total} 项，第 {query.offset // PAGE_SIZE + 1}/{pages} 页（每页 {PAGE_SIZE} 项）。"
        + ("勾选或填写备注后自动保存；「情况」为逾期的请尽快处理。" if fulfil else "只读：你的角色不能勾选履约。")
    )
    ids_key = f"promises_item_ids_{pid}"
    st.session_state[ids_key] = [i.id for i in items]
    editor_key = f"promises_items_{pid}_{st.session_state.get('promises_items_rev', 0)}"
    df, editable = _frame(pid, items, claims)
    st.data_editor(
        df,
        hide_index=True,
        width="stretch",
        key=editor_key,
        disabled=True if not fulfil else [c for c in df.columns if c not in editable],
        on_change=_save_items if fulfil else "rerun",
        args=(actor, pid, claims, editor_key, ids_key) if fulfil else None,
        column_config={
            editable[0]: st.column_config.CheckboxColumn(width="small"),
            editable[1]: st.column_config.TextColumn(width="medium", max_chars=500),
        },
    )
    return total


def render_inactive(row, now: datetime) -> None:
    gone, total = ctx.read(promises.items_page, row.id, promises.ItemQuery(active=False, limit=PAGE_SIZE), now=now)
    if not gone:
        st.caption("没有退出范围的跟团。")
        return
    if total > len(gone):
        st.caption(f"共 {total} 项，显示前 {len(gone)} 项。")
    st.dataframe(
        pd.DataFrame({
            "序号": pd.array([i.seq for i in gone], dtype="Int64"),
            "团员": [i.buyer for i in gone],
            "跟团状态": [i.entry_status_label for i in gone],
            "曾完成": [i.done for i in gone],
            "备注": [i.note for i in gone],
        }),
        hide_index=True,
        width="stretch",
    )
