"""The perk a gift promise owes one order, in a few words for the counter (pure).

"前50名还送老李亲笔签名的《有机生活手札》！" → 送《有机生活手札》; "前50名送手札" → 送手札;
"买两罐送一个辅食碗" → 送一个辅食碗; "下单就赠小香葱一把" → 赠小香葱一把; "再多给一个大礼包" →
送一个大礼包. A title in 《》 is
the thing itself; otherwise the words after 送/赠 up to the end of the clause. Words with
no 送/赠 are shortened to MAX_LABEL characters.
"""
from __future__ import annotations

import re

MAX_LABEL = 16

_TITLE = re.compile(r"《[^》]{1,20}》")
_GIVE = re.compile(
    r"(?<![配运寄派递])(附赠|加赠|赠送|多送|送|赠|(?:多|再|额外|免费|另外)给)(?!到|达|货|至|上门|过去|回)\s*([^，。！!,;；？?\s~～]{1,20})"
)
_TRAIL = re.compile(r"[哦哈呀啊吧呢了的嘛]+$")


def perk_label(text: str) -> str:
    """The perk in a few words (送《有机生活手札》, 送手札), see the module doc."""
    text = " ".join((text or "").split())
    give = _GIVE.search(text)
    verb = "赠" if give and "赠" in give.group(1) else "送"
    title = _TITLE.search(text)
    if title:
        return f"{verb}{title.group(0)}"[:MAX_LABEL]
    if give:
        what = _TRAIL.sub("", give.group(2)) or give.group(2)
        return f"{verb}{what}"[:MAX_LABEL]
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"
