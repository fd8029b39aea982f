"""复盘: the post-show review. KPI tiles, the night's timeline, deals, questions, promises,
the event log (filterable by operator), comparison across shows, and the exports.

Only the selected tab's body runs (st.tabs with on_change="rerun"), and every export file
is built when its button is clicked (deferred download data), so the page stays light.
"""
from datetime import datetime

import pandas as pd
import streamlit as st

from services import events, review, shows
from services.formats import pct
from services.authz import can
from ui import context as ctx
from ui import members_board, outcomes, pickup_review
from ui.markdown import literal as md
from ui.tables import money_column

TABS = ["团品", "问题", "承诺", "提货", "核心看板", "事件日志", "多场对比", "导出"]


def hm(at: datetime | None) -> str:
    return "" if at is None else f"{at:%H:%M}"


def render_head(show) -> None:
    st.title(f"复盘 · {md(show.title)}")
    start = show.actual_start or show.scheduled_start
    st.caption(
        f"社群：{md(show.community.name)}（{show.community.member_count} 人）　主播：{md(show.host_name)}　{start:%Y-%m-%d %H:%M}"
        f"{f' – {show.actual_end:%H:%M}' if show.actual_end else ''}　状态：{shows.STATUS_LABELS[show.status]}"
    )
    if show.status != shows.ShowStatus.ENDED:
        st.info("直播尚未结束：以下为截至目前的数据。")


def render_kpis(k: dict) -> None:
    tiles = review.kpi_tiles(k, community=False)
    for i in range(0, len(tiles), 4):
        for col, (label, value) in zip(st.columns(4), tiles[i : i + 4]):
            col.metric(label, value, border=True)
    st.text(review.summary_sentence(k))
    if note := review.answered_note(k):
        st.caption(note)


def render_timeline(show_id: int) -> None:
    st.subheader("直播时间线")
    chart = review.timeline_chart(ctx.read(review.minute_series, show_id), ctx.read(review.markers, show_id))
    if chart is None:
        st.caption("本场还没有按分钟的接龙或评论记录。")
    else:
        st.altair_chart(chart, width="stretch")


def render_deals(k: dict) -> None:
    if not k["deals"]:
        st.caption("本场没有团品。")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "团品": d["product"], "团购价": d["group_price"], "规格价": d["spec_prices"],
                    "成团数": f"{d['threshold']}{d['threshold_unit_label']}",
                    "有效单数": d["entries"], "份数": d["units"], "下单人数": d["buyers"],
                    "候补份数": d["waitlisted"], "成交额": d["gmv"], "发布": hm(d["released_at"]),
                    "成团": hm(d["reached_at"]), "成团用时": review.minutes_text(d["minutes_release_to_threshold"]),
                    "售罄用时": review.minutes_text(d["minutes_to_sellout"]), "结果": d["outcome_label"],
                    "待核实": _to_check(d),
                    "已退款": f"{d['refunded_entries']} 单 ¥{d['refunded']:,.2f}" if d["refunded_entries"] else "",
                }
                for d in k["deals"]
            ]
        ),
        hide_index=True,
        column_config={
            "团购价": money_column(),
            "规格价": st.column_config.TextColumn(help="单独定价的规格；其余规格按团购价"),
            "成交额": money_column(),
            "待核实": st.column_config.TextColumn(help="计入有效单数、未计入成交额的接龙：超出限购、超出规格限量或最新接龙中缺失"),
            "已退款": st.column_config.TextColumn(help="未成团，原路退款：不计入成交额、有效单数和下单人数"),
        },
    )
    for note in (review.split_note(k["deals"]), review.flagged_note(k["deals"]), review.refunded_note(k["deals"])):
        if note:
            st.caption(note)


def _to_check(d: dict) -> str:
    """Orders counted in 有效单数 whose money is left out of 成交额 (the console's 待核实)."""
    return f"{d['entries_flagged']} 单 ¥{d['gmv_flagged']:,.2f}" if d["entries_flagged"] else ""


def render_questions(show_id: int) -> None:
    cats = ctx.read(review.questions_by_category, show_id)
    left, right = st.columns([2, 3])
    with left:
        st.markdown("**按类别**")
        if cats:
            st.dataframe(
                pd.DataFrame([{"类别": c["category_label"], "问题组": c["groups"], "评论条数": c["comments"],
                               "已回复": c["answered"]} for c in cats]),
                hide_index=True,
            )
        else:
            st.caption("本场没有观众提问。")
    with right:
        cc = review.category_chart(cats)
        if cc is not None:
            st.altair_chart(cc, width="stretch")
    st.markdown("**未回复的问题**")
    open_q = ctx.read(review.question_rows, show_id, unanswered_only=True, limit=200)
    if not open_q:
        st.caption("没有未回复的问题。")
        return
    st.dataframe(
        pd.DataFrame([{"类别": q["category_label"], "问题": q["text"], "提问人数": q["askers"],
                       "评论条数": q["comments"], "首次出现": hm(q["first_seen"]), "状态": q["status_label"]}
                      for q in open_q]),
        hide_index=True,
    )


def render_promises(show_id: int, k: dict) -> None:
    a, b, c = st.columns(3)
    a.metric("承诺", k["promises"])
    b.metric("兑现率", pct(k["promises_kept_rate"]))
    c.metric("逾期履约项", k["promises_overdue"])
    prom = ctx.read(review.promise_rows, show_id)
    if not prom:
        st.caption("本场没有记录承诺。")
        return
    st.dataframe(
        pd.DataFrame([{"时间": hm(p["said_at"]), "承诺原话": p["text"], "类型": p["kind_label"],
                       "范围": p["scope_label"], "团品": p["deal"],
                       "截止": "" if p["due_at"] is None else f"{p['due_at']:%m-%d %H:%M}",
                       "状态": p["status_label"],
                       "履约进度": f"{p['items_done']}/{p['items_total']}" if p["items_total"] else "",
                       "逾期项": p["overdue"]}
                      for p in prom]),
        hide_index=True,
    )


def render_event_log(show_id: int) -> None:
    ops = dict(ctx.read(review.event_operators, show_id))
    who, what = st.columns([1, 2])
    picked = who.selectbox(
        "操作人", [None, *ops], format_func=lambda i: "全部" if i is None else ops[i], key="review_operator"
    )
    kinds = what.multiselect(
        "事件类型", ctx.read(review.event_kinds, show_id), format_func=review.event_label,
        placeholder="全部", key="review_kinds",
    )
    log = ctx.read(events.timeline, show_id, operator_id=picked, kinds=kinds or None, limit=1000)
    st.caption(f"共 {len(log)} 条（最多显示 1000 条）")
    st.dataframe(
        pd.DataFrame([{"时间": e["at"], "操作人": e["operator"], "事件": review.event_label(e["kind"]),
                       "详情": review.event_detail(e["payload"])} for e in log],
                     columns=["时间", "操作人", "事件", "详情"]),
        hide_index=True,
        column_config={"时间": st.column_config.DatetimeColumn(format="MM-DD HH:mm:ss")},
    )


def render_comparison(show_id: int) -> None:
    heading = st.empty()  # the heading first, then the slider that sets its 近 N 场 (night 19: below it)
    n = st.slider("最近几场", 2, 12, 5, key="review_compare_n")
    comp = ctx.read(review.compare, n, upto_show_id=show_id)
    heading.subheader(md(review.compare_heading(comp)))
    st.dataframe(
        pd.DataFrame([{"日期": f"{c['date']:%Y-%m-%d}", "场次": c["title"], "观看率": pct(c["watch_rate"]),
                       "下单转化率": pct(c["order_rate"]), "下单人数": c["buyers"], "成交额": c["gmv"],
                       "客单价": c["avg_order_value"], "回复率": pct(c["answered_rate"]),
                       "承诺兑现率": pct(c["promises_kept_rate"]),
                       review.REACH_LABEL: review.minutes_text(c["reach_minutes"])}
                      for c in comp]),
        hide_index=True,
        column_config={"成交额": money_column(),
                       "客单价": money_column()},
    )
    ch = review.compare_chart(comp)
    if ch is not None:
        st.altair_chart(ch, width="stretch")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = [
    ("问题与承诺（Excel）", review.questions_promises_xlsx, "问题与承诺_{}.xlsx", XLSX, "review_dl_qp_xlsx"),
    ("问题（CSV）", review.questions_csv, "问题_{}.csv", "text/csv", "review_dl_questions_csv"),
    ("承诺（CSV）", review.promises_csv, "承诺_{}.csv", "text/csv", "review_dl_promises_csv"),
    ("复盘报告（HTML，可直接转发）", review.report_html, "复盘报告_{}.html", "text/html", "review_dl_report"),
]
# The packing files grow with the night: built on a click with a progress bar, kept for the
# show's version (a second download of an unchanged night costs nothing), streamed with
# bounded memory by services.review.
ENTRY_EXPORTS = [
    ("接龙明细（Excel，按楼栋分表）", review.entries_xlsx, "接龙明细_{}.xlsx", XLSX, "xlsx"),
    ("接龙明细（CSV）", review.entries_csv, "接龙明细_{}.csv", "text/csv", "csv"),
]


def render_entry_export(show, actor, col, spec, stamp: str) -> None:
    label, fn, name, mime, kind = spec
    version = ctx.read(events.version, show.id)
    cache = st.session_state.setdefault("review_entry_exports", {})
    built = cache.get(kind)
    if built and built[0] == (show.id, version):
        col.download_button(f"下载{label}", built[1], file_name=name.format(stamp), mime=mime, on_click="ignore",
                            key=f"review_dl_entries_{kind}", icon=":material/download:")
        return
    if col.button(f"生成{label}", key=f"review_build_entries_{kind}", icon=":material/build:"):
        bar = col.progress(0.0, text="正在读取接龙……")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0, text=f"已写入 {done}/{total} 行")

        out = ctx.act(fn, actor, show.id, progress=progress)
        bar.empty()
        if out:  # the export logged an event (a new version): keep the file for the version after it
            cache[kind] = ((show.id, ctx.read(events.version, show.id)), out.value)
            col.download_button(f"下载{label}", out.value, file_name=name.format(stamp), mime=mime,
                                on_click="ignore", key=f"review_dl_entries_{kind}", icon=":material/download:")


def render_exports(show, actor) -> None:
    if not can(actor, "export"):
        st.caption("当前角色不能导出数据。")
        return
    st.caption("文件在点击时生成；每次导出都记入事件日志。接龙明细按取货点/楼栋分组，便于分拣打包；"
               "先点「生成」，完成后下载（接龙没有变化时可直接再次下载）。")
    stamp = f"{(show.actual_start or show.scheduled_start):%Y%m%d}_{show.id}"

    def deferred(fn):
        def build() -> bytes:
            done = ctx.act(fn, actor, show.id)
            return done.value if done else "导出失败，请重试。".encode("utf-8")

        return build

    cols = st.columns(2)
    for col, spec in zip(cols, ENTRY_EXPORTS):
        render_entry_export(show, actor, col, spec, stamp)
    cols = st.columns(2)
    for i, (label, fn, name, mime, key) in enumerate(EXPORTS):
        cols[i % 2].download_button(
            label, deferred(fn), file_name=name.format(stamp), mime=mime, key=key, on_click="ignore",
            icon=":material/download:",
        )


def render_board(show, actor) -> None:
    """The community's 核心看板 across shows (services.members), counted again when the show changed."""
    members_board.sync_if_needed(show.id, actor)
    members_board.show_tiles(show.id)
    members_board.render(show.community_id)


def main() -> None:
    show_id = ctx.selected_show()
    actor = ctx.actor()
    outcomes.settle(show_id)
    show = ctx.read(shows.get_show, show_id)
    render_head(show)
    k = ctx.read(review.kpis, show_id)
    render_kpis(k)
    render_timeline(show_id)
    tabs = dict(zip(TABS, st.tabs(TABS, key="review_tab", on_change="rerun")))
    with tabs["团品"]:
        if tabs["团品"].open is not False:
            render_deals(k)
    for name, draw in (
        ("问题", lambda: render_questions(show_id)),
        ("承诺", lambda: render_promises(show_id, k)),
        ("提货", lambda: pickup_review.render(show_id)),
        ("核心看板", lambda: render_board(show, actor)),
        ("事件日志", lambda: render_event_log(show_id)),
        ("多场对比", lambda: render_comparison(show_id)),
        ("导出", lambda: render_exports(show, actor)),
    ):
        with tabs[name]:
            if tabs[name].open:
                draw()


main()
