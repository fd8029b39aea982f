"""Members on the night: the askers' badges in the question queue, the KOC @ list in the 接龙
panel (and who of them entered), the host screen's count of KOCs / returning buyers (no names)."""
from __future__ import annotations

import streamlit as st

from services import members
from ui import context as ctx

P = "console_members_"


def asker_badges(show_id: int, group_ids: list[int]) -> dict[int, list[tuple[str, members.Badge]]]:
    return ctx.read(members.asker_badges, show_id, group_ids) if group_ids else {}


def asker_line(askers: list[tuple[str, members.Badge]]) -> str:
    """'提问人：王芳〔复购3场 · KOC〕 李娜〔新客〕 张敏〔同名2人·未关联〕' (rendered with st.text: names
    are viewer text). A name that is several people is shown as such, never linked to one of them."""
    return "提问人：" + "  ".join(f"{name}〔{b.text}〕" if b.text else name for name, b in askers)


def show_askers(askers: list[tuple[str, members.Badge]]) -> None:
    if askers:
        st.text(asker_line(askers))


def koc_panel(show_id: int, deal_id: int, released: bool) -> None:
    """The KOCs to ping when the 接龙 goes out (a copyable @ list); after the release, who entered."""
    kocs = ctx.read(members.koc_list, show_id, deal_id)
    title = f"KOC 带头下单（{sum(k['entered'] for k in kocs)}/{len(kocs)} 已接龙）" if released else f"发布时 @ KOC（{len(kocs)} 人）"
    with st.expander(title, expanded=not released):
        if not kocs:
            st.caption("本社群还没有标记 KOC：到「社群成员」页标记或采纳系统建议。")
            return
        waiting = [k["name"] for k in kocs if not k["entered"]]
        if released:
            entered = [k["name"] for k in kocs if k["entered"]]
            st.text("已接龙：" + ("、".join(entered) if entered else "还没有"))
            if waiting:
                st.caption("还没接龙的 KOC（右上角复制，发到群里提醒）：")
                st.code(members.at_list(waiting), language=None, wrap_lines=True)
            st.caption("全部 KOC 的 @ 名单：")
        else:
            st.caption("接龙发出后第一时间 @ 他们带头下单（右上角一键复制）：")
        st.code(members.at_list([k["name"] for k in kocs]), language=None, wrap_lines=True)


def chain_counts_line(counts: dict[str, int]) -> str:
    return f"接龙中 KOC {counts['kocs']} 人 · 老顾客（复购）{counts['returning']} 人"
