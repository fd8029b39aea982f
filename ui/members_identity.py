"""Identity: fuzzy matches to confirm or reject in one click, merges to undo, the member list's
CSV import and export."""
from __future__ import annotations

import streamlit as st

from services import members
from services.authz import Actor, can
from ui import context as ctx

P = "members_identity_"


def render(community_id: int, actor: Actor) -> None:
    editable = can(actor, "members.write")
    open_ = ctx.read(members.proposals, community_id)
    st.caption("昵称只差楼栋、或手机尾号相同而昵称不同的，不会自动合并：请逐条确认或否决。")
    if not open_:
        st.info("没有待确认的合并建议。")
    for p in open_:
        with st.container(border=True):
            st.text(f"{p['member']}  ⇐  {p['other']}")
            st.caption(p["reason_label"])
            if editable:
                a, b = st.columns(2)
                a.button("是同一人，合并", key=f"{P}confirm_{p['id']}", type="primary", on_click=ctx.act,
                         args=(members.confirm, actor, p["id"]), kwargs={"success": "已合并，可撤销"})
                b.button("不是同一人", key=f"{P}reject_{p['id']}", on_click=ctx.act,
                         args=(members.reject, actor, p["id"]), kwargs={"success": "已否决"})
    done = [p for p in ctx.read(members.proposals, community_id, None) if p["status"] != members.ProposalStatus.OPEN]
    if done:
        with st.expander(f"已处理（{len(done)}），可撤销"):
            for p in done[:30]:
                a, b = st.columns([4, 1])
                a.text(f"{p['status_label']}：{p['member']}  ⇐  {p['other']}")
                if editable:
                    b.button("撤销", key=f"{P}undo_{p['id']}", on_click=ctx.act,
                             args=(members.undo, actor, p["id"]), kwargs={"success": "已撤销"})
    _files(community_id, actor, editable)


def _files(community_id: int, actor: Actor, editable: bool) -> None:
    st.markdown("**导入 / 导出成员名单**")
    st.download_button("导出成员名单（CSV）", lambda: ctx.read(members.export_members, community_id),
                       file_name="members.csv", mime="text/csv", key=P + "export", on_click="ignore",
                       icon=":material/download:")
    if editable:
        file = st.file_uploader("导入成员名单（CSV 表头：昵称,楼栋,手机尾号）", type=["csv", "txt"], key=P + "file")
        if file is not None and st.button("导入", key=P + "import"):
            done = ctx.act(members.import_members, actor, community_id, file.getvalue(), file.name)
            if done:
                r = done.value
                st.success(f"已导入 {r['rows']} 人：新增 {r['created']}，已关联 {r['linked']}，待确认合并 {r['proposals']}。")
