"""Pickup points: the one reading of which pickup point (自提点) a chain line names.

Two capabilities need it and must agree: the chain intake (services.jielong) records each entry's
point once, when the entry is written (chain_entry.pickup_point, indexed, so the counter finds the
orders of 西门菜站 without reading the chain), and the pickup capability groups orders for packing
and hand-over by it (services.pickup.points.pickup_group). jielong sits below pickup in the
capability layers, so the reading lives here, in the kernel.

A point, from the address, else from the note:
- "自提点：东门驿站" → 东门驿站 (快团团's 自提点 column is imported as "自提点：X｜详细地址", so the
  address after ｜ never splits the point);
- "东门自提" / "东门自提点幸福里1栋" → 东门自提点 (whoever says 自提 picks up there, whatever the building);
- a station named without 自提 ("西门菜站", "南门驿站", "3号提货点") is one too;
- 自提 naming no place ("9栋 自提", "我自提", "明天自提", "到店自提") → 到店自提;
- "不自提" / "不要自提" names none.
"""
from __future__ import annotations

import re

from services.buildings import STATION as _STATION

SELF_PICKUP = "到店自提"  # self-pickup without a named point ("9栋 自提", "我自提", "明天自提")
POINT_LENGTH = 40  # the longest point name (chain_entry.pickup_point's width)

_LABELLED = re.compile(r"^\s*自提点?\s*[:：]\s*([^｜|]+)")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_FILLER = ("我要", "我在", "我去", "要", "在", "去", "到", "我")  # "我要东门自提" → 东门
# Words before 自提 that say who or when, not where: "我自提", "明天自提", "自己来自提" name no point.
_NOT_A_PLACE = re.compile(
    r"^(?:我们?|本人|自己|要|在|去|到|来|过来|今天|明天|后天|今晚|明早|明晚|早上|上午|中午|下午|傍晚|晚上|"
    r"下班|周[一二三四五六日天末]|星期[一二三四五六日天])+$"
)
_THE_SHOP = ("店", "门店", "到店", "店里", "本店", "来店", "去店")  # "到店自提": the shop itself
_NOT_A_POINT = ("不", "无法", "不能", "没法")  # "不自提" / "不要自提" is no pickup point


def pickup_point(address: str, note: str = "") -> str | None:
    """The pickup point the order names (东门驿站, 东门自提点, or 到店自提 for 自提 naming no place),
    or None: the order names a building or an address, so it is delivered where the show delivers."""
    return named_point(squeezed(address), squeezed(note))


def squeezed(text: str) -> str:
    """The text with its runs of blanks as one space (how both readings see a line)."""
    return " ".join((text or "").split())


def named_point(address: str, note: str) -> str | None:
    """pickup_point on texts already squeezed (pickup_group squeezes them once for both readings)."""
    for text in (address, note):
        point = _pickup_point(text) if text else None
        if point:
            return point[:POINT_LENGTH]
    return None


def _pickup_point(text: str) -> str | None:
    m = _LABELLED.match(text)
    if m:
        return m.group(1).strip()[:POINT_LENGTH] or None
    if station := _STATION.search(text):
        return f"{_without_filler(station.group(1))}{station.group(2)}"
    at = text.find("自提")
    if at < 0:
        return None
    start = at
    while start > 0 and at - start < 4 and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    name = text[start:at]
    if name.endswith(_NOT_A_POINT) or name.endswith("不要"):
        return None
    if not name or _NOT_A_PLACE.match(name) or name in _THE_SHOP or name.endswith(("到店", "来店")):
        return SELF_PICKUP
    return f"{_without_filler(name)}自提点"


def _without_filler(name: str) -> str:
    """"我要东门" → 东门: the words before a place that say who goes there."""
    for filler in _FILLER:
        if name.startswith(filler) and len(name) > len(filler):
            return name[len(filler):]
    return name
