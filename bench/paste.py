"""Parse AND store a 2,000-line chain on SQLite (issue 4: target ≤ 0.3 s), and 200 new lines
onto a deal with 10,000 entries on SQLite and PostgreSQL (issue 19: paste_200_on_10k_s ≤ 0.3 s),
also onto a deal whose specs have their own 限量, with one cancel there.

Each run: a fresh database with a released deal, then one apply_paste (parse, lock, diff,
bulk insert, tallies, event) committed. Prints the median and the spread over the runs,
and the re-paste of the same chain (idempotent: parse + diff, nothing to write).

    python -m bench paste            # or: python -m bench.paste [runs]
    python -m bench.paste spec [runs]  # the spec-stock figures only
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


def _deal(engine, stock: int | None = 3000, **specs) -> int:
    with db.session(engine) as s:
        show = shows.create_show(s, SYSTEM, shows.ShowForm("压测场次", "压测群", 3000, "老李", START, START + timedelta(hours=1)))
        deal = jielong.create_deal(s, SYSTEM, show.id, jielong.DealForm(
            product="有机上海青", group_price=Decimal("19.9"), original_price=Decimal("29.9"), threshold=50,
            stock=stock, per_person_limit=5, delivery_text="次日中午自提", deadline=START + timedelta(hours=2),
            **specs), at=START)
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
            out.append(_timed_tail(engine, deal_id, tail, START + timedelta(minutes=57 + r)))
    return out


def _timed_tail(engine, deal_id: int, tail: str, at: datetime) -> tuple[float, float]:
    """Preview plus apply of NEW new lines, each in its own transaction: (wall s, CPU s)."""
    t0, c0 = time.perf_counter(), time.process_time()
    with db.session(engine) as s:
        plan = jielong.preview_paste(s, deal_id, tail)
    with db.session(engine) as s:
        res = jielong.apply_paste(s, SYSTEM, deal_id, tail, at=at)
    assert len(plan.added) == NEW and res.added == NEW and res.missing == 0, res
    return time.perf_counter() - t0, time.process_time() - c0


# A spec-stock deal: 10斤装 sold out at about 70 % of its lines (the rest flagged 超出规格限量),
# 5斤装 with a 限量 it never reaches.
SPECS = dict(spec_options="5斤装,10斤装", spec_stock="10斤装=7000；5斤装=20000")


def spec_chain(first: int, n: int, name: str = "团员") -> str:
    return "\n".join(f"{i}. {name}{i:05d} {i % 3 + 1}份 {('5斤装', '10斤装')[i % 2]} {i % 30 + 1}栋"
                     for i in range(first, first + n))


def on_spec_stock_deal(kind: str = "sqlite", runs: int = 5) -> list[tuple[float, float, float]]:
    """200 new lines (preview plus apply) onto a 10,000-entry spec-stock deal, then the cancel of
    one early 10斤装 entry (its units unflag the first flagged ones); per run (paste wall s,
    paste CPU s, cancel wall s)."""
    out = []
    with fresh_engine(kind) as engine:
        deal_id = _deal(engine, stock=None, **SPECS)
        with db.session(engine) as s:
            jielong.apply_paste(s, SYSTEM, deal_id, "#接龙\n例 张三 1份 3栋\n" + spec_chain(1, BIG),
                                at=START + timedelta(minutes=56))
        with db.session(engine) as s:
            early = [r["编号"] for r in jielong.list_entries(s, deal_id, limit=2 * runs) if r["规格"] == "10斤装"]
        for r in range(runs):
            at = START + timedelta(minutes=57 + r)
            paste, cpu = _timed_tail(engine, deal_id, spec_chain(BIG + r * NEW + 1, NEW, "新团员"), at)
            t0 = time.perf_counter()
            with db.session(engine) as s:
                jielong.cancel_entry(s, SYSTEM, early[r], at=at)
            out.append((paste, cpu, time.perf_counter() - t0))
    return out


def _spread(name: str, xs: list[float]) -> None:
    report(f"{name}_s", median(xs), "s")
    report(f"{name}_min_s", min(xs), "s")
    report(f"{name}_max_s", max(xs), "s")


def spec_stock_main(runs: int = 5) -> None:
    """`python -m bench.paste spec`: the spec-stock figures only."""
    for kind in ("sqlite", "postgresql"):
        try:
            got = on_spec_stock_deal(kind, runs)
        except Exception as exc:  # PostgreSQL not reachable: say so, keep the SQLite figures
            print(f"spec_stock_{kind}: skipped ({type(exc).__name__}: {exc})", flush=True)
            continue
        suffix = "" if kind == "sqlite" else "_postgresql"
        _spread(f"paste_200_on_10k_spec_stock{suffix}", [p for p, _, _ in got])
        report(f"paste_200_on_10k_spec_stock{suffix}_cpu_s", median([c for _, c, _ in got]), "s")
        _spread(f"cancel_on_10k_spec_stock{suffix}", [c for _, _, c in got])


def main(runs: int = 9) -> None:
    text = chain()
    spec_stock_main()
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
    if sys.argv[1:2] == ["spec"]:
        spec_stock_main(int(sys.argv[2]) if len(sys.argv) > 2 else 5)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
