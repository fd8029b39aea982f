"""The statistical half of classify: a multinomial logistic regression over character n-grams
and the lexicon's own votes, trained at build time (services.triage.train) on labelled comments
kept in the repo, stored as data/model.json (feature → one weight per category).

Why both: the lexicon knows the shop's words (退货, 运费, 有机认证) but not their senses
(`退网`, `一首歌送给大家`, `你多大`); the n-grams learn the senses from real live-room
chatter, and read the lexicon's votes as features, so a new operator term still moves them.
Pure Python at run time (a dict lookup per n-gram): no numpy, no scikit-learn to import.
"""
from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "data" / "model.json"
NGRAMS = (1, 2, 3)


@dataclass(frozen=True)
class RuleView:
    """What the lexicon says about a comment, as the model's features see it."""

    category: str  # the lexicon-only classification
    best: str  # best-scoring topic category ("" when none)
    best_score: float
    q: float
    c: float


def _bucket(x: float) -> int:
    return 0 if x <= 0 else 1 if x < 1.5 else 2 if x < 3 else 3


# a character said three times or more in a row (哈哈哈, 666, ？？？, 啊啊啊, ……): read on the raw
# text, since normalise drops punctuation and emoticons and folds ??? into one ?
_EMOJI = re.compile(r"\[[^\[\]\s]{1,4}\]|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_REPEAT = re.compile(r"(.)\1\1")


def form(raw: str) -> list[str]:
    """The comment's form beside its words. Only the repeated character is kept: 5-fold CV on the
    tune rows (branch comments5) found it the one form feature that helped (LiveChat +2 rows,
    comments_more +1, the rest unchanged); emoticons, ! / ? / …, the closing particle, a question
    word only in an earlier clause, 你/主播 + a question word were neutral or cost rows."""
    return ["_repeat"] if _REPEAT.search(_EMOJI.sub(" ", raw).strip()) else []


# a rhetorical shape: 不是…吗 / 难道 / 不就…嘛 / 能不…吗 ask nothing (你不是说好了吗, 能不闲吗); the
# n-grams see 不是 and 吗$ apart, not the two together
_RHETORICAL = re.compile(r"(?:不是|难道|还不|不就|能不|可不|不也).*[吗嘛么]\??$|难道")


# a question word that asks nothing: an indefinite amount or time (好几年前, 几天没画画了), "any" before
# 都 / 也 (哪里都有, 多少都认识点, 什么都行), a negated degree (不怎么习惯, 没多少, 没啥差), and an exclamation
# of degree (头发怎么这么多, 怎么那么多人); the lexicon counts 几 / 多少 / 哪 / 怎么 as question words
_INDEFINITE = re.compile(
    r"好几|几(?:天|年|个月|次|回|分钟|小时|个)(?:没|都|了)|(?:什么|啥|哪|哪里|哪儿|谁|多少)(?:都|也)"
    r"|不怎么|没多少|没(?:什么|啥)|(?:怎么|为什么|为啥)(?:这么|那么)"
)


def shape(t: str) -> list[str]:
    """The question's shape on the normalised text: the rhetorical shape and the indefinite question
    word. Repeated 5-fold grouped CV on the tune rows (branch comments6, six fold seeds) found the
    rhetorical shape +0.0012 on LiveChat (question vs chatter and category) and +0.0016 on comments_more,
    nothing lost; a question word × ending particle, the bare echo (`小星星？`), the A-not-A / yes-no
    ending, the last clause's ending, gapped bigrams and 4-grams were neutral or cost rows. The indefinite
    word (branch comments9, three fold seeds): LiveChat +0.003 on both figures, shop, rooms and more up
    a row or two, our own set within a row."""
    out = ["_rhet"] if _RHETORICAL.search(t) else []
    if _INDEFINITE.search(t):
        out.append("_indef")
    return out


def features(t: str, rv: RuleView, raw: str | None = None) -> list[str]:
    """Character 1–3-grams of the normalised text (with ^ $ edges), the lexicon's view, the
    question's shape and the comment's form (read on the raw text when given)."""
    s = "^" + t + "$"
    out = [s[i : i + n] for n in NGRAMS for i in range(len(s) - n + 1)]
    out += [
        "_bias",
        "_rule:" + rv.category,
        f"_q{_bucket(rv.q)}",
        f"_c{_bucket(rv.c)}",
        f"_len{min(len(t) // 4, 5)}",
    ]
    if rv.best:
        out.append(f"_best:{rv.best}:{_bucket(rv.best_score)}")
    out += shape(t)
    if raw is not None:
        out += form(raw)
    return out


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    weights: dict[str, list[float]]

    def probabilities(self, feats: list[str]) -> list[float]:
        w = self.weights
        rows = [w[f] for f in feats if f in w]
        z = [sum(col) for col in zip(*rows)] if rows else [0.0] * len(self.classes)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]


_model: Model | None = None
_lock = threading.Lock()


def load(path: Path = MODEL_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(tuple(data["classes"]), data["weights"])


def get() -> Model:
    """The shipped model, loaded once per process (≈0.1 s)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load()
    return _model
