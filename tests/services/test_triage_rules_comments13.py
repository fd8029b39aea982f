"""Rules from the tune rows of tests/data/real/comments_live13.tsv (real Taobao shop-chat sessions, branch
comments13), each example in our own wording with a twin the rule must leave alone (pure: no database)."""
from __future__ import annotations

import pytest

from services import triage


@pytest.mark.parametrize(
    "text,expected",
    [
        # a gift with the purchase asked for (送 + an amount or a thing, 买…送, 还送): price, not delivery
        ("能多送两包纸巾吗", "price"),
        ("下单的话还送别的吗", "price"),
        ("拍三件送几双袜子", "price"),
        ("可以送我点小样吗", "price"),
        ("能送到小区门口吗", "delivery"),  # twin: 送到 is delivery
        ("还送货上门吗", "delivery"),  # twin
        ("送我一个火箭", "chatter"),  # twin: a live-room gift to the host
        ("有没有小礼品", "price"),
        # an amount of money asked about or disputed: price
        ("这款是不是39元", "price"),
        ("满一百减十元吗", "price"),
        ("买三盒多少钱一盒", "price"),
        ("主播你几岁了", "other_question"),  # twin: no money
        ("帮同事代买，买多能便宜吗", "price"),
        ("买两箱多少", "price"),
        # the host's age asked as 多少岁: other_question (as 你多大)
        ("主播多少岁", "other_question"),
        ("小姐姐多少岁了", "other_question"),
        ("这个宝宝多少岁能吃", "product"),  # twin: the goods' age
        # goods' attributes the lexicon lacked
        ("这个毛巾是全棉的吗", "product"),
        ("杯子密封好不好", "product"),
        ("刀用久了会生锈吗", "product"),
        ("有带盖子的款吗", "product"),
        ("这个饼干是什么味的", "product"),
        # a courier named: delivery
        ("可以发申通吗", "delivery"),
        ("帮我走百世快递", "delivery"),
        ("请给我发ems", "delivery"),
        ("我是走路来的", "chatter"),  # twin
        ("收货人能改吗", "delivery"),
        ("怎么还没寄出来", "delivery"),
        # escalating to the platform, a parcel sent short: after-sales
        ("再不处理我就找淘宝介入", "after_sales"),
        ("我要去平台投诉你们", "after_sales"),
        ("请平台小编介绍一下", "chatter"),  # twin
        ("你们发漏了一盒", "after_sales"),
        ("我要去申诉", "after_sales"),
    ],
)
def test_shop_chat_gifts_amounts_couriers_and_attributes_from_comments13(text: str, expected: str) -> None:
    assert triage.classify(text) == expected
