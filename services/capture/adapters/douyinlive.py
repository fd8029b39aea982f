"""douyinLive (jwwsjlm/douyinLive, 抖音): one WebSocket frame → capture items.

Shape (docs/websocket-client.md; cmd/main/room_session.go handleDouyinEvent: protojson.Marshal of the
parsed protobuf, so lowerCamelCase names and 64-bit integers as strings; cmd/main/room_status.go
buildEventJSON adds "method", "livename", "title", "avatarThumb"; field names from
jwwsjlm/douyinlive-proto protobuf/new_douyin.proto):
    WebcastChatMessage   {"common": {"msgId", "createTime" (ms)}, "user": {"id", "nickname"}, "content"}
    WebcastMemberMessage (enter), WebcastLikeMessage {"count", "total"}, WebcastGiftMessage {"gift": {"name"},
    "repeatCount", "comboCount"}, WebcastSocialMessage {"action": 1 = follow}, WebcastRoomUserSeqMessage
    {"total" (online), "totalUser" (cumulative)}
    system: {"type": "system", "event": "live_status", "code": ROOM_ONLINE|ROOM_OFFLINE|ROOM_ENDED|
    ACCOUNT_OFFLINE_NO_ROOM|ROOM_NOT_FOUND|ROOM_STATUS_UNKNOWN, "message"}
"""
from __future__ import annotations

from services.capture.adapters.common import dig, integer, load_object, msg_key, text, when
from services.capture.model import Kind, Message, Parsed, Signal, Stats, Status

PLATFORM = "douyin"
_METHODS = {"WebcastChatMessage": Kind.COMMENT, "WebcastMemberMessage": Kind.ENTER, "WebcastLikeMessage": Kind.LIKE,
            "WebcastGiftMessage": Kind.GIFT, "WebcastSocialMessage": Kind.FOLLOW}
# Routine room messages the console has no use for: not counted as unknown.
_IGNORED = {"WebcastRoomStatsMessage", "WebcastRoomRankMessage", "WebcastRanklistHourEntranceMessage",
            "WebcastInRoomBannerMessage", "WebcastRoomMessage", "WebcastEmojiChatMessage", "WebcastFansclubMessage"}
_STATUS = {"ROOM_ONLINE": Signal.LIVE, "ROOM_OFFLINE": Signal.OFFLINE, "ROOM_ENDED": Signal.OFFLINE,
           "ACCOUNT_OFFLINE_NO_ROOM": Signal.OFFLINE, "ROOM_NOT_FOUND": Signal.ERROR, "ROOM_STATUS_UNKNOWN": Signal.ERROR}
FOLLOW_ACTION = 1


def parse(raw, platform: str | None = None) -> Parsed:
    msg = load_object(raw)
    if msg is None:
        return Parsed(malformed=1)
    out = Parsed()
    if text(msg.get("type")) == "system":
        signal = _STATUS.get(text(msg.get("code")))
        if text(msg.get("event")) == "live_status" and signal is not None:
            out.items.append(Status(signal, text(msg.get("message"))))
        else:
            out.unknown += 1
        return out
    method = text(msg.get("method"))
    if method == "WebcastRoomUserSeqMessage":
        online, cumulative = integer(msg.get("total")), integer(msg.get("totalUser"))
        out.items.append(Stats(online=online, cumulative=cumulative or None, at=when(dig(msg, "common", "createTime"))))
        return out
    if method in _IGNORED:
        return out
    if method not in _METHODS:
        out.unknown += 1
        return out
    kind = _METHODS[method]
    if kind is Kind.FOLLOW and integer(msg.get("action")) != FOLLOW_ACTION:
        return out  # a share: nothing the console counts
    item = _message(msg, kind, platform or PLATFORM)
    if item is None:
        out.malformed += 1
        return out
    out.items.append(item)
    if kind is Kind.LIKE and integer(msg.get("total")) is not None:
        out.items.append(Stats(likes=integer(msg.get("total")), at=item.at))
    return out


def _message(msg: dict, kind: Kind, platform: str) -> Message | None:
    msg_id = msg_key(dig(msg, "common", "msgId"))
    content = text(msg.get("content"))
    if not msg_id or (kind is Kind.COMMENT and not content):
        return None
    quantity = 1
    if kind is Kind.LIKE:
        quantity = max(1, integer(msg.get("count")) or 1)
    elif kind is Kind.GIFT:
        quantity = integer(msg.get("comboCount")) or integer(msg.get("repeatCount")) or 1
    return Message(
        kind=kind,
        platform=platform,
        msg_id=msg_id,
        user_id=text(dig(msg, "user", "id")) or text(dig(msg, "user", "idStr")),
        nickname=text(dig(msg, "user", "nickname")),
        at=when(dig(msg, "common", "createTime")),
        text=content if kind is Kind.COMMENT else "",
        item=text(dig(msg, "gift", "name")) if kind is Kind.GIFT else ("关注" if kind is Kind.FOLLOW else ""),
        quantity=quantity,
    )
