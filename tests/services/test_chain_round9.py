"""Chain reading, round 9 (issue 15): rules found on the tune chains collected in round 9
(tests/data/real/README.md, "Ninth round"), each shown on forms of our own with a twin it
must not change."""
from __future__ import annotations

from services.jielong import parse_chain

MENU = (
    "#接龙\n1. 肉松小贝一盒三个 16.9\n2. 焦糖脆壳香草小泡芙 19.9\n3. 玄米焙茶杏子卷 19.9\n"
    "4. 泰奶可可布丁薄脆大泡芙 9.9\n5. 傣味番茄生巧曲奇 15.9\n"
)


def read(text: str) -> list[tuple[int | None, str, int]]:
    return [(e.seq, e.name, e.qty) for e in parse_chain(text)]


def test_a_heavy_multiplication_sign_counts_like_x():
    """`2✖️2` is two of item 2, as `2x2` / `2*2` are (menu-number chains)."""
    got = parse_chain(MENU + "1. 甲 1+2\n2. 乙 2✖️2+3")
    assert [(e.name, e.qty) for e in got] == [("甲", 2), ("乙", 3)]
    assert [n for _, n in got[1].items] == [2, 1]


def test_twin_plus_signs_alone_give_one_each():
    got = parse_chain(MENU + "1. 甲 1+2\n2. 乙 2+2+3")
    assert [(e.name, e.qty) for e in got] == [("甲", 2), ("乙", 3)]
    assert [n for _, n in got[1].items] == [1, 1, 1]


def test_one_entry_joining_three_menu_numbers_shows_the_chain_orders_by_number():
    """`numCust 2+4+5` alone (the example line dropped): items 2, 4 and 5, not the sum 11."""
    got = parse_chain(MENU + "1. 示例 1+2\n2. 阿花 2+4+5\n3. 小李 3")
    assert [(e.seq, e.name, e.qty) for e in got] == [(2, "阿花", 3), (3, "小李", 1)]
    assert len(got[0].items) == 3


def test_twin_one_entry_joining_two_numbers_stays_a_sum():
    """`张三 2+1` (two adults and a child) under a priced menu is still 3, one entry only."""
    got = parse_chain(MENU + "1. 张三 2+1\n2. 李四 2")
    assert [(e.name, e.qty) for e in got] == [("张三", 3), ("李四", 2)]


def test_menu_products_named_apart_by_commas_are_one_of_each():
    got = parse_chain(MENU + "1. Alice 焦糖泡芙，泰奶泡芙\n2. 小王 番茄曲奇、杏子卷")
    assert [(e.name, e.qty) for e in got] == [("Alice", 2), ("小王", 2)]
    assert [p for p, _ in got[0].items] == ["焦糖泡芙", "泰奶泡芙"]


def test_twin_commas_between_an_address_and_a_wish_are_no_products():
    got = parse_chain(MENU + "1. 张三，3栋，少辣\n2. 李四，焦糖泡芙，自提")
    assert [(e.name, e.qty, e.items) for e in got] == [("张三", 1, []), ("李四", 1, [])]


def test_twin_without_a_menu_commas_stay_notes():
    got = parse_chain("#接龙\n1. Alice 焦糖泡芙，泰奶泡芙")
    assert got[0].name == "Alice" and not got[0].items


def test_an_emoji_before_a_latin_first_name_keeps_the_last_name():
    assert read("1. 🐷YEALIM LEE 2份\n2. 🌸Amy Wang") == [(1, "🐷YEALIM LEE", 2), (2, "🌸Amy Wang", 1)]


def test_twin_a_single_letter_or_a_lone_word_is_no_last_name():
    assert read("1. 🐷Jaxon J\n2. 🐷YEALIM 2份") == [(1, "🐷Jaxon", 1), (2, "🐷YEALIM", 2)]


def test_the_shops_own_first_line_under_its_menu_is_its_example():
    """`1. Lumi Sweets 1+2+3` right under the menu: the shop shows how to order, no order."""
    got = parse_chain(MENU + "1. Lumi Sweets 1+2+3\n2. 阿狗 2+3\n3. 小李 4")
    assert [(e.seq, e.name) for e in got] == [(2, "阿狗"), (3, "小李")]
    got = parse_chain(MENU + "1. 桃子烘焙 1+2\n2. 阿狗 2+3")
    assert [e.name for e in got] == ["阿狗"]


def test_twin_a_nickname_first_or_the_shop_further_down_stays_an_order():
    assert [e.name for e in parse_chain(MENU + "1. 甜甜 1+2\n2. 阿狗 2+3")] == ["甜甜", "阿狗"]
    got = parse_chain(MENU + "1. 阿狗 2+3\n2. Lumi Sweets 1+2+3")
    assert [e.name for e in got] == ["阿狗", "Lumi Sweets"]


def test_twin_without_a_menu_a_shop_name_is_a_buyer():
    assert read("#接龙\n1. Lumi Sweets 2份\n2. 张三 1份") == [(1, "Lumi Sweets", 2), (2, "张三", 1)]
