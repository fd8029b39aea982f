"""Rules that find promises in what a host said, and turn a due hint into a time.

No database and no Streamlit here: pure functions over text, so they are cheap to test
and to tune. The package services.promises exports what the pages and other services use.

How a line is judged (one draft per line at most):
1. The line is cut into clauses at punctuation. Clauses that ask or request (services.promises.asking:
   能包退吗？, 什么时候打折, 送点赠品呗) are ignored, and a line of nothing else drafts nothing, not even
   from the model; a host's rhetorical question answered at once (要不要送你们一个？送！) is read as said.
2. Each kind has a lexicon of cues. A *strong* cue promises by itself (包退, 假一赔十,
   前50名赠, 次日达, 主动回访…). A *weak* cue (新鲜, 配送, 价格, 售后…) only counts when the
   line also carries a commitment marker (保证, 一定, 我会, 负责, 亲自…) or, for kinds tied
   to an order, an order context (前N名, 下单, 接龙, 今晚, 只要…) or a due time (明天中午前…).
   So "这颗上海青刚摘的" and "我们的菜都很新鲜" promise nothing, "保证新鲜" does.
3. A cue is dropped when it is negated (不退, 不支持退换, 不包邮) or told as past (送了,
   已经发货), since neither binds anyone tonight.
4. The kind is the one with the best score (strong 2, weak 1, channel cues like 直接找我
   1.5, plus 0.1 per further cue); ties go to the cue said first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from services.cn_numbers import NUM
from services.hanzi import simplified
from services.promises import model as _model
from services.promises import talk
from services.promises.shapes import BARE_PRICES
from services.promises.lexicon import (
    _AMT, _COMPILED, _DEDICATION, _DELIVERY_SONG, _GOODS, _MONEY_GIVING, _NOT_GIVING, _SPOKEN_PRICE, _UNIT, CHANNEL,
    DAMAGE, FALLBACK, STRONG, WEAK,
)
from services.promises.asking import CLAUSE as _CLAUSE, affirmed, answers_itself, asks as _asks, only_asks as _only_asks
from services.promises.due import due_at_from_hint, due_hint_of, first_n_of, min_qty_of

__all__ = [
    "KINDS", "KIND_LABELS", "PromiseDraft", "classify_line", "cue_kind", "detect", "due_at_from_hint", "due_hint_of",
    "first_n_of", "guess_kind", "min_qty_of", "read_kind",
]

KINDS = ("refund", "compensation", "gift", "price", "delivery", "quality", "service")
KIND_LABELS = {
    "refund": "包退",
    "compensation": "赔付",
    "gift": "赠品",
    "price": "价格",
    "delivery": "送达",
    "quality": "品质",
    "service": "服务",
}


@dataclass(frozen=True)
class PromiseDraft:
    """One promise found in a line: the words, its kind, the first N it is for, its due hint,
    the least quantity per buyer (满两份送 → 2) and, when the reading is unsure, why (in Chinese,
    shown with a ⚠ beside the draft)."""

    text: str
    kind: str
    first_n: int | None
    due_hint: str | None
    min_qty: int | None = None
    hint: str = ""

# ---------------------------------------------------------------- cue lexicon: services.promises.lexicon

# A commitment marker makes a weak cue count for any kind.
_COMMIT = re.compile(
    r"保证|确保|(?:(?:我|我们|郑重|向大家|在此|敢)[^，。！,!；;]{0,4})承诺(?!的)|担保|一定|肯定|绝对|我会|我们会|我们都会|我都会|会给|会帮|会在|会把|会为|会主动|(?:我|我们|由我们)(?:来)?负责|负责到底|包[你您大家]|"
    r"一律|统统|全部都|敢说|说到做到|放心交给|交给我|承担|兜底|拍胸脯|打包票|挨个|逐个|一个个|一个不落|"
    r"承诺[。！!]*$|绝不|决不|从不|坚决不|一[箱个颗盒袋件][一][箱个颗盒袋件]|"
    r"(?:我|我们)[^，。！,!；;]{0,5}(?:会|将)(?!不)"
)
# An order context makes a weak cue count for gift / price / delivery / refund / compensation.
_ORDER = re.compile(
    rf"(?:前|头|首)\s*{NUM}\s*(?:名|位|单|个|份|人)|下单|接龙|拍下|跟团|成团|今晚|今天|凡是|只要|每[一]?[单位份个]|"
    r"所有订单|全部订单|所有.{0,3}(?:的)?(?:朋友|家人|宝妈|姐妹)|享|各得|都送|还能|还可以|额外|免费|再加"
)
_ORDER_KINDS = {"gift", "price", "delivery", "refund", "compensation"}
# Delivery words are everyday talk (送货的小哥今天请假了): only a real order context counts.
_ORDER_STRICT = re.compile(
    rf"(?<![你您])(?:都|就|随时)?可以|(?:前|头|首)\s*{NUM}\s*(?:名|位|单|个|份|人)|下单|接龙|拍下|跟团|成团|凡是|只要|每[一]?[单位份个]|所有订单|全部订单|统一"
)
# A condition with a remedy (有坏果的…补偿, 万一不新鲜…) commits to the remedy.
_CONDITION = re.compile(r"如果|要是|万一|假如|一旦|凡是|不(?:满意|喜欢|合适|好吃|新鲜|甜)[^，。！,!；;]{0,3}的|有(?:坏|烂|破|漏|问题|瑕疵|损|变质|异味|少)[^，。！,!；;]{0,6}的|(?:坏|烂|碎|破|漏|坏掉|压坏)了?的|不会[^，。！,!；;]{0,2}的(?=[，,])|收到.{0,8}(?:坏|烂|破|漏|问题|不满意)")
_REMEDY_KINDS = {"refund", "compensation", "service"}
# Urgency with nothing named (抓紧时间, 马上恢复原价, 错过就没有) makes a weak price word no offer.
_URGENCY = re.compile(r"错过|恢复原价|所剩|抓紧|手慢无|不多了")
# A push (数量有限, 抢到就是赚到, 只限直播间有这个价格) names no term a buyer could hold the team to:
# with no amount, discount, coupon, gift or head count in the line, its price words offer nothing.
_PUSH = re.compile(r"(?:开|上|来)(?:一波|个|一场)?(?:限量|限时)?秒杀(?!价)|错过|恢复原价|所剩|抓紧|手慢无|不多了|数量有限|库存有限|抢到就是赚到|先付先得|拼手速|抢完为止|仅限|只限|只有在|末班车|(?:就|都)?没有(?:这样|这个)的?(?:价格|优惠)|站外")
_BARE_PRICES = "|".join(BARE_PRICES)
_CONCRETE_PRICE = re.compile(
    rf"{_SPOKEN_PRICE}|{_BARE_PRICES}|{NUM}(?:\.\d+)?\s*(?:元|块|米|折|毛|分钱)|X{{1,3}}\s*(?:元|块)|[¥￥]\s*\d|\[[^\[\]]+\]|（[^（）]+）|满\s*{NUM}|减\s*{NUM}|买[^，。！,!；;]{{0,3}}送|券|立减|直降|"
    rf"(?:前|头|首)\s*{NUM}\s*[名位单个份人]|只有\s*{NUM}\s*[个份单件]|(?:只要|只需要?|仅需|到手)\s*{NUM}|全[网年]最低|最低价|只有今[晚天]有|(?:福利|活动|直播|专享|专属|秒杀|特)价|半价"
)
# A limit on a deal (优惠券只能领一次, 每人限购两件) names no term by itself.
_LIMIT = re.compile(r"只能(?:领|用|买|拍|抢)[一1两2]?次|限(?:领|购|拍|用)")
# A price that varies (批发价格不等, 价格面议): no price is offered (branch promises18).
_PRICE_VARIES = re.compile(r"价格?(?:不等|不一|面议|另议)")
# A figure or a comparison (比批发市场还低, 是去年双十一的价格) gives a price word its term.
_COMPARED = re.compile(r"\d|比[^，。！,!；;]{0,10}(?:低|便宜|少|划算)|价格?是[^，。！,!；;]{1,10}的价|同价|一样的价")
# The shop's own stock arriving (今天会到一批货, 到货上架后通知您), not a parcel for the buyer.
_RESTOCK = re.compile(r"到[一几]?批|上架|补货|进货|备货|缺货")
# The buyer told to come and collect (均需至此自提地点提货, 凭提货码提货): a duty, no delivery owed.
_PICKUP_DUTY = re.compile(r"(?:需|须|请|凭)[^，。！,!；;]{0,10}(?:提货|取货|领取|自提)")
# A closing offer of help (如有问题随时联系我们, 还有问题打在公屏上) beside another promise: the other one is what the line promises.
_CLOSING = re.compile(r"有(?:任何|其他)?(?:问题|疑问|需要)[^，。！,!；;]{0,6}(?:随时|联系|找|问|打在|打到|留言|评论区|公屏)|随时(?:联系|找|问|咨询)")
# A payout that backs a claim about the goods (假一赔十, 坏果包赔): beside the claim, the payout is the promise.
_REMEDY_BACKS = re.compile(r"假一[赔罚]|坏果[^，。！,!；;]{0,2}(?:包赔|必赔|包退)|包赔")
# A refund if the goods disappoint (不好吃包退, 不甜包退) backs a claim about them (包熟包甜, 亲自尝过的): unless the
# claim is a vow of its own (保证都是当天现摘的), the refund is what a buyer can hold the team to.
_REFUND_BACKS = re.compile(r"不(?:好吃|甜|新鲜|满意|好用|合适)[^，。！,!；;]{0,4}(?:包退|退|不要钱)")
_QUALITY_VOW = re.compile(r"保证|确保|承诺|担保")
# A price word with no term of its own (回馈优惠价, 直播间专属价): beside a gift for buying (买半斤送半斤,
# 买1件到手还送了赠品), the gift is the offer.
_PRICE_TERM = re.compile(rf"{NUM}(?:\.\d+)?\s*(?:元|块|米|折|毛)|[¥￥]|\[[^\[\]]*(?:价|金额|price)[^\[\]]*\]|（[^（）]*价[^（）]*）|立减|直降|减\s*{NUM}|券|半价|包邮")
_BUY_GETS = re.compile(r"买[^，。！,!；;]{1,6}送|[拍买][^，。！,!；;]{0,6}(?:还|再|就)送")
# A boast about the goods (全网第一的品质, 销量冠军): a claim, not an assurance.
_BOAST = re.compile(r"第一|首选|冠军|天花板|极品|史无前例|天下无敌")
_PRICE_NAMED = re.compile(r"这个?价|价格|最低|便宜|降|低于|只有")
# A vow with someone behind it and something vowed (我保证…, 我敢保证, 保证是…), not a word in a song.
_VOW = re.compile(r"(?:我|我们|敢|人格|大家|可以)[^，。！,!；;]{0,3}(?:保证|担保|承诺)|(?:保证|担保)(?:是|每|没|绝对|都)")
# Words that promise only where the line talks shop: 还有人在 (someone in the room), 明天补上 (a show made up).
_NEEDS_SHOP = {"送", "有人在", "补上", "补回"}
_NEEDS_SHOP_PART = re.compile(r"^[给帮](?!您)[^，。！,!；;]*(?:推荐|找找|找一找|挑选|挑一挑)")  # 给你们推荐一个好吃的店: a tip
_CANNOT = re.compile(r"(?:不起|不了|不动)")  # 包赔不起, 退不了: a cue its speaker cannot keep
# Shop talk: goods, orders, buying, after-sales. Without it, "找我" / "跟我说" / "敢说" / a bare 送
# is chat with the room (以后你们要跳广场舞你们找我, 送啤酒了), not a promise to buyers.
_SHOP = re.compile(
    rf"拍|下单|链接|橱窗|小黄车|购物车|订单|单号|产品|商品|[货款]|赠品|库存|优惠|价|{NUM}\s*(?:元|块钱)|斤|箱|盒|份|包邮|发货|快递|物流|售后|退|换货|"
    rf"前\s*{NUM}\s*[名位单个份人]|第\s*{NUM}\s*名|每[人位单份个]|一人一|凡是|群|随时|任何|有事|不满意|不适|疑问|反馈|微信|"
    r"(?:还|再|加|多|额外|复购|下单|买[^，。！,!；;]{0,3}|拍[^，。！,!；;]{0,3})送|送您|小样|试用装|分装|"
    r"(?:办|注册|开通|到店|进店|充值|续费)[^。！!；;]{0,8}(?:送|领)|"  # 办千兆送路由器, 注册送7天VIP: a deal for signing up
    r"正品|品质|质量|新鲜|团|接龙|福利|(?:有|任何|质量|产品)[^，。！,!；;]{0,3}问题|需求|坏|破损|漏发|少发|发票|尺码|客服|宝贝们|宝子|姐妹们|家人们|前\s*\d+\s*名|福袋|红包|抽奖|链"
)

_NEGATION = re.compile(r"(?:不|没|未|无法|不能|不可|不会|不支持|不提供|不予|概不|不给|谢绝|恕不|没有|不再|不做|不设)(?:\d+天|[七十三]天)?$")
_PAST = re.compile(r"^(?:了|过了|过)")
# A cue that holds its own future (福袋还有两分钟就要开抢了): its 了 marks what is about to happen.
_FUTURE_IN = re.compile(r"就要|快要|即将|将要|马上就")
# 就可以提货了 / 明天就能到了: a 了 after can / will is a future, not a past.
_FUTURE_BEFORE = re.compile(r"(?:可以|能|会|将|要)[^，。！,!；;]{0,4}$")
_PAST_BEFORE = re.compile(r"(?:已经|已(?!拍|下单|付款|购|买)|昨天|上次|刚才|刚刚)[^，。！,!；;]{0,6}$")  # 扣已拍, 已下单的: the buyers, not a past act
# A clause that tells what is done or gone (已经发完了, 送完了, 秒杀已被抢空) binds nobody.
_DONE_CLAUSE = re.compile(r"^\s*(?:谢谢|感谢|多谢)|(?:谢谢|感谢)[^，。！,!；;]{0,10}(?:红包|礼物|福袋|小心心|火箭|飞机)|^[^，。！,!；;]{0,6}?(?:很多人|好多人|有人|不少人|大家都|刚才有人|刚刚有人|一直有人)(?:在)?问|已经(?!(?:给|帮|为)(?:大家|你们?|您|各位|宝宝们?|家人们)[^，。！,!；;]{0,6}(?:好|上)了).{0,12}了|(?:发|送|卖|抢|领|用)完了|(?:抢|卖|售)(?:空|光|罄)|没(?:有)?了[。！!，,]*$|(?<![能会要就将])(?:到|来)了[。！!，,]*$")

# A line that ends in a colon is a header (赠品清单：, 我们的承诺：), not a promise; a key before a
# value (补偿：…, 20:01 老李：…) is read with its value.
_LABEL_END = re.compile(r"：\s*$")
_TERM_VALUE = re.compile(rf"\s*{_AMT}\s*(?:个)?(?:天|小时|个?工作日)\s*(?:内|之内|以内)")  # 无理由：[7] 天内
# A line that asks the buyer to act (请尽快联系我们, 收货时请检查…有问题及时联系我们) names a channel
# but no act of the team's; with one (…联系我们处理, 我们会…, 随时) the channel is an offer.
_REQUEST = re.compile(r"请(?![问教])")
_TEAM_ACTS = re.compile(r"(?:我|我们)(?:会|将|来|可以|都)|处理|解决|协助|跟进|补|退|换|赔|随时|第一时间|为[您你]|帮[您你]|给[您你]")
_SPOKEN_PRICE_RX = re.compile(_SPOKEN_PRICE)
# An amount the buyer pays said as the deal (今天直播间 49.9, 199 直接拿走, 只要59元).
_AMOUNT_PAID = re.compile(rf"{_SPOKEN_PRICE}|(?:只要|只需要?|仅需|到手价?)\s*(?:{NUM}|\[[^\[\]]{{1,20}}\])|(?:今天|现在|直播间)[^，。！!,]{{0,6}}?\d+(?:\.\d+)?\s*(?:元|块)?(?:[，。！!,\s]|$)")
# A script's slot with words in it (not an amount's [X] or [金额]): [积分/专属价], [福利].
_SLOT = re.compile(r"\[[^\[\]]*[\u4e00-\u9fff]{2}[^\[\]]*\]")
_SLOT_AMOUNT = re.compile(r"^(?:[XxNn\d\-~.%]+|金额|数量|价格|折扣|时间|时长|天数|日期)$")


def _unslot(text: str) -> str:
    """The line with its slots opened ([积分/专属价] → 积分/专属价); examples ([…如…]) and amount
    slots ([X], [金额]) stay as they are."""
    text = _EXAMPLES.sub(lambda m: "＿" * len(m.group(0)), text)
    return re.sub(r"\[([^\[\]]{1,30})\]", lambda m: m.group(0) if _SLOT_AMOUNT.match(m.group(1)) else m.group(1), text)


# Offers said across a comma: 买一箱的钱带走两箱 / 两份的钱，三份的量 (more goods for the money);
# 这些福利呢，等下第一时间给大家安排 (the giveaways named, then who gets them).
_SPANNING = (
    (re.compile(rf"{NUM}\s*{_UNIT}的(?:钱|价格?|价钱)[，,]?[^。！!？?]{{0,10}}?{NUM}\s*{_UNIT}"), "price"),
    # 群友特权价：10元3.3斤 (a named deal price, then its amount: no header; 零售价：10元3斤 names no deal).
    (re.compile(rf"(?:特权|群友|团员|老客|老顾客|回头客|街坊|邻居|员工|内购|新人|粉丝|会员|拼团|团购|秒杀|专属|福利|特惠|到手|宠粉|尝鲜)价[：:]\s*{NUM}(?:\.\d+)?\s*(?:元|块)"), "price"),
    # 不满意可以退回来的，运费我出: a return, then who pays its shipping (a return's term, not a delivery).
    (re.compile(r"(?:退|换(?!新))(?:回|货|换)?[^。！!？?，,]{0,8}[，,][^。！!？?，,]{0,4}运费(?:险)?(?:我|我们|店里|商家|主播)(?:来)?(?:出|包|承担)"), "refund"),
    # A shop's or a group's terms across a full-width colon (运费分摊：免运费, 出货时间：付款后2个工作日) (branch hunt22).
    (re.compile(r"运费(?:分摊)?\s*[：:][^。！!？?]{0,10}(?<!退货)免运"), "delivery"),
    (re.compile(rf"[发出到]货时间\s*[：:][^。！!？?]{{0,10}}?{NUM}\s*(?:[-－—~～到至]\s*{NUM})?\s*个?(?:工作[日天]|天|小时)"), "delivery"),
    (re.compile(r"(?:福利|红包|福袋|赠品|礼物|小样|奖品)[呢啊吧呀]?[，,][^。！!？?]{0,12}?(?:给(?:大家|你们|宝宝们?|家人们|姐妹们)|第一时间|准时)[^。！!，,？?]{0,4}(?:安排|开|发|送|抽)(?:上|出去|出来)?(?=[呢哦啊吧哈～~！!。，,\s]|$)"), "gift"),
)
# ...unless what lies between is past, a wish or a denial (红包呢，昨天已经给大家发过了; 福利呢，我也想给大家发).
_SPAN_BLOCK = re.compile(r"已经|昨天|上次|过|想|可惜|不知道|别的|没|不")
# A script's placeholder that lists examples ([运费说明，如质量问题我们承担]) is not said as such.
_CHOICE = re.compile(r"\[([^\[\]/\d]{1,10})/[^\[\]]{1,30}\]")
_PLACEHOLDERS = re.compile(r"^[\s\[\]（）()＿/、，,。！!～~]*$|^\s*\[[^\[\]]*\][\s。！!～~]*$")
_EXAMPLES = re.compile(r"[\[（(][^\[\]（）()]{0,12}如[^\[\]（）()]*[\]）)]")
_QUESTION_END = re.compile(r"(?:[？?]|[吗嘛么][\s，,。！!…~～]*)$")


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    weight: float


def _clauses(line: str) -> list[tuple[int, str]]:
    """(offset, clause) for clauses that state rather than ask."""
    out = []
    if talk.STORY.search(line) and not talk.NOW.search(line):
        return out  # 小时候…, 当时…: the whole line tells a story
    line = _EXAMPLES.sub(lambda m: "＿" * len(m.group(0)), line)
    found = list(_CLAUSE.finditer(line))
    for i, m in enumerate(found):
        text = m.group(0)
        # A key is read only when its value is a bare placeholder (补偿：[运费补贴/优惠券]).
        rest = line[m.end():]
        header = _LABEL_END.search(text) and not _TERM_VALUE.match(rest) and (
            not rest.strip() or not _PLACEHOLDERS.search(rest) or _PLACEHOLDERS.search(text[:-1].lstrip("•·-✓✅📦🎁💰 ")))
        if _asks(text):
            # A host's rhetorical question answered at once (要不要送你们一个？送！) states what it asked.
            text = affirmed(text, found[i + 1].group(0) if i + 1 < len(found) else "")
        if not text or _DONE_CLAUSE.search(text) or header:
            continue
        text = _CHOICE.sub(lambda c: c.group(1), text)  # a script's choice [今天/明天] reads as its first option
        text = talk.asides_masked(text)  # 保证不让你们白来, 为了确保安全: no vow about the goods
        if talk.STORY.search(text) or talk.LAST_TIME.search(text) and not talk.NOW.search(text) or talk.HEARSAY.search(text):
            continue
        out.append((m.start(), text))
    return out


def _hits(line: str) -> tuple[list[_Hit], bool, bool, bool, bool, bool, bool]:
    """Cue hits of a line plus whether it carries a commitment, an order context (loose and
    strict), a due hint, a condition with a remedy and urgency."""
    hits: list[_Hit] = []
    shop, vow = bool(_SHOP.search(line)) or answers_itself(line), bool(_VOW.search(line))
    request = bool(_REQUEST.search(line)) and not _TEAM_ACTS.search(line)
    commit = order = strict = due = cond = False
    for offset, clause in _clauses(line):
        masked_gift = _gift_text(clause)
        commit = commit or bool(_COMMIT.search(talk.urged_masked(clause))) and not _BOAST.search(clause)  # 绝对是全网第一: a boast's 绝对
        order = order or bool(_ORDER.search(clause))
        strict = strict or bool(_ORDER_STRICT.search(clause))
        due = due or bool(due_hint_of(clause))
        cond = cond or bool(_CONDITION.search(clause))
        for kind, cues in _COMPILED.items():
            if kind == "delivery" and _RESTOCK.search(clause):
                continue  # 今天会到一批货, 到货上架: the shop's stock arriving, not the buyer's parcel
            pickup_duty = kind == "delivery" and bool(_PICKUP_DUTY.search(clause))
            text = masked_gift if kind == "gift" else clause
            taken: list[tuple[int, int]] = []
            for rx, weight, neg_ok in cues:
                for m in rx.finditer(text):
                    a, b = m.span()
                    if any(a < y and x < b for x, y in taken):
                        continue  # inside a cue already counted
                    if not neg_ok and _NEGATION.search(text[:a]) and not _self_negating(m.group(0)) or _CANNOT.match(text[b:]):
                        continue  # 不退, 不包邮; 包赔不起 (cannot)
                    if kind not in ("quality", "price") and not _FUTURE_BEFORE.search(text[:a]) and (
                        _PAST.match(text[b:]) and not _FUTURE_IN.search(m.group(0)) or _PAST_BEFORE.search(text[:a])
                    ):
                        continue  # told as done (送了, 已经发货); a vouched check (亲自挑选过) still holds
                    taken.append((a, b))
                    if kind == "quality" and weight <= WEAK and _BOAST.search(clause):
                        continue  # 绝对是全网第一的品质: a boast
                    if pickup_duty and weight <= WEAK:
                        continue  # 需至自提点提货: the buyer collects, nothing is brought
                    if weight == CHANNEL and request:
                        continue  # 请尽快联系我们: the buyer is asked to act, the team commits to nothing
                    if weight == FALLBACK and talk.GAME.search(clause):
                        continue  # 我保证这局一定赢: a vow about the game, not the goods
                    if not shop and (weight == CHANNEL or m.group(0) in _NEEDS_SHOP or weight == FALLBACK
                                     or _NEEDS_SHOP_PART.search(m.group(0))):
                        continue  # said to the room, not to buyers
                    hits.append(_Hit(kind, offset + a, weight))
    # 平时一直卖 69 的，今天直播间 49.9: a price said across a comma, which no clause holds whole.
    spanning = _SPOKEN_PRICE_RX.search(line)
    if spanning and not any(h.kind == "price" and h.weight >= STRONG for h in hits):
        hits.append(_Hit("price", spanning.start(), STRONG))
    for rx, kind in _SPANNING:
        m = rx.search(line)
        if m and kind == "refund":
            hits = [h for h in hits if h.kind != "delivery" or not m.start() <= h.start < m.end()]  # the return's shipping
        if m and not any(h.kind == kind and h.weight >= STRONG for h in hits) and not talk.HEARSAY.search(line) \
                and not _SPAN_BLOCK.search(m.group(0)):
            hits.append(_Hit(kind, m.start(), STRONG))
    # 抓紧时间, 错过就没有 with no price named (or 先来对比一下价格): a push, not an offer.
    urgent = bool(_URGENCY.search(line)) and not _PRICE_NAMED.search(line) or "对比" in line
    # 今天就这个价, 下单省的钱: a price word with no term named (no amount, discount nor comparison).
    urgent = urgent or not (_CONCRETE_PRICE.search(line) or _COMPARED.search(line))
    if talk.GAME.search(line) and (not shop or talk.BET.search(line)):
        hits = []  # 输了这局我赔你们一首歌: a bet on the game, nothing for buyers
    if talk.INVITE.search(line) and not talk.ANSWER.search(line):
        hits = [h for h in hits if h.kind != "service" or h.weight >= STRONG]  # 有什么问题都可以问我哦: asked to ask
    if talk.TIP_REFUND.search(line):
        hits = []  # 申请礼物退款: a tip refunded by the platform, nothing from the shop
    if talk.STREAM_NOTICE.search(line):
        hits = [h for h in hits if h.kind != "service"]  # 下次开播第一时间通知你: a schedule, no service owed
    if _PRICE_VARIES.search(line):
        hits = [h for h in hits if h.kind != "price"]  # 批发价格不等: no price to honour
    if _LIMIT.search(line):
        hits = [h for h in hits if h.kind != "price" or h.weight > WEAK]  # 券只能领一次: a limit, not an offer
    if _PUSH.search(line) and not _CONCRETE_PRICE.search(line):
        hits = [h for h in hits if h.kind != "price"]  # 秒杀单品数量有限: a push, no price to honour
    return hits, commit, order, strict, due, cond, urgent


def _mask(rx: re.Pattern, text: str) -> str:
    return rx.sub(lambda m: "＿" * len(m.group(0)), text)


def _gift_text(clause: str) -> str:
    """The clause with every 送 that gives buyers nothing masked: delivering (送到), songs,
    gifts to the host or a third person, platform tips, a bare dedication (晴天送给大家)."""
    text = _mask(_NOT_GIVING, _mask(_MONEY_GIVING, _mask(_DELIVERY_SONG, clause)))
    if _DEDICATION.search(text) and not _GOODS.search(text):
        text = text.replace("送", "＿")
    return text


def _self_negating(cue: str) -> bool:
    """Cues that begin with 不 themselves (不满意…退, 不好吃…退) are not negated by it."""
    return cue.startswith("不")


def _score(
    hits: list[_Hit], commit: bool, order: bool, strict: bool, due: bool, cond: bool, urgent: bool = False
) -> dict[str, tuple[float, int]]:
    scores: dict[str, tuple[float, int]] = {}
    for kind in KINDS:
        ks = [h for h in hits if h.kind == kind]
        counted = [
            h for h in ks
            if h.weight > WEAK
            or commit
            or (kind in _REMEDY_KINDS and cond)
            or h.weight != DAMAGE and (
                (kind in _ORDER_KINDS and kind != "delivery" and order and not (kind == "price" and urgent))
                or (kind == "delivery" and (strict or due))
            )
        ]
        if not counted:
            continue
        best = max(h.weight for h in counted)
        scores[kind] = (best + 0.1 * (len(counted) - 1), min(h.start for h in counted))
    # 直接找我 / 私信我 name a channel; next to a refund or a payout, that is what is promised.
    if "service" in scores and scores["service"][0] < STRONG and any(
        k in scores for k in ("refund", "compensation")
    ):
        del scores["service"]
    return scores


# Quoted words inside narration: “不好吃包退”. 
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{4,})[”\"」』]")
# Article prose about the trade (消费者, 店主, 策略 …) describes promises, it makes none.
# 新用户 / 老用户 name an offer's buyers (新用户首单免邮), not prose about users (branch promises18).
_PROSE_WORDS = re.compile(r"消费者|(?<![新老])用户|店主|商家|品牌方|企业|平台|直播主|运营官|社群成员|策略|例如|他们|她们|模式|[：:]\s*(?:在|通过|对|将|从|让)")
# Words a host says to the room (宝宝们, 家人们, 直播间, 今天): a line with them is speech, not prose.
# A shop or a group's organiser speaking of itself in its written terms (本商店将…退款, 主购会…, 结团后…出货) (branch hunt22).
_SPOKEN = re.compile(r"宝宝|宝贝|宝子|家人们|姐妹|小伙伴|直播间|咱们|[你您]|只要\s*\d|(?:我们|我方|本店)(?:将|会)|我们(?:这个|的)?平台|"
                     r"(?:本商店|本公司|本店|本团|本商家|主购|团主|团长)[^，。！,!；;]{0,2}(?:将|会|可|负责)|(?:结团|成团|截团)后")


class _Prose:
    """Article prose about the trade: its words, with nobody in the room spoken to."""

    @staticmethod
    def search(text: str) -> bool:
        return bool(_PROSE_WORDS.search(text)) and not _SPOKEN.search(text)


_PROSE = _Prose()


def _rules_draft(text: str) -> PromiseDraft | None:
    """The rules' reading of one stripped line (no model).

    When the line quotes someone (“…”), the quoted words are judged first; narration
    around them (or article prose without quotes) promises nothing by itself."""
    scores = None
    quoted = "，".join(_QUOTED.findall(text))
    if quoted:
        scores = _score(*_hits(quoted))
    if not scores:
        if _PROSE.search(text):
            return None
        scores = _score(*_hits(text))
    if not scores and _SLOT.search(text):
        # A template that puts the term in its slot (会员权益：[积分/专属价], 享受[福利],
        # [省内1-2天/省外2-3天]送达): read the slot's words as said.
        scores = _score(*_hits(_unslot(text)))
    if not scores:
        return None
    ranked = sorted(scores, key=lambda k: (-scores[k][0], scores[k][1]))
    if ranked[0] == "service" and len(ranked) > 1 and scores[ranked[1]][0] >= STRONG and _CLOSING.search(text):
        ranked[0], ranked[1] = ranked[1], ranked[0]
    if ranked[0] in ("gift", "refund", "service") and "price" in ranked and scores["price"][0] >= STRONG and _AMOUNT_PAID.search(text):
        ranked.remove("price")
        ranked.insert(0, "price")  # 今天直播间49.9，拍下再送一个: the price is the offer, the rest comes with it
    if ranked[0] == "quality" and scores.get("compensation", (0.0, 0))[0] >= STRONG and _REMEDY_BACKS.search(text):
        ranked.remove("compensation")
        ranked.insert(0, "compensation")  # 全场正品，假一赔十: the payout is what a buyer can hold the team to
    if ranked[0] == "quality" and scores.get("refund", (0.0, 0))[0] >= STRONG and _REFUND_BACKS.search(text) \
            and not _QUALITY_VOW.search(text):
        ranked.remove("refund")
        ranked.insert(0, "refund")  # 包熟包甜，不好吃包退: the refund backs the claim
    if ranked[0] == "price" and scores.get("gift", (0.0, 0))[0] >= STRONG and _BUY_GETS.search(text) \
            and not _PRICE_TERM.search(text) and not _AMOUNT_PAID.search(text):
        ranked.remove("gift")
        ranked.insert(0, "gift")  # 回馈优惠价，买半斤送半斤: a nameless price word, the gift is the offer
    kind, first_n = ranked[0], first_n_of(text)
    return PromiseDraft(
        text=text, kind=kind, first_n=first_n, due_hint=due_hint_of(text), min_qty=min_qty_of(text),
        hint=_doubt(text, scores, ranked, first_n),
    )


def rule_view(text: str, draft: PromiseDraft | None) -> _model.RuleView:
    """The rules' reading as features for the model (services.promises.model). A draft read from a
    template's slot ([省内1-2天/省外2-3天]送达) is scored on the slot's words, as it was drafted."""
    read = _hits(text)
    if draft and draft.kind not in _score(*read) and _SLOT.search(text):
        read = _hits(_unslot(text))
    hits, commit, order, strict, due, cond, urgent = read
    flags = [name for name, on in (("commit", commit), ("order", order), ("strict", strict), ("due", due),
                                   ("cond", cond), ("urgent", urgent)) if on]
    if _QUESTION_END.search(text) or _only_asks(text):
        flags.append("question")
    if _PROSE.search(text):
        flags.append("prose")
    score = _score(hits, commit, order, strict, due, cond, urgent).get(draft.kind, (0.0, 0))[0] if draft else 0.0
    best = max(hits, key=lambda h: (h.weight, -h.start)) if hits else None
    return _model.RuleView(draft.kind if draft else "", score, best.kind if best else "", tuple(flags))


def classify_line(line: str, model: _model.Model | None = None) -> PromiseDraft | None:
    """The promise in one line, or None when the line promises nothing.

    The rules read the line and name the kind; the shipped model (services.promises.model, or
    `model` when given) then decides whether it is a promise at all: it drops rule drafts it
    finds unlikely and adds lines the rules let pass that it finds likely (kind from the
    rules' best cue, marked weak). A draft from a strong cue (rule score ≥ STRONG) is dropped only
    below the model's lower keep_strong: the model vetoes it only when sure. A line in traditional
    characters is read in simplified ones (運費 as 运费); the draft keeps the words as written."""
    said = line.strip()
    text = simplified(said)
    if not text or _only_asks(text):
        return None  # a buyer's question or request, answered nowhere in the line
    draft = _read_line(text, model)
    return replace(draft, text=said) if draft is not None and said != text else draft


def _read_line(text: str, model: _model.Model | None) -> PromiseDraft | None:
    """classify_line on a line already in simplified characters."""
    draft = _rules_draft(text)
    model = model or _model.get()
    if model is None:
        return draft
    rv = rule_view(text, draft)
    p = model.probability(_model.features(text, rv))
    if draft is not None and rv.score <= WEAK and _REQUEST.search(text) and not _TEAM_ACTS.search(text):
        return None  # 请耐心等待发货通知: the buyer is asked to wait and only weak cues name anything: nothing owed
    if draft is not None:
        return draft if p >= model.keep_for(rv.score >= STRONG) else None
    if p < model.add:
        return None
    return PromiseDraft(
        text=text, kind=_kind_from_cues(text), first_n=first_n_of(text), due_hint=due_hint_of(text),
        min_qty=min_qty_of(text), hint="线索较弱，请核对这句是否真是承诺",
    )


_FIRST_N_UNIT = re.compile(rf"(?:前|头|首)\s*{NUM}\s*[名位单个份人组户号]|第\s*{NUM}\s*[名位]")


def _doubt(text: str, scores: dict[str, tuple[float, int]], ranked: list[str], first_n: int | None) -> str:
    """Why a reading is unsure (Chinese, for the ⚠ hint), or "" when it is not."""
    reasons = []
    best = scores[ranked[0]][0]
    if best < CHANNEL:
        reasons.append("线索较弱，请核对这句是否真是承诺")
    if len(ranked) > 1 and scores[ranked[1]][0] >= best - 0.2:
        reasons.append(f"也像「{KIND_LABELS[ranked[1]]}」承诺，请核对类型")
    if first_n and not _FIRST_N_UNIT.search(text):
        reasons.append(f"「前{first_n}」后没有名/位/单，请核对人数")
    return "；".join(reasons)


def read_kind(text: str) -> str | None:
    """The kind the words carry: the detector's draft, else the strongest cue; None when no word
    names one (then `guess_kind` can only guess)."""
    draft = classify_line(text)
    return draft.kind if draft else cue_kind(text)


def guess_kind(text: str) -> str:
    """The likeliest kind for words the assistant typed, even when no rule fires (quick log)."""
    return read_kind(text) or _unread_kind(text)


def cue_kind(text: str) -> str | None:
    """The kind of the strongest single cue, even one too weak to promise alone (破几个赔几个 →
    compensation); None when the line carries no cue of any kind."""
    hits, *_ = _hits(text)
    if not hits:
        return None
    return max(hits, key=lambda h: (h.weight, -h.start)).kind


def _kind_from_cues(text: str) -> str:
    return cue_kind(text) or _unread_kind(text)


def _unread_kind(text: str) -> str:
    """The guess for words naming no kind: a first N is most often a gift, anything else a service."""
    return "gift" if first_n_of(text) else "service"


def detect(text: str) -> list[PromiseDraft]:
    """Promises found line by line in a transcript or notes (one draft per promising line)."""
    drafts = []
    for line in text.splitlines():
        draft = classify_line(line)
        if draft is not None:
            drafts.append(draft)
    return drafts
