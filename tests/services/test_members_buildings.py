"""One building rule for who someone is and for the pickup list (services.buildings): `王芳 五栋`
and `王芳 5栋` are one building for both, `王芳 11-3-2001` and `王芳 12-1-301` are two. Before, the
members' identity had its own reader (栋 / 号楼 / 幢 / 座 after digits only), so `五栋` or
`11-3-2001` named no building there while the pickup list packed them under 5栋 / 11栋.
The reading pure first, then the members it makes (SQLite and PostgreSQL)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services import members, pickup
from services.buildings import building, home_building
from tests.services.test_members import night
from tests.services.test_members_namesakes import _wang

# ---------------------------------------------------------------- the reading, no database


@pytest.mark.parametrize("address, home", [
    ("五栋", "5栋"), ("5栋", "5栋"), ("5号楼302", "5栋"), ("5幢", "5栋"), ("5-1201", "5栋"),
    ("11-3-2001", "11栋"), ("12-1-301", "12栋"), ("阳光花园5栋", "5栋"), ("5栋 东门自提", "5栋"),
    ("自提点：东门驿站｜幸福里1栋", "1栋"), ("6栋 西门菜站", "6栋"), ("6栋西门菜站", "6栋"),
])
def test_the_building_a_line_names_one_way(address, home):
    assert home_building(address) == members.building_of(address) == home


@pytest.mark.parametrize("address", ["", "西门菜站", "3号提货点", "东门2号驿站", "东门自提", "明天下午来拿"])
def test_a_station_or_no_building_is_no_building(address):
    """Twin: a station numbered like a building (3号提货点) is where one picks up, not where one lives."""
    assert home_building(address) == ""


def test_members_and_the_pickup_list_read_the_same_building():
    for a, b in (("五栋", "5栋"), ("5号楼1201", "5栋2单元"), ("11-3-2001", "11栋")):
        assert members.building_of(a) == members.building_of(b) == pickup.pickup_group(a) == pickup.pickup_group(b)
    assert members.building_of("11-3-2001") != members.building_of("12-1-301")  # twin: two buildings


def test_the_estate_is_kept_for_packing_but_not_for_who_someone_is():
    assert building("阳光花园5栋") == pickup.pickup_group("阳光花园5栋") == "阳光花园5栋"
    assert building("阳光花园5栋", estate=False) == members.building_of("阳光花园5栋") == "5栋"


# ---------------------------------------------------------------- the members it makes


def test_wang_fang_wu_dong_and_5_dong_are_one_member_not_the_12_dong_one(session, admin):
    """Before, `五栋` named no building: 王芳 五栋 was taken for the only 王芳 (12栋), and 王芳 5栋 the
    next week became a new member."""
    night(session, admin, 0, [("王芳", 1, "10", "12栋")])
    night(session, admin, 1, [("王芳", 2, "20", "五栋")])
    night(session, admin, 2, [("王芳", 1, "10", "5栋")])
    wang = _wang(session)
    assert set(wang) == {"5栋", "12栋"}
    assert (wang["5栋"].spend, wang["5栋"].shows_bought, wang["12栋"].spend) == (Decimal("30.00"), 2, Decimal("10.00"))
    assert members.proposals(session, wang["5栋"].community_id) == []


def test_wang_fang_at_11_3_2001_and_12_1_301_are_two_members(session, admin):
    night(session, admin, 0, [("王芳", 1, "10", "11-3-2001")])
    night(session, admin, 1, [("王芳", 1, "12", "12-1-301")])
    wang = _wang(session)
    assert {b: m.spend for b, m in wang.items()} == {"11栋": Decimal("10.00"), "12栋": Decimal("12.00")}


def test_wang_fang_at_11_3_2001_and_11_dong_are_one_member(session, admin):
    """Twin: the same building written two ways is one member."""
    night(session, admin, 0, [("王芳", 1, "10", "11-3-2001")])
    night(session, admin, 1, [("王芳", 1, "12", "11栋")])
    (m,) = _wang(session).values()
    assert (m.building, m.spend, m.shows_bought) == ("11栋", Decimal("22.00"), 2)
