"""Group-buy organisers' and small shops' written terms, from host_lines_live16.tsv's tune misses (branch hunt22, issue 15 #4).

Each case is our own wording of a shape met in the tune rows; every positive reads otherwise without its rule, every
twin shows what the rule must not catch (pure: no database)."""
import pytest

from services import promises
from services.hanzi import simplified


def kinds(text: str) -> list[str]:
    return [d.kind for d in promises.detect(text)]


def test_traditional_characters_read_as_simplified():
    assert simplified("運費分攤:免運費，7日內退款") == "运费分摊:免运费，7日内退款"
    assert simplified("今天下单全场包邮") == "今天下单全场包邮"  # simplified text as it is
    assert simplified("著名的乾隆年間") == "著名的乾隆年间"  # 著, 乾 are simplified characters too
    assert simplified("大家乾杯") == "大家干杯"  # ... except where the phrase says otherwise (OpenCC t2s)


def test_the_simplified_line_keeps_the_length_of_the_line_as_written():
    for line in ("7 日內依原付款方式退款", "頭髮乾燥的話請聯繫客服", "皇后區的鍾錶行"):
        assert len(simplified(line)) == len(line)


@pytest.mark.parametrize("text, kind", [
    ("訂單成立後 3 個工作天內出貨", "delivery"),      # traditional, 工作天, 出货
    ("本團滿 500 元免運，結團後統一寄出", "delivery"),
    ("收到退貨確認無誤後，5 個工作天內退款", "refund"),
])
def test_a_term_in_traditional_characters_is_read(text, kind):
    assert kinds(text) == [kind]


def test_the_draft_keeps_the_words_as_written():
    [draft] = promises.detect("訂單成立後 3 個工作天內出貨")
    assert draft.text == "訂單成立後 3 個工作天內出貨"


@pytest.mark.parametrize("text, kind", [
    ("现货将在结团后5个工作天内统一出货", "delivery"),
    ("出货时间：付款后2个工作日", "delivery"),
    ("到货时间约 10-15个工作日", "delivery"),
    ("运费分摊：免运费", "delivery"),
    ("依照厂商规定免运", "delivery"),
    ("单笔满 1500 元即可享有免运费优惠", "delivery"),
])
def test_shipping_terms_of_a_shop(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize("text", [
    "退货免运费需自行申请",            # twin: a return's courier, not the buyer's parcel
    "运费：依实际重量计算",            # twin: a fee, nothing free
    "出货时间请以通知为准",            # twin: no time named
])
def test_shipping_terms_twins(text):
    assert "delivery" not in kinds(text)


@pytest.mark.parametrize("text, kind", [
    ("收到商品次日起享有7日鉴赏期", "refund"),
    ("确认后依原付款方式退款", "refund"),
    ("确认后退刷至原信用卡", "refund"),
    ("商品有瑕疵才可接受退换货申请", "refund"),
])
def test_refund_terms_of_a_shop(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize("text", [
    "生鲜商品不适用7日鉴赏期",          # twin: the return right refused
    "恕不接受退换货申请",              # twin
    "食品经开封后即不可接受退换货",     # twin
])
def test_refund_terms_twins(text):
    assert "refund" not in kinds(text)


@pytest.mark.parametrize("text", [
    "冷藏品可代冰，一天收10元",
    "常温的东西最多可以寄放三天",
    "确切到货日我们会另行通知",
    "团长会在出货前一周公布取货日期",
    "发票会由平台代开，寄到你的邮箱",
    "运送中损坏，主购会协助向物流求偿",
])
def test_an_organisers_services(text):
    assert kinds(text) == ["service"]


@pytest.mark.parametrize("text", [
    "冷冻品不代冰，请当天取回",        # twin: refused
    "团长不会另行通知，请自己看群",     # twin: refused
    "杂费是跑腿的费用，不是代冰费用",   # twin: 代冰 named, not offered
])
def test_an_organisers_services_twins(text):
    assert "service" not in kinds(text)


def test_no_guarantee_of_compensation_is_none():
    assert "compensation" not in kinds("遇到海关抽查导致延误，团主不设赔偿")
