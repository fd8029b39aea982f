"""oba-live-tool (qiutongxue/oba-live-tool): one WebSocket frame → capture items.

Shape (shared/types.d.ts LiveMessage; electron/main/tasks/CommentListenerTask.ts adds `time` = Date.now()
in ms before electron/main/services/WebSocketService.ts broadcasts JSON.stringify(message)):
    视频号  {"msg_type": "wechat_channel_live_msg", "msg_id", "nick_name", "user_id", "content", "time"}
    小红书  {"msg_type": "xiaohongshu_comment", ...same}   淘宝 {"msg_type": "taobao_comment", ...same}
    抖音/快手 {"msg_type": "comment", "msg_id", "nick_name", "content", "time"} and, from 电商罗盘:
    room_enter / room_like / room_follow / subscribe_merchant_brand_vip / ecom_fansclub_participate
    {"msg_id", "nick_name", "user_id", ...} and live_order {"msg_id": "<order_id>#<status>", "order_status":
    已下单|已付款|未知状态, "order_ts", "product_id", "product_title"}.
The tool has no viewer counts and no room status; it does not replay what a client missed.
"""
from __future__ import annotations

from services.capture.adapters.common import load_object, msg_key, text, when
from services.capture.model import Kind, Message, Parsed

# msg_type → (kind, platform or None = the generic platform)
_TYPES: dict[str, tuple[Kind, str | None]] = {
    "wechat_channel_live_msg": (Kind.COMMENT, "wechat_channels"),
    "xiaohongshu_comment": (Kind.COMMENT, "xiaohongshu"),
    "taobao_comment": (Kind.COMMENT, "taobao"),
    "comment": (Kind.COMMENT, None),
    "room_enter": (Kind.ENTER, None),
    "room_like": (Kind.LIKE, None),
    "room_follow": (Kind.FOLLOW, None),
    "subscribe_merchant_brand_vip": (Kind.FOLLOW, None),
    "ecom_fansclub_participate": (Kind.FOLLOW, None),
    "live_order": (Kind.ORDER, None),
}
FOLLOW_ITEMS = {"room_follow": "关注", "subscribe_merchant_brand_vip": "品牌会员", "ecom_fansclub_participate": "粉丝团"}
GENERIC_PLATFORM = "douyin"  # oba's plain `comment` and 罗盘 events come from 抖店/巨量百应 (or 快手: --platform)


def parse(raw, platform: str | None = None) -> Parsed:
    msg = load_object(raw)
    if msg is None:
        return Parsed(malformed=1)
    out = Parsed()
    kind_type = text(msg.get("msg_type"))
    if kind_type not in _TYPES:
        out.unknown += 1
        return out
    kind, own_platform = _TYPES[kind_type]
    msg_id = msg_key(msg.get("msg_id"))
    content = text(msg.get("content"))
    if not msg_id or (kind is Kind.COMMENT and not content):
        out.malformed += 1
        return out
    out.items.append(
        Message(
            kind=kind,
            platform=own_platform or platform or GENERIC_PLATFORM,
            msg_id=msg_id,
            user_id=text(msg.get("user_id")),
            nickname=text(msg.get("nick_name")),
            at=when(msg.get("order_ts")) if kind is Kind.ORDER else when(msg.get("time")),
            text=content if kind is Kind.COMMENT else "",
            item=text(msg.get("product_title")) if kind is Kind.ORDER else FOLLOW_ITEMS.get(kind_type, ""),
            status=text(msg.get("order_status"))[:16],
        )
    )
    return out

