"""A tally list (排表): one buyer a line, then each item taken and its count, with no numbering.

Pure functions, no database. An organiser who shares out a group buy (谷子 cards, fruit boxes) often
posts the result as a plain list rather than a 接龙:

    团长 苹果 3 香梨 2
    小周 苹果 1
    阿芳 香梨 4 橙子 1

A person reads each such line as one order: the first word is who (a nickname as written, a bracket
after it a note, `小周（微信）`), the rest pairs of an item and its count (a bare number or one with a
unit, `2斤`); the order's quantity is the sum. The layout counts only where it is the paste's shape:
no numbered line anywhere, at least `MIN_ROWS` such lines, and they are most of the paste's lines (a
title or a footer may stand around them), each buyer once. A price list (`苹果 29.9`), a sentence with a number in it
or a chain numbered `1.` … is no tally.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from services.jielong.quantities import UNITS

MIN_ROWS = 3
HINT = "整段没有编号，按排表读取：每行一位团员，其后各项数量相加，请核对"
# The share of the paste's non-empty lines the tally rows must reach.
_MOST = 0.6
# A count on its own after an item: `3`, `3斤`, `×3` / `x3` / `*3`; not `29.9`, not `3点`.
_RE_COUNT = re.compile(rf"^(?:[xX×*]\s*)?(\d{{1,3}})(?:{UNITS})?$")
# An item: a word with at least one letter or CJK character, not a number or a price.
_RE_ITEM = re.compile(r"^(?=.*[^\W\d_])[^\s¥￥$]+$")
_RE_SPLIT = re.compile(r"[\s\u3000]+")


def row(line: str) -> tuple[str, list[tuple[str, int]]] | None:
    """`阿芳 香梨 4 橙子 1` → ("阿芳", [("香梨", 4), ("橙子", 1)]); None when the line is not of that shape."""
    words = [w for w in _RE_SPLIT.split(line.strip()) if w]
    if len(words) < 3 or len(words) % 2 == 0:
        return None
    items: list[tuple[str, int]] = []
    for what, count in zip(words[1::2], words[2::2]):
        m = _RE_COUNT.match(count)
        if not m or not _RE_ITEM.match(what) or _RE_COUNT.match(what) or not 1 <= int(m.group(1)) <= 999:
            return None
        items.append((what, int(m.group(1))))
    return words[0], items


def rows(lines: list[str], numbered: bool) -> list[tuple[int, str, list[tuple[str, int]]]]:
    """The paste's tally rows (line index, who, items), or [] when the paste is not a tally list."""
    if numbered:
        return []
    found = [(i, *r) for i, line in enumerate(lines) if (r := row(line))]
    filled = sum(1 for line in lines if line.strip())
    if len(found) < MIN_ROWS or len(found) < _MOST * filled:
        return []
    if len({who for _, who, _ in found}) < len(found):
        return []  # `苹果 大箱 39` / `苹果 小箱 29`: a word twice is a product's sizes, not a buyer a line
    return found


def entries(lines: list[str], numbered: bool, read_name: Callable[[str], Any], make: Callable[..., Any]) -> list[Any]:
    """The tally's entries, unnumbered, one a row: `read_name(word)` reads the first word by the chain's
    usual name conventions (an entry with .name and .note, or None: the word as written), `make(**fields)`
    builds the entry."""
    out = []
    for i, who, items in rows(lines, numbered):
        read = read_name(who)
        name, note = (read.name, read.note) if read is not None else (who, "")
        out.append(make(seq=None, name=name, qty=sum(n for _, n in items), note=note, items=items,
                        raw=lines[i].strip(), shown=lines[i].strip(), qty_explicit=True))
    if out:
        out[0].hints.append(HINT)
    return out
