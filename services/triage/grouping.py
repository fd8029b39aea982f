"""Paraphrase matching: a comment's signature, the similarity of two signatures, and the
Matcher that groups a night's questions (pure over the active lexicon; no database).

signature: the sorted set of concepts (真伪, 退, 何时, 发货, 鸡蛋 …, from the lexicon's concept table)
plus the remaining content words (the text cut at stop words: particles, fillers, greetings, forms
of address; counts in words dropped). Typos and near-homophones are fixed first (lexicon.fix_typos),
and a short comment that is nothing but a slip of a concept (诱惑吗, youhuo吗 → 有货) is read as it.
The question's form adds two generic tokens: #是否 for a yes/no question (发货了吗, 甜不甜, 有没有优惠)
and #已然 for "has it been done" on an action concept (发货了吗, 付款了没: lexicon action_concepts).
#是否 only counts against another generic concept (发货了吗 ≠ 什么时候发货; 包邮吗 = 运费多少);
#已然 on one side only is another question (付款了吗 ≠ 怎么付款). Beside an action concept, #方式 (怎么退货)
and #请求 (我要退货) are generic too: how, and a request, are neither whether (能退吗); a choice between
items is #比较 (哪个便宜点 ≠ 能便宜多少).
The concept table (lexicon.json concepts, sources in concepts_doc) names each product on its own
(芒果 ≠ 草莓), and the qualifiers that change a question (冷冻, 速度, 截止, 激素, 到货, 物流信息 …);
single characters are no concept names (鱼哥 is no fish, 贵州 no price), and a plain word holding
one of the older one-character concepts (提前, 号码, 头发: lexicon.json concepts "=") is read whole. Questions to a live host have
concepts of their own (年龄, 老家, 结婚, 下播, 游戏名, 吃什么, 所在 …: 你多大了 = 今年几岁 = 属什么的); a name asked
of another thing named (这首歌叫什么名字) is that thing's, and body measurements beside a size question
(身高170穿什么码) are the asker's data, not another question (_CONTEXT), as is ordering beside a
delivery or stock question (下单后几天到货); asked when, delivering or receiving
is arriving (多久能送到 = 几号收到 = 几号能到), the shipping day (什么时候发货) another question;
beside a refund (退) arriving is the money's (退款几天能到 = 退款多久到账: 到账, not a parcel's 到货).
Slot fillers (lexicon.json slot_fillers: a province, a season, a colour, a size, a game, a day of
the week, a number with its unit) add '@type=value' tokens: two signatures naming different
fillers of one slot never match (四川哪里的 ≠ 重庆哪里的: SLOT_CONFLICT), and a filler on one side
only leaves the words nothing (ONE_SIDED_FILLER). A defect with a remedy asked
(坏果怎么办, 烂了赔不赔) reads as 处理 (_remedy), when it showed is a slot (@阶段: on arrival, 收到坏的, is
not in use, 拍摄中坏了: _phase, lexicon.json defect_phases_doc), and a thing asked to be given (网盘, 群聊) drops its
where / yes-no / link forms (_resource): lexicon.json remedy_doc and resource_doc. Whether an event
still to come will happen asks when (还会再上吗 = 什么时候补货: future_doc); a when-question ending in
的 asks about the past (什么时候开播的: #过去); a delivery asked for a near day asks how fast
(今天能发吗 = 发货速度快吗: soon_doc).

similarity (0..100): different objects (鸡蛋 vs 奶粉), or an object on one side only, never match;
forms of address (主播, 你, 姐姐) weigh nothing. The concepts weigh 3/4 (same set 95, same once
generic concepts are set aside GENERIC_DIFF, one inside the other SUBSET, unless the extra ones
share a family with the other side's (价格/优惠/便宜: lexicon concept_families) and no generic
concept differs, then GENERIC_DIFF; else their Dice overlap), the remaining words 1/4 (fuzzy;
words on one side only ONE_SIDED_WORDS when a specific concept is shared, 0 when both ask only a
question word: 多久 is not 什么时候回南京呀; an offer asked on two conditions, 0: 老客户有优惠吗 is not
老带新有优惠吗, lexicon.json condition_doc; a thing waived on one side only, 0: 可以免押金吗 is not
押金多少, _waived). With no concepts at all: one wording inside the other
(token set ratio) when they share two characters or more, else the fuzzy ratio of the words.
Cutoffs: 5-fold cross-validation over the tune clusters (python -m bench paraphrase_cv), at a tune
precision floor of 0.98 so that 0.95 holds on clusters not tuned on.
A product-less question (多少钱) never joins
a product's group (鸡蛋多少钱) unless the deal in focus names it (Matcher.focused). Known limit: a
product the lexicon does not know (牛轧糖) is only a word, so 牛轧糖甜吗 can join 甜吗 (牛轧糖多少钱
stays apart from 多少钱: a question word alone shares nothing). A question
re-asked after its group was answered joins (and so reopens) that group: services.triage.matchers
keeps answered groups in the matcher.

Questions of any question category match each other (a paraphrase the classifier reads as
another category is still the same question); a comment read as chatter joins a question group
only when it is worded as a question (a question marker: 这歌叫啥呀) and its topic is specific,
and such a comment that starts a group is found by later questions too (Matcher.add).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process

from services.kinds import variety_head
from services.triage import lexicon as lexmod
from services.triage.labels import Category

_BRACKET_EMOJI = re.compile(r"\[[^\[\]\s]{1,4}\]")  # WeChat [玫瑰] [强]
_NON_TEXT = re.compile(r"[^\w?]+", re.UNICODE)  # punctuation, emoji, spaces (keep ?)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL = re.compile(r"[一二两三四五六七八九十百千万]+")  # a count said in words (十个) is no topic


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, WeChat emoticons, emoji, punctuation and spaces dropped."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = _BRACKET_EMOJI.sub(" ", t)
    t = t.replace("？", "?")
    t = _NON_TEXT.sub("", t.replace("_", ""))
    return re.sub(r"\?+", "?", t)



# --- signatures and paraphrase matching ----------------------------------------------------

# a yes/no question: a question particle at the end (发货了吗, 能退不) or A-not-A (甜不甜, 有没有优惠)
_YES_NO = re.compile(r"(?:(?<![什怎那这多])[吗嘛么呗]|[不没]|没有|了没|莫得|没得)$|(.)[不没]\1")
YES_NO = "#是否"  # a generic concept token (lexicon.json generic_concepts), set by the question's form
# has it been done: 了 + a question particle right after an action concept (发货了吗, 付款了没)
_DONE = re.compile(r"了(?:吗|嘛|么|没|没有|没得|莫得)$")
DONE = "#已然"  # on one side only: another question (付款了吗 ≠ 怎么付款, 下单了吗 ≠ 在哪下单)


# how it is done, beside an action concept (怎么退货, 如何取消): not whether it can be (能退吗); 怎么还没 asks why
_HOW = re.compile(r"(?:怎么|怎样|如何|咋)(?!还|没|不|回事|了|样|这么|那么|会|可能|就|又|才)")
HOW = "#方式"
# a request that the shop do it (我要退货, 帮我申请退款): neither whether it can be done nor how
_REQUEST = re.compile(r"(?:请|麻烦)?(?:我要|我想要|帮我|给我)")
REQUEST = "#请求"
# a choice between items (哪个便宜点, 这款跟上一款比哪个好): not a question about one (能便宜多少)
_WHICH = re.compile(r"哪一?[个种款样](?:更|比较|最|好|便宜|划算|实惠)|比.{0,4}哪一?[个种款样]")
# 是…的: a when-question ending in 的 asks about the past (什么时候开播的, 哪天买的)
_PAST = re.compile(r"(?:什么时候|啥时候|几时|哪天|哪年|几点|多久).*的[呀啊呢]?$")
NAME = "#名字"  # a name asked of something else named in the comment (歌, a product) is that thing's
# concepts that are only the asker's data beside another: body measurements in a size question
# and ordering beside a delivery or stock question (下单后几天到货, 今天下单能当天发货吗, 商品链接有货吗)
_CONTEXT = {"#尺码": ("#身高", "#体重", "#重量"), "#发货": ("#购买",), "#到货": ("#购买", "#快递"), "#库存": ("#购买",)}
# asked when, delivering or receiving is arriving (多久能送到 = 几天能收到 = 几号能到; the shipping day,
# 什么时候发货, stays its own question as tests/data/paraphrases.tsv keeps ship_when and arrive_days)
_RECEIVES = re.compile(r"收到|送到|送达")


def _tokens(t: str, lex: lexmod.Lexicon) -> list[str]:
    """Concept tokens for the lexicon concepts found in t; the rest is cut at stop words
    (吗, 的, 怎么, 主播 …) into content words. A longest-first alternation does the cutting,
    which for these short lines segments as well as a dictionary segmenter and costs microseconds."""
    out: list[str] = []
    rest: list[str] = []
    pos = 0
    rx = lex.concept_re
    if rx is not None:
        for m in rx.finditer(t):
            canon = lex.concept_of[m.group(0)]
            if canon == "=":
                continue  # a plain word (头发, 提前, 号码): no concept inside it, it stays a content word
            rest.append(t[pos : m.start()])
            if canon != "_":  # "_" lists phrases that carry no meaning (有哪些, 哪个 …)
                out.append("#" + canon)
            pos = m.end()
    rest.append(t[pos:])
    if out and out[-1][1:] in lex.action_concepts and _DONE.fullmatch(t[pos:]):
        out.append(DONE)
    if any(x[1:] in lex.action_concepts for x in out):
        if any(_HOW.search(p) for p in rest):
            out.append(HOW)  # 怎么申请退款 asks how, 支持七天无理由退货吗 whether (a generic concept)
        elif _REQUEST.match(t) and not _YES_NO.search(t):
            out.append(REQUEST)  # 我要退货 asks the shop to do it
    for piece in rest:
        if not piece:
            continue
        for w in lex.cut(piece):
            if w and not w.isdigit() and not _NUMERAL.fullmatch(w):
                out.append(w)
    return out


_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万]+")


def _cn_int(s: str) -> str:
    """一百二十 -> 120, 两 -> 2, 十五 -> 15 (a count said in words, as digits)."""
    total, cur = 0, 0
    for ch in s:
        if ch in _DIGIT:
            cur = _DIGIT[ch]
        else:
            total += (cur or 1) * _UNIT[ch]
            cur = 0
    return str(total + cur)


def _fillers(t: str, lex: lexmod.Lexicon) -> set[str]:
    """Slot fillers named in t (lexicon.json slot_fillers: a province, a season, a colour, a size,
    a game, a number with its unit): '@type=canonical' tokens; canonical '_' names none (多大码)."""
    out: set[str] = set()
    rx = lex.filler_re
    if rx is not None:
        out.update(lex.filler_of[m.group(0)] for m in rx.finditer(t))
    for prx, kind in lex.slot_res:
        for m in prx.finditer(t):
            value = _CN_NUMBER.sub(lambda n: _cn_int(n.group(0)), m.group(0)).replace("个", "")
            out.add(f"@{kind}={value}")  # 两个小时 = 2小时
    return {x for x in out if not x.endswith("=_")}


def _remedy(toks: set[str], lex: lexmod.Lexicon) -> set[str]:
    """A defect with a remedy asked for (坏果怎么办, 烂了赔不赔, 能不能改尺码) or stated bare (鸡蛋碎了)
    asks what will be done: the remedy and the yes/no form read as 处理 (lexicon.json remedy_doc)."""
    concepts = {x[1:] for x in toks if x.startswith("#")}
    if not concepts & lex.defect_concepts:
        return toks
    remedies = concepts & lex.remedy_concepts - lex.defect_concepts
    if YES_NO in toks and not remedies and not concepts & lex.defect_concepts & lex.remedy_concepts:
        return toks  # 会不会碎: whether it breaks, not what now
    drop = {"#" + c for c in remedies} | {YES_NO}
    return (toks - drop) | {"#处理"}


def _phase(toks: set[str], t: str, lex: lexmod.Lexicon) -> set[str]:
    """Beside a defect, when it showed is a slot (@阶段: lexicon.json defect_phases_doc): found on
    arrival (收到坏的怎么处理) is not come in use (拍摄中坏了怎么办)."""
    rx = lex.phase_re
    if rx is None or not any(x[1:] in lex.defect_concepts for x in toks if x.startswith("#")):
        return toks
    return toks | {lex.phase_of[m.group(0)] for m in rx.finditer(t)}


_RESOURCE_FORMS = frozenset((YES_NO, "#地点", "#购买"))


def _resource(toks: set[str], lex: lexmod.Lexicon) -> set[str]:
    """有网盘吗 = 网盘地址是多少 = 网盘链接发一下: beside a thing asked to be given (lexicon.json
    resource_doc) the where / yes-no / link forms and attribute words (地址, 链接) say nothing more."""
    if not any(x[1:] in lex.resource_concepts for x in toks if x.startswith("#")):
        return toks
    return {x for x in toks if x not in _RESOURCE_FORMS and x not in lex.resource_words}


@lru_cache(maxsize=50_000)
def _signature_cached(text: str, version: tuple) -> str:
    lex = lexmod.active()
    t = lex.fix_whole(lex.fix_typos(normalise(text)).replace("?", ""))
    toks = set(_tokens(t, lex)) | _fillers(t, lex)
    if "#何时" in toks and _RECEIVES.search(t):
        toks = (toks - {"#配送"}) | {"#到货"}
    if "#退" in toks and "#到货" in toks:
        toks = (toks - {"#到货"}) | {"#到账"}  # 退款几天能到 = 退款多久到账: money arrives, not a parcel
    for asked in [x for x in _CONTEXT if x in toks]:
        toks.difference_update(_CONTEXT[asked])  # 身高170穿什么码: the asker's data, the question is the size
    if "#尺码" in toks:
        toks = {x for x in toks if not x.startswith("@数量=")}  # 120斤 / 130斤穿什么码: one question
    if NAME in toks and any(x != NAME and x[1:] not in lex.generic_concepts for x in toks if x.startswith("#")):
        toks.discard(NAME)  # 这首歌叫什么名字 asks the song's name: the song, not the host's name
    if _YES_NO.search(t) and any(x[1:] not in lex.generic_concepts and x[1:] not in lex.address_concepts
                                 for x in toks if x.startswith("#")):
        toks.add(YES_NO)  # 发货了吗 asks whether, 什么时候发货 asks when: not the same question
    if toks & lex.soon_words and any(x[1:] in lex.soon_concepts for x in toks):
        toks = (toks - lex.soon_words) | {"#速度"}  # 今天能发吗 asks how fast (soon_doc)
    if _WHICH.search(t):
        toks.add("#比较")  # 哪个便宜点 asks which, 能便宜多少 how much off
    if "#何时" in toks and _PAST.search(t):
        toks.add("#过去")  # 什么时候开播的 asks when it began, 几点开播 when it will
    toks = _resource(_remedy(_phase(toks, t, lex), lex), lex)
    if YES_NO in toks and DONE not in toks and any(x[1:] in lex.future_concepts for x in toks):
        toks = (toks - {YES_NO}) | {"#何时"}  # 还会再上吗 asks when it comes back (future_doc)
    toks = sorted(toks)
    return " ".join(toks)[:200] if toks else t[:200]


_ASKS_AT_END = re.compile(r"(?:了没|没有|莫得|没得|[吗嘛么呢呗不没?])$")


def asks(text: str, markers: float, sig: str = "") -> bool:
    """Worded as a question: the classifier's question markers, or a question-shaped ending
    (吃早餐了没, 有男朋友莫得) or a request (包个邮呗) that a comment read as chatter may still have;
    or a defect or a parcel's tracking stated bare (尺码选错了, 没有物流信息: lexicon.json
    remedy_doc), which asks what will be done."""
    if markers >= 1 or _ASKS_AT_END.search(normalise(text)):
        return True
    stated = lexmod.active().complaint_concepts  # defects and a parcel's tracking (没有物流信息)
    return any(t[1:] in stated for t in sig.split() if t.startswith("#"))


def signature(text: str) -> str:
    """The normalised key two paraphrases share: sorted concept tokens + content words."""
    return _signature_cached(text, lexmod.active().version)


def _clear_caches() -> None:
    _signature_cached.cache_clear()
    _split_cached.cache_clear()
    _slots.cache_clear()


lexmod.on_change(_clear_caches)

MATCH_CUTOFF = 80.0  # branch para6: chosen by paraphrase_cv once the FAQ tune rows joined (75 before)
GENERIC_DIFF = 80.0  # same specific concepts, generic ones (何时, 地点 …) on one side only
GENERIC_CONFLICT = 60.0  # same specific concepts, different generic ones on both sides
SUBSET = 50.0  # the specific concepts of one inside the other's: it asks something more
ONE_SIDED_WORDS = 40.0  # (20 before para6) the words' score when only one side has content words
ONE_SIDED_FILLER = 0.0  # … and they name a slot filler (红色有货吗 / 有货吗): a bare shared concept is not enough
RECENT = 400  # fuzzy matching looks at this many most recent groups of the category
SLOT_CONFLICT = 0.0  # each side names a different filler of one slot (lexicon.json slot_fillers)
CROSS_CUTOFF = 85.0  # a question read as another category must score this: the same concepts, words alike
QUESTION, CHATTER = "q", "c"  # matching buckets: any question category, chatter


def _split(sig: str, lex: lexmod.Lexicon) -> tuple[frozenset, frozenset, frozenset]:
    objects, concepts, words = set(), set(), set()
    for tok in sig.split():
        if tok.startswith("@"):
            continue  # a slot filler: _slots
        if tok.startswith("#"):
            if tok[1:] in lex.address_concepts:
                continue  # 主播, 你, 姐姐: who is asked says nothing about what is asked
            (objects if tok[1:] in lex.object_concepts else concepts).add(tok)
        else:
            words.add(tok)
    return frozenset(objects), frozenset(concepts), frozenset(words)


def _concept_score(ca: frozenset, cb: frozenset, generic: frozenset, kin: dict | None = None) -> float:
    if (DONE in ca) != (DONE in cb):
        return GENERIC_CONFLICT
    if (YES_NO in ca) != (YES_NO in cb) and not (ca | cb) - {YES_NO} & {"#" + g for g in generic}:
        ca, cb = ca - {YES_NO}, cb - {YES_NO}  # yes/no only tells apart from another generic (何时, 地点 …)
    if ca == cb:
        return 95.0
    # generic concepts (何时, 地点, 处理 …) only count when nothing more specific is there
    sa = frozenset(t for t in ca if t[1:] not in generic) or ca
    sb = frozenset(t for t in cb if t[1:] not in generic) or cb
    ga, gb = ca - sa, cb - sb
    if ga and gb and not (ga & gb):
        return GENERIC_CONFLICT  # "when" against "where": not the same question
    if sa == sb:
        return GENERIC_DIFF
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if small <= big:
        near = frozenset().union(*((kin or {}).get(t, (t,)) for t in small))
        # the extra concepts ask about the same thing (能便宜吗？有优惠吗？): the same question,
        # unless a generic concept on one side only changes what is asked (什么时候发货 ≠ 发什么快递)
        return GENERIC_DIFF if big <= near and ga == gb else SUBSET
    return 100.0 * 2 * len(sa & sb) / (len(sa) + len(sb))


def similarity(a: str, b: str, **_: object) -> float:
    """0..100: how likely two signatures ask the same thing (the module docstring says how)."""
    if a == b:
        return 100.0
    if _slot_conflict(a, b):
        return SLOT_CONFLICT  # 四川哪里的 ≠ 重庆哪里的, 主播春天怎么过 ≠ 主播冬天怎么过
    lex = lexmod.active()
    oa, ca, wa = _split_cached(a, lex.version)
    ob, cb, wb = _split_cached(b, lex.version)
    if oa and ob and not (oa & ob):
        return 0.0
    if bool(oa) != bool(ob):
        return 0.0  # "多少钱" is not "鸡蛋多少钱" unless the focus deal names 鸡蛋 (Matcher.focused)
    extra = _slots(a).keys() ^ _slots(b).keys()  # a slot filled on one side only (红色有货吗 / 有货吗)
    return _similarity(oa, ca, wa, ob, cb, wb, lex, bool(extra))


@lru_cache(maxsize=100_000)
def _slots(sig: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for tok in sig.split():
        if tok.startswith("@"):
            kind, _, value = tok[1:].partition("=")
            out.setdefault(kind, set()).add(value)
    return {k: frozenset(v) for k, v in out.items()}


def _slot_conflict(a: str, b: str) -> bool:
    """Each side names a filler of one type and they differ (四川 / 重庆, 春天 / 冬天, L码 / XL码):
    the same question about another thing is another question. A filler on one side only is no conflict."""
    if "@" not in a or "@" not in b:
        return False
    sa, sb = _slots(a), _slots(b)
    return any(k in sb and not (v & sb[k]) for k, v in sa.items())


def _modifier(words: frozenset) -> bool:
    """Content words beside the concepts that say which case is asked (老客户, 打包租): a word of two
    characters or more. A stray character (算, 出) is no modifier."""
    return any(len(w) >= 2 for w in words)


def _conditional(concepts: frozenset, lex: lexmod.Lexicon) -> bool:
    """An offer asked (优惠, 便宜: lexicon.json condition_doc): its modifiers say who gets it, on what terms."""
    return any(c[1:] in lex.condition_concepts for c in concepts)


def _share_two(wa: frozenset, wb: frozenset) -> bool:
    """Two characters in a row that a modifier of each side has (学生 / 学生证; not 租久 / 租过)."""
    a = {w[i : i + 2] for w in wa for i in range(len(w) - 1)}
    return any(w[i : i + 2] in a for w in wb for i in range(len(w) - 1))


def _shared_chars(words: frozenset, other: str) -> int:
    return len("".join(words & frozenset(other.split())))


def _asks_more(wa: frozenset, wb: frozenset) -> bool:
    """One side's words inside the other's plus a content word of two characters or more
    (主播这是mod么 / 主播mod怎么解压): it asks something more. A stray character (里) is no more."""
    small, big = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return small < big and any(len(w) >= 2 for w in big - small)


_WAIVE_RE = re.compile(r"(?:^| )免")


def _waived(wa: frozenset, wb: frozenset) -> bool:
    """A thing waived on one side only (免押金, 押金能免吗: a word starting with 免) and named on the
    other (押金多少): whether it can be waived is not what it costs. 包邮 / 免运费 are concept forms
    (运费), not words: 包邮吗 = 运费多少 as before."""
    ka, kb = (frozenset(w[1:] for w in x if w[0] == "免") for x in (wa, wb))
    if bool(ka) == bool(kb):
        return False
    things, other = ((ka - {""}) or wa - {"免"}, wb) if ka else ((kb - {""}) or wb - {"免"}, wa)
    return any(t in v or v in t for t in things for v in other)


def _plain_score(wa: frozenset, wb: frozenset) -> float:
    """Two signatures without concepts: one wording inside the other when the words they share
    have two characters or more (unless the other adds a content word: _asks_more), else how alike
    the words are as a whole; nothing when one waives what the other names (_waived)."""
    if _waived(wa, wb):
        return 0.0
    a, b = " ".join(sorted(wa)), " ".join(sorted(wb))
    if _shared_chars(wa, b) >= 2 and not _asks_more(wa, wb):
        return float(fuzz.token_set_ratio(a, b))
    return float(fuzz.token_sort_ratio(a, b))


def _similarity(oa, ca, wa, ob, cb, wb, lex, extra_slot: bool = False) -> float:
    if not ca and not cb:
        return _plain_score(wa | oa, wb | ob)
    if not ca or not cb:
        return 0.0
    base = _concept_score(ca, cb, lex.generic_concepts, lex.kin)
    if not any(t[1:] not in lex.generic_concepts for t in ca | cb):
        # only question words (何时, 原因): what is asked is in the words. 为什么啊 is not
        # 你为什么要取白纯纯啊, 什么时候回南京呀 not 那你几时回来深圳
        if not (wa or wb):
            return base
        return min(base, _plain_score(wa | oa, wb | ob)) if wa and wb else 0.0
    if wa and wb and _conditional(ca | cb, lex) and _modifier(wa) and _modifier(wb) and not _share_two(wa, wb):
        words = 0.0  # 老客户有优惠吗 / 老带新有优惠吗: who gets the offer, or on what terms, is what is asked
    elif wa and wb and _waived(wa, wb):
        words = 0.0  # 可以免运费险吗 / 运费险多少钱
    elif wa and wb:
        words = fuzz.token_set_ratio(" ".join(sorted(wa)), " ".join(sorted(wb)))
    else:
        # words on one side only: a little; nothing when they fill a slot the other leaves open
        words = (ONE_SIDED_FILLER if extra_slot else ONE_SIDED_WORDS) if wa or wb else 100.0
    return 0.75 * base + 0.25 * words


@lru_cache(maxsize=100_000)
def _split_cached(sig: str, version: tuple) -> tuple[frozenset, frozenset, frozenset]:
    return _split(sig, lexmod.active())


class Matcher:
    """Incremental grouping over the open groups of one show (or one list of texts).

    `match(category, sig, asks)` returns the key of the group a comment joins, or None;
    `add(category, sig, key)` registers a new group. Questions of every category match each
    other; chatter matches chatter, and a question group when `asks` (worded as a question) and
    its topic is specific. An exact signature is a dict lookup; otherwise only groups sharing a
    concept (an inverted index), or, for signatures without concepts, the RECENT newest groups
    are scored. Each distinct signature is scored at most once (the answer is cached).
    """

    def __init__(self, focus: str = "") -> None:
        self.lex = lexmod.active()
        # the products of the deal in focus: a product-less question ("多少钱") is about them
        self.focus = self._objects_of(focus) if focus else frozenset()
        self.exact: dict[tuple[str, str], object] = {}  # (bucket, signature) of every group's first asker
        self.found: dict[tuple[str, str, str], object] = {}  # fuzzy answers given, kept
        self.index: dict[tuple[str, str], list[tuple[str, object, str]]] = {}
        self.plain: dict[str, list[tuple[str, object, str]]] = {}
        self.objects: dict[int, set[str]] = {}  # products named by a group's comments so far
        self.worded: dict[int, list[str]] = {}  # a group's offer questions with a modifier (_fits)

    def _objects_of(self, product: str) -> frozenset[str]:
        """The product concepts a deal's name gives; a variety the lexicon does not list names its
        kind (甜橙 → 橙子, as 脐橙 does: deal_match.variety_head), so 多少钱 under the deal 甜橙
        joins 橙子多少钱."""
        found = frozenset(t for t in signature(product).split() if t[1:] in self.lex.object_concepts)
        if not found and (head := variety_head(product)):
            found = frozenset(t for t in signature(head + "子").split() if t[1:] in self.lex.object_concepts)
        return found

    def _parts(self, sig: str):
        return _split_cached(sig, self.lex.version)

    def _specific(self, sig: str) -> bool:
        objects, concepts, _ = self._parts(sig)
        return bool(objects) or any(t[1:] not in self.lex.generic_concepts for t in concepts)

    def focused(self, sig: str) -> str:
        """A signature that names no product gets the focus deal's products (none: unchanged)."""
        if not self.focus or self._parts(sig)[0]:
            return sig
        return " ".join(sorted(set(sig.split()) | self.focus))

    def add(self, category: str, sig: str, key: object, asks: bool = False) -> None:
        """Register a new group. A comment read as chatter but worded as a question on a specific
        topic (吃早餐了没) is registered with the questions too, so a later question (吃了早饭？)
        finds it whichever came first (CROSS_CUTOFF unless the signatures are equal)."""
        bucket = CHATTER if category == Category.CHATTER else QUESTION
        buckets = (bucket, QUESTION) if bucket == CHATTER and asks and self._specific(sig) else (bucket,)
        objects, concepts, words = self._parts(sig)
        self.objects.setdefault(id(key), set()).update(objects)
        self._note_worded(key, sig, concepts, words)
        for b in buckets:
            self.exact.setdefault((b, sig), key)
            for tok in sorted(concepts):
                self.index.setdefault((b, tok), []).append((sig, key, category))
        if not concepts:
            plain = " ".join(sorted(words | objects))
            self.plain.setdefault(category, []).append((plain, key, sig))
            if bucket == CHATTER and asks:  # a chatter-read question is found by the questions too
                self.plain.setdefault(Category.OTHER_QUESTION, []).append((plain, key, sig))

    def match(self, category: str, sig: str, asks: bool = False) -> object | None:
        if category != Category.CHATTER:
            return self._match(QUESTION, sig, category)
        if asks and self._specific(sig):
            # a question already asked, here read as chatter but worded as a question (这歌叫啥呀)
            hit = self._match(QUESTION, sig, "")
            if hit is not None:
                return hit
        elif asks and not self._parts(sig)[1]:
            # the same without concepts: the host's question groups, by wording (听说…十个蹲起？)
            objects, _, words = self._parts(sig)
            hit = self._plain(Category.OTHER_QUESTION, words | objects, sig)
            if hit is not None:
                return hit
        return self._match(CHATTER, sig, category)

    def _match(self, bucket: str, sig: str, category: str) -> object | None:
        hit = self.exact.get((bucket, sig))
        if hit is None:
            hit = self.found.get((bucket, sig, category))
        if hit is not None:
            return hit
        objects, concepts, words = self._parts(sig)
        best_key = self._best(bucket, sig, category) if concepts else self._plain(category, words | objects, sig)
        if best_key is not None:
            self.found[(bucket, sig, category)] = best_key
            # the same signature read as another category later (今天发得出吗 after 今天能发吗) joins it too
            self.exact.setdefault((bucket, sig), best_key)
            self.objects.setdefault(id(best_key), set()).update(objects)
            self._note_worded(best_key, sig, concepts, words)
            if not words:
                # a bare member (有优惠吗: concepts only) represents its group as well as the first
                # asker's wording did: later comments are scored against it too
                for tok in sorted(concepts):
                    self.index.setdefault((bucket, tok), []).append((sig, best_key, category))
        return best_key

    def _best(self, bucket: str, sig: str, category: str) -> object | None:
        """The best group sharing a specific concept: MATCH_CUTOFF within the comment's category
        (and for a chatter-read question: category ""), CROSS_CUTOFF across categories."""
        objects, concepts, _ = self._parts(sig)
        specific = sorted(t for t in concepts if t[1:] not in self.lex.generic_concepts) or sorted(concepts)
        best_key, best = None, 0.0
        seen: set[str] = set()
        for tok in specific:
            for other, key, cat in self.index.get((bucket, tok), ())[-RECENT:]:
                if (other, cat) in seen:
                    continue
                seen.add((other, cat))
                named = self.objects.get(id(key))
                if objects and named and not (objects & named):
                    continue  # the group already asks about another product
                score = similarity(sig, other)
                cutoff = MATCH_CUTOFF if cat == category or not category else CROSS_CUTOFF
                if score >= cutoff and score > best and self._fits(sig, other, key, cutoff):
                    best_key, best = key, score
        return best_key

    def _note_worded(self, key: object, sig: str, concepts: frozenset, words: frozenset) -> None:
        """Keep the group's offer questions that carry a modifier (老客户有优惠吗), for _fits."""
        if _conditional(concepts, self.lex) and _modifier(words):
            self.worded.setdefault(id(key), []).append(sig)

    def _fits(self, sig: str, other: str, key: object, cutoff: float) -> bool:
        """A question with a modifier (老带新有优惠吗) that reaches a group through a bare member
        (有返现吗: concepts only) must also match one of the group's members that carry a modifier
        (老客户有优惠吗), if it has any: the bare member alone would chain every X有优惠吗 into one group."""
        _, concepts, words = self._parts(sig)
        if not _conditional(concepts, self.lex) or not _modifier(words) or self._parts(other)[2]:
            return True
        worded = self.worded.get(id(key))
        return not worded or any(similarity(sig, w) >= cutoff for w in worded)

    def _plain(self, category: str, words: frozenset, sig: str) -> object | None:
        items = self.plain.get(category)
        if not items:
            return None
        query = " ".join(sorted(words))
        # a group naming another filler of the same slot (春天 / 冬天), or waiving what this one
        # names (免押金 / 押金多少: _waived), is never a candidate
        recent = [it for it in items[-RECENT:] if not _slot_conflict(sig, it[2])
                  and not (_WAIVE_RE.search(query + it[0]) and _waived(words, frozenset(it[0].split())))]
        if not recent:
            return None
        choices = [w for w, _, _ in recent]
        # one wording inside the other (蹲起 / 听说一个亲亲十个蹲起) when they share two characters
        # or more; else the words alike as a whole (a shared 好 alone joins nothing)
        found = process.extractOne(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=MATCH_CUTOFF)
        if found is not None and _shared_chars(words, found[0]) >= 2:
            if not _asks_more(words, frozenset(found[0].split())):
                return recent[found[2]][1]
        found = process.extractOne(query, choices, scorer=fuzz.token_sort_ratio, score_cutoff=MATCH_CUTOFF)
        return recent[found[2]][1] if found is not None else None
