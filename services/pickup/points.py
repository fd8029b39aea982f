"""Pickup points and buildings: the one rule that groups orders for packing and hand-over.

The packing exports (services.review.export), the pickup lists, delivery runs and the review's
per-point figures all group by `pickup_group`. An entry's group is read from its address
(or, failing that, a building in its note):
"自提点：东门驿站" → 东门驿站, "363弄12号1201" → 363弄12号, "3号楼1201" → 3号楼,
"5栋2单元" → 5栋, "3-1201" and "3-1-1201" → 3号楼; any other address is its own group, and no address
at all is 未填地址.
"""
from __future__ import annotations

import re

NO_ADDRESS = "未填地址"

_PICKUP = re.compile(r"^\s*自提点?\s*[:：]?\s*(.+)$")
_BUILDING = re.compile(
    r"^(.*?(?:\d+|[A-Za-z]|[一二三四五六七八九十]+)\s*(?:号楼|栋|幢|座|号|楼))"
)
# 3-1201 (building-room) and 3-1-1201 (building-unit-room)
_DASHED = re.compile(r"^\s*(\d{1,3})\s*[-－—_]\s*(?:\d{1,2}\s*[-－—_]\s*)?\d{2,5}\b")


def pickup_group(address: str, note: str = "") -> str:
    """The packing group (取货点 or building) for an entry; see the module doc."""
    for text, loose in ((address or "", True), (note or "", False)):
        text = " ".join(text.split())
        if not text:
            continue
        m = _PICKUP.match(text)
        if m:
            return m.group(1).strip()[:40]
        m = _BUILDING.match(text)
        if m:
            return re.sub(r"\s+", "", m.group(1))[:40]
        m = _DASHED.match(text)
        if m:
            return f"{m.group(1)}号楼"
        if loose:
            return text[:40]
    return NO_ADDRESS


def group_sort_key(group: str) -> tuple:
    """Groups in a packing order: named pickup points first, then buildings by their number
    (2栋 before 10栋), 未填地址 last."""
    m = re.search(r"\d+", group)
    return (group == NO_ADDRESS, m is not None, int(m.group(0)) if m else 0, group)
