"""Concurrency: one release per deal, exact totals under parallel intake (PostgreSQL and SQLite).

Each thread has its own session and transaction, like two consoles in two browsers.
"""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

import db
from db.models import ChainEntry as EntryRow
from db.models import Deal, Event
from services import jielong
from services.jielong import deals
from tests.services.test_jielong import START, T0, assert_consistent, form, make_show
from tests.support import make_actor


def _setup(engine, n_deals=1, **kw):
    with db.session(engine) as s:
        actor = make_actor(s, "assistant", "小美")
        other = make_actor(s, "assistant", "小丽")
        show = make_show(s, actor)
        ids = [jielong.create_deal(s, actor, show.id, form(**{**kw, "product": f"有机上海青{i + 1}号"}), at=START).id
               for i in range(n_deals)]  # one product per deal: a show refuses a twin
    return actor, other, ids


def _run(n, fn):
    """Run fn(i) in n threads released together; returns (results, errors) by thread index."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, [None] * n

    def work(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted on by the test
            errors[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def test_two_simultaneous_releases_give_one_release(clean_engine, monkeypatch):
    """Both consoles have read the deal as a draft and passed readiness before either writes:
    only the conditional UPDATE … WHERE status='draft' decides, and it lets one through."""
    actor, other, ids = _setup(clean_engine, n_deals=5)
    real = deals.readiness_of
    for deal_id in ids:
        both_read = threading.Barrier(2)

        def readiness_then_wait(deal, now=None, _b=both_read):
            problems = real(deal, now)
            _b.wait(timeout=30)  # both transactions saw status='draft'
            return problems

        monkeypatch.setattr(deals, "readiness_of", readiness_then_wait)

        def release(i, deal_id=deal_id):
            with db.session(clean_engine) as s:
                return jielong.release(s, deal_id, (actor, other)[i], at=T0).released_by

        results, errors = _run(2, release)
        assert sorted(type(e).__name__ for e in errors if e) == ["InvalidState"], errors
        assert "不能重复发布" in str(next(e for e in errors if e))
        winner = next(r for r in results if r)
        with db.session(clean_engine) as s:
            deal = s.get(Deal, deal_id)
            assert deal.status == "released" and deal.released_by == winner
            n = s.scalar(select(func.count()).select_from(Event).where(
                Event.kind == "deal.released", Event.payload["deal_id"].as_integer() == deal_id))
            assert n == 1
    monkeypatch.setattr(deals, "readiness_of", real)


def _chain(n):
    return "#接龙\n例 张三 1份 3栋\n" + "\n".join(f"{i}. 团员{i:03d} {i % 3 + 1}份 {i % 9 + 1}栋" for i in range(1, n + 1))


def test_eight_threads_pasting_overlapping_chains(clean_engine):
    stock = 120
    actor, _, [deal_id] = _setup(clean_engine, stock=stock, threshold=50, per_person_limit=None)
    with db.session(clean_engine) as s:
        jielong.release(s, deal_id, actor, at=T0)
    lengths = [20, 35, 50, 65, 80, 95, 110, 120]  # every thread pastes a prefix of the same chain

    def paste(i):
        with db.session(clean_engine) as s:
            return jielong.apply_paste(s, actor, deal_id, _chain(lengths[i]), at=T0 + timedelta(seconds=i))

    for _round in range(2):  # the second round re-pastes everything: must change nothing
        _, errors = _run(8, paste)
        assert errors == [None] * 8, errors
    # The expected state: 120 lines in chain order, stock filled in order, the rest waitlisted.
    used = valid = wait = 0
    for i in range(1, 121):
        q = i % 3 + 1
        if used + q <= stock:
            used, valid = used + q, valid + 1
        else:
            wait += 1
    with db.session(clean_engine) as s:
        assert s.scalar(select(func.count()).select_from(EntryRow)) == 120
        dup = s.execute(select(EntryRow.line_key).group_by(EntryRow.line_key).having(func.count() > 1)).all()
        assert dup == []
        deal = assert_consistent(s, deal_id)
        assert (deal.units_valid, deal.entries_valid, deal.entries_waitlisted) == (used, valid, wait)
        assert deal.units_valid <= stock
        assert deal.status == "sold_out" and deal.reached_at is not None
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "deal.sold_out")) == 1
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "chain.pasted")) == 16


def test_eight_threads_adding_entries_never_oversell(clean_engine):
    stock = 30
    actor, _, [deal_id] = _setup(clean_engine, stock=stock, threshold=10, per_person_limit=None)
    with db.session(clean_engine) as s:
        jielong.release(s, deal_id, actor, at=T0)

    def add(i):
        for k in range(6):
            with db.session(clean_engine) as s:
                jielong.add_entry(s, actor, deal_id, f"线程{i}-{k}", qty=1 + (k % 2), at=T0 + timedelta(seconds=k))

    _, errors = _run(8, add)
    assert errors == [None] * 8, errors
    with db.session(clean_engine) as s:
        deal = assert_consistent(s, deal_id)
        assert deal.units_valid <= stock
        assert deal.entries_valid + deal.entries_waitlisted == 48
        assert deal.units_valid + deal.units_waitlisted == 8 * (3 * 1 + 3 * 2)
        assert deal.units_valid >= stock - 1  # filled: only a 2-unit entry can leave 1 unit over
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "deal.sold_out")) <= 1
