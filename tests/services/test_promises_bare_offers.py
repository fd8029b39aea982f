"""Issue 15 item 4, branch promises15: offers in the shapes host_lines_live11.tsv's tune rows missed (an amount said
bare as the deal, another channel's price beside today's, a price in 分钱, a lucky bag about to be grabbed, a round
of draws, 免邮, a return whose shipping the shop pays). Each offer is our own phrasing beside a twin with the same
words that must stay quiet; none copied from tests/data/real."""
from __future__ import annotations

import pytest

from services.promises import detect
from tests.services.test_promises_detect import offer_read_twin_quiet


@pytest.mark.parametrize("offer,kind,chatter", [
    ("这套茶具现在才59！", "price", "我们才3个人在直播间"),  # 才 + an amount at the clause's end
    ("这款吹风机直播 219，手慢无", "price", "我们直播 300 场了"),  # 直播 + an amount, not a count; a push keeps it
    ("19.9抢两盒，拼手速", "price", "我抢了两盒"),
    ("1分钱抢一包纸巾", "price", "一分钱都没赚到"),
    ("淘宝卖 129，今天在直播间，直接 89", "price", "淘宝上有人卖 129"),  # another channel's price, then today's
    ("左下角福袋再过两分钟就要开抢了", "gift", "福袋已经开抢了"),  # 就要…了 is about to, 已经…了 is done
    ("话不多说先抽一波奖", "gift", "上一波奖已经抽完了"),
    ("满两件免邮", "delivery", "这个地区不免邮吗"),
])
def test_bare_offer_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


def test_a_return_whose_shipping_the_shop_pays_is_a_refund_term():
    # The shipping paid belongs to the return said before the comma; 换新 stays a remedy; shipping alone is delivery.
    assert [d.kind for d in detect("不满意可以退回来，运费我们出")] == ["refund"]
    assert [d.kind for d in detect("穿着不合适可以换货，运费我来出")] == ["refund"]
    assert [d.kind for d in detect("坏了马上换新，运费我们出")] == ["compensation"]
    assert [d.kind for d in detect("运费我出，明天就发")] == ["delivery"]
    assert detect("退货的话，运费谁出？") == []


def test_today_in_the_live_room_with_a_count_is_no_price():
    # A count of hours or people after 直播间 is no amount paid (a space before the unit changes nothing).
    assert detect("今天直播间 3 个小时，大家慢慢看") == []
    assert [d.kind for d in detect("今天直播间 49.9")] == ["price"]


def test_a_request_to_wait_with_only_weak_cues_owes_nothing():
    # The buyer asked to wait (请耐心等待发货): weak cues only, read as said whatever the model makes of the words;
    # a day named keeps the delivery term.
    assert detect("下单的家人们请耐心等待发货") == []
    assert [d.kind for d in detect("请放心，明天一早发货")] == ["delivery"]


def test_genuine_goods_vouched_read_as_quality():
    # 绝对是正宗… vouches for the goods as 都是正品 does; praise of a taste (很正宗) and a question vouch nothing.
    assert [d.kind for d in detect("绝对是正宗的东北大米")] == ["quality"]
    assert detect("这家店的菜很正宗") == []
    assert detect("这是正宗的吗？") == []
