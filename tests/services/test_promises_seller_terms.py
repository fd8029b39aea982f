"""Issue 15 item 4, branch promises17: offers in the shapes host_lines_live13.tsv's tune rows missed (hours written
as H, 立马发货, a shipping schedule, a cut named by 惠, a thank-you price, money returned, a vow that all of it is so),
platform service tags (闪电退款, 退货免运费, 送货入户, 电子发票 …)
and readings it got wrong (a count of deals read as a cut, a notice sent read as shipping, a pick-up place or a duty
to collect read as a delivery, the kind of a refund that backs a claim, a gift beside a nameless price word). Each
offer is our own phrasing beside a twin with the same words that must stay quiet; none copied from tests/data/real."""
from __future__ import annotations

import pytest

from services.promises import detect
from tests.services.test_promises_detect import offer_read_twin_quiet


@pytest.mark.parametrize("offer,kind,chatter", [
    ("全部24H内发货", "delivery", "我24H都在线"),
    ("预售结束立马发货", "delivery", "他立马就走了"),
    ("每2天发一次货，下单就排上", "delivery", "每2天浇一次水"),
    ("这箱蜜橘惠8元", "price", "实惠8元的东西不多"),
    ("这箱橙子感恩29元", "price", "感恩29年的相遇"),
    ("没成团的话，货款将返还", "refund", "货款还没付呢？"),
    ("我保证发出去的每一箱都是当季的", "quality", "保证金都是交过的吗？"),
    # Platform service tags and common shop shapes (a public cue vocabulary, not rows of any file).
    ("本店闪电退款", "refund", "退款怎么这么慢？"),
    ("退货免运费，放心拍", "refund", "退货的运费是多少？"),
    ("差一两补一两", "compensation", "差一点就赶上了"),
    ("这套锅加量不加价", "gift", "加量了吗？"),
    ("大件送货入户", "delivery", "送货入户要加钱吗？"),
    ("下单就发，不用等", "delivery", "他下单就发朋友圈"),
    ("每单都开电子发票", "service", "电子发票怎么开？"),
])
def test_seller_term_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


def test_a_count_of_deals_a_notice_sent_and_a_pick_up_duty_promise_nothing():
    # 优惠 before a count is how many deals there are, not a cut; 优惠5元 stays a price.
    assert detect("优惠30份，先到先得") == []
    assert [d.kind for d in detect("今天下单优惠5元")] == ["price"]
    # 1小时发送通知 sends a message, nothing ships; 2小时发货 ships.
    assert detect("开团前2小时发送提醒") == []
    assert [d.kind for d in detect("拍下2小时发货")] == ["delivery"]
    # A pick-up place, or the buyer told to come and collect, is no delivery; a delivery to it stays one.
    assert detect("各位统一到提货点，凭取货码需本人提货") == []
    assert [d.kind for d in detect("明天下午统一送到提货点")] == ["delivery"]


def test_a_refund_backing_a_claim_and_a_gift_beside_a_nameless_price_word_lead():
    # 不好吃包退 backs a claim about the goods (包甜): the refund is the promise; a vow of its own stays quality.
    assert [d.kind for d in detect("包甜，不好吃包退")] == ["refund"]
    assert [d.kind for d in detect("保证都是今早现摘的，不甜包退")] == ["quality"]
    # A price word with no term (粉丝价) beside 买一送一: the gift is the offer; with an amount the price leads.
    assert [d.kind for d in detect("粉丝价，买一送一")] == ["gift"]
    assert [d.kind for d in detect("粉丝价39元，买一送一")] == ["price"]
