"""Issue 13 #4: a second click on 保存场次 / 保存团品 makes no twin; a draft deal can be deleted."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import Deal, Event, Show
from services import jielong, promises, shows
from services.errors import InvalidInput, InvalidState
from tests.services.test_jielong import END, START, form, make_show


def test_the_same_show_twice_is_refused(session, assistant):
    make_show(session, assistant)
    with pytest.raises(InvalidInput) as err:
        make_show(session, assistant)
    assert "已有同名场次" in str(err.value)
    assert session.scalar(select(func.count()).select_from(Show)) == 1
    # the same title another day is another show
    shows.create_show(session, assistant, shows.ShowForm("源味集《农场主来了》", "群", 300, "老李",
                                                         START + timedelta(days=7), END + timedelta(days=7)))


def test_renaming_a_show_onto_another_is_refused(session, assistant):
    a = make_show(session, assistant, "甲场")
    make_show(session, assistant, "乙场")
    with pytest.raises(InvalidInput):
        shows.update_show(session, assistant, a.id, shows.ShowForm("乙场", "群", 300, "老李", START, END))
    shows.update_show(session, assistant, a.id, shows.ShowForm("甲场", "新群", 300, "老李", START, END))  # itself: fine


def test_the_same_product_twice_in_a_show_is_refused(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    with pytest.raises(InvalidInput) as err:
        jielong.create_deal(session, assistant, show.id, form(product=" 有机上海青 "))
    assert "本场已有团品「有机上海青」" in str(err.value)
    other = jielong.create_deal(session, assistant, show.id, form(product="丹东红颜草莓"))
    with pytest.raises(InvalidInput):
        jielong.update_deal(session, assistant, other.id, form(product="有机上海青"))
    jielong.update_deal(session, assistant, deal.id, form(perk_text="送手札"))  # itself: fine


def test_a_draft_deal_is_deleted_a_released_one_is_not(session, assistant):
    show = make_show(session, assistant)
    draft = jielong.create_deal(session, assistant, show.id, form(product="多余的团品"))
    kept = jielong.create_deal(session, assistant, show.id, form())
    assert jielong.delete_deal(session, assistant, draft.id) == "多余的团品"
    assert [d.id for d in jielong.list_deals(session, show.id)] == [kept.id]
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "deal.deleted")) == 1
    jielong.release(session, kept.id, assistant, at=START + timedelta(minutes=5))
    with pytest.raises(InvalidState):
        jielong.delete_deal(session, assistant, kept.id)
    assert session.get(Deal, kept.id) is not None


def test_a_deal_with_promises_is_not_deleted(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    promises.log_promise(session, assistant, show.id, "前50名送手札", deal_id=deal.id)
    with pytest.raises(InvalidState) as err:
        jielong.delete_deal(session, assistant, deal.id)
    assert "承诺" in str(err.value)


def test_the_host_cannot_delete_a_deal(session, assistant, host):
    from services.errors import Forbidden

    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    with pytest.raises(Forbidden):
        jielong.delete_deal(session, host, deal.id)


def test_an_ended_show_can_be_reopened(session, assistant):
    show = make_show(session, assistant)
    shows.start_show(session, assistant, show.id, at=START)
    shows.end_show(session, assistant, show.id, at=START + timedelta(hours=1))
    shows.reopen_show(session, assistant, show.id, at=START + timedelta(hours=1, minutes=2))
    assert (show.status, show.actual_end) == ("live", None)
    with pytest.raises(InvalidState):
        shows.reopen_show(session, assistant, show.id)


def test_rehearsals_stay_out_of_the_comparison_unless_asked(session, assistant):
    from services import review

    real = make_show(session, assistant, "真实场")
    rehearsal = shows.create_show(session, assistant, shows.ShowForm("彩排场", "源味集·阳光花园群", 300, "老李",
                                                                      START + timedelta(days=1), END + timedelta(days=1)))
    shows.set_rehearsal(session, assistant, rehearsal.id)
    later = shows.create_show(session, assistant, shows.ShowForm("下一场", "源味集·阳光花园群", 300, "老李",
                                                                  START + timedelta(days=2), END + timedelta(days=2)))
    for s in (real, rehearsal, later):  # all went live: a show that never did is no night to compare
        shows.start_show(session, assistant, s.id, at=s.scheduled_start)
    assert [r["show_id"] for r in review.compare(session)] == [real.id, later.id]
    assert [r["show_id"] for r in review.compare(session, include_rehearsal=True)] == [real.id, rehearsal.id, later.id]
    assert [r["show_id"] for r in review.compare(session, upto_show_id=rehearsal.id)] == [real.id, rehearsal.id]


def test_reply_templates_are_filled_from_the_deal(session, assistant):
    show = make_show(session, assistant)
    from services import triage

    assert jielong.reply_templates(session, show.id) == triage.REPLY_TEMPLATES  # no deal yet: the generic ones
    deal = jielong.create_deal(session, assistant, show.id, form(spec_options="5斤装,10斤装", spec_prices="10斤装=69.9",
                                                                 delivery_text="明天中午东门自提"))
    t = jielong.reply_templates(session, show.id)
    assert "有机上海青" in t["price"] and "¥19.9" in t["price"] and "10斤装 ¥69.9" in t["price"]
    assert "明天中午东门自提" in t["delivery"] and "马上发到群里" in t["order"]
    jielong.release(session, deal.id, assistant, at=START + timedelta(minutes=50))
    assert "已发在群里（20:50 发布）" in jielong.reply_templates(session, show.id)["order"]


def test_a_question_naming_a_deal_gets_that_deals_reply(session, assistant):
    # Night 8: with 赣南脐橙 and 丹东草莓 as drafts, `10斤装多少钱` got 丹东草莓's price (the newest draft).
    show = make_show(session, assistant)
    jielong.create_deal(session, assistant, show.id, form(product="赣南脐橙", spec_options="5斤装,10斤装",
                                                          spec_prices="10斤装=49.9", delivery_text="明天中午东门自提",
                                                          perk_first_n=20, perk_text="送1斤砂糖橘"))
    jielong.create_deal(session, assistant, show.id, form(product="丹东草莓", delivery_text="后天送达"))
    asked = ["10斤装多少钱", "脐橙甜不甜", "草莓什么时候到", "运费多少"]
    price, sweet, berry, fee = jielong.reply_templates_for(session, show.id, asked)
    assert "赣南脐橙" in price["price"] and "10斤装 ¥49.9" in price["price"]
    assert "赣南脐橙" in sweet["price"]
    assert "前 20 名下单：送1斤砂糖橘" in price["price"] and "送送" not in price["price"]  # the perk as written
    assert "丹东草莓" in berry["delivery"] and "后天送达" in berry["delivery"]
    assert fee == jielong.reply_templates(session, show.id)  # names no deal: the current one, as before


def test_voices_name_the_askers_and_keep_their_words(session, assistant):
    from services import triage

    show = make_show(session, assistant)
    triage.ingest(session, assistant, show.id, [
        triage.CommentIn("张姐", "有机认证是真的吗", START),
        triage.CommentIn("王哥", "有机认证真的假的", START + timedelta(seconds=20)),
    ])
    row = triage.queue(session, show.id)[0]
    said = triage.voices(session, [row.id])[row.id]
    assert said.askers == ["王哥", "张姐"]
    assert [c[1] for c in said.comments] == ["有机认证真的假的", "有机认证是真的吗"]


def test_a_show_started_far_from_its_plan_says_so_on_the_console(session, assistant):
    # Night 8: the new-show form proposes tomorrow; started today, the advice counted 1500 minutes
    # to the end and the host's phone showed 接龙截止 1天1小时, with nothing saying why.
    show = make_show(session, assistant)
    assert shows.schedule_warning(show) == ""  # planned
    shows.start_show(session, assistant, show.id, at=START - timedelta(minutes=10))
    assert shows.schedule_warning(show) == ""  # a little early is the plan
    other = shows.create_show(session, assistant, shows.ShowForm("明天的场", "群", 300, "老李",
                                                                 START + timedelta(days=1), END + timedelta(days=1)))
    shows.start_show(session, assistant, other.id, at=START)
    warning = shows.schedule_warning(other)
    assert "计划时间是 11-21 20:00–21:00" in warning and "实际 11-20 20:00 开播" in warning and "场次准备" in warning
    shows.end_show(session, assistant, other.id, at=END)
    assert shows.schedule_warning(other) == ""  # over: nothing left to time


def test_a_reply_names_the_deal_of_the_variety_asked_about(session, assistant):
    """Night 9: `甜橙多少钱` while the deals are 橙子 and 丹东草莓 (草莓 released last, in focus) was
    answered with the strawberries' price; a variety names its kind's deal (services.kinds)."""
    show = make_show(session, assistant)
    jielong.create_deal(session, assistant, show.id, form(product="橙子", group_price=Decimal("22.9")))
    berry_deal = jielong.create_deal(session, assistant, show.id, form(product="丹东草莓", group_price=Decimal("25.9")))
    jielong.release(session, berry_deal.id, assistant, at=START + timedelta(minutes=30))  # the deal in focus
    sweet_orange, berry = jielong.reply_templates_for(session, show.id, ["甜橙多少钱", "草莓多少钱"])
    assert "橙子" in sweet_orange["price"] and "丹东草莓" not in sweet_orange["price"]
    assert "丹东草莓" in berry["price"]
