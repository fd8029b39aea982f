"""Members across shows at scale: a community of 20,000 members and 200 weekly shows.

    python -m bench members

Bulk-loads (in SQL; loading is not measured) one community with MEMBERS members (their name
aliases and tallies), SHOWS ended shows with BUYERS buyers each (show_buyer and member_show rows; a loyal core
comes back most weeks, 200 marked KOC) and tonight's live show with its chain so far (show_buyer).
Then, in a fresh session per call:

- member_badges_ms (SQLite) / member_badges_ms_postgresql: services.members.badges for the 50
  askers on screen (members and first-time viewers mixed); p95 of RUNS calls, target ≤ 20 ms;
- member_review_ms (SQLite) / member_review_ms_postgresql: services.members.board, the 核心看板 of
  that community (KPIs, per-show series, cohorts, LTV by cohort); median, target ≤ 500 ms.
Each figure comes with its median and spread (min–max).
"""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert

import db
from bench.common import fresh_engine, median, p95, report, timed
from db.models import Community, Member, MemberAlias, MemberShow, MemberSync, Show, ShowBuyer
from services import members

MEMBERS, SHOWS, BUYERS, KOCS, ASKERS = 20_000, 200, 300, 200, 50
RUNS, BOARD_RUNS = 60, 7
T0 = datetime(2022, 12, 1, 20, 0)


def _shows(cid: int) -> list[dict]:
    rows = []
    for i in range(SHOWS + 1):
        at = T0 + timedelta(weeks=i)
        rows.append({"id": i + 1, "title": f"第{i + 1}期", "community_id": cid, "host_name": "老李", "scheduled_start": at,
                     "scheduled_end": at + timedelta(hours=1), "status": "ended" if i < SHOWS else "live",
                     "created_at": at, "version": 1, "viewers_online": 0, "viewers_peak": 0,
                     "viewers_cumulative": BUYERS + 80, "comments_total": 0, "chatter_total": 0, "commenters": 0,
                     "buyers": BUYERS})
    return rows


def _bought(rng: random.Random) -> dict[int, list[int]]:
    """show index → member ids who bought: members join over time; a loyal third comes back often."""
    joined = sorted(rng.randrange(SHOWS) for _ in range(MEMBERS))
    loyal = set(rng.sample(range(MEMBERS), MEMBERS // 3))
    out: dict[int, list[int]] = {}
    for s in range(SHOWS):
        pool = [m for m in range(MEMBERS) if joined[m] <= s]
        core = [m for m in pool if m in loyal]
        picks = set(rng.sample(core, min(len(core), BUYERS * 2 // 3)))
        picks |= set(rng.sample(pool, min(len(pool), BUYERS - len(picks))))
        out[s] = sorted(picks)[:BUYERS]
    return out


def load(eng: Engine) -> tuple[int, list[str]]:
    """Build the community; returns (tonight's show id, the 50 askers' names)."""
    rng = random.Random(17)
    with db.session(eng) as s:
        s.execute(insert(Community), [{"id": 1, "name": "源味集·压测群", "member_count": MEMBERS}])
        shows = _shows(1)
        s.execute(insert(Show), shows)
        bought = _bought(rng)
        stats: dict[int, dict] = {}
        ms_rows = []
        for si, ids in bought.items():
            at = shows[si]["scheduled_start"]
            for m in ids:
                spend = Decimal(rng.choice((16.8, 33.6, 39.9, 69.0)))
                ms_rows.append({"member_id": m + 1, "show_id": si + 1, "community_id": 1, "show_at": at, "watched": True,
                                "orders": 1, "units": 1, "spend": spend, "claims": 0, "early": False})
                st = stats.setdefault(m, {"n": 0, "spend": Decimal(0), "first": at, "last": at})
                st["n"] += 1
                st["spend"] += spend
                st["last"] = at
        now = shows[-1]["scheduled_start"]
        kocs = set(rng.sample(range(MEMBERS), KOCS))
        s.execute(insert(Member), [
            {"id": m + 1, "community_id": 1, "name": f"成员{m:05d}", "building": f"{m % 18 + 1}栋", "phone_tail": f"{m % 10000:04d}",
             "koc": m in kocs, "created_at": T0, "shows_watched": stats.get(m, {}).get("n", 0),
             "shows_bought": stats.get(m, {}).get("n", 0), "orders": stats.get(m, {}).get("n", 0),
             "units": stats.get(m, {}).get("n", 0), "spend": stats.get(m, {}).get("spend", Decimal(0)), "claims": 0,
             "first_show_at": stats.get(m, {}).get("first"), "first_order_at": stats.get(m, {}).get("first"),
             "last_order_at": stats.get(m, {}).get("last")}
            for m in range(MEMBERS)
        ])
        s.execute(insert(MemberAlias), [{"community_id": 1, "kind": "name", "value": f"成员{m:05d}", "member_id": m + 1,
                                         "created_at": T0} for m in range(MEMBERS)])
        for i in range(0, len(ms_rows), 5000):
            s.execute(insert(MemberShow), ms_rows[i:i + 5000])
            s.execute(insert(ShowBuyer), [{"show_id": r["show_id"], "name": f"成员{r['member_id'] - 1:05d}",
                                           "valid_entries": 1, "kept_entries": 1} for r in ms_rows[i:i + 5000]])
        s.execute(insert(MemberSync), [{"show_id": i + 1, "version": 1, "synced_at": shows[i]["scheduled_end"]}
                                       for i in range(SHOWS)])  # the past shows were counted when they ended
        tonight = SHOWS + 1
        buyers = rng.sample(range(MEMBERS), 150)
        s.execute(insert(ShowBuyer), [{"show_id": tonight, "name": f"成员{m:05d}", "valid_entries": 1, "kept_entries": 1}
                                      for m in buyers])
        askers = [f"成员{m:05d}" for m in rng.sample(range(MEMBERS), ASKERS - 10)] + [f"新观众{i}" for i in range(10)]
        del now
    if eng.dialect.name == "postgresql":  # what autovacuum would have done after such a load
        with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with eng.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return tonight, askers


def run(kind: str) -> None:
    suffix = "" if kind == "sqlite" else f"_{kind}"
    with fresh_engine(kind) as eng:
        show_id, askers = load(eng)

        def badges() -> None:
            with db.session(eng) as s:
                members.badges(s, show_id, askers)

        def board() -> None:
            with db.session(eng) as s:
                members.board(s, 1)

        badges()
        xs = [x * 1000 for x in timed(badges, RUNS)]
        report(f"member_badges_ms{suffix}", p95(xs), "ms (p95)", 1)
        print(f"  median {median(xs):.1f} ms, min–max {min(xs):.1f}–{max(xs):.1f} ms over {RUNS} calls", flush=True)
        if kind == "sqlite":  # SQLite runs in this process: its CPU time is the call's cost on an idle core
            cpu = []
            for _ in range(RUNS):
                t0 = time.process_time()
                badges()
                cpu.append((time.process_time() - t0) * 1000)
            report("member_badges_cpu_ms", p95(cpu), "ms (p95)", 1)
        board()
        ys = [y * 1000 for y in timed(board, BOARD_RUNS)]
        report(f"member_review_ms{suffix}", median(ys), "ms (median)", 1)
        print(f"  min–max {min(ys):.1f}–{max(ys):.1f} ms over {BOARD_RUNS} calls", flush=True)


def main() -> None:
    for kind in ("sqlite", "postgresql"):
        run(kind)
