"""Who is at the counter: a tab opened through a pickup link (store staff, no account), or a
logged-in operator on the 提货核销 page. A link tab acts as the link's holder (role staff) and
each of its actions re-checks the link inside the action's unit of work, so a revoked or
expired link writes nothing."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from services import pickup
from services.errors import Forbidden
from ui import context as ctx

LINK_KEY = "pickup_link_token"
REFUSED = "提货链接无效、已过期或已被撤销，请向直播助手索取新的链接。"


def open_link(token: str) -> None:
    """Set this tab's show and actor from a pickup link; a refused link stops the run."""
    grant = ctx.read(pickup.resolve_link, token)
    if grant is None:
        forget_link()
        st.error(REFUSED)
        st.stop()
    st.session_state[LINK_KEY] = token
    st.session_state[ctx.SHOW_KEY] = grant.show_id
    st.session_state[ctx.ACTOR_KEY] = pickup.link_actor(grant)
    st.session_state.pop(ctx.TOKEN_KEY, None)  # the tab acts as the link's holder, not as an operator


def forget_link() -> None:
    if st.session_state.pop(LINK_KEY, None) is not None:
        st.session_state.pop(ctx.ACTOR_KEY, None)


def on_link() -> bool:
    return bool(st.session_state.get(LINK_KEY))


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """fn, refused inside its own unit of work when this tab's pickup link is no longer live."""
    token = st.session_state.get(LINK_KEY)
    if not token:
        return fn

    def unit(session, *args: Any, **kw: Any) -> Any:
        if pickup.resolve_link(session, token) is None:
            raise Forbidden(REFUSED)
        return fn(session, *args, **kw)

    return unit


def act(fn: Callable[..., Any], *args: Any, success: str | None = None, **kw: Any) -> ctx.Outcome:
    """ctx.act for the pickup page: the one write helper, with the link re-checked."""
    return ctx.act(guarded(fn), *args, success=success, **kw)
