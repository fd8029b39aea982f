"""主播副屏: the host's second screen, read at a glance from two metres away.

Refreshes itself every HOST_REFRESH_S seconds (default 2) in a fragment; each tick first
reads the show's version (one indexed lookup) and re-reads the snapshot (and rebuilds the Altair
chart, kept as its Vega-Lite spec) only when it moved, or once a minute for the pace. Opens from the sidebar or from a host link (no operator).
"""

import streamlit as st

from services import clock, config, events, jielong, live, members
from services.authz import can
from ui import context as ctx
from ui import members_night
from ui.markdown import literal as md

REFRESH_S = config.get_float("HOST_REFRESH_S")
MAX_AGE_S = 60  # the pace over the last 5 minutes moves with time even when nothing is written
VIEW_KEY, VERSION_KEY, CHART_KEY = "host_view", "host_version", "host_chart_spec"
MEMBERS_KEY = "host_member_counts"
SPECS_KEY = "host_spec_stock"  # the shown deal's 规格限量 line, read with the view
# A constant style block (no user text in it): dark, high contrast, huge numbers.
STYLE = """<style>
[data-testid="stAppViewContainer"], [data-testid="stHeader"], [data-testid="stMain"] {background: #05070a; color: #f5f7fa;}
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3 {color: #f5f7fa;}
/* Huge numbers sized by their own tile (container queries), never cut with "…" (a number too long
   wraps instead): four tiles in a row on a wide screen, two by two when the page is narrower than
   1000 px (1024 or 1280 px with the sidebar open, a phone). */
.st-key-host_numbers {container: hostnums / inline-size;}
.st-key-host_numbers [data-testid="stColumn"] {container-type: inline-size; min-width: 0;}
@container hostnums (max-width: 1000px) {
  .st-key-host_numbers [data-testid="stHorizontalBlock"] {flex-wrap: wrap !important; gap: 0.6rem !important;}
  .st-key-host_numbers [data-testid="stColumn"] {flex: 1 1 calc(50% - 0.6rem) !important; width: calc(50% - 0.6rem) !important; min-width: calc(50% - 0.6rem) !important;}
}
[data-testid="stMain"] [data-testid="stMetricValue"] {font-size: clamp(1.5rem, calc(19cqw - 6px), 4.6rem); font-weight: 800; line-height: 1.1; color: #ffffff;}
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] * {white-space: normal !important; overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere;}
[data-testid="stMain"] [data-testid="stMetricLabel"], [data-testid="stMain"] [data-testid="stMetricLabel"] * {white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}
[data-testid="stMain"] [data-testid="stMetricLabel"] p {font-size: clamp(0.95rem, 6cqw, 1.5rem); color: #9fb3c8;}
[data-testid="stMain"] [data-testid="stMetric"] {background: #0f1720; border-radius: 12px; padding: 12px 18px;}
[data-testid="stMain"] [data-testid="stText"], [data-testid="stMain"] [data-testid="stText"] * {font-size: 1.7rem; line-height: 1.5; color: #ffffff; font-family: inherit;}
[data-testid="stMain"] [data-testid="stCaptionContainer"] {font-size: 1.2rem; color: #9fb3c8;}
/* No flicker: while a refresh runs, keep the last numbers at full strength instead of fading them. */
[data-testid="stMain"] [data-stale="true"] {opacity: 1 !important; transition: none !important;}
[data-testid="stMainBlockContainer"] {padding-top: 3.5rem; padding-bottom: 1rem;}
/* A phone (390 px): numbers two by two, then the questions and the last promise, then the chart. */
@media (max-width: 640px) {
  .st-key-host_body [data-testid="stHorizontalBlock"] {flex-direction: column-reverse !important;}
  [data-testid="stMain"] [data-testid="stMetric"] {padding: 8px 10px;}
  [data-testid="stMain"] [data-testid="stText"], [data-testid="stMain"] [data-testid="stText"] * {font-size: 1.2rem; line-height: 1.4;}
  [data-testid="stMain"] h3 {font-size: 1.2rem; padding: 0.4rem 0 0.2rem;}
  [data-testid="stMainBlockContainer"] {padding-left: 0.8rem; padding-right: 0.8rem;}
}
</style>"""


def current_view(show_id: int) -> live.HostView:
    """The last view from session_state unless the show's version moved (or it is a minute old)."""
    version = ctx.read(events.version, show_id)
    view = st.session_state.get(VIEW_KEY)
    fresh = (
        view is not None
        and view.snapshot.show_id == show_id
        and st.session_state.get(VERSION_KEY) == version
        and (clock.now() - view.snapshot.at).total_seconds() < MAX_AGE_S
    )
    if not fresh:
        view = ctx.read(live.host_view, show_id)
        st.session_state[VIEW_KEY], st.session_state[VERSION_KEY] = view, version
        st.session_state[MEMBERS_KEY] = ctx.read(members.chain_counts, show_id)
        focus = view.snapshot.focus
        st.session_state[SPECS_KEY] = ctx.read(jielong.spec_stock_left, focus.id) if focus else ""
        refresh_chart(view)
    return view


def refresh_chart(view: live.HostView) -> None:
    """Rebuild the chart's spec only when the focus deal's numbers moved or a minute passed
    (a comment or a viewer count bumps the version but leaves the chart as it was)."""
    snap, deal = view.snapshot, view.snapshot.focus
    key = None if deal is None else (deal.id, deal.status, deal.units, deal.entries, snap.at.replace(second=0))
    if st.session_state.get(CHART_KEY, (None, None))[0] != key or key is None:
        spec = live.to_spec(live.progress_chart(view.series, deal, now=snap.at, dark=True, height=360)) if deal else None
        st.session_state[CHART_KEY] = (key, spec)


def big_numbers(snap: live.Snapshot, deal: live.DealSnapshot | None) -> None:
    cols = st.columns(4)
    label, countdown = live.countdown_tile(snap, clock.now())
    if deal is None:
        cols[0].metric("已接龙", "—")
        cols[1].metric("在线", snap.viewers_online)
        cols[2].metric("累计观看", snap.viewers_cumulative)
    else:
        unit = jielong.unit_label(deal.threshold_unit)
        cols[0].metric(f"已接龙 / 成团（{unit}）", f"{deal.progress} / {deal.threshold}")
        cols[1].metric("成团" if deal.reached else "还差", "已成团" if deal.reached else f"{deal.remaining} {unit}")
        left, held = deal.stock_left_words
        cols[2].metric("剩余", left, held or None, delta_color="off", delta_arrow="off")  # 另 3 份待核实
    cols[3].metric(label, countdown)


CLOSED = {jielong.DealStatus.SOLD_OUT: "已售罄", jielong.DealStatus.FAILED: "未成团，接龙已关闭"}


def pace_line(deal: live.DealSnapshot) -> str:
    if not deal.open:
        return CLOSED.get(deal.status, "接龙已截止") + f" · 共 {deal.entries} 单 {deal.units} 份"
    by_people = deal.threshold_unit == jielong.ThresholdUnit.PEOPLE
    unit = "人次" if by_people else "份"
    pace = deal.entries_per_min if by_people else deal.units_per_min
    parts = [f"{deal.rate_label} {live.rate_text(pace, unit)}"]
    if not deal.reached:
        parts.append(f"预计成团 {live.forecast_text(deal.to_threshold, pace)}")
    elif deal.stock is not None:
        parts.append(f"预计售罄 {live.forecast_text(deal.to_sellout, pace)}")
    if deal.units_waitlisted:
        parts.append(f"候补 {deal.units_waitlisted} 份")
    return " · ".join(parts)


def side_panel(snap: live.Snapshot, shown_deal_id: int | None) -> None:
    st.subheader("请先回答")
    if not snap.questions:
        st.caption("暂无转给主播的问题")
    for i, q in enumerate(snap.questions, start=1):
        st.text(f"{i}. {q.text}（{q.askers}人问）")
    st.subheader("刚才承诺")
    if snap.promises:
        st.text(snap.promises[0].line(shown_deal_id))  # names its deal when another is shown
    else:
        st.caption("暂无承诺记录")


@ctx.fragment(run_every=REFRESH_S)
def screen(show_id: int) -> None:
    view = current_view(show_id)
    snap, deal = view.snapshot, view.snapshot.focus
    st.subheader(md(f"{snap.title} · {deal.product}" if deal else snap.title))
    with st.container(key="host_numbers"):  # keyed: the style above sizes and wraps these
        big_numbers(snap, deal)
    if others := live.also_open_text(snap.also_open):
        st.caption(md(others))  # product names are typed by the team: shown literally
    with st.container(key="host_body"):  # on a phone the side panel comes first
        chart_col, side_col = st.columns([3, 2], gap="large")
        with chart_col:
            if deal is None:
                st.subheader("还没有发布接龙")
            else:
                st.caption(md(pace_line(deal)))
                if specs := st.session_state.get(SPECS_KEY):
                    st.caption(md(specs))  # night 21: which size is gone, when a buyer asks 「L码还有吗」
                st.vega_lite_chart(spec=st.session_state[CHART_KEY][1], theme=None, width="stretch")
        with side_col:
            side_panel(snap, deal.id if deal else None)
    st.caption(f"在线 {snap.viewers_online} · 累计观看 {snap.viewers_cumulative} · 下单 {snap.buyers} 人 · 更新于 {snap.at:%H:%M:%S}")
    if counts := st.session_state.get(MEMBERS_KEY):
        st.caption(members_night.chain_counts_line(counts))  # counts only: no names on the host screen


def main() -> None:
    show_id = ctx.selected_show("请先选择场次。")
    actor = st.session_state.get(ctx.ACTOR_KEY)  # None when opened through a host link
    if actor is not None and not st.session_state.get(ctx.HOST_LINK_KEY) and not can(actor, "live.read"):
        st.error("当前角色无权查看主播副屏。")
        st.stop()
    st.markdown(STYLE, unsafe_allow_html=True)
    screen(show_id)


main()
