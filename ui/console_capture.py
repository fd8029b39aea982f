"""Console panel: 直播采集 — the capture feed's compact status line and, when the operator must act,
a banner (tool not connected, login needed, no message for a while, capture process stopped).

A fragment that refreshes itself (CONSOLE_CAPTURE_REFRESH_S, default 2 s) and reads one row, so the
banner shows within a few seconds of the feed stopping. Nothing shows when no capture ever ran for
the show (paste and file import are then the intake). The tool's own words can appear in the banner:
they are escaped before markdown renders them.
"""
from __future__ import annotations

import os
import re

import streamlit as st

from services import capture
from ui import context as ctx

REFRESH_S = float(os.environ.get("CONSOLE_CAPTURE_REFRESH_S", "2"))
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape(text: str) -> str:
    """Markdown-inert text (st.warning and st.caption render markdown)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@st.fragment(run_every=REFRESH_S)
def render(show_id: int) -> None:
    status = ctx.read(capture.feed_status, show_id)
    if status.state is capture.FeedState.NONE:
        return
    if status.banner:
        st.warning(escape(status.banner), icon="⚠️")
    st.caption(f"直播采集（{escape(capture.SOURCE_LABELS.get(status.source, status.source))}）：{escape(status.line)}")
