"""DanmakuListener (Eikwang/DanmakuListener): one WebSocket frame of its contract v1 → capture items.

Shape (danmaku_listener/contract/models.py UnifiedMessage.to_wire; pushed by danmaku_listener/push/ws_server.py
on ws://127.0.0.1:8765/ws, optional `Authorization: Bearer <token>`):
    {"contract_version": "1.0.0", "category": "business"|"system", "type", "platform", "room_id", "seq",
     "timestamp" (seconds), "engine", "msg_id" (may be null), "payload": {...}}
business: DANMU {user_name, content, user_id}, SUPER_CHAT {user_name, content, price}, GIFT {user_name,
gift_name, gift_count, gift_value, user_id}, ENTER_ROOM {user_name, user_id}, LIKE {user_name, count,
total_likes}, ROOM_STATS {viewer_count, total_likes, …}, SOCIAL {user_name, action: follow|fan_club_join|share…},
LIVE_STATUS_CHANGE {live}. system: HEARTBEAT, ROOM_STATUS {online}, GAP {window_start, window_end, reason},
NEEDS_LOGIN {failure{reason_code, fix_hint, docs_anchor}}, ROUTE_FAILED {failure}, RECOVERED, ENGINE_STATUS,
BACKPRESSURE. Consumers ignore unknown types and count them (the contract's own rule).
"""
from __future__ import annotations

from services.capture.adapters.common import Malformed, decimal, dig, integer, load, msg_key, obj, text, when
from services.capture.model import Gap, Kind, Message, Parsed, Signal, Stats, Status

_BUSINESS = {"DANMU": Kind.COMMENT, "SUPER_CHAT": Kind.COMMENT, "GIFT": Kind.GIFT, "ENTER_ROOM": Kind.ENTER,
             "LIKE": Kind.LIKE, "SOCIAL": Kind.FOLLOW}
_FOLLOW_ACTIONS = {"follow": "关注", "fan_club_join": "粉丝团"}
_QUIET_SYSTEM = {"ENGINE_STATUS", "BACKPRESSURE"}


def parse(raw, platform: str | None = None) -> Parsed:
    out = Parsed()
    try:
        env = obj(load(raw))
        payload = obj(env.get("payload") or {}, "payload")
        kind = text(env.get("type"))
        if text(env.get("category")) not in ("business", "system") or not kind:
            raise Malformed("no category/type")
    except Malformed:
        out.malformed += 1
        return out
    at = when(env.get("timestamp"))
    if env["category"] == "system":
        item = _system(kind, payload, at)
        if item is None and kind not in _QUIET_SYSTEM:
            out.unknown += 1
        elif item is not None:
            out.items.append(item)
        return out
    if kind == "ROOM_STATS":
        out.items.append(Stats(online=integer(payload.get("viewer_count")), likes=integer(payload.get("total_likes")), at=at))
        return out
    if kind == "LIVE_STATUS_CHANGE":
        out.items.append(Status(Signal.LIVE if payload.get("live") else Signal.OFFLINE))
        return out
    if kind not in _BUSINESS:
        out.unknown += 1
        return out
    if kind == "SOCIAL" and text(payload.get("action")) not in _FOLLOW_ACTIONS:
        return out  # a share or another social action: nothing the console counts
    msg = _message(env, payload, _BUSINESS[kind], platform, at)
    if msg is None:
        out.malformed += 1
    else:
        out.items.append(msg)
        if kind == "LIKE" and integer(payload.get("total_likes")) is not None:
            out.items.append(Stats(likes=integer(payload.get("total_likes")), at=at))
    return out


def _message(env: dict, payload: dict, kind: Kind, platform: str | None, at) -> Message | None:
    seq = integer(env.get("seq"))
    msg_id = msg_key(env.get("msg_id")) or (f"{text(env.get('room_id'))}#{seq}" if seq is not None else "")
    content = text(payload.get("content"))
    if not msg_id or (kind is Kind.COMMENT and not content):
        return None
    if kind is Kind.GIFT:
        item, quantity, amount = text(payload.get("gift_name")), integer(payload.get("gift_count")) or 1, decimal(payload.get("gift_value"))
    elif kind is Kind.LIKE:
        item, quantity, amount = "", max(1, integer(payload.get("count")) or 1), None
    else:
        item, quantity, amount = _FOLLOW_ACTIONS.get(text(payload.get("action")), ""), 1, None
    return Message(
        kind=kind,
        platform=text(env.get("platform")) or platform or "danmaku",
        msg_id=msg_id,
        user_id=text(payload.get("user_id")),
        nickname=text(payload.get("user_name")),
        at=at,
        text=content if kind is Kind.COMMENT else "",
        item=item,
        quantity=quantity,
        amount=amount,
    )


def _system(kind: str, payload: dict, at):
    if kind == "HEARTBEAT":
        return Status(Signal.ALIVE)
    if kind in ("RECOVERED",):
        return Status(Signal.LIVE)
    if kind == "ROOM_STATUS":
        return Status(Signal.LIVE if payload.get("online") else Signal.OFFLINE)
    if kind == "NEEDS_LOGIN":
        return Status(Signal.NEEDS_LOGIN, text(dig(payload, "failure", "fix_hint")))
    if kind == "ROUTE_FAILED":
        return Status(Signal.ERROR, text(dig(payload, "failure", "fix_hint")))
    if kind == "GAP":
        start, end = when(payload.get("window_start")), when(payload.get("window_end"))
        if start and end and end >= start:
            return Gap(start, end, text(payload.get("reason"))[:24] or "gap")
    return None
