"""社群成员: members across a community's shows — the 核心看板, the member table by segment,
KOCs, identity proposals and the member list's import / export."""
import streamlit as st

from services import members, shows
from ui import context as ctx
from ui import members_board, members_identity, members_table
from ui.markdown import literal as md

VIEWS = ["核心看板", "成员与分层", "身份合并与导入"]


def main() -> None:
    actor = ctx.actor()
    st.title("社群成员")
    choices = ctx.read(members.communities)
    if not choices:
        st.info("还没有场次。")
        return
    ids = [c["id"] for c in choices]
    show_id = st.session_state.get(ctx.SHOW_KEY)
    current = ctx.read(shows.get_show, show_id).community_id if show_id else ids[0]
    label = {c["id"]: f"{c['name']}（{c['shows']} 场）" for c in choices}
    if show_id and current is not None:
        members_board.sync_if_needed(show_id, actor)  # the selected show changed since it was counted
    community_id = st.selectbox("社群", ids, index=ids.index(current) if current in ids else 0,
                                format_func=label.get, key="members_community")
    st.caption(md("成员按接龙昵称（及楼栋）、快团团下单人+手机尾号、直播观众ID 自动关联；相似但不完全相同的，需要在「身份合并」里确认。"))
    view = st.segmented_control("视图", VIEWS, default=VIEWS[0], key="members_view", label_visibility="collapsed")
    if view == VIEWS[1]:
        members_table.render(community_id, actor)
    elif view == VIEWS[2]:
        members_identity.render(community_id, actor)
    else:
        members_board.render(community_id)


main()
