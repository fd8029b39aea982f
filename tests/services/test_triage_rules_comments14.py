"""Rules from the tune rows of tests/data/real/comments_live14.tsv (live-room, short-video and shop-desk comments
quoted in public code, branch comments14), each example in our own wording with a twin the rule must leave alone
(pure: no database)."""
from __future__ import annotations

import pytest

from services import triage


@pytest.mark.parametrize(
    "text,expected",
    [
        # the goods presented, tried, used, compared or combined, asked in a question: product
        ("主播可以再介绍一下吗", "product"),
        ("主播介绍一下你自己吧", "chatter"),  # twin: the host, not the goods (an imperative)
        ("能试试吗", "product"),
        ("这个面膜要怎么使用", "product"),
        ("用户多吗", "other_question"),  # twin: 用户 is no use of the goods
        ("和超市里的比怎么样", "product"),
        ("你跟她比怎么样", "other_question"),  # twin: people compared
        ("跟外面比哪个便宜", "price"),  # twin: a price compared
        ("能和维生素一起吃吗", "product"),
        ("主播和我们一起吃吗", "other_question"),  # twin: eating with the host
        ("这套怎么样？我给我妈买", "product"),
        ("擦了会过敏吗", "product"),
        ("这个吸尘器怎么样", "product"),
        ("这台空调安全吗", "product"),
        ("这个主播怎么样", "other_question"),  # twin: the host
        # whether the shop carries a thing: product
        ("你们有护膝吗", "product"),
        ("你们有男朋友吗", "other_question"),  # twin: a person
        ("你家有猫吗", "other_question"),  # twin: the host's home
        ("收到就过敏了怎么办", "after_sales"),  # twin: a reaction that happened
        # a trade-in is an offer: price
        ("旧手机能以旧换新吗", "price"),
        # a repair asked after: after-sales
        ("寄回去多久能修好", "after_sales"),
        # ads in the comments: chatter
        ("扫码进群领优惠券 www.abcshop.com", "chatter"),
        # goods failing in use, said without a question: after-sales
        ("买了两天就不能用了", "after_sales"),
        ("这耳机质量堪忧", "after_sales"),
        ("充电的时候发烫严重", "after_sales"),
        ("宣传的和收到的完全不一样", "after_sales"),
        ("这个bug说了好几次都没修", "after_sales"),
        ("问题报了三次也没人处理", "after_sales"),
        ("客服态度差", "after_sales"),
        ("主播态度好好", "chatter"),  # twin: praise of the host
        # the parcel and its receiver: delivery
        ("地址改到公司吧", "delivery"),
        ("帮我改一下收件人电话", "delivery"),
        ("我想看看我的快递", "delivery"),
        ("我想看看你的猫", "chatter"),  # twin
    ],
)
def test_goods_presented_failing_in_use_ads_and_parcels_from_comments14(text: str, expected: str) -> None:
    assert triage.classify(text) == expected
