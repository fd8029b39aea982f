"""Live (services.live): once a deal of the show failed its 成团 threshold (未成团, refunded), the
snapshot's 下单人数 (console tile, host screen) and the funnel's 接龙 step leave out a name whose only
order was in it, as the review does (jielong.show_buyers: the Show.buyers tally). The twin: before the failure."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services import live, review
from tests.services.test_failed_deals import failed_and_reached


@pytest.mark.parametrize("live_for, outcome, buyers", [(timedelta(minutes=30), "released", 2),
                                                       (timedelta(hours=4), "failed", 1)])
def test_a_name_only_in_a_failed_deal_is_no_live_buyer(session, admin, live_for, outcome, buyers):
    """王芳 is in both deals, 李雷 only in 赣南脐橙; the show is still live when it fails (or not yet)."""
    show, oranges, apples = failed_and_reached(session, admin, other="李雷", live_for=live_for)
    assert (oranges.status, apples.status) == (outcome, "reached")
    snap = live.snapshot(session, show.id, now=show.scheduled_start + live_for)
    assert snap.buyers == buyers
    steps = {s.label: s.count for s in live.funnel(session, show.id, snap)}
    assert (steps["接龙"], steps["成团"]) == (buyers, 1)
    session.expire_all()  # Show.buyers is kept in SQL: the review reads the Show row as a new page would
    assert review.kpis(session, show.id)["buyers"] == buyers  # the review says the same


def test_the_live_buyers_after_a_failed_deal_are_read_from_the_tally_not_the_chain(session, admin):
    """The live panels poll the snapshot every few seconds: once a deal failed it used to count
    下单人数 by scanning chain_entry (41–69 ms at 100,000 entries); now it reads Show.buyers."""
    from sqlalchemy import event

    show, oranges, _ = failed_and_reached(session, admin, other="李雷", live_for=timedelta(hours=4))
    assert oranges.status == "failed"
    session.flush()
    statements: list[str] = []
    engine = session.connection().engine

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        snap = live.snapshot(session, show.id, now=show.scheduled_start + timedelta(hours=4))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert snap.buyers == 1
    assert statements and not [s for s in statements if "chain_entry" in s]


def test_a_failed_deal_that_reaches_later_gives_its_buyers_back(session, admin):
    """Orders pasted after the deadline: while the deal stays failed its new names buy nothing;
    when it reaches its threshold after all (成团), every one of its names counts again."""
    from services import jielong

    show, oranges, _ = failed_and_reached(session, admin, other="李雷", live_for=timedelta(hours=4))
    late = show.scheduled_start + timedelta(hours=4, minutes=1)
    jielong.add_entry(session, admin, oranges.id, "赵敏", 1, spec="5斤装", at=late)
    assert (oranges.status, live.snapshot(session, show.id, now=late).buyers) == ("failed", 1)
    for i, name in enumerate(("孙丽", "周杰")):
        jielong.add_entry(session, admin, oranges.id, name, 1, spec="5斤装", at=late + timedelta(seconds=i + 1))
    assert oranges.status == "reached"
    assert live.snapshot(session, show.id, now=late).buyers == 5  # 王芳 李雷 赵敏 孙丽 周杰
    session.expire_all()
    assert review.kpis(session, show.id)["buyers"] == 5


def test_the_migration_backfills_the_kept_entries_and_downgrades(tmp_path):
    """polish_1 fills show_buyer.kept_entries from deal_buyer and recounts Show.buyers; its downgrade
    gives Show.buyers back every name with a valid entry."""
    import db
    from sqlalchemy import text
    from tests.support import make_actor

    eng = db.connect(f"sqlite:///{tmp_path / 'upgraded.db'}")
    db.upgrade(eng)
    with db.session(eng) as s:
        show, _, _ = failed_and_reached(s, make_actor(s, "admin", "管理员"), sync=False, other="李雷")
        show_id = show.id
    buyers = 'SELECT buyers FROM "show" WHERE id = :id'
    db.downgrade(eng, "members_4")
    with eng.connect() as conn:
        assert conn.execute(text(buyers), {"id": show_id}).scalar() == 2  # 王芳 and 李雷, whose only order was refunded
    db.upgrade(eng)
    with eng.connect() as conn:
        assert conn.execute(text(buyers), {"id": show_id}).scalar() == 1
        kept = dict(conn.execute(text("SELECT name, kept_entries FROM show_buyer WHERE show_id = :id"), {"id": show_id}).all())
    assert kept == {"王芳": 1, "李雷": 0}  # 王芳's apples count, her oranges (failed) do not
    eng.dispose()
