"""Which deal a line names (services.jielong.deal_match): a variety names its kind (night 9: a
host saying 甜橙 while the deal was 橙子 named no deal), and never another product."""
from __future__ import annotations

import pytest

from services import triage
from services.jielong.deal_match import mentioned, name_parts
from services.kinds import same_kind, variety_head


def named(text: str, deals: list[tuple[int, str]]) -> int | None:
    return mentioned(text, name_parts(deals)).deal_id


@pytest.mark.parametrize("line, deal", [
    ("这个甜橙特别甜，大家放心拍", "橙子"),
    ("脐橙今天下午就发货", "橙子"),
    ("橙子两点前下单明天到", "甜橙"),
    ("橙子坏果包赔", "赣南脐橙（5斤装）"),
    ("血橙买两份送一斤", "橙"),
    ("水蜜桃坏了包退", "桃子"),
    ("桃子今天现摘", "平谷水蜜桃"),
    ("香梨两斤起发", "梨子"),
    ("蜜柚明天到", "红心柚子"),
])
def test_a_variety_names_the_deal_of_its_kind(line, deal):
    assert named(line, [(1, deal), (2, "丹东草莓")]) == 1


@pytest.mark.parametrize("line, deal", [
    ("橙汁也可以榨着喝", "橙子"),      # juice is another product
    ("盒子是橙色的", "橙子"),           # a colour
    ("樱桃今天到货", "桃子"),           # 樱桃 is no 桃
    ("核桃补货了", "水蜜桃"),
    ("凤梨酸甜", "梨子"),               # pineapple
    ("金橘泡水", "橘子"),               # kumquat
    ("芒果包甜", "苹果"),               # 果 is no kind of its own
    ("黄瓜很新鲜", "西瓜"),
    ("蓝莓明天发", "草莓"),
])
def test_no_false_match_between_different_products(line, deal):
    assert named(line, [(1, deal)]) is None


def test_a_deal_named_after_the_juice_is_not_the_fruit():
    deals = [(1, "赣南脐橙"), (2, "鲜榨橙汁")]
    assert named("甜橙多少钱", deals) == 1
    assert named("橙汁多少钱", deals) == 2  # the longer part wins over the kind at one place


def test_two_deals_of_one_kind_are_told_apart_by_their_own_names_only():
    deals = [(1, "甜橙"), (2, "血橙")]
    assert named("橙子多少钱", deals) is None  # both oranges: the kind alone names neither
    assert named("血橙多少钱", deals) == 2


def test_variety_head():
    assert [variety_head(p) for p in ("甜橙", "橙子", "橙", "冰糖橙 10斤", "橙汁", "樱桃", "苹果")] == [
        "橙", "橙", "橙", "橙", "", "", ""]
    assert same_kind("甜橙", "橙子") and same_kind("脐橙", "血橙") and not same_kind("橙子", "橘子")


def test_the_triage_focus_follows_a_variety_the_lexicon_does_not_list():
    """多少钱 asked while the deal in focus is 甜橙 joins 橙子多少钱 (as under 脐橙); under 橙汁 it does not."""
    texts = ["橙子多少钱", "多少钱"]
    assert len(set(triage.group(texts, focus="甜橙 5斤"))) == 1
    assert len(set(triage.group(texts, focus="脐橙"))) == 1
    assert len(set(triage.group(texts, focus="鲜榨橙汁"))) == 2


def test_a_multi_product_chain_finds_the_deal_by_its_kind():
    """`甜橙2斤，草莓1斤` under the deal 橙子: the 甜橙 item is the deal's (it said 没有找到「橙子」)."""
    from services.jielong.parser import for_product, parse_chain

    entries = for_product(parse_chain("#接龙\n1. 王芳 甜橙2斤，草莓1斤\n2. 李四 草莓2斤\n3. 张三 脐橙3斤"), "橙子")
    assert [(e.name, e.qty, e.items, e.hints) for e in entries] == [
        ("王芳", 2, [("甜橙", 2)], []), ("张三", 3, [("脐橙", 3)], [])]
