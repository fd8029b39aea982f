"""Buildings: the one reading of which building a chain line's address (or note) names.

Two capabilities read it and must agree: the pickup list groups orders by it
(services.pickup.points.pickup_group) and a member is known by her name and building
(services.members.identity.building_of → who_is). They sit side by side in the capability
layers (neither may import the other), so the reading lives here, in the kernel.

One building is written one way: "5号楼1201", "5栋2单元", "5幢", "五栋", "5-1201" and "11-3-2001"
(building-unit-room) are all N栋; "A座" / "363弄12号" keep their word. A station people pick up at
("西门菜站", "3号提货点") is a place, not a building: `home_building` skips it.
"""
from __future__ import annotations

import re

from services.cn_numbers import cn_number

_BUILDING = re.compile(
    r"^(.*?)(\d+|[A-Za-z]|[一二三四五六七八九十]+)\s*(号楼|栋|幢|座|号|楼)"
)
_SAME_BUILDING = ("号楼", "栋", "幢")  # one word for one building: N栋
# 3-1201 (building-room) and 3-1-1201 (building-unit-room)
_DASHED = re.compile(r"^\s*(\d{1,3})\s*[-－—_]\s*(?:\d{1,2}\s*[-－—_]\s*)?\d{2,5}\b")
# A station neighbours pick up at, named without 自提 (night 19: `李姐 2份 西门菜站` beside
# `王阿姨 3份 东门自提点` was packed under 未填地址, and `6栋小吴 3份 西门菜站` under 6栋).
_STATION_WORDS = r"(菜站|驿站|提货点|取货点)"
STATION = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{1,4}?)" + _STATION_WORDS)
# A station numbered like a building ("3号提货点", "2号驿站"): its number is not where one lives.
_NUMBERED_STATION = re.compile(r"[\dA-Za-z一二三四五六七八九十]+\s*号?\s*" + _STATION_WORDS)


def building(text: str, estate: bool = True) -> str | None:
    """The building a text names, with the estate written before it (阳光花园5栋) unless
    estate=False (5栋: a note, or who someone is); None when it names none."""
    m = _BUILDING.match(text)
    if m:
        prefix, number, word = re.sub(r"\s+", "", m.group(1)), m.group(2), m.group(3)
        if not estate:
            prefix = ""
        if word in _SAME_BUILDING:
            n = number if number.isdigit() or number.isascii() else cn_number(number)
            return f"{prefix}{n}栋"[:40]
        return f"{prefix}{number}{word}"[:40]
    m = _DASHED.match(text)
    if m:
        return f"{m.group(1)}栋"
    return None


def home_building(address: str) -> str:
    """The building alone a line's address names ('5栋' from '五栋', '阳光花园5号楼1201' or
    '5-1201'; '11栋' from '11-3-2001'), '' when none. A station in it ('3号提货点') is where the
    order is picked up, not a building: '王芳 3号提货点' names no building."""
    text = _NUMBERED_STATION.sub(" ", " ".join((address or "").split())).strip()
    return (building(text, estate=False) or "") if text else ""
