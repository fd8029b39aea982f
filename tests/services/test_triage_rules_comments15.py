"""Rhetorical and exclaiming forms in live-room chatter (branch comments15, from LiveChat's tune rows read
leave-one-source-out), each example in our own wording with a twin the rule must leave alone (pure: no database)."""
from __future__ import annotations

import pytest

from services import triage


@pytest.mark.parametrize(
    "text,expected",
    [
        # an exclamation shaped as a question (怎么这么 + a word, nothing asked after): chatter
        ("你眼睛怎么这么大", "chatter"),
        ("怎么这么晚了还不下播", "other_question"),  # twin: a real question to the host after it
        ("怎么这么贵", "price"),  # twin: a commerce word keeps its topic
        ("快递怎么这么慢还没到", "delivery"),  # twin: a parcel asked after
        # rhetorical questions (不就是…吗, 难道…吗, 算什么, 能不 X 吗, 不知道吗): chatter
        ("这不就是我家的狗吗", "chatter"),
        ("难道你是机器人吗", "chatter"),
        ("这算什么", "chatter"),
        ("天天熬夜能不困吗", "chatter"),
        ("能不能再唱一首？", "other_question"),  # twin: 能不能 asks
        ("今晚有抽奖你们不知道吗", "price"),  # twin: a draw is a topic
        ("你们不知道吗", "chatter"),
        ("这事和你有关吗", "chatter"),
        ("旁边跟你连麦的是谁", "other_question"),  # twin: asks who
        # genuine questions to the host stay questions
        ("主播你是哪里人", "other_question"),
        ("今晚几点下播", "other_question"),
        ("刚才唱的什么歌", "other_question"),
    ],
)
def test_rhetorical_forms(text: str, expected: str) -> None:
    assert triage.classify(text) == expected
