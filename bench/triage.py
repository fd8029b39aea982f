"""Triage benchmark: classify accuracy on the labelled set, and ingest throughput.

    python -m bench triage

classify_accuracy / chatter_accuracy: on tests/data/comments_labelled.tsv (category, and
question-vs-chatter). classify_comments_per_s: services.triage.classify over the 3,000 real
comments of tests/data/real/comments.tsv plus the labelled set, memo cleared (every comment read
cold), one thread, counted on the process's CPU time (the shared machine's load swamps wall time;
the wall-clock rate goes to stderr); classifier_load_s: building the lexicon, reading the pinyin
table and the model from disk and compiling the patterns (the first classify), as a fresh process does. Both medians of RUNS runs, spread on stderr. ingest_comments_per_s_<db>: 10,000 realistic comments (800 viewers over an
hour, emoji, typos, repeats) through services.triage.ingest in ONE call (classify, group, bulk
insert, tallies, one event), commit included; median of RUNS runs on a fresh show each (the
classify/signature memo cleared before each run), with min–max spread on stderr. ingest_batch500_comments_per_s_<db>: the same 10,000 in pipe-sized batches of 500.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import db
from bench.common import fresh_engine, median, report
from services import shows, triage
from services.triage import lexicon as triage_lexicon
from services.triage import model as triage_model
from services.triage import rules as triage_rules
from services.authz import SYSTEM

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "comments_labelled.tsv"
N = 10_000
RUNS = 3
T0 = datetime(2026, 1, 6, 20, 0, 0)
DECOR = ["", "", "", "？", "?", "啊", "呀", "😊", "🙏", "！", "~", "[玫瑰]", " 老李", "主播", "哈哈"]


def labelled() -> list[tuple[str, str]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cat, text = line.split("\t", 1)
            rows.append((cat, text))
    return rows


def accuracy() -> tuple[float, float]:
    rows = labelled()
    got = [triage.classify(t) for _, t in rows]
    cat = sum(g == c for g, (c, _) in zip(got, rows)) / len(rows)
    chat = sum((g == "chatter") == (c == "chatter") for g, (c, _) in zip(got, rows)) / len(rows)
    return cat, chat


def comments(seed: int) -> list[triage.CommentIn]:
    rng = random.Random(seed)
    texts = [t for _, t in labelled()]
    hot = rng.sample(texts, 25)  # the questions everybody repeats
    out = []
    for i in range(N):
        base = rng.choice(hot) if rng.random() < 0.5 else rng.choice(texts)
        text = base + rng.choice(DECOR)
        at = T0 + timedelta(seconds=i * 3600 // N)
        out.append(triage.CommentIn(f"邻居{rng.randrange(800)}", text, at, f"b{seed}-{i}"))
    return out


def _new_show(eng, run: int) -> int:
    with db.session(eng) as s:  # one show per run, named apart (two shows of one name and start are refused)
        form = shows.ShowForm(f"压测场次{run + 1}", "压测群", 500, "老李", T0, T0 + timedelta(hours=1))
        return shows.create_show(s, SYSTEM, form).id


def ingest_rate(kind: str, batch: int | None) -> list[float]:
    rates = []
    with fresh_engine(kind) as eng:
        triage.classify("预热")  # build the lexicon once, as a running app has
        for run in range(RUNS):
            show_id = _new_show(eng, run)
            data = comments(run)
            triage_rules._clear_caches()  # every run classifies cold: no memo from the last one
            t0 = time.perf_counter()
            step = batch or N
            for i in range(0, N, step):
                with db.session(eng) as s:
                    triage.ingest(s, SYSTEM, show_id, data[i : i + step], source="simulator")
            rates.append(N / (time.perf_counter() - t0))
    return rates


def _report_rate(name: str, rates: list[float]) -> None:
    report(name, median(rates), "comments/s", 0)
    print(f"  ({name} spread over {len(rates)} runs: {min(rates):.0f}–{max(rates):.0f})", file=sys.stderr)


def classify_rates() -> list[float]:
    from bench.realtext import load_comments

    texts = [r.text for r in load_comments()] + [t for _, t in labelled()]
    triage.classify("预热")
    rates, walls = [], []
    for _ in range(RUNS):
        triage_rules._clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            triage.classify(text)
        rates.append(len(texts) / (time.process_time() - c0))
        walls.append(len(texts) / (time.perf_counter() - t0))
    print(f"  (classify wall-clock rate on the shared machine: {median(walls):.0f} comments/s)", file=sys.stderr)
    return rates


def load_times() -> list[float]:
    times = []
    for _ in range(RUNS):
        triage_lexicon._PINYIN = None  # as in a fresh process: nothing read yet
        t0 = time.perf_counter()
        lex = triage_lexicon.build()
        triage_rules._analyse("主播这个多少钱", lex, triage_model.load())  # regexes compile on first use
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    cat, chat = accuracy()
    n = len(labelled())
    print(f"classify_accuracy: {cat:.3f} (of {n} labelled comments)", flush=True)
    print(f"chatter_accuracy: {chat:.3f} (question vs chatter)", flush=True)
    _report_rate("classify_comments_per_s", classify_rates())
    loads = load_times()
    report("classifier_load_s", median(loads), "s", 3)
    print(f"  (classifier_load_s spread over {len(loads)} runs: {min(loads):.3f}–{max(loads):.3f})", file=sys.stderr)
    for kind in ("sqlite", "postgresql"):
        _report_rate(f"ingest_comments_per_s_{kind}", ingest_rate(kind, None))
        _report_rate(f"ingest_batch500_comments_per_s_{kind}", ingest_rate(kind, 500))


if __name__ == "__main__":
    main()
