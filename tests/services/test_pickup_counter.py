"""核销 at the counter: find by 跟团号 / phone tail / name, mark (all or part), say who already
took it, undo a wrong pickup, record one pickup when two people (or a retry) mark at once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import db
from db.models import Event, PickupAction
from services import jielong, pickup, shows
from services.authz import Actor
from services.errors import Forbidden, InvalidInput, InvalidState
from tests.services.pickup_support import DUE, END, RELEASE, START, deal_form, make_night
from tests.services.test_jielong_concurrency import _run
from tests.support import make_actor

AT = DUE - timedelta(hours=2)
STAFF = Actor(id=None, name="前台小周", role="staff")


def names(rows):
    return sorted(r.name for r in rows)


def test_find_by_seq_phone_tail_and_part_of_a_name(session, assistant):
    night = make_night(session, assistant)
    assert [(r.seq, r.name) for r in pickup.find(session, night.show_id, "3")] == [(3, "果果妈")]
    by_tail = pickup.find(session, night.show_id, "5678")
    assert names(by_tail) == ["王芳", "王芳"]  # her greens and her eggs
    assert {r.product for r in by_tail} == {"有机上海青", "土鸡蛋"}
    assert names(pickup.find(session, night.show_id, "尾号1234")) == ["李娜"]  # 139-0000-1234
    assert names(pickup.find(session, night.show_id, "王芳")) == ["王芳", "王芳", "王芳芳"]
    assert names(pickup.find(session, night.show_id, "amy")) == ["Amy"]
    assert names(pickup.find(session, night.show_id, "138 0000 5678")) == ["王芳", "王芳"]
    assert pickup.find(session, night.show_id, "9999") == []
    assert pickup.find(session, night.show_id, "  ") == []
    assert pickup.find(session, night.show_id, "%") == []  # LIKE wildcards are literal


def test_a_number_that_is_no_seq_or_phone_is_looked_up_in_the_names(session, assistant):
    # Night 13, real chain tests/data/real/chains/tune/ks_003.txt: members sign 楼栋-房间 as their
    # name (295-909); at the counter 「909」 (read as 跟团号 909) and 「296-1202」 (read as a phone)
    # found nothing, nor did a nickname's digits.
    night = make_night(session, assistant)
    for seq, name in ((6, "295-909"), (7, "296-1202"), (8, "蒋奶奶36")):
        jielong.add_entry(session, assistant, night.greens, name, qty=1, seq=seq, at=RELEASE + timedelta(minutes=20))
    assert names(pickup.find(session, night.show_id, "909")) == ["295-909"]
    assert names(pickup.find(session, night.show_id, "296-1202")) == ["296-1202"]
    assert names(pickup.find(session, night.show_id, "36")) == ["蒋奶奶36"]
    assert names(pickup.find(session, night.show_id, "295")) == ["295-909"]
    # twins: a 跟团号 or a phone that exists still finds only its own order
    assert [(r.seq, r.name) for r in pickup.find(session, night.show_id, "6")] == [(6, "295-909")]
    assert names(pickup.find(session, night.show_id, "5678")) == ["王芳", "王芳"]
    assert pickup.find(session, night.show_id, "9999") == []


def test_rows_carry_the_contract_fields(session, assistant):
    night = make_night(session, assistant)
    row = pickup.find(session, night.show_id, "1")[0]
    for key in ("entry_id", "seq", "name", "qty", "picked_qty", "status"):
        assert row[key] == getattr(row, key)
    assert row.status == "pending" and row.status.label == "待提货" and row.picked_qty == 0
    assert row.group == "5栋"


def test_cancelled_and_other_shows_entries_are_not_found(session, assistant):
    night = make_night(session, assistant)
    other = make_night(session, assistant, title="另一场")
    jielong.cancel_entry(session, assistant, night.entries[3])
    assert pickup.find(session, night.show_id, "果果妈") == []
    assert len(pickup.find(session, other.show_id, "果果妈")) == 1
    with pytest.raises(InvalidState, match="已取消"):
        pickup.mark(session, assistant, night.entries[3])


def test_an_order_gone_from_the_latest_chain_asks_the_counter_to_check(session, assistant):
    # Night 8: 李四 left the re-posted chain (flagged 待核实 on the console) but the counter card
    # offered 已提货 with nothing said. Still valid (never deleted); the card says why to check.
    show = shows.create_show(session, assistant, shows.ShowForm("核实场", "群", 300, "老李", START, END))
    deal = jielong.create_deal(session, assistant, show.id, deal_form("赣南脐橙"), at=START)
    jielong.release(session, deal.id, assistant, at=RELEASE)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 李四 1份", at=RELEASE + timedelta(minutes=1))
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份", at=RELEASE + timedelta(minutes=2))
    li, = pickup.find(session, show.id, "李四")
    assert li.missing and "最新接龙里已没有这一单" in li.check and "核对" in li.check
    assert pickup.find(session, show.id, "王芳")[0].check == ""


def test_mark_all_then_a_second_tap_says_who_and_when(session, assistant):
    night = make_night(session, assistant)
    row = pickup.mark(session, STAFF, night.entries[1], at=AT)
    assert (row.status, row.picked_qty, row.picked_by, row.picked_at) == ("picked_up", 2, "前台小周", AT)
    with pytest.raises(pickup.AlreadyPickedUp) as info:
        pickup.mark(session, assistant, night.entries[1], at=AT + timedelta(minutes=5))
    assert isinstance(info.value, InvalidState)
    assert "前台小周" in str(info.value) and "11月21日 10:00" in str(info.value)
    assert pickup.row(session, night.entries[1]).picked_qty == 2  # nothing changed
    # 跟团号 1 of both chains: the eggs still to hand over come first
    assert [(r.product, r.status) for r in pickup.find(session, night.show_id, "1")] == [
        ("土鸡蛋", "pending"), ("有机上海青", "picked_up")]
    assert session.scalar(select(func.count()).select_from(PickupAction)) == 1


def test_a_tap_does_not_move_the_cards(session, assistant):
    """The card just handed over stays where it was: the next card does not slide under the thumb."""
    night = make_night(session, assistant)
    before = pickup.find(session, night.show_id, "王芳")
    assert len(before) >= 2 and before[0].status == "pending"
    pickup.mark(session, STAFF, before[0].entry_id, at=AT)
    shown = [r.entry_id for r in before]
    after = pickup.find(session, night.show_id, "王芳", keep=shown)
    assert [r.entry_id for r in after] == shown
    assert after[0].status == "picked_up" and after[1].status == "pending"
    # a fresh search (nothing shown yet) puts the orders still to hand over first
    assert pickup.find(session, night.show_id, "王芳")[-1].entry_id == before[0].entry_id


def test_partial_pickups_add_up(session, assistant):
    night = make_night(session, assistant)
    e = night.entries[3]  # 果果妈 ×3
    row = pickup.mark(session, assistant, e, qty=1, at=AT)
    assert (row.status, row.status.label, row.picked_qty, row.remaining) == ("partial", "部分提货", 1, 2)
    with pytest.raises(InvalidInput, match="最多还能提 2 件"):
        pickup.mark(session, assistant, e, qty=3, at=AT)
    with pytest.raises(InvalidInput, match="正整数"):
        pickup.mark(session, assistant, e, qty=0, at=AT)
    row = pickup.mark(session, assistant, e, at=AT + timedelta(hours=1))  # the rest
    assert (row.status, row.picked_qty, row.done_at) == ("picked_up", 3, AT + timedelta(hours=1))
    counts = pickup.status_counts(session, night.show_id)
    assert counts == {"pending": 5, "partial": 0, "picked_up": 1}


def test_undo_a_wrong_pickup(session, assistant):
    night = make_night(session, assistant)
    pickup.mark(session, assistant, night.entries[5], at=AT)  # 王芳芳 taken for 王芳 by mistake
    row = pickup.undo(session, assistant, night.entries[5], at=AT + timedelta(minutes=1))
    assert (row.status, row.picked_qty, row.picked_by, row.picked_at, row.done_at) == ("pending", 0, "", None, None)
    with pytest.raises(InvalidState, match="没有可撤销"):
        pickup.undo(session, assistant, night.entries[5])
    with pytest.raises(InvalidState, match="还没有提货记录"):
        pickup.undo(session, assistant, night.entries[4])
    # partial then the rest, undo takes back only the last part
    pickup.mark(session, assistant, night.entries[3], qty=1, at=AT)
    pickup.mark(session, STAFF, night.entries[3], at=AT + timedelta(minutes=3))
    row = pickup.undo(session, assistant, night.entries[3])
    assert (row.status, row.picked_qty, row.picked_by, row.picked_at) == ("partial", 1, assistant.name, AT)
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("pickup.%")).order_by(Event.id)).all()
    assert kinds == ["pickup.marked", "pickup.undone", "pickup.marked", "pickup.marked", "pickup.undone"]


def test_a_retried_request_with_the_same_key_records_once(session, assistant):
    night = make_night(session, assistant)
    row = pickup.find(session, night.show_id, "3")[0]
    key = pickup.request_key("mark", row, assistant, 1)
    first = pickup.mark(session, assistant, row.entry_id, qty=1, at=AT, key=key)
    again = pickup.mark(session, assistant, row.entry_id, qty=1, at=AT, key=key)
    assert first.picked_qty == again.picked_qty == 1
    assert session.scalar(select(func.count()).select_from(PickupAction)) == 1
    # the screen now shows version 1: the next tap is a new request
    nxt = pickup.request_key("mark", first, assistant, 1)
    assert nxt != key
    assert pickup.mark(session, assistant, row.entry_id, qty=1, key=nxt).picked_qty == 2


def test_each_mark_checks_the_role_and_logs_one_event(session, assistant, reviewer, host):
    night = make_night(session, assistant)
    for actor in (reviewer, host):
        with pytest.raises(Forbidden):
            pickup.mark(session, actor, night.entries[1])
        with pytest.raises(Forbidden):
            pickup.undo(session, actor, night.entries[1])
    before = session.scalar(select(func.count()).select_from(Event))
    pickup.mark(session, STAFF, night.entries[1], at=AT)
    ev = session.scalars(select(Event).order_by(Event.id.desc())).first()
    assert session.scalar(select(func.count()).select_from(Event)) == before + 1
    assert (ev.kind, ev.operator_id, ev.at, ev.payload["buyer"], ev.payload["qty"]) == ("pickup.marked", None, AT, "王芳", 2)
    assert ev.payload["by"] == "前台小周"  # the link's holder, though no operator stands behind it


def test_two_people_marking_the_same_order_at_once_record_one_pickup(clean_engine):
    with db.session(clean_engine) as s:
        assistant = make_actor(s, "assistant", "小美")
        other = make_actor(s, "assistant", "小丽")
        night = make_night(s, assistant)
    actors = (assistant, other)

    def tap(i):
        with db.session(clean_engine) as s:
            return pickup.mark(s, actors[i], night.entries[1], at=AT)

    for _ in range(3):
        results, errors = _run(2, tap)
        assert [type(e).__name__ for e in errors if e] == ["AlreadyPickedUp"], errors
        winner = next(r for r in results if r)
        assert winner.picked_qty == 2 and winner.status == "picked_up"
        assert winner.picked_by in str(next(e for e in errors if e))
        with db.session(clean_engine) as s:
            assert s.scalar(select(func.count()).select_from(PickupAction).where(PickupAction.kind == "mark")) == 1
            assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "pickup.marked")) == 1
            pickup.undo(s, assistant, night.entries[1])
        with db.session(clean_engine) as s:
            s.execute(PickupAction.__table__.delete())  # next round starts from a clean ledger
            s.execute(Event.__table__.delete().where(Event.kind.like("pickup.%")))


def test_the_same_retried_request_racing_itself_records_once(clean_engine):
    with db.session(clean_engine) as s:
        assistant = make_actor(s, "assistant", "小美")
        night = make_night(s, assistant)
        row = pickup.find(s, night.show_id, "3")[0]
    key = pickup.request_key("mark", row, assistant, 1)

    def tap(_i):
        with db.session(clean_engine) as s:
            return pickup.mark(s, assistant, row.entry_id, qty=1, at=AT, key=key)

    results, errors = _run(3, tap)
    assert errors == [None, None, None]
    with db.session(clean_engine) as s:
        assert pickup.row(s, row.entry_id).picked_qty == 1
        assert s.scalar(select(func.count()).select_from(PickupAction)) == 1


def test_a_lost_connection_neither_doubles_nor_loses_a_pickup(clean_engine):
    """db.transaction reruns the unit after a transient error: a mark rolled back is recorded by
    the retry (not lost), and a mark whose commit went through but whose answer was lost is
    resent with the same key and records nothing twice."""
    with db.session(clean_engine) as s:
        assistant = make_actor(s, "assistant", "小美")
        night = make_night(s, assistant)
        row = pickup.find(s, night.show_id, "3")[0]
    key = pickup.request_key("mark", row, assistant, 1)
    attempts = []

    def unit(s):
        done = pickup.mark(s, assistant, row.entry_id, qty=1, at=AT, key=key)
        attempts.append(done.picked_qty)
        if len(attempts) == 1:  # the connection drops before the commit
            raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))
        return done

    assert db.transaction(clean_engine, unit, budget_s=10).picked_qty == 1
    assert db.transaction(clean_engine, unit, budget_s=10).picked_qty == 1  # the answer was lost: resent
    with db.session(clean_engine) as s:
        assert pickup.row(s, row.entry_id).picked_qty == 1
        assert s.scalar(select(func.count()).select_from(PickupAction)) == 1
    assert attempts == [1, 1, 1]


def test_the_room_or_building_the_neighbour_says_finds_the_order(session, assistant):
    # Night 14 at the counter: 「我是1201的」 / 「12栋」 found nothing; the room is in the address
    # column (3-1201, 12栋2单元), never in the name.
    night = make_night(session, assistant)
    assert names(pickup.find(session, night.show_id, "1201")) == ["果果妈"]
    assert names(pickup.find(session, night.show_id, "3-1201")) == ["果果妈"]
    assert names(pickup.find(session, night.show_id, "12栋")) == ["Amy"]
    assert names(pickup.find(session, night.show_id, "东门驿站")) == ["李娜"]
    # twins: a 跟团号 or a phone tail that exists is not also read as a room; no address, no match
    assert [(r.seq, r.name) for r in pickup.find(session, night.show_id, "3")] == [(3, "果果妈")]
    assert names(pickup.find(session, night.show_id, "5678")) == ["王芳", "王芳"]
    assert pickup.find(session, night.show_id, "8栋") == []
    assert pickup.find(session, night.show_id, "%") == []


def test_a_card_shows_the_room_behind_its_group(session, assistant):
    # Night 14: 「1203」 found 到店自提 and 7栋 on two cards; which one is the neighbour's room?
    night = make_night(session, assistant)
    for seq, name, address in ((6, "江晶", "9-1-1203 自提"), (7, "尹华", "7-3-1203")):
        jielong.add_entry(session, assistant, night.greens, name, qty=1, seq=seq, address=address,
                          at=RELEASE + timedelta(minutes=20))
    places = {r.name: r.place for r in pickup.find(session, night.show_id, "1203")}
    assert places == {"江晶": "到店自提（9-1-1203 自提）", "尹华": "7栋（7-3-1203）"}
    # twin: an address that is its own group is not said twice; no address, the group alone
    assert [r.place for r in pickup.find(session, night.show_id, "王芳芳")] == ["5栋"]
    assert {r.group: r.place for r in pickup.find(session, night.show_id, "1201")} == {"3栋": "3栋（3-1201）"}


def test_a_neighbour_come_for_two_nights_hears_of_the_other_night(session, assistant):
    # Night 14: 王芳 came for tonight's greens and last week's, and the counter showed only
    # tonight's: the other show's orders wait until she comes again.
    last_week = make_night(session, assistant, title="源味集《农场主来了》第8期")
    tonight = make_night(session, assistant)
    pickup.mark(session, assistant, last_week.egg_entry, at=AT)  # her eggs of last week: taken
    found = pickup.find(session, tonight.show_id, "王芳")
    found = [r for r in found if r.name == "王芳"]
    assert pickup.open_elsewhere(session, tonight.show_id, found) == [
        pickup.OpenElsewhere(last_week.show_id, "源味集《农场主来了》第8期", 1, 2)]
    # by her phone tail too, and seen from last week's counter
    assert [o.show_id for o in pickup.open_elsewhere(
        session, last_week.show_id, pickup.find(session, last_week.show_id, "5678"))] == [tonight.show_id]
    # twins: several people found (王芳, 王芳芳) say nothing; a 跟团号 of tonight is no one elsewhere
    # unless that person is; everything taken elsewhere, nothing said
    assert pickup.open_elsewhere(session, tonight.show_id, pickup.find(session, tonight.show_id, "王芳")) == []
    assert [o.show_id for o in pickup.open_elsewhere(
        session, tonight.show_id, pickup.find(session, tonight.show_id, "1"))] == [last_week.show_id]
    pickup.mark(session, assistant, last_week.entries[1], at=AT)
    assert pickup.open_elsewhere(session, tonight.show_id, found) == []


def test_another_community_or_a_month_ago_is_not_the_counters_matter(session, assistant):
    night = make_night(session, assistant)
    other = shows.create_show(session, assistant, shows.ShowForm("亲亲宝贝《安心之选》", "亲亲宝贝妈妈群", 100, "小美",
                                                                  START, END))
    deal = jielong.create_deal(session, assistant, other.id, deal_form("奶粉"), at=START)
    jielong.release(session, deal.id, assistant, at=RELEASE)
    jielong.add_entry(session, assistant, deal.id, "王芳", qty=1, seq=1, at=RELEASE + timedelta(minutes=1))
    old = shows.create_show(session, assistant, shows.ShowForm("源味集《农场主来了》第1期", "源味集·阳光花园群", 300,
                                                                "老李", START - timedelta(days=30),
                                                                END - timedelta(days=30)))
    old_deal = jielong.create_deal(session, assistant, old.id, deal_form("土豆"), at=START - timedelta(days=30))
    jielong.release(session, old_deal.id, assistant, at=RELEASE - timedelta(days=30))
    jielong.add_entry(session, assistant, old_deal.id, "王芳", qty=1, seq=1, at=RELEASE - timedelta(days=30))
    found = [r for r in pickup.find(session, night.show_id, "王芳") if r.name == "王芳"]
    assert pickup.open_elsewhere(session, night.show_id, found) == []


def test_the_pickup_point_or_the_note_finds_the_order(session, assistant):
    # Night 19 at the counter: 西门菜站老吴 typed 「西门菜站」 and found nothing; the chain reader keeps a
    # station written after the quantity (`李姐 2份 西门菜站`) as the order's note, and the counter
    # looked in names and addresses only, while 提货清单 listed the point.
    night = make_night(session, assistant)
    for seq, name, note in ((6, "李姐", "西门菜站"), (7, "6栋小吴", "西门菜站"), (8, "老陈家", "东门自提"),
                            (9, "钱老师", "不要葱")):
        jielong.add_entry(session, assistant, night.greens, name, qty=2, note=note, seq=seq,
                          at=RELEASE + timedelta(minutes=20 + seq))
    assert names(pickup.find(session, night.show_id, "西门菜站")) == ["6栋小吴", "李姐"]
    assert names(pickup.find(session, night.show_id, "西门")) == ["6栋小吴", "李姐"]
    # the point as 提货清单 names it: `东门自提` in the note is 东门自提点
    assert names(pickup.find(session, night.show_id, "东门自提点")) == ["老陈家"]
    assert names(pickup.find(session, night.show_id, "东门")) == ["李娜", "老陈家"]  # 东门驿站 and 东门自提点
    assert names(pickup.find(session, night.show_id, "不要葱")) == ["钱老师"]  # part of the note
    # twins: another station, a name, a 跟团号 and a building find what they found before
    assert pickup.find(session, night.show_id, "南门菜站") == []
    assert names(pickup.find(session, night.show_id, "王芳")) == ["王芳", "王芳", "王芳芳"]
    assert [(r.seq, r.name) for r in pickup.find(session, night.show_id, "6")] == [(6, "李姐")]
    assert names(pickup.find(session, night.show_id, "12栋")) == ["Amy"]
    assert pickup.find(session, night.show_id, "8栋") == []
