"""Leave-one-source-out figures of comment triage, tune rows only: the selection criterion (issue 15 #2).

    python -m bench triage_loso
    python -m bench.triage_loso --weights=live11=1,live12=0.5   # origins' training weights (0 = left out)
    python -m bench.triage_loso --misses                        # also each row read wrong (tune only)

Every labelled real file is one source (its wording, its labeller's habits): the model is retrained
without that file's tune rows and the whole classify pipeline (rules, senses, model, gates) reads them,
so each row is read by a classifier that never saw its file. LiveChat (one platform, many streamers) is
cut into three folds by streamer. Our own labelled set stays in every training. A file whose origin is
left out of training (weight 0) is read by the model trained on everything else. Heldout rows are never
read. Prints question vs chatter / category per file and their mean over files (the hidden set is a new
source: each file counts once).
"""
from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable

# the files read, as in services.triage.train.REAL_TUNE, and the two newest (live11 left out of training
# by branch comments11)
EXTRA = (("comments_live11.tsv", "live11"), ("comments_live12.tsv", "live12"), ("comments_live13.tsv", "live13"),
         ("comments_live14.tsv", "live14"), ("comments_live15.tsv", "live15"),
         ("comments_live16.tsv", "live16"))
LIVECHAT_FOLDS = 3


def rows_and_folds() -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """(text, category, origin, group) tune rows of every real file and our own set, and each row's fold
    ("" = always trained on)."""
    from services.triage import train

    rows = [r for r in train.training_rows() if r[2] != "project"]
    for name, origin in EXTRA:
        rows += [(r["text"], r["category"], origin, r["source"].split(":")[0])
                 for r in train.read_tsv(train.DATA / "real" / name) if r["split"] == "tune"]
    rows += [r for r in train.training_rows() if r[2] == "project"]
    folds = []
    for _text, _cat, origin, group in rows:
        if origin == "project":
            folds.append("")
        elif origin == "real":
            folds.append(f"real{int(hashlib.sha256(group.encode()).hexdigest(), 16) % LIVECHAT_FOLDS}")
        else:
            folds.append(origin)
    return rows, folds


def fold_models(rows, folds, weights: dict[str, float], **fit_kw) -> dict[str, object]:
    """One model per fold, trained on the other folds' rows of the origins with a weight > 0."""
    from services.triage import train
    from services.triage.labels import CATEGORIES
    from services.triage.model import Model

    feats = train._featurise(rows)
    classes = list(CATEGORIES)
    models: dict[str, object] = {}
    full = None
    for fold in sorted({f for f in folds if f}):
        trained = weights.get(rows[folds.index(fold)][2], 0) > 0
        if not trained and full is not None:
            models[fold] = full
            continue
        keep = [i for i, (r, f) in enumerate(zip(rows, folds)) if f != fold and weights.get(r[2], 0) > 0]
        w = train.fit([feats[i] for i in keep], [classes.index(rows[i][1]) for i in keep],
                      [weights[rows[i][2]] for i in keep], len(classes), **fit_kw)
        models[fold] = Model(tuple(classes), w)
        if not trained:
            full = models[fold]
    return models


def read_all(rows, folds, models, analyse: Callable | None = None) -> list[tuple[str, str, object, str]]:
    """(origin, wanted, analysis, text) for every evaluated row, each read by its fold's model."""
    from services.triage import lexicon, rules

    analyse = analyse or rules._analyse
    return [(r[2], r[1], analyse(r[0], lexicon.BUILTIN, models[f]), r[0]) for r, f in zip(rows, folds) if f]


def report(readings, label: str = "") -> dict[str, tuple[int, float, float]]:
    per: dict[str, list[int]] = {}
    for origin, want, a, _text in readings:
        h = per.setdefault(origin, [0, 0, 0])
        h[0] += 1
        h[1] += (a.category == "chatter") == (want == "chatter")
        h[2] += a.category == want
    out = {o: (n, qc / n, cat / n) for o, (n, qc, cat) in per.items()}
    mean_qc = sum(v[1] for v in out.values()) / len(out)
    mean_cat = sum(v[2] for v in out.values()) / len(out)
    print(f"{label}mean over {len(out)} files: question_vs_chatter={mean_qc:.4f} category={mean_cat:.4f}  "
          + "  ".join(f"{o} {v[1]:.3f}/{v[2]:.3f}" for o, v in sorted(out.items())))
    out["_mean"] = (0, mean_qc, mean_cat)
    return out


def parse_weights(arg: str) -> dict[str, float]:
    from services.triage import train

    weights = dict(train.WEIGHTS)
    weights.update({"live11": 0.0, "live12": 0.0, "live13": 0.0, "live14": 0.0, "live15": 0.0,
                    "live16": 0.0})
    for part in filter(None, arg.split(",")):
        k, v = part.split("=")
        weights[k] = float(v)
    return weights


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    arg = next((a.split("=", 1)[1] for a in argv if a.startswith("--weights=")), "")
    if "--weights" in argv:
        arg = argv[argv.index("--weights") + 1]
    t0 = time.perf_counter()
    rows, folds = rows_and_folds()
    weights = parse_weights(arg)
    models = fold_models(rows, folds, weights)
    readings = read_all(rows, folds, models)
    report(readings, f"triage_loso weights {arg or 'as shipped'}: ")
    if "--misses" in argv:
        for origin, want, a, text in readings:
            if a.category != want:
                print(origin, want, a.category, round(a.confidence, 2), text, sep="\t", file=sys.stderr)
    print(f"  ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
