"""提货核销 page (AppTest on the demo nights): find, mark, perks, undo, tabs per role, pickup links."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import auth, pickup, promises, shows
from tests.pages.conftest import APP, PASSWORD
from tests.pages.test_promises import app_session
from ui import context, pickup_access

SHOW = "源味集《农场主来了》"


def show_id(url, title=SHOW) -> int:
    with app_session(url) as s:
        return shows.find_show(s, title).id


def first_greens(url):
    """跟团号 3 of the greens chain (within the first 50: owed the notebook)."""
    with app_session(url) as s:
        return next(r for r in pickup.find(s, show_id(url), "3") if r.product.startswith("有机上海青"))


def search(at, text):
    at.text_input(key="pickup_query").set_value(text).run()
    assert not at.exception, at.exception
    return at


def test_assistant_sees_every_tab_and_the_counts(page_as):
    at = page_as("assistant", "pickup")
    assert not at.exception, at.exception
    assert (at.title[0].value, at.caption[0].value) == ("提货核销", SHOW)
    assert [t.label for t in at.tabs] == ["核销", "提货清单", "配送", "跟进", "提货链接"]
    assert "待提货" in at.caption[1].value


@pytest.mark.parametrize("tab", ["提货清单", "配送", "跟进", "提货链接"])
def test_each_tab_renders(page_as, tab):
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = tab
    at.run()
    assert not at.exception, at.exception


def test_find_mark_with_the_perk_then_undo(page_as, app_db):
    row = first_greens(app_db)
    at = search(page_as("assistant", "pickup"), "3")
    assert at.checkbox(key=f"pickup_perk_{row.entry_id}_{row.perks[0].item_id}").label == "赠品：送《有机生活手札》"
    at.button(key=f"pickup_mark_{row.entry_id}").click().run()
    assert not at.exception, at.exception
    with app_session(app_db) as s:
        now = pickup.row(s, row.entry_id)
        gift = promises.items(s, now.perks[0].promise_id)
    assert (now.status, now.picked_by, now.perks[0].handed) == ("picked_up", "assistant_user", True)
    assert next(i for i in gift if i.chain_entry_id == row.entry_id).done
    assert any("关怀消息" in e.label for e in at.expander)
    assert any("东西收到了吗" in c.value for c in at.code)
    at.button(key=f"pickup_undo_{row.entry_id}").click().run()
    with app_session(app_db) as s:
        assert pickup.row(s, row.entry_id).status == "pending"


def _card_order(at) -> list[int]:
    """Entry ids of the cards as drawn (each card has its 已提货 or its 撤销 button)."""
    out: list[int] = []
    for b in at.button:
        key = b.key or ""
        if key.startswith(("pickup_mark_", "pickup_undo_")):
            eid = int(key.rsplit("_", 1)[1])
            if eid not in out:
                out.append(eid)
    return out


def test_a_tap_leaves_the_cards_where_they_were(page_as, app_db):
    """The card handed over stays in place (已提货, 撤销); the next one does not slide under the thumb."""
    at = search(page_as("assistant", "pickup"), "3")
    before = _card_order(at)
    assert len(before) >= 2
    at.button(key=f"pickup_mark_{before[0]}").click().run()
    assert not at.exception, at.exception
    assert _card_order(at) == before
    assert at.button(key=f"pickup_undo_{before[0]}").label == "确认撤销"
    at.button(key=f"pickup_undo_{before[0]}").click().run()  # leave the demo night as it was


def test_a_stale_second_tap_says_who_took_it(page_as, app_db):
    row = first_greens(app_db)
    at = search(page_as("assistant", "pickup"), "3")
    with app_session(app_db) as s:  # someone else hands it over meanwhile
        pickup.mark(s, pickup.link_actor(pickup.LinkGrant(0, show_id(app_db), "前台小周")), row.entry_id)
    at.button(key=f"pickup_mark_{row.entry_id}").click().run()
    assert not at.exception
    assert any("前台小周" in e.value and "无需重复核销" in e.value for e in at.error)


def test_nothing_found_is_said_plainly(page_as):
    at = search(page_as("assistant", "pickup"), "不存在的人")
    assert "没有找到" in at.info[0].value


def _as_link(app_db, token):
    at = AppTest.from_file(str(Path(APP).parent / "views" / "pickup.py"), default_timeout=30)
    with app_session(app_db) as s:
        grant = pickup.resolve_link(s, token)
    at.session_state[context.ACTOR_KEY] = pickup.link_actor(grant)
    at.session_state[context.SHOW_KEY] = grant.show_id
    at.session_state[pickup_access.LINK_KEY] = token
    return at.run()


def _link(app_db) -> str:
    with app_session(app_db) as s:
        actor = auth.resolve_session(s, auth.login(s, "assistant_user", PASSWORD))
        return pickup.create_link(s, actor, show_id(app_db), "前台小周")


def test_a_link_tab_sees_the_counter_and_lists_only(app_db):
    at = _as_link(app_db, _link(app_db))
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["核销", "提货清单"]
    assert at.caption[0].value == f"{SHOW} · 前台小周（提货链接）"
    row = first_greens(app_db)
    search(at, "3").button(key=f"pickup_mark_{row.entry_id}").click().run()
    with app_session(app_db) as s:
        assert pickup.row(s, row.entry_id).picked_by == "前台小周"


def test_a_revoked_link_writes_nothing(app_db):
    token = _link(app_db)
    at = search(_as_link(app_db, token), "3")
    with app_session(app_db) as s:
        actor = auth.resolve_session(s, auth.login(s, "assistant_user", PASSWORD))
        pickup.revoke_link(s, actor, pickup.resolve_link(s, token).link_id)
    row = first_greens(app_db)
    at.button(key=f"pickup_mark_{row.entry_id}").click().run()
    assert any("提货链接无效" in e.value for e in at.error)
    with app_session(app_db) as s:
        assert pickup.row(s, row.entry_id).status == "pending"


def test_the_frame_refuses_an_unknown_link(app_as):
    at = app_as("assistant", query={"pickup": "nope"})
    assert any("提货链接无效" in e.value for e in at.error)


def test_the_review_shows_the_past_nights_pickup_rate(page_as):
    at = page_as("reviewer", "review", show_title="亲亲宝贝《安心之选》")
    at.session_state["review_tab"] = "提货"
    at.run()
    assert not at.exception, at.exception
    rate = next(m for m in at.metric if m.label == "提货率")
    assert rate.value.endswith("%") and rate.value != "100.0%"


def test_promises_page_shows_how_items_were_fulfilled(page_as, app_db):
    row = first_greens(app_db)
    with app_session(app_db) as s:
        actor = auth.resolve_session(s, auth.login(s, "assistant_user", PASSWORD))
        pickup.mark(s, actor, row.entry_id, gifts=[row.perks[0].item_id])
    at = page_as("assistant", "promises")
    at.selectbox(key="promises_pick").set_value(row.perks[0].promise_id).run()
    items = next(d.value for d in at.dataframe if "履约方式" in d.value.columns)
    assert "自提核销" in set(items["履约方式"])


def test_a_partial_pickup_from_the_card(page_as, app_db):
    with app_session(app_db) as s:
        row = next(r for g in pickup.pickup_list(s, show_id(app_db)) for r in g.rows if r.qty > 1)
    at = search(page_as("assistant", "pickup"), str(row.seq))
    assert at.number_input(key=f"pickup_qty_{row.entry_id}").label == "本次提几份"  # the order's unit, not 件
    at.number_input(key=f"pickup_qty_{row.entry_id}").set_value(1).run()
    at.button(key=f"pickup_part_{row.entry_id}").click().run()
    assert not at.exception, at.exception
    with app_session(app_db) as s:
        now = pickup.row(s, row.entry_id)
    assert (now.status, now.picked_qty) == ("partial", 1)
    assert any(b.label == f"已提货 ×{row.qty - 1}" for b in at.button)


def test_an_order_to_check_says_so_on_its_card(page_as, app_db):
    # Night 8: an order gone from the latest chain (待核实 on the console) showed a plain 已提货 card.
    from db.models import ChainEntry

    row = first_greens(app_db)
    with app_session(app_db) as s:
        s.get(ChainEntry, row.entry_id).missing = True
    at = search(page_as("assistant", "pickup"), "3")
    assert any("待核实：最新接龙里已没有这一单" in w.value for w in at.warning)


def _flagged_tab(page_as, app_db, tab: str, flag: str):
    """The first greens order flagged 待核实 (`flag`: missing / over_limit), then the page on `tab`."""
    from db.models import ChainEntry

    row = first_greens(app_db)
    with app_session(app_db) as s:
        setattr(s.get(ChainEntry, row.entry_id), flag, True)
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return row, at


def test_the_pickup_list_flags_an_order_to_check(page_as, app_db):
    # Night 10: the card said 待核实 but the 提货清单 staff pack from said only 待提货.
    row, at = _flagged_tab(page_as, app_db, "提货清单", "over_limit")
    table = next(d.value for d in at.dataframe if (d.value["跟团号"] == row.seq).any()
                 and (d.value["团员"] == row.name).any())
    flagged = table[(table["跟团号"] == row.seq) & (table["团员"] == row.name)]
    assert list(flagged["待核实"]) == ["超出每人限购"]
    assert any("待核实 1 单" in m.value for m in at.markdown if row.group in m.value)


def test_the_delivery_form_says_which_orders_wait_for_a_check(page_as, app_db):
    row, at = _flagged_tab(page_as, app_db, "配送", "missing")
    options = at.multiselect(key="pickup_delivery_groups").options
    assert any(o.startswith(f"{row.group}（") and "其中待核实 1 单" in o for o in options)
    assert any("待核实的订单不随配送登记" in c.value for c in at.caption)


def test_after_a_run_the_delivery_form_is_drawn_afresh(page_as):
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = "配送"
    at.run()
    group = at.multiselect(key="pickup_delivery_groups").options[0].split("（")[0]
    at.multiselect(key="pickup_delivery_groups").select(at.multiselect(key="pickup_delivery_groups").options[0])
    [b for b in at.button if b.key and b.key.startswith("FormSubmitter:pickup_delivery_form")][0].click().run()
    assert not at.exception, at.exception
    form = at.multiselect(key="pickup_delivery_groups")
    assert form.value == [] and not any(o.startswith(f"{group}（") for o in form.options)


@pytest.mark.parametrize("page", ["pickup", "review", "promises"])
def test_without_a_show_the_page_says_where_to_create_one(page_as, page):
    # Night 14, a new store's first run (DEMO_NIGHTS=0): 提货核销 said 「请先在左侧选择场次」 with
    # nothing to choose on the left; the sidebar itself says 还没有场次.
    at = page_as("admin", page, show_title="没有这一场")
    assert not at.exception, at.exception
    assert "「场次准备」创建" in at.info[0].value


def test_a_neighbour_with_last_weeks_orders_open_is_told_on_the_counter(page_as, app_db):
    # Night 14: the counter showed only tonight's orders of a neighbour who had last week's too.
    with app_session(app_db) as s:
        week = shows.find_show(s, "源味集《农场主来了》第8期").id
        waiting = {r.name for r in pickup.not_picked(s, week, pickup.default_deadline(s, week)) if r.remaining}
        tonight = show_id(app_db)
        name = next(n for n in sorted(waiting)
                    if {r.name for r in pickup.find(s, tonight, n)} == {n})
    at = search(page_as("assistant", "pickup"), name)
    assert any("第8期" in i.value and "请在左侧切换到那一场核销" in i.value for i in at.info), [i.value for i in at.info]
    # twin: someone with nothing open elsewhere sees no note
    with app_session(app_db) as s:
        other = next(r.name for r in pickup.find(s, tonight, "豆豆奶奶"))
        assert pickup.open_elsewhere(s, tonight, pickup.find(s, tonight, other)) == []
    assert not search(page_as("assistant", "pickup"), other).info


def test_the_pickup_list_counts_a_partial_pickup_apart_from_未提(page_as, app_db):
    # Night 18 and 19: 钱老师's 4 of 6 份 were counted 未提 in 提货清单, where the card says 部分提货 4/6.
    with app_session(app_db) as s:
        row = next(r for g in pickup.pickup_list(s, show_id(app_db)) for r in g.rows
                   if r.qty > 1 and r.status == pickup.PickupStatus.PENDING)
        pickup.mark(s, pickup.link_actor(pickup.LinkGrant(0, show_id(app_db), "前台小周")), row.entry_id, 1)
        groups = pickup.pickup_list(s, show_id(app_db))
    group = next(g for g in groups if g.group == row.group)
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = "提货清单"
    at.run()
    assert not at.exception, at.exception

    def line(g) -> str:
        return next(m.value for m in at.markdown if m.value.startswith(f"**{g.group}**"))

    assert f"未提 {group.pending_entries} 单 · 部分提货 1 单（还差 {row.qty - 1} 份）" in line(group)
    assert group.pending_entries == group.open_entries - 1  # the partial order is no longer 未提
    # twin: a group with no partial pickup says nothing of one
    other = next(g for g in groups if not g.partial_entries)
    assert "部分提货" not in line(other) and f"未提 {other.pending_entries} 单" in line(other)


def test_the_delivery_form_offers_courier_orders_to_ship_not_to_deliver(page_as, app_db):
    """Night 21: 配送 offered the 快递 group 待送 (送达); a parcel is shipped: 快递（待发货 1 单）. Twin: a building
    stays 待送."""
    from db.models import ChainEntry

    row = first_greens(app_db)
    with app_session(app_db) as s:
        entry = s.get(ChainEntry, row.entry_id)
        entry.address, entry.note = "", "快递"
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = "配送"
    at.run()
    assert not at.exception, at.exception
    options = at.multiselect(key="pickup_delivery_groups").options
    assert "快递（待发货 1 单）" in options
    assert any(o.startswith("5栋（待送 ") for o in options)
