"""On the night (services.members.night, badging): a name whose only order was in a deal that
failed its 成团 threshold (未成团, refunded) did not buy — not tonight (下单 badges, the chain's
KOCs, who entered), not in an earlier show (新客 / 复购 badges, the returning count), on every
path (synced members, an older show looked at, names no member answers to). The twin: 王芳's
order in the deal that reached its threshold still counts."""
from __future__ import annotations

from services import members
from tests.services.test_failed_deals import failed_and_reached
from tests.services.test_members import member_of, night


def test_a_buyer_whose_earlier_order_was_refunded_is_no_returning_buyer(session, admin):
    failed_and_reached(session, admin)  # week 9, synced
    tonight = night(session, admin, 10, [("王芳", 1, "10"), ("李娜", 1, "10")], end=False)
    assert members.chain_counts(session, tonight) == {"kocs": 0, "returning": 1}  # 王芳, not 李娜
    assert members.badges(session, tonight, ["王芳", "李娜"]) == {"王芳": ["returning"], "李娜": ["new"]}


def test_names_read_live_from_the_chains_leave_a_refunded_order_out(session, admin):
    failed_and_reached(session, admin, sync=False)  # no member yet: the names are read from show_buyer
    tonight = night(session, admin, 10, [("王芳", 1, "10"), ("李娜", 1, "10")], end=False)
    got = members.member_badges(session, tonight, ["王芳", "李娜"])
    assert (got["王芳"].codes, got["王芳"].shows_bought) == (["returning"], 2)
    assert (got["李娜"].codes, got["李娜"].shows_bought) == (["new"], 1)
    assert members.chain_counts(session, tonight)["returning"] == 1


def test_an_older_show_looked_at_later_leaves_a_refunded_order_out(session, admin):
    failed_and_reached(session, admin)
    s10 = night(session, admin, 10, [("王芳", 1, "10"), ("李娜", 1, "10")])
    night(session, admin, 11, [("路人", 1, "10")])  # a later show: the members' history is read live
    got = members.member_badges(session, s10, ["王芳", "李娜"])
    assert (got["王芳"].codes, got["王芳"].shows_bought) == (["returning"], 2)
    assert (got["李娜"].codes, got["李娜"].shows_bought) == (["new"], 1)


def test_ordering_only_in_a_failed_deal_tonight_is_no_order_tonight(session, admin):
    show, oranges, apples = failed_and_reached(session, admin)
    for name in ("王芳", "李娜"):
        members.set_koc(session, admin, member_of(session, name).id)
    got = members.member_badges(session, show.id, ["王芳", "李娜"])
    assert (got["王芳"].shows_bought, got["李娜"].shows_bought) == (1, 0)
    assert members.chain_counts(session, show.id) == {"kocs": 1, "returning": 0}
    entered = {k["name"]: k["entered"] for k in members.koc_list(session, show.id)}
    assert entered == {"王芳": True, "李娜": False}
    assert not any(k["entered"] for k in members.koc_list(session, show.id, oranges.id))
    assert [k["name"] for k in members.koc_list(session, show.id, apples.id) if k["entered"]] == ["王芳"]
