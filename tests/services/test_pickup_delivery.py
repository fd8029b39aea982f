"""Pickup lists by pickup point / building (the export's rule) and delivery runs."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Event, FulfilmentItem
from services import export, pickup
from services.errors import Forbidden, InvalidInput, InvalidState
from tests.services.pickup_support import DUE, make_night, promise

MORNING, EVENING = DUE - timedelta(hours=2), DUE + timedelta(hours=6)


def test_lists_group_like_the_packing_export(session, assistant):
    night = make_night(session, assistant)
    promise(session, assistant, night, "前2名送手札", "gift", "first_n", 2)
    groups = pickup.pickup_list(session, night.show_id)
    assert [g.group for g in groups] == ["东门驿站", "3栋", "5栋", "12栋"]
    exported = {(r["取货点/楼栋"], r["跟团号"], r["下单人"]) for r in export.entry_rows(session, night.show_id)}
    listed = {(g.group, r.seq, r.name) for g in groups for r in g.rows}
    assert listed == exported
    five = next(g for g in groups if g.group == "5栋")
    assert [(r.product, r.seq, r.name, r.qty) for r in five.rows] == [
        ("有机上海青", 1, "王芳", 2), ("有机上海青", 5, "王芳芳", 1), ("土鸡蛋", 1, "王芳", 1)]
    assert (five.entries, five.units, five.buyers) == (3, 4, 2)
    assert [p.label for p in five.rows[0].perks] == ["送手札"]
    eggs_only = pickup.pickup_list(session, night.show_id, deal_id=night.eggs)
    assert [(g.group, g.entries) for g in eggs_only] == [("5栋", 1)]



def test_a_partial_pickup_is_counted_apart_from_the_orders_nobody_came_for(session, assistant):
    # Night 18 and 19: 提货清单 counted 钱老师's 4 of 6 份 as 未提, like an order nobody came for, while
    # the counter's card said 部分提货 4/6 and its caption counted her under 部分提货.
    night = make_night(session, assistant)
    pickup.mark(session, assistant, night.entries[3], 1, at=MORNING)  # 果果妈: 1 of 3
    pickup.mark(session, assistant, night.entries[1], at=MORNING)  # 王芳's greens, in full
    groups = {g.group: g for g in pickup.pickup_list(session, night.show_id)}
    three, five = groups["3栋"], groups["5栋"]
    assert (three.pending_entries, three.partial_entries, three.partial_left) == (0, 1, 2)
    assert three.tally_text == "1 人 1 单 3 份 · 未提 0 单 · 部分提货 1 单（还差 2 份）"
    # twins: an order handed over in full is neither; an untouched one is 未提; no partial, no word of it
    assert (five.pending_entries, five.partial_entries) == (2, 0)
    assert five.tally_text == "2 人 3 单 4 份 · 未提 2 单"
    assert three.open_entries == 1 and five.open_entries == 2  # 只看未提完 keeps the partial order
    # the same tally as the counter's caption (待提货 · 部分提货 · 已提货)
    counts = pickup.status_counts(session, night.show_id)
    assert sum(g.pending_entries for g in groups.values()) == counts[pickup.PickupStatus.PENDING] == 4
    assert sum(g.partial_entries for g in groups.values()) == counts[pickup.PickupStatus.PARTIAL] == 1

def test_a_route_delivered_hands_over_every_open_order_in_it(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.mark(session, assistant, night.entries[5], at=MORNING - timedelta(hours=1))  # already at the shop
    pickup.mark(session, assistant, night.entries[3], qty=1, at=MORNING - timedelta(hours=1))
    run = pickup.deliver(session, assistant, night.show_id, ["5栋", "3栋"], at=MORNING, label="A线")
    assert (run.label, run.entries) == ("A线", 3)  # 王芳's greens and eggs, 果果妈's last 2
    for e in (night.entries[1], night.egg_entry, night.entries[3]):
        r = pickup.row(session, e)
        assert (r.status, r.via, r.done_at) == ("picked_up", "delivery", MORNING)
    assert pickup.row(session, night.entries[5]).via == "counter"
    assert pickup.row(session, night.entries[2]).status == "pending"  # 东门驿站 is not on the route
    via = session.scalar(select(FulfilmentItem.fulfilled_via).where(
        FulfilmentItem.promise_id == pid, FulfilmentItem.chain_entry_id == night.entries[1]))
    assert via == "delivery"
    assert [g.open_entries for g in pickup.group_choices(session, night.show_id)] == [1, 0, 0, 1]
    with pytest.raises(InvalidState, match="都已提货或送达"):
        pickup.deliver(session, assistant, night.show_id, ["5栋"], at=EVENING)
    n = session.scalar(select(func.count()).select_from(Event).where(Event.kind == "pickup.delivered"))
    assert n == 1


def test_a_late_run_leaves_the_delivery_items_broken(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.deliver(session, assistant, night.show_id, ["12栋"], at=EVENING)
    it = session.scalar(select(FulfilmentItem).where(
        FulfilmentItem.promise_id == pid, FulfilmentItem.chain_entry_id == night.entries[4]))
    assert (it.done, it.fulfilled_via) == (False, "late_delivery")
    assert pickup.how_fulfilled(session, pid)[it.id] == "逾期送达"


def test_undo_a_run_ticked_by_mistake(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    run = pickup.deliver(session, assistant, night.show_id, ["东门驿站", "12栋"], at=MORNING)
    pickup.undo(session, assistant, night.entries[4])  # one order undone by itself first
    pickup.mark(session, assistant, night.entries[4], at=MORNING)  # then taken at the counter
    pickup.undo_run(session, assistant, run.id)
    assert pickup.row(session, night.entries[2]).status == "pending"
    assert pickup.row(session, night.entries[4]).via == "counter"  # the counter's hand-over stands
    done = session.scalar(select(FulfilmentItem.done).where(
        FulfilmentItem.promise_id == pid, FulfilmentItem.chain_entry_id == night.entries[2]))
    assert done is False
    assert pickup.list_runs(session, night.show_id)[0].undone_at is not None
    with pytest.raises(InvalidState, match="撤销过"):
        pickup.undo_run(session, assistant, run.id)


def test_runs_need_a_group_and_the_right_role(session, assistant, reviewer):
    night = make_night(session, assistant)
    with pytest.raises(InvalidInput, match="楼栋"):
        pickup.deliver(session, assistant, night.show_id, [" "])
    with pytest.raises(Forbidden):
        pickup.deliver(session, reviewer, night.show_id, ["5栋"])


def test_a_run_leaves_an_order_to_check_for_the_counter(session, assistant):
    # Night 10: 赵敏 gone from the latest chain (待核实) was marked delivered with the rest of 8栋.
    from db.models import ChainEntry

    night = make_night(session, assistant)
    session.get(ChainEntry, night.entries[3]).missing = True  # 果果妈, 3栋: withdrew?
    choices = {c.group: (c.open_entries, c.to_check) for c in pickup.group_choices(session, night.show_id)}
    assert choices["3栋"] == (1, 1) and choices["5栋"] == (3, 0)
    run = pickup.deliver(session, assistant, night.show_id, ["3栋", "5栋"], at=MORNING)
    assert (run.entries, run.held) == (3, 1)
    assert pickup.row(session, night.entries[3]).status == "pending"  # waits for the check and the counter
    with pytest.raises(InvalidState, match="只剩 1 单待核实.*核销"):
        pickup.deliver(session, assistant, night.show_id, ["3栋"], at=MORNING)
    pickup.mark(session, assistant, night.entries[3], at=MORNING)  # checked: handed over at the counter
    assert {c.group: c.to_check for c in pickup.group_choices(session, night.show_id)}["3栋"] == 0
