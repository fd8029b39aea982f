"""Product kinds (pure text, no database): the name of a product without its specs, and the kind a
variety names. A variety names its kind: 甜橙, 脐橙, 血橙, 橙 and 橙子 are all oranges, so a line
saying 甜橙 is about the deal 橙子 and the other way round (services.jielong.deal_match, the
chain's items in services.jielong.quantities, the triage focus in services.triage.grouping).
A kernel module: jielong and triage both read it, and triage may not import jielong.
"""
from __future__ import annotations

import re

_SPEC = re.compile(r"[\d.]+\s*(?:斤|公斤|kg|KG|g|克|两|ml|毫升|L|升|个|只|枚|颗|盒|箱|袋|包|瓶|罐|件|份)\S*|[（(【\[].*?[）)】\]]")


def product_core(product: str) -> str:
    """The product name without specs and brackets: 丹东红颜草莓（5斤装） → 丹东红颜草莓."""
    return re.sub(r"\s+", "", _SPEC.sub("", product or ""))


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
    core = re.sub(r"[\W\d_]+", "", product_core(product))
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


def kind_at(text: str, head: str) -> int:
    """Where the kind's character first stands in the text as the kind (not in 橙汁, 樱桃), or -1."""
    for m in re.finditer(re.escape(head), text):
        after = text[m.end():m.end() + 1]
        before = text[m.start() - 1:m.start()] if m.start() else ""
        if after not in _NOT_KIND_AFTER or not after:
            if not (before and before in VARIETY_HEADS[head]):
                return m.start()
    return -1
