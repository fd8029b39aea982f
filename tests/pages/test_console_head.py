"""The console's head (issue 13 #18): 结束直播 asks first and can be undone; metric sub-figures
carry no arrow."""
from __future__ import annotations

from datetime import timedelta

import db
from services import clock, shows
from services.authz import SYSTEM

TITLE = "开播结束测试场"


def _status(url: str) -> str:
    eng = db.connect(url)
    with db.session(eng) as s:
        status = shows.find_show(s, TITLE).status
    eng.dispose()
    return status


def test_end_asks_first_and_an_ended_show_reopens(page_as, app_db):
    eng = db.connect(app_db)
    now = clock.now()
    with db.session(eng) as s:
        shows.create_show(s, SYSTEM, shows.ShowForm(TITLE, "测试群", 100, "老李", now, now + timedelta(hours=1)))
    eng.dispose()
    at = page_as("assistant", "console", show_title=TITLE)
    at.button(key="console_start").click().run()
    assert not at.exception and _status(app_db) == "live"
    assert any("确定结束直播" in w.value for w in at.warning)  # the confirmation, inside 结束直播…
    assert _status(app_db) == "live"  # nothing ended without the confirming click
    at.button(key="console_end").click().run()
    assert _status(app_db) == "ended"
    at.button(key="console_reopen").click().run()
    assert not at.exception and _status(app_db) == "live"


def _planned_tomorrow(url: str) -> None:
    """A show planned for tomorrow (the new-show form's default)."""
    eng = db.connect(url)
    tomorrow = clock.now() + timedelta(days=1)
    with db.session(eng) as s:
        shows.create_show(s, SYSTEM, shows.ShowForm(TITLE, "测试群", 100, "老李", tomorrow, tomorrow + timedelta(hours=1)))
    eng.dispose()


def test_a_show_started_a_day_before_its_plan_is_flagged_in_the_head(page_as, app_db):
    # Night 8: the form's default plan is tomorrow; 开播 today left every timing a day off, unsaid.
    _planned_tomorrow(app_db)
    at = page_as("assistant", "console", show_title=TITLE)
    assert not any("计划时间是" in w.value for w in at.warning)
    at.button(key="console_start").click().run()
    assert not at.exception and any("计划时间是" in w.value and "场次准备" in w.value for w in at.warning)


def _top_level(at) -> list[str]:
    """The kinds of the page's top-level nodes, in order (the browser keys them by their place)."""
    return [getattr(node, "type", type(node).__name__) for node in at.main.children.values()]


def test_the_page_top_level_is_the_same_whatever_the_head_shows(page_as, app_db):
    """Night 9 (the manual entry's 规格 list closing at once): the schedule warning, as a block of
    its own above the panels (a72848d), shifted every block below it, and the browser drew them
    anew. The head is one container: 开播 with the warning, and the host's read-only note, leave
    the page's top level as it was."""
    _planned_tomorrow(app_db)
    at = page_as("assistant", "console", show_title=TITLE)
    before = _top_level(at)
    at.button(key="console_start").click().run()
    assert any("计划时间是" in w.value for w in at.warning)
    assert _top_level(at) == before
    host = page_as("host", "console", show_title=TITLE)
    assert any("只读模式" in c.value for c in host.caption)
    assert _top_level(host) == before
