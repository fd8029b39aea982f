"""A deal closing with the show follows a new planned end; a deadline of its own is kept (night 19)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from db.models import Event
from services import jielong, review, shows
from tests.services.test_jielong import form

# Night 19: planned 20:00–21:00 (the form's default slot), moved to 18:30–19:10 before going live.
START, END = datetime(2026, 12, 2, 20, 0), datetime(2026, 12, 2, 21, 0)
NEW_START, NEW_END = datetime(2026, 12, 2, 18, 30), datetime(2026, 12, 2, 19, 10)
EDITED = datetime(2026, 12, 2, 17, 0)


def _form(start: datetime, end: datetime) -> shows.ShowForm:
    return shows.ShowForm("绿篮子早市《明早到》蔬菜鲜肉专场", "绿篮子·锦绣花园群", 200, "阿梅", start, end)


def _night(session, actor):
    show = shows.create_show(session, actor, _form(START, END))
    deals = {}
    for product, deadline in (("本地小青菜", shows.default_deadline(END)), ("农家土鸡蛋", END),
                              ("黑猪五花肉", datetime(2026, 12, 2, 20, 43)), ("预售大米", datetime(2026, 12, 3, 21, 0))):
        deals[product] = jielong.create_deal(session, actor, show.id, form(product=product, deadline=deadline), at=START)
    return show, deals


def test_the_default_deadline_is_half_an_hour_after_the_planned_end():
    assert shows.default_deadline(END) == datetime(2026, 12, 2, 21, 30)


def test_deals_closing_with_the_show_follow_its_new_end_and_own_deadlines_stay(session, assistant):
    """Night 19: the show moved to 18:30–19:10 and 本地小青菜 kept its 21:30 截止 (the host screen counted
    down 2:57:36). A deadline the form proposed (end + 30 min) or the end itself moves with the end."""
    show, deals = _night(session, assistant)
    shows.update_show(session, assistant, show.id, _form(NEW_START, NEW_END), at=EDITED)
    deadline = {p: d.deadline for p, d in deals.items()}
    assert deadline["本地小青菜"] == datetime(2026, 12, 2, 19, 40)  # 21:30 → 19:10 + 30 min
    assert deadline["农家土鸡蛋"] == NEW_END  # closed with the show: closes with it still
    # twins: a deadline set apart is the deal's own, earlier (18:43 was typed for the night) or later
    assert deadline["黑猪五花肉"] == datetime(2026, 12, 2, 20, 43)
    assert deadline["预售大米"] == datetime(2026, 12, 3, 21, 0)
    logged = session.scalars(select(Event).where(Event.show_id == show.id, Event.kind == "deal.deadline_followed")
                             .order_by(Event.id)).all()
    assert [(e.payload["product"], e.payload["old"], e.payload["new"]) for e in logged] == [
        ("本地小青菜", "2026-12-02 21:30:00", "2026-12-02 19:40:00"),
        ("农家土鸡蛋", "2026-12-02 21:00:00", "2026-12-02 19:10:00")]
    assert {e.operator_id for e in logged} == {assistant.id}
    assert review.event_label("deal.deadline_followed") == "截止随场次调整"


def test_a_later_end_moves_them_too_and_an_unchanged_end_moves_nothing(session, assistant):
    show, deals = _night(session, assistant)
    shows.update_show(session, assistant, show.id, _form(START, END + timedelta(hours=1)), at=EDITED)
    assert deals["本地小青菜"].deadline == datetime(2026, 12, 2, 22, 30)
    # twin: a new title, the same end: no deadline moves, nothing logged
    shows.update_show(session, assistant, show.id, shows.ShowForm("改个标题", "绿篮子·锦绣花园群", 200, "阿梅", START,
                                                                  END + timedelta(hours=1)), at=EDITED)
    assert deals["本地小青菜"].deadline == datetime(2026, 12, 2, 22, 30)
    assert len(session.scalars(select(Event).where(Event.kind == "deal.deadline_followed")).all()) == 2


def test_a_deadline_already_passed_is_kept(session, assistant):
    """A deadline that passed decided its deal (未成团 recorded, or due): moving the show afterwards
    does not reopen it."""
    show, deals = _night(session, assistant)
    after = datetime(2026, 12, 2, 21, 40)  # 21:30 passed
    shows.update_show(session, assistant, show.id, _form(START, END + timedelta(hours=1)), at=after)
    assert deals["本地小青菜"].deadline == datetime(2026, 12, 2, 21, 30)
