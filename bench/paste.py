"""Parse AND store a 2,000-line chain on SQLite (issue 4: target ≤ 0.3 s), and 200 new lines
onto a deal with 10,000 entries on SQLite and PostgreSQL (issue 19: paste_200_on_10k_s ≤ 0.3 s).

Each run: a fresh database with a released deal, then one apply_paste (parse, lock, diff,
bulk insert, tallies, event) committed. Prints the median and the spread over the runs,
and the re-paste of the same chain (idempotent: parse + diff, nothing to write).

    python -m bench paste            # or: python -m bench.paste [runs]
"""
from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal

import db
from bench.common import fresh_engine, median, report
from services import jielong, shows
from services.authz import SYSTEM

LINES = 2000
START = datetime(2026, 11, 20, 20, 0)


def chain(n: int = LINES) -> str:
    head = "#接龙\n【有机上海青】\n💰 社群专享价 ¥19.9（原价 ¥29.9）\n例 张三 1份 3栋\n\n"
    return head + "\n".join(
        f"{i}. 团员{i:04d} {i % 3 + 1}份 {i % 30 + 1}栋{i % 6 + 1}单元" + (" (不要黄叶)" if i % 7 == 0 else "")
        for i in range(1, n + 1)
    )


def _deal(engine, stock: int | None = 3000) -> int:
    with db.session(engine) as s:
        show = shows.create_show(s, SYSTEM, shows.ShowForm("压测场次", "压测群", 3000, "老李", START, START + timedelta(hours=1)))
        deal = jielong.create_deal(s, SYSTEM, show.id, jielong.DealForm(
            product="有机上海青", group_price=Decimal("19.9"), original_price=Decimal("29.9"), threshold=50,
            stock=stock, per_person_limit=5, delivery_text="次日中午自提", deadline=START + timedelta(hours=2)), at=START)
        jielong.release(s, deal.id, SYSTEM, at=START + timedelta(minutes=55))
        return deal.id


def run_once(text: str) -> tuple[float, float]:
    with fresh_engine("sqlite") as engine:
        deal_id = _deal(engine)
        at = START + timedelta(minutes=56)
        t0, c0 = time.perf_counter(), time.process_time()
        with db.session(engine) as s:
            res = jielong.apply_paste(s, SYSTEM, deal_id, text, at=at)
        first, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert res.added == LINES, res
        t0 = time.perf_counter()
        with db.session(engine) as s:
            res = jielong.apply_paste(s, SYSTEM, deal_id, text, at=at)
        again = time.perf_counter() - t0
        assert res.added == 0 and res.updated == 0, res
        return first, cpu, again


BIG = 10_000
NEW = 200


def on_big_deal(kind: str = "sqlite", runs: int = 3) -> list[tuple[float, float]]:
    """Issue 19: preview plus apply of 200 new lines (the later part of the chain, numbered on
    from the last line) onto a deal that already has 10,000 entries; per run (wall s, CPU s)."""
    out = []
    with fresh_engine(kind) as engine:
        deal_id = _deal(engine, stock=None)
        with db.session(engine) as s:
            jielong.apply_paste(s, SYSTEM, deal_id, chain(BIG), at=START + timedelta(minutes=56))
        for r in range(runs):
            first = BIG + r * NEW + 1
            tail = "\n".join(f"{i}. 新团员{i:05d} {i % 3 + 1}份 {i % 30 + 1}栋" for i in range(first, first + NEW))
            at = START + timedelta(minutes=57 + r)
            t0, c0 = time.perf_counter(), time.process_time()
            with db.session(engine) as s:
                plan = jielong.preview_paste(s, deal_id, tail)
            with db.session(engine) as s:
                res = jielong.apply_paste(s, SYSTEM, deal_id, tail, at=at)
            out.append((time.perf_counter() - t0, time.process_time() - c0))
            assert len(plan.added) == NEW and res.added == NEW and res.missing == 0, res
    return out


def main(runs: int = 9) -> None:
    text = chain()
    for kind in ("sqlite", "postgresql"):
        try:
            big = on_big_deal(kind)
        except Exception as exc:  # PostgreSQL not reachable: say so, keep the SQLite figures
            print(f"paste_200_on_10k_{kind}: skipped ({type(exc).__name__})", flush=True)
            continue
        walls = [w for w, _ in big]
        suffix = "" if kind == "sqlite" else "_postgresql"
        report(f"paste_200_on_10k{suffix}_s", median(walls), "s")
        report(f"paste_200_on_10k{suffix}_min_s", min(walls), "s")
        report(f"paste_200_on_10k{suffix}_max_s", max(walls), "s")
        report(f"paste_200_on_10k{suffix}_cpu_s", median([c for _, c in big]), "s")
    run_once(text)  # warm-up: imports, regex compilation, SQLAlchemy statement caches
    firsts, cpus, agains = zip(*(run_once(text) for _ in range(runs)))
    report("paste_2000_lines_s", median(firsts), "s")
    report("paste_2000_lines_min_s", min(firsts), "s")
    report("paste_2000_lines_max_s", max(firsts), "s")
    report("paste_2000_lines_stdev_s", statistics.stdev(firsts), "s")
    report("paste_2000_lines_cpu_s", median(cpus), "s")  # CPU of this process: less sensitive to a busy machine
    report("repaste_2000_lines_s", median(agains), "s")
    print(f"paste_2000_lines_runs: {runs}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
