"""The database drops in the middle of a chain paste and of a comment ingest (PostgreSQL).

The app reaches PostgreSQL through a TCP proxy the test controls; the proxy is cut at the
moment the first batch of rows is being written and restored a few seconds later. The
retrying unit of work (db.transaction) must finish the job with nothing lost and nothing doubled.
"""
from __future__ import annotations

import io
import json
import os
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

import db
from db.models import ChainEntry, Comment, Deal, Show
from services import ingest, jielong
from tests.services.test_jielong import START, T0, form, make_show
from tests.support import make_actor, postgres_database
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow
OUTAGE_S = float(os.environ.get("FAULT_OUTAGE_S", "3"))  # raise it to measure the longest outage survived


@pytest.fixture
def through_proxy():
    """(engine through the proxy, proxy, direct engine) on a fresh PostgreSQL database."""
    with postgres_database() as url:
        direct = db.connect(url)
        db.upgrade(direct)
        target = make_url(url)
        with TcpProxy((target.host or "127.0.0.1", target.port or 5432)) as proxy:
            proxied = db.connect(
                target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
                connect_args={"connect_timeout": 2},
            )
            yield proxied, proxy, direct
            proxied.dispose()
        direct.dispose()


def cut_on_first(engine, proxy: TcpProxy, statement_prefix: str, nth: int = 1) -> list[float]:
    """Cut the proxy when the nth statement starting with the prefix is sent; restore later.
    Returns a list that receives the outage start time."""
    seen, started = [0], []

    @event.listens_for(engine, "before_cursor_execute")
    def _maybe_cut(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(statement_prefix) and not started:
            seen[0] += 1
            if seen[0] == nth:
                started.append(time.monotonic())
                proxy.cut()
                threading.Timer(OUTAGE_S, proxy.restore).start()

    return started


def test_chain_paste_survives_a_database_drop(through_proxy):
    proxied, proxy, direct = through_proxy
    with db.session(direct) as s:
        actor = make_actor(s, "assistant", "小美")
        show = make_show(s, actor)
        deal_id = jielong.create_deal(s, actor, show.id, form(stock=1500), at=START).id
        jielong.release(s, deal_id, actor, at=T0)
    chain = "\n".join(["#接龙 有机上海青"] + [f"{i}. 邻居{i} {1 + i % 2}份 {i % 12 + 1}栋" for i in range(1, 1201)])
    started = cut_on_first(proxied, proxy, "INSERT INTO CHAIN_ENTRY")
    retries: list[int] = []
    t0 = time.monotonic()
    result = db.transaction(
        proxied, lambda s: jielong.apply_paste(s, actor, deal_id, chain, at=T0), on_retry=lambda e, n: retries.append(n)
    )
    assert started and retries, "the paste should have been cut and retried"
    assert time.monotonic() - t0 >= OUTAGE_S - 0.5
    assert result.added == 1200
    with db.session(direct) as s:
        deal = s.get(Deal, deal_id)
        assert s.scalar(select(func.count()).select_from(ChainEntry).where(ChainEntry.deal_id == deal_id)) == 1200
        units = s.scalar(select(func.sum(ChainEntry.qty)).where(ChainEntry.deal_id == deal_id, ChainEntry.status == "valid"))
        assert deal.units_valid == units <= 1500
        assert deal.units_valid + deal.units_waitlisted == sum(1 + i % 2 for i in range(1, 1201))
        assert s.get(Show, show.id).buyers == deal.buyers_valid


def test_comment_pipe_survives_a_database_drop(through_proxy):
    proxied, proxy, direct = through_proxy
    with db.session(direct) as s:
        actor = make_actor(s, "assistant", "小美")
        show_id = make_show(s, actor).id
    lines = [
        json.dumps({"author": f"观众{i % 300}", "text": f"第{i}条：什么时候到货呀" if i % 3 else f"666 {i}",
                    "at": (START + timedelta(seconds=i)).isoformat(sep=" ")}, ensure_ascii=False)
        for i in range(3000)
    ]
    # Comments go in by COPY on PostgreSQL, which SQLAlchemy's events do not see: cut on the
    # batch's per-minute tally upsert instead, inside the same transaction.
    started = cut_on_first(proxied, proxy, "INSERT INTO SHOW_MINUTE", nth=3)
    out, err = io.StringIO(), io.StringIO()
    code = ingest.run(show_id, io.StringIO("\n".join(lines)), batch=500, engine=proxied, out=out, err=err)
    assert started, "the ingest should have been cut"
    assert code == 0, err.getvalue()
    with db.session(direct) as s:
        assert s.scalar(select(func.count()).select_from(Comment).where(Comment.show_id == show_id)) == 3000
        assert s.get(Show, show_id).comments_total == 3000
