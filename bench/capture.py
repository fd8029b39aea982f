"""Live capture benchmark: the real capture process against a fake DanmakuListener on localhost.

    python -m bench capture

capture_visible_p95_s_<db>: a question said in the room (sent by the fake tool) → visible in a
triage.queue read (polled every 50 ms), p95 over CAPTURE_BENCH_PROBES probes (default 60, two a
second) while the room also chatters, likes and enters at ~40 messages/s. Target ≤ 2 s.
capture_sustained_msgs_per_s_<db>: replay at each rate of CAPTURE_BENCH_RATES (default 200,400,800,1600
messages/s: 60 % comments from the labelled set, 25 % likes, 10 % enters, 5 % gifts) for
CAPTURE_BENCH_SECONDS (default 300 = 5 minutes) each; a rate is held when the backlog (sent − stored)
does not grow (median of the last third ≤ max(1.5 × the first third's, two seconds' worth)) and
drains within 15 s after. Prints the highest
rate held (0 if none); lags per rate go to stderr.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import db
from bench.common import fresh_engine, p95, report
from db.models import CaptureFeed
from services import triage
from tests.capture_fakes import CaptureProcess, FakeWsTool, live_show, wait_until

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "comments_labelled.tsv"
PROBES = int(os.environ.get("CAPTURE_BENCH_PROBES", "60"))
SECONDS = float(os.environ.get("CAPTURE_BENCH_SECONDS", "300"))
RATES = [int(r) for r in os.environ.get("CAPTURE_BENCH_RATES", "200,400,800,1600").split(",") if r.strip()]
CHATTER = ["哈哈", "主播好", "来了来了", "666", "支持", "[玫瑰][玫瑰]", "晚上好呀", "好看"]


class Room:
    """Messages in DanmakuListener's contract v1, numbered so no two share a msg_id."""

    def __init__(self) -> None:
        self.seq = 0
        self.texts = [line.split("\t", 1)[1] for line in LABELLED.read_text(encoding="utf-8").splitlines()
                      if line.strip() and not line.startswith("#")]
        self.rng = random.Random(7)

    def frame(self, kind: str, payload: dict) -> str:
        self.seq += 1
        return json.dumps({"contract_version": "1.0.0", "category": "business", "type": kind, "platform": "wechat_channels",
                           "room_id": "bench", "seq": self.seq, "timestamp": int(time.time()), "engine": "bench",
                           "msg_id": f"bench-{self.seq}", "payload": payload}, ensure_ascii=False)

    def viewer(self) -> dict:
        n = self.rng.randrange(800)
        return {"user_name": f"观众{n}", "user_id": f"o9hBench{n:04d}"}

    def mixed(self) -> str:
        r = self.rng.random()
        if r < 0.60:
            return self.frame("DANMU", {**self.viewer(), "content": self.rng.choice(self.texts)})
        if r < 0.85:
            return self.frame("LIKE", {"user_name": self.viewer()["user_name"], "count": 1})
        if r < 0.95:
            return self.frame("ENTER_ROOM", self.viewer())
        return self.frame("GIFT", {**self.viewer(), "gift_name": "小心心", "gift_count": 1})

    def background(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return self.frame("DANMU", {**self.viewer(), "content": self.rng.choice(CHATTER)})
        return self.frame("LIKE" if r < 0.8 else "ENTER_ROOM", {**self.viewer(), "count": 1})


def stored(engine, show_id: int) -> int:
    with db.session(engine) as s:
        return s.get(CaptureFeed, show_id).stored


def visible_latencies(engine, show_id: int, tool: FakeWsTool, room: Room) -> list[float]:
    stop = threading.Event()

    def chatter() -> None:
        while not stop.is_set():
            tool.send([room.background() for _ in range(2)])
            time.sleep(0.05)

    threading.Thread(target=chatter, daemon=True).start()
    out = []
    try:
        for k in range(PROBES):
            text = f"探针{k}号团品今晚几点发货"
            tool.send([room.frame("DANMU", {"user_name": f"探针{k}", "user_id": f"probe{k}", "content": text})])
            t0 = time.perf_counter()
            wait_until(lambda: _probes_seen(engine, show_id) > k, 30, f"probe {k} visible in the queue", every=0.05)
            out.append(time.perf_counter() - t0)
            time.sleep(max(0.0, 0.5 - out[-1]))
    finally:
        stop.set()
    return out


def _probes_seen(engine, show_id: int) -> int:
    with db.session(engine) as s:
        return sum(g.comments for g in triage.queue(s, show_id, limit=50) if "探针" in g.text)


def sustained(engine, show_id: int, tool: FakeWsTool, room: Room, rate: int) -> bool:
    base = stored(engine, show_id)
    sent, lags, tick = 0, [], 0.05
    start = time.perf_counter()
    next_sample = start + 1
    while (now := time.perf_counter()) - start < SECONDS:
        due = int((now - start) * rate)
        if due > sent:
            tool.send([room.mixed() for _ in range(due - sent)])
            sent = due
        if now >= next_sample:
            lags.append(sent - (stored(engine, show_id) - base))
            next_sample += 1
        time.sleep(tick)
    drained_by = time.perf_counter() + 15
    while stored(engine, show_id) - base < sent and time.perf_counter() < drained_by:
        time.sleep(0.2)
    drained = stored(engine, show_id) - base >= sent
    third = max(1, len(lags) // 3)
    first, last = statistics.median(lags[:third] or [0]), statistics.median(lags[-third:] or [0])
    # Held: everything stored in the end, and the backlog did not grow past the first third's (×1.5)
    # nor past two seconds' worth of messages (the visibility target) in the last third.
    held = drained and last <= max(1.5 * first, 2 * rate)
    print(f"  {rate}/s for {SECONDS:.0f} s: backlog median first third {first:.0f}, last third {last:.0f}, "
          f"max {max(lags or [0])}, drained {drained} → {'held' if held else 'not held'}", file=sys.stderr, flush=True)
    return held


def run(kind: str) -> None:
    with fresh_engine(kind) as engine, tempfile.TemporaryDirectory() as tmp:
        show_id = live_show(engine, "采集压测")
        room, tool = Room(), FakeWsTool().start()
        proc = CaptureProcess(engine.url.render_as_string(hide_password=False), show_id, "danmaku", "--url", tool.url,
                              log=Path(tmp) / "capture.log")
        try:
            tool.wait_for_client()
            lat = visible_latencies(engine, show_id, tool, room)
            print(f"  visible: median {statistics.median(lat):.2f} s, min {min(lat):.2f}, max {max(lat):.2f} "
                  f"over {len(lat)} probes", file=sys.stderr, flush=True)
            report(f"capture_visible_p95_s_{kind}", p95(lat), "s", 2)
            best = 0
            for rate in RATES:
                if not sustained(engine, show_id, tool, room, rate):
                    break
                best = rate
            report(f"capture_sustained_msgs_per_s_{kind}", best, "msgs/s", 0)
        finally:
            tool.stop()
            proc.stop()


def main() -> None:
    for kind in ("sqlite", "postgresql"):
        run(kind)


if __name__ == "__main__":
    main()
