"""The pure adapters: each tool's recorded messages → normalised capture items (no database)."""
from __future__ import annotations

import json
from datetime import datetime

from services import capture
from services.capture import Kind, Message, Signal, Stats, Status
from tests.capture_fakes import DATA, RECORDED_T0

T0 = datetime(2026, 1, 6, 20, 15, 0)  # RECORDED_T0 in Asia/Shanghai


def run_all(source: str, raws) -> capture.Parsed:
    total = capture.Parsed()
    for raw in raws:
        p = capture.parse(source, raw)
        total.items += p.items
        total.malformed += p.malformed
        total.unknown += p.unknown
    return total


def lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def kinds(p: capture.Parsed) -> list[str]:
    return [it.kind.value for it in p.items if isinstance(it, Message)]


def test_wxlivespy_batches_keep_openid_seq_and_milliseconds():
    posts = json.loads((DATA / "wxlivespy_posts.json").read_text(encoding="utf-8"))["posts"]
    first = capture.parse("wxlivespy", json.dumps(posts[0]["body"]))
    assert kinds(first) == ["comment", "enter", "comment", "like"]
    c = first.items[0]
    assert (c.platform, c.nickname, c.text, c.at) == ("wechat_channels", "张姐", "鸡蛋什么时候发货", T0.replace(second=1))
    assert c.user_id == "o9hHn5apfwHL-RYrxochETS7NyDM"  # decoded_openid: stable across the anchor's shows
    assert c.msg_id.startswith("finderlive_usermsg_comment_")
    assert first.items[-2:] == [Stats(online=120, likes=300, at=T0.replace(second=4)), Status(Signal.LIVE)]
    gz = capture.parse("wxlivespy", posts[2]["body"])
    assert kinds(gz) == ["comment", "comment", "gift"] and (gz.unknown, gz.malformed) == (1, 0)  # levelup ignored
    gift = gz.items[2]
    assert (gift.quantity, str(gift.amount), gift.item) == (1, "10", "gift_heart_01")
    assert capture.parse("wxlivespy", posts[3]["raw"]).malformed == 1


def test_wxlivespy_a_broken_event_inside_a_batch_skips_only_that_event():
    body = {"live_info": {"live_status": 2, "online_count": 3}, "events": ["oops", {"decoded_type": "comment", "seq": 7,
            "nickname": "甲", "content": "在吗", "msg_time": RECORDED_T0 * 1000}, {"decoded_type": "comment"}]}
    p = capture.parse("wxlivespy", json.dumps(body))
    assert kinds(p) == ["comment"] and p.items[0].msg_id == "seq:7" and p.malformed == 2
    assert Status(Signal.OFFLINE, "视频号助手显示直播已结束") in p.items


def test_oba_platforms_follow_the_message_type_and_paid_orders_repeat():
    p = run_all("oba", lines("oba_frames.jsonl"))
    assert (p.malformed, p.unknown) == (1, 1)
    assert kinds(p) == ["comment"] * 5 + ["enter", "like", "follow", "order", "order"]
    assert {m.platform for m in p.items[:4]} == {"wechat_channels"} and p.items[4].platform == "douyin"
    order, paid = p.items[-2:]
    assert (order.item, order.status, paid.status) == ("散养土鸡蛋 30 枚", "已下单", "已付款")
    assert capture.parse("oba", lines("oba_frames.jsonl")[6], platform="kuaishou").items[0].platform == "kuaishou"


def test_danmaku_listener_business_system_and_unknown():
    p = run_all("danmaku", lines("danmaku_frames.jsonl"))
    assert (p.malformed, p.unknown) == (1, 1)
    assert kinds(p) == ["comment", "comment", "comment", "enter", "like", "gift", "follow", "comment"]
    like = [m for m in p.items if isinstance(m, Message) and m.kind is Kind.LIKE][0]
    assert like.quantity == 5 and like.msg_id.endswith("#6")  # no msg_id: room + seq
    gap = [it for it in p.items if isinstance(it, capture.Gap)][0]
    assert (gap.reason, (gap.end - gap.start).seconds) == ("network", 20)
    assert Status(Signal.ALIVE) in p.items
    needs = capture.parse("danmaku", {"category": "system", "type": "NEEDS_LOGIN", "payload": {"failure": {
        "reason_code": "wechat.login_expired", "fix_hint": "请重新扫码", "docs_anchor": "x"}}})
    assert needs.items == [Status(Signal.NEEDS_LOGIN, "请重新扫码")]


def test_douyinlive_protojson_strings_and_status_codes():
    p = run_all("douyinlive", lines("douyinlive_frames.jsonl"))
    assert (p.malformed, p.unknown) == (1, 1)
    assert kinds(p) == ["comment", "comment", "comment", "enter", "like", "gift", "follow", "comment"]
    chat = p.items[2]
    assert (chat.user_id, chat.nickname, chat.msg_id, chat.at) == ("110001", "抖音张姐", "7450000000000000002", T0.replace(second=1))
    assert p.items[1] == Stats(online=95, cumulative=300, at=T0)
    assert p.items[0] == Status(Signal.LIVE, "直播间已开播，后续将开始推送弹幕、礼物、点赞等直播消息")
    share = {"method": "WebcastSocialMessage", "common": {"msgId": "1"}, "action": "3"}
    assert capture.parse("douyinlive", share).items == []
    ended = capture.parse("douyinlive", {"type": "system", "event": "live_status", "code": "ROOM_ENDED", "message": "已下播"})
    assert ended.items == [Status(Signal.OFFLINE, "已下播")]


def test_jsonl_reads_its_own_lines_and_the_ingest_pipe_format():
    a = capture.parse("jsonl", '{"author": "张姐", "text": "运费多少", "at": "2026-01-06 20:15:03"}').items[0]
    b = capture.parse("jsonl", '{"author": "张姐", "text": "运费多少", "at": "2026-01-06 20:15:03"}').items[0]
    assert a.msg_id == b.msg_id and a.at == T0.replace(second=3)  # the same line twice: the same key
    assert capture.parse("jsonl", '{"kind": "viewers"}').malformed == 1
    assert capture.parse("jsonl", '{"kind": "dance", "msg_id": "x"}').unknown == 1
    assert capture.parse("jsonl", '{"text": "无编号无时间"}').malformed == 1


def test_long_message_ids_are_hashed_to_fit_and_keys_fit_the_comment_column():
    p = capture.parse("oba", {"msg_type": "wechat_channel_live_msg", "msg_id": "x" * 500, "nick_name": "甲", "content": "在"})
    m = p.items[0]
    assert len(m.msg_id) <= 160 and m.msg_id.startswith("sha1:")
    assert len(capture.client_key(m)) <= 64
