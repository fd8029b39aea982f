"""First readings of promise detection ("time travel"), tune rows only: the honest figure for wording
the detector never saw, measured without touching held-out rows.

    python -m bench promise_firstreading
    python -m bench.promise_firstreading --misses    # also each tune line read wrong

Every real host-line file F was added to the repository at some commit C, after the rules and the
model of C's parent had been written without F. So the detector at C's parent (its services/ taken
with `git archive` into a temporary folder, run in a child process) reading F's *tune* rows is a
first reading: wording it never saw, as the held-out rows are for today's detector. Labels are
today's. Leave-one-source-out (bench promise_loso) cannot give this figure: there the model is
retrained without the source, but the rules were written after reading every tune source.

Prints, per file, recall / precision / kind of the detector as shipped then, and of its rules alone;
pooled over the files first read by rules + model (services/promises/model.py present) and over all.
Needs the git history (a clone, not an export). Heldout rows are never read, here or in the child.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"
CHILD = "_firstreading_child.py"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def points() -> list[tuple[str, str, int]]:
    """(file name, the parent of the commit that added it, that commit's time), oldest first."""
    out = []
    for path in sorted(REAL.glob("host_lines*.tsv")):
        added = _git("log", "--diff-filter=A", "--format=%H %ct", "--", str(path.relative_to(ROOT))).split()
        if len(added) >= 2:
            commit, when = added[-2], int(added[-1])
            out.append((path.name, _git("rev-parse", f"{commit}^").strip(), when))
    return sorted(out, key=lambda p: p[2])


def _has(rev: str, path: str) -> bool:
    return subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=ROOT, capture_output=True).returncode == 0


def read_then(name: str, rev: str) -> list[list]:
    """[is_promise, kind, kind read then or "", kind the rules alone drafted or ""] per tune row of
    `name`, read by the detector at `rev` in a child process."""
    with tempfile.TemporaryDirectory(prefix="firstreading-") as tmp:
        archive = subprocess.run(["git", "archive", rev, "services", "db"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        (Path(tmp) / CHILD).write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
        done = subprocess.run([sys.executable, CHILD, "--child", str(REAL / name)], cwd=tmp,
                              capture_output=True, text=True, env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"})
        if done.returncode:
            raise RuntimeError(f"the detector at {rev[:9]} failed on {name}: {done.stderr[-800:]}")
        return json.loads(done.stdout)


def child(path: Path) -> None:
    """Runs in the old tree: print the readings of the file's tune rows as JSON."""
    from services.promises import rules

    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    head = lines[0].split("\t")
    out = []
    for row in (dict(zip(head, ln.split("\t"))) for ln in lines[1:]):
        if row["split"] != "tune":
            continue  # heldout rows are never read
        text = row["text"].strip()
        got = rules.classify_line(text)
        asks = getattr(rules, "_only_asks", lambda _: False)
        alone = rules._rules_draft(text) if text and hasattr(rules, "_rules_draft") and not asks(text) else got
        out.append([int(row["is_promise"]), row["kind"], got.kind if got else "", alone.kind if alone else "", text])
    print(json.dumps(out, ensure_ascii=False))


def score(rows: list[list], col: int) -> tuple[int, float, float, float]:
    """(promises, recall, precision, kind) of column col (2: as shipped then, 3: rules alone)."""
    tp = sum(1 for r in rows if r[0] and r[col])
    fp = sum(1 for r in rows if r[col] and not r[0])
    fn = sum(1 for r in rows if r[0] and not r[col])
    kind = sum(1 for r in rows if r[0] and r[col] == r[1])
    return tp + fn, tp / (tp + fn) if tp + fn else 0.0, tp / (tp + fp) if tp + fp else 0.0, kind / tp if tp else 0.0


def _line(prefix: str, rows: list[list]) -> str:
    n, rec, prec, kind = score(rows, 2)
    _, arec, aprec, _ = score(rows, 3)
    return f"{prefix}: recall {rec:.3f} precision {prec:.3f} kind {kind:.3f} (n={n}; rules alone {arec:.3f} / {aprec:.3f})"


def main() -> None:
    t0 = time.perf_counter()
    everything, model_era = [], []
    for name, rev, _ in points():
        if not _has(rev, "services/promises/rules.py"):
            print(f"promise_first_{name.removesuffix('.tsv')}: no promise detector before it")
            continue
        rows = read_then(name, rev)
        everything += rows
        if _has(rev, "services/promises/model.py"):
            model_era += rows
        print(_line(f"promise_first_{name.removesuffix('.tsv')} @{rev[:9]}", rows))
        if "--misses" in sys.argv:
            for r in rows:
                if bool(r[0]) != bool(r[2]) or (r[0] and r[2] != r[1]):
                    tag = "FN" if r[0] and not r[2] else "FP" if r[2] and not r[0] else f"KIND {r[2]}≠{r[1]}"
                    print(f"  {tag}\trules={r[3] or '-'}\t{r[4]}")
    print(_line("promise_first_pooled_model_era", model_era))
    print(_line("promise_first_pooled_all", everything))
    print(f"promise_first_s: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
    else:
        main()
