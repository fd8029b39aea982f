"""Promises close themselves: delivery items kept by an on-time hand-over and broken (overdue)
by a late one; gift items kept when the gift is handed out at the counter; undo reopens them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import FulfilmentItem, Promise
from services import pickup, promises
from services.authz import Actor
from services.errors import InvalidInput
from tests.services.pickup_support import DUE, make_night, promise

STAFF = Actor(id=None, name="前台小周", role="staff")
SOON, LATE = DUE - timedelta(hours=1), DUE + timedelta(hours=3)


def item(session, promise_id, entry_id) -> FulfilmentItem:
    return session.scalar(select(FulfilmentItem).where(
        FulfilmentItem.promise_id == promise_id, FulfilmentItem.chain_entry_id == entry_id))


def status(session, promise_id) -> str:
    session.expire_all()
    return session.get(Promise, promise_id).status


def test_an_on_time_pickup_keeps_the_delivery_item(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.mark(session, STAFF, night.entries[1], at=SOON)
    it = item(session, pid, night.entries[1])
    assert (it.done, it.done_at, it.fulfilled_via, it.done_by) == (True, SOON, "pickup", None)
    assert pickup.how_fulfilled(session, pid)[it.id] == "自提核销"
    assert promises.promise_row(session, pid, now=LATE).done == 1


def test_a_pickup_after_the_promised_time_leaves_the_item_broken(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.mark(session, assistant, night.entries[2], at=LATE)
    it = item(session, pid, night.entries[2])
    assert (it.done, it.fulfilled_via) == (False, "late_pickup")
    row = next(i for i in promises.items(session, pid, now=LATE) if i.id == it.id)
    assert row.overdue  # red on the 承诺履约 page
    assert pickup.how_fulfilled(session, pid)[it.id] == "逾期自提"
    assert promises.overdue_count(session, night.show_id, now=LATE) >= 1


def test_a_partial_pickup_does_not_keep_the_item_until_the_rest_is_taken(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.mark(session, assistant, night.entries[3], qty=1, at=SOON)
    assert item(session, pid, night.entries[3]).done is False
    pickup.mark(session, assistant, night.entries[3], at=LATE)  # the rest after noon: late
    assert item(session, pid, night.entries[3]).fulfilled_via == "late_pickup"


def test_the_promise_closes_itself_kept_or_broken_when_every_item_is_settled(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    for seq in (1, 2, 3, 4):
        pickup.mark(session, assistant, night.entries[seq], at=SOON)
    assert status(session, pid) == "open"
    pickup.mark(session, assistant, night.entries[5], at=SOON)
    assert status(session, pid) == "kept"
    pickup.undo(session, assistant, night.entries[5])
    assert status(session, pid) == "open" and item(session, pid, night.entries[5]).done is False
    pickup.mark(session, assistant, night.entries[5], at=LATE)
    assert status(session, pid) == "broken"


def test_a_waived_promise_is_left_alone(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    promises.set_status(session, assistant, pid, "waived")
    pickup.mark(session, assistant, night.entries[1], at=SOON)
    assert item(session, pid, night.entries[1]).done is False and status(session, pid) == "waived"


def test_perks_owed_show_at_the_counter_and_close_the_gift_promise(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "前2名还送老李亲笔签名的《有机生活手札》！", "gift", "first_n", 2)
    first, third = (pickup.row(session, night.entries[s]) for s in (1, 3))
    assert [p.label for p in first.perks] == ["送《有机生活手札》"] and third.perks == ()
    gift = first.perks[0].item_id
    row = pickup.mark(session, STAFF, night.entries[1], gifts=[gift], at=LATE)
    assert row.perks[0].handed and item(session, pid, night.entries[1]).fulfilled_via == "pickup"
    assert pickup.how_fulfilled(session, pid)[gift] == "自提核销"
    # 李娜 takes her greens, her notebook is handed out later (补发)
    second = pickup.row(session, night.entries[2])
    pickup.mark(session, STAFF, second.entry_id, at=LATE)
    assert status(session, pid) == "open"
    pickup.hand_gifts(session, STAFF, second.entry_id, [second.perks[0].item_id], at=LATE)
    assert status(session, pid) == "kept"
    pickup.undo(session, assistant, second.entry_id)  # the notebook went to the wrong person
    assert status(session, pid) == "open" and item(session, pid, second.entry_id).done is False
    assert pickup.row(session, second.entry_id).status == "picked_up"  # her greens stay taken


def test_a_gift_not_owed_to_the_order_is_refused(session, assistant):
    night = make_night(session, assistant)
    promise(session, assistant, night, "前1名送手札", "gift", "first_n", 1)
    owed = pickup.row(session, night.entries[1]).perks[0].item_id
    with pytest.raises(InvalidInput, match="赠品"):
        pickup.mark(session, assistant, night.entries[2], gifts=[owed])
    assert pickup.row(session, night.entries[2]).picked_qty == 0


def test_ticking_by_hand_shows_as_by_hand(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    it = item(session, pid, night.entries[4])
    promises.update_items(session, assistant, pid, [promises.ItemChange(it.id, done=True)])
    assert pickup.how_fulfilled(session, pid)[it.id] == "手动勾选"
    pickup.mark(session, assistant, night.entries[4], at=LATE)  # already done by hand: untouched
    session.refresh(it)
    assert (it.done, it.fulfilled_via) == (True, "hand")
