"""An unsure group (its first comment read with a ⚠, or as 其他提问) takes the category and the
wording of the first sure question that joins it: the queue then shows what the viewers ask."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Comment, QuestionGroup
from services import triage
from services.triage import matchers
from tests.services.test_triage import builtin_lexicon, c, show_id  # noqa: F401 (fixtures: the same show and lexicon)


def only_group(session, show_id):
    (g,) = session.scalars(select(QuestionGroup).where(QuestionGroup.show_id == show_id)).all()
    return g


def comment_categories(session, show_id):
    return sorted(session.scalars(select(Comment.category).where(Comment.show_id == show_id)))


def test_a_topicless_group_takes_the_order_reading_of_a_sure_question_in_the_same_batch(session, assistant, show_id):
    assert triage.classify("在哪能买") == "other_question" and triage.classify("在哪买") == "order"
    triage.ingest(session, assistant, show_id, [c("a", "在哪能买", 0), c("b", "在哪买", 5)])
    g = only_group(session, show_id)
    assert (g.category, g.text, g.askers) == ("order", "在哪买", 2)
    assert comment_categories(session, show_id) == ["order", "order"]
    (row,) = triage.queue(session, show_id)
    assert (row.category_label, row.text, row.hint) == ("下单接龙", "在哪买", "")


@pytest.mark.parametrize("cold", [False, True], ids=["cached matcher", "matcher rebuilt from the database"])
def test_a_stored_unsure_group_firms_up_when_a_later_batch_joins_it(session, assistant, show_id, cold):
    # 单号一直不更新 is read with a ⚠ (没有问句). (The first pair, 我要退订单 then 可以退吗 from
    # comments_live10.tsv, no longer joins since para12: a request is not a can-it-be-done question.)
    triage.ingest(session, assistant, show_id, [c("a", "单号一直不更新", 0)])
    (before,) = triage.queue(session, show_id)
    assert before.hint.startswith("没有问句")
    if cold:
        matchers._MATCHERS.clear()
    triage.ingest(session, assistant, show_id, [c("b", "单号怎么不更新", 30)])
    g = only_group(session, show_id)
    assert (g.category, g.text, g.comments, g.askers) == ("delivery", "单号怎么不更新", 2, 2)
    (row,) = triage.queue(session, show_id)
    assert row.hint == ""


@pytest.mark.parametrize("cold", [False, True], ids=["cached matcher", "matcher rebuilt from the database"])
def test_a_stored_topicless_group_moves_with_its_comments(session, assistant, show_id, cold):
    triage.ingest(session, assistant, show_id, [c("a", "在哪能买", 0)])
    if cold:
        matchers._MATCHERS.clear()
    triage.ingest(session, assistant, show_id, [c("b", "在哪买", 30), c("c", "在哪能买呀", 40)])
    g = only_group(session, show_id)
    assert (g.category, g.text, g.comments) == ("order", "在哪买", 3)
    assert comment_categories(session, show_id) == ["order"] * 3


def test_a_sure_group_keeps_its_first_wording(session, assistant, show_id):
    triage.ingest(session, assistant, show_id, [c("a", "在哪买", 0), c("b", "在哪能买", 5), c("c", "哪里下单", 9)])
    g = only_group(session, show_id)
    assert (g.category, g.text) == ("order", "在哪买")


def test_an_operators_category_is_never_replaced(session, assistant, show_id):
    first = triage.ingest(session, assistant, show_id, [c("a", "在哪能买", 0)])
    triage.recategorize(session, assistant, first.group_ids[0], "product")
    triage.ingest(session, assistant, show_id, [c("b", "在哪买", 30)])
    g = only_group(session, show_id)
    assert (g.category, g.text) == ("product", "在哪能买")
    assert comment_categories(session, show_id) == ["product", "product"]
