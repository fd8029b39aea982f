"""The triage lexicon: built-in terms from services/data/lexicon.json plus operator terms.

How the two layers combine
--------------------------
* The data file ships the built-in vocabulary: per category a term → weight map, question
  markers, chatter terms and patterns, order-intent terms and the concepts used to build a
  comment's duplicate-matching signature.
* Operators add or re-weight terms in the `lexicon_term` table (console: 分类词库). A row
  (category, term, weight) adds the term to that category, or overrides the built-in weight;
  weight 0 switches a built-in term off. category "chatter" rows count as chatter terms.
* `Lexicon` is an immutable, compiled snapshot. `services.triage.classify(text)` is a pure
  function of the text and the *active* snapshot; `refresh(session)` rebuilds the active
  snapshot from the built-in file plus the table (cheap: one small query, recompiled only when
  the rows changed). `services.triage.ingest` calls it at the start of every batch, so a term
  added in the console applies to the next comment batch in every process.
"""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import LexiconTerm
from services import events
from services.authz import Actor, require
from services.errors import InvalidInput, NotFound
from services.text import clean
from services.triage.labels import CATEGORIES, Category

DATA_FILE = Path(__file__).resolve().parent / "data" / "lexicon.json"
PINYIN_FILE = Path(__file__).resolve().parent / "data" / "pinyin.json"  # written by services.triage.train
HOMOPHONE_MIN = 3  # terms this long or longer are restored from a one-character near-homophone slip
# The categories an operator may add terms to (other_question has no terms: it is what is left).
EDITABLE_CATEGORIES = tuple(c for c in CATEGORIES if c != Category.OTHER_QUESTION)
MAX_TERM = 50


_ME_WORDS = frozenset("什怎这那多要干为")  # 什么 怎么 这么 那么 多么 要么 干么 为么


def _alternation(terms: Iterable[str]) -> re.Pattern | None:
    """One regex finding the longest of the terms at each position, written as a character trie
    (有(?:货|机认证)?…): the same matches as a longest-first alternation, about twice as fast
    once the concept table has a thousand and more terms."""
    trie = _trie(terms)
    return re.compile(_trie_pattern(trie)) if trie else None


def _trie(terms: Iterable[str]) -> dict:
    """The terms as nested dicts, one level per character; "" marks a term's end."""
    trie: dict = {}
    for term in {t for t in terms if t}:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _slot_forms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """type -> entries 'canonical|form|…' as surface form -> '@type=canonical'."""
    out: dict[str, str] = {}
    for kind, entries in table.items():
        for entry in entries:
            canon, *forms = entry.split("|")
            for form in forms or (canon,):
                out.setdefault(form, f"@{kind}={canon}")
    return out


def _trie_pattern(node: dict) -> str:
    kids = [re.escape(ch) + _trie_pattern(sub) for ch, sub in sorted(node.items()) if ch]
    if not kids:
        return ""
    body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
    return f"(?:{body})?" if "" in node else body


@dataclass(frozen=True)
class Lexicon:
    """A compiled snapshot of the vocabulary (built-in merged with operator rows)."""

    priority: tuple[str, ...]
    categories: dict[str, dict[str, float]]
    question_markers: dict[str, float]
    question_patterns: tuple[tuple[str, float], ...]
    chatter_terms: dict[str, float]
    chatter_patterns: tuple[tuple[str, float], ...]
    order_intent: tuple[str, ...]
    order_intent_patterns: tuple[str, ...]
    concepts: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    typos: dict[str, str] = field(default_factory=dict)
    category_patterns: tuple[tuple[str, str, float], ...] = ()
    object_concepts: frozenset[str] = frozenset()
    generic_concepts: frozenset[str] = frozenset()
    address_concepts: frozenset[str] = frozenset()  # forms of address (主播): no weight in paraphrase overlap
    action_concepts: frozenset[str] = frozenset()  # what the shop or buyer does (发货, 付款): 发货了吗 asks if done
    families: tuple[frozenset[str], ...] = ()  # concepts asking about one thing (价格, 优惠, 便宜)
    operator_terms: frozenset[str] = frozenset()  # operator rows that differ from the built-in file
    senses: tuple[tuple[str, str], ...] = ()  # (regex, "mask" or a category): see lexicon.json senses_doc
    complaints: tuple[tuple[str, str], ...] = ()  # (regex, category): a complaint asks for an answer
    slot_fillers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> 'canonical|form|…'
    slot_patterns: tuple[tuple[str, str], ...] = ()  # (regex, type): a number with its unit
    origin_places: tuple[str, ...] = ()  # producing regions (赣南, 阿克苏) beside the 地名 fillers: `{产地}`
    defect_concepts: frozenset[str] = frozenset()  # 坏, 破损: with a remedy asked, the question is 处理
    remedy_concepts: frozenset[str] = frozenset()  # 赔, 换, 退, 处理 (lexicon.json remedy_doc)
    complaint_concepts: frozenset[str] = frozenset()  # 物流信息: stated bare, it asks (as defects do)
    soon_concepts: frozenset[str] = frozenset()  # 发货, 到货: with a soon_word it asks 速度 (soon_doc)
    soon_words: frozenset[str] = frozenset()  # 今天, 明天, 当天
    future_concepts: frozenset[str] = frozenset()  # 补货, 下次: whether it will happen asks when
    condition_concepts: frozenset[str] = frozenset()  # 优惠, 便宜: who gets it, on what terms, is asked
    resource_concepts: frozenset[str] = frozenset()  # 网盘, 群聊: asked to be given (resource_doc)
    resource_words: frozenset[str] = frozenset()  # 地址, 链接: nothing more beside a resource
    whole_concepts: frozenset[str] = frozenset()  # 改地址: the concept is the whole question (whole_doc)
    case_concepts: frozenset[str] = frozenset()  # 退: asked for a case, like an offer (condition_doc)
    defect_phases: tuple[str, ...] = ()  # '到手|收到|开箱…': when a defect showed (defect_phases_doc)
    version: tuple = field(default=(), compare=False)

    # term -> {category: weight}
    @cached_property
    def term_votes(self) -> dict[str, dict[str, float]]:
        votes: dict[str, dict[str, float]] = {}
        for cat, terms in self.categories.items():
            for term, w in terms.items():
                if w > 0:
                    votes.setdefault(term, {})[cat] = w
        return votes

    @cached_property
    def term_re(self) -> re.Pattern | None:
        return _alternation(self.term_votes)

    @cached_property
    def marker_re(self) -> re.Pattern | None:
        return _alternation(self.question_markers)

    @cached_property
    def chatter_re(self) -> re.Pattern | None:
        return _alternation(t for t, w in self.chatter_terms.items() if w > 0)

    @cached_property
    def q_patterns(self) -> tuple[tuple[re.Pattern, float], ...]:
        return tuple((re.compile(p), w) for p, w in self.question_patterns)

    @cached_property
    def c_patterns(self) -> tuple[tuple[re.Pattern, float], ...]:
        return tuple((re.compile(p), w) for p, w in self.chatter_patterns)

    @cached_property
    def intent_re(self) -> re.Pattern | None:
        parts = [re.escape(t) for t in sorted(self.order_intent, key=len, reverse=True)]
        parts += list(self.order_intent_patterns)
        return re.compile("|".join(parts)) if parts else None

    @cached_property
    def concept_of(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for canon, variants in self.concepts.items():
            for v in (canon, *variants):
                out.setdefault(v, canon)
        return out

    @cached_property
    def plain_words(self) -> frozenset[str]:
        """Concept table "=": plain words holding a one-character concept (头发, 提前, 号码): read
        whole so the character is no concept; no typo is repaired towards them."""
        return frozenset(t for t, canon in self.concept_of.items() if canon == "=")

    @cached_property
    def filler_of(self) -> dict[str, str]:
        """Surface form -> '@type=canonical' (lexicon.json slot_fillers_doc)."""
        return _slot_forms(self.slot_fillers)

    @cached_property
    def filler_re(self) -> re.Pattern | None:
        return _alternation(self.filler_of)

    @cached_property
    def phase_of(self) -> dict[str, str]:
        """Surface form -> '@阶段=canonical': when a defect showed (lexicon.json defect_phases_doc)."""
        return _slot_forms({"阶段": self.defect_phases})

    @cached_property
    def phase_re(self) -> re.Pattern | None:
        return _alternation(self.phase_of)

    @cached_property
    def slot_res(self) -> tuple[tuple[re.Pattern, str], ...]:
        return tuple((re.compile(p), kind) for p, kind in self.slot_patterns)

    @cached_property
    def cut_re(self) -> re.Pattern | None:
        """Stop words and the plain words (concepts "=": 打包, 马上) in one longest-first alternation."""
        return _alternation(self.stopwords | self.plain_words)

    def cut(self, piece: str) -> list[str]:
        """A piece of text cut at its stop words into content words; a plain word is read whole (打包租
        stays one word: the unit 包 cuts nothing inside it; 马上 keeps its 马)."""
        out, pos = [], 0
        for m in self.cut_re.finditer(piece) if self.cut_re is not None else ():
            if m.group(0) not in self.plain_words:
                out.append(piece[pos : m.start()])
                pos = m.end()
        out.append(piece[pos:])
        return out

    @cached_property
    def concept_re(self) -> re.Pattern | None:
        return _alternation(self.concept_of)

    @cached_property
    def places(self) -> str:
        """The regex a `{产地}` in a sense or category pattern stands for: every form of the 地名
        slot fillers, the producing regions (lexicon.json origin_places) and a place-shaped name
        (a province's short name + 南/北…: 赣南, 湘西; a name + 省/市/县…): 脐橙是赣南的吗."""
        forms = {f for e in self.slot_fillers.get("地名", ()) for f in e.split("|")} | set(self.origin_places)
        shaped = r"[\u4e00-\u9fff]{1,3}(?:省|市|县|州|镇|乡|村|岛)|[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀黔滇陕甘青藏宁新][东南西北中]"
        # the names as a character trie (as _alternation): the same strings as a longest-first list, and
        # these patterns were the costliest of a comment's reading (each position tried every name)
        return "(?:" + _trie_pattern(_trie(forms)) + "|" + shaped + ")"

    def _compile(self, pattern: str) -> re.Pattern:
        return re.compile(pattern.replace("{产地}", self.places))

    @cached_property
    def cat_patterns(self) -> tuple[tuple[re.Pattern, str, float], ...]:
        return tuple((self._compile(p), c, w) for p, c, w in self.category_patterns)

    @cached_property
    def mask_re(self) -> re.Pattern | None:
        """Non-commerce senses (退网, 一首歌送给大家): cut out before the lexicon votes."""
        parts = [p for p, cat in self.senses if cat == "mask"]
        return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None

    @cached_property
    def sense_rules(self) -> tuple[tuple[re.Pattern, str], ...]:
        return tuple((self._compile(p), cat) for p, cat in self.senses if cat not in ("mask", "rhetoric"))

    @cached_property
    def rhetoric_re(self) -> re.Pattern | None:
        """Rhetorical or exclaiming forms (头发怎么这么多, 难道…): a question with no topic in one is chatter."""
        parts = [p for p, cat in self.senses if cat == "rhetoric"]
        return self._compile("|".join(f"(?:{p})" for p in parts)) if parts else None

    @cached_property
    def complaint_rules(self) -> tuple[tuple[re.Pattern, str], ...]:
        return tuple((re.compile(p), cat) for p, cat in self.complaints)

    @cached_property
    def operator_re(self) -> re.Pattern | None:
        """Operator terms: where one is in a comment, the lexicon's reading wins over the model."""
        return _alternation(self.operator_terms)

    @cached_property
    def typo_re(self) -> re.Pattern | None:
        return _alternation(self.typos)

    def _typo(self, m: re.Match) -> str:
        hit = m.group(0)
        if hit[0] == "么" and m.start() and m.string[m.start() - 1] in _ME_WORDS:
            return hit  # 什么? / 怎么? / 这么? end a question word: 么 is no slip of 吗 there
        return self.typos[hit]

    @cached_property
    def homophones(self) -> dict[tuple[str, ...], str]:
        """Toneless readings of the lexicon's terms of HOMOPHONE_MIN+ characters → the term
        (a reading two terms share is left out: no guessing between them)."""
        py = _pinyin()
        index: dict[tuple[str, ...], str | None] = {}
        for term in {*self.concept_of, *self.term_votes} - self.plain_words:
            if any(q in term for q in _QUESTION_WORDS):
                continue  # 怎么蒸, 多大个: a question word + one syllable reads like too much (怎么证明, 多大哥)
            if len(term) >= HOMOPHONE_MIN and all(ch in py for ch in term):
                key = tuple(py[ch] for ch in term)
                index[key] = term if index.get(key, term) == term else None
        return {k: v for k, v in index.items() if v}

    @cached_property
    def _fixed(self) -> dict[str, str]:
        return {}  # fix_typos answers of this snapshot (classify and the signature both ask)

    def fix_typos(self, text: str) -> str:
        """Common slips (多少前 → 多少钱, 怎末 → 怎么, from the typo table), then one-character
        near-homophones of a lexicon term (有机认正 → 有机认证: same toneless pinyin)."""
        memo = self._fixed
        hit = memo.get(text)
        if hit is None:
            if len(memo) > 50_000:
                memo.clear()
            hit = memo[text] = self._fix_typos(text)
        return hit

    def clear_memo(self) -> None:
        self._fixed.clear()

    def _fix_typos(self, text: str) -> str:
        rx = self.typo_re
        text = rx.sub(self._typo, text) if rx is not None else text
        return _fix_homophones(text, self.homophones, self.homophone_starts) if self.homophones else text

    @cached_property
    def kin(self) -> dict[str, frozenset[str]]:
        """Concept → the concepts of its families (itself included), as signature tokens (#价格)."""
        out: dict[str, set[str]] = {}
        for fam in self.families:
            for c in fam:
                out.setdefault("#" + c, {"#" + c}).update("#" + x for x in fam)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def whole_homophones(self) -> dict[str, str]:
        """Toneless readings (joined: "youhuo") of the two-character and longer concept variants
        → the variant, for a comment that is nothing but a slip of one (诱惑吗, youhuo吗 → 有货);
        a reading two variants share is left out."""
        py = _pinyin()
        index: dict[str, str | None] = {}
        for term in self.concept_of.keys() - self.plain_words:
            if len(term) >= 2 and all(ch in py for ch in term):
                key = "".join(py[ch] for ch in term)
                index[key] = term if index.get(key, term) == term else None
        return {k: v for k, v in index.items() if v}

    def fix_whole(self, text: str) -> str:
        """A short comment that names no concept but reads (or is spelled in pinyin) exactly like
        one becomes it: 诱惑吗 → 有货吗, youhuo吗 → 有货吗. Longer text is left alone (a one-word
        slip in a sentence is fix_typos' job, from three characters up)."""
        m = _WHOLE.match(text)
        if m is None or (self.concept_re is not None and self.concept_re.search(m.group(1))):
            return text
        core, py = m.group(1), _pinyin()
        key = core if core.isascii() else "".join(py.get(ch, "?") for ch in core)
        term = self.whole_homophones.get(key)
        return term + m.group(2) if term is not None and term != core else text

    @cached_property
    def homophone_starts(self) -> dict[str, tuple[int, ...]]:
        """First syllable → the lengths of the terms starting with it, longest first."""
        starts: dict[str, set[int]] = {}
        for key in self.homophones:
            starts.setdefault(key[0], set()).add(len(key))
        return {k: tuple(sorted(v, reverse=True)) for k, v in starts.items()}

    def terms_table(self) -> list[dict]:
        """Every category term with its weight, for the console's lexicon view."""
        rows = [
            {"category": cat, "term": t, "weight": w}
            for cat, terms in self.categories.items()
            for t, w in terms.items()
        ]
        rows += [{"category": Category.CHATTER, "term": t, "weight": w} for t, w in self.chatter_terms.items()]
        return rows


_PINYIN: dict[str, str] | None = None
_QUESTION_WORDS = ("怎么", "咋", "什么", "啥", "多少", "多大", "多久", "多长", "几", "哪")
_WHOLE = re.compile(r"^([\u4e00-\u9fff]{2,4}?|[a-z]{4,12})([吗嘛么呢啊呀吧]*)$")


def _pinyin() -> dict[str, str]:
    global _PINYIN
    if _PINYIN is None:
        raw = json.loads(PINYIN_FILE.read_text(encoding="utf-8")) if PINYIN_FILE.exists() else {}
        _PINYIN = {ch: syl for syl, chars in raw.items() for ch in chars}
    return _PINYIN


def _fix_homophones(text: str, index: dict[tuple[str, ...], str], starts: dict[str, tuple[int, ...]]) -> str:
    """Replace each window that reads like a term (one character differs) with the term."""
    py = _pinyin()
    syl = [py.get(ch, ch) for ch in text]
    out, i = [], 0
    while i < len(text):
        for n in starts.get(syl[i], ()):
            term = index.get(tuple(syl[i : i + n]))
            if term is not None and sum(a != b for a, b in zip(term, text[i : i + n])) == 1:
                out.append(term)
                i += n
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _load_file() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


_BUILTIN_RAW = _load_file()


def build(extra: Iterable[tuple[str, str, float]] = ()) -> Lexicon:
    """The built-in lexicon with operator rows (category, term, weight) merged on top."""
    raw = _BUILTIN_RAW
    categories = {c: dict(terms) for c, terms in raw["categories"].items()}
    chatter = dict(raw["chatter_terms"])
    extra = tuple(sorted(extra))
    operator: set[str] = set()
    for cat, term, weight in extra:
        term = normalise_term(term)
        if not term:
            continue
        target = chatter if cat == Category.CHATTER else categories.setdefault(cat, {})
        if term not in target or target[term] != float(weight):
            operator.add(term)  # a seeded copy of a built-in term at its built-in weight is not one
        if weight <= 0:
            target.pop(term, None)
        else:
            target[term] = float(weight)
    return Lexicon(
        priority=tuple(raw["priority"]),
        categories=categories,
        question_markers=dict(raw["question_markers"]),
        question_patterns=tuple((p, w) for p, w in raw["question_patterns"]),
        chatter_terms=chatter,
        chatter_patterns=tuple((p, w) for p, w in raw["chatter_patterns"]),
        order_intent=tuple(raw["order_intent"]),
        order_intent_patterns=tuple(raw["order_intent_patterns"]),
        concepts={k: tuple(v) for k, v in raw["concepts"].items()},
        stopwords=frozenset(raw["stopwords"]),
        typos=dict(raw.get("typos", {})),
        category_patterns=tuple((p, c, w) for p, c, w in raw.get("category_patterns", [])),
        object_concepts=frozenset(raw.get("object_concepts", [])),
        generic_concepts=frozenset(raw.get("generic_concepts", [])),
        address_concepts=frozenset(raw.get("address_concepts", [])),
        action_concepts=frozenset(raw.get("action_concepts", [])),
        families=tuple(frozenset(f) for f in raw.get("concept_families", [])),
        operator_terms=frozenset(operator),
        senses=tuple((p, c) for p, c in raw.get("senses", [])),
        complaints=tuple((p, c) for p, c in raw.get("complaints", [])),
        slot_fillers={k: tuple(v) for k, v in raw.get("slot_fillers", {}).items()},
        slot_patterns=tuple((p, k) for p, k in raw.get("slot_patterns", [])),
        origin_places=tuple(raw.get("origin_places", [])),
        defect_concepts=frozenset(raw.get("defect_concepts", [])),
        remedy_concepts=frozenset(raw.get("remedy_concepts", [])),
        complaint_concepts=frozenset(raw.get("complaint_concepts", [])) | frozenset(raw.get("defect_concepts", [])),
        soon_concepts=frozenset(raw.get("soon_concepts", [])),
        soon_words=frozenset(raw.get("soon_words", [])),
        future_concepts=frozenset(raw.get("future_concepts", [])),
        condition_concepts=frozenset(raw.get("condition_concepts", [])),
        resource_concepts=frozenset(raw.get("resource_concepts", [])),
        resource_words=frozenset(raw.get("resource_words", [])),
        whole_concepts=frozenset(raw.get("whole_concepts", [])),
        case_concepts=frozenset(raw.get("case_concepts", [])),
        defect_phases=tuple(raw.get("defect_phases", [])),
        version=extra,
    )


def normalise_term(term: str) -> str:
    """Like a comment is normalised before matching: NFKC, lower case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", term or "")).lower()


BUILTIN = build()
_active = BUILTIN
_lock = threading.Lock()
_listeners: list = []


def active() -> Lexicon:
    return _active


def install(lex: Lexicon) -> None:
    """Make `lex` the active lexicon (and drop caches that depend on it)."""
    global _active
    with _lock:
        if lex.version == _active.version:
            return
        _active = lex
    for fn in _listeners:
        fn()


def on_change(fn) -> None:
    _listeners.append(fn)


def db_rows(session: Session) -> list[tuple[str, str, float]]:
    return [
        (c, t, float(w))
        for c, t, w in session.execute(
            select(LexiconTerm.category, LexiconTerm.term, LexiconTerm.weight).order_by(LexiconTerm.id)
        )
    ]


def refresh(session: Session) -> Lexicon:
    """Rebuild the active lexicon from the data file plus the lexicon_term table."""
    rows = tuple(sorted(db_rows(session)))
    if rows != _active.version:
        install(build(rows))
    return _active


# --- operator editing -------------------------------------------------------------------------

def set_term(
    session: Session, actor: Actor, category: str, term: str, weight: float = 2.0, show_id: int | None = None
) -> LexiconTerm:
    """Add an operator term (or change its weight; 0 switches a built-in term off)."""
    require(actor, "lexicon.edit")
    term = normalise_term(clean(term))
    if category not in EDITABLE_CATEGORIES:
        raise InvalidInput(f"未知类别：{category}", "类别")
    if not term:
        raise InvalidInput("词语不能为空。", "词语")
    if len(term) > MAX_TERM:
        raise InvalidInput(f"词语不超过 {MAX_TERM} 个字符。", "词语")
    try:
        weight = float(weight)
    except (TypeError, ValueError):
        raise InvalidInput("权重须为 0 到 10 之间的数字。", "权重") from None
    if not 0 <= weight <= 10:
        raise InvalidInput("权重须为 0 到 10 之间的数字。", "权重")
    row = session.scalar(select(LexiconTerm).where(LexiconTerm.category == category, LexiconTerm.term == term))
    if row is None:
        row = LexiconTerm(category=category, term=term, weight=weight)
        session.add(row)
    else:
        row.weight = weight
    session.flush()
    events.record(session, "lexicon.term_set", show_id, actor, category=category, term=term, weight=weight)
    refresh(session)
    return row


def delete_term(session: Session, actor: Actor, term_id: int, show_id: int | None = None) -> None:
    """Remove an operator row (a built-in term comes back with its built-in weight)."""
    require(actor, "lexicon.edit")
    row = session.get(LexiconTerm, term_id)
    if row is None:
        raise NotFound("该词已被他人删除，未做任何改动。")
    session.delete(row)
    session.flush()
    events.record(session, "lexicon.term_deleted", show_id, actor, category=row.category, term=row.term)
    refresh(session)


def list_terms(session: Session) -> list[LexiconTerm]:
    return list(session.scalars(select(LexiconTerm).order_by(LexiconTerm.category, LexiconTerm.term)))


def seed(session: Session, actor: Actor) -> int:
    """Copy every built-in term into the table (missing ones only) so operators can edit them all."""
    require(actor, "lexicon.edit")
    have = {(c, t) for c, t, _ in db_rows(session)}
    rows = [r for r in BUILTIN.terms_table() if (r["category"], r["term"]) not in have]
    if rows:
        session.add_all(LexiconTerm(**r) for r in rows)
        session.flush()
        events.record(session, "lexicon.seeded", None, actor, terms=len(rows))
    refresh(session)
    return len(rows)
