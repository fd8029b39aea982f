"""Console panel 承诺速记: type + Enter logs the words, the time, the guessed kind and deal."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Promise
from services import promises, shows
from tests.pages.test_promises import SHOW, app_session, frame


def newest(url) -> Promise | None:
    with app_session(url) as s:
        return s.scalars(select(Promise).order_by(Promise.id.desc()).limit(1)).first()


def submit(at, text):
    at.text_input(key="console_promises_text").input(text)
    next(b for b in at.button if b.label == "记录承诺").click().run()
    return at


def test_quick_log_guesses_kind_and_the_deal_being_shown(page_as, app_db):
    at = submit(page_as("assistant", "console"), "前五十名送手札")
    assert not at.exception
    p = newest(app_db)
    with app_session(app_db) as s:
        deal = promises.current_deal(s, shows.find_show(s, SHOW).id)
    assert (p.text, p.kind, p.first_n, p.deal_id) == ("前五十名送手札", "gift", 50, deal.id if deal else None)
    recent = frame(at, "原话")
    assert recent["原话"].iloc[0] == "前五十名送手札"


def test_kind_and_deal_are_corrected_in_one_click(page_as, app_db):
    at = submit(page_as("assistant", "console"), "手札那个")
    p = newest(app_db)
    at.button(key=f"console_promises_kind_{p.id}_gift").click().run()
    assert not at.exception
    assert newest(app_db).kind == "gift"
    assert at.button(key=f"console_promises_kind_{p.id}_gift").disabled  # the current kind
    assert any("类型已改为「赠品」" in t.value for t in at.toast)
    at.button(key=f"console_promises_deal_{p.id}_0").click().run()
    assert newest(app_db).deal_id is None


def test_reruns_after_a_correction_change_nothing_unasked(page_as, app_db):
    """A rerun with no click (a fragment tick, another panel's action) never re-applies a
    correction: the buttons fire only when clicked."""
    at = submit(page_as("assistant", "console"), "不好吃包退")
    p = newest(app_db)
    at.button(key=f"console_promises_kind_{p.id}_quality").click().run()
    assert newest(app_db).kind == "quality"
    with app_session(app_db) as s:
        promises_row = s.get(Promise, p.id)
        promises_row.kind = "refund"  # changed elsewhere (the promises page)
    at.run()
    at.run()
    assert newest(app_db).kind == "refund"
    assert not any("类型已改为" in t.value for t in at.toast)


def test_empty_text_is_not_logged(page_as, app_db):
    before = newest(app_db).id
    at = submit(page_as("assistant", "console"), "   ")
    assert newest(app_db).id == before
    assert [w.value for w in at.warning] == ["请先输入主播说的原话。"]


def test_host_sees_the_list_but_cannot_log(page_as):
    at = page_as("host", "console")
    assert not at.exception
    assert not any(t.key == "console_promises_text" for t in at.text_input)


def _warnings(at) -> set[str]:
    return {c.value for c in at.caption if c.value.startswith("⚠")}


def test_an_unsure_quick_log_says_why(page_as, app_db):
    at = page_as("assistant", "console")
    queue_hints = _warnings(at)  # the question queue's own ⚠ (e.g. 可能只是闲聊) are not the log's
    at = submit(at, "手札那个")
    assert any(c.value.startswith("⚠ 没认出是哪类承诺") for c in at.caption)
    at = submit(at, "鸡蛋的话，明天下午送到")
    p = newest(app_db)
    with app_session(app_db) as s:
        eggs = next(i for i, name in promises.deal_choices(s, p.show_id) if name.startswith("散养土鸡蛋"))
    assert p.deal_id == eggs  # the deal the words name, not the one being shown
    assert _warnings(at) <= queue_hints


def test_a_payout_read_from_its_words_says_so_and_a_night_s_delivery_is_the_whole_show(page_as, app_db):
    """night 19 on the console: 破几个赔几个 logged 赔付 under a ⚠ 没认出是哪类承诺; 明早7点前一定
    送到东门和西门 went to the deal on the panel. The demo night has three deals open."""
    at = page_as("assistant", "console")
    assert any(c.value.endswith("（没提团品的送达、售后承诺按整场）") for c in at.caption)
    at = submit(at, "鸡蛋破了拍照发群里，破几个赔几个")
    assert newest(app_db).kind == "compensation"
    assert "⚠ 按字眼认作「赔付」承诺（线索较弱），请核对类型" in [c.value for c in at.caption]
    assert not any(c.value.startswith("⚠ 没认出") for c in at.caption)
    at = submit(at, "明早7点前一定送到东门和西门")
    p = newest(app_db)
    assert (p.kind, p.deal_id, p.scope) == ("delivery", None, "show")
    assert at.button(key=f"console_promises_deal_{p.id}_0").disabled  # 整场 is the one picked
    assert frame(at, "原话")["团品"].iloc[0] == "整场"
