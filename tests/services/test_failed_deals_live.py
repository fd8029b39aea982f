"""Live (services.live): once a deal of the show failed its 成团 threshold (未成团, refunded), the
snapshot's 下单人数 (console tile, host screen) and the funnel's 接龙 step leave out a name whose only
order was in it, as the review does (jielong.show_buyers). The twin: before the failure, the tally."""
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
