"""A meal chain read for one meal's deal (pure).

A lunch-box chain often takes two meals at once (`6.9号午餐预定接龙` and `晚餐预定接龙` under one
`例 桃子 1份午餐晚餐`): each line names its meal (`王燕萍 一份午餐`, `桃子 6份晚餐`). Read for a deal
named after one meal (午餐, 午餐盒饭), a line ordering only another meal is not this deal's, and a
line ordering both counts only this meal's portions. A deal naming no meal, or a chain naming one
meal only, reads as before (the portions add up: `午餐1份 晚餐2份` → 3)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from services.cn_numbers import cn_number
from services.jielong.quantities import MEAL_RE, NUM_RE, MAX_QTY

if TYPE_CHECKING:
    from services.jielong.parser import ChainEntry

_SAME = {"午饭": "午餐", "中餐": "午餐", "中饭": "午餐", "晚饭": "晚餐", "早饭": "早餐", "宵夜": "夜宵"}
_RE_MEAL = re.compile(rf"{MEAL_RE}|中饭")
_RE_EACH = re.compile(rf"(?P<what>(?:{MEAL_RE}|中饭)(?:\s*[和、,/+与及]?\s*(?:{MEAL_RE}|中饭))+|午晚餐?|早午晚餐?)\s*各\s*(?P<n>{NUM_RE})\s*份?")
_RE_PAIR = re.compile(rf"(?P<m1>{MEAL_RE}|中饭)\s*(?P<a>{NUM_RE})\s*份?(?!\d)|(?P<b>{NUM_RE})\s*份\s*(?P<m2>{MEAL_RE}|中饭)")


def meal_of(text: str) -> str | None:
    """The one meal a deal's name names (`午餐盒饭` → 午餐), else None."""
    found = {_SAME.get(m, m) for m in _RE_MEAL.findall(text or "")}
    return found.pop() if len(found) == 1 else None


def portions(line: str, qty: int) -> dict[str, int]:
    """Portions per meal a line orders (`6份晚餐` → {晚餐: 6}); {} when it names no meal."""
    if each := _RE_EACH.search(line):
        what = each.group("what")
        meals = ["午餐", "晚餐"] if what.startswith("午晚") else ["早餐", "午餐", "晚餐"] if what.startswith("早午晚") \
            else [_SAME.get(m, m) for m in _RE_MEAL.findall(what)]
        return dict.fromkeys(meals, cn_number(each.group("n")) or 1)
    out: dict[str, int] = {}
    for m in _RE_PAIR.finditer(line):
        meal = _SAME.get(m.group("m1") or m.group("m2"), m.group("m1") or m.group("m2"))
        out[meal] = out.get(meal, 0) + (cn_number(m.group("a") or m.group("b")) or 0)
    named = {_SAME.get(m, m) for m in _RE_MEAL.findall(line)}
    if not out and len(named) == 1:  # `小柠檬 一份午餐` read as 1 by the parser; `李湘 午餐` 1
        out = {named.pop(): qty}
    return {k: v for k, v in out.items() if v > 0}


def for_meal(entries: list[ChainEntry], product: str, skipped: list[str] | None = None) -> list[ChainEntry]:
    """The entries as they concern a deal named after one meal, when the chain orders two meals or more."""
    mine = meal_of(product)
    if mine is None:
        return entries
    split = [(e, portions(e.raw or e.shown or e.note, e.qty)) for e in entries]
    if len({m for _, p in split for m in p}) < 2 or not any(mine in p for _, p in split):
        return entries
    out = []
    for e, per_meal in split:
        if per_meal and mine not in per_meal:
            if skipped is not None:
                skipped.append(f"（其他餐，未计入「{product}」）{e.shown or e.raw or e.name}")
            continue
        if per_meal and len(per_meal) > 1 and not e.cancelled:
            e = replace(e, qty=max(1, min(per_meal[mine], MAX_QTY)), items=[(mine, per_meal[mine])])
        out.append(e)
    return out
