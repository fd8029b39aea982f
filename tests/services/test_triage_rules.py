"""classify / group on the project's own labelled sets (pure functions: no database)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from services import triage

DATA = Path(__file__).resolve().parents[1] / "data"


def _tsv(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def test_contract_names_are_exposed():
    for name in (
        "CATEGORIES", "CATEGORY_LABELS", "classify", "group", "CommentIn", "parse_comment_lines", "ingest",
        "queue", "open_count", "to_host", "answer", "dismiss", "merge", "recategorize", "undo", "top_to_host",
    ):
        assert hasattr(triage, name), name
    assert triage.CATEGORIES == (
        "authenticity", "after_sales", "delivery", "price", "order", "product", "other_question", "chatter",
    )
    assert set(triage.CATEGORY_LABELS) == set(triage.CATEGORIES)


def test_labelled_set_is_big_enough_and_covers_every_category():
    rows = _tsv("comments_labelled.tsv")
    assert len(rows) >= 150
    assert {c for c, _ in rows} == set(triage.CATEGORIES)


def test_classify_accuracy_on_the_labelled_set():
    rows = _tsv("comments_labelled.tsv")
    got = [triage.classify(text) for _, text in rows]
    category = sum(g == c for g, (c, _) in zip(got, rows)) / len(rows)
    chatter = sum((g == "chatter") == (c == "chatter") for g, (c, _) in zip(got, rows)) / len(rows)
    misses = [(c, g, t) for g, (c, t) in zip(got, rows) if g != c]
    assert category >= 0.90, misses
    assert chatter >= 0.95, misses


@pytest.mark.parametrize(
    "text,expected",
    [
        ("有机认证是真的吗", "authenticity"),
        ("有检测报告吗？", "authenticity"),
        ("坏了能退吗", "after_sales"),
        ("退货运费谁出", "after_sales"),  # tie → after_sales before delivery
        ("什么时候发货", "delivery"),
        ("可以自提吗", "delivery"),
        ("多少钱一斤", "price"),
        ("有优惠吗", "price"),
        ("在哪接龙", "order"),
        ("还有库存吗", "order"),
        ("保质期多久", "product"),
        ("产地是哪里", "product"),
        ("下次直播什么时候", "other_question"),
        ("来了", "chatter"),
        ("666", "chatter"),
        ("打卡", "chatter"),
        ("已下单", "chatter"),
        ("好看", "chatter"),
        ("👍👍👍", "chatter"),
        ("[玫瑰][玫瑰]", "chatter"),
        ("", "chatter"),
        ("怎末买", "order"),  # typo
        ("多少前", "price"),  # typo
        ("求链接", "order"),  # no question mark
        ("上次买的还没退款😤", "after_sales"),  # a complaint without a question mark
        ("价格真实惠", "chatter"),  # a topic word in praise is not a question
    ],
)
def test_classify_examples(text, expected):
    assert triage.classify(text) == expected


def test_classify_ignores_full_width_and_spacing():
    assert triage.classify("ＳＦ  顺丰吗？？") == triage.classify("顺丰吗")


def _pairs(labels, ids):
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        same, together = labels[i] == labels[j], ids[i] == ids[j]
        tp += same and together
        fp += together and not same
        fn += same and not together
    return tp / (tp + fp), tp / (tp + fn)


def test_group_pairwise_precision_and_recall_on_the_paraphrase_set():
    rows = _tsv("paraphrases.tsv")
    assert len({label for label, _ in rows}) >= 20
    ids = triage.group([t for _, t in rows])
    assert len(ids) == len(rows)
    precision, recall = _pairs([label for label, _ in rows], ids)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_group_generalises_to_the_held_out_paraphrases():
    """Both sets grouped together, as they would arrive in one night: same label = same question."""
    rows = _tsv("paraphrases.tsv") + _tsv("paraphrases_heldout.tsv")
    precision, recall = _pairs([label for label, _ in rows], triage.group([t for _, t in rows]))
    # the misses are objectless questions ("多少钱") joining a product's group, which on a live
    # night is usually right; recall stays high so a repeated question never scatters
    # (branch para2: 0.880 / 0.950 before, 0.947 / 0.961 after)
    assert precision >= 0.94 and recall >= 0.95, (precision, recall)


def test_group_on_a_group_buy_room():
    """Fresh food, fruit, snacks, daily goods (tests/data/paraphrases_groupbuy.tsv, tune data of
    bench/paraphrase_cv): main before branch para2 merged 芒果/苹果 questions and scattered
    一箱几斤 / 一箱多重 (precision 0.683, recall 0.384); the group-buy lexicon reads them."""
    rows = _tsv("paraphrases_groupbuy.tsv")
    labels = [label if not label.startswith("single") else f"{label}-{i}" for i, (label, _) in enumerate(rows)]
    precision, recall = _pairs(labels, triage.group([t for _, t in rows]))
    assert precision >= 0.98 and recall >= 0.85, (precision, recall)


def test_group_keeps_apart_other_qualifiers_of_one_concept():
    """Real FAQ tune rows (tests/data/real/paraphrases_faq.tsv, F1): 有优惠吗 for old customers is not
    有优惠吗 for bringing a friend; the cutoffs paraphrase_cv chose on branch para6 keep them apart."""
    assert len(set(triage.group(["老客户有优惠吗", "老带新有优惠吗"]))) == 2
    ids = triage.group(["有机认证是真的吗", "有机认证真的假的"])
    assert ids[0] == ids[1]


def test_group_issue_example():
    ids = triage.group(["有机认证是真的吗", "有机认证真的假的", "认证是真的有机吗", "运费多少", "鸡蛋保质期多久", "奶粉保质期多久"])
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    "texts,same",
    [
        (["你是哪里的啊", "哪里的"], True),  # read as other_question and as product: one question still
        (["这是什么歌", "这歌叫啥呀"], True),  # read as chatter, but worded as a question
        (["吃了早饭？", "吃早餐了没"], True),  # a 了没 question read as chatter
        (["这是什么歌", "这歌好好听"], False),  # a statement about the song asks nothing
        (["这是什么歌", "还会唱什么歌"], False),  # the song playing vs the host's repertoire
        (["宝宝几个月能喝", "小孩能吃吗"], False),  # one asks something more (the age)
        (["能开发票吗", "有发票吗"], True),
        (["能开发票吗", "什么时候发货"], False),  # 发票 is no 发货
        (["有检测报告吗", "质检报告发一下"], True),  # 发一下 is no shipping question
        (["有货吗", "诱惑吗"], True),  # the whole comment a near-homophone slip of 有货
        (["有货吗", "youhuo吗"], True),  # typed in pinyin
        (["吃早餐了没", "吃了早饭？"], True),  # the chatter-read one first: still found
        (["有优惠吗", "能便宜吗？有优惠吗？"], True),  # 便宜 and 优惠 ask about one thing
        (["什么快递", "你们发什么快递"], True),
        (["什么时候发货", "你们发什么快递"], False),  # when vs which courier
        (["赠品什么时候发货", "什么时候发货"], False),  # the gift's shipping is another question
        (["你学的什么专业", "你的脸怎么肿了"], False),  # both ask the host: nothing else shared
        (["一个亲亲10个蹲起吗", "听说你这里一个亲亲十个蹲起？"], True),  # one wording inside the other
        (["效果好吗", "好看吗"], False),  # a shared 好 alone joins nothing
        (["发货了吗", "什么时候发货"], False),  # whether vs when
        (["付款了吗", "怎么付款"], False),  # has it been done vs how
        (["下单了吗", "在哪接龙"], False),
        (["芒果甜不甜", "草莓甜不甜"], False),  # each fruit is its own product
        (["芒果甜不甜", "这芒果甜吗"], True),
        (["能不能发顺丰", "发什么快递"], False),  # a named courier is its own question
        (["发货了吗", "发什么快递"], False),
        (["物流没动", "单号不更新"], True),  # tracking, from a shop's own question list
        (["你好,这款有货吗", "有货吗"], True),  # a greeting carries no meaning
        (["退款金额不对", "退款少了"], True),
        (["一箱几斤", "一箱多重"], True),
        (["能放冰箱冷冻吗", "需要放冰箱吗"], False),  # freezing is not refrigerating
        (["有添加剂吗", "有激素吗"], False),
        (["多久", "什么时候回南京呀"], False),  # only a question word shared
        (["为什么啊", "你为什么要取白纯纯啊"], False),
        (["你是哪里的啊", "鱼哥家主播是哪里人"], True),  # 鱼哥 names no fish
    ],
)
def test_group_paraphrases_across_readings(texts, same):
    ids = triage.group(texts)
    assert (ids[0] == ids[1]) is same, (texts, ids)


@pytest.mark.parametrize(
    "texts,same",
    [
        # issue 15 #3 (branch para4): questions to a live host and to a shop, asked in other words
        (["你多大了", "今年几岁"], True),
        (["主播多大", "你今年几岁了"], True),
        (["哪年的", "属什么的"], True),
        (["你哪里人", "老家哪的"], True),
        (["你是四川人吗", "你哪里人"], True),
        (["你哪里人", "四川哪里的"], False),  # a province named: which part of it
        (["主播有男朋友吗", "单身吗"], True),  # one question: is the host attached
        (["有对象吗", "结婚了吗"], True),
        (["几点下播", "还播多久"], True),
        (["几点下播", "几点开播"], False),
        (["几点开播", "什么时候开播"], True),  # 几点开 of a shop's opening hours is not this
        (["玩的什么游戏", "这是什么游戏"], True),
        (["这是什么游戏", "这个游戏好玩吗"], False),
        (["现在放的什么歌", "这是什么歌"], True),
        (["这是什么歌", "能点首歌吗"], False),  # asking a song vs asking for one
        (["这首歌叫什么名字", "这是什么歌"], True),  # the song's name
        (["这首歌叫什么名字", "主播叫什么名字"], False),  # the host's
        (["在吃什么", "吃的啥"], True),
        (["吃了没", "主播吃饭了吗"], True),
        (["吃了没", "吃的啥"], False),  # whether vs what
        (["主播现在在哪", "人在哪个城市"], True),
        (["主播平时都干嘛", "你有什么爱好"], True),
        (["他是做什么的", "什么工作"], True),
        (["主播多高", "身高多少"], True),
        (["你学的什么专业", "哪个系"], True),
        (["几号链接", "链接在哪"], True),
        (["码数多少", "我穿多大"], True),
        (["身高170穿什么码", "尺码怎么选"], True),  # the asker's measurements are no other question
        (["尺码怎么选", "能不能改尺码"], False),  # choosing vs changing a size
        (["发什么快递", "哪家快递"], True),
        (["你是哪的", "老家哪里"], True),
        (["这是哪里的货", "你是哪里的"], False),  # the goods' origin is not the host's
        (["几几年的", "多大了"], True),
        (["主播叫啥", "叫什么名字"], True),
        (["晚饭吃的啥", "吃的什么"], True),
        (["主播多少斤", "体重多少"], True),
        (["一箱多少斤", "主播多少斤"], False),  # a box's weight is not the host's
        (["你住在哪", "你家在哪"], True),
        (["你住在哪", "你在哪"], False),  # where the host lives vs where the host is
        (["主播这件有L码吗", "尺码怎么选"], False),  # a named size is its own question
        (["能组合购买吗", "链接在哪"], False),  # buying as a bundle is not asking for the link
        (["主播多高多重", "主播身高多少"], True),
    ],
)
def test_group_host_and_shop_questions_in_other_words(texts, same):
    ids = triage.group(texts)
    assert (ids[0] == ids[1]) is same, (texts, ids)


@pytest.mark.parametrize(
    "texts,same",
    [
        # branch para5: a different filler of one slot is a different question (lexicon.json slot_fillers)
        (["美女四川哪里的", "重庆哪里的"], False),  # two provinces
        (["四川哪里的", "四川哪里的呀"], True),
        (["主播春天怎么过", "主播冬天怎么过"], False),  # two seasons, no concept: the plain path
        (["红色还有货吗", "黑色有货吗"], False),  # two colours
        (["红色还有货吗", "红色有货吗"], True),
        (["主播这件有L码吗", "这件有XL码吗"], False),  # two sizes
        (["3斤多少钱", "五斤多少钱"], False),  # two weights
        (["两斤多少钱", "2斤多少钱"], True),  # one number, said two ways
        (["一百二十斤穿什么码", "120斤穿多大码"], True),  # 多大码 names no size
        (["120斤穿什么码", "130斤穿什么码"], True),  # the asker's weight in a size question is data
        (["主播玩王者吗", "主播玩原神吗"], False),  # two games
        (["qq号多少", "微信号多少"], False),  # two platforms
        (["红色有货吗", "有货吗"], False),  # a filler on one side only: a bare shared concept is not enough
        # a defect with a remedy asked, or stated bare: what will be done (remedy_doc)
        (["坏果怎么办", "烂了赔不赔"], True),
        (["鸡蛋碎了怎么办", "蛋碎了赔吗"], True),
        (["尺码选错了", "买错码了怎么换"], True),  # read as chatter, still asking
        (["能不能改颜色", "颜色选错了"], True),
        (["坏果怎么办", "坏果包退吗"], False),  # a refund is another question
        (["会不会碎", "碎了怎么办"], False),  # whether it breaks vs what now
        # ordering beside a delivery or stock question is context
        (["几天能到", "下单后几天到货"], True),
        (["商品链接，有货吗？", "还有货吗"], True),
        # a thing asked to be given: its where / yes-no / link forms ask for it (resource_doc)
        (["主播你有网盘么", "主播网盘地址是多少"], True),
        (["网盘链接发一下", "网盘在哪"], True),
        (["有粉丝群吗", "群号多少"], True),
        (["有网盘吗", "有粉丝群吗"], False),
        # a host's job and streaming: one family
        (["主播白天有工作吗", "你就是直播这个工作吗？"], True),
        (["主播几点上班", "主播几点开播"], False),
        # no concepts: one wording inside the other plus a content word asks something more
        (["主播这是mod么", "主播mod怎么解压"], False),
        (["没有物流信息", "物流没动"], True),  # a parcel's tracking stated bare still asks
        # an event still to come: whether it will happen asks when (future_doc)
        (["还会再上吗", "什么时候补货"], True),
        (["下次还直播吗", "下次什么时候直播"], True),
        (["发货了吗", "什么时候发货"], False),  # done or not is another question
        (["几点开播？", "主播什么时候开播的"], False),  # 是…的: when it began, not when it will
        (["主播什么时候开播的", "你什么时候开始直播的"], True),
        # a delivery asked for a near day asks how fast (soon_doc)
        (["今天能发吗", "发货速度快吗？"], True),
        (["明天能到吗", "到货快吗"], True),
        (["今天能发吗", "什么时候发货"], False),  # whether soon vs when: still apart
    ],
)
def test_group_slot_fillers_remedies_and_resources(texts, same):
    ids = triage.group(texts)
    assert (ids[0] == ids[1]) is same, (texts, ids)


def test_group_a_members_signature_read_as_another_category_joins_its_group():
    """A member's exact signature is found again whatever category a later comment is read as."""
    ids = triage.group(["那现在下单能明天发货吗", "今天能发吗", "今天发得出吗"])
    assert ids[1] == ids[2], ids


def test_group_is_order_independent_for_exact_repeats():
    texts = ["运费多少", "来了", "运费多少？", "来了！", "运费 多少"]
    ids = triage.group(texts)
    assert ids[0] == ids[2] == ids[4] and ids[1] == ids[3] and ids[0] != ids[1]


# --- issue 15: real live-room chatter -------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("你多大", "other_question"),  # the host's age, not a product's size
        ("主播多大", "other_question"),
        ("哪里人", "other_question"),
        ("退出重进就好了", "chatter"),  # 退 in other senses is no refund
        ("把火箭退给我", "chatter"),
        ("加钱哥又退网了", "chatter"),
        ("一曲《剑魂》送给大家", "chatter"),  # a song dedication, not a delivery
        ("周黑鸭就是，又香，又辣，又甜", "chatter"),  # taste chatter
        ("看来你直播间有福利，易脱单", "chatter"),
        ("有活动吗", "price"),
        ("这两个哪个好", "product"),
        ("宝宝多大可以吃", "product"),  # 多大 about the buyer's child and the goods: still product
        ("主播身高多少", "other_question"),  # the host's height / weight / hometown: about the host
        ("小姐姐体重多少斤呀", "other_question"),
        ("美女四川哪里的", "other_question"),
        ("鸡蛋一盒多重", "product"),  # 多重 about the goods stays product
        ("L码适合多重的宝宝", "product"),
        ("会不会过敏", "product"),  # shop questions with no question word or a weak topic word
        ("黄皮色号推荐", "product"),
        ("这条裤子显胖吗", "product"),  # clothing fit, quality, samples, stock: shop-room words (live tune rows)
        ("东西质量好不好", "product"),
        ("和之前那款一样吗", "product"),
        ("跟上次一样价吗", "price"),  # … but the same price as last time is a price question
        ("送小样吗", "price"),
        ("还有现货吗", "order"),
    ],
)
def test_classify_reads_real_chatter(text, expected):
    assert triage.classify(text) == expected


def test_a_near_homophone_slip_reads_and_groups_like_the_term():
    assert triage.classify("有机认正是真的吗") == "authenticity"
    ids = triage.group(["有机认证是真的吗", "有机认正是真的吗", "保质期多久", "保只期多久"])
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


def test_a_product_less_question_joins_a_product_only_through_the_focus_deal():
    texts = ["鸡蛋多少钱", "多少钱"]
    assert len(set(triage.group(texts))) == 2  # nothing says 多少钱 is about the eggs
    assert len(set(triage.group(texts, focus="土鸡蛋 30枚"))) == 1  # the host is selling eggs now
    assert len(set(triage.group(texts, focus="羊奶粉"))) == 2  # …or something else


def test_an_operator_term_wins_over_the_model():
    from services.triage import lexicon

    assert triage.classify("有没有蓝莓味") == "other_question"
    assert triage.classify("来个南屏晚钟吧") == "chatter"
    try:
        lexicon.install(lexicon.build([("product", "蓝莓味", 3.0), ("chatter", "有活动", 3.0)]))
        assert triage.classify("有没有蓝莓味") == "product"
        assert triage.classify("有活动吗") == "chatter"
        # the operator's word also wins over a built-in complaint rule (a bare push to ship reads 配送)
        assert triage.classify("加急") == "delivery"
        lexicon.install(lexicon.build([("chatter", "加急", 3.0)]))
        assert triage.classify("加急") == "chatter"
        # a built-in term copied at its built-in weight (分类词库 → 导入内置词) changes nothing
        lexicon.install(lexicon.build([("after_sales", "退", 2.0)]))
        assert triage.classify("把火箭退给我") == "chatter"
    finally:
        lexicon.install(lexicon.BUILTIN)


def test_uncertain_readings_say_why():
    # a flavour the lexicon does not know: the model is unsure of it (有没有芒果味的 sat at 0.525 before
    # branch comments7 retrained the model, 0.601 after: right at UNSURE_CATEGORY, so this one is further off)
    sure, unsure = triage.analyse("多少钱"), triage.analyse("有没有蓝莓味")
    assert sure.hint == "" and sure.confidence > 0.9
    assert unsure.hint.startswith("类别拿不准") and "「" in unsure.hint
    assert triage.analyse("来了").hint == ""


def test_a_strongly_worded_shop_complaint_is_a_question_with_a_warning():
    a = triage.analyse("我要退货退款，质量太差")
    assert a.category == "after_sales" and a.question
    assert triage.classify("加钱哥又退网了") == "chatter"
    slow = triage.analyse("快递太慢了")  # a complaint with no question word is a delivery question
    assert slow.category == "delivery" and slow.question
    # where the model alone reads it as chatter, the queue says why it is a question (since branch comments10's
    # retraining the model reads 快递太慢了 as a delivery question itself, so that one carries no warning)
    stuck = triage.analyse("单号一直不更新")
    assert stuck.category == "delivery" and stuck.question and stuck.hint.startswith("没有问句")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("收到的和图片不一样", "after_sales"),  # complaints about the goods want an answer, question or not
        ("口感没有描述的那么好", "after_sales"),
        ("物流太慢了", "delivery"),
        ("单号一直不更新", "delivery"),  # tracking that does not move is a delivery complaint
        ("客服怎么一直不回消息", "after_sales"),
        ("你怎么不回我", "chatter"),  # said to the host, not a complaint
        ("产地是哪里的？", "product"),  # 是哪里的 about the goods (the host's hometown needs the host)
        ("你是哪里的啊", "other_question"),
        ("零头抹掉行吗", "price"),
    ],
)
def test_complaints_and_shop_senses(text, expected):
    assert triage.classify(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # the goods' origin (产地) asked: a product question (a 源味集 fruit night, branch triage7)
        ("脐橙是赣南的吗？", "product"),
        ("砂糖橘是广西的吗", "product"),
        ("是新疆的吗", "product"),  # 新疆 is also a remote-delivery word: here it is where the goods grow
        ("苹果是新疆的吗", "product"),
        ("是赣南脐橙吗", "product"),
        ("这个是阿克苏的吗", "product"),
        ("你们的脐橙是赣南的吗", "product"),  # 你们 owns the goods: still the goods' origin
        ("你家橙子是哪里的", "product"),
        ("哪里产的", "product"),
        ("产地是哪", "product"),
        ("哪个产区", "product"),
        ("是本地的吗", "product"),
        ("从哪发货", "delivery"),  # where it ships from is delivery
        ("是新疆发货吗", "delivery"),
        # … the host's origin stays an other question
        ("主播哪里人", "other_question"),
        ("你是四川的吗", "other_question"),
        ("主播是赣南的吗", "other_question"),
        ("美女你是江西的吗", "other_question"),
        ("你也是四川的吗", "other_question"),
        ("主播老家是赣南的吗", "other_question"),
        ("你家是赣南的吗", "other_question"),
        ("是四川人吗", "other_question"),
        ("美女四川的吗", "other_question"),
    ],
)
def test_a_products_origin_is_a_product_question_the_hosts_is_not(text, expected):
    assert triage.classify(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # an A-not-A question about an attribute of the goods asks about the goods (a fruit night, branch comments8)
        ("草莓大不大", "product"),
        ("橙子新不新鲜", "product"),  # 不新鲜 inside it is no complaint
        ("草莓甜不甜", "product"),
        ("橙子酸不酸", "product"),
        ("草莓好不好吃", "product"),
        ("大不大", "product"),  # bare, like 大吗 (tests/data/real/README.md)
        # … the host teased, or a remark, stays as it was
        ("你大不大", "other_question"),
        ("主播你胖不胖", "other_question"),
        ("好吃不好吃都行", "chatter"),
        # the origin with authenticity evidence asked beside it: the evidence decides (真伪资质)
        ("橙子是赣南的吗？有检测报告吗", "authenticity"),
        ("是赣南的吗 有没有溯源码", "authenticity"),
        ("脐橙是赣南的吗，有质检报告吗", "authenticity"),
        ("橙子是赣南的吗？", "product"),  # the origin alone stays a product question (branch triage7)
        ("有检测报告吗", "authenticity"),
        ("你是赣南的吗", "other_question"),
    ],
)
def test_a_products_attribute_a_not_a_and_origin_with_evidence(text, expected):
    assert triage.classify(text) == expected


def test_group_delivery_day_and_arrival_day_each_hold_all_their_wordings():
    """Arrival time (几号能到 / 哪天到 / 多久能送到 / 几号收到) is one question and the shipping day
    (什么时候发货 / 啥时候发货 / 几号发货) another, as tests/data/paraphrases.tsv keeps arrive_days and
    ship_when apart (a 源味集 fruit night, branch triage7)."""
    arrive = ["几号能到", "哪天到", "多久能到", "什么时候到", "几天能收到", "多久能送到", "几号收到",
              "什么时候可以收到", "快递几天到", "啥时候能到"]
    ship = ["啥时候发货", "什么时候发货", "几号发货", "哪天发货", "多久发货"]
    ids = triage.group(arrive + ship)
    assert len(set(ids[: len(arrive)])) == 1 and len(set(ids[len(arrive):])) == 1, ids
    assert ids[0] != ids[-1]
    # with the deal in focus a product named joins its side; another product stays apart
    ids = triage.group(["几号能到", "脐橙几号能到", "砂糖橘几号能到"], focus="赣南脐橙 5斤")
    assert ids[0] == ids[1] != ids[2]


def test_homophone_repair_leaves_question_words_alone():
    """怎么蒸 (a cooking question) must not turn 怎么证明 into 怎么蒸明; 有机认正 is still repaired."""
    from services.triage import lexicon

    lex = lexicon.active()
    assert lex.fix_typos("怎么证明是有机的") == "怎么证明是有机的"
    assert lex.fix_typos("这么多大哥") == "这么多大哥"
    assert "有机认证" in lex.fix_typos("有机认正吗")
    assert triage.classify("怎么证明是有机的") == "authenticity"


def test_term_regex_finds_the_longest_term_like_an_ordered_alternation():
    import re

    from services.triage.lexicon import _alternation

    terms = ["有货", "有", "有机认证", "有机", "货到付款", "到", "到货", "a.b", "a"]
    old = re.compile("|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))))
    new = _alternation(terms)
    for text in ("有机认证有货吗", "货到付款到货了", "有机有", "a.b axb", "没有"):
        assert [m.group(0) for m in new.finditer(text)] == [m.group(0) for m in old.finditer(text)], text


@pytest.mark.parametrize(
    "text,expected",
    [
        # issue 15 #2, branch comments7: forms of our own for what the tune rows of comments_rooms.tsv and the
        # brief showed; each with a twin that must not move
        ("退退退", "chatter"),  # a run of 退 is "go away", no refund
        ("退退退!", "chatter"),
        ("3号看看", "product"),  # a numbered item to show or try on in a clothing room
        ("21号可以看一下吗", "product"),
        ("穿一下那条黑裙子", "product"),
        ("试一下那件外套", "product"),
        ("我看一下", "chatter"),
        ("等下看看", "chatter"),
        ("5号能改个价吗", "price"),  # a price change asked is a discount asked
        ("改价吧", "price"),
        ("大吗", "product"),  # a bare size question
        ("偏小吗", "product"),
        ("好大", "chatter"),
        ("打开全是烂的", "after_sales"),  # rotten or damaged goods, counted or not, are a complaint
        ("苹果坏了两个", "after_sales"),
        ("少发了一袋", "after_sales"),
        ("我心都碎了", "chatter"),
        ("手机屏幕碎了", "chatter"),
        ("掌声在哪里", "chatter"),  # a call for applause
        ("最低多少", "price"),  # short shop questions
        ("买二送一吗", "price"),
        ("能拍了吗", "order"),
        ("什么时候上架", "order"),
        ("推荐哪个", "product"),
        ("假一赔十吗", "authenticity"),
        ("有活动吗", "price"),
        ("还有吗", "order"),
        ("几号链接", "order"),
        ("能便宜点吗", "price"),
        ("怎么买", "order"),
        ("有优惠券吗", "price"),
        ("我多大关你什么事", "chatter"),  # 多大 / 到 / 发 in other senses
        ("有多大关系", "chatter"),
        ("主播你多大了", "other_question"),
        ("你唱的什么歌", "other_question"),
        ("几点到几点播", "other_question"),
        ("什么时候到16级", "other_question"),
        ("几天能到", "delivery"),
        ("几号能到", "delivery"),
        ("什么时候发货", "delivery"),
        ("这冰淇淋好吃", "chatter"),
        ("送你一个火箭", "chatter"),
        ("换一下镜头", "chatter"),
    ],
)
def test_live_room_senses_and_short_shop_questions(text, expected):
    assert triage.classify(text) == expected


def test_a_failed_send_is_no_delivery_question():
    assert triage.classify("我怎么老是发送失败") != "delivery"
    assert triage.classify("怎么还没发货") == "delivery"


@pytest.mark.parametrize(
    "texts, same",
    [
        # an offer asked on two conditions: who gets it is what is asked (lexicon.json condition_doc)
        (["老客户有优惠吗", "老带新有优惠吗"], False),
        (["租久一点有优惠吗", "租过几次有折扣吗"], False),  # one shared 租 is no shared condition
        (["有返现吗", "老客户有优惠吗", "老带新有优惠吗"], False),  # the bare one links no two
        (["学生有优惠吗", "学生租有折扣吗"], True),  # one condition in other words
        (["有优惠吗", "老客户有优惠吗"], True),  # a condition on one side only: as before
        # different days of the week: different questions (slot 星期)
        (["周末上班吗", "周六上班吗"], False),
        (["周六发货吗", "周日发货吗"], False),
        # money arriving is not a parcel arriving (到账); beside a refund, 能到 is the money's
        (["押金几天到账", "几天能到"], False),
        (["退款几天能到", "退款多久到账"], True),
        # words beside another concept still join through a bare member (the product, not a condition)
        (["这款衣服有货吗", "有货吗", "商品链接，有货吗？"], True),
    ],
)
def test_group_offers_asked_on_different_conditions_and_days(texts, same):
    ids = triage.group(texts)
    assert (ids[-2] == ids[-1]) is same, (texts, ids)


@pytest.mark.parametrize(
    "text, concept, read",
    [
        # a plain word holding a one-character concept (lexicon.json concepts "="): no concept inside it
        ("可以提前发货吗", "#自提", False),
        ("提供发票吗", "#自提", False),
        ("头发怎么染的", "#发货", False),
        ("电话号码是多少", "#尺码", False),
        ("黄皮色号推荐", "#尺码", False),
        ("到期了怎么办", "#到货", False),
        ("提货码是多少", "#自提", True),  # their twins: the character in its own sense
        ("什么时候能提", "#自提", True),
        ("什么时候发货", "#发货", True),
        ("穿什么码", "#尺码", True),
        ("几天能到", "#到货", True),
    ],
)
def test_a_plain_word_holds_no_one_character_concept(text, concept, read):
    from services.triage.grouping import signature

    assert (concept in signature(text).split()) is read, signature(text)


def test_a_plain_word_parts_questions_the_character_joined():
    ids = triage.group(["可以提前发货吗", "可以自提吗"])
    assert ids[0] != ids[1]
    ids = triage.group(["客服电话多少", "电话号码是多少"])  # 号码 no longer a size: the same question
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    "text, indefinite",
    [
        ("今晚上都是好几年前的流行歌", True),  # 几 / 多少 / 哪 / 怎么 that ask nothing (branch comments9)
        ("已经几天没画画了", True),
        ("哪里都有水的", True),
        ("但是多少都认识点", True),
        ("刚开始不怎么习惯", True),
        ("头发怎么这么多", True),
        ("几天能到", False),  # their twins ask
        ("哪里发货", False),
        ("多少钱", False),
        ("怎么下单", False),
        ("为什么不回答我", False),
    ],
)
def test_an_indefinite_question_word_is_a_model_feature(text, indefinite):
    from services.triage import model
    from services.triage.grouping import normalise

    assert ("_indef" in model.shape(normalise(text))) is indefinite


@pytest.mark.parametrize(
    "text,expected",
    [
        # branch comments10, from tune rows of comments_live10.tsv (shop chat, live-selling rooms); each with a twin
        ("加急", "delivery"),  # a bare push to ship asks the shop to ship
        ("发快点", "delivery"),
        ("马上发红包", "chatter"),  # twin: 发 something else
        ("快点发弹幕", "chatter"),
        ("查一下我的订单", "order"),  # asking the shop to look an order up
        ("帮我查下快递", "delivery"),
        ("查一下天气", "chatter"),  # twin
        ("我要退订单", "after_sales"),  # a refund or exchange asked for, no question word
        ("帮我换成L码", "after_sales"),
        ("取消这个订单", "order"),
        ("我想换个发型", "chatter"),  # twin: changing something else
        ("我要退出直播间", "chatter"),
        ("你这是个骗子店", "after_sales"),  # the shop called a cheat
        ("你是个小骗子", "chatter"),  # twin: teasing the host
        ("再也不买了", "after_sales"),
        ("再也不熬夜了", "chatter"),
        ("帮我推荐一款精华", "product"),  # asking for a recommendation of goods
        ("推荐一首歌", "chatter"),  # twin: a song
        ("敏感肌用什么面霜", "product"),  # a skin type or a person + what to use
        ("新手用什么英雄", "other_question"),  # twin: a game
        ("有图片吗", "product"),  # pictures / video of the goods
        ("有视频号吗", "other_question"),  # twin: the host's channel
        ("看看实物", "product"),
        ("看看你的猫", "chatter"),
        ("送女朋友什么护肤品好", "product"),  # 送 a person is a gift, what to give a product question
        ("送人买什么比较好？", "product"),
        ("送女朋友回家了", "chatter"),  # twin: no delivery either
        ("我给你刷礼物啦，看到了吗", "other_question"),  # 看到 is seeing, not arriving
        ("货到了吗", "delivery"),  # twin
        ("今天卖什么？", "product"),  # 什么? is not a slip of 吗? (the typo 么? → 吗?)
        ("能退么?", "after_sales"),  # twin: the slip still mended
        ("这件T恤偏大吗", "product"),
        ("你偏心吗", "other_question"),
        ("白色衬衫会不会透", "product"),
        ("出去透透气", "chatter"),
    ],
)
def test_shop_requests_statements_and_senses_from_live_selling_rooms(text, expected):
    assert triage.classify(text) == expected



@pytest.mark.parametrize(
    "text,expected",
    [
        # branch comments11, from tune rows of comments_live11.tsv (a takeaway shop, a shoe shop, a cat-food room);
        # each with a twin
        ("穿着太重了想退", "after_sales"),  # a fit or a dislike with a return or an exchange wanted
        ("42码不合适想换43", "after_sales"),
        ("大了一码怎么换", "after_sales"),
        ("发型不好看想换个发型", "chatter"),  # twin: changing something else
        ("主播太好看了想换个发型", "chatter"),
        ("鞋子开胶了怎么办", "after_sales"),  # a shoe or garment defect
        ("穿两天就坏了", "after_sales"),
        ("这件会起球吗", "product"),  # twin: asked before buying
        ("页面说透气，实际很闷", "after_sales"),  # the page said one thing, the goods do another
        ("页面写的尺码准吗", "product"),  # twin: the page asked about
        ("这个订单我不想要了要退钱", "after_sales"),
        ("不想要了就算了", "chatter"),  # twin
        ("帮我催一下", "delivery"),  # a bare push
        ("催更催更", "chatter"),  # twin: the stream urged
        ("别催了", "chatter"),
        ("修改我的收货地址", "delivery"),  # the delivery address changed
        ("地址填错了", "delivery"),
        ("我要加一个新地址", "delivery"),
        ("主播换地址了吗", "other_question"),  # twin: the host's
        ("我的IP地址是哪里", "other_question"),
        ("帮我取消一下", "order"),  # cancelling
        ("还没发货可以取消吗", "order"),
        ("主播再不理我我就取消关注了", "chatter"),  # twin: a follow cancelled
        ("再来一单", "order"),  # ordering again
        ("还要一样的", "order"),
        ("帮我加一份宫保鸡丁", "order"),
        ("再来一首", "chatter"),  # twin: a song
        ("加一个好友", "chatter"),
        ("冬天暖不暖", "product"),  # an attribute of the goods, A-not-A
        ("你暖不暖", "other_question"),  # twin: the host's
        ("舒适性怎么样", "product"),  # a quality of the goods
        ("主播性格怎么样", "other_question"),  # twin: the host's character
        ("我的订单到哪了", "delivery"),  # where the order is
        ("我的退款到哪了", "after_sales"),  # twin: the refund
        ("这款还有黑色吗", "order"),  # a colour still left, as 黑色还有吗
        ("有黑色吗", "product"),  # twin: a colour at all
        ("把购物车清空", "order"),  # emptying the cart
        ("删掉刚才加的那个", "order"),
        ("删掉那条弹幕", "chatter"),  # twin
        ("先加购物车", "chatter"),
        ("换一种颜色看看", "product"),  # asking to see another colour of the goods
        ("换个角度看看", "chatter"),  # twin: the camera
        ("只在家试穿过能退吗", "after_sales"),  # a try-on, then a return asked
        ("可以试穿一下吗", "product"),  # twin: the try-on asked
    ],
)
def test_shop_chat_requests_defects_and_attributes_from_new_sources(text, expected):
    assert triage.classify(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # branch comments11, second round (tune rows X11, X12 of comments_live11.tsv); each with a twin
        ("不处理我就挂网上", "after_sales"),  # a threat to escalate if nothing is done
        ("今天不解决我就找媒体", "after_sales"),
        ("再不发货我就给差评", "delivery"),  # … about shipping
        ("不退的话我就去朋友家拿", "chatter"),  # twin: no escalation
        ("要是按时到我就不会找媒体", "chatter"),
        ("色青主播，我报警啦", "chatter"),
        ("你们这破客服", "after_sales"),  # abuse of the desk
        ("客服就是个摆设", "after_sales"),
        ("客服小姐姐人真好", "chatter"),  # twin
        ("快递一直显示运输中不动", "delivery"),  # stuck in transit
        ("我买的衣服在转运中心躺了四天", "delivery"),
        ("手表放几天不动会停吗", "product"),  # twin
        ("上面写已签收，可家里没人收到", "delivery"),  # signed for, not found
        ("已经签收了，谢谢", "chatter"),  # twin
        ("下完单发现地址填成老家的了", "delivery"),  # receiver's details entered wrong
        ("收件人电话写错了能改吗", "delivery"),
        ("我的会员信息没更新帮我改一下资料", "chatter"),  # twin
        ("你好，我要退货", "after_sales"),  # a greeting before a return asked
        ("我要退出", "chatter"),  # twin
        ("同一笔订单付了两次", "after_sales"),  # a double charge
        ("预售定金和尾款要付两次吗", "order"),  # twin: asked how paying works
        ("外包装全湿了", "after_sales"),  # a wet or broken package
        ("包装盒好看吗", "product"),  # twin
        ("气垫梳有吗", "product"),  # a thing asked for bare
        ("福袋有吗", "price"),  # twin: a lucky bag is price
        ("营业执照有吗", "authenticity"),  # twin: papers are authenticity
        ("主播你有吗", "other_question"),  # twin: a person named
        ("库存还有吗", "order"),  # twin: stock left is an order question
    ],
)
def test_shop_desk_threats_parcels_and_bulk_orders(text, expected):
    assert triage.classify(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # branch comments12 (tune rows Y3, Y6, Y8 of comments_live12.tsv; phrasings of our own), each with a twin
        ("你们这服务态度也太差了吧", "after_sales"),  # the desk's attitude
        ("你们客服说话什么态度", "after_sales"),
        ("主播态度真好", "chatter"),  # twin
        ("把你们主管的电话给我", "after_sales"),  # asking for someone above the desk
        ("找你们负责人来处理", "after_sales"),
        ("老板今天好帅", "chatter"),  # twin
        ("收到的货是破的", "after_sales"),  # received broken or used
        ("收到了一个旧的", "after_sales"),
        ("收到了很喜欢", "chatter"),  # twin
        ("东西质量这么差", "after_sales"),  # the quality run down with a degree word
        ("这货也太垃圾了", "after_sales"),
        ("这网也太差了", "chatter"),  # twin: not the goods
        ("洗一次掉色很严重", "after_sales"),  # fading, badly
        ("这件洗了会掉色吗", "product"),  # twin: asked before buying
        ("以后再也不来你们家买了", "after_sales"),  # never buying here again
        ("以后还来你们家买", "chatter"),  # twin
        ("打客服电话一直没人接", "after_sales"),  # nobody answers the desk
        ("客服小姐姐回复好快", "chatter"),  # twin
        ("这双鞋根本就是假货", "authenticity"),  # fake goods said outright
        ("山寨机也挺好用", "chatter"),  # twin
        ("收到的货不对板", "after_sales"),
        ("我要开一张公司抬头的发票", "order"),  # an invoice asked for or corrected
        ("发票税号填错了", "order"),
        ("我要开直播了", "chatter"),  # twin
        ("快递被弄丢了", "delivery"),  # a lost parcel
        ("钥匙丢了", "chatter"),  # twin
        ("收件电话写错了", "delivery"),  # the receiver's phone entered wrong
        ("我把作业写错了", "chatter"),  # twin
        ("地址改完了吗", "delivery"),  # the changed address
        ("主播换地址了吗", "other_question"),  # twin
        ("有什么面膜推荐吗", "product"),  # a recommendation asked with the kind between
        ("有什么歌推荐吗", "other_question"),  # twin: a song
        ("推荐双鞋子给我", "product"),
        ("推荐首歌给我", "chatter"),  # twin: a song
        ("帮我选一双跑鞋", "product"),  # choosing goods for the buyer
        ("帮我找一下那首歌", "chatter"),  # twin
        ("介绍一下你们的新款产品", "product"),
        ("介绍一下你自己", "chatter"),  # twin: the host, an imperative
        ("再讲讲材质", "product"),  # asking the host to go over an attribute again
        ("再讲一个笑话", "chatter"),  # twin
        ("有卖防晒衣吗", "product"),  # whether the shop sells a kind
        ("有人卖萌吗", "chatter"),  # twin
        ("你们有什么新品", "product"),
        ("有什么新闻", "chatter"),  # twin
        ("这款还卖吗", "order"),  # still on sale
        ("主播还卖萌吗", "other_question"),  # twin
        ("这个色是不是快没了", "order"),  # stock running out
        ("是不是快下播了", "other_question"),  # twin
        ("小黄车第几个是这件", "order"),  # which link is this one
        ("你是第几个进直播间的", "other_question"),  # twin
        ("今天还抽奖嘛", "price"),  # a draw asked with a time word, as 有抽奖吗
        ("抽奖抽中了好开心", "chatter"),  # twin
        ("这件能价保吗", "after_sales"),  # price protection
        ("这件价格多少", "price"),  # twin
        ("能保温多久", "product"),  # keeping warm is what the goods do
        ("主播播几个小时", "other_question"),  # twin
    ],
)
def test_shop_desk_complaints_and_live_room_requests_from_comments12(text, expected):
    assert triage.classify(text) == expected
