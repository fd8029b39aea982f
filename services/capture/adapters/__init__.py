"""One pure adapter per capture tool: raw delivery → normalised items (services.capture.model)."""
from __future__ import annotations

from collections.abc import Callable

from services.capture.adapters import danmaku, douyinlive, jsonl, oba, wxlivespy
from services.capture.model import Parsed

ADAPTERS: dict[str, Callable[..., Parsed]] = {
    "wxlivespy": wxlivespy.parse,
    "oba": oba.parse,
    "danmaku": danmaku.parse,
    "douyinlive": douyinlive.parse,
    "jsonl": jsonl.parse,
}
SOURCES = tuple(ADAPTERS)
