"""中控台: the assistant's live console. Each panel lives in ui/console_*.py."""
import streamlit as st

from services import shows
from services.authz import can
from ui import context as ctx
from ui import console_capture, console_hostlink, console_jielong, console_promises, console_queue, console_snapshot
from ui.markdown import literal

def render_head(show, actor) -> None:
    head, status = st.columns([4, 1])
    head.title(f"中控台 · {literal(show.title)}")
    status.caption(f"状态：{shows.STATUS_LABELS[show.status]}")
    if can(actor, "show.edit"):
        if show.status == shows.ShowStatus.PLANNED and status.button("开播", key="console_start", type="primary"):
            if ctx.act(shows.start_show, actor, show.id, success="已开播"):
                st.rerun()
        if show.status == shows.ShowStatus.LIVE and status.button("结束直播", key="console_end"):
            if ctx.act(shows.end_show, actor, show.id, success="直播已结束"):
                st.rerun()
    if not can(actor, "chain.write"):
        st.caption("只读模式：主播可查看中控台，但不能操作。")


def main() -> None:
    show_id = ctx.selected_show("请先在左侧选择场次，或到「场次准备」创建场次。")
    actor = ctx.actor()
    render_head(ctx.read(shows.get_show, show_id), actor)
    console_capture.render(show_id)
    console_snapshot.render(show_id, actor)
    left, right = st.columns([3, 2], gap="large")
    with left:
        console_queue.render(show_id, actor)
    with right:
        console_jielong.render(show_id, actor)
        console_promises.render(show_id, actor)
        console_hostlink.render(show_id, actor)


main()
