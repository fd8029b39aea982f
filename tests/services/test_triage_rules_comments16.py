"""Live-room readings from the tune rows of comments_live15.tsv (branch comments16), each example in our own
wording with a twin the rule must leave alone (pure: no database)."""
from __future__ import annotations

import pytest

from services import triage


@pytest.mark.parametrize(
    "text,expected",
    [
        # urging the shipment said after the order, no question word: a delivery ask
        ("已拍，催发货～", "delivery"),
        ("下单了，催发货", "delivery"),
        ("已拍，等着发货", "chatter"),  # twin: waiting, nothing urged
        ("天天催更，博主快更新", "chatter"),  # twin: urging an update is no shipment
        # the host asked to present the goods again, bare: a product ask
        ("再讲讲这款", "product"),
        ("主播说说这个", "product"),
        ("再讲讲这个故事", "chatter"),  # twin: a story is no goods
        ("主播说说这个事", "chatter"),  # twin: a matter is no goods
        # 介绍一下 about a person on screen is no goods presented
        ("认识那个女生吗？介绍一下", "other_question"),
        ("那个帅哥能介绍一下吗", "other_question"),
        ("能介绍一下这款面霜吗", "product"),  # twin: the goods presented
        # what someone on screen uses or wears: not the shop's goods
        ("她用的啥洗面奶，皮肤真好", "other_question"),
        ("她涂的是什么口红呀，好好看", "other_question"),
        ("她穿的是什么码", "product"),  # twin: the size of what is sold on her
        ("这个洗面奶多少钱？", "price"),  # twin: the goods' price
        # rhetorical complaints (怎么又…, 能不能有点新意) and a surprised exclamation: chatter
        ("怎么又在打游戏", "chatter"),
        ("怎么又是这首歌", "chatter"),
        ("主播能不能有点诚意", "chatter"),
        ("卧槽那是猫吗", "chatter"),
        ("卧槽那是什么", "other_question"),  # twin: asks what it is
        ("怎么又涨价了？", "price"),  # twin: a commerce reading is left alone
        ("这是什么歌？", "other_question"),  # twin: a plain question to the host
    ],
)
def test_live_room_readings(text: str, expected: str) -> None:
    assert triage.classify(text) == expected
