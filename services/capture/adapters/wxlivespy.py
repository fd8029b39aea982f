"""wxlivespy (fire4nt/wxlivespy, 视频号): one forwarded POST body → capture items.

Shape (src/CustomTypes.ts DecodedData, src/main/service.ts decodeOpenIDInEvents, src/main/WXDataDecoder.ts):
    {"host_info": {...}, "live_info": {"live_id", "live_status": 1 live / 2 ended, "online_count", "like_count", ...},
     "events": [{"msg_id", "seq", "decoded_type": comment|enter|gift|combogift|like|levelup|unknown,
                 "nickname", "content", "msg_time" (ms), "sec_openid", "decoded_openid", "gift_num",
                 "gift_value", "combo_product_count", "sec_gift_id", ...}]}
The tool re-sends events (its own comment: the receiver de-duplicates on seq / msg_id).
"""
from __future__ import annotations

from services.capture.adapters.common import Malformed, decimal, dig, integer, load, msg_key, obj, text, when
from services.capture.model import Kind, Message, Parsed, Signal, Stats, Status

PLATFORM = "wechat_channels"
_KINDS = {"comment": Kind.COMMENT, "enter": Kind.ENTER, "like": Kind.LIKE, "gift": Kind.GIFT, "combogift": Kind.GIFT}
_IGNORED = {"levelup"}  # known, but not something the console uses


def parse(raw, platform: str | None = None) -> Parsed:
    out = Parsed()
    try:
        body = obj(load(raw), "body")
        events = body.get("events", [])
        if not isinstance(events, list):
            raise Malformed("events is not a list")
    except Malformed:
        out.malformed += 1
        return out
    platform = platform or PLATFORM
    latest = None
    for ev in events:
        if not isinstance(ev, dict):
            out.malformed += 1
            continue
        kind = text(ev.get("decoded_type"))
        if kind in _IGNORED:
            continue
        if kind not in _KINDS:
            out.unknown += 1
            continue
        msg = _message(ev, _KINDS[kind], platform)
        if msg is None:
            out.malformed += 1
            continue
        out.items.append(msg)
        if msg.at and (latest is None or msg.at > latest):
            latest = msg.at
    out.items.extend(_room(body, latest))
    return out


def _message(ev: dict, kind: Kind, platform: str) -> Message | None:
    seq = integer(ev.get("seq"))
    msg_id = msg_key(ev.get("msg_id")) or (f"seq:{seq}" if seq is not None else "")
    if not msg_id or (kind is Kind.COMMENT and not text(ev.get("content"))):
        return None
    quantity = integer(ev.get("gift_num")) or integer(ev.get("combo_product_count")) or 1
    return Message(
        kind=kind,
        platform=platform,
        msg_id=msg_id,
        user_id=text(ev.get("decoded_openid")) or text(ev.get("sec_openid")),
        nickname=text(ev.get("nickname")),
        at=when(ev.get("msg_time")),
        text=text(ev.get("content")) if kind is Kind.COMMENT else "",
        item=text(ev.get("sec_gift_id")) if kind is Kind.GIFT else "",
        quantity=quantity if kind is Kind.GIFT else 1,
        amount=decimal(ev.get("gift_value")) if kind is Kind.GIFT else None,
    )


def _room(body: dict, at) -> list:
    info = body.get("live_info")
    if not isinstance(info, dict):
        return []
    items: list = []
    online, likes = integer(info.get("online_count")), integer(info.get("like_count"))
    if online is not None or likes is not None:
        items.append(Stats(online=online, likes=likes, at=at))
    status = integer(dig(body, "live_info", "live_status"))
    if status == 1:
        items.append(Status(Signal.LIVE))
    elif status == 2:
        items.append(Status(Signal.OFFLINE, "视频号助手显示直播已结束"))
    return items
