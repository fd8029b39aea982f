"""Issue 14 #3: a destructive "select, then act" carries the id the person chose. When another
console already acted on it, the action is refused ("该条已被他人取消"), never redirected to
the first option."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import db
from db.models import ChainEntry, LexiconTerm
from services import auth, jielong, triage
from services.authz import SYSTEM
from tests.pages.conftest import log_in
from tests.pages.test_console_jielong import SCRIPT, _make_show_with_deal
from ui import context

QUEUE_SCRIPT = """
from ui import console_queue, context
console_queue._lexicon_editor(context.show_id(), context.actor())
"""


def _panel(url: str, script: str, show_id: int | None) -> AppTest:
    at = log_in(AppTest.from_string(script, default_timeout=30), url, "assistant")
    at.session_state[context.SHOW_KEY] = show_id
    return at.run()


def _statuses(url: str, deal_id: int) -> dict[str, str]:
    eng = db.connect(url)
    with db.session(eng) as s:
        rows = s.execute(select(ChainEntry.buyer_name, ChainEntry.status).where(ChainEntry.deal_id == deal_id)).all()
    eng.dispose()
    return dict(rows)


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_a_stale_cancel_is_refused_and_never_cancels_another_buyer(app_db):
    show_id, deal_id = _make_show_with_deal(app_db, stock=20)
    eng = db.connect(app_db)
    with db.session(eng) as s:
        jielong.release(s, deal_id, SYSTEM)
        jielong.apply_paste(s, SYSTEM, deal_id, "1. 张三 1份\n2. 李四 2份\n3. 王五 1份")
        li_si = s.scalar(select(ChainEntry.id).where(ChainEntry.deal_id == deal_id, ChainEntry.buyer_name == "李四"))
    at = _panel(app_db, SCRIPT, show_id)
    at.selectbox(key=f"console_jielong_cancel_pick_{show_id}_{deal_id}").set_value(li_si).run()
    with db.session(eng) as s:  # the other assistant cancels 李四 first
        jielong.cancel_entry(s, SYSTEM, li_si)
    eng.dispose()
    at.button(key=f"console_jielong_cancel_{show_id}_{deal_id}").click().run()
    assert not at.exception
    assert "该条已被他人取消" in _errors(at)
    assert _statuses(app_db, deal_id) == {"张三": "valid", "李四": "cancelled", "王五": "valid"}


def test_a_stale_lexicon_delete_is_refused_and_deletes_nothing_else(app_db):
    eng = db.connect(app_db)
    with db.session(eng) as s:
        for term in ("蓝莓味", "草莓味", "芒果味"):
            triage.set_term(s, SYSTEM, "product", term, 2.0)
        ids = dict(s.execute(select(LexiconTerm.term, LexiconTerm.id)).all())
    at = _panel(app_db, QUEUE_SCRIPT, None)
    at.selectbox(key="console_queue_lex_delete_pick").set_value(ids["草莓味"]).run()
    with db.session(eng) as s:
        triage.delete_term(s, SYSTEM, ids["草莓味"])
    at.button(key="console_queue_lex_delete").click().run()
    assert not at.exception
    assert "已被他人删除" in _errors(at)
    with db.session(eng) as s:
        left = set(s.scalars(select(LexiconTerm.term)))
    eng.dispose()
    assert {"蓝莓味", "芒果味"} <= left and "草莓味" not in left


def test_a_stale_deactivate_never_lands_on_another_operator_nor_flips_back(app_db, page_as):
    eng = db.connect(app_db)
    with db.session(eng) as s:
        ids = {o.name: o.id for o in auth.list_operators(s)}
    at = page_as("admin", "operators")
    at.selectbox(key="operators_pick").select(ids["assistant_user"]).run()
    with db.session(eng) as s:  # another admin deactivates 小助手 first
        auth.set_active(s, SYSTEM, ids["assistant_user"], False)
    at.button(key="operators_toggle").click().run()  # this admin's button still read 停用
    assert not at.exception and not at.error
    with db.session(eng) as s:
        active = {o.name: o.active for o in auth.list_operators(s)}
    eng.dispose()
    assert active["assistant_user"] is False  # stays off (not flipped back on)
    assert all(active[n] for n in ("admin_user", "host_user", "reviewer_user"))
