"""An organiser's tally list (排表): one buyer a line, then items and counts, nothing numbered
(services/jielong/tallies.py, branch chains14; the layout of the real 谷子 排表 in tests/data/real/chains/tune).
Our own wording; each rule with a twin that reads as it did before the rule."""
from __future__ import annotations

from services.jielong import parse_chain
from services.jielong.tallies import HINT, row


def _read(text: str) -> list[tuple]:
    return [(e.seq, e.name, e.qty, e.note, list(e.items)) for e in parse_chain(text)]


def test_each_line_of_a_tally_is_one_unnumbered_order_summing_its_counts():
    text = "橙子团分货\n老陈 橙子 2 柚子 1\n小敏 橙子 3\n阿强 柚子 2 橙子 1 苹果 4\n"
    assert _read(text) == [
        (None, "老陈", 3, "", [("橙子", 2), ("柚子", 1)]),
        (None, "小敏", 3, "", [("橙子", 3)]),
        (None, "阿强", 7, "", [("柚子", 2), ("橙子", 1), ("苹果", 4)]),
    ]


def test_twin_the_same_orders_numbered_read_as_a_numbered_chain():
    text = "橙子团分货\n1. 老陈 橙子 2 柚子 1\n2. 小敏 橙子 3\n3. 阿强 柚子 2 橙子 1 苹果 4\n"
    assert [e.seq for e in parse_chain(text)] == [1, 2, 3]


def test_counts_with_units_and_full_width_spaces():
    text = "阿宝　苹果　2斤　梨　3斤\n小林 梨 1斤\n周姐 苹果 5斤\n"
    assert [(e.name, e.qty) for e in parse_chain(text)] == [("阿宝", 5), ("小林", 1), ("周姐", 5)]


def test_twin_a_price_list_is_no_tally():
    assert parse_chain("今日价目\n橙子 12.8\n柚子 9.9\n苹果 6.5\n") == []
    assert row("橙子 单价 12.8") is None and row("明天 下午 3 点 取货") is None


def test_a_bracket_after_the_name_is_a_note_as_in_any_chain():
    text = "小周（微信） 苹果 1\n阿梅（老客） 梨 2\n大刘 苹果 1 梨 1\n"
    assert [(e.name, e.note, e.qty) for e in parse_chain(text)] == [("小周", "微信", 1), ("阿梅", "老客", 2), ("大刘", "", 2)]


def test_twin_two_lines_or_a_few_among_prose_are_no_tally():
    assert parse_chain("老陈 橙子 2\n小敏 橙子 3\n") == []
    prose = "周六统一到东门自提\n带好袋子\n别迟到\n有问题群里说\n老陈 橙子 2\n小敏 橙子 3\n阿强 柚子 2\n"
    assert parse_chain(prose) == []


def test_the_reading_says_it_took_the_paste_as_a_tally():
    got = parse_chain("老陈 橙子 2\n小敏 橙子 3\n阿强 柚子 2\n")
    assert HINT in got[0].hints and not any(HINT in e.hints for e in got[1:])


def test_twin_a_word_on_several_lines_is_a_products_sizes_not_buyers():
    assert parse_chain("苹果 大箱 39\n苹果 小箱 29\n橙子 大箱 49\n橙子 小箱 35\n") == []
