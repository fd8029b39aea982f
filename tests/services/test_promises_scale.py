"""Promises on a big night (issue 19 #1/#5) and gifts per person (issue 13 #13): a whole-show
promise over 30k entries, the chain followed on commit, parameter-limit errors never retried."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

import db
from db.models import ChainEntry, FulfilmentItem
from services import jielong, promises
from services.authz import SYSTEM
from services.errors import InvalidState
from tests.services.test_promises import NIGHT, make_deal, make_show

BIG = 30_000


def _bulk_entries(session, deal_id: int, n: int, start: int = 1) -> None:
    rows = [
        {"deal_id": deal_id, "line_key": f"b{deal_id}-{i}", "seq": i, "buyer_name": f"团员{i}", "qty": 1, "spec": "",
         "note": "", "address": f"{i % 30 + 1}栋", "phone": "", "source": "paste", "status": "valid",
         "over_limit": False, "missing": False, "raw_line": "", "created_at": NIGHT + timedelta(seconds=i),
         "updated_at": NIGHT}
        for i in range(start, start + n)
    ]
    for i in range(0, len(rows), 5_000):
        session.execute(insert(ChainEntry), rows[i:i + 5_000])
    session.flush()


def _active_items(session, promise_id: int) -> int:
    return session.scalar(
        select(func.count()).where(FulfilmentItem.promise_id == promise_id, FulfilmentItem.active.is_(True))
    )


def test_a_whole_show_promise_over_30k_entries_is_confirmed(session, admin, assistant):
    show_id = make_show(session, admin)
    deals = [make_deal(session, show_id, f"团品{i}", released_at=NIGHT) for i in range(3)]
    for d in deals:
        _bulk_entries(session, d, BIG // 3)
    p = promises.log_promise(session, assistant, show_id, "今晚所有订单都包邮", at=NIGHT, guess_deal=False)
    result = promises.confirm(session, assistant, p.id, scope=promises.Scope.SHOW)
    assert result.added == BIG
    assert _active_items(session, p.id) == BIG
    assert not promises.expand(session, p.id).changed  # idempotent: nothing twice


def _exc(message: str) -> OperationalError:
    return OperationalError("INSERT …", {}, sqlite3.OperationalError(message))


def test_a_too_many_parameters_error_is_a_bug_and_never_retried(clean_engine):
    assert not db.is_transient(_exc("too many SQL variables"))
    assert db.is_transient(_exc("database is locked"))
    calls = []

    def fails(_s):
        calls.append(1)
        raise _exc("too many SQL variables")

    with pytest.raises(OperationalError):
        db.transaction(clean_engine, fails, budget_s=5)
    assert len(calls) == 1


def test_items_follow_the_chain_when_the_paste_commits(clean_engine):
    admin = SYSTEM
    with db.session(clean_engine) as s:
        show_id = make_show(s, admin)
        deal_id = make_deal(s, show_id, released_at=NIGHT)
        p = promises.log_promise(s, admin, show_id, "这一单明天中午前送到", at=NIGHT, deal_id=deal_id)
        promises.confirm(s, admin, p.id, scope=promises.Scope.DEAL)
    with db.session(clean_engine) as s:  # no sync call: the commit brings the items along
        jielong.apply_paste(s, admin, deal_id, "1. 王芳 2份\n2. 李静 1份\n3. 张强 1份")
    with db.session(clean_engine) as s:
        assert _active_items(s, p.id) == 3
        first = s.scalar(select(ChainEntry.id).where(ChainEntry.deal_id == deal_id, ChainEntry.seq == 1))
        jielong.cancel_entry(s, admin, first)
    with db.session(clean_engine) as s:
        assert _active_items(s, p.id) == 2


def test_first_n_gifts_go_to_people_not_entries(session, admin, assistant):
    show_id = make_show(session, admin)
    deal_id = make_deal(session, show_id, released_at=NIGHT)
    for seq, name in enumerate(("王芳", "王芳", "李静", "王芳", "张强", "赵敏"), start=1):
        session.add(ChainEntry(deal_id=deal_id, line_key=f"k{seq}", seq=seq, buyer_name=name, qty=1, status="valid",
                               created_at=NIGHT + timedelta(minutes=seq), updated_at=NIGHT))
    session.flush()
    p = promises.log_promise(session, assistant, show_id, "前3名送手札", at=NIGHT, deal_id=deal_id)
    promises.confirm(session, assistant, p.id)
    got = sorted(i.buyer for i in promises.items(session, p.id))
    assert got == ["张强", "李静", "王芳"]  # 王芳 once, although she has three of the first four entries


def test_items_are_filtered_and_paged_in_sql(session, admin, assistant):
    show_id = make_show(session, admin)
    deal_id = make_deal(session, show_id, released_at=NIGHT)
    _bulk_entries(session, deal_id, 120)  # addresses 1栋 … 30栋
    p = promises.log_promise(session, assistant, show_id, "这一单次日达", at=NIGHT, deal_id=deal_id)
    promises.confirm(session, assistant, p.id, scope=promises.Scope.DEAL)
    promises.tick_range(session, assistant, p.id, 1, 10)
    page, total = promises.items_page(session, p.id, promises.ItemQuery(place="7栋", limit=2))
    assert total == 4 and len(page) == 2 and {i.address for i in page} == {"7栋"}  # not 17栋 / 27栋
    _, done = promises.items_page(session, p.id, promises.ItemQuery(state=promises.ItemState.DONE))
    rows, todo = promises.items_page(session, p.id, promises.ItemQuery(state="todo", seq_from=5, seq_to=20))
    assert (done, todo) == (10, 10) and [i.seq for i in rows] == list(range(11, 21))


def test_kept_with_open_items_is_refused_saying_how_many(session, admin, assistant):
    show_id = make_show(session, admin)
    deal_id = make_deal(session, show_id, released_at=NIGHT)
    _bulk_entries(session, deal_id, 20)
    p = promises.log_promise(session, assistant, show_id, "这一单次日达", at=NIGHT, deal_id=deal_id)
    promises.confirm(session, assistant, p.id, scope=promises.Scope.DEAL)
    promises.tick_range(session, assistant, p.id, 1, 10)
    with pytest.raises(InvalidState, match="还有 10 项履约未完成"):
        promises.set_status(session, assistant, p.id, "kept")
    assert promises.set_status(session, assistant, p.id, "kept", open_ok=True).status == "kept"


def test_first_n_follows_a_cancellation_when_it_commits(clean_engine):
    admin = SYSTEM
    with db.session(clean_engine) as s:
        show_id = make_show(s, admin)
        deal_id = make_deal(s, show_id, released_at=NIGHT)
        p = promises.log_promise(s, admin, show_id, "前2名送手札", at=NIGHT, deal_id=deal_id)
        promises.confirm(s, admin, p.id)
    with db.session(clean_engine) as s:
        jielong.apply_paste(s, admin, deal_id, "1. 王芳 1份\n2. 王芳 1份\n3. 李静 1份\n4. 张强 1份")
    with db.session(clean_engine) as s:
        assert sorted(i.buyer for i in promises.items(s, p.id)) == ["李静", "王芳"]  # people, not entries
        third = s.scalar(select(ChainEntry.id).where(ChainEntry.deal_id == deal_id, ChainEntry.seq == 3))
        jielong.cancel_entry(s, admin, third)
    with db.session(clean_engine) as s:  # 李静 dropped out: the next person moves up
        assert sorted(i.buyer for i in promises.items(s, p.id)) == ["张强", "王芳"]
