"""What a person typed survives a failed submit.

Forms that clear on submit (the console's 快速录入, 批量粘贴) used to lose the typed comment
when the database was busy or away: the form was already cleared when the write failed.
`keep` holds the values before the write, `drop` forgets them once it landed, and `refill`
(called before the form is drawn) puts them back on the next run: after an error, or after
the outage notice reruns the page by itself.

Forms that keep what was typed (setup's, the pickup link's) are emptied after a save by new
widget keys: `fresh(prefix)` is the key prefix of this round, `renew(prefix)` starts the next.
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


def fresh(prefix: str) -> str:
    """The form's key prefix for this round: a new one after each save (see renew)."""
    n = st.session_state.get(f"{prefix}#round", 0)
    return f"{prefix}_r{n}" if n else prefix


def renew(prefix: str) -> None:
    """An empty form for the next one (a form that failed keeps what was typed). Deleting the
    widgets' keys is not enough: the browser keeps showing (and sends back) what was typed, so
    a second click created a twin; new keys make new, empty widgets."""
    for key in [k for k in st.session_state if str(k).startswith(prefix + "_")]:
        del st.session_state[key]
    st.session_state[f"{prefix}#round"] = st.session_state.get(f"{prefix}#round", 0) + 1
