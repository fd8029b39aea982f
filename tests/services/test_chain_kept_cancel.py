"""A cancelled entry whose line comes back without 取消 stays cancelled (a paste never revives),
and the preview says so: the assistant counting the chain by hand otherwise finds one more order
than the console (night 8: 王阿姨 cancelled in one post, listed again in the next)."""
from __future__ import annotations

from datetime import timedelta

from services import jielong
from tests.services.test_jielong import T0, assert_consistent, released_deal


def test_a_line_without_cancel_on_a_cancelled_entry_is_reported_not_revived(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 王阿姨 2份 取消", at=T0)
    again = "1. 王芳 2份\n2. 王阿姨 2份"
    plan = jielong.preview_paste(session, deal.id, again)
    assert plan.unchanged == 1 and [r["团员"] for r in plan.kept_cancelled] == ["王阿姨"]
    assert "1 条接龙里没写取消、但已取消" in plan.summary()
    row = next(r for r in plan.rows() if r["团员"] == "王阿姨")
    assert row["变化"] == "仍为取消" and "粘贴不会恢复" in row["提示"]
    # renumbered as well (another member withdrew): still reported, still cancelled
    plan = jielong.preview_paste(session, deal.id, "1. 王阿姨 2份")
    assert [r["团员"] for r in plan.kept_cancelled] == ["王阿姨"] and not plan.updated
    jielong.apply_paste(session, assistant, deal.id, again, at=T0 + timedelta(minutes=1))
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.units_valid) == (1, 2)


def test_a_later_cancel_line_of_the_same_member_is_what_the_chain_says(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 王阿姨 2份 取消", at=T0)
    plan = jielong.preview_paste(session, deal.id, "1. 王芳 2份\n2. 王阿姨 2份\n3. 王阿姨 取消")
    assert plan.kept_cancelled == [] and "没写取消" not in plan.summary()
