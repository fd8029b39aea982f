"""The console's snapshot strip and viewer-count entry (AppTest on the demo night)."""
from __future__ import annotations

import json

from sqlalchemy import func, select

import db
from db.models import ViewerSample
from services import live, shows

DEMO = "源味集《农场主来了》"


def read(url: str, fn):
    eng = db.connect(url)
    with db.session(eng) as s:
        result = fn(s)
    eng.dispose()
    return result


def demo_snapshot(url: str) -> live.Snapshot:
    return read(url, lambda s: live.snapshot(s, shows.find_show(s, DEMO).id))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def specs(at) -> list[str]:
    return [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("vega_lite_chart")]


def entry(at):
    return at.text_input(key="console_viewers_text")


def submit(at):
    return next(b for b in at.button if b.label == "保存观看数据")


def test_console_shows_the_audience_numbers_of_the_demo_night(page_as, app_db):
    at = page_as("assistant", "console")
    assert not at.exception
    snap = demo_snapshot(app_db)
    shown = metrics(at)
    assert shown["在线"] == str(snap.viewers_online)
    assert shown["累计观看"] == str(snap.viewers_cumulative)
    assert shown["下单人数"] == str(snap.buyers)
    assert shown["互动人数"] == str(snap.commenters)


def test_the_focus_deal_tile_says_reached_under_its_own_label(page_as, app_db):
    """Night 13: a deal past its 成团 showed 「当前团品还差 · 已成团」 (missing: reached)."""
    snap = demo_snapshot(app_db)
    assert snap.focus is not None and snap.focus.reached  # the demo night: 有机上海青 成团 at 21:03
    shown = metrics(page_as("assistant", "console"))
    assert shown.get("当前团品") == "已成团" and "当前团品还差" not in shown


def test_two_numbers_and_enter_record_the_viewers(page_as, app_db):
    at = page_as("assistant", "console")
    entry(at).input("186 999")
    submit(at).click().run()
    assert not at.exception
    assert metrics(at)["在线"] == "186"
    assert metrics(at)["累计观看"] == "999"
    assert read(app_db, lambda s: s.scalar(select(func.count()).select_from(ViewerSample).where(ViewerSample.online == 186))) >= 1


def test_a_single_number_gets_a_chinese_message_and_writes_nothing(page_as, app_db):
    before = read(app_db, lambda s: s.scalar(select(func.count()).select_from(ViewerSample)))
    at = page_as("assistant", "console")
    entry(at).input("186")
    submit(at).click().run()
    assert any("两个数字" in e.value for e in at.error)
    assert read(app_db, lambda s: s.scalar(select(func.count()).select_from(ViewerSample))) == before


def test_host_sees_the_numbers_but_no_entry(page_as):
    at = page_as("host", "console")
    assert not at.exception
    assert "在线" in metrics(at)
    assert not [t for t in at.text_input if t.key == "console_viewers_text"]


def test_funnel_toggle_draws_the_funnel_chart(page_as):
    at = page_as("assistant", "console")
    assert not any("转化漏斗" in s for s in specs(at))
    at.toggle(key="console_snapshot_show_funnel").set_value(True).run()
    assert not at.exception
    assert any("转化漏斗" in s and "社群成员" in s for s in specs(at))
