"""Follow-ups: who has not picked up by a deadline (reminder to copy), the care message after a
hand-over, claims from follow-ups into the claims log; review figures; the demo's past night."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from db.models import FulfilmentItem, PickupPointTally
from services import demo, events, jielong, pickup, promises, shows
from services.errors import InvalidInput, InvalidState
from tests.services.pickup_support import DUE, END, make_night, promise
from tests.support import demo_morning

MORNING, EVENING = DUE - timedelta(hours=2), DUE + timedelta(hours=6)


def test_not_picked_by_the_deadline_and_the_reminder_text(session, assistant):
    night = make_night(session, assistant)
    assert pickup.default_deadline(session, night.show_id) == datetime.combine(END.date() + timedelta(days=1),
                                                                               datetime.min.time()).replace(hour=18)
    promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    assert pickup.default_deadline(session, night.show_id) == DUE
    pickup.mark(session, assistant, night.entries[1], at=MORNING)
    pickup.mark(session, assistant, night.egg_entry, at=MORNING)
    pickup.mark(session, assistant, night.entries[4], at=EVENING)  # after the deadline: still listed
    pickup.mark(session, assistant, night.entries[3], qty=1, at=MORNING)
    open_rows = pickup.not_picked(session, night.show_id, DUE)
    assert sorted(r.name for r in open_rows) == ["Amy", "李娜", "果果妈", "王芳芳"]
    # The deals say 次日中午前送达: the buildings are delivered to, the 东门驿站 orders picked up there.
    assert pickup.show_delivers(session, night.show_id)
    text = pickup.reminder_text("源味集《农场主来了》", open_rows, DUE, delivers=True)
    # Night 14: Amy came after the deadline; she is listed above (late) but not reminded any more.
    assert text.splitlines()[:2] == ["【提货提醒】源味集《农场主来了》",
                                     "还有 3 位邻居的订单没有取，请在 11月21日 12:00 前按下面的方式提货："]
    assert "东门驿站（到东门驿站自提）：2号 李娜" in text
    assert "3栋（送货上门）：3号 果果妈" in text and "5栋（送货上门）：5号 王芳芳" in text
    assert "Amy" not in text
    assert "到店提货" not in text and "到店自提" not in text
    assert "1380000" not in text  # no phone numbers in a group message
    # Only buildings left: one line says they come to the door.
    doors = [r for r in open_rows if r.group != "东门驿站"]
    assert pickup.reminder_text("源味集", doors, DUE, delivers=True).splitlines()[1] == (
        "还有 2 位邻居的订单将送货上门（11月21日 12:00 前），请留意收货：")


def test_a_reminder_sent_after_its_deadline_does_not_ask_for_a_past_time(session, assistant):
    # Night 14: at 20:00 the 跟进 tab offered 「请在 12月2日 12:00 前…提货」, eight hours too late.
    night = make_night(session, assistant)
    open_rows = pickup.not_picked(session, night.show_id, DUE)
    text = pickup.reminder_text("源味集", open_rows, DUE, delivers=True, now=EVENING)
    assert text.splitlines()[1] == "还有 5 位邻居的订单没有取（11月21日 12:00 已过），请尽快按下面的方式提货："
    doors = [r for r in open_rows if r.group != "东门驿站"]
    assert pickup.reminder_text("源味集", doors, DUE, delivers=True, now=EVENING).splitlines()[1] == (
        "还有 4 位邻居的订单将送货上门（原定 11月21日 12:00 前，晚了，抱歉），请留意收货：")
    # twin: before the deadline the time is still asked for
    assert "请在 11月21日 12:00 前按下面的方式提货" in pickup.reminder_text(
        "源味集", open_rows, DUE, delivers=True, now=MORNING)


def test_a_show_that_does_not_deliver_says_pick_up_at_the_shop_or_the_point(session, assistant):
    night = make_night(session, assistant)
    from db.models import Deal
    for d in session.query(Deal).filter(Deal.show_id == night.show_id):
        d.delivery_text = "不送货，仅自提"
    session.flush()
    assert not pickup.show_delivers(session, night.show_id)
    open_rows = pickup.not_picked(session, night.show_id, DUE)
    text = pickup.reminder_text("源味集", open_rows, DUE, delivers=pickup.show_delivers(session, night.show_id))
    assert "送货上门" not in text
    assert "东门驿站（到东门驿站自提）：李娜" in text and "5栋（到店自提）：王芳" in text
    eggs_only = [r for r in open_rows if r.group == "5栋"]
    assert "前到店自提：" in pickup.reminder_text("源味集", eggs_only, DUE)
    assert "前到东门驿站自提：" in pickup.reminder_text("源味集", eggs_only, DUE, place="东门驿站")
    # A delivery run recorded: the show delivers, whatever its texts say.
    pickup.deliver(session, assistant, night.show_id, ["12栋"], at=DUE)
    assert pickup.show_delivers(session, night.show_id)


def test_reminder_names_the_deal_when_the_show_has_several():
    row = pickup.PickupRow(
        entry_id=1, deal_id=1, product="有机上海青", seq=7, name="王芳", qty=2, spec="", note="", address="5栋",
        phone_tail="", picked_qty=0, status=pickup.PickupStatus.PENDING, version=0, via="", picked_at=None,
        picked_by="", done_at=None,
    )
    egg = row.__class__(**{**row.__dict__, "entry_id": 2, "deal_id": 2, "product": "土鸡蛋", "seq": 3, "qty": 1})
    text = pickup.reminder_text("源味集", [row, egg], DUE, place="东门驿站")
    assert "5栋：王芳（7号 有机上海青×2、3号 土鸡蛋×1）" in text and "前到东门驿站自提" in text
    assert "所有订单都已提货" in pickup.reminder_text("源味集", [], DUE)
    # A product whose name ends in a number keeps its 跟团号 apart: not "散养土鸡蛋 30枚21号".
    eggs = row.__class__(**{**row.__dict__, "entry_id": 3, "deal_id": 2, "product": "散养土鸡蛋 30枚", "seq": 21, "qty": 1})
    text = pickup.reminder_text("源味集", [row, eggs], DUE)
    assert "王芳（7号 有机上海青×2、21号 散养土鸡蛋 30枚×1）" in text and "30枚21号" not in text


def test_care_message_after_a_pickup_or_a_delivery():
    at = datetime(2026, 11, 21, 10, 5)
    msg = pickup.care_message("王芳", [("有机上海青", 2)], "源味集《农场主来了》", at)
    assert msg.startswith("王芳您好！您在「源味集《农场主来了》」订的 有机上海青×2 已于 11月21日 10:05 取走。")
    assert "东西收到了吗？还满意吗？" in msg
    assert "送到" in pickup.care_message("王芳", [("土鸡蛋", 1)], "源味集", at, via="delivery")


def test_picked_recently_newest_first_with_their_care_message(session, assistant):
    night = make_night(session, assistant)
    pickup.mark(session, assistant, night.entries[1], at=MORNING)
    pickup.deliver(session, assistant, night.show_id, ["12栋"], at=EVENING)
    recent = pickup.picked_recently(session, night.show_id)
    assert [r.name for r in recent] == ["Amy", "王芳"]
    assert "已于 11月21日 18:00 送到" in pickup.care_message_for(recent[0], "源味集")


def test_a_claim_from_a_follow_up_goes_into_the_claims_log(session, assistant):
    night = make_night(session, assistant)
    with pytest.raises(InvalidState, match="按申请登记"):
        pickup.log_claim(session, assistant, night.entries[1], "坏了两颗")
    show_wide = promises.log_promise(session, assistant, night.show_id, "有任何问题直接找我", guess_deal=False,
                                     kind="refund", scope="claims")
    egg_claims = promises.log_promise(session, assistant, night.show_id, "鸡蛋破一个赔一个", deal_id=night.eggs,
                                      kind="compensation", scope="claims")
    assert [pid for pid, _ in pickup.claim_promises(session, night.show_id)] == [show_wide.id, egg_claims.id]
    with pytest.raises(InvalidInput, match="问题"):
        pickup.log_claim(session, assistant, night.egg_entry, " ")
    claim = pickup.log_claim(session, assistant, night.egg_entry, "破了两个")
    assert (claim.promise_id, claim.chain_entry_id, claim.label, claim.kind) == (egg_claims.id, night.egg_entry,
                                                                                 "王芳：破了两个", "claim")
    greens = pickup.log_claim(session, assistant, night.entries[4], "叶子有点黄")
    assert greens.promise_id == show_wide.id  # no claims log for the greens: the show-wide one
    assert session.scalar(select(FulfilmentItem.id).where(FulfilmentItem.id == greens.id))


def test_review_figures_pickup_rate_late_and_on_time(session, assistant):
    night = make_night(session, assistant)
    pid = promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.mark(session, assistant, night.entries[1], at=MORNING)
    pickup.mark(session, assistant, night.entries[2], at=EVENING)  # late
    pickup.mark(session, assistant, night.entries[3], qty=1, at=MORNING)
    pickup.deliver(session, assistant, night.show_id, ["12栋"], at=MORNING)
    st = pickup.stats(session, night.show_id, now=EVENING)
    assert (st.entries, st.picked_up, st.partial, st.pending, st.delivered, st.late) == (6, 3, 1, 2, 1, 1)
    assert st.rate == pytest.approx(3 / 6)
    # greens items: 2 on time, 1 late, 2 not handed over and past due (王芳芳, 果果妈's rest)
    assert (st.items_on_time, st.items_late, st.items_overdue, st.items_open) == (2, 1, 2, 0)
    assert st.on_time_rate == pytest.approx(2 / 5)
    assert (st.delivery_promises, st.delivery_promises_kept) == (1, 0)
    points = {p.group: (p.entries, p.picked_up, p.late, p.rate) for p in st.points}
    assert points["东门驿站"] == (1, 1, 1, 1.0)
    assert points["5栋"][:2] == (3, 1)
    assert pickup.stats(session, night.show_id, now=MORNING - timedelta(days=1)).items_open == 2
    assert promises.promise_row(session, pid).status == "open"


def test_review_figures_follow_every_change_after_being_read(session, assistant):
    """The figures are kept per show version: a read at an unchanged version reads the tally row,
    and every hand-over, undo or new order after it shows at once."""
    night = make_night(session, assistant)
    promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    session.commit()  # the chain's promise items are brought along as a transaction commits
    first = pickup.stats(session, night.show_id, now=EVENING)
    assert (first.entries, first.picked_up, first.items_overdue) == (6, 0, 5)
    assert session.scalar(select(PickupPointTally.version).where(PickupPointTally.show_id == night.show_id)) \
        == events.version(session, night.show_id)
    again = pickup.stats(session, night.show_id, now=MORNING)  # same version: overdue still follows the time
    assert (again.entries, again.items_overdue, again.items_open) == (6, 0, 5)
    pickup.mark(session, assistant, night.entries[1], at=EVENING)  # late
    st = pickup.stats(session, night.show_id, now=EVENING)
    assert (st.picked_up, st.late, st.items_late, st.items_overdue) == (1, 1, 1, 4)
    assert {p.group: p.picked_up for p in st.points}["5栋"] == 1
    pickup.undo(session, assistant, night.entries[1])
    assert (pickup.stats(session, night.show_id, now=EVENING).picked_up,
            pickup.stats(session, night.show_id, now=EVENING).items_late) == (0, 0)
    jielong.add_entry(session, assistant, night.greens, "新邻居", qty=1, address="9栋", source="manual")
    st = pickup.stats(session, night.show_id, now=EVENING)  # before the commit brings its promise item
    assert st.entries == 7 and {p.group: p.entries for p in st.points}["9栋"] == 1
    session.commit()
    assert pickup.stats(session, night.show_id, now=EVENING).items_overdue == 6  # its item, once brought along


def test_empty_show_has_no_rate(session, assistant):
    show = shows.create_show(session, assistant, shows.ShowForm("空场", "群", 10, "老李", DUE, DUE + timedelta(hours=1)))
    st = pickup.stats(session, show.id)
    assert (st.entries, st.rate, st.on_time_rate, st.points) == (0, None, None, [])


def test_the_past_demo_night_has_deliveries_and_pickups(session):
    demo.ensure_demo(session, now=demo_morning())  # before the seed night's morning hand-overs (08:30)
    past = shows.find_show(session, "亲亲宝贝《安心之选》")
    st = pickup.stats(session, past.id)
    assert st.entries > 50 and st.delivered > 30
    assert 0.85 < st.rate < 1.0 and st.partial >= 1 and st.pending >= 3
    assert [r.label for r in pickup.list_runs(session, past.id)] == ["B线", "A线"]
    assert all(p.status == "kept" for p in promises.list_promises(session, past.id))  # untouched by pickups
    tonight = shows.find_show(session, "源味集《农场主来了》")
    assert pickup.stats(session, tonight.id).picked_up == 0  # yesterday's orders are still to hand over


def test_review_figures_count_orders_still_waiting_past_the_deadline(session, assistant):
    # gmv15: the 提货 tab said 逾期提货 0 while orders waited past the deadline: it counted only late
    # hand-overs. 逾期未提 counts the orders not handed over in full once the deadline passed.
    night = make_night(session, assistant)
    promise(session, assistant, night, "次日中午前送到大家手里", "delivery", due_at=DUE)
    pickup.mark(session, assistant, night.entries[1], at=MORNING)
    pickup.mark(session, assistant, night.entries[2], at=EVENING)  # late, but handed over
    pickup.mark(session, assistant, night.entries[3], qty=1, at=MORNING)  # partial: still waiting
    st = pickup.stats(session, night.show_id, now=EVENING)
    assert (st.deadline, st.past_deadline, st.overdue_open, st.late) == (DUE, True, 4, 1)
    assert sum(p.overdue_open for p in st.points) == 4
    assert {p.group: p.overdue_open for p in st.points}["东门驿站"] == 0  # handed over (late)
    # twin: before the deadline nothing is overdue, however much is still to hand over
    early = pickup.stats(session, night.show_id, now=MORNING)
    assert (early.past_deadline, early.overdue_open, early.entries - early.picked_up) == (False, 0, 4)


def _order(**kw) -> pickup.PickupRow:
    base = dict(entry_id=1, deal_id=1, product="婴儿纸尿裤", seq=5, name="豆豆妈", qty=3, spec="M码", note="快递",
                address="上海市浦东新区", phone_tail="", picked_qty=0, status=pickup.PickupStatus.PENDING, version=0, via="",
                picked_at=None, picked_by="", done_at=None)
    return pickup.PickupRow(**{**base, **kw})


def test_a_courier_order_is_shipped_not_delivered():
    """Night 21 (left by night21): 配送 said 送达 for the 快递 group and 跟进 reminded a 快递 order as a pickup.
    A 快递 order reads 待发货 / 已发货, a run covering it 快递发货; its reminder and care message say 发货."""
    waiting, shipped = _order(), _order(picked_qty=3, status=pickup.PickupStatus.PICKED_UP, via="delivery",
                                        done_at=datetime(2026, 11, 21, 10, 5))
    assert (waiting.group, waiting.status_label, shipped.status_label, shipped.via_label) == ("快递", "待发货", "已发货", "快递发货")
    assert pickup.run_words(["快递"]) == pickup.RunWords("待发货", "发货")
    text = pickup.reminder_text("亲亲宝贝", [waiting], DUE, delivers=True)
    assert "将快递发出" in text and "请留意物流" in text and "快递：5号 豆豆妈" in text and "送货上门" not in text
    msg = pickup.care_message_for(shipped, "亲亲宝贝")
    assert "已于 11月21日 10:05 发货" in msg and "送到" not in msg


def test_a_building_or_a_counter_order_keeps_its_words():
    """Twin: an order for 5栋 a run covered is 已提货 / 配送上门 and 送达; one taken at the counter 到店自提;
    a run of 快递 with a building is 送达 (the door words, not all parcels)."""
    door = _order(note="", address="5栋", picked_qty=3, status=pickup.PickupStatus.PICKED_UP, via="delivery",
                  done_at=datetime(2026, 11, 21, 10, 5))
    counter = _order(note="", address="东门自提", picked_qty=3, status=pickup.PickupStatus.PICKED_UP, via="counter")
    assert (door.status_label, door.via_label, counter.via_label) == ("已提货", "配送上门", "到店自提")
    assert _order(note="不要快递", address="").status_label == "待提货"
    assert pickup.run_words(["5栋"]) == pickup.run_words(["快递", "5栋"]) == pickup.RunWords("待送", "送达")
    assert "已于 11月21日 10:05 送到" in pickup.care_message_for(door, "源味集")
    assert "送货上门" in pickup.reminder_text("源味集", [_order(note="", address="5栋")], DUE, delivers=True)
