"""场次准备: create and edit shows (deals arrive with the jielong issue)."""
from datetime import datetime, timedelta

import streamlit as st

from services import shows
from ui import context as ctx


def show_form(prefix: str, show=None) -> shows.ShowForm | None:
    now = datetime.now().replace(minute=0, second=0, microsecond=0)
    start = show.scheduled_start if show else now + timedelta(days=1)
    end = show.scheduled_end if show else start + timedelta(hours=1)
    with st.form(f"{prefix}_form"):
        title = st.text_input("标题", value=show.title if show else "")
        c1, c2 = st.columns(2)
        community = c1.text_input("社群名称", value=show.community.name if show else "")
        members = c2.number_input("社群成员数", min_value=1, step=1, value=show.community.member_count if show else 300)
        host = st.text_input("主播", value=show.host_name if show else "")
        c3, c4 = st.columns(2)
        start = c3.datetime_input("计划开始", value=start)
        end = c4.datetime_input("计划结束", value=end)
        if not st.form_submit_button("保存场次", type="primary"):
            return None
    return shows.ShowForm(title, community, int(members), host, start, end)


st.title("场次准备")
actor = ctx.actor()
tab_new, tab_edit = st.tabs(["新建场次", "编辑当前场次"])
with tab_new:
    form = show_form("setup_new")
    if form and (created := ctx.act(shows.create_show, actor, form, success="场次已创建")):
        st.session_state[ctx.SHOW_KEY] = created.id
with tab_edit:
    show_id = ctx.show_id()
    if show_id is not None:
        current = ctx.read(shows.get_show, show_id)
        form = show_form("setup_edit", current)
        if form:
            ctx.act(shows.update_show, actor, show_id, form, success="已保存")
