"""A selectbox for "select, then act" (cancel an entry, delete a term …) that keeps the
choice the person made.

A plain selectbox whose chosen row vanished (another console cancelled it) or whose label
changed (a waitlisted entry became valid) falls back to its first option, so the button
next to it acted on someone else. Here the chosen id and the label it was shown with are
held in session_state: the same option stays chosen under the same label, the action goes
to the id the person chose, and the service refuses it when it is stale ("该条已被他人取消").
"""
from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import streamlit as st


def held_pick(where: Any, label: str, labels: dict[Hashable, str], key: str, **kw: Any) -> Hashable | None:
    """where.selectbox over labels' ids; the id the person chose, even when it is gone."""
    memo = key + "_held"
    held = st.session_state.get(memo)
    options = dict(labels)
    if held is not None:
        held_id, held_label = held
        options = {held_id: held_label, **options} if held_id not in options else {**options, held_id: held_label}
    pick = where.selectbox(label, list(options), format_func=options.get, key=key, **kw)
    if pick in options:
        st.session_state[memo] = (pick, options[pick])
    if held is not None and pick == held[0] and pick not in labels:
        where.caption("你选中的这一条已被他人处理，请重新选择。")
    return pick


def forget_pick(key: str) -> None:
    """Drop a held choice (its row was deleted on purpose by this person)."""
    st.session_state.pop(key, None)
    st.session_state.pop(key + "_held", None)
