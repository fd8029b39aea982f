"""Issue 14 #1 / #12: an ended login reads and writes nothing on an open page, and a page runs
only through the authenticated entry point."""
from __future__ import annotations

import db
from services import auth
from services.authz import SYSTEM
from ui import context


def _end(url: str, how: str) -> None:
    eng = db.connect(url)
    with db.session(eng) as s:
        op = next(o for o in auth.list_operators(s) if o.name == "assistant_user")
        if how == "deactivated":
            auth.set_active(s, SYSTEM, op.id, False)
        else:
            auth.reset_password(s, SYSTEM, op.id, "another passphrase 2")
    eng.dispose()


def test_an_open_console_reads_nothing_once_the_operator_is_deactivated(page_as, app_db):
    at = page_as("assistant", "console")
    assert at.metric and not at.exception  # the live numbers are there
    _end(app_db, "deactivated")
    at.run()  # the next refresh
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
