"""Issue 14 #1 / #12: an ended login reads and writes nothing on an open page, and a page runs
only through the authenticated entry point."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import db
from db.models import AuthToken
from services import auth, clock
from services.authz import SYSTEM
from ui import context


def _end(url: str, token: str, how: str) -> None:
    """End the assistant's login behind the open page's back."""
    eng = db.connect(url)
    with db.session(eng) as s:
        op = next(o for o in auth.list_operators(s) if o.name == "assistant_user")
        row = s.scalar(select(AuthToken).where(AuthToken.token_hash == auth._hash_token(token)))
        if how == "deactivated":
            auth.set_active(s, SYSTEM, op.id, False)
        elif how == "logged out elsewhere":
            auth.logout(s, token)
        elif how == "expired":
            row.expires_at = clock.now() - timedelta(seconds=1)
        else:  # idle longer than SESSION_IDLE_MINUTES
            row.last_seen_at = clock.now() - timedelta(minutes=auth.session_idle_minutes() + 1)
    eng.dispose()


@pytest.mark.parametrize("how", ["deactivated", "logged out elsewhere", "expired", "idle"])
def test_an_open_console_reads_nothing_once_the_login_ends(page_as, app_db, how):
    at = page_as("assistant", "console")
    assert at.metric and not at.exception  # the live numbers are there
    _end(app_db, at.session_state[context.TOKEN_KEY], how)
    at.session_state[context.SESSION_CHECKED_KEY] = 0.0  # the next refresh comes seconds later
    at.run()
    assert not at.exception
    assert not at.metric and not at.dataframe  # no live data reaches the ended session
    assert context.TOKEN_KEY not in at.session_state and context.ACTOR_KEY not in at.session_state
    assert any("登录已失效" in i.value for i in at.info)


def test_an_open_page_with_an_operator_but_no_login_token_is_not_trusted(page_as):
    at = page_as("assistant", "console")
    del at.session_state[context.TOKEN_KEY]
    at.run()
    assert not at.metric and context.ACTOR_KEY not in at.session_state


def test_a_live_login_keeps_reading(page_as):
    at = page_as("assistant", "console")
    at.run()
    assert at.metric and at.session_state[context.ACTOR_KEY].name == "assistant_user"


def test_the_cookie_endpoint_redirects_only_to_this_site_and_drops_url_logins():
    from ui.session_routes import safe_next

    assert safe_next("/console?show=3&s=abc") == "/console?show=3"
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", None):
        assert safe_next(evil) == "/"
