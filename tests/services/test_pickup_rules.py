"""Pure rules of pickup (no database): reading the counter's query, perk labels, statuses,
the pickup-point grouping."""
from __future__ import annotations

import pytest

from services.pickup.perks import perk_label
from services.pickup.points import group_sort_key, pickup_group
from services.pickup.query import Query, parse_query
from services.pickup.states import PickupStatus, fulfilled_label, status_of


@pytest.mark.parametrize(
    "text, query",
    [
        ("12", Query(seq=12)),
        ("#12", Query(seq=12)),
        ("１２号", Query(seq=12)),
        ("跟团号 7", Query(seq=7)),
        ("5678", Query(seq=5678, tail="5678")),
        ("尾号5678", Query(tail="5678")),
        ("手机 5678", Query(tail="5678")),
        ("138 1234 5678", Query(tail="5678", phone="13812345678")),
        ("139-0000-1234", Query(tail="1234", phone="13900001234")),
        ("王芳", Query(name="王芳")),
        ("果果妈 ", Query(name="果果妈")),
        ("amy", Query(name="amy")),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_query(text, query):
    assert parse_query(text) == query


@pytest.mark.parametrize(
    "text, label",
    [
        ("前50名还送老李亲笔签名的《有机生活手札》！", "送《有机生活手札》"),
        ("前50名送手札", "送手札"),
        ("买两罐送一个辅食碗哦", "送一个辅食碗"),
        ("前3名下单的送一把小香葱", "送一把小香葱"),
        ("下单就赠小香葱一把", "赠小香葱一把"),
        ("附赠冲泡指南", "赠冲泡指南"),
        ("前10名免费配送上门", "前10名免费配送上门"),
        ("今晚下单的每人再多给一个大礼包和三包试吃装", "送一个大礼包和三包试吃装"),
        ("保证是最新鲜批次，坏一赔十，放心下单，大家一定要相信我们", "保证是最新鲜批次，坏一赔十，放…"),
    ],
)
def test_perk_label(text, label):
    assert perk_label(text) == label


def test_status_rule_and_labels():
    assert [status_of(p, 3) for p in (0, 1, 3, 4)] == ["pending", "partial", "picked_up", "picked_up"]
    assert [s.label for s in PickupStatus] == ["待提货", "部分提货", "已提货"]
    assert fulfilled_label("pickup", True) == "自提核销"
    assert fulfilled_label(None, True) == "手动勾选"
    assert fulfilled_label("late_delivery", False) == "逾期送达"
    assert fulfilled_label("pickup", False) == ""  # reopened by hand: no longer fulfilled


@pytest.mark.parametrize(
    "address, note, group",
    [
        ("自提点：东门驿站", "", "东门驿站"),
        ("3-1-2602", "", "3栋"),
        ("3-1201", "", "3栋"),
        ("5栋2单元", "", "5栋"),
        ("", "12栋", "12栋"),
        ("", "", "未填地址"),
        ("东门自提", "", "东门自提点"),
        ("我在东门自提", "", "东门自提点"),
        # Night 10: 自提 naming who or when, not where, made points like 我自提点 / 明天自提点 / 要自提点.
        ("9栋 自提", "", "到店自提"),
        ("9-1-1203 自提", "", "到店自提"),
        ("我要自提", "", "到店自提"),
        ("我自提", "", "到店自提"),
        ("明天自提", "", "到店自提"),
        ("周六下午自提", "", "到店自提"),
        ("自己来自提", "", "到店自提"),
        ("到店自提", "", "到店自提"),
        ("门店自提", "", "到店自提"),
        ("8栋", "明天自提", "到店自提"),
        ("不自提", "", "不自提"),
        # Night 19: a station named without 自提 is a pickup point, also in the note and over the
        # building in a nickname (`6栋小吴 3份 西门菜站`); the twin: a building alone stays a building.
        ("", "西门菜站", "西门菜站"),
        ("6栋", "西门菜站", "西门菜站"),
        ("南门驿站", "", "南门驿站"),
        ("", "到3号提货点", "3号提货点"),
        ("6栋", "", "6栋"),
        ("", "西门菜市场买菜", "未填地址"),
        # Night 21: an order to be sent by courier is packed as 快递, not 未填地址 nor its own town;
        # twins: 自提 still wins, 不要快递 is no courier order, a line naming nothing stays 未填地址,
        # 放快递柜 (a locker in the estate) keeps its building.
        ("", "快递", "快递"),
        ("", "快递 上海市浦东新区", "快递"),
        ("上海市浦东新区张江路1号", "快递", "快递"),
        ("", "顺丰到付", "快递"),
        ("5栋", "邮寄", "快递"),
        ("", "快递 东门自提", "东门自提点"),
        ("", "不要快递", "未填地址"),
        ("5栋", "不用快递", "5栋"),
        ("", "M", "未填地址"),
        ("12栋", "放快递柜", "12栋"),
    ],
)
def test_pickup_group(address, note, group):
    assert pickup_group(address, note) == group


def test_groups_sort_points_first_then_buildings_by_number():
    groups = ["10栋", "未填地址", "快递", "2栋", "东门驿站", "3号楼"]
    assert sorted(groups, key=group_sort_key) == ["东门驿站", "2栋", "3号楼", "10栋", "快递", "未填地址"]
