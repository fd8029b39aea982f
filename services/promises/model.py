"""The statistical half of promise detection: a binary logistic regression over character
n-grams of the line and the rules' own reading, trained at build time (services.promises.train)
on labelled host lines kept in the repo, stored as data/model.json (feature → weight, plus the
thresholds chosen by leave-one-source-out, bench promise_loso).

Why both: the rules know the shop's cues and give the kind (包退 refund, 前50名送 gift …) but are
fooled by the same words in other senses (`晴天送给大家`, `这就是爱保证这就是爱`, a field name,
an option in a list); the n-grams see how such lines are phrased and read the rules' vote as a
feature, so the rules still carry what the data never showed. The model only decides *whether*
a line promises; the kind always comes from the rules.
Pure Python at run time (a dict lookup per n-gram): no numpy to import.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "data" / "model.json"
NGRAMS = (1, 2, 3)

_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,30}\]")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class RuleView:
    """What the rules say about a line, as the model's features see it."""

    kind: str  # the rules' kind, "" when they find no promise
    score: float  # the winning kind's rule score (0 when none)
    weak_kind: str  # the best single cue's kind even when no promise was found ("" when none)
    flags: tuple[str, ...]  # commit / order / due / cond / urgent / question


def _bucket(x: float) -> int:
    return 0 if x <= 0 else 1 if x < 1.5 else 2 if x < 2 else 3


def normalise(text: str) -> str:
    """A script's placeholders ([产品名称]) read as one mark, numbers as 0."""
    return _DIGITS.sub("0", _PLACEHOLDER.sub("Ⓟ", text.strip()))


def features(text: str, rv: RuleView | None) -> list[str]:
    """The model's features; with rv None, those of the n-gram model alone (bench promise_loso --free)."""
    s = "^" + normalise(text) + "$"
    out = [s[i : i + n] for n in NGRAMS for i in range(len(s) - n + 1)]
    if rv is None:
        return [*out, "_bias", f"_len{min(len(s) // 6, 6)}"]
    out += ["_bias", f"_rule:{rv.kind or '-'}", f"_rs{_bucket(rv.score)}", f"_len{min(len(s) // 6, 6)}"]
    if rv.weak_kind:
        out.append(f"_weak:{rv.weak_kind}")
    out += [f"_f:{f}" for f in rv.flags]
    return out


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    keep: float  # a rule draft stands when p ≥ keep
    add: float  # a line the rules let pass is a promise when p ≥ add
    # A draft from a strong cue (an amount paid, 包退, 48小时内发货: rule score ≥ rules.STRONG) stands
    # when p ≥ keep_strong (≤ keep): the model vetoes it only when sure. None: keep, as before.
    keep_strong: float | None = None

    def keep_for(self, strong: bool) -> float:
        """The least probability at which a rule draft stands (strong: from a strong cue)."""
        return self.keep_strong if strong and self.keep_strong is not None else self.keep

    def probability(self, feats: list[str]) -> float:
        w = self.weights
        z = sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load(path: Path = MODEL_FILE) -> Model | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(data["weights"], data["keep"], data["add"], data.get("keep_strong"))


@functools.cache
def get() -> Model | None:
    """The shipped model, loaded once per process; None before the first build (rules only)."""
    return load()
