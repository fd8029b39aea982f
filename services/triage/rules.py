"""Pure triage rules: normalise a comment, classify it, and match paraphrases.

No database here. Everything reads the active lexicon (services.lexicon), so an operator's
new term changes the next classification without a restart.

classify(text):
  1. normalise (NFKC, lower case, WeChat [表情] and emoji stripped, spaces dropped), fix typos
     (the typo table, then one-character near-homophones of lexicon terms: 有机认正 → 有机认证);
  2. empty / digits only ("1", "+1", "👍👍") → chatter;
  3. the lexicon reads it (`_rules`), after cutting out non-commerce senses (退网, 一首歌送给大家):
     every term found adds its weight to its category; question markers (吗 呢 ？ 怎么 多少 几 …)
     add to q; chatter terms/patterns (来了 666 打卡 已下单 好看 哈哈 …) add to c; it is a question
     when q ≥ 1 and (q ≥ c or a category term is strong, ≥ 2), or when there is no marker, hardly
     any chatter and a strong topic term; best-scoring category, ties by priority;
  4. an operator term (分类词库) in the comment: the lexicon's reading stands, the operator wins;
  5. otherwise the model (services.triage.model: character n-grams + the lexicon's votes) picks
     the category; a sense pattern on a question fixes it (你多大 → other_question, 有活动吗 →
     price); a shop category with no shop word found becomes other_question; a clearly worded shop
     question the model calls chatter stays a question; an uncertain reading carries a Chinese `hint`
     for the queue's ⚠.

group: services.triage.grouping signs each comment and matches paraphrases (see its docstring).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from services.triage import lexicon as lexmod
from services.triage import model
from services.triage import grouping
from services.triage.grouping import _CJK, Matcher, asks, normalise, signature, similarity
from services.triage.labels import CATEGORIES, CATEGORY_LABELS, Category

PRIORITY = {c: i for i, c in enumerate(CATEGORIES)}
COMMERCE = frozenset(CATEGORIES) - {Category.OTHER_QUESTION, Category.CHATTER}
STRONG = 2.0  # a topic term this strong makes a marker-less line a question
WEAK_CHATTER = 1.5  # below this, chatter signals (a trailing 啊, "上次买") do not veto a topic
MIN_CATEGORY = 1.0  # a question whose best topic scores less is other_question
UNSURE_CHATTER = 0.35  # a question the model gives this much chance of being chatter gets a ⚠
UNSURE_CATEGORY = 0.6  # a question category below this probability gets a ⚠
SHOP_STATEMENT = 6.0  # shop words this strong make a statement the model calls chatter a question
CLEAR_QUESTION = 2.0  # question words this strong (吗, ?, 会不会) …
CLEAR_TOPIC = 2.5  # … with a shop word this strong: the model may not silence the question as chatter

@dataclass(frozen=True)
class Analysis:
    category: str
    question: bool
    order_intent: bool
    q: float
    c: float
    scores: tuple[tuple[str, float], ...]
    confidence: float = 1.0  # the model's probability of `category` (1.0 when rules decided alone)
    hint: str = ""  # why the reading is uncertain (Chinese, for the queue's ⚠), "" when it is not


def _sum_matches(rx, weights: dict[str, float], text: str) -> float:
    if rx is None:
        return 0.0
    return sum(weights.get(m.group(0), 0.0) for m in rx.finditer(text))


def _prepare(text: str, lex: lexmod.Lexicon) -> str:
    return lex.fix_typos(normalise(text))


def _is_noise(t: str) -> bool:
    core = t.replace("?", "")
    return not core or core.isdigit() or (not _CJK.search(core) and not re.search(r"[a-z]{2,}", core) and "?" not in t)


def _rules(t: str, lex: lexmod.Lexicon) -> Analysis:
    """The lexicon's reading of a prepared comment (votes, markers, chatter terms)."""
    intent = bool(lex.intent_re and lex.intent_re.search(t))
    if _is_noise(t):
        return Analysis(Category.CHATTER, False, intent, 0.0, 1.0, ())
    scores: dict[str, float] = {}
    if lex.term_re is not None:
        for m in lex.term_re.finditer(t):
            for cat, w in lex.term_votes[m.group(0)].items():
                scores[cat] = scores.get(cat, 0.0) + w
    for rx, cat, w in lex.cat_patterns:
        if rx.search(t):
            scores[cat] = scores.get(cat, 0.0) + w
    q = _sum_matches(lex.marker_re, lex.question_markers, t)
    q += sum(w for rx, w in lex.q_patterns if rx.search(t))
    c = _sum_matches(lex.chatter_re, lex.chatter_terms, t)
    c += sum(w for rx, w in lex.c_patterns if rx.search(t))
    best, best_score = Category.OTHER_QUESTION, 0.0
    for cat, s in scores.items():
        if s > best_score or (s == best_score and PRIORITY.get(cat, 99) < PRIORITY.get(best, 99)):
            best, best_score = cat, s
    if q >= 1:
        question = q >= c or best_score >= STRONG
    else:
        question = c < WEAK_CHATTER and best_score >= STRONG
    ranked = tuple(sorted(scores.items(), key=lambda kv: (-kv[1], PRIORITY.get(kv[0], 99))))
    if not question:
        return Analysis(Category.CHATTER, False, intent, q, c, ranked)
    if best_score < MIN_CATEGORY:
        best = Category.OTHER_QUESTION
    return Analysis(best, True, intent or best == Category.ORDER, q, c, ranked)


def _view(a: Analysis) -> model.RuleView:
    best, score = a.scores[0] if a.scores else ("", 0.0)
    return model.RuleView(a.category, best, score, a.q, a.c)


def _read(text: str, lex: lexmod.Lexicon) -> tuple[str, Analysis]:
    """The prepared text and the lexicon's reading of it, non-commerce senses cut out first."""
    t = _prepare(text, lex)
    masked = lex.mask_re.sub("", t) if lex.mask_re is not None else t
    return t, _rules(masked or t, lex)


def model_features(text: str, lex: lexmod.Lexicon) -> list[str]:
    """The model's features for a raw comment (train.py uses exactly these)."""
    t, rule = _read(text, lex)
    return model.features(t, _view(rule), text)


def _analyse(text: str, lex: lexmod.Lexicon, mdl: model.Model | None = None) -> Analysis:
    """The lexicon reads the comment, the model decides, then the senses (lexicon.json) and the
    commerce gate adjust. An operator term in the comment short-cuts all of it: the operator's
    word wins, i.e. the lexicon's reading (operator term included) stands."""
    t, rule = _read(text, lex)
    if _is_noise(t) or (lex.operator_re is not None and lex.operator_re.search(t)):
        return rule
    mdl = mdl or model.get()
    probs = mdl.probabilities(model.features(t, _view(rule), text))
    return _adjust(t, rule, _decide(rule, probs, mdl.classes), lex)


def _adjust(t: str, rule: Analysis, a: Analysis, lex: lexmod.Lexicon) -> Analysis:
    """A sense pattern forces its category on a question (a question marker is there); a commerce category needs a commerce
    word: without any (after the masks) the question is an other_question; a clearly worded shop question (question
    words and a shop word both strong) stays a question even when the model reads it as chatter (cross-validated on
    tune: no row lost, shop rows gained)."""
    if a.category == Category.OTHER_QUESTION and lex.rhetoric_re is not None and lex.rhetoric_re.search(t):
        return replace(a, category=Category.CHATTER, question=False, hint="")  # 头发怎么这么多, 难道…: no topic
    for rx, cat in lex.sense_rules:
        if rx.search(t):
            if cat == Category.CHATTER or rule.q >= 1:
                return replace(a, category=cat, question=cat != Category.CHATTER, hint="")
            return a
    # each rule on its own: the rules joined into one alternation as a pre-check cost five times as much
    # (Python's re tries every branch at every position; a lone rule jumps to its literal first)
    for rx, cat in lex.complaint_rules:
        if rx.search(t):  # a complaint about the goods or the shipping wants an answer, question or not
            hint = "" if a.question else f"没有问句，按「{CATEGORY_LABELS[cat]}」处理"
            return replace(a, category=cat, question=True, hint=hint)
    if a.category in COMMERCE and not any(s >= MIN_CATEGORY and c in COMMERCE for c, s in rule.scores):
        return replace(a, category=Category.OTHER_QUESTION)
    if not a.question and rule.question and rule.category in COMMERCE and rule.q >= CLEAR_QUESTION \
            and rule.scores[0][1] >= CLEAR_TOPIC:
        # a clearly worded shop question (会不会过敏, 有运费险吗): kept, with a ⚠ since the model disagreed
        label = CATEGORY_LABELS[rule.category]
        return replace(a, category=rule.category, question=True, hint=f"可能只是闲聊，按「{label}」处理")
    if not a.question and rule.scores and rule.scores[0][1] >= SHOP_STATEMENT:
        # a strongly worded shop statement (退款政策, 我要投诉, 少给了一盒) asks for an answer too
        best = rule.scores[0][0]
        if best in COMMERCE:
            return replace(a, category=best, question=True, hint=f"没有问句，按「{CATEGORY_LABELS[best]}」处理")
    return a


def _decide(rule: Analysis, probs: list[float], classes: tuple[str, ...]) -> Analysis:
    ranked = sorted(zip(classes, probs), key=lambda cp: -cp[1])
    cat, p = ranked[0]
    question = cat != Category.CHATTER
    hint = ""
    p_chatter = dict(ranked).get(Category.CHATTER, 0.0)
    if question and p_chatter >= UNSURE_CHATTER:
        hint = f"可能只是闲聊（闲聊可能性 {round(100 * p_chatter)}%）"
    elif question and p < UNSURE_CATEGORY:
        second = next(c for c, _ in ranked[1:] if c != Category.CHATTER)
        hint = f"类别拿不准：也可能是「{CATEGORY_LABELS[second]}」"
    intent = rule.order_intent or cat == Category.ORDER
    return Analysis(cat, question, intent, rule.q, rule.c, rule.scores, round(p, 3), hint)


@lru_cache(maxsize=50_000)
def _analyse_cached(text: str, version: tuple) -> Analysis:
    return _analyse(text, lexmod.active())


def _clear_caches() -> None:
    """Every memo of a comment's reading (the benchmarks read cold); the lexicon calls it on change."""
    _analyse_cached.cache_clear()
    grouping._clear_caches()
    lexmod.active().clear_memo()


lexmod.on_change(_analyse_cached.cache_clear)


def analyse(text: str) -> Analysis:
    lex = lexmod.active()
    return _analyse_cached(text, lex.version)


def tentative(category: str, text: str) -> bool:
    """A group's category is tentative while it is the machine's unsure reading of the group's
    wording: a ⚠ hint, or no topic at all (其他提问). Never a category an operator chose (改类别:
    the wording then reads as another category) and never chatter."""
    a = analyse(text)
    return a.category == category != Category.CHATTER and (bool(a.hint) or category == Category.OTHER_QUESTION)


def sure(a: Analysis) -> bool:
    """A reading a tentative group may take: a question on a commerce topic, without a ⚠."""
    return a.question and not a.hint and a.category in COMMERCE


def classify(text: str) -> str:
    """One of CATEGORIES for a viewer comment (pure over the active lexicon)."""
    return analyse(text).category


def group(texts: list[str], focus: str = "") -> list[int]:
    """One group id per text (0, 1, 2 … in order of first appearance); paraphrases share one.
    `focus`: the product of the deal in focus, if any (a product-less question is about it)."""
    m = Matcher(focus)
    out: list[int] = []
    n = 0
    for text in texts:
        a = analyse(text)
        cat = a.category
        sig = m.focused(signature(text))
        asked = asks(text, a.q, sig)
        key = m.match(cat, sig, asks=asked)
        if key is None:
            key = n
            n += 1
            m.add(cat, sig, key, asks=asked)
        out.append(key)  # type: ignore[arg-type]
    return out
