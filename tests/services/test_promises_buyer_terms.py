"""Issue 15 item 4, branch promises18: offers in the shapes host_lines_live14.tsv's tune rows missed (a buyer group
named as an offer's audience, 双倍积分, a coupon's threshold and cut written with a dash, 分期免息 beside a prize won in a
draw, all of it picked before sale, the time it takes to make or ship an order) and a price that varies read as an
offer. Each offer is our own phrasing beside a twin with the same words that must stay quiet; none copied from
tests/data/real."""
from __future__ import annotations

import pytest

from services.promises import detect
from tests.services.test_promises_detect import offer_read_twin_quiet


@pytest.mark.parametrize("offer,kind,chatter", [
    # 新用户 / 老用户 name who gets the offer; 用户 alone is still prose about users.
    ("新用户首单免邮", "delivery", "很多用户喜欢包邮的店"),
    ("老用户下单免邮", "delivery", "用户都说包邮好"),
    ("会员下单双倍积分", "price", "双倍的快乐"),
    ("领券299-30", "price", "每3-5天浇一次水"),
    ("全场每满200-20", "price", "身高160-170都能穿"),
    # A prize won in a draw (再赢免单) is no game; a game won stays one.
    ("6期免息再赢免单", "price", "这局赢了就免单"),
    ("我们的苹果都是一颗颗精挑细选过的", "quality", "精挑细选一件衣服要花好久"),
    # 我们平台 is the speaker's own shop talking; 电商平台 with nobody spoken to stays prose.
    ("现在我们平台上的橙子，都是挑选过的", "quality", "电商平台的商品都是挑选过的"),
    ("定制周期5-10天", "delivery", "生长周期90天"),
    ("加工周期7天", "delivery", "月经周期28天"),
])
def test_buyer_term_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


def test_a_price_that_varies_offers_no_price():
    # 批发价格不等: the price depends on the order, nothing to honour; a wholesale price named stays a price.
    assert detect("批发价格不等，量大请联系") == []
    assert [d.kind for d in detect("批发价19元一斤")] == ["price"]
