"""Hostile and odd values typed into the pages' forms (the audit of branch input14): a huge
count, a value that shows nothing, markup in a name that a confirmation or a hint quotes.
Each shows a clear Chinese message (or the text as typed), writes nothing and raises nothing."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

import db
from db.models import Deal, Event, Promise, Show
from services import auth, clock, jielong, promises, shows
from services.authz import SYSTEM
from tests.pages.conftest import PASSWORD
from tests.pages.test_setup import DEMO, _fill, _fresh, _new_prefix, _new_show, _submit
from ui.markdown import literal

HUGE = 10**12
LINK = "[点此领券](javascript:alert(1))"
LIVE_MARKUP = re.compile(r"(?<!\\)\]\(|(?<!\\)\*\*")  # a live link or bold


def _counts(url: str) -> tuple[int, ...]:
    eng = db.connect(url)
    with db.session(eng) as s:
        out = tuple(s.scalar(select(func.count()).select_from(m)) for m in (Show, Deal, Promise, Event))
    eng.dispose()
    return out


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def test_a_huge_community_size_is_a_named_error(page_as, app_db):
    at = page_as("assistant", "setup")
    before = _counts(app_db)  # after the login's own event
    prefix = _fresh(at, "setup_new")
    at.number_input(key=f"{prefix}_members").set_value(HUGE)
    _new_show(at, "周五草莓专场")
    assert not at.exception
    assert "社群成员数" in _errors(at) and "不能超过 1000000" in _errors(at)
    assert _counts(app_db) == before


def test_a_huge_threshold_is_a_named_error(page_as, app_db):
    at = page_as("assistant", "setup")
    before = _counts(app_db)  # after the login's own event
    _submit(_fill(at, price=9.9, threshold=HUGE), _new_prefix(at))
    assert not at.exception
    assert "成团数" in _errors(at) and "不能超过 1000000" in _errors(at)
    assert _counts(app_db) == before


def test_a_title_that_shows_nothing_is_refused(page_as, app_db):
    at = page_as("assistant", "setup")
    before = _counts(app_db)
    _new_show(at, "\u2060\u3164")
    assert not at.exception and "标题：不能为空" in _errors(at)
    assert _counts(app_db) == before


def test_a_new_community_with_markup_is_named_once_escaped(page_as):
    at = page_as("assistant", "setup")
    prefix = _fresh(at, "setup_new")
    at.text_input(key=f"{prefix}_title").input("周六橙子专场")
    at.text_input(key=f"{prefix}_community").input("**幸福里**")
    at.text_input(key=f"{prefix}_host").input("小周")
    _submit(at, prefix)
    assert not at.exception and not at.error
    assert [t.value for t in at.toast if "新社群" in t.value] == [literal("场次已创建（新社群「**幸福里**」）")]


def test_deleting_a_draft_quotes_its_name_as_text(page_as, app_db):
    eng = db.connect(app_db)
    with db.session(eng) as s:
        show = shows.find_show(s, DEMO)
        deal = jielong.create_deal(s, SYSTEM, show.id, jielong.DealForm(
            product=f"**草莓**{LINK}", group_price=Decimal("9.9"), threshold=3))
        deal_id = deal.id
    eng.dispose()
    at = page_as("assistant", "setup")
    at.selectbox(key="setup_deal_pick").set_value(deal_id).run()
    assert not at.exception
    quoted = [w.value for w in at.warning if "确定删除" in w.value]
    quoted += [b.label for b in at.button if b.key == f"setup_deal_delete_{deal_id}"]
    assert len(quoted) == 2 and all("草莓" in q and "点此领券" in q for q in quoted)
    assert not [q for q in quoted if LIVE_MARKUP.search(q)]


def test_a_quick_promise_hint_quotes_deal_names_as_text(page_as, app_db):
    eng = db.connect(app_db)
    now = clock.now()
    with db.session(eng) as s:
        show = shows.create_show(s, SYSTEM, shows.ShowForm("草莓夜", "测试群", 100, "老李", now - timedelta(minutes=5),
                                                          now + timedelta(hours=1)))
        for product in ("**草莓**", "橙子"):
            jielong.create_deal(s, SYSTEM, show.id, jielong.DealForm(
                product=product, group_price=Decimal("9.9"), threshold=3, delivery_text="次日自提",
                deadline=now + timedelta(hours=2)))
    eng.dispose()
    at = page_as("assistant", "console", show_title="草莓夜")
    at.text_input(key="console_promises_text").input("草莓和橙子明天送到")
    next(b for b in at.button if b.label == "记录承诺").click().run()
    assert not at.exception
    hints = [c.value for c in at.caption if c.value.startswith("⚠")]
    assert hints and any("草莓" in h and "橙子" in h for h in hints)
    assert not [h for h in hints if LIVE_MARKUP.search(h)]


def test_a_promise_naming_a_huge_n_is_a_message(page_as, app_db):
    at = page_as("assistant", "console")
    before = _counts(app_db)
    at.text_input(key="console_promises_text").input("前1000000000000名送小葱")
    next(b for b in at.button if b.label == "记录承诺").click().run()
    assert not at.exception
    assert "前N名不能超过 1000000" in _errors(at)
    assert _counts(app_db) == before


def _confirmed(url: str, text: str) -> int:
    eng = db.connect(url)
    with db.session(eng) as s:
        actor = auth.resolve_session(s, auth.login(s, "assistant_user", PASSWORD))
        pid = promises.log_promise(s, actor, shows.find_show(s, DEMO).id, text).id
        promises.confirm(s, actor, pid)
    eng.dispose()
    return pid


def test_a_huge_seq_range_is_a_message(page_as, app_db):
    pid = _confirmed(app_db, "前5名送手札")
    at = page_as("assistant", "promises")
    before = _counts(app_db)
    at.selectbox(key="promises_pick").set_value(pid).run()
    at.text_input(key=f"promises_range_{pid}").input(f"1-{HUGE}")
    next(b for b in at.button if b.label == "批量勾选").click().run()
    assert not at.exception
    assert "序号不能超过 1000000" in _errors(at)
    assert _counts(app_db) == before


def test_a_huge_n_confirmed_on_the_promises_page_is_a_message(page_as, app_db):
    pid = _confirmed(app_db, "前5名送手札")
    at = page_as("assistant", "promises")
    at.selectbox(key="promises_pick").set_value(pid).run()
    at.number_input(key=f"promises_n_{pid}").set_value(HUGE)
    at.button(key=f"promises_confirm_{pid}").click().run()
    assert not at.exception
    assert "前N名不能超过 1000000" in _errors(at)
    eng = db.connect(app_db)
    with db.session(eng) as s:
        assert s.get(Promise, pid).first_n == 5
    eng.dispose()


def _quick_comment(at, text: str):
    at.text_input(key="console_queue_quick_text").input(text)
    next(b for b in at.button if b.label == "录入").click().run()
    return at


def test_an_empty_quick_comment_is_told(page_as, app_db):
    at = page_as("assistant", "console")
    before = _counts(app_db)
    _quick_comment(at, "   ")
    assert not at.exception and [w.value for w in at.warning] == ["请先输入评论内容。"]
    _quick_comment(at, "\u200b\u2060")  # passes the page's strip: the service finds it empty
    assert not at.exception and any("评论是空的" in c.value for c in at.caption)
    assert _counts(app_db) == before
    _quick_comment(at, "几点发货")  # twin
    assert any(c.value == "已录入。" for c in at.caption)


def _link_labels(url: str) -> list[str]:
    from db.models import PickupLink

    eng = db.connect(url)
    with db.session(eng) as s:
        out = list(s.scalars(select(PickupLink.label)))
    eng.dispose()
    return out


def test_a_second_click_on_the_pickup_link_form_makes_no_twin(page_as, app_db):
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = "提货链接"
    at.run()
    next(t for t in at.text_input if t.label == "使用人").input("前台小周")
    next(b for b in at.button if b.label == "生成提货链接").click().run()
    assert not at.exception and not at.error
    next(b for b in at.button if b.label == "生成提货链接").click().run()  # the same button again
    assert not at.exception
    assert _link_labels(app_db).count("前台小周") == 1
    assert next(t for t in at.text_input if t.label == "使用人").value == ""  # an empty form for the next one
    next(t for t in at.text_input if t.label == "使用人").input("后台小李")  # twin: the next link is made
    next(b for b in at.button if b.label == "生成提货链接").click().run()
    assert _link_labels(app_db).count("后台小李") == 1


def test_a_delivery_dated_tomorrow_is_a_message(page_as, app_db):
    at = page_as("assistant", "pickup")
    at.session_state["pickup_tab"] = "配送"
    at.run()
    before = _counts(app_db)
    groups = at.multiselect(key="pickup_delivery_groups")
    groups.set_value(groups.options[:1])
    at.date_input(key="pickup_delivery_day").set_value(clock.now().date() + timedelta(days=1))
    next(b for b in at.button if b.label == "标记已送达 / 已发货").click().run()
    assert not at.exception
    assert "送达时间" in _errors(at) and "还没到" in _errors(at)
    assert _counts(app_db) == before  # no event: no run
