"""Paraphrase matching: a comment's signature, the similarity of two signatures, and the
Matcher that groups a night's questions (pure over the active lexicon; no database).

signature: services.triage.signature (concepts, content words, slot fillers, the question's form).

similarity (0..100): different objects (鸡蛋 vs 奶粉), or an object on one side only, never match;
forms of address (主播, 你, 姐姐) weigh nothing. The concepts weigh 3/4 (same set 95, same once
generic concepts are set aside GENERIC_DIFF, one inside the other SUBSET, unless the extra ones
share a family with the other side's (价格/优惠/便宜: lexicon concept_families) and no generic
concept differs, then GENERIC_DIFF; else their Dice overlap), the remaining words 1/4 (fuzzy;
words on one side only ONE_SIDED_WORDS when a specific concept is shared, 0 when both ask only a
question word: 多久 is not 什么时候回南京呀; an offer asked on two conditions, 0: 老客户有优惠吗 is not
老带新有优惠吗, lexicon.json condition_doc, while a lower price asked for the same condition is its offer,
学生证能便宜吗 = 学生有优惠吗, _one_offer; a thing waived on one side only, 0: 可以免押金吗 is not
押金多少, _waived; the price of an amount other than one on one side only, 0: 5斤多少钱 is a total, not
多少钱 = 多少钱一斤, _total). With no concepts at all: one wording inside the other
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
from functools import lru_cache

from rapidfuzz import fuzz, process

from services.kinds import variety_head
from services.triage import lexicon as lexmod
from services.triage.labels import Category
from services.triage.signature import _CJK, DONE, YES_NO, _signature_cached, asks, normalise, signature

__all__ = ["Matcher", "asks", "normalise", "signature", "similarity", "_CJK"]


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
    if ga - gb and gb - ga:
        # "when" against "where": not the same question, even beside a generic both share
        # (什么时候处理退款 / 帮我处理退款: 何时 against 请求, branch para17)
        return GENERIC_CONFLICT
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
    if "数量" in extra and "#价格" in ca & cb and _total(a) != _total(b):
        return 0.0  # 5斤多少钱 asks a total, 多少钱 (多少钱一斤) the price
    return _similarity(oa, ca, wa, ob, cb, wb, lex, bool(extra))


_TOTAL = re.compile(r"@数量=(?!1(?![\d.]))")  # an amount other than one (5斤, 0.5斤; not 1斤)


def _total(sig: str) -> bool:
    """The price asked is a total: an amount other than one names what is bought (branch para13)."""
    return bool(_TOTAL.search(sig))


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


def _case_asked(concepts: frozenset, lex: lexmod.Lexicon) -> bool:
    """An offer, or a return (退: lexicon.json case_concepts), asked for a case: its modifiers (吊牌没摘可以退货不,
    用了过敏可以退吗) say which case, so two cases sharing no two characters are apart (branch para16)."""
    return any(c[1:] in lex.condition_concepts or c[1:] in lex.case_concepts for c in concepts)


def _one_offer(ca: frozenset, wa: frozenset, cb: frozenset, wb: frozenset, lex: lexmod.Lexicon) -> bool:
    """Two offers asked for one kind of buyer or terms (学生有优惠吗 / 学生证能便宜吗, branch para14): each
    names its condition and the two share two characters in a row, so a lower price asked (便宜) is the
    offer (优惠). Without a condition bargaining (能便宜点吗) and a coupon (有券吗) stay apart."""
    return (_conditional(ca, lex) and _conditional(cb, lex) and _modifier(wa) and _modifier(wb)
            and _share_two(wa, wb))


def _as_offer(concepts: frozenset, lex: lexmod.Lexicon) -> frozenset:
    offer = "#" + min(lex.condition_concepts)
    return frozenset(offer if t[1:] in lex.condition_concepts else t for t in concepts)


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
    if _one_offer(ca, wa, cb, wb, lex):
        ca, cb = _as_offer(ca, lex), _as_offer(cb, lex)
    base = _concept_score(ca, cb, lex.generic_concepts, lex.kin)
    if not any(t[1:] not in lex.generic_concepts for t in ca | cb):
        # only question words (何时, 原因): what is asked is in the words. 为什么啊 is not
        # 你为什么要取白纯纯啊, 什么时候回南京呀 not 那你几时回来深圳
        if not (wa or wb):
            return base
        return min(base, _plain_score(wa | oa, wb | ob)) if wa and wb else 0.0
    if wa and wb and _case_asked(ca | cb, lex) and _modifier(wa) and _modifier(wb) and not _share_two(wa, wb):
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
        objects, concepts, words = self._parts(sig)
        specific = sorted(t for t in concepts if t[1:] not in self.lex.generic_concepts) or sorted(concepts)
        if _conditional(concepts, self.lex) and _modifier(words):  # 学生证能便宜吗 finds 学生有优惠吗 (_one_offer)
            specific = sorted(set(specific) | {"#" + c for c in self.lex.condition_concepts})
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
        if _case_asked(concepts, self.lex) and _modifier(words):
            self.worded.setdefault(id(key), []).append(sig)

    def _fits(self, sig: str, other: str, key: object, cutoff: float) -> bool:
        """A question with a modifier (老带新有优惠吗) that reaches a group through a bare member
        (有返现吗: concepts only) must also match one of the group's members that carry a modifier
        (老客户有优惠吗), if it has any: the bare member alone would chain every X有优惠吗 into one group."""
        _, concepts, words = self._parts(sig)
        if not _case_asked(concepts, self.lex) or not _modifier(words) or self._parts(other)[2]:
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
