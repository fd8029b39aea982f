"""Console panel: 直播采集 — the capture feed's compact status line and, when the operator must act,
a banner (tool not connected, login needed, no message for a while, capture process stopped).

A fragment that refreshes itself (CONSOLE_CAPTURE_REFRESH_S, default 2 s) and reads one row, so the
banner shows within a few seconds of the feed stopping. Nothing shows when no capture ever ran for
the show (paste and file import are then the intake). The tool's own words can appear in the banner:
they are made literal (ui.markdown) before markdown renders them.
"""
from __future__ import annotations

import streamlit as st

from services import capture, config
from ui import context as ctx
from ui.markdown import literal

REFRESH_S = config.get_float("CONSOLE_CAPTURE_REFRESH_S")


@ctx.fragment(run_every=REFRESH_S)
def render(show_id: int) -> None:
    status = ctx.read(capture.feed_status, show_id)
    if status.state is capture.FeedState.NONE:
        return
    if status.banner:
        st.warning(literal(status.banner), icon="⚠️")
    st.caption(f"直播采集（{literal(capture.SOURCE_LABELS.get(status.source, status.source))}）：{literal(status.line)}")
