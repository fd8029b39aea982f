"""Chain conventions of WeChat groups (issue 15 #1, round 7, branch chains7): forms of our own,
each with a negative. A chain re-posted by every member who joins, a line re-posted to change
it, an estate before the person, a building and room glued after the name, a quantity changed
with an arrow. Real chains: tests/data/real/chains (python -m bench realtext)."""
from __future__ import annotations

import pytest

from services.jielong import parse_chain


def _read(text: str) -> list[tuple]:
    return [(e.seq, e.name, e.qty, e.cancelled) for e in parse_chain(text)]


COPY_1 = "#接龙 水果\n例 张三 2份\n\n1. 王芳 1份\n2. 李四 2份\n3. 张三 1份"
COPY_2 = "#接龙 水果\n例 张三 2份\n\n1. 王芳 1份\n2. 李四 3份\n3. 张三 1份\n4. 赵六 2份"


def test_a_chain_re_posted_with_more_entries_is_read_once_as_last_posted():
    want = [(1, "王芳", 1, False), (2, "李四", 3, False), (3, "张三", 1, False), (4, "赵六", 2, False)]
    assert _read(f"{COPY_1}\n\n{COPY_2}") == want
    assert _read(f"{COPY_1}\n王芳 12:01\n收到\n{COPY_2}") == want  # chat between the copies
    assert _read(f"{COPY_2}\n\n{COPY_2}") == want  # the same copy twice


def test_a_copy_under_the_same_title_supersedes_even_a_one_entry_copy():
    text = ("王芳 10:01\n#接龙\n周六团购\n例 张三 1份\n\n1. 王芳 1份\n\n"
            "李四 10:05\n#接龙\n周六团购\n例 张三 1份\n\n1. 王芳 1份\n2. 李四 2份")
    assert _read(text) == [(1, "王芳", 1, False), (2, "李四", 2, False)]
    # Under two titles the same people in the same order are two chains (lunch and dinner).
    two = "#接龙 午餐\n1. 王芳 1份\n2. 李四 1份\n#接龙 晚餐\n1. 王芳 1份\n2. 李四 1份\n3. 张三 1份"
    assert len(parse_chain(two)) == 5


def test_a_re_post_after_a_member_withdrew_supersedes_its_copy_under_the_same_title():
    first = "#接龙 周六水果\n1. 王芳 1份\n2. 李四 2份\n3. 张三 1份"
    again = "#接龙 周六水果\n1. 王芳 1份\n2. 张三 1份\n3. 赵六 2份"  # 李四 withdrew, WeChat renumbered
    assert _read(f"{first}\n\n{again}") == [(1, "王芳", 1, False), (2, "张三", 1, False), (3, "赵六", 2, False)]
    # Mostly other people under the same title: two chains (last week's and this week's).
    other = "#接龙 周六水果\n1. 王芳 1份\n2. 钱七 1份\n3. 孙八 2份"
    assert len(parse_chain(f"{first}\n\n{other}")) == 6


def test_two_chains_of_other_people_keep_all_their_entries():
    lunch = "#接龙 午餐\n1. 桃子 1份\n2. 王芳 1份"
    dinner = "#接龙 晚餐\n1. 桃子 2份\n2. 李四 1份\n3. 张三 1份"
    assert len(parse_chain(f"{lunch}\n\n{dinner}")) == 5
    # One entry alike is no copy: the 团长 opens both chains.
    assert len(parse_chain("#接龙 午餐\n1. 桃子 1份\n\n#接龙 晚餐\n1. 桃子 2份\n2. 李四 1份")) == 3


def test_a_line_re_posted_with_another_quantity_replaces_the_members_line():
    text = "#接龙 西瓜\n1. 王芳 1份\n2. 李四 2份\n3. 张三 1份\n张三 12:05\n3. 张三 3份"
    assert _read(text) == [(1, "王芳", 1, False), (2, "李四", 2, False), (3, "张三", 3, False)]
    cancel = "#接龙 西瓜\n1. 王芳 1份\n2. 李四 2份\n3. 张三 1份\n2. 李四 2份 取消"
    assert _read(cancel) == [(1, "王芳", 1, False), (3, "张三", 1, False), (2, "李四", 2, True)]
    # Repeated as it was, or by someone else under that number: both stay as read.
    assert len(parse_chain("#接龙 西瓜\n1. 王芳 1份\n2. 李四 2份\n3. 张三 1份\n3. 张三 1份")) == 4
    assert len(parse_chain("#接龙 西瓜\n1. 王芳 1份\n2. 李四 2份\n3. 张三 1份\n3. 赵六 1份")) == 4


@pytest.mark.parametrize("line, name, address", [
    ("阳光小区-张姐 5-2-301 2份", "张姐", "5-2-301 阳光小区"),
    ("幸福家园 王阿姨 2份", "王阿姨", "幸福家园"),
    ("王阿姨5栋301 2份", "王阿姨", "5栋301"),
    ("王阿姨5号楼2单元301 2份", "王阿姨", "5号楼2单元301"),
])
def test_an_estate_before_the_person_and_a_room_glued_after_are_the_address(line, name, address):
    [e] = parse_chain(f"#接龙 蔬菜\n1. {line}")
    assert (e.name, e.qty, e.address) == (name, 2, address)


def test_a_building_glued_before_the_name_stays_in_it_and_an_estate_alone_is_the_name():
    assert parse_chain("#接龙\n1. 5号楼刘 2份")[0].name == "5号楼刘"
    assert parse_chain("#接龙\n1. 云谷11栋-葛原 少饭")[0].name == "葛原"
    assert parse_chain("#接龙\n1. 阳光小区 2份")[0].name == "阳光小区"  # nobody else on the line


@pytest.mark.parametrize("line, qty", [("2份→3份", 3), ("1份->2份", 2), ("两份→一份", 1), ("3盒=>2盒", 2)])
def test_a_quantity_changed_with_an_arrow_is_the_new_one(line, qty):
    [e] = parse_chain(f"#接龙\n1. 王芳 {line}")
    assert (e.name, e.qty) == ("王芳", qty)
    assert parse_chain("#接龙\n1. 王芳 2份 东门->南门")[0].qty == 2  # an arrow between places changes no quantity


def test_a_group_buy_apps_follow_number_numbers_a_line():
    assert _read("【跟团号1】王芳 苹果×2\n【跟团号2】李四 梨×1 香蕉×2\n跟团号3 张三 苹果x1") == [
        (1, "王芳", 2, False), (2, "李四", 3, False), (3, "张三", 1, False)]
    assert _read("#接龙\n跟团号：请在备注写楼号\n1. 王芳 1份") == [(1, "王芳", 1, False)]  # no number: header


def test_dishes_named_by_number_with_a_count_each_add_up():
    [e] = parse_chain("#接龙 午餐\n1. 张三 1号1份 2号1份")
    assert (e.name, e.qty, e.items) == ("张三", 2, [("1号", 1), ("2号", 1)])
    assert parse_chain("#接龙 午餐\n1. 张三 2号2份")[0].qty == 2
    assert parse_chain("#接龙\n1. 张三 3号502 2份")[0].address == "3号502"  # a room stays an address


@pytest.mark.parametrize("line, qty", [("王芳 1+1", 2), ("王芳 2+1", 3), ("王芳 1➕1", 2), ("王芳 1+1份", 2), ("王芳 1+1+1", 3)])
def test_small_counts_added_with_no_unit_add_up(line, qty):
    [e] = parse_chain(f"#接龙 周日爬山\n1. {line}")
    assert (e.name, e.qty) == ("王芳", qty)


def test_a_plus_sign_up_a_decimal_or_a_menu_chain_is_no_bare_sum():
    assert parse_chain("#接龙\n1. 王芳 +1")[0].qty == 1
    assert parse_chain("#接龙\n1. 王芳 11+2")[0].qty == 1  # not single counts: left as read
    menu = "#接龙\n1. 蛋挞 10元\n2. 布丁 12元\n3. 泡芙 15元\n例 张三 1+2\n\n1. 王芳 1+2\n2. 李四 2+3\n3. 赵六 1"
    assert [(e.name, e.qty) for e in parse_chain(menu)] == [("王芳", 2), ("李四", 2), ("赵六", 1)]  # dishes by number
