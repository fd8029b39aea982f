"""The member table filterable by segment (with each segment's rule), KOC marking and the
product's KOC suggestions."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import members
from services.authz import Actor, can
from ui import context as ctx
from ui import members_board
from ui.tables import money_column

P = "members_table_"


def render(community_id: int, actor: Actor) -> None:
    members_board.segment_legend(ctx.read(members.segment_counts, community_id))
    c1, c2 = st.columns([2, 3])
    segment = c1.selectbox("按分层筛选", [None, *members.SEGMENTS], key=P + "segment",
                           format_func=lambda s: "全部成员" if s is None else members.segment_label(s))
    search = c2.text_input("按昵称查找", key=P + "search")
    rows = ctx.read(members.members, community_id, segment, search)
    st.dataframe(pd.DataFrame([
        {"编号": r["id"], "昵称": r["name"], "楼栋": r["building"], "尾号": r["phone_tail"],
         "分层": "、".join(members.segment_label(s) for s in r["segments"]), "观看场次": r["shows_watched"],
         "下单场次": r["shows_bought"], "订单": r["orders"], "份数": r["units"], "累计消费（LTV）": float(r["ltv"]),
         "售后申请": r["claims"], "最近下单": r["last_order_at"]}
        for r in rows
    ], columns=["编号", "昵称", "楼栋", "尾号", "分层", "观看场次", "下单场次", "订单", "份数", "累计消费（LTV）", "售后申请", "最近下单"]),
        hide_index=True, width="stretch", height=360,
        column_config={"累计消费（LTV）": money_column(), "观看场次": st.column_config.NumberColumn(help=members.WATCHED_RULE)})
    st.caption(f"显示 {len(rows)} 人（按累计消费从高到低，最多 {members.directory_limit()} 人）。")
    _detail(rows)
    if can(actor, "members.write"):
        _koc(community_id, actor, rows)


def _detail(rows: list[dict]) -> None:
    """One member across shows: aliases, per-show orders and spend, promise items still owed."""
    if not rows:
        return
    names = {r["id"]: r["label"] for r in rows}  # 王芳（5栋） / 王芳（12栋）: namesakes told apart
    pick = st.selectbox("查看成员", list(names), format_func=names.get, key=P + "detail", index=None,
                        placeholder="选择一位成员查看每场记录")
    if pick is None:
        return
    d = ctx.read(members.member_detail, pick)
    st.text("身份：" + "；".join(f"{kind} {value}" for kind, value in d["aliases"]))
    st.caption(f"累计消费 ¥{float(d['ltv']):,.2f} · 售后申请 {d['claims']} 次 · 待履约承诺 {d['promises_owed']} 项")
    st.dataframe(pd.DataFrame([
        {"场次": r["title"], "日期": r["show_at"], "观看": "是" if r["watched"] else "", "订单": r["orders"],
         "份数": r["units"], "消费": float(r["spend"]), "售后": r["claims"], "抢先下单": "是" if r["early"] else ""}
        for r in d["shows"]
    ]), hide_index=True, width="stretch", column_config={"消费": money_column()})


def _why(s: dict) -> str:
    parts = [f"{s['early_shows']} 场抢先下单" if s["early_shows"] else "", f"{s['led_shows']} 场发言带动下单" if s["led_shows"] else ""]
    return "，".join(p for p in parts if p)


def _koc(community_id: int, actor: Actor, rows: list[dict]) -> None:
    st.markdown("**KOC**")
    suggested = ctx.read(members.suggest_kocs, community_id)
    if suggested:
        st.caption("系统建议（" + members.KOC_SUGGEST_RULE + "）：")
        for s in suggested[:10]:
            a, b = st.columns([4, 1])
            a.text(f"{s['label']}：{_why(s)}")
            b.button("标为 KOC", key=f"{P}suggest_{s['id']}", on_click=ctx.act,
                     args=(members.set_koc, actor, s["id"]), kwargs={"success": "已标记为 KOC"})
    options = {r["id"]: f"{r['label']}{' · KOC' if r['koc'] else ''}" for r in rows}
    if options:
        a, b, c = st.columns([3, 1, 1])
        pick = a.selectbox("成员", list(options), format_func=options.get, key=P + "koc_pick")
        b.button("标为 KOC", key=P + "koc_on", on_click=ctx.act, args=(members.set_koc, actor, pick, True))
        c.button("取消 KOC", key=P + "koc_off", on_click=ctx.act, args=(members.set_koc, actor, pick, False))
