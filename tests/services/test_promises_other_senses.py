"""Promise words in other senses, from host_lines_live15.tsv's tune misses (branch hunt20, issue 15 #4).

Each case is our own wording of a shape met in the tune rows; every positive reads otherwise without its rule, every
twin shows what the rule must not catch (and reads the same with or without it)."""
import pytest

from services import promises


def kinds(text: str) -> list[str]:
    return [d.kind for d in promises.detect(text)]


# 给大家推荐一款… presents tonight's goods to the room: no pick owed to anyone.
@pytest.mark.parametrize("text", [
    "姐妹们晚上好！今天给大家推荐一款超好用的洗面奶！",
    "家人们，今天给你们推荐一个宝藏零食",
    "今天给大家推荐几款夏天的防晒",
])
def test_presenting_goods_to_the_room_is_no_service(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text, kind", [
    ("我帮你推荐一个适合你的尺码", "service"),       # one buyer, a pick made for them
    ("给你推荐一款适合你肤质的", "service"),
    ("拿不准的姐妹，我帮你们挑一挑尺码", "service"),
])
def test_a_pick_for_a_buyer_stays_a_service(text, kind):
    assert kinds(text) == [kind]


# 效果打折: the effect is lessened, nothing is discounted.
@pytest.mark.parametrize("text", ["顺序用反了，效果打折。", "不按步骤来功效打折", "这样用效果会打折扣"])
def test_an_effect_lessened_is_no_price(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", ["今天全场打折", "这款今天打八折"])
def test_a_discount_stays_a_price(text):
    assert kinds(text) == ["price"]


# 正价…今天…: the regular price, then tonight's, is a price even beside a multi-pack gift.
def test_the_regular_price_then_tonights_is_the_offer():
    assert kinds("拍一发三！正价是199，今天在直播间里99") == ["price"]


@pytest.mark.parametrize("text, want", [
    ("正价商品不参与活动", []),       # no amount: a rule, no offer
    ("拍一发三，囤货更划算", ["gift"]),  # the multi-pack alone stays a gift
])
def test_the_regular_price_word_alone_offers_nothing(text, want):
    assert kinds(text) == want


# 保证…见效: the goods' effect vowed is a quality promise, before the refund that backs it.
@pytest.mark.parametrize("text", ["保证一周见效，没效果退款", "我保证三天见效"])
def test_an_effect_vowed_is_quality(text):
    assert kinds(text) == ["quality"]


@pytest.mark.parametrize("text, want", [
    ("坚持用一个月见效", []),          # no vow: a description
    ("七天无理由退款", ["refund"]),
])
def test_an_effect_without_a_vow_promises_nothing(text, want):
    assert kinds(text) == want


# 现在下单还有额外优惠: an offer for ordering now, as 现在有活动 is (the README's convention: price).
@pytest.mark.parametrize("text", ["现在下单还有额外优惠，赶紧行动吧！", "今天拍下还有专属优惠"])
def test_an_extra_deal_for_ordering_now_is_a_price(text):
    assert kinds(text) == ["price"]


@pytest.mark.parametrize("text", ["现在下单还有优惠吗？", "现在下单已经没有优惠了", "之前下单还有优惠"])
def test_a_deal_asked_about_or_gone_is_no_price(text):
    assert kinds(text) == []
