"""Build-time training of the promise model (services.promises.model): run it after changing the
training data or the rules, and commit data/model.json.

    python -m services.promises.train            # writes services/promises/data/model.json
    python -m services.promises.train --check    # grouped 5-fold cross-validation, tune rows only

Training rows (all in the repo; sources in tests/data/real/README.md and the files' headers),
split "tune" only, the "heldout" rows are never read here (`python -m bench realtext` reports them):
* tests/data/real/host_lines.tsv: real streamer speech (LiveChat, Gao et al., ACL 2023);
* tests/data/real/host_lines_shop.tsv, host_lines_scripts.tsv, host_lines_live.tsv: live-selling 话术 / script
  lines quoted in public code;
* tests/data/real/host_lines_cs.tsv, host_lines_platforms.tsv, host_lines_industries.tsv: shop
  customer-service templates;
* tests/data/promise_lines.tsv: this project's own transcript lines.

Binary logistic regression, fitted by the comment model's trainer (services.triage.train: full-batch
Adam with L2 on numpy, only needed at build time; the app reads the JSON). The two thresholds (keep a rule draft, add a line the rules let
pass) and L2 are chosen by grouped cross-validation on the tune rows: one streamer / one source
file stays in one fold. Deterministic: same data, same file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from services.promises import model as pm
from services.promises import rules
from services.triage.train import fit as fit_multinomial

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
REAL_FILES = (
    "host_lines.tsv", "host_lines_shop.tsv", "host_lines_cs.tsv", "host_lines_platforms.tsv", "host_lines_scripts.tsv",
    "host_lines_industries.tsv", "host_lines_live.tsv", "host_lines_replies.tsv",
)
L2_GRID = (3e-3, 1e-3, 3e-4)
STEPS = 300
FOLDS = 5


def _tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, ln.split("\t"))) for ln in lines[1:]]


def training_rows() -> list[tuple[str, int, str, str]]:
    """(text, is_promise, origin, group) rows; group is what cross-validation keeps together."""
    rows = []
    for name in REAL_FILES:
        for r in _tsv(DATA / "real" / name):
            if r["split"] == "tune":
                group = r.get("streamer") or r["source"].split(" (")[0]
                rows.append((r["text"], int(r["is_promise"]), name, group))
    for n, line in enumerate((DATA / "promise_lines.tsv").read_text(encoding="utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            kind, _, _, text = line.split("\t")
            rows.append((text, int(kind != "none"), "project", f"p{n % FOLDS}"))
    return rows


def featurise(text: str) -> tuple[list[str], bool]:
    """The model's features of a line and whether the rules alone call it a promise."""
    text = text.strip()
    draft = rules._rules_draft(text) if text else None
    return pm.features(text, rules.rule_view(text, draft)), draft is not None


def fit(feats: list[list[str]], y: list[int], l2: float, steps: int = STEPS) -> dict[str, float]:
    """Binary logistic regression as the two-class case of the comment model's fit (one weight per
    feature: the promise column minus the talk column)."""
    two = fit_multinomial(feats, y, [1.0] * len(y), 2, l2=l2, steps=steps)
    return {f: round(w[1] - w[0], 4) for f, w in two.items() if abs(w[1] - w[0]) >= 0.001}


def _decide(p: float, ruled: bool, keep: float, add: float) -> bool:
    return p >= keep if ruled else p >= add


def _f1(outcomes: list[tuple[bool, int]]) -> tuple[float, float, float]:
    tp = sum(1 for got, want in outcomes if got and want)
    fp = sum(1 for got, want in outcomes if got and not want)
    fn = sum(1 for got, want in outcomes if not got and want)
    rec = tp / (tp + fn) if tp + fn else 0.0
    prec = tp / (tp + fp) if tp + fp else 0.0
    return (2 * rec * prec / (rec + prec) if rec + prec else 0.0), rec, prec


def out_of_fold(rows, l2: float) -> list[float]:
    """Each row's probability from the model trained on the other folds."""
    data = [featurise(r[0]) for r in rows]
    fold_of = [int(hashlib.sha256(r[3].encode()).hexdigest(), 16) % FOLDS for r in rows]
    probs = [0.0] * len(rows)
    for f in range(FOLDS):
        train_ix = [i for i, k in enumerate(fold_of) if k != f]
        weights = fit([data[i][0] for i in train_ix], [rows[i][1] for i in train_ix], l2)
        model = pm.Model(weights, 0.5, 0.5)
        for i, k in enumerate(fold_of):
            if k == f:
                probs[i] = model.probability(data[i][0])
    return probs


def choose(rows, report: bool = False) -> tuple[float, float, float, float]:
    """(l2, keep, add, cv F1 on the real tune rows) maximising out-of-fold F1 over real rows."""
    ruled = [featurise(r[0])[1] for r in rows]
    real = [i for i, r in enumerate(rows) if r[2] != "project"]
    best = (0.0, L2_GRID[0], 0.5, 0.5)
    grid = [x / 100 for x in range(5, 96, 5)]
    for l2 in L2_GRID:
        probs = out_of_fold(rows, l2)
        for keep in grid:
            for add in (a for a in grid if a >= keep):
                f1 = _f1([(_decide(probs[i], ruled[i], keep, add), rows[i][1]) for i in real])[0]
                if f1 > best[0] + 1e-9:
                    best = (f1, l2, keep, add)
        if report:
            f1, l2b, keep, add = best
            print(f"l2={l2}: best so far l2={l2b} keep={keep} add={add} cv_f1={f1:.3f}")
    f1, l2, keep, add = best
    if report:
        _report(rows, out_of_fold(rows, l2), ruled, keep, add)
    return l2, keep, add, f1


def _report(rows, probs, ruled, keep, add) -> None:
    """Cross-validated recall / precision per file, model against rules alone."""
    for origin in (*REAL_FILES, "project"):
        ix = [i for i, r in enumerate(rows) if r[2] == origin]
        both = _f1([(_decide(probs[i], ruled[i], keep, add), rows[i][1]) for i in ix])
        alone = _f1([(ruled[i], rows[i][1]) for i in ix])
        print(f"cv_{origin}: n={len(ix)} recall={both[1]:.3f} precision={both[2]:.3f}"
              f"  (rules alone {alone[1]:.3f} / {alone[2]:.3f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    rows = training_rows()
    l2, keep, add, f1 = choose(rows, report=args.check)
    if args.check:
        return
    weights = fit([featurise(r[0])[0] for r in rows], [r[1] for r in rows], l2)
    data = {"l2": l2, "keep": keep, "add": add, "cv_f1": round(f1, 4), "weights": weights}
    pm.MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {pm.MODEL_FILE} ({len(weights)} features, l2={l2}, keep={keep}, add={add}, cv_f1={f1:.3f})")


if __name__ == "__main__":
    main()
