"""Console panel: 问题队列 — comment intake, the ranked question queue and its one-click actions.

Intake: 快速录入 (one line + Enter), 批量粘贴 (one comment per line, optional 昵称：内容), 文件导入
(CSV / JSONL). The queue lives in a fragment that refreshes itself (CONSOLE_QUEUE_REFRESH_S,
default 3 s) and shows question groups, not raw lines; chatter is hidden unless toggled, its count
always shown, and so is the open count. Actions run as widget callbacks (so the very next render
already shows their effect); their outcome is kept in session state and shown at the top of the
queue. Viewer text is only ever written with st.text / st.dataframe (never as markdown or HTML).
The host role sees the same queue read-only.
"""
from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import streamlit as st

from services import config, jielong, review, triage
from services.authz import Actor, can
from ui import context as ctx
from ui import kept
from ui.picks import held_pick
from ui.markdown import literal
from ui import members_night

P = "console_queue_"
FLASH = P + "flash"
REFRESH_S = config.get_float("CONSOLE_QUEUE_REFRESH_S")
LIMIT = 15
# Keyboard shortcuts (issue 13 #17): single keys, no modifier, so Streamlit ignores them while
# the cursor is in a text box (a Ctrl/Alt shortcut would fire there too). Y and X sit on one
# fixed pair of buttons that act on the top row, never on the rows themselves: a row button
# whose shortcut moved to another row kept its key binding in the browser, so one Y once
# answered two questions (seen after an undo on a loaded machine).
KEY_ANSWER, KEY_DISMISS, KEY_UNDO = "Y", "X", "Z"


def shortcut_help(key: str, what: str) -> str:
    """The tooltip of a button with a shortcut, in Chinese."""
    return f"快捷键 {key}：{what}（光标在输入框里时不触发）"


def render(show_id: int, actor: Actor) -> None:
    with st.container(border=True):
        if can(actor, "comment.write"):
            # A popover, not an expander: opened, it floats over the queue instead of pushing it
            # below the fold of a 1280×800 screen; Esc or a click beside it closes it.
            with st.popover("问题队列 · 录入评论（快速 / 批量粘贴 / 文件）", icon=":material/edit_note:"):
                _intake(show_id, actor)
        else:
            st.markdown("**问题队列**")
        _queue(show_id, actor)
        if can(actor, "lexicon.edit"):
            _lexicon_editor(show_id, actor)


# --- actions as callbacks ----------------------------------------------------------------------


def _apply(fn: Callable[..., Any], *args: Any, success: str = "", **kw: Any) -> None:
    """A button's callback, through the one write path (ctx.act: login re-checked, retried);
    its outcome is remembered and shown at the top of the queue on the very next render.
    Every row action is a button whose ids travel in `args`: a button fires only when clicked,
    whereas a value widget (selectbox with on_change) whose row left the queue can be reported
    "changed" by a browser that still shows it, firing a callback nobody asked for."""
    done = ctx.act(fn, *args, show_error=False, **kw)
    if not done:
        st.session_state[FLASH] = ("error", done.error)
        return
    st.session_state[FLASH] = ("success", done.value if isinstance(done.value, str) else success)


def _flash() -> None:
    kind, message = st.session_state.pop(FLASH, (None, ""))
    if kind == "error":
        st.error(literal(message))
    elif kind == "success" and message:
        st.success(literal(message))


def _answer(actor: Actor, group_id: int, key: str) -> None:
    _apply(triage.answer, actor, group_id, text=st.session_state.get(key, ""), success="已标记为已回复")


def _fill(key: str, text: str) -> None:
    st.session_state[key] = text


def _merge(actor: Actor) -> None:
    keep, other = st.session_state.get(P + "merge_keep"), st.session_state.get(P + "merge_other")
    if keep is None or other is None:
        st.session_state[FLASH] = ("error", "请选择要合并的两个问题。")
        return
    _apply(triage.merge, actor, keep, other, success="已合并")


# --- intake --------------------------------------------------------------------------------------


def _intake(show_id: int, actor: Actor) -> None:
    quick, paste, upload = st.tabs(["快速录入", "批量粘贴", "文件导入"])
    with quick:
        if kept.refill(P + "quick_form"):
            st.caption("上次没有保存成功，评论仍在输入框里，请再点「录入」。")
        with st.form(P + "quick_form", clear_on_submit=True, border=False):
            name_col, text_col = st.columns([1, 3])
            author = name_col.text_input("昵称（可选）", key=P + "quick_author")
            text = text_col.text_input("评论", placeholder="输入一条评论，回车录入", key=P + "quick_text")
            submitted = st.form_submit_button("录入")
        if submitted and text.strip():
            done = _kept_act(P + "quick_form", {P + "quick_author": author, P + "quick_text": text},
                             triage.ingest, actor, show_id, [triage.CommentIn(author, text)], "manual")
            if done:
                st.caption(_ingest_note(done.value))
        elif submitted:  # Enter in an empty box: say so (the 承诺速记 box does the same)
            st.warning("请先输入评论内容。")
    with paste:
        if kept.refill(P + "paste_form"):
            st.caption("上次没有保存成功，粘贴内容仍在输入框里，请再点「导入粘贴内容」。")
        with st.form(P + "paste_form", clear_on_submit=True, border=False):
            block = st.text_area(
                "每行一条评论，可带昵称（张姐：运费多少）", height=120, key=P + "paste_text"
            )
            submitted = st.form_submit_button("导入粘贴内容")
        if submitted:
            done = _kept_act(P + "paste_form", {P + "paste_text": block}, triage.ingest_text, actor, show_id, block)
            if done:
                st.success(literal(done.value.summary()))
    with upload:
        st.caption("CSV 表头：昵称,内容,时间（或 author,text,at）；JSONL：每行 {\"author\", \"text\", \"at\"}。重复导入同一文件不会重复计数。")
        file = st.file_uploader("评论文件", type=["csv", "jsonl", "json", "txt"], key=P + "file")
        if file is not None and st.button("导入文件", key=P + "file_import"):
            done = ctx.act(triage.ingest_file, actor, show_id, file.getvalue(), file.name)
            if done:
                st.success(literal(done.value.summary()))


def _kept_act(form: str, values: dict[str, str], fn: Callable[..., Any], *args: Any) -> ctx.Outcome:
    """ctx.act with the form's values kept until the write landed (ui.kept): a refused input
    or a database that stayed busy or away gives the person back what they typed."""
    kept.keep(form, values)
    done = ctx.act(fn, *args, show_error=False)
    if done:
        kept.drop(form)
        return done
    st.session_state[FLASH] = ("error", done.error)  # shown above the queue after the rerun
    st.rerun()


def _ingest_note(res: triage.IngestResult) -> str:
    if res.inserted:
        return "已录入。"
    if res.folded:
        return "同一观众几秒内重复发送，已合并为一条。"
    if res.empty:
        return "评论是空的（只有空格或看不见的字符），没有录入。"
    return "没有新增评论。"


# --- the queue -----------------------------------------------------------------------------------


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds // 60}分{seconds % 60:02d}秒" if seconds >= 60 else f"{seconds}秒"


def _top_buttons(actor: Actor, top: triage.GroupRow | None) -> None:
    """已回复 / 忽略 for the top row, with the Y / X keys (see KEY_ANSWER)."""
    st.button("已回复最上面", key=P + "top_answer", shortcut=KEY_ANSWER, disabled=top is None,
              help=shortcut_help(KEY_ANSWER, "最上面的问题标记为已回复"), on_click=_answer,
              args=(actor, top.id, f"{P}reply_{top.id}") if top else None)
    st.button("忽略最上面", key=P + "top_dismiss", shortcut=KEY_DISMISS, disabled=top is None,
              help=shortcut_help(KEY_DISMISS, "忽略最上面的问题，可撤销"), on_click=_apply,
              args=(triage.dismiss, actor, top.id) if top else None, kwargs={"success": "已忽略，可撤销"})


@ctx.fragment(run_every=REFRESH_S)
def _queue(show_id: int, actor: Actor) -> None:
    editable = can(actor, "question.act")
    _flash()
    show_chatter = st.session_state.get(P + "show_chatter", False)
    rows = ctx.read(triage.queue, show_id, include_chatter=show_chatter, limit=LIMIT)
    open_n = ctx.read(triage.open_count, show_id)
    chatter_n = ctx.read(triage.chatter_count, show_id)
    median_s = ctx.read(triage.median_response_s, show_id)

    c1, c2, c3 = st.columns([1, 1, 1.6])
    c1.metric("待处理问题", open_n)
    c2.metric("已隐藏闲聊", chatter_n)
    # A short label and a wide column: the value as the review writes it (34分12秒) was cut to
    # 「34分…」 at 1280×800 while the toggle and the undo button shared the row.
    c3.metric("回复中位", review.duration(median_s),
              help="从首次出现到已回复的中位用时（不含闲聊，与复盘一致）")
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.toggle("显示闲聊", key=P + "show_chatter")
        if editable:
            last = ctx.read(triage.last_action_label, actor, show_id)
            st.button(
                "撤销上一步",
                key=P + "undo",
                disabled=last is None,
                help=(f"撤销：{literal(last)}。" if last else "没有可撤销的操作。") + shortcut_help(KEY_UNDO, "撤销上一步"),
                shortcut=KEY_UNDO,
                on_click=_apply,
                args=(triage.undo, actor, show_id),
            )
            _top_buttons(actor, rows[0] if rows else None)
    if not rows:
        st.info("暂无待处理的问题。")
    askers = members_night.asker_badges(show_id, [r.id for r in rows])
    said = ctx.read(triage.voices, [r.id for r in rows])
    templates = ctx.read(jielong.reply_templates_for, show_id, [r.text for r in rows]) if editable else [{} for _ in rows]
    for row, filled in zip(rows, templates):
        _row(row, actor, editable, said.get(row.id), filled, askers.get(row.id, []))
    hidden = open_n - sum(r.status in triage.OPEN_STATUSES and r.category != triage.Category.CHATTER for r in rows)
    if hidden > 0:
        st.caption(f"还有 {hidden} 个待处理问题未显示（按热度排序，先处理上面的）。")
    if editable and len(rows) >= 2:
        _merge_form(rows, actor)
    with st.expander("已处理的问题"):
        done = ctx.read(triage.history, show_id, limit=50)
        if done:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "问题": r.text,
                            "类别": r.category_label,
                            "状态": r.status_label,
                            "提问人数": r.askers,
                            "回复用时": _age(r.response_s),
                            "回复内容": r.answer,
                        }
                        for r in done
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption("还没有已回复或已忽略的问题。")


def _askers(row: triage.GroupRow, said: triage.GroupVoices | None) -> str:
    names = (said.askers if said else [])[:3]
    who = "、".join(names) + (f" 等 {row.askers} 人" if row.askers > len(names) else "") if names else f"{row.askers} 人"
    return f"{who}问 · {row.comments} 条 · 首次 {row.first_seen:%H:%M:%S} · 最近 {row.last_seen:%H:%M:%S}"


def _row(row: triage.GroupRow, actor: Actor, editable: bool, said: triage.GroupVoices | None,
         templates: dict[str, str], askers: list | None = None) -> None:
    with st.container(border=True):
        head, meta = st.columns([3, 2])
        head.text(row.text)  # viewer text: always literal
        flag = "🔔 " if row.status == triage.QuestionStatus.TO_HOST else ""
        meta.caption(f"{flag}{row.category_label} · {row.status_label}")
        if row.hint:
            meta.caption(f"⚠ {row.hint}")
        st.text(_askers(row, said))  # viewers' names: literal, never markdown
        members_night.show_askers(askers or [])  # 新客 / 复购3场 / KOC / 售后关注 per asker
        if not editable:
            return
        reply_key = f"{P}reply_{row.id}"
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button(
                "给主播",
                key=f"{P}to_host_{row.id}",
                disabled=row.status == triage.QuestionStatus.TO_HOST,
                on_click=_apply,
                args=(triage.to_host, actor, row.id),
                kwargs={"success": "已转给主播"},
            )
            st.button("已回复", key=f"{P}answer_{row.id}", type="primary", on_click=_answer, args=(actor, row.id, reply_key))
            st.button(
                "忽略",
                key=f"{P}dismiss_{row.id}",
                on_click=_apply,
                args=(triage.dismiss, actor, row.id),
                kwargs={"success": "已忽略，可撤销"},
            )
            if said and said.comments:
                with st.popover("原话"):
                    for author, text, at in said.comments:
                        st.text(f"{at:%H:%M:%S} {author or '（匿名）'}：{text}")
            with st.popover("回复内容"):
                template = templates.get(row.category, "")
                st.caption("模板（右上角复制，发到群里时可 @ 提问的人）：")
                st.code(template, language=None, wrap_lines=True)
                st.text_area(
                    "回复内容（可选，点「已回复」时一并记录）", placeholder=template, key=reply_key
                )
                st.button(
                    "填入本类模板", key=f"{P}template_{row.id}", on_click=_fill, args=(reply_key, template)
                )
            _category_picker(row, actor)


def _category_picker(row: triage.GroupRow, actor: Actor) -> None:
    """改类别: one button per category, the group and the category in its args."""
    with st.popover(f"改类别（{row.category_label}）"):
        for category in triage.CATEGORIES:
            st.button(
                triage.CATEGORY_LABELS[category],
                key=f"{P}cat_{row.id}_{category}",
                disabled=category == row.category,
                width="stretch",
                on_click=_apply,
                args=(triage.recategorize, actor, row.id, category),
                kwargs={"success": "已改类别"},
            )


def _merge_form(rows: list[triage.GroupRow], actor: Actor) -> None:
    label = {r.id: f"#{r.id} {r.text[:18]}（{r.askers}人）" for r in rows}
    with st.expander("合并两个问题"):
        keep_col, other_col, go = st.columns([2, 2, 1])
        # Nothing chosen until the person chooses: with the top two preselected, one click on
        # 合并 folded two unrelated questions together (发货 into 坏果怎么赔).
        held_pick(keep_col, "保留", label, key=P + "merge_keep", index=None, placeholder="选择问题")
        held_pick(other_col, "并入", label, key=P + "merge_other", index=None, placeholder="选择问题")
        go.button("合并", key=P + "merge", on_click=_merge, args=(actor,))


# --- lexicon ------------------------------------------------------------------------------------


def _lexicon_editor(show_id: int, actor: Actor) -> None:
    with st.expander("分类词库"):
        st.caption(
            "评论里出现某个词，就给对应类别加分（权重 0–10；权重 0 可关闭内置词）。保存后下一批评论即按新词库分类；评论含您添加的词时，以词库为准，不用模型。"
        )
        probe = st.text_input("试一试：输入一条评论看分类", key=P + "lex_probe")
        if probe.strip():
            reading = triage.analyse(probe)
            hint = f"（⚠ {reading.hint}）" if reading.hint else ""
            st.caption(f"分类结果：{triage.CATEGORY_LABELS[reading.category]}{hint}")
        cats = list(triage.EDITABLE_CATEGORIES)
        with st.form(P + "lex_form", clear_on_submit=True, border=False):
            c1, c2, c3 = st.columns([2, 2, 1])
            cat = c1.selectbox("类别", cats, format_func=triage.CATEGORY_LABELS.get, key=P + "lex_category")
            term = c2.text_input("词语", key=P + "lex_term")
            weight = c3.number_input("权重", min_value=0.0, max_value=10.0, value=2.0, step=0.5, key=P + "lex_weight")
            if st.form_submit_button("保存词语"):
                ctx.act(triage.set_term, actor, cat, term, weight, show_id, success="词语已保存")
        terms = ctx.read(triage.list_terms)
        if terms:
            st.dataframe(
                pd.DataFrame(
                    [{"类别": triage.CATEGORY_LABELS.get(t.category, t.category), "词语": t.term, "权重": t.weight} for t in terms]
                ),
                hide_index=True,
                width="stretch",
                height=min(38 + 35 * len(terms), 250),
            )
            options = {t.id: f"{triage.CATEGORY_LABELS.get(t.category, t.category)}：{t.term}" for t in terms}
            d1, d2 = st.columns([3, 1])
            gone = held_pick(d1, "删除运营添加的词", options, key=P + "lex_delete_pick")
            if d2.button("删除", key=P + "lex_delete"):
                if ctx.act(triage.delete_term, actor, gone, show_id, success="已删除"):
                    st.rerun()
        else:
            st.caption(f"目前只用内置词库（{triage.builtin_term_count()} 个词）。")
