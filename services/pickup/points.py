"""Pickup points and buildings: the one rule that groups orders for packing and hand-over.

The packing exports (services.review.export), the pickup lists, delivery runs and the review's
per-point figures all group by `pickup_group`. An entry's group is, in this order:
1. a pickup point, from its address or its note (services.places.pickup_point, the kernel's reading,
   which the chain intake also records on each entry as chain_entry.pickup_point):
   "自提点：东门驿站" → 东门驿站, "东门自提" → 东门自提点, "西门菜站", "3号提货点"; 自提 naming no
   place ("9栋 自提", "我自提", "明天自提", "到店自提") → 到店自提;
2. an order to be sent by courier ("快递", "邮寄", "顺丰", in its address or note, not "不要快递") is 快递;
3. a building, from its address, else from its note, written one way: "5号楼1201", "5栋2单元",
   "5幢", "五栋" and "5-1201" / "5-1-1201" are all 5栋; "363弄12号1201" → 363弄12号;
   read by services.buildings, which members' identity shares (王芳 五栋 is 王芳 5栋 in both);
4. any other address is its own group; no address at all is 未填地址.
"""
from __future__ import annotations

import re

from services.buildings import building as _read_building
from services.places import SELF_PICKUP, named_point as _named_point, pickup_point, squeezed as _squeezed

__all__ = ["COURIER", "NO_ADDRESS", "PICKUP_SEP", "SELF_PICKUP", "group_sort_key", "pickup_group", "pickup_point"]

NO_ADDRESS = "未填地址"
COURIER = "快递"  # orders the store ships: packed together, whatever town or building they name
PICKUP_SEP = "｜"  # between a pickup point and the address that follows it (services.jielong.orders)

# Night 21 (a mother-baby brand night, most buyers 快递): `5. 豆豆妈 M码3包 快递 上海市浦东新区` and
# `1. 朵朵妈 L码1包 快递` were packed under 未填地址 beside lines that named nothing at all.
# 快递柜 / 快递站 / 快递点 are places in the estate the store delivers to (the demo's 放快递柜), not a parcel sent.
_COURIER = re.compile(r"(不要|不用|不走|不发|不)?(快递|邮寄|顺丰)(?![柜站点])")


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


def group_sort_key(group: str) -> tuple:
    """Groups in a packing order: named pickup points first, then buildings by their number
    (2栋 before 10栋), then 快递, 未填地址 last."""
    m = re.search(r"\d+", group)
    return (group == NO_ADDRESS, group == COURIER, m is not None, int(m.group(0)) if m else 0, group)
