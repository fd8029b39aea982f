"""Paraphrase grouping: how its cutoffs were chosen (5-fold cross-validation over the tune clusters).

The tune clusters are tests/data/paraphrases.tsv and paraphrases_groupbuy.tsv (ours) and the tune split of
tests/data/real/paraphrases.tsv and, since branch para4, of paraphrases_more.tsv and, since branch
para6, of paraphrases_faq.tsv, since para11 of paraphrases_faq2.tsv, since para16 of paraphrases_live.tsv (real; each file grouped as its own night). Folds are by cluster (a singleton by its text), so a
cluster is never on both sides. For each fold the grid point with the best pairwise F1 among
those with precision >= 0.95 on the other four folds is scored on the fold; the pooled counts of
the five folds give `paraphrase_cv_*`. `paraphrase_chosen_*` is the grid point chosen on all tune
clusters, which services/triage/grouping.py ships. Held-out clusters are never read here.
"""
from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

from bench import realtext as rt

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
OURS = (DATA / "paraphrases.tsv", DATA / "paraphrases_groupbuy.tsv")
NAMES = ("MATCH_CUTOFF", "ONE_SIDED_WORDS", "SUBSET", "GENERIC_DIFF", "CROSS_CUTOFF")
GRID = tuple(itertools.product((70, 75, 80), (0, 20, 40), (50, 60, 75, 85), (70, 80, 90), (85, 90, 95)))
FOLDS = 5
MIN_PRECISION = 0.98  # the must-hold is 0.95 on unseen clusters: tune precision needs a margin above it


def tune_rows() -> list[tuple[str, str, str]]:
    """(source, cluster, text); '-' = a question of its own; source "real" or the ours file's stem."""
    rows = [("real", r.label["cluster"], r.text) for r in rt.load_paraphrases() if r.split == "tune"]
    rows += [("real_more", r.label["cluster"], r.text)
             for r in rt.load_paraphrases(name="paraphrases_more.tsv") if r.split == "tune"]
    rows += [("real_faq", r.label["cluster"], r.text)
             for r in rt.load_paraphrases(name="paraphrases_faq.tsv") if r.split == "tune"]
    rows += [("real_faq2", r.label["cluster"], r.text)
             for r in rt.load_paraphrases(name="paraphrases_faq2.tsv") if r.split == "tune"]
    rows += [("real_live", r.label["cluster"], r.text)
             for r in rt.load_paraphrases(name="paraphrases_live.tsv") if r.split == "tune"]
    for path in OURS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                label, text = line.split("\t", 1)
                rows.append((path.stem, "-" if label.startswith("single") else label, text))
    return rows


def _fold(row: tuple[str, str, str]) -> int:
    key = row[0] + (row[1] if row[1] != "-" else row[2])
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % FOLDS


def _counts(rows: list[tuple[str, str, str]]) -> tuple[int, int, int]:
    """Pairwise tp, fp, fn; each source (real, each ours file) grouped in its own call (one night each)."""
    from services import triage

    tp = fp = fn = 0
    for src in dict.fromkeys(r[0] for r in rows):
        part = [r for r in rows if r[0] == src]
        gold = [r[1] if r[1] != "-" else f"-{i}" for i, r in enumerate(part)]
        got = triage.group([r[2] for r in part])
        for i, j in itertools.combinations(range(len(part)), 2):
            same, together = gold[i] == gold[j], got[i] == got[j]
            tp += same and together
            fp += together and not same
            fn += same and not together
    return tp, fp, fn


def _prf(c: tuple[int, int, int]) -> tuple[float, float, float]:
    tp, fp, fn = c
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _set(point: tuple) -> None:
    from services.triage import grouping

    for name, value in zip(NAMES, point):
        setattr(grouping, name, float(value))


def main() -> None:
    from services.triage import grouping

    shipped = tuple(getattr(grouping, n) for n in NAMES)
    rows = tune_rows()
    folds = [[r for r in rows if _fold(r) == k] for k in range(FOLDS)]
    scores: dict[tuple, dict] = {}
    for point in GRID:
        _set(point)
        scores[point] = {k: _counts([r for j, f in enumerate(folds) if j != k for r in f]) for k in (*range(FOLDS), None)}
        scores[point]["fold"] = [_counts(f) for f in folds]

    def best(k):
        return max(GRID, key=lambda pt: (_prf(scores[pt][k])[0] >= MIN_PRECISION, _prf(scores[pt][k])[2]))

    pooled = [sum(c) for c in zip(*(scores[best(k)]["fold"][k] for k in range(FOLDS)))]
    _set(shipped)
    p, r, f = _prf(tuple(pooled))
    print(f"paraphrase_cv_precision: {p:.3f} share", flush=True)
    print(f"paraphrase_cv_recall: {r:.3f} share", flush=True)
    print(f"paraphrase_cv_f1: {f:.3f} f1", flush=True)
    chosen = best(None)
    print(f"paraphrase_chosen_point: {dict(zip(NAMES, chosen))} (shipped {dict(zip(NAMES, shipped))}) grid", flush=True)
    p, r, f = _prf(scores[chosen][None])
    print(f"paraphrase_chosen_tune_f1: {f:.3f} f1 (precision {p:.3f}, recall {r:.3f})", flush=True)


if __name__ == "__main__":
    main()
