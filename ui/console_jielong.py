"""Console panel: 接龙. Pick the deal; before release: readiness, timing advice and the release
button; always: the jielong text to copy, the live totals and the progress text (a fragment
that refreshes itself and reminds the assistant to post it every PROGRESS_REMINDER_S seconds,
2 minutes by default); to intake: paste → preview → confirm, file import with column mapping
and progress, single entries and cancellations; the entries table. Read-only without chain.write.
"""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from services import clock, config, jielong, shows
from services.authz import Actor, can
from services.errors import DomainError
from ui import context as ctx
from ui.tables import blank_missing, in_view, narrow, with_spec
from ui.picks import held_pick
from ui.markdown import literal
from ui import members_night

K = "console_jielong_"
REMIND_S = config.get_float("PROGRESS_REMINDER_S")
REFRESH_S = config.get_float("JIELONG_REFRESH_S")
ADVICE_REFRESH_S = config.get_float("JIELONG_ADVICE_REFRESH_S")
ADVICE_BOX = {"now": st.success, "soon": st.info, "wait": st.warning}
NONE_COLUMN = "（不导入）"
# Shortcuts of the chain paste (issue 13 #17): single keys, so typing in the paste box never
# fires them (click beside the box first); one deal's box is shown at a time.
KEY_PREVIEW, KEY_SAVE = "P", "S"


def _deal_options(session, show_id: int) -> list[tuple[int, str, str]]:
    return [(d.id, d.product, d.status) for d in jielong.list_deals(session, show_id)]


def render(show_id: int, actor: Actor) -> None:
    with st.container(border=True):
        options = ctx.read(_deal_options, show_id)
        if not options:
            st.info("本场还没有团品，请到「场次准备」添加团品。")
            return
        labels = {i: f"{p}（{jielong.status_label(s)}）" for i, p, s in options}
        ids = [i for i, _, _ in options]
        focus = ctx.read(shows.deal_in_focus, show_id)  # the deal the room is on (one rule)
        default = focus.id if focus is not None and focus.id in ids else ids[0]
        key = f"{K}deal_{show_id}"
        # Set on every run, not only when missing: the selectbox becomes a new widget when its
        # labels change (a release turns 草稿 into 已发布), and a new widget would otherwise
        # start on the first deal instead of the one the assistant is working on.
        chosen = st.session_state.get(key)
        st.session_state[key] = chosen if chosen in ids else default
        deal_id = st.selectbox("团品", ids, format_func=labels.get, key=key)
        deal = ctx.read(jielong.get_deal, deal_id)
        if deal.status == jielong.DealStatus.DRAFT:
            _release_box(deal_id, actor)
            members_night.koc_panel(show_id, deal_id, False)
            with st.expander("接龙文案（右上角一键复制，发到群里）", expanded=True):
                st.code(ctx.read(jielong.jielong_text, deal_id), language=None, wrap_lines=True)
            return
        rows = ctx.read(jielong.list_entries, deal_id)
        if can(actor, "chain.write"):  # intake first: it is what the assistant comes here for
            scope = f"{show_id}_{deal_id}"  # every input and message belongs to one show and deal
            paste, upload, single = st.tabs(["粘贴接龙", "导入订单表", "手动录入 / 取消"])
            with paste:
                _paste(deal_id, actor, scope)
            with upload:
                _import(deal_id, actor, scope)
            with single:
                _single(deal_id, actor, deal.spec_options, rows, scope)
        _progress(deal_id)
        members_night.koc_panel(show_id, deal_id, True)
        with st.expander("接龙文案（右上角一键复制，发到群里）"):
            st.code(ctx.read(jielong.jielong_text, deal_id), language=None, wrap_lines=True)
        _entries(rows)


# ---------------------------------------------------------------- before release


@ctx.fragment(run_every=ADVICE_REFRESH_S)
def _release_box(deal_id: int, actor: Actor) -> None:
    deal = ctx.read(jielong.get_deal, deal_id)
    if deal.status != jielong.DealStatus.DRAFT:  # released from another console meanwhile
        st.rerun(scope="app")
    problems = ctx.read(jielong.readiness, deal_id)
    advice = ctx.read(jielong.release_advice, deal_id)
    left, right = st.columns([3, 2], gap="small")
    with left:
        if problems:
            st.error("发布前检查未通过：\n" + "\n".join(f"- {literal(p)}" for p in problems))
        else:
            st.success("发布前检查：都已就绪（专享价、成团数、限量、送达说明、截止时间）。")
        ADVICE_BOX[advice.status](f"发布时机：**{advice.label}**\n" + "\n".join(f"- {r}" for r in advice.reasons))
    with right:
        if can(actor, "deal.release"):
            if st.button("发布接龙", key=f"{K}release", type="primary", disabled=bool(problems), width="stretch"):
                if ctx.act(jielong.release, deal_id, actor, success="接龙已发布，请把接龙文案发到群里"):
                    st.rerun(scope="app")
            st.caption("每个团品只发布一次；发布后把接龙文案发到群里。")
        else:
            st.caption("接龙由直播助手发布。")


# ---------------------------------------------------------------- live totals and progress text


def _reminder_due(deal_id: int) -> bool:
    """True once every REMIND_S seconds per deal (the first call only starts the clock)."""
    now = time.monotonic()
    key = f"{K}reminded_{deal_id}"
    last = st.session_state.get(key)
    if last is None:
        st.session_state[key] = now
        return False
    if now - last >= REMIND_S:
        st.session_state[key] = now
        return True
    return False


@ctx.fragment(run_every=REFRESH_S)
def _progress(deal_id: int) -> None:
    deal = ctx.read(jielong.get_deal, deal_id)
    if jielong.deadline_failed(deal, clock.now()):
        ctx.act(jielong.check_outcomes, deal_id)  # 未成团: detected once, logged by the service
        deal = ctx.read(jielong.get_deal, deal_id)
    counted = jielong.deal_progress(deal)
    unit = jielong.unit_label(deal.threshold_unit)
    text = jielong.progress_text_of(deal)
    c1, c2 = st.columns(2)  # 2 × 2: the panel sits in the console's narrow right column
    c3, c4 = st.columns(2)
    c1.metric("已接龙", f"{deal.entries_valid} 单", f"{deal.units_valid} 份", delta_color="off", delta_arrow="off")
    if counted >= deal.threshold:
        c2.metric("成团", "已成团", f"{deal.threshold}{unit}", delta_color="off", delta_arrow="off")
    else:
        c2.metric("还差成团", f"{deal.threshold - counted} {unit}", f"成团数 {deal.threshold}", delta_color="off", delta_arrow="off")
    units_left, held = jielong.stock_left_words(deal.stock, deal.units_valid, deal.units_flagged)
    c3.metric("剩余", units_left, held or None, delta_color="off", delta_arrow="off")  # 另 3 份待核实
    c4.metric("候补", f"{deal.entries_waitlisted} 单", f"团员 {deal.buyers_valid} 人", delta_color="off", delta_arrow="off")
    if left := ctx.read(jielong.spec_stock_left, deal_id):
        st.caption(literal(left))  # spec names are typed by the team
    if flagged := jielong.flagged_text(deal):  # a failed deal's money: refunded, no 成交额
        st.warning(flagged)
    st.caption(f"状态：{jielong.status_label(deal.status)} · 进度播报（复制发到群里）：")
    st.code(text, language=None, wrap_lines=True)
    if _reminder_due(deal_id):
        st.toast(f"⏰ 该播报接龙进度了：{literal(text)}", duration="long")
    st.caption(f"每 {REMIND_S / 60:g} 分钟提醒一次播报进度。")  # the setting is in README, not for the host or the assistant


# ---------------------------------------------------------------- intake


def _safe(fn, *args):
    """A read whose refusal (bad input) is a message, not a traceback."""
    try:
        return ctx.read(fn, *args)
    except DomainError as exc:
        st.error(literal(str(exc)))
        return None


def _paste(deal_id: int, actor: Actor, scope: str) -> None:
    text_key, plan_key, result_key = f"{K}paste_text_{scope}", f"{K}plan_{scope}", f"{K}result_{scope}"
    text = st.text_area(
        "把群里的接龙整段复制粘贴到这里（可重复粘贴最新的完整接龙，不会重复记录）",
        key=text_key, height=180, placeholder="#接龙\n1. 王芳 2份 5栋\n2. 李四 1份",
    )
    # Always enabled: a text area reports its value on blur, so a button disabled until then
    # would stay grey right after Ctrl+V; the click itself sends the pasted text.
    if st.button("预览变化", key=f"{K}preview_{scope}", shortcut=KEY_PREVIEW,
                 help=f"快捷键 {KEY_PREVIEW}：预览这段接龙会带来的变化（光标在输入框里时不触发）"):
        if not text.strip():
            st.warning("请先把群里的接龙粘贴到上面的框里。")
            st.session_state.pop(plan_key, None)
        else:
            plan = _safe(jielong.preview_paste, deal_id, text)
            st.session_state[plan_key] = (deal_id, text, plan) if plan else None
            st.session_state.pop(result_key, None)  # the last save's 已保存 is not this preview's
    stored = st.session_state.get(plan_key)
    if stored and stored[0] == deal_id and stored[1] == text:
        plan: jielong.PastePlan = stored[2]
        st.info("预览：" + literal(plan.summary()))
        if plan.ignored:
            more = f"……等共 {len(plan.ignored)} 行" if len(plan.ignored) > 5 else ""
            st.text("未识别为接龙的行：" + "；".join(plan.ignored[:5]) + more)  # members' text: never markdown
        rows = plan.rows()
        if not plan.parsed:  # a header, a menu, a stray text: nothing to save, and said why
            st.warning("没有认出这个团品的接龙行：以编号开头、写了名字的行才算一单（如「1. 王芳 2份 5栋」），"
                       "标题、菜单和「例」行不算。请粘贴群里完整的接龙。")
            _result(scope)
            return
        if rows:
            if plan.unsure():  # the parser's ⚠ hints: say why, never guess silently (issue 15 #5)
                st.warning(f"有 {plan.unsure()} 条读取不确定，已在「提示」列说明原因，请核对后再保存。", icon="⚠️")
                more = f"\n……等共 {plan.unsure()} 条" if plan.unsure() > 10 else ""
                st.text("\n".join(plan.unsure_lines()) + more)  # in full: the narrow 提示 column shows only their start
            table = blank_missing(pd.DataFrame(rows))
            table = in_view(table, with_spec(table, ["变化", "团员", "数量", "状态", "提示"]))
            st.dataframe(table, hide_index=True, height=min(300, 38 + 35 * len(rows)),
                         column_config=narrow("变化", "团员", "数量", "规格", "状态", "序号", "超限购"))
        if st.button("确认保存", key=f"{K}confirm_{scope}", type="primary", shortcut=KEY_SAVE,
                     help=f"快捷键 {KEY_SAVE}：按预览保存（光标在输入框里时不触发）"):
            done = ctx.act(jielong.apply_paste, actor, deal_id, text, success="接龙已保存")
            if done:
                st.session_state[result_key] = done.value.summary()
                st.session_state.pop(plan_key, None)
                st.rerun(scope="app")
    _result(scope)


def _result(scope: str) -> None:
    if msg := st.session_state.get(f"{K}result_{scope}"):
        st.success("已保存：" + literal(msg))


def _import(deal_id: int, actor: Actor, scope: str) -> None:
    up = st.file_uploader("快团团 / 群接龙导出的订单表（CSV 或 XLSX）", type=["csv", "xlsx"], key=f"{K}file_{scope}")
    if up is None:
        st.caption("默认按快团团导出的列对应：跟团号、下单人、商品、规格、数量、订单金额、团员备注、自提点、收货人、联系电话、详细地址。")
        return
    data = up.getvalue()
    cols = _columns(up.file_id, data, up.name)
    if isinstance(cols, str):
        st.error(literal(cols))
        return
    default = jielong.default_mapping(cols)
    choices = [NONE_COLUMN] + cols
    mapping: dict[str, str] = {}
    with st.expander("列对应（可修改）", expanded="name" not in default):
        grid = st.columns(3)
        for i, (field, label) in enumerate(jielong.FIELD_LABELS.items()):
            pick = grid[i % 3].selectbox(
                label, choices, index=choices.index(default[field]) if field in default else 0,
                key=f"{K}map_{field}_{scope}",
            )
            if pick != NONE_COLUMN:
                mapping[field] = pick
    if st.button("开始导入", key=f"{K}import_{scope}", type="primary"):
        bar = st.progress(0.0, text="正在读取订单……")

        def progress(done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"已读取 {done} / {total} 行")

        done = ctx.act(jielong.import_orders, actor, deal_id, data, up.name, mapping, progress, success="导入完成")
        if done:
            bar.progress(1.0, text="导入完成")
            st.session_state[f"{K}result_{scope}"] = done.value.summary()
            st.rerun(scope="app")
        bar.empty()  # refused: the error above says why; no bar stuck at 0, no earlier 已保存 beside it
        st.session_state.pop(f"{K}result_{scope}", None)
    _result(scope)


def _columns(file_id: str, data: bytes, name: str) -> list[str] | str:
    """The file's columns (or why it cannot be read), read once per uploaded file: not again
    on every rerun of the page (a hostile workbook was parsed on each one)."""
    memo = st.session_state.get(f"{K}file_columns")
    if memo and memo[0] == file_id:
        return memo[1]
    try:
        cols: list[str] | str = jielong.columns(data, name)  # reads the file only, no database
    except DomainError as exc:
        cols = str(exc)
    st.session_state[f"{K}file_columns"] = (file_id, cols)
    return cols


def _single(deal_id: int, actor: Actor, spec_options: str, rows: list[dict], scope: str) -> None:
    specs = [s for s in (spec_options or "").split(",") if s]
    with st.form(f"{K}add_form_{scope}", clear_on_submit=True):
        c1, c2 = st.columns([2, 1])
        name = c1.text_input("团员昵称", key=f"{K}add_name_{scope}")
        qty = c2.number_input("数量（份）", min_value=1, max_value=999, value=1, step=1, key=f"{K}add_qty_{scope}")
        c3, c4 = st.columns(2)
        # "" is the deal's own price; a blank label would show Streamlit's English placeholder.
        spec = c3.selectbox("规格", [""] + specs, key=f"{K}add_spec_{scope}",
                            format_func=lambda s: s or "不选规格") if specs else ""
        address = c4.text_input("楼栋 / 自提点", key=f"{K}add_address_{scope}")
        note = st.text_input("备注", key=f"{K}add_note_{scope}")
        if st.form_submit_button("添加一条接龙"):
            if ctx.act(jielong.add_entry, actor, deal_id, name, int(qty), spec or "", note, address, success="已添加"):
                st.rerun(scope="app")
    live = [r for r in rows if r["status"] != jielong.EntryStatus.CANCELLED]
    if live:
        labels = {r["编号"]: f"{r['序号'] or '-'}. {r['团员']} {r['数量']}份（{r['状态']}）" for r in live}
        # The button under the picker, not beside it: a quarter of the narrow panel cut it to 「取…」 at 1280×800.
        pick = held_pick(st, "取消一条接龙（候补会自动递补）", labels, key=f"{K}cancel_pick_{scope}")
        if st.button("取消这条", key=f"{K}cancel_{scope}"):
            done = ctx.act(jielong.cancel_entry, actor, pick, success="已取消")
            if done:
                if done.value:
                    st.session_state[f"{K}result_{scope}"] = f"已取消，{len(done.value)} 条候补已递补为有效。"
                st.rerun(scope="app")


def _entries(rows: list[dict]) -> None:
    with st.expander(f"接龙明细（{len(rows)} 条）", expanded=bool(rows)):
        if not rows:
            st.caption("还没有接龙。")
            return
        df = blank_missing(pd.DataFrame(rows).drop(columns=["编号", "status"]))
        df = in_view(df, with_spec(df, ["序号", "团员", "数量", "状态", "提示"]))  # status and hint in view without scrolling sideways
        st.dataframe(df, hide_index=True, height=min(360, 38 + 35 * len(rows)),
                     column_config={**narrow("序号", "团员", "数量", "规格", "状态"),
                                    "时间": st.column_config.DatetimeColumn("时间", format="HH:mm:ss")})
