"""中控台: the assistant's live console. Each panel lives in ui/console_*.py."""
import streamlit as st

from services import shows
from services.authz import can
from ui import context as ctx
from ui import console_capture, console_hostlink, console_jielong, console_promises, console_queue, console_snapshot
from ui.markdown import literal

def render_head(show, actor) -> None:
    """The title, the show's status and controls, the schedule warning (a live show started far
    from its plan) and the read-only note, all inside one container of their own.

    Why one container: the browser keys the page's top-level blocks by their place, so an
    element appearing or going above the live panels (the schedule warning at 开播, as a block
    of its own: commit a72848d) shifts every block below it, which the browser then draws anew:
    an open dropdown there (the manual entry's 规格) closed at once. Whatever the head shows,
    the page's top level is always this one container, then the panels."""
    with st.container():
        head, status = st.columns([4, 1])
        head.title(f"中控台 · {literal(show.title)}")
        status.caption(f"状态：{shows.STATUS_LABELS[show.status]}")
        if can(actor, "show.edit"):
            with status:
                _show_controls(show, actor)
        if drift := shows.schedule_warning(show):
            head.warning(drift)
        if not can(actor, "chain.write"):
            st.caption("只读模式：主播可查看中控台，但不能操作。")


def _show_controls(show, actor) -> None:
    """开播 is one click; 结束直播 asks first (it sat where 开播 was), and an ended show can be
    reopened (ended by mistake, or the host carried on)."""
    if show.status == shows.ShowStatus.PLANNED:
        if st.button("开播", key="console_start", type="primary"):
            if ctx.act(shows.start_show, actor, show.id, success="已开播"):
                st.rerun()
    elif show.status == shows.ShowStatus.LIVE:
        with st.popover("结束直播…"):
            st.warning("确定结束直播？结束后主播屏和进度不再按直播中显示（结束后可恢复）。")
            if st.button("确认结束直播", key="console_end", type="primary"):
                if ctx.act(shows.end_show, actor, show.id, success="直播已结束"):
                    st.rerun()
    elif st.button("恢复直播", key="console_reopen", help="误点了结束直播，或主播还在继续"):
        if ctx.act(shows.reopen_show, actor, show.id, success="已恢复为直播中"):
            st.rerun()


def main() -> None:
    show_id = ctx.selected_show("请先在左侧选择场次，或到「场次准备」创建场次。")
    actor = ctx.actor()
    render_head(ctx.read(shows.get_show, show_id), actor)
    console_capture.render(show_id)
    console_snapshot.render(show_id, actor)
    # Built for a 1280×800 laptop: the queue on the left; on the right the chain and the
    # promise input one tab apart, so neither needs scrolling to reach.
    left, right = st.columns([3, 2], gap="medium")
    with left:
        console_queue.render(show_id, actor)
    with right:
        chain, promise, link = st.tabs(["接龙", "承诺速记", "主播链接"])
        with chain:
            console_jielong.render(show_id, actor)
        with promise:
            console_promises.render(show_id, actor)
        with link:
            console_hostlink.render(show_id, actor)


main()
