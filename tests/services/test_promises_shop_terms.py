"""Issue 15 item 4, branch promises16: offers in the shapes host_lines_live12.tsv's tune rows missed (a price 低至 an
amount, money or a coupon with its amount given, 领券 / 抢券减, 免定金, points doubled, a ship date, a threshold for
free shipping, 快速到家, a notice or after-sales promised, 严格把控 and a test certificate, 附加一份, a payout beside the
claim it backs). Each offer is our own phrasing beside a twin with the same words that must stay quiet; none copied
from tests/data/real."""
from __future__ import annotations

import pytest

from services.promises import detect
from tests.services.test_promises_detect import offer_read_twin_quiet


@pytest.mark.parametrize("offer,kind,chatter", [
    ("这款砂锅今天低至39，库存不多", "price", "温度最低至零下五度"),
    ("抢券立减30，赶紧下单", "price", "我昨天抢券没抢到"),
    ("领券后下单更省", "price", "领券的入口在哪里？"),
    ("前50位预订免定金", "price", "定金是多少？"),
    ("本周会员积分翻倍", "price", "积分怎么查？"),
    ("这批荔枝6月12日起统一发货", "delivery", "6月12日是端午节"),
    ("满88元免运费", "delivery", "运费多少钱？"),
    ("同城下单快速到家", "delivery", "我已经到家了"),
    ("小龙虾到货了我们会第一时间告诉你", "service", "他没告诉你吗？"),
    ("我们会在发货前通知您", "service", "通知是几点发的？"),
    ("收到有问题，客服马上处理", "service", "客服怎么还没处理？"),
    ("售前售后全程有人跟", "service", "售后电话是多少？"),
    ("每一箱都严格把关", "quality", "把关的人今天请假了"),
    ("每条项链都附检测证书", "quality", "检测证书丢了怎么办？"),
    ("拍这本字帖附加一套练习纸", "gift", "附加费是多少？"),
])
def test_shop_term_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


def test_money_or_a_coupon_given_is_a_price_and_a_shipping_insurance_given_is_a_refund():
    # 送 with an amount of money or a coupon's value is a price term; a gift of goods stays a gift.
    assert [d.kind for d in detect("下单满500送100")] == ["price"]
    assert [d.kind for d in detect("关注店铺送10元优惠券")] == ["price"]
    assert [d.kind for d in detect("满500送2盒面膜")] == ["gift"]
    # 送 / 赠送 运费险 is a return's insurance, not a gift.
    assert [d.kind for d in detect("本店赠送运费险，放心拍")] == ["refund"]


def test_a_payout_beside_the_claim_it_backs_is_the_promise():
    # 假一赔十 / 坏果包赔 next to a claim about the goods: the payout is what the buyer can hold the team to.
    assert [d.kind for d in detect("保证正品，假一赔十")] == ["compensation"]
    assert [d.kind for d in detect("现摘现发，坏果包赔")] == ["compensation"]
    assert [d.kind for d in detect("保证正品")] == ["quality"]
