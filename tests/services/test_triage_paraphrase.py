"""Paraphrase grouping: questions that share a concept but ask different things (branch para12,
issue 15 #3). Each rule has a case that fails without it and a twin that must still join."""
from __future__ import annotations

import pytest

from services import triage
from services.triage.grouping import signature


@pytest.mark.parametrize(
    "texts, same",
    [
        # when a defect showed is a slot (lexicon.json defect_phases_doc): on arrival is not in use
        (["收到坏的怎么处理", "拍摄中坏了怎么办"], False),
        (["收到坏的怎么处理", "设备坏了怎么赔"], False),  # a phase on one side, words on the other
        (["收到坏的怎么处理", "机器到手是坏的"], True),  # twins: one phase in other words
        (["坏果怎么办", "收到烂果怎么处理"], True),  # no words on either side: the phase changes nothing
        (["鸡蛋碎了怎么办", "收到碎蛋怎么处理"], True),
        (["收到机器有故障", "机器到手是坏的"], True),  # 故障 is a defect
        # payment channels are fillers of one slot (平台): another channel is another question
        (["怎么付款", "可以公对公转账吗"], False),
        (["能用微信付吗", "支付宝可以吗"], False),
        (["能用微信付吗", "微信支付可以吗"], True),  # twins: one channel, or none named
        (["怎么付款", "支持哪些支付方式"], True),
    ],
)
def test_group_parts_a_defects_phase_and_a_payment_channel(texts, same):
    ids = triage.group(texts)
    assert (ids[-2] == ids[-1]) is same, (texts, ids, [signature(t) for t in texts])


def test_a_plain_word_that_reads_like_a_defect_is_none():
    assert "#坏" not in signature("鼓掌").split()  # 鼓掌 reads like 故障 (gu zhang): applause, no slip
    assert "#坏" in signature("机器故障了").split()


@pytest.mark.parametrize(
    "texts, same",
    [
        # a thing waived (免) on one side only: whether it can be waived is not what it costs
        (["押金多少", "可以免押金吗"], False),
        (["押金多少", "押金能免吗"], False),
        (["押金要多少钱", "免押金多少钱"], False),  # beside a shared concept too
        (["可以免押金吗", "押金能免吗"], True),  # twins: both waive it, or neither does
        (["押金多少", "要交多少押金"], True),
        (["运费多少", "可以免运费吗"], True),  # 免运费 is a form of 运费 (包邮吗 = 运费多少), no word
    ],
)
def test_group_parts_a_thing_waived_from_the_thing_asked(texts, same):
    ids = triage.group(texts)
    assert (ids[-2] == ids[-1]) is same, (texts, ids, [signature(t) for t in texts])


@pytest.mark.parametrize(
    "texts, same",
    [
        # beside an action concept, how it is done (#方式) is not whether it can be (#是否)
        (["支持七天无理由退货吗", "怎么申请退款"], False),
        (["能改地址吗", "怎么改地址"], False),
        (["怎么付款", "支持哪些支付方式"], True),  # twins: no other question word on either side
        (["怎么保存", "需要冷藏吗"], True),  # beside an attribute: one question
        (["运费怎么算", "包邮吗"], True),  # beside a cost: one question
        (["怎么还没发", "什么时候发货啊"], True),  # 怎么还没 asks why, not how
        # a request that the shop do it (#请求) is neither whether it can be done nor how
        (["支持七天无理由退货吗", "我要退货"], False),
        (["能退吗", "帮我申请退款"], False),
        (["怎么退货", "帮我申请退款"], False),
        (["我要退款", "帮我申请退款"], True),  # twins: one request in other words
        (["我要退货可以吗", "能退货吗"], True),  # a yes/no question is no request
    ],
)
def test_group_parts_how_an_action_is_done_from_whether_it_can_be(texts, same):
    ids = triage.group(texts)
    assert (ids[-2] == ids[-1]) is same, (texts, ids, [signature(t) for t in texts])


@pytest.mark.parametrize(
    "text, word",
    [
        ("打包租有优惠吗", "打包租"),  # a plain word (concepts "=") is read whole: the unit 包 cuts nothing in it
        ("包装怎么样", "包装"),
        ("这个盒子是什么颜色", "盒子"),
        ("马上能发吗", "#速度"),  # 马上 keeps its 马, so it is the soon word it is (soon_doc)
        ("一包多少钱", "#价格"),  # twin: the unit alone still cuts (no word 一包 / 包)
    ],
)
def test_a_plain_word_is_read_whole(text, word):
    assert word in signature(text).split(), signature(text)
    assert "包" not in signature(text).split()


def test_group_parts_offers_whose_conditions_a_unit_used_to_cut():
    assert len(set(triage.group(["租久一点有优惠吗", "打包租有优惠吗"]))) == 2
    assert len(set(triage.group(["打包租有优惠吗", "打包租有折扣吗"]))) == 1  # twin: one condition


def test_group_parts_a_place_from_a_class_of_places():
    assert len(set(triage.group(["新疆能发吗", "偏远地区发货吗"]))) == 2  # 偏远地区 fills 地名 too
    assert len(set(triage.group(["偏远地区发吗", "偏远地区发货吗"]))) == 1  # twin: one class
    assert len(set(triage.group(["新疆能发吗", "新疆发货吗"]))) == 1


@pytest.mark.parametrize(
    "texts, same",
    [
        # a choice between items (#比较) is not a question about one
        (["能便宜多少", "哪个便宜点"], False),
        (["效果好吗", "哪个好"], False),
        (["哪个好", "这款和那款哪个好"], True),  # twins: one choice in other words
        (["哪个快递啊", "用哪个快递"], True),  # 哪个 naming a thing asked is no choice
    ],
)
def test_group_parts_a_choice_between_items_from_a_question_about_one(texts, same):
    ids = triage.group(texts)
    assert (ids[-2] == ids[-1]) is same, (texts, ids, [signature(t) for t in texts])


@pytest.mark.parametrize(
    "texts, same",
    [
        # branch para13: shop words the concept table lacked (lexicon.json concepts)
        (["微信客服号是多少", "客服微信多少"], True),  # 客服号 is a way to reach the shop, not a size (号)
        (["多大号", "尺码多大"], True),  # twin: 号 alone still asks the size
        (["微信客服号是多少", "多大号"], False),
        (["在哪个地方", "地址在哪里"], True),  # 地方 is where, not a word 方 left over
        (["在哪个地方", "什么时候到"], False),
        (["可以免押金吗", "芝麻信用能免押吗"], True),  # 免押: waiving the deposit is one concept
        (["押金能免吗", "信用分高能免押吗"], True),
        (["押金多少", "芝麻信用能免押吗"], False),  # twin: the deposit's amount is another question
        (["弄丢了怎么办", "丢了怎么赔"], True),  # 丢失 is a defect: a remedy asked reads as 处理
        (["丢了怎么赔", "坏了怎么赔"], False),  # twin: lost is not broken
        (["价格是多少", "这玩意儿卖几个钱"], True),  # 几个钱 is a price, 这玩意儿 a filler
        (["几个钱", "几个人"], False),  # twin: 几个 alone counts
        (["续航怎么样", "能撑多长时间"], True),  # 续航: how long a charge lasts
        (["续航怎么样", "能用多久"], True),
        (["能用多久", "能用吗"], False),  # twins: whether it can be used, how long it keeps
        (["能撑多长时间", "保质期多久"], False),
        (["有使用教学吗", "不会用能教吗"], True),  # 教学: teaching how to use it
        (["有使用教学吗", "主播能教我跳舞吗"], False),  # twin: teaching something else
    ],
)
def test_group_joins_shop_words_the_lexicon_lacked(texts, same):
    ids = triage.group(texts)
    assert (ids[-2] == ids[-1]) is same, (texts, ids, [signature(t) for t in texts])


def test_group_parts_the_price_of_an_amount_from_the_price():
    assert len(set(triage.group(["价格是多少", "5斤多少钱"]))) == 2  # a total, not the price
    assert len(set(triage.group(["鸡蛋多少钱", "鸡蛋3盒多少钱"]))) == 2
    assert len(set(triage.group(["多少钱", "多少钱一斤"]))) == 1  # twins: a unit price is the price
    assert len(set(triage.group(["5斤多少钱", "五斤多少钱"]))) == 1


def test_group_reads_a_shop_asked_where_as_the_store():
    assert len(set(triage.group(["门店在哪里", "你们店在哪"]))) == 1  # 店 beside where: the store
    assert len(set(triage.group(["有优惠吗", "你们店有优惠吗"]))) == 1  # twins: 店 elsewhere is no store
    assert len(set(triage.group(["你住的酒店在哪", "门店在哪里"]))) == 2


def test_group_reads_the_goods_of_an_origin_question_as_the_product():
    assert len(set(triage.group(["这是哪里产的", "哪儿的货啊"]))) == 1  # 货: the product asked about
    assert len(set(triage.group(["产地在哪", "哪儿的货"]))) == 1
    assert len(set(triage.group(["哪儿的货啊", "从哪里发货"]))) == 2  # twins: where it ships from
    assert len(set(triage.group(["我的货到哪了", "物流到哪了"]))) == 1


def test_group_reads_a_lower_price_for_one_condition_as_its_offer():
    assert len(set(triage.group(["军人有优惠吗", "军人证能便宜吗"]))) == 1  # one kind of buyer: the offer
    assert len(set(triage.group(["军人有优惠吗", "新人能便宜吗"]))) == 2  # twins: another condition
    assert len(set(triage.group(["能便宜点吗", "有优惠券吗"]))) == 2  # no condition: bargaining, a coupon


def test_group_joins_noise_and_battery_asked_in_other_words():
    assert len(set(triage.group(["这个吵吗", "噪音大不大"]))) == 1  # lexicon.json 噪音 (branch para14)
    assert len(set(triage.group(["这果子大不大", "噪音大不大"]))) == 2  # twins: a fruit's size
    assert len(set(triage.group(["电池耐用吗", "充一次能用多久"]))) == 1  # the battery's life is 续航
    assert len(set(triage.group(["电池耐用吗", "电池什么牌子"]))) == 2


def _one(*texts: str) -> bool:
    return len(set(triage.group(list(texts)))) == 1


def test_group_reads_a_shop_question_past_its_greeting_and_fillers():
    """Branch para16: a greeting, 它, 了解, a unit and wanting to buy say nothing about what is asked."""
    assert _one("老板好，这个咋卖", "多少钱")  # greeting; 咋卖 is the price
    assert _one("它多少钱呀", "多少钱一个", "价格多少呀?想买一个")
    assert _one("这双多少钱", "这个产品什么价")
    assert not _one("牛轧糖多少钱", "多少钱")  # a thing named stays apart from the bare price
    assert _one("下单送什么", "有赠品吗")  # ordering beside a gift question is context
    assert _one("买了包邮不", "邮费多少")


def test_group_reads_bargaining_in_other_words():
    assert _one("能优惠一点不", "能便宜点吗", "可以给个优惠价吗", "价格可以优惠吗", "太贵啦，再便宜一点")
    assert not _one("能便宜多少", "能便宜点吗")  # twins: how much off is another question
    assert not _one("券后价是多少", "能便宜点吗")  # a price after a coupon, not bargaining
    assert not _one("有优惠吗", "能便宜点吗")  # is there an offer ≠ bargaining (para14)


def test_group_reads_an_address_change_as_one_question():
    assert _one("收件地址写错了", "帮我把地址改成单位的", "下单时地址选错了能改吗", "换个收货地址")
    assert not _one("怎么修改收货地址", "地址写错了能改吗")  # twins: how is not whether
    assert not _one("退货地址是哪里", "地址写错了")  # where a return goes is no change


def test_group_reads_whose_parcel_and_a_stopped_parcel():
    assert _one("我的包裹到哪了", "订单到哪里了", "买的东西还没收到")
    assert _one("快递一直不动", "物流一直没更新")
    assert not _one("快递一直不动", "我的包裹到哪了")  # twins: stopped is not where


def test_group_reads_urging_a_delivery_as_a_request():
    assert _one("快点发货呀", "麻烦尽快给我发货", "发快点")
    assert not _one("快点发货", "发货快吗")  # twins: a question how fast
    assert not _one("快点发货", "今天能发货吗")


def test_group_reads_an_order_status_check_as_one_question():
    assert _one("查一下我的订单", "我的订单是什么状态", "帮我查下订单")
    assert not _one("查一下我的订单", "怎么取消订单")


def test_group_reads_a_refund_asked_in_its_parts():
    """Beside a refund: progress, how, where the money goes, each its own question (branch para16)."""
    assert _one("退款到哪一步了", "我的退款到哪了", "退款到账了没")  # progress
    assert not _one("退款到哪一步了", "能退款吗")  # twins: progress is not whether
    assert _one("退货的流程是什么", "退货咋弄", "退货第一步做什么")  # how
    assert not _one("坏了咋弄", "退货咋弄")  # twins: a defect's remedy is no how
    assert _one("退款原路返回吗", "钱退到哪里")
    assert not _one("退货要什么条件", "能退吗")
    assert _one("退货要什么条件", "退货条件有哪些")  # 条件 is read whole


def test_group_reads_a_delivered_parcel_never_received():
    assert _one("显示签收了可是我没收到", "快递放在驿站了但是我找不到", "签收了人没拿到")
    assert not _one("显示签收了可是我没收到", "快递到哪了")  # twins: where the parcel is


def test_group_reads_a_recipient_change_and_what_was_not_as_shown():
    assert _one("收件人名字写错了", "帮我改一下收货人电话", "手机号填错了能改吗")
    assert not _one("收件人名字写错了", "地址写错了")  # twins: the address is another change
    assert _one("实物和图片不一样", "跟描述不一样", "货不对板")
    assert not _one("实物和图片不一样", "图片能发一下吗")


def test_group_reads_fit_fade_warranty_and_buying_more():
    assert not _one("这条裤子偏大吗", "这条裤子偏小吗")  # a fit is a slot filler: 偏大 ≠ 偏小
    assert not _one("尺码怎么选", "尺码偏大吗")
    assert _one("洗了会掉色吗", "会褪色吗")
    assert not _one("会褪色吗", "有几种颜色")
    assert not _one("保修期多久", "保修吗") and not _one("保修吗", "会送东西吗")
    assert _one("多买有优惠吗", "买两件能便宜吗")
    assert not _one("多买有优惠吗", "有优惠吗")  # twins: the offer for buying more is a condition


def test_group_reads_stock_cancel_and_ship_day_asked_in_other_words():
    assert _one("还有白色吗", "白色有货吗")
    assert not _one("还有白色吗", "还有黑色吗")
    assert not _one("会不会卖完", "有货吗")  # whether it will run out, not whether it is in stock
    assert _one("取消这个订单", "帮我取消一下")
    assert _one("还没发货能取消吗", "没发货可以取消吗")
    assert _one("订单什么时候发货", "付款后什么时候发货")
    assert _one("这个多少钱能带走", "多少钱")


def test_group_reads_a_return_asked_for_a_case_apart():
    assert not _one("拆了包装能退吗", "喝过一口能退吗")  # two cases: lexicon.json case_concepts
    assert _one("能退货吗", "不合适可以退吗")  # twins: the buyer's reason is no case
    assert _one("拆了包装能退吗", "包装拆了还能退吗")  # one case in other words


def test_group_reads_claims_choices_sizes_and_colours():
    assert not _one("这是假货吧", "是正品吗")  # a claim that it is fake is not the question
    assert _one("这是假货吧", "根本就是冒牌货")
    assert _one("有机认证真的假的", "有机认证是真的吗")  # twins: 真的假的 asks
    assert not _one("有哪些尺码", "帮我推荐个尺码")  # which sizes there are, not which fits
    assert _one("这个跟那个哪个好", "这两款哪个更好")
    assert _one("颜色不喜欢能换吗", "我想换个颜色")


def test_group_reads_a_request_read_as_chatter_and_a_return_sent_back():
    assert _one("帮我退款", "直接把钱退给我")  # a request asks, even when the comment reads as chatter
    assert _one("寄回去了啥时候退款", "什么时候退款")  # sending it back is the return's step
    assert _one("用微信付的退款退到哪", "退款退回哪里")
    assert not _one("想退休了", "退退退")  # 退休 is a plain word


def test_group_reads_a_request_said_at_its_end():
    assert _one("你给我退了吧", "我要退货")  # the shop asked to act, said at the end (signature _REQUEST_END)
    assert _one("帮我处理退款", "退款申请了帮忙处理下")
    assert not _one("你们可以退吗", "我要退货")  # twins: whether it can be done is no request


def test_group_parts_when_from_a_request_sharing_a_generic_word():
    # 处理 on both sides leaves when (何时) against a request (请求): two questions (grouping _concept_score)
    assert not _one("退款什么时候处理", "帮我处理退款")
    assert _one("退款什么时候处理", "什么时候给处理退款")  # twins: one question in other words


def test_group_reads_which_options_said_with_a_count():
    assert _one("这双鞋有几个颜色", "都有哪些颜色")  # which colours there are, not a count (signature _CHOICES)
    assert not _one("还有几个", "都有哪些颜色")  # twins: what is left is a count


def test_group_reads_a_refunds_money_not_seen_as_its_progress():
    assert _one("退款了还没看到钱", "退款到哪一步了")  # the money not seen asks the refund's progress
    assert not _one("退回来的钱怎么算", "退款到哪一步了")


def test_group_reads_a_gift_and_a_defect_sent_broken_in_other_words():
    assert _one("买了会送点东西吗", "有没有赠品")  # 送东西 asked is a gift (lexicon.json 赠品)
    assert not _one("能送东西上门吗", "有没有赠品")  # twins: delivering to the door stays delivery
    assert _one("盘子寄过来就碎了", "收到的盘子是碎的")  # sent to the buyer broken is found on arrival
    assert not _one("收到就是碎的", "用了几天就碎了")  # twins: on arrival is not in use
