"""Live (services.live): once a deal of the show failed its 成团 threshold (未成团, refunded), the
snapshot's 下单人数 (console tile, host screen) and the funnel's 接龙 step leave out a name whose only
order was in it, as the review does (jielong.show_buyers). The twin: before the failure, the tally."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services import jielong, live, review
from tests.services.test_members import orange_night


@pytest.mark.parametrize("checked_after, outcome, buyers", [(timedelta(minutes=30), "released", 2),
                                                            (timedelta(hours=4), "failed", 1)])
def test_a_name_only_in_a_failed_deal_is_no_live_buyer(session, admin, checked_after, outcome, buyers):
    """赣南脐橙 (成团 5 份): 王芳 1 + 李雷 1; 红富士 (成团 1 份): 王芳 2 → 成团. The show is still live."""
    start, show, oranges = orange_night(session, admin, "未成团直播场", 20, "10.00")
    apples = jielong.create_deal(session, admin, show.id, jielong.DealForm(
        product="红富士苹果", group_price=Decimal("8.00"), threshold=1, delivery_text="次日中午前送达",
        deadline=start + timedelta(hours=3)), at=start)
    jielong.release(session, apples.id, admin, at=start + timedelta(minutes=5))
    jielong.add_entry(session, admin, oranges.id, "王芳", 1, spec="5斤装", at=start + timedelta(minutes=6))
    jielong.add_entry(session, admin, oranges.id, "李雷", 1, spec="5斤装", at=start + timedelta(minutes=7))
    jielong.add_entry(session, admin, apples.id, "王芳", 2, at=start + timedelta(minutes=8))
    for deal in (oranges, apples):
        jielong.check_outcomes(session, deal.id, now=start + checked_after)
    assert (oranges.status, apples.status) == (outcome, "reached")
    snap = live.snapshot(session, show.id, now=start + checked_after)
    assert snap.buyers == buyers
    steps = {s.label: s.count for s in live.funnel(session, show.id, snap)}
    assert (steps["接龙"], steps["成团"]) == (buyers, 1)
    session.expire_all()  # Show.buyers is kept in SQL: the review reads the Show row as a new page would
    assert review.kpis(session, show.id)["buyers"] == buyers  # the review says the same
