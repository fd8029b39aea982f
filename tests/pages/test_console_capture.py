"""The console's capture status line and banner (AppTest on the demo night)."""
from __future__ import annotations

from datetime import timedelta

import db
from services import clock, shows
from services.capture import FeedState, feed

DEMO = "源味集《农场主来了》"


def with_feed(url: str, **beat) -> None:
    eng = db.connect(url)
    with db.session(eng) as s:
        show = shows.find_show(s, DEMO)
        show.status, show_id = shows.ShowStatus.LIVE, show.id  # the demo night is over: put it back on air
        now = clock.now()
        feed.start(s, show_id, "oba", now=now - timedelta(seconds=30))
        feed.beat(s, show_id, feed.Beat(**{"state": FeedState.OK, **beat}), now=now)
    eng.dispose()


def shown(at) -> list[str]:
    return [c.value for c in at.caption] + [w.value for w in at.warning]


def test_no_capture_for_the_show_shows_nothing_about_it(page_as):
    at = page_as("assistant", "console")
    assert not at.exception
    assert not any("直播采集" in t for t in shown(at))


def test_a_connected_feed_shows_the_compact_line(page_as, app_db):
    with_feed(app_db, connected=True, per_minute=42, last_message_at=clock.now() - timedelta(seconds=3))
    at = page_as("assistant", "console")
    assert not at.exception
    assert any(t.startswith("直播采集（oba-live-tool）：已连接 · 每分钟 42 条 · 最后一条") for t in shown(at))
    assert not any("采集" in w.value for w in at.warning)  # no capture banner (the 结束直播 popover has its own)


def test_a_disconnected_tool_shows_a_banner_with_its_words_escaped(page_as, app_db):
    with_feed(app_db, connected=False, last_error="**连接被拒绝** [点我](http://x)")
    at = page_as("host", "console")
    assert not at.exception
    banner = at.warning[0].value
    assert "连不上采集工具 oba-live-tool" in banner
    assert "\\*\\*连接被拒绝\\*\\*" in banner and "\\[点我\\]" in banner  # markdown-inert
