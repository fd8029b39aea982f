"""detect() on the project's labelled transcript lines (tests/data/promise_lines.tsv)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from services.cn_numbers import cn_number
from services.promises import KINDS, PromiseDraft, detect, due_at_from_hint, first_n_of

DATA = Path(__file__).resolve().parents[1] / "data" / "promise_lines.tsv"


def labelled() -> list[tuple[str, int | None, str | None, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, first_n, due, text = line.split("\t")
        assert kind == "none" or kind in KINDS, kind
        rows.append((kind, None if first_n == "-" else cn_number(first_n), None if due == "-" else due, text))
    return rows


def test_the_set_is_big_enough_and_mixed():
    rows = labelled()
    assert len(rows) >= 40
    kinds = {k for k, *_ in rows}
    assert kinds == set(KINDS) | {"none"}
    assert sum(k == "none" for k, *_ in rows) >= 15


def test_detect_scores_on_the_labelled_lines():
    rows = labelled()
    tp = fp = fn = kind_ok = 0
    wrong_first_n = []
    for kind, first_n, _due, text in rows:
        drafts = detect(text)
        assert len(drafts) <= 1
        got = drafts[0] if drafts else None
        if kind != "none":
            if got:
                tp += 1
                kind_ok += got.kind == kind
            else:
                fn += 1
            if (got.first_n if got else None) != first_n:
                wrong_first_n.append(text)
        elif got:
            fp += 1
    recall, precision, kind_acc = tp / (tp + fn), tp / (tp + fp), kind_ok / tp
    print(f"promise detection: recall {recall:.3f}, precision {precision:.3f}, kind accuracy {kind_acc:.3f}")
    assert recall >= 0.90
    assert precision >= 0.85
    assert kind_acc >= 0.85
    assert wrong_first_n == []


def test_due_hints_on_the_labelled_lines():
    rows = [(d, t) for k, _n, d, t in rows_with_promises()]
    right = sum((detect(t)[0].due_hint if detect(t) else None) == d for d, t in rows)
    assert right / len(rows) >= 0.9


def rows_with_promises():
    return [r for r in labelled() if r[0] != "none"]


def test_detect_reads_a_transcript_line_by_line():
    text = "20:01 老李：这颗上海青刚摘的\n\n20:02 老李：前50名送手札！\n能包退吗？\n20:03 老李：不好吃包退\n"
    drafts = detect(text)
    assert drafts == [
        PromiseDraft("20:02 老李：前50名送手札！", "gift", 50, None),
        PromiseDraft("20:03 老李：不好吃包退", "refund", None, None),
    ]
    assert detect("") == []


@pytest.mark.parametrize(
    "words, n",
    [("前50名", 50), ("前一百名", 100), ("前二十位", 20), ("头10单", 10), ("前两百份", 200),
     ("前一百二十名", 120), ("前十五名", 15), ("前XX名", None), ("前3天", None)],
)
def test_first_n_with_chinese_numerals(words, n):
    assert first_n_of(f"今晚{words}下单送一把葱") == n


@pytest.mark.parametrize(
    "hint, due",
    [
        ("明天中午前", datetime(2026, 3, 11, 12, 0)),
        ("次日", datetime(2026, 3, 11, 12, 0)),
        ("第二天早上", datetime(2026, 3, 11, 9, 0)),
        ("明天下午3点前", datetime(2026, 3, 11, 15, 0)),
        ("明晚8点", datetime(2026, 3, 11, 20, 0)),
        ("后天", datetime(2026, 3, 12, 12, 0)),
        ("三天后", datetime(2026, 3, 13, 12, 0)),
        ("7天内", datetime(2026, 3, 17, 23, 59)),
        ("24小时内", datetime(2026, 3, 11, 20, 30)),
        ("今晚", datetime(2026, 3, 10, 23, 59)),
        ("晚上10点前", datetime(2026, 3, 10, 22, 0)),
        (None, None),
    ],
)
def test_due_time_from_a_hint(hint, due):
    assert due_at_from_hint(hint, datetime(2026, 3, 10, 20, 30)) == due


def test_descriptions_questions_negations_and_past_are_not_promises():
    for text in ("这颗上海青刚摘的", "我们的菜都很新鲜", "可以包退吗？", "我们不包邮", "概不退换",
                 "昨天已经给大家送了一批", "已经30单了，还差20单成团！"):
        assert detect(text) == [], text


# Issue 15 item 4, branch promtext: how live-selling and shop-reply lines are read, by their shape
# rather than one wording (phrasings of our own, none copied from tests/data/real).
@pytest.mark.parametrize("text", [
    "秒杀单品数量有限，抢到就是赚到！",  # a push with no term anyone could hold the shop to
    "这个价格只有直播间有，错过就没有了",
    "送妈妈送闺蜜都特别合适",  # a present the buyer gives, not one the shop gives
    "今天会到一批新货，大家晚点再来看",  # the shop's stock arriving, not a parcel
    "这款面料透气，穿着不会闷热的呢",
    "用的时候一对一对贴就行",
    "登记一下，到货后系统会发送消息给您",  # 发送 is sending, not giving
    "绝对是全网第一的品质",  # a boast, not an assurance
    "如需修改订单，请尽快联系我们。感谢您的信任！",  # the buyer is asked to act; the team commits to nothing
    "收货时请检查包装是否完好，有问题及时联系我们。",
    "• [赠品1，如试吃装]",  # a slot listing examples is not said as such
    "• [优惠券X元/小礼品]",  # options, no term offered
    "如3天内仍未发货，请告诉我",  # 未发货 is a condition, not a shipping promise
])
def test_pushes_boasts_and_look_alike_words_are_not_promises(text):
    assert detect(text) == []


@pytest.mark.parametrize("text, kind", [
    ("今天39.9元直接带走三包！", "price"),
    ("今天品牌方补贴，只要59元", "price"),  # 品牌方 said to the room is not article prose
    ("抢到的姐妹扣已拍，我教大家三种搭配方法", "service"),
    ("最后会抽一位幸运观众送出免单", "gift"),
    ("您的退款会在3个工作日内原路返回，有问题随时联系我们", "refund"),  # the closing offer of help yields
    ("下单的宝宝，加急的48 小时内给你们发货", "delivery"),
    ("收到您的反馈了，会尽快为您处理", "service"),
    ("如有遗漏请联系我们补发", "compensation"),  # asked to write, and the team sends what was missing
    ("如有任何问题，请随时联系我们，我们会立即处理", "service"),
    ("🚚 物流时效：[省内1-2天/省外2-3天]送达", "delivery"),  # a template's slot holds the term: read as said
    ("• 推荐好友：双方各得[优惠]", "price"),
    ("支付后请旺旺联系我，我会优先为您安排发货！", "delivery"),  # shipping first is what is promised
    ("平时卖 69 的，今天直播间 49.9，拍下再送一个小样", "price"),  # a price said across a comma leads
])
def test_offers_said_in_other_words_are_read_with_their_kind(text, kind):
    [draft] = detect(text)
    assert draft.kind == kind


# Issue 15 item 4, branch promises4: more of the terms a buyer can hold the shop to, in phrasings of
# our own (none copied from tests/data/real), and the look-alikes that stay chatter.
@pytest.mark.parametrize("text, kind", [
    ("拍一发二", "gift"), ("拍2发3", "gift"),  # a multi-pack deal
    ("家人们别走，马上抽一波福利", "gift"),
    ("一会儿我抽个人送个手机壳", "gift"),
    ("给大家准备了一百份小礼品，先到先得", "gift"),
    ("拍了的扣已拍，我给你们加一包湿巾", "gift"),
    ("今天拍的明天就能发", "delivery"),
    ("现货秒发", "delivery"),
    ("拍下以后明天一早就给你们寄", "delivery"),
    ("领券再减20", "price"),
    ("直接给大家砍到59", "price"),
    ("今天所有链接全部改成29.9", "price"),
    ("我们今天直接¥[sale_price]！", "price"),  # a script's slot after 今天 and ¥
    ("晚发一天赔五块", "compensation"),
    ("全部都是今年的新货", "quality"),
    ("保质期都是一年以上的", "quality"),
    ("尺码不合适可以免费换", "refund"),
    ("试穿不合适，我们给你换", "refund"),
    ("下单的宝宝备注尺码，我帮你们核对", "service"),
    ("要送人的可以帮你们包成礼盒", "service"),
])
def test_more_shop_terms_are_read_with_their_kind(text, kind):
    [draft] = detect(text)
    assert draft.kind == kind


@pytest.mark.parametrize("text", [
    "包邮区的朋友们晚上好",  # a region, not free shipping
    "把礼物退给我",  # a tip taken back, not a refund
    "欢迎新进来的宝宝，有什么问题都可以问我哦",  # an invitation to ask, nothing committed
    "不知道选哪个颜色的，可以把问题打出来",
    "我们一定帮大家争取更多的福利",  # 争取 is no pickup
])
def test_regions_tips_boasts_and_invitations_are_not_promises(text):
    assert detect(text) == []


@pytest.mark.parametrize("text", [
    "我妈给我发了个红包",  # a red packet someone else gave, told as done
    "今天早上快递到了，是我买的衣服",  # a parcel that came, not one promised
    "我们去年的包邮活动很成功",  # last year's doings
    "我保证这局一定赢",  # a vow about the game on stream
])
def test_red_packets_and_parcels_told_as_done_are_not_promises(text):
    assert detect(text) == []


@pytest.mark.parametrize("text, kind", [
    ("今天的订单我们明天上午全部发完", "delivery"),
    ("这个不会装的话，我们有安装师傅上门", "service"),
    ("我保证，绝对好吃", "quality"),  # a vow about how the goods eat still promises
    ("今天的价格是去年双十一的价格", "price"),  # last year named for tonight's term
    ("给大家来个福袋，一分钟后开奖", "gift"),
    ("拍了的扣已拍，我给你们优先发货", "delivery"),  # 已拍 is what buyers type, not a past act
    ("有什么问题都可以问我，主播都会认真解答", "service"),  # asked to ask, and answered
])
def test_shipping_installers_and_vows_about_goods_are_promises(text, kind):
    [draft] = detect(text)
    assert draft.kind == kind


CHATTER = Path(__file__).resolve().parents[1] / "data" / "promise_chatter.tsv"


def test_streamer_chatter_drafts_little_and_other_shapes_of_offers_are_read():
    """Entertainment talk (tests/data/promise_chatter.tsv, kept out of the model's training): what
    drafts is a cost on a real room; offers said in other shapes are still read, with their kind."""
    tp = fp = fn = kind_ok = 0
    for line in CHATTER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _first_n, _due, text = line.split("\t")
        drafts = detect(text)
        if kind == "none":
            fp += bool(drafts)
        elif drafts:
            tp += 1
            kind_ok += drafts[0].kind == kind
        else:
            fn += 1
    assert tp + fn >= 30 and fp <= 1 and fn <= 1
    assert kind_ok >= tp - 1


def offer_read_twin_quiet(offer: str, kind: str, chatter: str) -> None:
    """The offer drafts one promise of its kind; its chatter twin, with the same words, drafts none."""
    assert [d.kind for d in detect(offer)] == [kind], offer
    assert detect(chatter) == [], chatter


# Issue 15 item 4, branch promises6: offer shapes of our own (what the buyer gets, for whom), each
# beside a chatter line with the same words that must stay quiet. None copied from tests/data/real.
@pytest.mark.parametrize("offer, kind, chatter", [
    ("今天直接给到大家79", "price", "给到大家三分钟的时间，想好再拍"),  # 给到 an amount, not a span of time
    ("第二件0元，拍两件就行", "price", "第二件衣服我明天再穿给你们看"),
    ("加1元多一件", "price", "加1个关注吧"),
    ("关注主播领取5元优惠券", "price", "大家先领取一下优惠券"),  # 一 is no amount
    ("这台支持24期免息", "price", "我上个月刚办的分期"),
    ("拍一单立省50", "price", "这样打包立省空间"),
    ("拍一件发两件", "gift", "我拍了一件发了两件，快递员都懵了"),  # told as done
    ("今天下单的给你们多发一斤", "gift", "给你们多发一点时间考虑"),
    ("扣1的宝宝每人一个小样", "gift", "每人一个问题，我挨个看"),
    ("今天下单的送大家一份小礼物", "gift", "谢谢大家送的礼物"),  # 送大家 a gift, not a tip taken
    ("运费我们出，放心拍", "delivery", "运费又涨了，快递真贵"),
    ("三天就能到手", "delivery", "上次三天就能到，这次慢了"),  # 就能 as well as 能 before arriving
    ("有问题打在公屏上，主播一个一个回答", "service", "你一个一个回答我"),  # the team answers, not a viewer
    ("今天下单就有红包", "gift", "有红包吗"),  # a question asks, nothing is given
    ("满两件送杯子", "gift", "满十八岁了才能玩"),
    ("等会儿给大家上个福袋", "gift", "上个月福袋抽得太多了"),
    ("福袋五分钟后开", "gift", "五分钟后开会，我先下了"),
    ("关注主播的宝宝有专属优惠券", "price", "你有优惠券吗"),
    ("这款只卖19.9", "price", "他们家只卖衣服"),
    ("今天直播间九十九", "price", "直播间九十九个人了"),  # a head count, not a price
    ("今天19块9给你们", "price", "给你们看看我19岁的照片"),
    ("我们家全部顺丰", "delivery", "顺丰快递员来了"),
    ("现在拍，马上给你们打包", "delivery", "我马上打包行李回家了"),
    ("抢到的宝宝，主播给你们备注优先发", "delivery", "让他优先发言"),
    ("绝对是今年的新茶", "quality", "今年的新茶还没上市"),
])
def test_more_offer_shapes_are_read_and_their_chatter_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


@pytest.mark.parametrize("text", [
    "纯天然无添加，绝对是全网第一的品质！",  # a boast's 绝对 commits nothing
    "这是大自然赐予我们的礼物",  # nature's gift, not one for buyers
    "今天给大家准备了超多惊喜福利",  # a vague 福利 teaser (with a count it is a gift)
    "在拼多多的订单页申请退货即可",  # how a buyer asks, not what the team gives
])
def test_boasts_metaphors_teasers_and_how_to_steps_are_not_promises(text):
    assert detect(text) == []


def test_a_counted_giveaway_prepared_and_a_refund_one_may_ask_for_are_promises():
    assert [d.kind for d in detect("给大家准备了一百份福利，先到先得")] == ["gift"]
    assert [d.kind for d in detect("等不及可以随时申请退款")] == ["refund"]


# Issue 15 item 4, branch promises7: shop-reply shapes of our own (a reply to a buyer about to pay, a
# desk's terms with English slots, a group-buy notice in the team's voice), each beside a line with
# the same words that must stay quiet. None copied from tests/data/real.
@pytest.mark.parametrize("offer, kind, chatter", [
    ("拍下后当天就发", "delivery", "我当天就发了个朋友圈"),
    ("喜欢的话我给您优先发", "delivery", "我给您发个表情包吧"),
    ("诚心要的话还能再降20元", "price", "气温还能再降2度"),
    ("亲，[金额] 元拿走", "price", "亲，东西拿走了"),
    ("预计在 [process_hours] 小时内出库", "delivery", "预计在 [process_hours] 小时内完成盘点"),
    ("省内次日达", "delivery", "省内的朋友们晚上好"),
    ("顺丰物流，次日达", "delivery", "可以查物流了"),
    ("都是验过货的，放心拍", "quality", "快递员让我验过货再签字"),
    ("都是正品，支持验货", "quality", "这个是不是正品我也不知道"),
    ("我帮您查询一下物流", "service", "我帮您查询过了，已经签收"),
    ("如需改地址，我可以继续协助。", "service", "我可以协助你们吗？"),
    ("投诉24小时内响应", "service", "服务器在24小时内重启了两次"),
    ("到货后我们将短信通知各位买家", "service", "明天会下雨提醒大家带伞"),
    ("可以为您开具电子发票", "service", "这个可能是医生开具的证明"),
    ("截团后我们会尽快安排退款", "refund", "他们说会安排退款，结果一直没退"),
    ("不想等的话可以取消并退款", "refund", "我昨天取消并退款了"),
    ("我们将统一发货至用户指定自提点", "delivery", "商家将统一发货至用户指定地址"),
    ("无理由退货：7天内", "refund", "无理由退货：不支持"),
    ("质量问题退货由我们承担运费", "refund", "质量问题谁来承担？"),
    ("还没发货的可以帮您修改地址", "service", "地址我自己改好了"),
    ("已经发出的会申请改派", "service", "快递员说改派不了"),
    ("发货后第一时间通知您", "service", "下次开播第一时间通知你"),  # a schedule owes no service
    ("漏发的我们明天给你补上", "compensation", "作业明天补上就行"),  # 补上 promises only in shop talk
    ("售后群里随时有人在", "service", "让我看到至少还有人在"),
    ("每一批都有专人把关质量", "quality", "想看的把关注点了"),  # 把关注点了 is no 把关
])
def test_shop_reply_shapes_are_read_and_their_chatter_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


# Branch promises8: a buyer's question or request names goods and terms but promises nothing
# (shapes of the viewer comments' tune rows and ours); a host's rhetorical question answered at once
# still drafts its answer, clause by clause.
@pytest.mark.parametrize("asked", [
    "什么时候打折", "退货运费谁出", "保修多久", "还能再便宜点吗 包邮不", "送点赠品呗", "老客户了，给个优惠价",
    "赠品什么时候发货", "赠品什么时候发货呢", "赠品什么时候发货啊", "明白了，已经拍下！麻烦帮我备注一下是送人的礼物～",
    "能包退吗？", "可以包邮吗", "有没有赠品", "几号发货", "包邮没", "能不能便宜点", "可不可以送个小样",
    "是否支持七天无理由", "哪天到货", "怎么退款",
])
def test_a_buyers_question_or_request_drafts_nothing(asked):
    assert detect(asked) == [], asked


@pytest.mark.parametrize("said, kind", [
    ("包邮吗？包邮！", "delivery"),
    ("包邮吗 包邮", "delivery"),
    ("要不要送你们一个？送！", "gift"),
    ("想要的扣1好不好？前50名送手札", "gift"),
    ("你们说今天是不是到手价99？对，就99", "price"),
    ("七天无理由退换，怎么样，放心吧", "refund"),
    ("谁先拍谁先得，前10名送小样", "gift"),  # 谁…谁: whoever, not who?
    ("差多少补多少", "compensation"),
    ("什么时候下单都包邮", "delivery"),  # 什么时候…都: whenever
    ("我教你们怎么吃，有问题随时找我", "service"),  # 教…怎么: an embedded question
])
def test_a_hosts_rhetorical_question_still_drafts_its_answer(said, kind):
    assert [d.kind for d in detect(said)] == [kind], said


# Branch promises9: live-room shapes (a term said as today's price, a price against the shop
# outside, coupons released, answers promised one by one, after-sales backing, the newest dates)
# and their twins: the listeners urged (你们一定要…), a price word with no term, a vague 福利 teaser.
@pytest.mark.parametrize("offer, kind, chatter", [
    ("今日价 39.9，两斤装", "price", "今日份的快乐是你们给的"),
    ("今天到手只要59", "price", "我今天到手了一个新手机"),  # 到手 with its price is the price
    ("外面卖五十多，我们这边二十九块九", "price", "外面卖的都是假货"),
    ("现在拍下去就是十九块九一大箱", "price", "现在拍下去就是一个大特写"),
    ("给大家破个价，五十九两件", "price", "这个破价直播间是我们自己的"),
    ("拍两单可以省下一百多", "price", "你现在下单省的钱，够你吃一顿火锅了"),
    ("马上新一轮发券哦", "price", "优惠券每个商品只能领一次"),
    ("公屏打出来，咱们一个个答", "service", "公屏打出来，让我看看你们在哪"),
    ("我们这边有完整售后支持", "service", "我们这边天气支持出门"),
    ("日期都是最新的，放心拍", "quality", "日期你们自己看"),
    ("今天的价格比批发市场还低", "price", "今天就这个价"),
    ("亲，这款是正品行货", "quality", "行货还是水货你们自己分辨"),
    ("亲，可以开具增值税专用发票", "service", "增值税专用发票怎么开我也不懂"),
    ("亲，本商品支持货到付款", "service", "本商品不支持货到付款"),
    ("亲，价格保护期30天", "price", "保护期过了"),
    ("亲，可以叠加店铺优惠券使用", "price", "优惠券不能叠加使用"),
    ("免费送装一体，不用另付安装费", "service", "这个送装师傅明天来"),  # 送装 delivers, it gives nothing
    ("现在199还送耳帽", "price", "现在199个人在线"),
    ("今天返场价比上次还低", "price", "今天返场的这款是老粉最爱"),
    ("点击小黄车就能看到当前可领取的优惠券", "price", "优惠券在哪里领取"),
    ("拍了的宝宝我给你们加急发", "delivery", "拍了张照片发给你们看"),
    ("福袋马上就开了啊大家点一下", "gift", "昨天的福袋早就开了"),
    ("拍两件我给你们减二十", "price", "我给你们讲讲减肥的方法"),
    ("我们家都是厂家直发的正品", "quality", "他们家是不是正品我不知道"),
    ("坏了包赔，不用担心", "compensation", "我们家狗今天又拆家了包赔不起"),  # cannot pay is no payout
    ("宝宝们我给你们推荐一款面膜，今天只要59", "price", "我给你们推荐一个好吃的店"),  # a tip is no service
    ("我橱窗里的东西都是我自己用过的保证好用", "quality", "我以前用过的那个也挺好用"),
])
def test_live_room_offer_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


@pytest.mark.parametrize("text", [
    "划重点！今天的价格你们一定要听好了！",  # the listeners' 一定, not the team's
    "大家一定要抓紧时间哦",
    "最后再给大家一个限时福利",  # a teaser, nothing named
    "以前我们家卖水果的时候都是包邮的",  # a story
    "这个游戏充值可以退吗我也不知道",  # an unpunctuated transcript: the 吗 ends a question
    "这把我要是输了我退钱",  # a bet on the game
])
def test_urged_listeners_teasers_and_old_stories_are_not_promises(text):
    assert detect(text) == [], text


# Offer shapes read by their structure (services.promises.shapes): a beneficiary (给你们, 给您 …), a verb that
# gives or arranges, and what the buyer gets. Each with the same verb in talk that gives nothing.
@pytest.mark.parametrize("offer,kind,chatter", [
    ("如果有人想要的话，回头我买了给你们寄点", "gift", "我买了一个新手机"),  # a plan for the listeners, not a story
    ("每一单都给你们配一个冰袋", "gift", "我给你们配一首歌"),
    ("拍二号链接的我给你们升级成礼盒装", "gift", "我升级了手机"),
    ("拍一单我给你们发三斤", "gift", "拍一张照片给你们发两张"),
    ("我自掏腰包给你们补贴二十块", "price", "给大家算一下"),
    ("这个价格我给你们做到九十九", "price", "给你们做到明天"),
    ("我这边给你们申请了一个专属优惠券，五十块的", "price", "我给大家申请了一个新账号"),
    ("这一单的运费我给你们贴了", "delivery", "这个运费是快递公司出的吗"),
    ("真心想要的话可以直接拍，我这边尽快给您安排", "delivery", "我这边先给你们安排一下今天的流程"),
    ("拍了的宝宝都给你们备注了加急", "delivery", "安排一下明天的直播"),
    ("你们收到以后哪怕有一颗坏的，我都给你们补", "compensation", "给你们补个妆"),
    ("是专柜最新版的哦", "quality", "我是专柜的柜姐"),
    ("家人们，这个是有质检报告的，放心买", "quality", "他们家没有质检报告"),
    ("等会儿我给大家抽个奖", "gift", "等会儿我们抽个奖吧"),  # nobody named it is for
    ("这个价格真的是给你们破价了五十九", "price", "破价是什么意思"),
    ("你们下单备注一下我给你们挑大个的", "quality", "给你们挑一首歌"),
    ("今天给你们的都是一级果", "quality", "给你们的都是我的心意"),
    ("免费给你们刻字", "service", "免费给你们看个笑话"),
    ("你们放心拍吧有问题我负责", "service", "有问题我就去问老师"),
    ("先把你们最关心的问题打在公屏上，我按你们的场景一个个讲清楚", "service", "我们班的同学一个个讲清楚了"),
    ("咱们今天把问题挨个给大家讲明白", "service", "我们班的同学一个个都很厉害"),
])
def test_structural_offer_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


@pytest.mark.parametrize("offer,chatter", [
    ("拍下不满意申请退款，48小时内就会把钱退给你", "现在立即去后台找到人工客服，申请礼物退款，48小时以内平台就会把钱退给你啦"),
    ("礼物盒坏了的话包退", "刷的礼物可以申请退款，平台会把钱退给你"),
])
def test_a_tip_refunded_by_the_platform_is_no_refund_promise(offer, chatter):
    assert [d.kind for d in detect(offer)] == ["refund"], offer
    assert detect(chatter) == [], chatter



# Issue 15 item 4, branch promises11: offer shapes from host_lines_live7.tsv's and host_lines_live8.tsv's tune
# misses (a fruit stall's group notice, a host material library, script templates) and trade phrasings of our own
# in the same shapes, each beside a line with the same words that must stay quiet. None copied from tests/data/real.
@pytest.mark.parametrize("offer,kind,chatter", [
    ("老客价：12元两斤，群里说一声就行", "price", "零售价：12元两斤"),  # a deal's price named, then its amount
    ("这一箱能省了XX元，今天最划算", "price", "我算了一下，XX人来过"),  # a script's XX amount with its unit
    ("晒单最好看的送一份小样", "gift", "最好的送礼物选择就是它"),  # a prize for the best entry, not a gift idea
    ("中奖的宝宝截图找客服领奖品", "gift", "到时候领工资了给你们买水果"),
    ("待会儿有超级大福袋，别走开", "gift", "待会儿有人来接我"),
    ("关注加粉丝团，享受粉丝专属福袋", "gift", "快去左上角领福袋呀"),  # urging the room to grab one offers nothing
    ("福袋还有3分钟就开奖", "gift", "上次福袋开奖的时候你不在"),
    ("点赞过一万，直接抽奖，最先截图的送一份水果", "gift", "最先到的是我表姐"),
    ("私信我，发你一个折扣码", "price", "折扣码是什么意思"),
    ("直播间下单减二十", "price", "他们下单减二十的活动早结束了"),
    ("退回的货收到后3-5个工作日退到账", "refund", "我3-5个工作日就能退休了"),
    ("福利：今晚评论区点赞最高的送一份试吃装", "gift", "福利院的孩子们今天来了"),
    ("现在下单只要[price]元，还赠送一个[gift]", "price", "现在下单的宝宝请耐心等待发货通知"),  # the price leads
    ("第二份半价，买两份更划算", "price", "第二份作业我还没写"),
    ("今天下单享受会员折上折", "price", "折纸的时候对折再折"),
    ("今天的福袋是一箱苹果", "gift", "福袋是不是已经开了"),
    ("福袋里面有三支口红", "gift", "福袋里面有什么呀"),
    ("评论区扣想要，主播给你们改价", "price", "她给你们改了个名字"),
    ("支持先用后付", "service", "先用洗面奶后用水乳"),
    ("运费险已经给大家买好了", "refund", "红包已经给大家发过了"),  # a benefit in place, not a past act
    ("快递给你们升级顺丰", "delivery", "我的手机给我升级成鸿蒙了"),
    ("今天拍的明天就能吃上", "delivery", "今天吃上了火锅"),
    ("晚到一天补五块", "compensation", "晚到的朋友补个票"),
])
def test_group_notice_lucky_bag_and_trade_shapes_are_read_and_their_twins_are_not(offer, kind, chatter):
    offer_read_twin_quiet(offer, kind, chatter)


def test_a_flash_sale_opened_at_a_head_count_names_no_price():
    assert detect("在线冲到一千人直接开秒杀，大家帮我冲一冲") == []
