"""Where raw deliveries come from: an HTTP receiver (wxlivespy), a WebSocket client (oba, DanmakuListener,
douyinLive) or stdin (jsonl). Each runs in its own thread and puts onto one queue:
    ("raw", payload)               one delivery, parsed later by the source's adapter
    ("conn", connected, detail)    the link to the tool came up or went down
    ("bad", reason)                a delivery refused before parsing (too large, broken gzip): counted
    ("eof", None)                  stdin ended (jsonl only)
"""
from __future__ import annotations

import hmac
import json
import queue
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO
from urllib.parse import parse_qs, urlsplit

import websockets
from websockets.sync.client import connect as ws_connect

MAX_BODY = 1_000_000  # bytes, compressed and uncompressed alike
# A refused POST's body is still read off the socket, up to this much, before the answer: a
# server that closes on unread bytes sends a reset, and the sender sees a broken pipe instead
# of its 401 / 413 (and on a kept-alive connection the bytes would read as the next request).
DRAIN_MAX = 8 * MAX_BODY
WS_MAX_FRAME = 1_000_000
BACKOFF_START_S, BACKOFF_MAX_S = 0.5, 5.0

DEFAULT_URLS = {
    "oba": "ws://127.0.0.1:12354",
    "danmaku": "ws://127.0.0.1:8765/ws",
    "douyinlive": "ws://127.0.0.1:1088/ws/{room}",
}
DEFAULT_LISTEN = "127.0.0.1:8090"
WX_PATH = "/wxlive"


class Source:
    """A thread that feeds the queue until stop() is called."""

    def __init__(self, out: queue.Queue) -> None:
        self.out = out
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name=type(self).__name__, daemon=True)
        self.thread.start()

    def run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=5)


class WebSocketSource(Source):
    """Client of a tool's WebSocket server; reconnects with backoff (0.5 s doubling to 5 s)."""

    def __init__(self, out: queue.Queue, url: str, token: str = "") -> None:
        super().__init__(out)
        self.url, self.token = url, token

    def run(self) -> None:
        delay = BACKOFF_START_S
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else None
        while not self.stopping.is_set():
            try:
                with ws_connect(self.url, additional_headers=headers, open_timeout=5, close_timeout=1,
                                max_size=WS_MAX_FRAME, ping_interval=10, ping_timeout=10) as ws:
                    self.out.put(("conn", True, ""))
                    delay = BACKOFF_START_S
                    self._receive(ws)
            except websockets.exceptions.InvalidStatus as exc:
                code = exc.response.status_code
                detail = "口令不对或缺少口令" if code in (401, 403) else f"对方拒绝连接（HTTP {code}）"
                self.out.put(("conn", False, detail))
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
                self.out.put(("conn", False, _why(exc)))
            if self.stopping.wait(delay):
                return
            delay = min(delay * 2, BACKOFF_MAX_S)

    def _receive(self, ws) -> None:
        while not self.stopping.is_set():
            try:
                frame = ws.recv(timeout=0.5)
            except TimeoutError:
                continue
            except websockets.exceptions.ConnectionClosedOK:
                raise websockets.exceptions.WebSocketException("采集工具关闭了连接")
            self.out.put(("raw", frame))


def _why(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝（采集工具没有运行？）"
    if isinstance(exc, TimeoutError):
        return "连接超时"
    if isinstance(exc, websockets.exceptions.ConnectionClosed):
        return "连接中断"
    text = str(exc) or type(exc).__name__
    return text[:200]


class HttpSource(Source):
    """Receiver of wxlivespy's forward POSTs on http://HOST:PORT/wxlive (bind 127.0.0.1 by default)."""

    def __init__(self, out: queue.Queue, listen: str, token: str = "") -> None:
        super().__init__(out)
        host, _, port = listen.rpartition(":")
        self.server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), _handler(out, token))
        self.server.daemon_threads = True

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{WX_PATH}"

    def run(self) -> None:
        self.out.put(("conn", True, ""))
        self.server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        super().stop()


def _handler(out: queue.Queue, token: str):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # seconds: a sender stalled mid-body frees its thread

        def log_message(self, format, *args) -> None:  # noqa: A002 - quiet: one line per POST is noise
            pass

        def do_GET(self) -> None:
            self._answer(200 if urlsplit(self.path).path == "/health" else 404, {"ok": True})

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path != WX_PATH:
                return self._refuse(404, "not found")
            if token and not _token_ok(self.headers.get("Authorization", ""), parse_qs(url.query), token):
                return self._refuse(401, "token required")
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                return self._refuse(411, "length required")
            if int(length) > MAX_BODY:
                out.put(("bad", "body over 1 MB"))
                return self._refuse(413, "body over 1 MB")
            body = self.rfile.read(int(length))
            if "gzip" in (self.headers.get("Content-Encoding") or "").lower():
                body, why = _gunzip(body)
                if body is None:
                    out.put(("bad", why))
                    return self._answer(413 if why == "too large" else 400, {"error": why})
            out.put(("raw", body))
            self._answer(200, {"ok": True})

        def _refuse(self, code: int, why: str) -> None:
            """Answer without taking the body: read it off the socket (bounded), then close."""
            self.close_connection = True
            length = self.headers.get("Content-Length") or ""
            left = int(length) if length.isdigit() and int(length) <= DRAIN_MAX else 0
            while left > 0 and (chunk := self.rfile.read(min(left, 65536))):
                left -= len(chunk)
            self._answer(code, {"error": why})

        def _answer(self, code: int, data: dict) -> None:
            payload = json.dumps(data).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def _token_ok(header: str, query: dict, token: str) -> bool:
    given = header[7:] if header.startswith("Bearer ") else (query.get("token") or [""])[0]
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def _gunzip(body: bytes) -> tuple[bytes | None, str]:
    """Inflate at most MAX_BODY bytes: (data, "") or (None, why) for a bomb or broken data."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = d.decompress(body, MAX_BODY + 1)
    except zlib.error:
        return None, "not gzip"
    if len(data) > MAX_BODY or d.unconsumed_tail:
        return None, "too large"
    return data, ""


class StdinSource(Source):
    """Lines of stdin as they arrive; ("eof", None) at the end."""

    def __init__(self, out: queue.Queue, stream: IO[str] | None = None) -> None:
        super().__init__(out)
        self.stream = stream or sys.stdin

    def run(self) -> None:
        self.out.put(("conn", True, ""))
        for line in self.stream:
            if line.strip():
                self.out.put(("raw", line))
            if self.stopping.is_set():
                break
        self.out.put(("eof", None))

    def stop(self) -> None:
        self.stopping.set()  # a blocked read cannot be interrupted: the thread is a daemon
