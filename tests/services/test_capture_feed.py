"""Feed health and storage rules of the capture package, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import CaptureMessage, Comment, ViewerSample
from services import capture, live, review, shows
from services.capture import FeedState, Kind, Message, Stats, feed, intake
from services.authz import SYSTEM

NOW = datetime(2026, 1, 6, 20, 30, 0)


@pytest.fixture
def show_id(session) -> int:
    show = shows.create_show(session, SYSTEM, shows.ShowForm("采集", "阳光花园", 300, "老李", NOW - timedelta(hours=1), NOW + timedelta(hours=1)))
    shows.start_show(session, SYSTEM, show.id, at=NOW - timedelta(minutes=30))
    return show.id


def beat(session, show_id, at, **kw) -> None:
    feed.beat(session, show_id, feed.Beat(**{"connected": True, "state": FeedState.OK, **kw}), now=at)


def test_no_capture_ever_ran_says_so_without_a_banner(session, show_id):
    s = capture.feed_status(session, show_id, now=NOW)
    assert (s.state, s.banner) == (FeedState.NONE, None)
    assert "粘贴" in s.line


def test_a_working_feed_shows_the_compact_line(session, show_id):
    feed.start(session, show_id, "oba", now=NOW - timedelta(seconds=30))
    beat(session, show_id, NOW, per_minute=12, last_message_at=NOW - timedelta(seconds=3))
    s = capture.feed_status(session, show_id, now=NOW)
    assert (s.state, s.banner) == (FeedState.OK, None)
    assert s.line == "已连接 · 每分钟 12 条 · 最后一条 3 秒前"


def test_silence_while_live_warns_after_the_configured_time(session, show_id, monkeypatch):
    feed.start(session, show_id, "wxlivespy", now=NOW - timedelta(minutes=5))
    beat(session, show_id, NOW, last_message_at=NOW - timedelta(seconds=90))
    s = capture.feed_status(session, show_id, now=NOW)
    assert s.state is FeedState.SILENT and "1 分钟前起没有收到任何消息" in s.banner
    monkeypatch.setenv("CAPTURE_SILENCE_S", "120")
    assert capture.feed_status(session, show_id, now=NOW).banner is None
    shows.end_show(session, SYSTEM, show_id, at=NOW)
    monkeypatch.setenv("CAPTURE_SILENCE_S", "10")
    assert capture.feed_status(session, show_id, now=NOW).banner is None  # after the show, silence is normal


def test_a_process_that_stops_beating_is_shown_down(session, show_id):
    feed.start(session, show_id, "danmaku", now=NOW - timedelta(seconds=60))
    beat(session, show_id, NOW - timedelta(seconds=10), last_message_at=NOW - timedelta(seconds=11))
    s = capture.feed_status(session, show_id, now=NOW)
    assert s.state is FeedState.DOWN and "10 秒前停止响应" in s.banner
    gaps = capture.feed_gaps(session, show_id, now=NOW)
    assert [(g.reason, g.seconds) for g in gaps] == [("down", 10)]
    feed.start(session, show_id, "danmaku", now=NOW + timedelta(seconds=5))  # restarted: the gap is kept
    assert [(g.reason, g.seconds) for g in capture.feed_gaps(session, show_id, now=NOW)] == [("down", 15)]


def test_login_needed_opens_a_gap_that_recovery_closes_and_the_review_marks_it(session, show_id):
    feed.start(session, show_id, "danmaku", now=NOW - timedelta(minutes=3))
    beat(session, show_id, NOW - timedelta(minutes=2), state=FeedState.NEEDS_LOGIN, last_error="请重新扫码")
    s = capture.feed_status(session, show_id, now=NOW - timedelta(minutes=2))
    assert s.state is FeedState.NEEDS_LOGIN and "扫码" in s.banner and "请重新扫码" in s.banner
    beat(session, show_id, NOW, last_message_at=NOW)
    assert capture.feed_status(session, show_id, now=NOW).banner is None
    gaps = capture.feed_gaps(session, show_id, now=NOW)
    assert [(g.reason, g.label, g.seconds) for g in gaps] == [("needs_login", "需要登录", 120)]
    shows.end_show(session, SYSTEM, show_id, at=NOW)  # the review comes after the show
    marks = [m for m in review.markers(session, show_id) if m["kind"] == "feed_gap"]
    assert [m["label"] for m in marks] == ["采集中断·需要登录·2 分钟"]


def test_disconnected_tool_banner_names_the_tool_and_a_clean_stop_is_not_a_crash(session, show_id):
    feed.start(session, show_id, "douyinlive", now=NOW - timedelta(seconds=5))
    feed.beat(session, show_id, feed.Beat(connected=False, state=FeedState.OK, last_error="连接被拒绝"), now=NOW)
    s = capture.feed_status(session, show_id, now=NOW)
    assert s.state is FeedState.DISCONNECTED and "douyinLive" in s.banner and "连接被拒绝" in s.banner
    feed.stop(session, show_id, feed.Beat(connected=False, state=FeedState.OK), now=NOW)
    s = capture.feed_status(session, show_id, now=NOW + timedelta(minutes=5))
    assert s.state is FeedState.STOPPED and "已停止" in s.banner


def msg(kind: Kind, mid: str, user: str = "", nick: str = "", text: str = "", **kw) -> Message:
    return Message(kind=kind, platform="wechat_channels", msg_id=mid, user_id=user, nickname=nick, text=text,
                   at=kw.pop("at", NOW), **kw)


def test_storing_the_same_flush_twice_stores_nothing_twice(session, show_id):
    feed.start(session, show_id, "jsonl", now=NOW)
    batch = [
        msg(Kind.COMMENT, "c1", "u1", "张姐", "鸡蛋什么时候发货"),
        msg(Kind.ENTER, "e1", "u2", "王阿姨"),
        msg(Kind.LIKE, "l1", "", "王阿姨", quantity=4),  # no id: the same person as u2 by nickname
        msg(Kind.GIFT, "g1", "u1", "张姐", item="小心心", quantity=2, amount=Decimal("10")),
        msg(Kind.ORDER, "o1#0", "", "李姐", item="土鸡蛋", status="已下单"),
        msg(Kind.ORDER, "o1#3", "", "李姐", item="土鸡蛋", status="已付款"),
    ]
    first = intake.store(session, show_id, batch, [], NOW)
    again = intake.store(session, show_id, batch + [msg(Kind.COMMENT, "c1", "u1", "张姐", "鸡蛋什么时候发货")], [], NOW)
    assert (first.fresh, first.comments, again.fresh, again.duplicates) == (6, 1, 0, 7)
    assert session.scalar(select(func.count()).select_from(Comment).where(Comment.show_id == show_id)) == 1
    assert session.scalar(select(Comment.client_key)) == "wechat_channels:c1"
    assert capture.interactions(session, show_id) == {"enters": 1, "likes": 4, "gifts": 1, "follows": 0, "orders": 1,
                                                       "interactors": 3}
    gift = session.scalar(select(CaptureMessage).where(CaptureMessage.kind == "gift"))
    assert (gift.item, gift.quantity, gift.amount, gift.user_id) == ("小心心", 2, Decimal("10.00"), "u1")


def test_viewer_samples_only_when_numbers_change_and_not_more_often_than_configured(session, show_id):
    feed.start(session, show_id, "wxlivespy", now=NOW)
    stats = [Stats(online=100, at=NOW), Stats(online=120, at=NOW + timedelta(seconds=5)),
             Stats(online=100, at=NOW + timedelta(seconds=20)), Stats(online=90, at=NOW + timedelta(seconds=40)),
             Stats(online=95, cumulative=400, at=NOW + timedelta(seconds=60)), Stats(likes=77)]
    assert intake.store(session, show_id, [], stats, NOW, viewer_every_s=10).samples == 3
    rows = session.execute(select(ViewerSample.online, ViewerSample.cumulative).order_by(ViewerSample.at)).all()
    # 120 came 5 s after 100 (skipped), then 100 again (unchanged); cumulative never goes below the last.
    assert [tuple(r) for r in rows] == [(100, 100), (90, 100), (95, 400)]
    assert capture.feed_status(session, show_id, now=NOW).stored == 0


def test_the_funnel_counts_captured_people_who_only_liked(session, show_id):
    feed.start(session, show_id, "jsonl", now=NOW)
    intake.store(session, show_id, [msg(Kind.COMMENT, "c1", "u1", "张姐", "运费多少"),
                                   msg(Kind.LIKE, "l1", "u2", "王阿姨"), msg(Kind.LIKE, "l2", "u3", "赵叔"),
                                   msg(Kind.ENTER, "e1", "u4", "钱婶")], [], NOW)
    steps = {s.label: s.count for s in live.funnel(session, show_id)}
    assert steps["互动"] == 3  # one commenter and two who liked; entering is watching, not interacting
