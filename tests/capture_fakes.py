"""Fake capture tools for tests and the benchmark: they replay the recorded fixtures of
tests/data/capture/ in each tool's own format, over the tool's own transport.

- FakeWsTool: a WebSocket server like oba-live-tool / DanmakuListener / douyinLive (broadcast, no replay;
  optional Bearer token; any path). stop() is the tool quitting, start() the tool back on the same port.
- post_wx(): one wxlivespy forward POST (JSON, optionally gzipped).
- CaptureProcess: the real `python -m services.capture` as a subprocess.
"""
from __future__ import annotations

import copy
import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from websockets.datastructures import Headers
from websockets.http11 import Response
from websockets.sync.server import serve

import db
from services import clock, shows
from services.authz import SYSTEM
from tests.appserver import ROOT, free_port

DATA = ROOT / "tests" / "data" / "capture"
RECORDED_T0 = 1767701700  # the fixtures' clock (2026-01-06 20:15:00 +08:00)


def live_show(engine, title: str = "采集测试") -> int:
    """A show that is on air now (the capture feed's banners depend on it)."""
    with db.session(engine) as s:
        now = clock.now()
        show = shows.create_show(s, SYSTEM, shows.ShowForm(title, "阳光花园", 300, "老李", now, now + timedelta(hours=3)))
        shows.start_show(s, SYSTEM, show.id)
        return show.id


# --- fixtures, with their times moved to now --------------------------------------------------------


def _shift_ms(value, delta: int):
    return type(value)(int(value) + delta * 1000) if value not in (None, "") else value


def shift(tool: str, msg, delta: int):
    """The message with every time field moved by `delta` seconds (in the tool's own unit)."""
    if not isinstance(msg, dict):
        return msg
    m = copy.deepcopy(msg)
    if tool == "wxlivespy":
        for ev in m.get("events", []):
            if isinstance(ev, dict) and "msg_time" in ev:
                ev["msg_time"] = _shift_ms(ev["msg_time"], delta)
    elif tool == "oba":
        for k in ("time",):
            if k in m:
                m[k] = _shift_ms(m[k], delta)
        if "order_ts" in m:
            m["order_ts"] += delta
    elif tool == "danmaku":
        m["timestamp"] = m.get("timestamp", 0) + delta
        p = m.get("payload")
        if isinstance(p, dict) and "window_start" in p:
            p["window_start"] += delta
            p["window_end"] += delta
    elif tool == "douyinlive" and isinstance(m.get("common"), dict):
        m["common"]["createTime"] = str(_shift_ms(m["common"]["createTime"], delta))
    return m


def frames(tool: str, delta: int | None = None) -> list[str]:
    """The tool's recorded frames (raw text lines), times moved so that the first is now."""
    delta = int(time.time()) - RECORDED_T0 if delta is None else delta
    out = []
    for line in (DATA / f"{tool}_frames.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.dumps(shift(tool, json.loads(line), delta), ensure_ascii=False))
        except json.JSONDecodeError:
            out.append(line)  # a deliberately broken frame goes out as recorded
    return out


def wx_posts(delta: int | None = None) -> list[dict]:
    delta = int(time.time()) - RECORDED_T0 if delta is None else delta
    posts = json.loads((DATA / "wxlivespy_posts.json").read_text(encoding="utf-8"))["posts"]
    for p in posts:
        if "body" in p:
            p["body"] = shift("wxlivespy", p["body"], delta)
    return posts


# --- transports -------------------------------------------------------------------------------------


class FakeWsTool:
    """A capture tool's WebSocket server on 127.0.0.1 (broadcast to whoever is connected)."""

    def __init__(self, token: str = "", port: int | None = None) -> None:
        self.token, self.port = token, port or free_port()
        self.clients: set = set()
        self.lock = threading.Lock()
        self.server = None
        self.connections = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def _check(self, connection, request):
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            return Response(401, "Unauthorized", Headers(), b"invalid or missing token")
        return None

    def _handler(self, ws) -> None:
        with self.lock:
            self.clients.add(ws)
            self.connections += 1
        try:
            for _ in ws:  # the tools ignore what a client says (douyinLive answers "ping" with "pong")
                pass
        finally:
            with self.lock:
                self.clients.discard(ws)

    def start(self) -> "FakeWsTool":
        self.server = serve(self._handler, "127.0.0.1", self.port, process_request=self._check, compression=None)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """The tool quits: the port closes and every client is dropped."""
        if self.server is not None:
            self.server.shutdown()
            self.server = None

    def wait_for_client(self, timeout: float = 60, connections: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.clients and self.connections >= connections:
                    return
            time.sleep(0.05)
        raise AssertionError(f"the capture process did not connect to the fake tool within {timeout} s")

    def send(self, messages: list[str], every_s: float = 0.0) -> None:
        for text in messages:
            with self.lock:
                clients = list(self.clients)
            for ws in clients:
                try:
                    ws.send(text)
                except Exception:  # noqa: BLE001 - a client that just left
                    pass
            if every_s:
                time.sleep(every_s)


def post_wx(url: str, post: dict, token: str = "") -> int:
    """One wxlivespy forward POST; the HTTP status the receiver answered."""
    data = post["raw"].encode() if "raw" in post else json.dumps(post["body"], ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if post.get("gzip"):
        data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
    if token:
        url += f"?token={token}"
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


# --- the capture process ----------------------------------------------------------------------------


class CaptureProcess:
    """`python -m services.capture` as a real subprocess, with its output in a log file."""

    def __init__(self, database_url: str, show_id: int, source: str, *args: str, log: Path,
                 env: dict[str, str] | None = None, stdin=None) -> None:
        self.log = log
        self.out = log.open("w")
        cmd = [sys.executable, "-m", "services.capture", "--show", str(show_id), "--source", source,
               "--database-url", database_url, *args]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.out, stderr=subprocess.STDOUT, stdin=stdin,
                                     env={**os.environ, **(env or {})})

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM, then the exit status (the process flushes what it holds first)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.out.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.out.close()

    def output(self) -> str:
        self.out.flush()
        return self.log.read_text(errors="replace")


def wait_until(check, timeout: float, what: str, every: float = 0.1):
    """Poll `check()` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"{what} (not within {timeout} s; last seen: {last!r})")
