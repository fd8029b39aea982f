"""Orders by menu number: in a chain whose header numbers a priced menu (`2. 生巧焦糖香蕉布丁小方
22.9`), members order by those numbers (`Angia 2 + 3 + 5 + 8（抹茶/黑芝麻/巧克力/焙茶）`).

Pure functions, no database; services.jielong.parser calls `apply`. Rules (stated in
tests/data/real/README.md):
- the chain orders by menu number when its menu has three or more items and two or more of its entries join menu numbers with `+`
  (`1+2+3`, `4➕11`); then every entry that names menu numbers is read that way, a lone one too
  (`Rain 13` is one of item 13, not 13 of something);
- each number is one item of 1; `11x2` / `11*3` is that many; a flavour bracket joined with `+`
  names that many boxes (`1（原味+咸蛋黄+奶贝+芋泥）` → 4), one with `/` is one box's mix;
- the name is what stands before the first number (`🔆7` → `🔆`); what follows the numbers is note.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from services.jielong.quantities import UNITS

if TYPE_CHECKING:
    from services.jielong.parser import ChainEntry

MENU_MIN = 3
_BRACKET = r"[(（]([^()（）]*)[)）]"
_REF = (
    rf"(?:[^\W\d_]{{1,6}}的)?(?<![\d.])(\d{{1,2}})(?![\d.])(?!\s*{UNITS})"
    rf"(?:\s*(?![xX×]\s*\d)[^\W\d_]+)?(?:\s*{_BRACKET})?(?:\s*[xX×*]\s*(\d{{1,2}}))?"
)
_RE_REF = re.compile(_REF)
_RE_ORDER = re.compile(rf"{_REF}(?:\s*[+➕]\ufe0f?\s*{_REF})*")
_RE_JOIN = re.compile(r"\d\s*(?:[(（][^()（）]*[)）])?\s*[+➕]")
_RE_MENU_NAME = re.compile(r"^[^\s(（\d]+")


def read(body: str, menu: dict[int, str]) -> tuple[str, list[tuple[str, int]], str] | None:
    """(name, items, what follows) when `body` orders by menu number, else None."""
    for m in _RE_ORDER.finditer(body):
        before = body[m.start() - 1] if m.start() else ""
        if not before or not (before.isspace() or unicodedata.category(before) == "So"):
            continue
        refs = list(_RE_REF.finditer(m.group(0)))
        if not refs or any(int(r.group(1)) not in menu for r in refs):
            continue
        name = body[: m.start()].strip(" ,:;-")
        if not name:
            return None
        items: list[tuple[str, int]] = []
        for r in refs:
            n, mix, times = int(r.group(1)), r.group(2) or "", r.group(3)
            product = _product(menu[n])
            kinds = [k.strip() for k in re.split(r"[+➕]", mix) if k.strip()] if "+" in mix or "➕" in mix else []
            if kinds:
                items += [(f"{product} {k}", 1) for k in kinds]
            else:
                items.append((f"{product} {mix}".strip(), int(times) if times else 1))
        return name, items, body[m.end():].strip()
    return None


def _product(menu_line: str) -> str:
    m = _RE_MENU_NAME.match(menu_line.strip())
    return m.group(0) if m else menu_line.strip()


def joins(body: str) -> bool:
    """Whether a line joins numbers with `+` (`1+2+3`), the sign of a chain ordering by number."""
    return bool(_RE_JOIN.search(body))


def apply(entries: list[tuple[ChainEntry, str]], menu: dict[int, str]) -> None:
    """Re-read the entries of a chain that orders by menu number (in place)."""
    if len(menu) < MENU_MIN:  # `1. 成人 100元 2. 儿童 50元`, then `张三 2+1`: more likely 2 adults + 1 child
        return
    readings = [(e, read(body, menu)) for e, body in entries]
    if sum(1 for (e, r), (_, body) in zip(readings, entries) if r and len(r[1]) >= 2 and joins(body)) < 2:
        return
    for e, r in readings:
        if r is None:
            continue
        name, items, after = r
        e.name, e.items, e.qty, e.qty_explicit = name[:100], items, max(1, sum(n for _, n in items)), True
        e.note = " ".join(p for p in (after, e.note if not after else "") if p)[:500]
        e.hints = [h for h in e.hints if "数量" not in h]
        e.hints.append("按菜单编号读取（" + "、".join(p for p, _ in items) + "），请核对")
