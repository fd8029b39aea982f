"""Pickup points and buildings: the one rule that groups orders for packing and hand-over.

The packing exports (services.review.export), the pickup lists, delivery runs and the review's
per-point figures all group by `pickup_group`. An entry's group is, in this order:
1. a pickup point, from its address or its note: "自提点：东门驿站" → 东门驿站 (快团团's 自提点 column is
   imported as "自提点：X｜详细地址", so the address after ｜ never splits the point), and
   "东门自提" / "东门自提点幸福里1栋" → 东门自提点 (whoever says 自提 picks up there, whatever the building);
   a station named without 自提 ("西门菜站", "南门驿站", "3号提货点") is one too;
   自提 naming no place ("9栋 自提", "我自提", "明天自提", "到店自提") → 到店自提;
2. an order to be sent by courier ("快递", "邮寄", "顺丰", in its address or note, not "不要快递") is 快递;
3. a building, from its address, else from its note, written one way: "5号楼1201", "5栋2单元",
   "5幢", "五栋" and "5-1201" / "5-1-1201" are all 5栋; "363弄12号1201" → 363弄12号;
   read by services.buildings, which members' identity shares (王芳 五栋 is 王芳 5栋 in both);
4. any other address is its own group; no address at all is 未填地址.
"""
from __future__ import annotations

import re

from services.buildings import STATION as _STATION
from services.buildings import building as _read_building

NO_ADDRESS = "未填地址"
COURIER = "快递"  # orders the store ships: packed together, whatever town or building they name
PICKUP_SEP = "｜"  # between a pickup point and the address that follows it (services.jielong.orders)

_LABELLED = re.compile(r"^\s*自提点?\s*[:：]\s*([^｜|]+)")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_FILLER = ("我要", "我在", "我去", "要", "在", "去", "到", "我")  # "我要东门自提" → 东门
# Words before 自提 that say who or when, not where: "我自提", "明天自提", "自己来自提" name no point.
_NOT_A_PLACE = re.compile(
    r"^(?:我们?|本人|自己|要|在|去|到|来|过来|今天|明天|后天|今晚|明早|明晚|早上|上午|中午|下午|傍晚|晚上|"
    r"下班|周[一二三四五六日天末]|星期[一二三四五六日天])+$"
)
_THE_SHOP = ("店", "门店", "到店", "店里", "本店", "来店", "去店")  # "到店自提": the shop itself
SELF_PICKUP = "到店自提"  # self-pickup without a named point ("9栋 自提", "我自提", "明天自提")
_NOT_A_POINT = ("不", "无法", "不能", "没法")  # "不自提" / "不要自提" is no pickup point
# Night 21 (a mother-baby brand night, most buyers 快递): `5. 豆豆妈 M码3包 快递 上海市浦东新区` and
# `1. 朵朵妈 L码1包 快递` were packed under 未填地址 beside lines that named nothing at all.
# 快递柜 / 快递站 / 快递点 are places in the estate the store delivers to (the demo's 放快递柜), not a parcel sent.
_COURIER = re.compile(r"(不要|不用|不走|不发|不)?(快递|邮寄|顺丰)(?![柜站点])")


def _pickup_point(text: str) -> str | None:
    m = _LABELLED.match(text)
    if m:
        return m.group(1).strip()[:40] or None
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


def pickup_group(address: str, note: str = "") -> str:
    """The packing group (取货点 or building) for an entry; see the module doc."""
    address, note = _squeezed(address), _squeezed(note)
    point = _named_point(address, note)
    if point:
        return point
    if _by_courier(address) or _by_courier(note):
        return COURIER
    for text, in_note in ((address, False), (note, True)):
        building = _read_building(text, estate=not in_note) if text else None
        if building:
            return building
    return address.split(PICKUP_SEP)[0][:40] if address else NO_ADDRESS


def _by_courier(text: str) -> bool:
    return any(m.group(1) is None for m in _COURIER.finditer(text))


def pickup_point(address: str, note: str = "") -> str | None:
    """The pickup point the order names (东门驿站, 东门自提点, or 到店自提 for 自提 naming no place),
    or None: the order names a building or an address, so it is delivered where the show delivers."""
    return _named_point(_squeezed(address), _squeezed(note))


def _squeezed(text: str) -> str:
    return " ".join((text or "").split())


def _named_point(address: str, note: str) -> str | None:
    """pickup_point on texts already squeezed (pickup_group squeezes them once for both readings)."""
    for text in (address, note):
        point = _pickup_point(text) if text else None
        if point:
            return point
    return None


def group_sort_key(group: str) -> tuple:
    """Groups in a packing order: named pickup points first, then buildings by their number
    (2栋 before 10栋), then 快递, 未填地址 last."""
    m = re.search(r"\d+", group)
    return (group == NO_ADDRESS, group == COURIER, m is not None, int(m.group(0)) if m else 0, group)
