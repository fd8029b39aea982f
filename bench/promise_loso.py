"""Leave-one-source-out figures of promise detection, tune rows only: the selection criterion.

    python -m bench promise_loso

For every source of the tune host lines (one public file or source id; LiveChat's streamers in
five buckets), the model is retrained without that source and reads it with the rules unchanged,
exactly as services.promises.classify_line would (same thresholds as the shipped model). So each
line is read by a detector that never saw its source's wording: the closest estimate, on tune,
of text from a source nobody tuned on. Heldout rows are never read. Prints pooled recall /
precision / kind over real tune rows and the same per file, then the same at the thresholds that
leave-one-source-out itself would choose (keep, add) for the best F1.

    python -m bench.promise_loso --misses   # also each line read wrong (tune only)
    python -m bench.promise_loso --free     # also the n-gram model alone, without the rules' vote
"""
from __future__ import annotations

import json
import sys
import time


def source_label(row) -> str:
    return row[3].split(':')[0] + ('/' + row[3].rsplit('/', 1)[-1] if '/' in row[3] else '')


def _score(outcomes) -> tuple[int, float, float, float]:
    tp = sum(1 for got, want, _ in outcomes if got and want)
    fp = sum(1 for got, want, _ in outcomes if got and not want)
    fn = sum(1 for got, want, _ in outcomes if want and not got)
    kind = sum(1 for got, want, ok in outcomes if got and want and ok)
    return (tp + fn, tp / (tp + fn) if tp + fn else 0.0, tp / (tp + fp) if tp + fp else 0.0,
            kind / tp if tp else 0.0)


def main() -> None:
    from services.promises import model as pm
    from services.promises import rules, train

    t0 = time.perf_counter()
    rows = train.training_rows()
    shipped = json.loads(pm.MODEL_FILE.read_text(encoding="utf-8"))
    data = [train.featurise(r[0]) for r in rows]
    probs = train.out_of_source(rows, shipped["l2"], data)
    kinds = train.row_kinds()
    real = [i for i, r in enumerate(rows) if r[2] != "project"]

    def drafted_kind(i: int) -> str:
        text = rows[i][0].strip()
        draft = rules._rules_draft(text)
        return draft.kind if draft else rules._kind_from_cues(text)

    got_kind = {i: drafted_kind(i) for i in real if rows[i][1]}

    def report(prefix: str, keep: float, add: float) -> None:
        out = {i: (train._decide(probs[i], data[i][1], keep, add, strong), bool(rows[i][1]),
                   rows[i][1] and got_kind[i] == kinds[i]) for i in real}
        n, rec, prec, kind = _score(out.values())
        print(f"{prefix}recall: {rec:.3f} share")
        print(f"{prefix}precision: {prec:.3f} share")
        print(f"{prefix}kind: {kind:.3f} share")
        print(f"{prefix}promises: {n} count")
        for origin in train.REAL_FILES:
            ix = [i for i in real if rows[i][2] == origin]
            if ix:
                n, rec, prec, kind = _score([out[i] for i in ix])
                print(f"{prefix}{origin.removesuffix('.tsv')}: recall {rec:.3f} precision {prec:.3f} kind {kind:.3f} (n={n})")

    strong = shipped.get("keep_strong")
    report("promise_loso_", shipped["keep"], shipped["add"])
    if "--misses" in sys.argv:
        for i in real:
            got = train._decide(probs[i], data[i][1], shipped["keep"], shipped["add"], strong)
            if got != bool(rows[i][1]) or (got and got_kind[i] != kinds[i]):
                tag = "FN" if rows[i][1] and not got else "FP" if got and not rows[i][1] else f"KIND {got_kind[i]}≠{kinds[i]}"
                print(f"  {tag}\tp={probs[i]:.2f} ruled={data[i][1]}\t{source_label(rows[i])}\t{rows[i][0]}")
    n, rec, prec, kind = _score([(data[i][1], bool(rows[i][1]), rows[i][1] and got_kind[i] == kinds[i]) for i in real])
    print(f"promise_loso_rules_alone: recall {rec:.3f} precision {prec:.3f} kind {kind:.3f}")
    if "--free" in sys.argv:
        # The n-gram model alone, without the rules' vote: what the learned part carries to a
        # source it never saw (the rules were written reading every tune source, so the figures
        # above flatter unseen wording; this one does not).
        free = [(pm.features(r[0].strip(), None), ok) for r, (_, ok) in zip(rows, data)]
        pf = train.out_of_source(rows, shipped["l2"], free)
        for t in (0.3, 0.5, 0.7, 0.9):
            _, rec, prec, _ = _score([(pf[i] >= t, bool(rows[i][1]), False) for i in real])
            print(f"promise_loso_model_alone@{t}: recall {rec:.3f} precision {prec:.3f}")
    grid = [x / 100 for x in range(5, 96, 5)]
    best = max(((train._f1([(train._decide(probs[i], data[i][1], k, a, strong), rows[i][1]) for i in real])[0], -k, -a)
                for k in grid for a in grid if a >= k))
    print(f"promise_loso_best_thresholds: keep={-best[1]} add={-best[2]} f1={best[0]:.3f}")
    print(f"promise_loso_s: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
