"""The real `python -m services.capture` against fake tools replaying recorded messages in each
tool's own format (tests/data/capture): what a shop's console would end up holding, exactly."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

import db
from db.models import CaptureFeed, CaptureGap, CaptureMessage, Comment, ViewerSample
from services import capture, triage
from tests.appserver import free_port
from tests.capture_fakes import CaptureProcess, FakeWsTool, frames, live_show, post_wx, wait_until, wx_posts


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def feed_row(engine, show_id: int) -> CaptureFeed | None:
    with db.session(engine) as s:
        return s.get(CaptureFeed, show_id)


def received(engine, show_id: int, n: int, malformed: int, unknown: int):
    """Wait until the process's heartbeat says it has taken in everything the tool sent."""
    def check():
        row = feed_row(engine, show_id)
        return row and (row.received, row.malformed, row.unknown) == (n, malformed, unknown) and row
    return wait_until(check, 60, f"the capture process should have received {n} items, {malformed} malformed, {unknown} unknown")


def outcome(engine, show_id: int) -> dict:
    with db.session(engine) as s:
        return {
            "comments": sorted((c.author, c.text) for c in s.scalars(select(Comment).where(Comment.show_id == show_id))),
            "keys": s.scalar(select(func.count(func.distinct(Comment.client_key))).where(Comment.show_id == show_id)),
            "samples": [(v.online, v.cumulative) for v in s.scalars(
                select(ViewerSample).where(ViewerSample.show_id == show_id).order_by(ViewerSample.at, ViewerSample.id))],
            "tallies": capture.interactions(s, show_id),
            "log": s.scalar(select(func.count()).select_from(CaptureMessage).where(CaptureMessage.show_id == show_id)),
            "feed": s.get(CaptureFeed, show_id),
            "gaps": s.scalar(select(func.count()).select_from(CaptureGap).where(CaptureGap.show_id == show_id,
                                                                                CaptureGap.reason != "stopped")),
            "queue": [g.text for g in triage.queue(s, show_id, include_chatter=True)],
        }


def tallies(**kw) -> dict:
    return {**dict.fromkeys(capture.TALLIES, 0), **kw}


@pytest.fixture
def run(clean_engine, tmp_path):
    """Start capture processes for the test; each is stopped (or killed) at the end."""
    started: list[CaptureProcess] = []

    def start(show_id: int, source: str, *args: str, **kw) -> CaptureProcess:
        p = CaptureProcess(url_of(clean_engine), show_id, source, *args, log=tmp_path / f"capture{len(started)}.log", **kw)
        started.append(p)
        return p

    yield start
    for p in started:
        p.kill()


def test_wxlivespy_posts_gzip_repeats_and_bad_bodies(clean_engine, run):
    show_id = live_show(clean_engine)
    port = free_port()
    proc = run(show_id, "wxlivespy", "--listen", f"127.0.0.1:{port}", "--token", "s3cret")
    url = f"http://127.0.0.1:{port}/wxlive"
    wait_until(lambda: (feed_row(clean_engine, show_id) or None) and feed_row(clean_engine, show_id).connected, 60,
               "the receiver should be listening")
    posts = wx_posts()
    assert post_wx(url, posts[0]) == 401  # no token: refused, nothing stored
    statuses = [post_wx(url, p, token="s3cret") for p in posts]
    assert statuses == [200, 200, 200, 200, 200]
    big = {"raw": "{" + " " * 1_000_001 + "}"}
    assert post_wx(url, big, token="s3cret") == 413
    received(clean_engine, show_id, 16, malformed=2, unknown=1)
    assert proc.stop() == 1  # bad bodies were skipped: status 1, like services.ingest
    got = outcome(clean_engine, show_id)
    assert got["comments"] == sorted([("张姐", "鸡蛋什么时候发货"), ("李姐", "运费多少"), ("王阿姨", "我要两份"), ("李姐", "有没有优惠券")])
    assert got["keys"] == 4 and got["log"] == 7
    assert got["samples"] == [(120, 120), (135, 135), (128, 135)]
    assert got["tallies"] == tallies(enters=1, likes=1, gifts=1, interactors=3)
    f = got["feed"]
    assert (f.stored, f.duplicates, f.malformed, f.unknown, f.lost) == (7, 5, 2, 1, 0)
    assert "鸡蛋什么时候发货" in got["queue"]


def replay(engine, run, source: str, expect: tuple[int, int, int], token: str = "", path: str = "") -> dict:
    """The tool's recorded frames through a fake WebSocket tool into a real capture process; the outcome."""
    show_id = live_show(engine)
    tool = FakeWsTool(token=token).start()
    try:
        proc = run(show_id, source, "--url", tool.url + path, *(("--token", token) if token else ()))
        tool.wait_for_client()
        tool.send(frames(source))
        received(engine, show_id, *expect)
        assert proc.stop() == 1  # each fixture holds a malformed frame: status 1, like services.ingest
    finally:
        tool.stop()
    return outcome(engine, show_id)


def test_oba_comments_and_compass_events(clean_engine, run):
    got = replay(clean_engine, run, "oba", (10, 1, 1))
    assert got["comments"] == sorted([("张姐", "鸡蛋什么时候发货"), ("李姐", "运费多少"), ("王阿姨", "我要两份"),
                                      ("抖音小王", "这个鸡蛋是散养的吗")])
    assert got["samples"] == []  # oba sends no viewer numbers
    assert got["tallies"] == tallies(enters=1, likes=1, follows=1, orders=1, interactors=6)
    assert (got["feed"].stored, got["feed"].duplicates) == (9, 1)


def test_danmaku_listener_envelope_with_token_stats_and_gap(clean_engine, run):
    got = replay(clean_engine, run, "danmaku", (11, 1, 1), token="demo-token")
    assert got["comments"] == sorted([("张姐", "鸡蛋什么时候发货"), ("李姐", "运费多少"), ("王阿姨", "我要两份")])
    assert got["samples"] == [(80, 80), (92, 92)]
    # The like carries no user id (the contract's LikePayload has none): matched to 王阿姨 by nickname.
    assert got["tallies"] == tallies(enters=1, likes=5, gifts=1, follows=1, interactors=3)
    assert got["gaps"] == 1  # the tool's own GAP window, for the review timeline
    assert got["feed"].room_likes == 520


def test_danmaku_listener_refuses_a_wrong_token_and_says_so(clean_engine, run):
    show_id = live_show(clean_engine)
    tool = FakeWsTool(token="demo-token").start()
    try:
        run(show_id, "danmaku", "--url", tool.url, "--token", "wrong")
        banner = wait_until(lambda: ("口令" in (_status(clean_engine, show_id).banner or "")) and
                            _status(clean_engine, show_id).banner, 30, "a banner about the refused token")
        assert "DanmakuListener" in banner
    finally:
        tool.stop()


def test_douyinlive_protojson_messages(clean_engine, run):
    got = replay(clean_engine, run, "douyinlive", (11, 1, 1), path="/516466932480")
    assert got["comments"] == sorted([("抖音张姐", "鸡蛋什么时候发货"), ("抖音李姐", "运费多少"), ("抖音王阿姨", "我要两份")])
    assert got["samples"] == [(95, 300), (110, 330)]
    assert got["tallies"] == tallies(enters=1, likes=3, gifts=1, follows=1, interactors=3)


def _status(engine, show_id: int) -> capture.FeedStatus:
    with db.session(engine) as s:
        return capture.feed_status(s, show_id)


def test_the_tool_restarts_mid_show_banner_then_recovery_nothing_lost_or_doubled(clean_engine, run):
    show_id = live_show(clean_engine)
    lines = frames("oba")
    wechat = [lines[0], lines[1], lines[3]]  # 张姐, 李姐, 王阿姨
    tool = FakeWsTool().start()
    proc = run(show_id, "oba", "--url", tool.url)
    tool.wait_for_client()
    wait_until(lambda: _status(clean_engine, show_id).state == capture.FeedState.OK, 10, "the feed should be ok")
    tool.send(wechat[:2])
    received(clean_engine, show_id, 2, 0, 0)
    tool.stop()  # the tool quits mid-show
    banner = wait_until(lambda: _status(clean_engine, show_id).banner, 5, "the console banner within 5 s")
    assert "oba-live-tool" in banner
    assert _status(clean_engine, show_id).state == capture.FeedState.DISCONNECTED
    tool.start()  # back on the same port; it re-sends what it had and goes on
    tool.wait_for_client(connections=2)
    tool.send(wechat)
    wait_until(lambda: _status(clean_engine, show_id).banner is None, 10, "the banner should go after recovery")
    received(clean_engine, show_id, 5, 0, 0)
    assert proc.stop() == 0
    tool.stop()
    got = outcome(clean_engine, show_id)
    assert got["comments"] == sorted([("张姐", "鸡蛋什么时候发货"), ("李姐", "运费多少"), ("王阿姨", "我要两份")])
    assert (got["feed"].stored, got["feed"].duplicates) == (3, 2)
    with db.session(clean_engine) as s:
        gaps = capture.feed_gaps(s, show_id)
    assert [g.reason for g in gaps][:1] == ["disconnected"] and gaps[0].end > gaps[0].start


def test_jsonl_on_stdin_stops_at_the_end_and_the_show_must_exist(clean_engine, run, tmp_path):
    show_id = live_show(clean_engine)
    feed_file = tmp_path / "in.jsonl"
    feed_file.write_text(
        '{"kind": "comment", "msg_id": "a1", "user_id": "u1", "nickname": "张姐", "text": "运费多少"}\n'
        '{"kind": "viewers", "online": 50, "cumulative": 70}\n'
        '{"author": "李姐", "text": "几号到", "at": "2026-01-06 20:15:03"}\n', encoding="utf-8")
    with feed_file.open() as stdin:
        proc = run(show_id, "jsonl", stdin=stdin)
        assert proc.proc.wait(timeout=60) == 0
    got = outcome(clean_engine, show_id)
    assert got["comments"] == [("张姐", "运费多少"), ("李姐", "几号到")]
    assert got["samples"] == [(50, 70)]
    with feed_file.open() as stdin:
        missing = run(show_id + 99, "jsonl", stdin=stdin)
        assert missing.proc.wait(timeout=60) == 2
    assert "找不到编号" in missing.output()


def test_a_database_blink_mid_show_loses_and_doubles_nothing(tmp_path):
    """PostgreSQL behind a proxy the test cuts for a few seconds while the tool keeps talking."""
    import time

    from sqlalchemy.engine import make_url

    from tests.support import postgres_database
    from tests.tcp_proxy import TcpProxy

    with postgres_database() as url:
        direct = db.connect(url)
        db.upgrade(direct)
        show_id = live_show(direct)
        target = make_url(url)
        tool = FakeWsTool().start()
        with TcpProxy((target.host or "127.0.0.1", target.port or 5432)) as proxy:
            proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            proc = CaptureProcess(proxied, show_id, "oba", "--url", tool.url, log=tmp_path / "capture.log")
            try:
                tool.wait_for_client()
                lines = frames("oba")
                tool.send(lines[:2])
                received(direct, show_id, 2, 0, 0)
                proxy.cut()
                tool.send(lines[2:4])  # said while the database is away
                time.sleep(3)
                proxy.restore()
                tool.send(lines[6:9])
                received(direct, show_id, 7, 0, 0)
                assert proc.stop() == 0
            finally:
                proc.kill()
                tool.stop()
        got = outcome(direct, show_id)
        direct.dispose()
    assert got["comments"] == sorted([("张姐", "鸡蛋什么时候发货"), ("李姐", "运费多少"), ("王阿姨", "我要两份"),
                                      ("抖音小王", "这个鸡蛋是散养的吗")])
    assert (got["feed"].stored, got["feed"].duplicates, got["feed"].lost) == (6, 1, 0)
