"""The counter's lookup on a big night: find an order by phone tail among 100,000 entries.

    python -m bench pickup

Builds one show with 20 deals and 100,000 valid chain entries (each with an 11-digit phone and
a building; a third already handed over, with their pickup rows), bulk-loaded in SQL on SQLite
and on PostgreSQL (loading speed is not measured). Then times services.pickup.find as the
counter calls it, in a fresh session per lookup:

- pickup_lookup_ms (SQLite) and pickup_lookup_ms_postgresql: a 4-digit phone tail (the indexed
  chain_entry.phone_tail); p95 over LOOKUPS lookups of random tails, target ≤ 20 ms;
  pickup_lookup_cpu_ms: the same SQLite lookups in CPU time of this process (SQLite runs in it), what a
  lookup costs on an idle core when other processes crowd a shared machine;
- pickup_seq_lookup_ms_<db>: a 跟团号 (matches one entry in each of the 20 deals);
- pickup_name_lookup_ms_<db>: part of a name (no index can help a substring: a scan of the show);
  pickup_name_lookup_cpu_ms: the same SQLite name lookups in CPU time of this process;
- pickup_mark_ms_<db>: one hand-over (row lock, ledger row, event), median.
Each figure comes with its median and spread (min–max).
"""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, select

import db
from bench.common import fresh_engine, median, p95, report, timed
from bench.snapshot import load
from db.models import ChainEntry, Pickup
from services import clock, pickup
from services.authz import Actor

DEALS, ENTRIES, PICKED_SHARE = 20, 100_000, 0.33
LOOKUPS, NAME_LOOKUPS, MARKS = 300, 30, 100
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红娥玲燕凤梅琳雪莉晨阳宇轩浩然子涵欣怡梓萱"
STAFF = Actor(id=None, name="压测店员", role="staff")


def build_rows(now: datetime) -> dict[str, list[dict]]:
    rng = random.Random(18)
    start = now - timedelta(days=1)
    rows: dict[str, list[dict]] = {"community": [{"id": 1, "name": "压测社群", "member_count": 30_000}]}
    rows["show"] = [{"id": 1, "title": "压测之夜·十万接龙", "community_id": 1, "host_name": "老李", "scheduled_start": start,
                     "scheduled_end": start + timedelta(hours=3), "actual_start": start,
                     "actual_end": start + timedelta(hours=3), "status": "ended", "created_at": start}]
    per = ENTRIES // DEALS
    rows["deal"] = [
        {"id": d, "show_id": 1, "product": f"团品{d:02d}", "group_price": Decimal("19.90"), "threshold": 10,
         "status": "reached", "created_at": start, "released_at": start, "entries_valid": per, "units_valid": per}
        for d in range(1, DEALS + 1)
    ]
    entries, picks = [], []
    for i in range(ENTRIES):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        eid, qty = i + 1, rng.choice((1, 1, 1, 2, 3))
        entries.append({
            "id": eid, "deal_id": i % DEALS + 1, "line_key": f"k{eid}", "seq": i // DEALS + 1, "buyer_name": name,
            "qty": qty, "address": f"{rng.randint(1, 40)}栋", "phone": f"1{rng.randint(3, 9)}{rng.randrange(10**9):09d}",
            "status": "valid", "created_at": start, "updated_at": start,
        })
        if rng.random() < PICKED_SHARE:
            at = start + timedelta(hours=14, seconds=rng.randrange(36_000))
            picks.append({"id": len(picks) + 1, "show_id": 1, "chain_entry_id": eid, "picked_qty": qty, "version": 1,
                          "via": "counter", "first_at": at, "last_at": at, "done_at": at, "by_name": "店员小周"})
    rows["chain_entry"], rows["pickup"] = entries, picks
    return rows


def _tails(engine: Engine, n: int) -> list[str]:
    rng = random.Random(7)
    with db.session(engine) as s:
        phones = s.scalars(select(ChainEntry.phone).where(ChainEntry.id.in_([rng.randint(1, ENTRIES) for _ in range(n)])))
        return [p[-4:] for p in phones]


def cpu_timed(fn, runs: int) -> list[float]:
    """CPU seconds of this process for each of `runs` calls (unaffected by other processes)."""
    out = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return out


def _lookup(engine: Engine, query: str) -> int:
    with db.session(engine) as s:
        return len(pickup.find(s, 1, query))


def _figures(name: str, xs: list[float]) -> None:
    ms = [x * 1000 for x in xs]
    report(name, p95(ms), f"ms (p95; median {median(ms):.2f}, spread {min(ms):.2f}–{max(ms):.2f})", digits=2)


def run(kind: str) -> None:
    suffix = "" if kind == "sqlite" else "_postgresql"
    with fresh_engine(kind) as engine:
        load(engine, build_rows(clock.now()))
        tails = _tails(engine, LOOKUPS)
        _lookup(engine, tails[0])  # warm the connection pool and the statement cache
        it = iter(tails)
        _figures(f"pickup_lookup_ms{suffix}", timed(lambda: _lookup(engine, next(it)), len(tails)))
        if kind == "sqlite":  # SQLite runs in this process: its CPU time is the lookup's cost on an idle core
            it = iter(tails)
            _figures("pickup_lookup_cpu_ms", cpu_timed(lambda: _lookup(engine, next(it)), len(tails)))
        seqs = iter(str(random.Random(3).randint(1, ENTRIES // DEALS)) for _ in range(LOOKUPS))
        _figures(f"pickup_seq_lookup_ms_{kind}", timed(lambda: _lookup(engine, f"#{next(seqs)}"), LOOKUPS))
        names = iter(random.Random(4).choice(SURNAMES) + random.Random(5).choice(GIVEN) for _ in range(NAME_LOOKUPS))
        _figures(f"pickup_name_lookup_ms_{kind}", timed(lambda: _lookup(engine, next(names)), NAME_LOOKUPS))
        if kind == "sqlite":  # the same name lookups in CPU time: what they cost when the machine is crowded
            names = iter(random.Random(4).choice(SURNAMES) + random.Random(5).choice(GIVEN) for _ in range(NAME_LOOKUPS))
            _figures("pickup_name_lookup_cpu_ms", cpu_timed(lambda: _lookup(engine, next(names)), NAME_LOOKUPS))
        todo = iter(_open_entries(engine, MARKS))

        def mark() -> None:
            with db.session(engine) as s:
                pickup.mark(s, STAFF, next(todo))

        _figures(f"pickup_mark_ms_{kind}", timed(mark, MARKS))


def _open_entries(engine: Engine, n: int) -> list[int]:
    with db.session(engine) as s:
        taken = select(Pickup.chain_entry_id)
        return list(s.scalars(select(ChainEntry.id).where(ChainEntry.id.not_in(taken)).order_by(ChainEntry.id.desc()).limit(n)))


def main() -> None:
    for kind in ("sqlite", "postgresql"):
        run(kind)


if __name__ == "__main__":
    main()
