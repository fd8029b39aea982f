"""Issue 14, "faults that must be survived for real": the PostgreSQL server itself restarts
(pg_ctl restart -m fast on a throw-away cluster: every connection is cut, the server is away
for a moment) in the middle of a chain paste and of a comment pipe. Afterwards every row is
stored exactly once, and an engine that was open before (an open page's) answers again by
itself: its next read and its ping work without anyone reconnecting it.

Service level: the page-level version (an AppTest or a browser on this cluster) is left out,
the live pages read through the same engine and ui.context.read path shown here."""
from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

import db
from db.models import ChainEntry, Comment, Deal, Show
from services import ingest, jielong, store, triage
from tests import pg_cluster
from tests.services.test_jielong import START, T0, form, make_show
from tests.support import make_actor

pytestmark = [pytest.mark.slow, pytest.mark.skipif(pg_cluster.available() is not None,
                                                   reason=pg_cluster.available() or "")]


@pytest.fixture(scope="module")
def server():
    with pg_cluster.cluster() as c:
        yield c


@pytest.fixture
def engines(server):
    """(the writer's engine, an open page's engine), on a fresh schema."""
    writer, page = db.connect(server.url), db.connect(server.url)
    with writer.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    db.upgrade(writer)
    yield writer, page
    writer.dispose()
    page.dispose()


def restart_on(engine, server, prefix: str, nth: int = 1) -> list[int]:
    """Restart the server just before the nth statement starting with `prefix` is sent (the
    unit of work is open: the statement meets a dead connection)."""
    seen: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _restart(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(prefix):
            seen.append(1)
            if len(seen) == nth:
                server.restart()

    return seen


def _page_reads(page, show_id: int) -> None:
    """What an open console does on its next tick: the same engine, no reconnect by hand."""
    assert store.ping(page)
    store.read(page, triage.queue, show_id)


def test_a_restart_in_the_middle_of_a_chain_paste(server, engines):
    writer, page = engines
    with db.session(writer) as s:
        actor = make_actor(s, "assistant", "小美")
        show = make_show(s, actor)
        deal_id = jielong.create_deal(s, actor, show.id, form(stock=1500), at=START).id
        jielong.release(s, deal_id, actor, at=T0)
    store.read(page, triage.queue, show.id)  # the page's pool holds a connection from before
    chain = "\n".join(["#接龙 有机上海青"] + [f"{i}. 邻居{i} {1 + i % 2}份 {i % 12 + 1}栋" for i in range(1, 801)])
    seen = restart_on(writer, server, "INSERT INTO CHAIN_ENTRY")
    retries: list[int] = []
    result = store.unit_of_work(writer, lambda s: jielong.apply_paste(s, actor, deal_id, chain, at=T0),
                                on_retry=lambda e, n: retries.append(n))
    assert seen and retries, "the paste should have met the restart and been retried"
    assert result.added == 800
    with db.session(writer) as s:
        assert s.scalar(select(func.count()).select_from(ChainEntry).where(ChainEntry.deal_id == deal_id)) == 800
        names = s.scalars(select(ChainEntry.buyer_name).where(ChainEntry.deal_id == deal_id)).all()
        assert len(set(names)) == 800  # each buyer exactly once
        deal = s.get(Deal, deal_id)
        assert deal.units_valid + deal.units_waitlisted == sum(1 + i % 2 for i in range(1, 801))
    _page_reads(page, show.id)


def test_a_restart_in_the_middle_of_a_comment_pipe(server, engines):
    writer, page = engines
    with db.session(writer) as s:
        show_id = make_show(s, make_actor(s, "assistant", "小美")).id
    store.read(page, triage.queue, show_id)
    lines = [json.dumps({"author": f"观众{i % 300}", "text": f"第{i}条：什么时候到货呀",
                         "at": (START + timedelta(seconds=i)).isoformat(sep=" ")}, ensure_ascii=False)
             for i in range(2000)]
    # Comments go in by COPY on PostgreSQL (no cursor event): restart on the tally upsert of the
    # third batch, inside that batch's transaction.
    seen = restart_on(writer, server, "INSERT INTO SHOW_MINUTE", nth=3)
    out, err = io.StringIO(), io.StringIO()
    code = ingest.run(show_id, io.StringIO("\n".join(lines)), batch=500, engine=writer, out=out, err=err)
    assert len(seen) >= 3, "the pipe should have met the restart"
    assert code == 0, err.getvalue()
    with db.session(writer) as s:
        assert s.scalar(select(func.count()).select_from(Comment).where(Comment.show_id == show_id)) == 2000
        assert s.scalar(select(func.count(func.distinct(Comment.text))).where(Comment.show_id == show_id)) == 2000
        assert s.get(Show, show_id).comments_total == 2000
    _page_reads(page, show_id)
