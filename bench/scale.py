"""Every page and export stays flat as the night grows (issue 19).

    python -m bench scale                 # 1k, 10k and 100k chain entries
    BENCH_QUICK=1 python -m bench scale   # 1k and 10k only (a few minutes), figures named _10k
    BENCH_DATABASES=sqlite python -m bench scale   # one database only

Builds the big night of bench.snapshot (20 deals, their tallies, comments, promises) at each
size on SQLite and on PostgreSQL, bulk-loaded, then per database prints:
- page_cpu_growth_max: the largest CPU ratio largest/1k over every page's full run as the admin
  (AppTest: console, host, promises with a deal-scope and with a whole-show promise open, review
  with each tab, setup, operators); each page's ratio on a comment line;
- promise_confirm_show_<N>_s: confirming a whole-show promise (services.promises.confirm);
- promise_resync_<N>_ms: the re-expansion after one new entry (follow_chain, as the commit runs it);
- export_xlsx_<N>_s and export_xlsx_<N>_rss_mb: the entries workbook and this process's RSS
  growth while it is built (sampled every 20 ms);
- paste_<200>_on_10k_s: preview plus apply of 200 new lines onto a deal with 10k entries.
Medians of 3 runs (pages: after one warm-up run), spread on comment lines. CPU is this
process's (AppTest runs the page in it; on SQLite the database's work is in it too).
"""
from __future__ import annotations

import os
import statistics
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psutil
from sqlalchemy import update

import db
from bench.common import fresh_engine, report
from bench.snapshot import build_rows, load
from db.models import Operator
from services import auth, clock, jielong, promises, review
from services.authz import Actor

QUICK = os.environ.get("BENCH_QUICK", "").strip() not in ("", "0")
SIZES = (1_000, 10_000) if QUICK else (1_000, 10_000, 100_000)
RUNS = 3
PASTE_BASE, PASTE_NEW = 10_000, 200
ROOT = Path(__file__).resolve().parents[1]
ADMIN = Actor(id=1, name="压测助手", role="admin")
REVIEW_TABS = ("团品", "问题", "承诺", "提货", "事件日志", "多场对比", "导出")


def _label(n: int) -> str:
    return f"{n // 1000}k"


def _spread(name: str, xs: list[float], unit: str) -> None:
    print(f"#   {name}: median {statistics.median(xs):.3f} {unit}, min {min(xs):.3f}, max {max(xs):.3f}, n={len(xs)}",
          flush=True)


# ---------------------------------------------------------------- the night


def build(eng, n: int) -> dict[str, int]:
    """Load the night at size n; a deal-scope and a whole-show promise confirmed. Returns ids
    and the first confirm's seconds."""
    rows, show_id = build_rows(clock.now(), entries=n, comments=max(500, n // 2))
    load(eng, rows)
    del rows
    with db.session(eng) as s:
        s.execute(update(Operator).where(Operator.id == 1).values(role="admin"))
        deal = promises.log_promise(s, ADMIN, show_id, "这一单明天中午前送到", deal_id=1)
        promises.confirm(s, ADMIN, deal.id, scope=promises.Scope.DEAL)
    t_show, show_pid = confirm_show(eng, show_id)
    analyse(eng)
    return {"show": show_id, "deal_promise": deal.id, "show_promise": show_pid, "confirm_s": t_show}


def analyse(eng) -> None:
    """What autovacuum does within a minute of a big confirm (on PostgreSQL): fresh statistics."""
    if eng.dialect.name == "postgresql":
        with eng.begin() as conn:
            conn.exec_driver_sql("ANALYZE fulfilment_item")


def confirm_show(eng, show_id: int) -> tuple[float, int]:
    with db.session(eng) as s:
        p = promises.log_promise(s, ADMIN, show_id, "今晚所有订单都包邮", guess_deal=False)
    t0 = time.perf_counter()
    with db.session(eng) as s:
        promises.confirm(s, ADMIN, p.id, scope=promises.Scope.SHOW)
    return time.perf_counter() - t0, p.id


# ---------------------------------------------------------------- pages


def _pages(ids: dict[str, int]) -> list[tuple[str, str, dict]]:
    out = [("console", "console", {}), ("host", "host", {}), ("setup", "setup", {}), ("operators", "operators", {})]
    out += [("promises_deal", "promises", {"promises_open": ids["deal_promise"]}),
            ("promises_show", "promises", {"promises_open": ids["show_promise"]})]
    out += [(f"review_{t}", "review", {"review_tab": t}) for t in REVIEW_TABS]
    return out


def _login(url: str) -> str:
    """A fresh session token for the admin (every page read checks it; without one a page
    draws only the login notice, which is flat at any size)."""
    eng = db.connect(url)
    with db.session(eng) as s:
        token = auth.issue_token(s, "session", clock.now(), 24, operator_id=ADMIN.id, last_seen_at=clock.now())
    eng.dispose()
    return token


def page_cpu(url: str, ids: dict[str, int]) -> dict[str, float]:
    """Median CPU seconds of each page's full run as the admin on this database."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import context

    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    out = {}
    for name, page, state in _pages(ids):
        at = AppTest.from_file(str(ROOT / "views" / f"{page}.py"), default_timeout=600)
        at.session_state[context.TOKEN_KEY] = _login(url)
        at.session_state[context.ACTOR_KEY] = ADMIN
        at.session_state[context.SHOW_KEY] = ids["show"]
        for k, v in state.items():
            at.session_state[k] = v
        at.run()
        if at.exception:
            print(f"#   page {name} raised: {at.exception[0].message[:200]}", flush=True)
        cpus = []
        for _ in range(RUNS):
            c0 = time.process_time()
            at.run()
            cpus.append(time.process_time() - c0)
        if context.TOKEN_KEY not in at.session_state:
            print(f"#   page {name} logged out: its figures are not a page's run", flush=True)
        out[name] = statistics.median(cpus)
    st.cache_resource.clear()
    return out


# ---------------------------------------------------------------- promises, export, paste


def resync_ms(eng, show_id: int) -> tuple[list[float], list[float]]:
    """One new entry on deal 2, then the re-expansion its commit runs (timed alone): wall and
    this process's CPU milliseconds."""
    wall, cpu = [], []
    for i in range(RUNS + 2):
        with db.session(eng) as s:
            jielong.add_entry(s, ADMIN, 2, f"新团员{i}", qty=1, address="3栋", source="manual")
            t0, c0 = time.perf_counter(), time.process_time()
            promises.follow_chain(s)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return wall[2:], cpu[2:]  # the first two warm the statement caches


def export_xlsx(eng, show_id: int) -> tuple[float, float]:
    """Seconds and RSS growth (MB, peak over the start) of one entries workbook."""
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    t0 = time.perf_counter()
    with db.session(eng) as s:
        data = review.entries_xlsx(s, ADMIN, show_id)
    seconds = time.perf_counter() - t0
    done.set()
    t.join()
    assert data[:2] == b"PK"
    return seconds, (peak[0] - base) / 2**20


def _chain(first: int, last: int) -> str:
    return "#接龙\n【压测团品】\n" + "\n".join(f"{i}. 团员{i:05d} {i % 3 + 1}份 {i % 30 + 1}栋" for i in range(first, last + 1))


def paste_on_10k(eng, show_id: int) -> list[float]:
    """A new deal with 10k entries; then preview + apply of 200 new lines (the later part of the
    chain, numbered on from the last entry, as an assistant copies what came in), RUNS times.
    Re-pasting the whole chain is `bench paste`'s repaste figure."""
    with db.session(eng) as s:
        deal = jielong.create_deal(s, ADMIN, show_id, jielong.DealForm(
            product="压测团品", group_price=Decimal("9.9"), original_price=Decimal("15"), threshold=50,
            stock=None, per_person_limit=None, delivery_text="次日自提",
            deadline=clock.now() + timedelta(hours=3)))
        jielong.release(s, deal.id, ADMIN)
        deal_id = deal.id
    with db.session(eng) as s:
        jielong.apply_paste(s, ADMIN, deal_id, _chain(1, PASTE_BASE))
    out, last = [], PASTE_BASE
    for _ in range(RUNS):
        text = _chain(last + 1, last + PASTE_NEW)
        t0 = time.perf_counter()
        with db.session(eng) as s:
            jielong.preview_paste(s, deal_id, text)
        with db.session(eng) as s:
            res = jielong.apply_paste(s, ADMIN, deal_id, text)
        out.append(time.perf_counter() - t0)
        assert res.added == PASTE_NEW, res
        last += PASTE_NEW
    return out


# ---------------------------------------------------------------- one database


def run(kind: str) -> None:
    cpu: dict[int, dict[str, float]] = {}
    for n in SIZES:
        with fresh_engine(kind) as eng:
            t0 = time.perf_counter()
            ids = build(eng, n)
            print(f"# {kind} {_label(n)}: built in {time.perf_counter() - t0:.1f} s", flush=True)
            cpu[n] = page_cpu(eng.url.render_as_string(hide_password=False), ids)
            if n != SIZES[-1] and n != PASTE_BASE:
                continue
            if n == PASTE_BASE:
                xs = paste_on_10k(eng, ids["show"])
                report(f"paste_{PASTE_NEW}_on_10k_s_{kind}", statistics.median(xs), "s")
                _spread(f"paste_{PASTE_NEW}_on_10k_s_{kind}", xs, "s")
            if n != SIZES[-1]:
                continue
            size = _label(n)
            confirms = [ids["confirm_s"]] + [confirm_show(eng, ids["show"])[0] for _ in range(RUNS - 1)]
            report(f"promise_confirm_show_{size}_s_{kind}", statistics.median(confirms), "s")
            _spread(f"promise_confirm_show_{size}_s_{kind}", confirms, "s")
            analyse(eng)
            xs, cpus = resync_ms(eng, ids["show"])
            report(f"promise_resync_{size}_ms_{kind}", statistics.median(xs), "ms")
            _spread(f"promise_resync_{size}_ms_{kind}", xs, "ms")
            _spread(f"promise_resync_{size}_cpu_ms_{kind}", cpus, "ms")
            runs = [export_xlsx(eng, ids["show"]) for _ in range(RUNS)]
            report(f"export_xlsx_{size}_s_{kind}", statistics.median(r[0] for r in runs), "s")
            report(f"export_xlsx_{size}_rss_mb_{kind}", max(r[1] for r in runs), "MB")
            _spread(f"export_xlsx_{size}_s_{kind}", [r[0] for r in runs], "s")
            _spread(f"export_xlsx_{size}_rss_mb_{kind}", [r[1] for r in runs], "MB")
    small, big = cpu[SIZES[0]], cpu[SIZES[-1]]
    ratios = {p: big[p] / small[p] for p in small if small[p] > 0}
    for p, r in sorted(ratios.items(), key=lambda x: -x[1]):
        print(f"#   page {p}: {small[p]:.3f} s → {big[p]:.3f} s CPU ({r:.2f}×)", flush=True)
    report(f"page_cpu_growth_max_{kind}", max(ratios.values()), "ratio", 2)


def main() -> None:
    print(f"# load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
          f"sizes {', '.join(_label(n) for n in SIZES)}", flush=True)
    for kind in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","):
        run(kind.strip())


if __name__ == "__main__":
    main()
