"""The capture loop: read the source's queue, parse, flush small batches, beat, stop cleanly.

Batches are flushed at least every FLUSH_S (or at BATCH_MAX items), so a comment said in the room is
in the console's queue read within about a second. A database blink is retried inside the flush
(services.store.unit_of_work); past its budget the batch stays pending and is retried later (never dropped
unless PENDING_MAX is exceeded, counted as lost).
"""
from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy import Engine

from services import clock, store
from services.capture import feed, intake
from services.capture.model import Gap, Message, Parsed, Signal, Stats, Status
from services.errors import DomainError

log = logging.getLogger("live_night.capture")

FLUSH_S = 0.5
BEAT_S = 1.0
BATCH_MAX = 1000
PENDING_MAX = 200_000
FLUSH_BUDGET_S = 5.0
BEAT_BUDGET_S = 1.0
_SIGNAL_STATE = {Signal.LIVE: feed.FeedState.OK, Signal.ALIVE: None, Signal.OFFLINE: feed.FeedState.OFFLINE,
                 Signal.NEEDS_LOGIN: feed.FeedState.NEEDS_LOGIN, Signal.ERROR: feed.FeedState.ERROR}


@dataclass
class Counts:
    received: int = 0
    malformed: int = 0
    unknown: int = 0
    stored: int = 0
    duplicates: int = 0
    db_retries: int = 0
    lost: int = 0
    recent: deque = field(default_factory=deque)  # monotonic times of the last minute's messages


class Runner:
    def __init__(self, engine: Engine, show_id: int, source_name: str, parse: Callable[..., Parsed],
                 platform: str | None = None, viewer_every_s: float = 10.0, err: IO[str] = sys.stderr) -> None:
        self.engine, self.show_id, self.source_name = engine, show_id, source_name
        self.parse, self.platform, self.viewer_every_s, self.err = parse, platform, viewer_every_s, err
        self.queue: queue.Queue = queue.Queue()
        self.counts = Counts()
        self.messages: list[Message] = []
        self.stats: list[Stats] = []
        self.gaps: list[Gap] = []
        self.pending_since: float | None = None
        self.connected: bool | None = None  # until the source's first attempt has an answer
        self.state, self.detail = feed.FeedState.OK, ""
        self.gap_until = 0.0
        self.last_message_at = None
        self.db_error = ""

    # --- the loop -------------------------------------------------------------------------

    def begin(self) -> None:
        """Register the process for the show (raises DomainError / a database error: exit 2)."""
        store.unit_of_work(self.engine, lambda s: feed.start(s, self.show_id, self.source_name), budget_s=10)

    def run(self, stop: threading.Event) -> None:
        next_beat = time.monotonic()
        eof = False
        while not stop.is_set() and not eof:
            wait = next_beat - time.monotonic()
            if self.pending_since is not None:
                wait = min(wait, self.pending_since + FLUSH_S - time.monotonic())
            eof = self._take(max(0.0, min(wait, BEAT_S)))
            if self.pending_since is not None and (
                time.monotonic() - self.pending_since >= FLUSH_S or len(self.messages) + len(self.stats) >= BATCH_MAX
            ):
                self.flush()
            if time.monotonic() >= next_beat:
                self.beat()
                next_beat = time.monotonic() + BEAT_S
        self._take(0.0)

    def finish(self) -> None:
        """Flush what is held (retrying through a blink for a while), then the last heartbeat."""
        self._take(0.0)
        deadline = time.monotonic() + 30
        while (self.messages or self.stats) and time.monotonic() < deadline:
            if not self.flush():
                time.sleep(0.5)
        self.counts.lost += len(self.messages)
        try:
            store.unit_of_work(self.engine, lambda s: feed.stop(s, self.show_id, self._beat()), budget_s=5)
        except Exception as exc:  # noqa: BLE001 - the database may be gone; the next start tidies up
            print(f"无法写入最后的采集状态：{type(exc).__name__}", file=self.err)

    def _take(self, timeout: float) -> bool:
        """Handle everything queued (waiting up to `timeout` for the first); True at end of input."""
        try:
            item = self.queue.get(timeout=timeout) if timeout > 0 else self.queue.get_nowait()
        except queue.Empty:
            return False
        eof = False
        for _ in range(5000):
            eof = self._handle(item) or eof
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                break
        return eof

    def _handle(self, item: tuple) -> bool:
        what = item[0]
        if what == "raw":
            self._parsed(self.parse(item[1], self.platform))
        elif what == "conn":
            self.connected, self.detail = item[1], item[2]
            if item[1]:
                self.state = feed.FeedState.OK
            else:
                print(f"采集工具未连接：{item[2]}", file=self.err)
        elif what == "bad":
            self.counts.malformed += 1
        return what == "eof"

    def _parsed(self, parsed: Parsed) -> None:
        self.counts.malformed += parsed.malformed
        self.counts.unknown += parsed.unknown
        now = time.monotonic()
        for it in parsed.items:
            if isinstance(it, Status):
                self._signal(it)
                continue
            if isinstance(it, Gap):
                self.gaps.append(it)
                self.gap_until = now + 10
                continue
            (self.messages if isinstance(it, Message) else self.stats).append(it)
            self.counts.received += 1
            self.counts.recent.append(now)
            self.last_message_at = clock.now()
            if self.pending_since is None:
                self.pending_since = now

    def _signal(self, status: Status) -> None:
        state = _SIGNAL_STATE[status.signal]
        if state is not None:
            self.state, self.detail = state, status.detail

    # --- writing --------------------------------------------------------------------------

    def flush(self) -> bool:
        """Store the pending items in one transaction; False when the database refused (kept)."""
        msgs, stats = self.messages[:BATCH_MAX * 5], self.stats
        if not msgs and not stats:
            self.pending_since = None
            return True

        def notice(_exc: BaseException, _attempt: int) -> None:
            self.counts.db_retries += 1

        try:
            res = store.unit_of_work(
                self.engine,
                lambda s: intake.store(s, self.show_id, msgs, stats, clock.now(), self.viewer_every_s),
                budget_s=FLUSH_BUDGET_S, on_retry=notice,
            )
        except DomainError as exc:  # the show is gone: nothing of this batch can be stored
            self._drop(len(msgs), str(exc))
            return True
        except Exception as exc:  # noqa: BLE001 - a database outage: keep the batch, retry next time
            if not store.is_transient(exc):
                log.exception("capture batch failed")
                self._drop(len(msgs), f"写入失败：{type(exc).__name__}")
                return True
            self.counts.db_retries += 1
            self.db_error = "数据库暂时无法写入，采集内容已暂存，稍后自动重试"
            self._cap_pending()
            return False
        self.db_error = ""
        self.counts.stored += res.fresh
        self.counts.duplicates += res.duplicates
        del self.messages[: len(msgs)]
        self.stats = []
        self.pending_since = time.monotonic() if self.messages else None
        return True

    def _drop(self, n: int, why: str) -> None:
        self.counts.lost += n
        print(f"采集内容 {n} 条无法保存：{why}", file=self.err)
        del self.messages[:n]
        self.stats = []
        self.pending_since = time.monotonic() if self.messages else None

    def _cap_pending(self) -> None:
        over = len(self.messages) - PENDING_MAX
        if over > 0:
            del self.messages[:over]
            self.counts.lost += over

    def _beat(self) -> feed.Beat:
        now = time.monotonic()
        while self.counts.recent and self.counts.recent[0] < now - 60:
            self.counts.recent.popleft()
        state = feed.FeedState.GAP if now < self.gap_until and self.state is feed.FeedState.OK else self.state
        c = self.counts
        return feed.Beat(connected=self.connected, state=state, per_minute=len(c.recent),
                         last_message_at=self.last_message_at, last_error=self.detail or self.db_error,
                         received=c.received, malformed=c.malformed, unknown=c.unknown, db_retries=c.db_retries,
                         lost=c.lost)

    def beat(self) -> None:
        b, gaps = self._beat(), list(self.gaps)

        def unit(s) -> None:
            feed.beat(s, self.show_id, b)
            for g in gaps:
                feed.tool_gap(s, self.show_id, g.start, g.end, g.reason)

        try:
            store.unit_of_work(self.engine, unit, budget_s=BEAT_BUDGET_S)
            self.gaps = self.gaps[len(gaps):]
        except Exception as exc:  # noqa: BLE001 - a missed heartbeat is shown as such on the console
            log.warning("heartbeat not written: %s", type(exc).__name__)
