"""Requests for a performance and calls to the room in live-room chatter (branch hunt22, from the tune rows of
comments_live16.tsv), each example in our own wording with a twin the rule must leave alone (pure: no database)."""
from __future__ import annotations

import pytest

from services import triage


@pytest.mark.parametrize(
    "text,expected",
    [
        # 求 + sing / dance / "do one": a request for a performance, not a question: chatter
        ("求主播再跳一个", "chatter"),
        ("求你唱一首小幸运", "chatter"),
        ("能不能再唱一首？", "other_question"),  # twin: 能不能 asks
        ("求主播讲一下尺码", "product"),  # twin: 求 + a shop topic stays a question
        ("求主播来一个试吃", "product"),  # twin: a shop action named after 来一个
        ("求链接", "order"),  # twin
        # 有没有 + 一起 / 也在 … 的 + friends: a call to the room: chatter
        ("有没有一起追剧的姐妹", "chatter"),
        ("有没有也在加班的朋友？", "chatter"),
        ("有没有一起拼单的朋友", "other_question"),  # twin: buying together is asked
        ("有没有也在等发货的姐妹", "delivery"),  # twin: a shop word keeps its topic
        ("有没有人知道几点发货", "delivery"),  # twin: asks
    ],
)
def test_requests_and_calls_to_the_room(text: str, expected: str) -> None:
    assert triage.classify(text) == expected
