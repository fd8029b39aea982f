"""jsonl: the product's own line format on stdin, for any tool that can print JSON (or a replay).

One JSON object per line:
    {"kind": "comment", "msg_id": "m1", "platform": "wechat_channels", "user_id": "o9h…", "nickname": "张姐",
     "text": "运费多少", "at": "2026-01-06 20:15:03"}            (kind: comment|enter|like|gift|follow|order)
    {"kind": "viewers", "online": 186, "cumulative": 270, "likes": 1200}
    {"kind": "status", "signal": "offline"|"live"|"needs_login"|"error", "detail": "…"}
The pipe format of `python -m services.ingest` ({"author", "text", "at", "client_key"}) is read too:
its client_key (else author + text + time) is the message id.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from services.capture.adapters.common import Malformed, decimal, integer, load, msg_key, obj, text, when
from services.capture.model import Kind, Message, Parsed, Signal, Stats, Status

PLATFORM = "jsonl"


def parse(raw, platform: str | None = None) -> Parsed:
    out = Parsed()
    try:
        line = obj(load(raw))
        item = _item(line, platform or text(line.get("platform")) or PLATFORM)
    except Malformed:
        out.malformed += 1
        return out
    if item is None:
        out.unknown += 1
    else:
        out.items.append(item)
    return out


def _item(line: dict, platform: str):
    kind = text(line.get("kind")) or ("comment" if "text" in line or "content" in line else "")
    at = _at(line.get("at") if "at" in line else line.get("time"))
    if kind == "viewers":
        stats = Stats(online=integer(line.get("online")), cumulative=integer(line.get("cumulative")),
                      likes=integer(line.get("likes")), at=at)
        if stats.online is None and stats.likes is None:
            raise Malformed("viewers without numbers")
        return stats
    if kind == "status":
        try:
            return Status(Signal(text(line.get("signal"))), text(line.get("detail")))
        except ValueError as exc:
            raise Malformed("unknown signal") from exc
    try:
        k = Kind(kind)
    except ValueError:
        return None
    nickname = text(line.get("nickname")) or text(line.get("author"))
    content = text(line.get("text")) or text(line.get("content"))
    msg_id = msg_key(line.get("msg_id") or line.get("client_key"))
    if not msg_id and content and at:
        msg_id = "n:" + hashlib.sha1(f"{nickname}\x1f{content}\x1f{at.isoformat()}".encode()).hexdigest()[:32]
    if not msg_id or (k is Kind.COMMENT and not content):
        raise Malformed("no message id or no text")
    return Message(kind=k, platform=platform, msg_id=msg_id, user_id=text(line.get("user_id")), nickname=nickname,
                   at=at, text=content if k is Kind.COMMENT else "", item=text(line.get("item")),
                   quantity=integer(line.get("quantity")) or 1, amount=decimal(line.get("amount")),
                   status=text(line.get("status"))[:16])


def _at(value) -> datetime | None:
    if isinstance(value, str) and not value.strip().isdigit():
        try:
            return datetime.fromisoformat(value.strip()).replace(tzinfo=None, microsecond=0)
        except ValueError as exc:
            raise Malformed("bad time") from exc
    return when(value)
