"""What a person typed survives a failed submit.

Forms that clear on submit (the console's 快速录入, 批量粘贴) used to lose the typed comment
when the database was busy or away: the form was already cleared when the write failed.
`keep` holds the values before the write, `drop` forgets them once it landed, and `refill`
(called before the form is drawn) puts them back on the next run: after an error, or after
the outage notice reruns the page by itself.
"""
from __future__ import annotations

import streamlit as st


def _memo(form: str) -> str:
    return f"{form}_kept"


def refill(form: str) -> bool:
    """Before the form's widgets: restore the values a failed submit kept. True if it did."""
    held = st.session_state.pop(_memo(form), None)
    if not held:
        return False
    for key, value in held.items():
        st.session_state[key] = value
    return True


def keep(form: str, values: dict[str, object]) -> None:
    st.session_state[_memo(form)] = dict(values)


def drop(form: str) -> None:
    st.session_state.pop(_memo(form), None)
