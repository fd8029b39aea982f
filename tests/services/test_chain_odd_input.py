"""parse_chain on odd real input (issue 15, round 9): never an exception, and a sensible reading.

Pastes come from phones, Word, Excel and chat exports: CRLF and lone CR, the Unicode line and
paragraph separators, a Word line break (\\v), zero-width and non-breaking spaces, full-width
digits, tabs, lines of only emoji, very long lines, and now and then a lone surrogate from a
broken clipboard. Each case below reads what a person reads; the twins show what must not change.
"""
from __future__ import annotations

import time

import pytest

from services.errors import check_paste_size
from services.jielong import for_product, parse_chain


def read(text: str) -> list[tuple[int | None, str, int]]:
    return [(e.seq, e.name, e.qty) for e in parse_chain(text)]


THREE = [(1, "张三", 2), (2, "李四", 1), (3, "王五", 3)]


@pytest.mark.parametrize("text", [
    "#接龙\r\n1. 张三 2份\r\n2. 李四 1份\r\n3、王五 3份\r\n",  # Windows line ends
    "#接龙\r1. 张三 2份\r2. 李四 1份\r3、王五 3份",  # old Mac / some exports: CR only
    "#接龙\r\n1. 张三 2份\n2. 李四 1份\r3、王五 3份",  # all three mixed
    "#接龙\n1.\u200b张三\u200b 2份\n2. \u200b李四 1份\n\u200b3. 王五\u200b3份",  # zero-width spaces
    "\ufeff#接龙\n1. 张三 2份\n2. 李四\u200c 1份\n3. 王五 3份",  # BOM, zero-width non-joiner
    "#接龙\n１．张三 ２份\n２．李四 １份\n３、王五 ３份",  # full-width digits and points
    "#接龙\n1.\u00a0张三\u00a02份\n2.\u3000李四\u3000１份\n3.\u202f王五\u2009 3份",  # NBSP, ideographic, thin spaces
    "#接龙\n1.\t张三\t2份\n2.\t\t李四\t1份\n\t3.\t王五\t\t3份",  # tabs
])
def test_line_ends_and_invisible_spaces_read_like_plain_text(text):
    assert read(text) == THREE


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\v", "\f", "\x85"])
def test_a_line_or_paragraph_separator_is_a_line_break(sep):
    """Word's line break (\\v), U+2028 / U+2029 and NEL show as a new line: two entries, not one
    (they used to be deleted, gluing `1份` and `2. 李四` into one line)."""
    assert read(f"#接龙\n1. 张三 1份{sep}2. 李四 2份") == [(1, "张三", 1), (2, "李四", 2)]


def test_twin_a_zero_width_space_is_no_line_break():
    """Twin: an invisible zero-width space inside a line neither splits the line nor the name."""
    assert read("1. 张\u200b三 2份") == [(1, "张三", 2)]


def test_full_width_two_digit_quantity():
    assert read("1. 李四 １２份") == [(1, "李四", 12)]


def test_a_lone_surrogate_from_a_broken_paste_is_dropped_not_raised():
    assert read("1. 张\ud800三 2份\n2. 李四 1份") == [(1, "张三", 2), (2, "李四", 1)]
    check_paste_size("\udfff" * 10)  # the size check counts it, never raises


def test_twin_the_size_check_still_refuses_over_one_megabyte():
    from services.errors import TooLarge
    with pytest.raises(TooLarge):
        check_paste_size("张" * 400_000)


@pytest.mark.parametrize("text", ["😀😀😀", "😀🍎🎉\n🍓🍓\n👍", "\n".join("😀🍎🎉" for _ in range(50))])
def test_lines_of_only_emoji_are_no_entries(text):
    assert parse_chain(text) == []


def test_a_numbered_line_of_only_emoji_is_a_nickname():
    assert read("#接龙\n1. 🌸🌸\n2. 👍") == [(1, "🌸🌸", 1), (2, "👍", 1)]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t\r\n", "\u3000\u200b\ufeff", "1.\n2.\n3."])
def test_blank_input_gives_no_entries(text):
    assert parse_chain(text) == []


def test_very_long_lines_and_names_stay_bounded_and_fast():
    long_note = "\n".join(f"{i}. 用户{i} " + "很长的备注" * 400 + f" {i % 5 + 1}份" for i in range(1, 60))
    start = time.process_time()
    entries = parse_chain(long_note)
    assert [(e.seq, e.name, e.qty) for e in entries[:3]] == [(1, "用户1", 2), (2, "用户2", 3), (3, "用户3", 4)]
    assert len(entries) == 59 and all(len(e.note) <= 500 for e in entries)
    (only,) = parse_chain("1. " + "张" * 20000 + " 2份")
    assert len(only.name) <= 100 and only.qty == 2
    assert time.process_time() - start < 2.0


def test_a_huge_number_is_no_huge_quantity():
    for e in parse_chain("1. 张三 99999999999999999999999份\n2. 李四 ９９９９９９９９９９９９份"):
        assert 1 <= e.qty <= 999


def test_for_product_takes_odd_entries_too():
    entries = parse_chain("1. 🍎🍎🍎\n2. 张三 苹果2斤，梨1斤\n3. \u200b")
    assert isinstance(for_product(entries, "苹果"), list)


def test_for_product_without_a_product_keeps_the_whole_reading():
    entries = parse_chain("1. 张三 苹果2斤，梨1斤\n2. 李四 2份")
    assert [(e.name, e.qty) for e in for_product(entries, None)] == [("张三", 3), ("李四", 2)]
    assert [(e.name, e.qty) for e in for_product(parse_chain("1. 张三 苹果2斤，梨1斤"), " \u200b")] == [("张三", 3)]


def test_twin_for_product_with_a_product_reads_its_items():
    entries = parse_chain("1. 张三 苹果2斤，梨1斤\n2. 李四 2份")
    assert [(e.name, e.qty) for e in for_product(entries, "苹果")] == [("张三", 2), ("李四", 2)]
