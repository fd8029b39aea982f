"""承诺履约: every promise with its progress, items to tick (one by one or by chain range),
claims to log and resolve, and the promise's status. Reads and writes through services.promises.

The items follow the chain by themselves (each chain change brings them along as it commits:
services.promises.follow_chain); drawing the page never re-expands. 「同步名单」 re-expands the
show's promises as a whole. The items are filtered and paged in SQL (ui.promises_items)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from services import clock, promises, shows
from services.authz import can
from services.errors import DomainError
from services.formats import pct
from ui import context as ctx
from ui.markdown import literal
from ui import outcomes, promises_items

ALL = "__all__"
RED = "color: #d62728; font-weight: 600"


def fmt(at: datetime | None) -> str:
    return f"{at.month}月{at.day}日 {at:%H:%M}" if at else ""


def render_header(show, actor) -> None:
    head, sync_col = st.columns([5, 1])
    head.title(f"承诺履约 · {literal(show.title)}")
    if sync_col.button("同步名单", key="promises_sync", help="按最新接龙名单重新生成履约项（取消、候补转正都会跟上）"):
        done = ctx.act(promises.sync_show, show.id, actor=actor)
        if done:
            r = done.value
            st.toast(f"已同步：新增 {r.added} 项，恢复 {r.reactivated} 项，移出 {r.deactivated} 项")


def render_figures(show_id: int, now: datetime) -> None:
    counts = ctx.read(promises.counts, show_id)
    rate = ctx.read(promises.kept_rate, show_id, now)
    overdue_total = ctx.read(promises.overdue_count, show_id, now)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("本场承诺", counts["total"])
    m2.metric("待履约", counts[promises.PromiseStatus.OPEN])
    m3.metric("兑现率", pct(rate), help="已兑现 ÷ 未豁免的承诺；都还在履约期内、没有逾期时显示 —")
    m4.metric("逾期履约项", overdue_total)
    if overdue_total:
        st.markdown(f":red[**有 {overdue_total} 项履约已逾期，请尽快处理。**]")


# ---------------------------------------------------------------- paste → drafts


def render_paste(show_id: int, actor) -> None:
    with st.expander("粘贴文字稿 / 笔记，识别承诺", expanded=False):
        paste = st.text_area("直播文字稿或笔记（每行一句）", key="promises_paste_text", height=140)
        if st.button("识别承诺", key="promises_detect"):
            _detect(show_id, paste)
        drafts = st.session_state.get("promises_drafts") or []
        if drafts:
            _review_drafts(show_id, actor, drafts)


def _detect(show_id: int, paste: str) -> None:
    try:
        found = ctx.read(promises.detect_show, show_id, paste)
    except DomainError as exc:
        st.error(literal(str(exc)))
        return
    st.session_state["promises_drafts"] = [
        {"text": d.text, "kind": d.kind, "first_n": d.first_n, "due_hint": d.due_hint or "", "min_qty": d.min_qty,
         "deal_id": d.deal_id, "hint": f"⚠ {d.hint}" if d.hint else ""}
        for d in found
    ]
    st.session_state["promises_drafts_rev"] = st.session_state.get("promises_drafts_rev", 0) + 1
    if not found:
        st.info("没有识别到承诺。")


def _review_drafts(show_id: int, actor, drafts: list[dict]) -> None:
    deals = ctx.read(promises.deal_choices, show_id)
    deal_names = {f"{p}（#{i}）": i for i, p in deals}
    none_label = "（整场，不指定团品）"
    name_of = {i: n for n, i in deal_names.items()}
    df = pd.DataFrame(
        {
            "采用": [True] * len(drafts),
            "原话": [d["text"] for d in drafts],
            "类型": [promises.KIND_LABELS[d["kind"]] for d in drafts],
            "前N名": pd.array([d["first_n"] for d in drafts], dtype="Int64"),
            "满N份": pd.array([d.get("min_qty") for d in drafts], dtype="Int64"),
            "时限": [d["due_hint"] for d in drafts],
            "团品": [name_of.get(d.get("deal_id"), none_label) for d in drafts],
            "提示": [d.get("hint", "") for d in drafts],
        }
    )
    unsure = sum(bool(d.get("hint")) for d in drafts)
    st.caption(
        f"识别到 {len(drafts)} 条，请逐条核对后保存（取消勾选「采用」即不保存）。"
        + (f"其中 {unsure} 条没把握，已在「提示」列用 ⚠ 说明原因。" if unsure else "")
        + "团品按原话里提到的商品推断，没提到的沿用上文提到的团品。"
    )
    edited = st.data_editor(
        df,
        hide_index=True,
        width="stretch",
        key=f"promises_drafts_editor_{st.session_state.get('promises_drafts_rev', 0)}",
        column_config={
            "采用": st.column_config.CheckboxColumn(width="small"),
            "原话": st.column_config.TextColumn(width="large"),
            "类型": st.column_config.SelectboxColumn(options=list(promises.KIND_LABELS.values()), required=True),
            "前N名": st.column_config.NumberColumn(min_value=1, step=1),
            "满N份": st.column_config.NumberColumn(min_value=1, step=1, help="每位跟团人至少买 N 份才有（如「满两份送」）"),
            "团品": st.column_config.SelectboxColumn(options=[none_label, *deal_names], required=True),
            "提示": st.column_config.TextColumn(disabled=True, width="medium"),
        },
    )
    by_label = {v: k for k, v in promises.KIND_LABELS.items()}
    if st.button("保存选中的承诺", key="promises_save_drafts", type="primary"):
        chosen = [
            promises.DraftIn(
                text=r["原话"], kind=by_label[r["类型"]],
                first_n=None if pd.isna(r["前N名"]) else int(r["前N名"]),
                due_hint=r["时限"] or None, deal_id=deal_names.get(r["团品"]),
                min_qty=None if pd.isna(r["满N份"]) else int(r["满N份"]),
            )
            for r in edited.to_dict("records") if r["采用"]
        ]
        if ctx.act(promises.log_drafts, actor, show_id, chosen, success=f"已保存 {len(chosen)} 条承诺"):
            st.session_state.pop("promises_drafts", None)
            st.rerun()


# ---------------------------------------------------------------- filters and the list


def render_list(show_id: int, now: datetime) -> list:
    """The filtered promises as a table; returns them (stops the page when there are none)."""
    all_shows = ctx.read(shows.list_shows)
    show_names = {ALL: "全部场次", **{s.id: s.title for s in all_shows}}
    f1, f2, f3 = st.columns(3)
    pick_show = f1.selectbox("场次", list(show_names), index=list(show_names).index(show_id) if show_id in show_names else 0,
                             format_func=lambda k: show_names[k], key="promises_filter_show")
    pick_kind = f2.selectbox("类型", [ALL, *promises.KINDS], format_func=lambda k: "全部类型" if k == ALL else promises.KIND_LABELS[k],
                             key="promises_filter_kind")
    pick_status = f3.selectbox("状态", [ALL, *promises.STATUSES],
                               format_func=lambda k: "全部状态" if k == ALL else promises.STATUS_LABELS[k],
                               key="promises_filter_status")
    rows = ctx.read(
        promises.list_promises,
        None if pick_show == ALL else pick_show,
        None if pick_kind == ALL else pick_kind,
        None if pick_status == ALL else pick_status,
        now=now,
    )
    if not rows:
        st.info("没有符合条件的承诺。直播中可在「中控台」的承诺速记里一句话记录。")
        st.stop()
    _table(rows)
    return rows


def _table(rows: list) -> None:
    table = pd.DataFrame(
        {
            "编号": [r.id for r in rows],
            "类型": [r.kind_label for r in rows],
            "进度": [(r.done / r.total) if r.total else 0.0 for r in rows],
            "完成": [r.progress_text for r in rows],
            "逾期": [r.overdue for r in rows],
            "状态": [r.status_label for r in rows],
            "原话": [r.text for r in rows],
            "团品": [r.deal_product or "整场" for r in rows],
            "范围": [r.scope_label if r.confirmed else "待确认" for r in rows],
            "时间": [fmt(r.said_at) for r in rows],
            "截止": [fmt(r.due_at) for r in rows],
        }
    )
    styled = table.style.apply(lambda row: [RED if row["逾期"] else "" for _ in row], axis=1)
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        key="promises_table",
        column_config={
            "进度": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent", width="small"),
            "原话": st.column_config.TextColumn(width="large"),
        },
    )


def pick_promise(rows: list):
    labels = {r.id: f"#{r.id}【{r.kind_label}】{r.text[:30]}{'…' if len(r.text) > 30 else ''}" for r in rows}
    ids = list(labels)
    chosen_id = st.session_state.get("promises_open")
    pid = st.selectbox("查看 / 处理承诺", ids, index=ids.index(chosen_id) if chosen_id in ids else 0,
                       format_func=lambda i: labels[i], key="promises_pick")
    st.session_state["promises_open"] = pid
    return next(r for r in rows if r.id == pid)


# ---------------------------------------------------------------- one promise


def render_promise(row) -> None:
    st.divider()
    st.text(row.text)
    st.caption(
        f"{row.kind_label} · {literal(row.deal_product or '整场')} · 说于 {fmt(row.said_at)} · "
        f"范围：{row.scope_label if row.confirmed else '待确认'} · 截止：{fmt(row.due_at) or '未设'} · 状态：{row.status_label}"
    )
    if row.total:
        st.progress(row.done / row.total, text=f"已完成 {row.done}/{row.total}")
    elif row.confirmed and row.scope != promises.Scope.CLAIMS:
        st.caption("范围内还没有有效跟团，接龙有人后点「同步名单」。")
    if row.overdue:
        st.markdown(f":red[**逾期 {row.overdue} 项**]")


def render_corrections(row, actor) -> None:
    pid = row.id
    with st.expander("更正 / 确认范围", expanded=not row.confirmed):
        deals = ctx.read(promises.deal_choices, row.show_id)
        deal_opts = {0: "整场（不指定团品）", **{i: p for i, p in deals}}
        c1, c2 = st.columns(2)
        new_kind = c1.selectbox("类型", list(promises.KINDS), index=promises.KINDS.index(row.kind),
                                format_func=promises.KIND_LABELS.get, key=f"promises_kind_{pid}")
        new_deal = c2.selectbox("团品", list(deal_opts), index=list(deal_opts).index(row.deal_id or 0),
                                format_func=deal_opts.get, key=f"promises_deal_{pid}")
        if (new_kind, new_deal or None) != (row.kind, row.deal_id) and st.button("保存更正", key=f"promises_fix_{pid}"):
            if ctx.act(promises.update_promise, actor, pid, kind=new_kind, deal_id=new_deal or None, success="已更正"):
                st.rerun()
        _confirm_scope(row, actor)
        if not row.confirmed and st.button("删除（记错了）", key=f"promises_discard_{pid}"):
            if ctx.act(promises.discard, actor, pid, success="已删除"):
                st.session_state.pop("promises_open", None)
                st.rerun()


def _confirm_scope(row, actor) -> None:
    pid = row.id
    s1, s2, s3 = st.columns(3)
    scope = s1.selectbox("履约范围", list(promises.SCOPES), index=promises.SCOPES.index(row.scope),
                         format_func=promises.SCOPE_LABELS.get, key=f"promises_scope_{pid}")
    counted = scope in (promises.Scope.FIRST_N, promises.Scope.MIN_QTY)
    n_default = (row.min_qty if scope == promises.Scope.MIN_QTY else row.first_n) or (2 if scope == promises.Scope.MIN_QTY else 50)
    first_n = s2.number_input("满 N 份" if scope == promises.Scope.MIN_QTY else "前 N 名", min_value=1, value=n_default,
                              step=1, key=f"promises_n_{pid}", disabled=not counted)
    due_default = row.due_at or datetime.combine(row.said_at.date() + timedelta(days=1), time(12, 0))
    has_due = s3.checkbox("设截止时间", value=row.due_at is not None, key=f"promises_has_due_{pid}")
    d1, d2 = st.columns(2)
    due_day = d1.date_input("截止日期", value=due_default.date(), key=f"promises_due_day_{pid}", disabled=not has_due)
    due_time = d2.time_input("截止时间", value=due_default.time(), key=f"promises_due_time_{pid}", disabled=not has_due)
    label = "确认并生成履约项" if not row.confirmed else "重新确认范围"
    if st.button(label, key=f"promises_confirm_{pid}", type="primary" if not row.confirmed else "secondary"):
        due = datetime.combine(due_day, due_time) if has_due else None
        done = ctx.act(promises.confirm, actor, pid, scope=scope,
                       first_n=int(first_n) if scope == promises.Scope.FIRST_N else None, due_at=due,
                       min_qty=int(first_n) if scope == promises.Scope.MIN_QTY else None)
        if done:
            st.toast(f"已确认：新增 {done.value.added} 项履约")
            st.rerun()


def render_status(row, actor) -> None:
    pid = row.id
    if row.suggest_kept:
        st.success("全部履约项已完成，建议标记为「已兑现」。")
        if st.button("标记为已兑现", key=f"promises_keep_{pid}", type="primary"):
            if ctx.act(promises.set_status, actor, pid, promises.PromiseStatus.KEPT, success="已标记为已兑现"):
                st.rerun()
    t1, t2 = st.columns([3, 1])
    new_status = t1.segmented_control("承诺状态", list(promises.STATUSES), default=row.status,
                                      format_func=promises.STATUS_LABELS.get, key=f"promises_status_{pid}")
    open_left = row.total - row.done
    open_ok = False
    if new_status == promises.PromiseStatus.KEPT and new_status != row.status and open_left > 0:
        st.warning(f"还有 {open_left} 项履约未完成（共 {row.total} 项）。标记为「已兑现」前请确认这些都已处理。")
        open_ok = st.checkbox(f"我确认：{open_left} 项未完成也标记为已兑现", key=f"promises_open_ok_{pid}")
    if new_status and new_status != row.status and t2.button("更新状态", key=f"promises_status_save_{pid}"):
        if ctx.act(promises.set_status, actor, pid, new_status, open_ok=open_ok, success="状态已更新"):
            st.rerun()


def render_claim_form(row, actor) -> None:
    pid = row.id
    st.subheader("退款 / 赔付申请")
    with st.form(f"promises_claim_form_{pid}", clear_on_submit=True):
        c1, c2 = st.columns([1, 2])
        buyer = c1.text_input("申请人", key=f"promises_claim_buyer_{pid}")
        reason = c2.text_input("原因", key=f"promises_claim_reason_{pid}", placeholder="如：收到2个坏果")
        if st.form_submit_button("登记申请"):
            if ctx.act(promises.add_claim, actor, pid, buyer, reason, success="申请已登记"):
                st.rerun()


# ---------------------------------------------------------------- items


def render_range_ticks(row, actor) -> None:
    pid = row.id
    r1, r2, r3 = st.columns([2, 1, 1])
    span = r1.text_input("按接龙序号批量勾选", key=f"promises_range_{pid}", placeholder="如 1-50")
    for col, done, text in ((r2, True, "批量勾选"), (r3, False, "批量取消")):
        if col.button(text, key=f"promises_range_{'on' if done else 'off'}_{pid}"):
            try:
                first, last = promises.parse_range(span)
            except DomainError as exc:
                st.error(literal(str(exc)))
            else:
                ticked = ctx.act(promises.tick_range, actor, pid, first, last, done)
                if ticked:
                    st.toast(f"{text}：{ticked.value} 项")
                    st.rerun()


def main() -> None:
    show_id = ctx.selected_show()
    actor = ctx.actor()
    outcomes.settle(show_id)
    show = ctx.read(shows.get_show, show_id)
    writer, fulfil = can(actor, "promise.write"), can(actor, "promise.fulfil")
    render_header(show, actor)
    now = clock.now()
    render_figures(show_id, now)
    if writer:
        render_paste(show_id, actor)
    row = pick_promise(render_list(show_id, now))
    render_promise(row)
    claims = row.scope == promises.Scope.CLAIMS
    if writer:
        render_corrections(row, actor)
        render_status(row, actor)
        if claims:
            render_claim_form(row, actor)
    elif claims:
        st.subheader("退款 / 赔付申请")
    if not claims and fulfil and row.total:
        render_range_ticks(row, actor)
    if row.total:
        promises_items.render_items(row, actor, fulfil, now)
    elif row.confirmed and claims:
        st.caption("还没有登记的申请。")
    if row.confirmed and not claims and st.checkbox("显示已退出范围的跟团（取消 / 候补）", key=f"promises_inactive_{row.id}"):
        promises_items.render_inactive(row, now)


main()
