"""Whether a clause of a host line asks or requests rather than states (services.promises.rules).

Viewers' comments are never the host's promise, yet they name the same goods and terms: 什么时候打折,
退货运费谁出, 保修多久, 送点赠品呗. A clause that asks or asks the seller for something promises nothing
by itself; a host's rhetorical question answered at once (包邮吗？包邮！) is read as the answer affirms.
"""
from __future__ import annotations

import re

__all__ = ["CLAUSE", "affirmed", "answers_itself", "asks", "only_asks"]

# A clause ends at punctuation, or after 吗 when more words follow (an unpunctuated transcript:
# 这个可以退吗我也不知道 asks, then states).
CLAUSE = re.compile(r"[^，,。！!；;？?\n…~～：]+?(?:吗(?=[\u4e00-\u9fff])|[，,。！!；;？?…~～：]+|$)")
# A buyer's question or request is no promise by itself (什么时候打折, 退货运费谁出, 包邮不, 送点赠品呗,
# 给个优惠价, 麻烦帮我备注): it ends as a question (？, 吗/嘛/么, a final 不/没, 呢 or 啊 after a question
# word), asks with a question word, or asks the seller for something. A host's rhetorical question
# is its own clause (包邮吗？包邮！): the answer after it still drafts.
ASK_END = re.compile(r"(?:[？?]|[吗嘛么]|(?<![绝决从并也都就])[不没]|呗)[\s，,。！!…~～]*$")
_ASK_WORD = re.compile(r"什么时候|多久|多少钱?|(?<![前头首])几(?:号|点|天|时|个|件|钱)|谁|哪(?!怕)|怎么(?!样)|能不能|可不可以|是不是|有没有|要不要|是否")
# ...unless the question word is indefinite (什么时候下单都送, 谁先拍谁先得, 差多少补多少), embedded (教你怎么吃,
# 看看是哪位幸运的宝宝) or rhetorical with a statement's end (咱们这边是不是官方旗舰店的。).
_INDEFINITE = re.compile(r"(什么时候|多久|多少|几|谁|哪|怎么)[^，。！,!；;]*\1|(?:什么时候|多久|多少|几|谁|哪|怎么|有没有|要不要)[^，。！,!；;]*[都也]|(?:无论|不管|不论|随便|随时)|"
    r"(?:教|演示|展示|告诉|说一下|看看|看下|看一下|猜猜|知道)[^，。！,!；;]{0,4}(?:什么|多|几|谁|哪|怎么|是不是|有没有)|的[。！!]\s*$")
# A question embedded after a verb of finding out, with no question mark (免费帮你看看路由器放对位置没, 我帮你算算
# 哪档划算, 看看你家宽带到底跑多少): the speaker offers to find it out, nobody is asked.
_EMBEDDED = re.compile(r"(?:看看|看下|看一下|算算|算一下|查查|查一下|测测|测一下)[^，,。！!；;？?]{0,12}"
                       r"(?:什么|多少|几|谁|哪|怎么|是不是|有没有|[不没][\s。！!，,…~～]*$|合不合|对不对)")
_BUYER_ASKS = re.compile(r"^\s*(?:老板|主播|亲)?[，,\s]*(?:给个|给点|给我|麻烦)|帮我(?!们)|[能可][^，。！,!；;]{0,8}[吗嘛么]\s")


def asks(clause: str) -> bool:
    """Whether a clause asks or requests rather than states (see ASK_END). Words before a space
    that end a question (还能再便宜点吗 包邮不) are judged apart from what follows."""
    text = re.sub(r"^.*[吗嘛么？?]\s+", "", clause.strip())
    if not text:
        return True
    if _BUYER_ASKS.search(text):
        return True
    if _EMBEDDED.search(text) and not re.search(r"[？?吗嘛么]", text):
        return False
    if ASK_END.search(text):
        return True
    return bool(_ASK_WORD.search(text)) and not _INDEFINITE.search(text)


def only_asks(line: str) -> bool:
    """Whether every clause of a line asks or requests (a viewer's question, no answer in it)."""
    clauses = [m.group(0) for m in CLAUSE.finditer(line) if m.group(0).strip(" ，,。！!；;…~～：")]
    return bool(clauses) and all(asks(c) for c in clauses)


# A short answer to the clause before it (送！, 包邮！, 对，, 有的): the host affirms what was asked.
_ANSWER = re.compile(r"^\s*(?:对|是的?|有的?|没错|当然|必须|肯定|送|包邮|包|能|可以|行)[的啊呀哦哈！!。，,～~\s]*$")
# A-not-A and question tails that turn into the statement (要不要送 → 要送, 是不是 → 是, 包邮吗 → 包邮).
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
_TAIL = re.compile(r"(?:[吗嘛么呢]|好不好|行不行|对不对)?[\s？?！!。，,～~]*$")


def affirmed(question: str, answer: str) -> str:
    """The statement a rhetorical question makes when the next clause answers yes, else ""."""
    if not _ANSWER.match(answer) or asks(answer):
        return ""
    text = _TAIL.sub("", _A_NOT_A.sub(r"\1", question))
    return "" if asks(text) else text + "，"


def answers_itself(line: str) -> bool:
    """Whether the line asks the room and answers yes at once (要不要送你们一个？送！): a selling
    device, so the offer in it is made to buyers even with no goods named."""
    found = [m.group(0) for m in CLAUSE.finditer(line)]
    return any(asks(q) and affirmed(q, a) for q, a in zip(found, found[1:]))
