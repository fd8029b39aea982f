"""Which deal a host's line is about, from the product names the line mentions.

Hosts name a product the way people do: by a part of it (丹东红颜草莓 → 草莓, 赣南脐橙 → 脐橙).
A deal is named when its product name, or a part of it at least two characters long that no
other deal of the show shares, appears in the line; the longest such part wins. Words every
product may carry (新鲜, 有机, 礼盒 …) and specs (5斤装, 500g) never name a deal by themselves.
A variety names its kind too (`variety_head`): 甜橙, 脐橙, 血橙, 橙 and 橙子 are all oranges, so a
line saying 甜橙 names the deal 橙子 and the other way round; the kind is one character (橙), the
one part shorter than two characters that names a deal.
Pure functions: no database, no Streamlit. Used by promises (the deal a host line is about) and by the reply templates.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.kinds import VARIETY_HEADS, kind_at, product_core as _core, variety_head

# Words that describe any product: they tell no deal from another.
_GENERIC = re.compile(
    r"新鲜|有机|精品|精选|特级|特价|进口|国产|冷冻|冰鲜|现摘|现采|礼盒|家庭装|尝鲜装|套装|包邮|团购|社区|直播|福利|"
    r"正宗|原产|产地|当季|应季|农家|土|大果|小果|中果|特大|[一二三四五六七八九十\d]+"
)
MIN_PART = 2
# What follows 送 / 赠 is the gift, not the deal: 满两份送砂糖橘 said while selling 脐橙.
_GIFT_TAIL = re.compile(r"(?:赠送|附赠|加赠|送|赠)[^，。！,!；;]*")


@dataclass(frozen=True)
class DealMention:
    """The deal a line names (None when it names none) and the other deals it also names."""

    deal_id: int | None
    others: tuple[int, ...] = ()


def _parts(core: str) -> set[str]:
    """Every part of the name at least MIN_PART characters long that is not a generic word."""
    out = set()
    for i in range(len(core)):
        for j in range(i + MIN_PART, len(core) + 1):
            part = core[i:j]
            if not _GENERIC.fullmatch(part) and not re.fullmatch(r"[\W_]+", part):
                out.add(part)
    return out


def name_parts(deals: Sequence[tuple[int, str]]) -> dict[int, list[str]]:
    """For each deal id, the parts of its product name that name it alone, longest first."""
    parts = {deal_id: _parts(_core(product)) | _kind(product) for deal_id, product in deals}
    shared: dict[str, int] = {}
    for ps in parts.values():
        for p in ps:
            shared[p] = shared.get(p, 0) + 1
    return {d: sorted((p for p in ps if shared[p] == 1), key=len, reverse=True) for d, ps in parts.items()}


def _kind(product: str) -> set[str]:
    """The kind a variety names (橙 for 甜橙 and for 橙子), as a part of one character."""
    head = variety_head(product)
    return {head} if head else set()


def mentioned(text: str, parts: dict[int, list[str]]) -> DealMention:
    """The deal whose name (or a part of it) the text mentions first (a gift named after 送 does
    not count); ties on position go to the longer part. Other deals named too are listed, so the
    caller can say so."""
    text = _GIFT_TAIL.sub(lambda m: "＿" * len(m.group(0)), text)
    found: list[tuple[int, int, int]] = []  # (position, -length, deal id)
    for deal_id, ps in parts.items():
        hits = [(at, -len(p)) for p in ps if (at := _find(text, p)) >= 0]
        if hits:
            pos, neg_len = min(hits)
            found.append((pos, neg_len, deal_id))
    if not found:
        return DealMention(None)
    found.sort()
    return DealMention(found[0][2], tuple(d for _, _, d in found[1:]))


def _find(text: str, part: str) -> int:
    """Where a part stands in the text: a one-character kind only where it is the kind."""
    if len(part) == 1 and part in VARIETY_HEADS:
        return kind_at(text, part)
    return text.find(part)
