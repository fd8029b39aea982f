"""Orders by menu number: in a chain whose header numbers a priced menu (`2. 生巧焦糖香蕉布丁小方
22.9`), members order by those numbers (`Angia 2 + 3 + 5 + 8（抹茶/黑芝麻/巧克力/焙茶）`).

Pure functions, no database; services.jielong.parser calls `apply`. Rules (stated in
tests/data/real/README.md):
- the chain orders by menu number when its menu has three or more items and two or more of its entries join menu numbers with `+`
  (`1+2+3`, `4➕11`), or one entry joins three or more (`numCust 2+4+10+5`; one `张三 2+1` is still a sum); then every entry that names menu numbers is read that way, a lone one too
  (`Rain 13` is one of item 13, not 13 of something);
- each number is one item of 1; `11x2` / `11*3` / `2✖️2` is that many; a flavour bracket joined with `+`
  names that many boxes (`1（原味+咸蛋黄+奶贝+芋泥）` → 4), one with `/` is one box's mix;
- the name is what stands before the first number (`🔆7` → `🔆`); what follows the numbers is note.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from services.jielong.quantities import UNITS, same_product

if TYPE_CHECKING:
    from services.jielong.parser import ChainEntry

MENU_MIN = 3
JOIN_MANY = 3  # menu numbers one entry joins that show the chain orders by number on their own
_BRACKET = r"[(（]([^()（）]*)[)）]"
_REF = (
    rf"(?:[^\W\d_]{{1,6}}的)?(?<![\d.])(\d{{1,2}})(?![\d.])(?!\s*{UNITS})"
    rf"(?:\s*(?![xX×✖]\s*\d)[^\W\d_]+)?(?:\s*{_BRACKET})?(?:\s*(?:[xX×*]|✖\ufe0f?)\s*(\d{{1,2}}))?"
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


def read_all(out: list[ChainEntry], entries: list[tuple[ChainEntry, str]], menu: dict[int, str]) -> list[ChainEntry]:
    """The entries of a chain with a numbered menu re-read by number (`apply`) and by name (`by_name`),
    without the seller's own example line (`seller_example`)."""
    apply(entries, menu)
    by_name(entries, menu)
    example = seller_example(entries, menu)
    return [e for e in out if e is not example]


_RE_SHOP = re.compile(r"(?i)(?:sweets|bakery|bake|cafe|café|kitchen|studio|store|shop|desserts?|烘焙|甜品|小铺|小店|工作室|私房)$")


def seller_example(entries: list[tuple[ChainEntry, str]], menu: dict[int, str]) -> ChainEntry | None:
    """`1. Lumi Sweets 1+2+3` right under a numbered menu, with or without orders after it (a chain just
    opened): the shop shows how to order (a shop's name: …Sweets, …Bakery, …烘焙, …甜品, …小铺); a member's
    nickname is not taken so, nor the shop's line further down (a real order)."""
    if len(menu) < 2 or not entries or entries[0][0].seq != 1:
        return None
    first = entries[0][0]
    return first if _RE_SHOP.search(first.name.strip()) and len(first.name.strip()) > 3 else None


def by_name(entries: list[tuple[ChainEntry, str]], menu: dict[int, str]) -> None:
    """`Alice 焦糖泡芙，泰奶泡芙` under a numbered menu: products of the menu named apart by commas or
    `、` are one of each (in place). Every part must name a menu product (`3栋，少辣` does not)."""
    products = [_product(line) for line in menu.values()]
    if len(products) < 2:
        return
    for e, body in entries:
        at = body.find(e.name) if e.name and not e.items and not e.qty_explicit else -1
        parts = [p.strip() for p in _RE_LIST_SEP.split(body[at + len(e.name):])] if at >= 0 else []
        if len(parts) < 2 or not all(p and not _RE_DIGIT.search(p) and any(same_product(p, m) for m in products) for p in parts):
            continue
        e.items, e.qty, e.qty_explicit = [(p, 1) for p in parts], len(parts), True
        e.note = _RE_LIST_SEP.sub(" ", e.note)
        e.note = " ".join(w for w in e.note.split() if w not in parts)[:500]
        e.hints.append("按商品名读取（" + "、".join(parts) + "），请核对")


_RE_LIST_SEP = re.compile(r"[，,、；;]")
_RE_DIGIT = re.compile(r"\d")


def apply(entries: list[tuple[ChainEntry, str]], menu: dict[int, str]) -> None:
    """Re-read the entries of a chain that orders by menu number (in place)."""
    if len(menu) < MENU_MIN:  # `1. 成人 100元 2. 儿童 50元`, then `张三 2+1`: more likely 2 adults + 1 child
        return
    readings = [(e, read(body, menu)) for e, body in entries]
    joined = [len(r[1]) for (e, r), (_, body) in zip(readings, entries) if r and len(r[1]) >= 2 and joins(body)]
    if len(joined) < 2 and not any(n >= JOIN_MANY for n in joined):  # one `2+4+10+5` is sign enough; one `2+1` is not
        return
    for e, r in readings:
        if r is None:
            continue
        name, items, after = r
        e.name, e.items, e.qty, e.qty_explicit = name[:100], items, max(1, sum(n for _, n in items)), True
        e.note = " ".join(p for p in (after, e.note if not after else "") if p)[:500]
        e.hints = [h for h in e.hints if "数量" not in h]
        e.hints.append("按菜单编号读取（" + "、".join(p for p, _ in items) + "），请核对")
