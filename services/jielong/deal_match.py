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

# Words that describe any product: they tell no deal from another.
_GENERIC = re.compile(
    r"新鲜|有机|精品|精选|特级|特价|进口|国产|冷冻|冰鲜|现摘|现采|礼盒|家庭装|尝鲜装|套装|包邮|团购|社区|直播|福利|"
    r"正宗|原产|产地|当季|应季|农家|土|大果|小果|中果|特大|[一二三四五六七八九十\d]+"
)
_SPEC = re.compile(r"[\d.]+\s*(?:斤|公斤|kg|KG|g|克|两|ml|毫升|L|升|个|只|枚|颗|盒|箱|袋|包|瓶|罐|件|份)\S*|[（(【\[].*?[）)】\]]")
MIN_PART = 2
# What follows 送 / 赠 is the gift, not the deal: 满两份送砂糖橘 said while selling 脐橙.
_GIFT_TAIL = re.compile(r"(?:赠送|附赠|加赠|送|赠)[^，。！,!；;]*")


# Kinds named by one character after the variety (甜橙, 水蜜桃, 香梨), and written with 子 alone
# (橙子, 桃子, 梨子), each with the characters before it that make another product: 樱桃, 核桃,
# 猕猴桃 are no 桃子, 凤梨 (pineapple) and 油梨 (avocado) no 梨子, 金橘 (kumquat) no 橘子, 银杏 no
# 杏子. Heads shared by unlike products stay out: 果 (苹果/芒果), 瓜 (西瓜/黄瓜), 莓 (草莓/蓝莓),
# 米, 肉, 菜, 茶. Two-character kinds need no rule: 草莓 is a part of 奶油草莓 already.
VARIETY_HEADS: dict[str, str] = {
    "橙": "", "柚": "", "橘": "金", "桔": "金", "柑": "", "梨": "凤油", "桃": "樱核猴杨胡", "枣": "",
    "李": "", "杏": "银", "柿": "", "栗": "",
}
# After the kind's character, these make another product or no product: 橙汁 (juice), 橙色
# (a colour), 橙味 (a flavour), 桃花, 梨花. A deal named 橙汁 has no kind (its last character is
# 汁), so a line about 甜橙 never names it; a line about 橙汁 names the deal 橙汁 by its own
# two-character part, which is longer than the kind and wins the tie (`mentioned`).
_NOT_KIND_AFTER = "汁色味花酱膏粉"


def variety_head(product: str) -> str:
    """The one-character kind a product name ends with (甜橙 → 橙, 橙子 → 橙, 赣南脐橙 → 橙,
    水蜜桃 → 桃), "" when it has none or the character before it makes another product
    (樱桃, 凤梨) or the name is generic (苹果, 西瓜: see VARIETY_HEADS)."""
    core = re.sub(r"[\W\d_]+", "", _core(product))
    core = core[:-1] if len(core) >= 2 and core[-1] in "子儿" else core
    head = core[-1:]
    if head not in VARIETY_HEADS:
        return ""
    before = core[-2:-1]
    return "" if before and before in VARIETY_HEADS[head] else head


def same_kind(a: str, b: str) -> bool:
    """Whether two product names are one kind by their one-character head (甜橙 / 橙子 / 脐橙)."""
    head = variety_head(a)
    return bool(head) and head == variety_head(b)


def _kind_at(text: str, head: str) -> int:
    """Where the kind's character first stands in the text as the kind (not in 橙汁, 樱桃), or -1."""
    for m in re.finditer(re.escape(head), text):
        after = text[m.end():m.end() + 1]
        before = text[m.start() - 1:m.start()] if m.start() else ""
        if after not in _NOT_KIND_AFTER or not after:
            if not (before and before in VARIETY_HEADS[head]):
                return m.start()
    return -1


@dataclass(frozen=True)
class DealMention:
    """The deal a line names (None when it names none) and the other deals it also names."""

    deal_id: int | None
    others: tuple[int, ...] = ()


def _core(product: str) -> str:
    """The product name without specs and brackets: 丹东红颜草莓（5斤装） → 丹东红颜草莓."""
    return re.sub(r"\s+", "", _SPEC.sub("", product or ""))


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
        return _kind_at(text, part)
    return text.find(part)
