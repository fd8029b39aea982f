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
from dataclasses import dataclass

from services.cn_numbers import NUM
from services.promises import model as _model
from services.promises.shapes import SHAPES
from services.promises import talk
from services.promises.asking import CLAUSE as _CLAUSE, affirmed, answers_itself, asks as _asks, only_asks as _only_asks
from services.promises.due import _CLOCK, _DAY_WORDS, _PART_WORDS, due_at_from_hint, due_hint_of, first_n_of, min_qty_of

__all__ = [
    "KINDS", "KIND_LABELS", "PromiseDraft", "classify_line", "detect", "due_at_from_hint", "due_hint_of",
    "first_n_of", "guess_kind", "min_qty_of",
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


# ---------------------------------------------------------------- cue lexicons

STRONG, WEAK, CHANNEL, FALLBACK = 2.0, 1.0, 1.5, 0.8
ASSURE = 1.6  # an assurance about the goods (质量有保证): counts alone, loses to a strong cue
DAMAGE = 0.9  # damage named (碎了, 坏了): a remedy only with a condition or a commitment, never from 今天 alone

# Amounts as said or as a script's placeholder: 39, 三十, （直播间价格）, [金额].
_AMT = rf"(?:{NUM}(?:\.\d+)?|（[^（）]{{1,20}}）|\([^()]{{1,20}}\)|\[(?:[^\[\]]{{1,20}}|[A-Za-z_]{{1,40}})\])"

# Words that contain 送 but mean delivering, not giving.
_DELIVERY_SONG = re.compile(r"送[^，。！,!；;]{0,6}岁|送的是|送人|(?<!的)送礼|送给(?![你您大家])|送(?:给)?(?:自己|妈妈|爸爸|爸妈|闺蜜|老公|老婆|对象|男友|女友|男朋友|女朋友|孩子|同事|领导|客户|长辈|朋友|老人|父母|家人(?!们))|馈赠|配送|送货|送装|送到|送达|送至|送上门|送过去|送回|运送|寄送|派送|递送|护送|发送|送去|送出|送来|送家|送菜|传送|送错|送漏|送丢")
# Giving that promises buyers nothing: a song dedicated (一首X送给大家, 晴天送给大家), gifts sent to
# the host or a third person (送我礼物, 给他送个孩子), the platform's tipping gifts (小心心, 火箭).
_NOT_GIVING = re.compile(
    r"(?:一首|首歌|这首|那首|歌|曲)[^，。！,!；;]{0,12}送|赠?送[^，。！,!；;]{0,3}(?:一首|首歌|歌|曲)|"
    r"送(?:我|主播|他|她|它)(?!们)|(?:粉丝|朋友|大哥|别人|人家|他|她|男朋友|女朋友|老公|老婆|我妈|我爸)送的|送(?=运费险)|给(?:我|主播|他|她)(?!们)[^，。！,!；;]{0,3}送|"
    r"(?:小心心|礼物(?!盒)|火箭|飞机|嘉年华|灯牌|抖币|音浪|华子|穿云箭|墨镜|跑车|棒棒糖|人气票|粉丝团)[^，。！,!；;]{0,6}送|"
    r"(?:大自然|大地|上天|老天|自然)[^，。！,!；;]{0,8}(?:礼物|馈赠)|"
    r"(?<!的)送(?!(?:给)?(?:大家|你们|各位|宝宝|宝贝|家人|姐妹|粉丝|新粉|老粉)[^，。！,!；;]{0,6}礼物)[^，。！,!；;]{0,6}(?:小心心|礼物(?!盒)|火箭|飞机|嘉年华|灯牌|抖币|音浪|华子|穿云箭|墨镜|跑车|棒棒糖|人气票|粉丝团)"
)
# A bare "X送给大家" with no goods named before it is a dedication (晴天送给大家, 告白气球送给大家).
_DEDICATION = re.compile(
    r"^[^，。！,!；;]{0,14}?送给(?:大家|你们|你|您)[。！!～~\s]*$"
)
# A price said aloud without its unit: 199 直接拿走, 三袋 29.9 包邮, 平时卖 69 的，今天直播间 49.9.
_SPOKEN_PRICE = (
    r"\d+(?:\.\d+)?\s*(?:就|直接|就能|就可以)?\s*(?:拿走|带走|到手|带回家|包邮|秒杀)|"
    r"(?:平时|日常价?|原价|专柜价?|一直卖)[^。！!]{0,12}?\d+[^。！!]{0,14}?(?:今天|直播间|现在)[^，。！!,]{0,6}?\d+(?:\.\d+)?|"
    # 外面卖五十多，我们这边二十九块九; 现在拍下去就是十九块九一大箱.
    rf"(?:外面|外边|市面上|线下|超市里?|官网)[^，。！!,]{{0,3}}卖[^。！!]{{0,10}}?(?:我们|咱们|我|直播间|今天|现在)[^，。！!,]{{0,6}}?{NUM}\s*(?:块|元)|"
    rf"(?:现在|今天|直播间|拍下?)[^，。！!,]{{0,8}}就是\s*{NUM}(?:\.\d+)?\s*(?:块|元)|"
    r"(?:现在|今天|今晚|直播间)\s*\d+(?:\.\d+)?\s*(?:元|块)?\s*(?=(?:还|再|就)送)"  # 现在199还送耳帽: the price, then the gift
)
# Money: an amount with its unit, or a script's placeholder (节省（节约的钱）米, 省20元).
_MONEY = rf"(?:{NUM}(?:\.\d+)?\s*(?:元|块|米|毛)|X{{1,3}}\s*(?:元|块|米)|（[^（）]{{1,20}}）|\([^()]{{1,20}}\)|\[[^\[\]]{{1,20}}\])"
_GOODS = re.compile(r"礼|券|红包|福袋|赠品|小样|试吃|样品|份|包|盒|袋|瓶|斤|件|张|支|套|箱|罐|颗|个|把|福利|优惠|奖|周边|这[个款些]|产品|商品")
# A unit of goods (箱, 份, 斤 …): 拍一件发两件, 一箱的钱带走两箱.
_UNIT = r"[箱份盒袋件单瓶包斤个罐杯支套]"

_CUES: dict[str, list[tuple]] = {
    "refund": [
        (r"包退|包换|退换无忧|无理由|退钱|(?:可|可以|能|随时)退(?![休出网群役伍场])|全额退|直接退|退给(?:你|您|大家)|给[你您大家]们?(?:退|换(?!个位|位置))|退[你您]|包你退", STRONG),
        (r"(?:找|联系|私信|告诉|跟)我[^，。！,!；;]{0,3}退|可以.{0,4}退|都能.{0,2}退|(?:可|能|随时|直接)[^，。！,!；;]{0,2}申请退|钱[^，。！,!；;]{0,6}退(?!网|坑|圈|粉|出|群)|无条件|不要钱|退还|钱退|退[^，。！,!；;]{0,4}钱|[坏烂破少][一1][个件斤两颗盒箱]?退|不满意.{0,8}退|不好吃.{0,6}退|不新鲜.{0,6}退|不甜.{0,6}退|有问题.{0,6}退|坏了.{0,6}退", STRONG),
        (rf"支持[^，。！,!；;]{{0,4}}(?:退|换|无理由)|(?:可以|能|支持)换[货新]?[。！!～~\s]*$|{NUM}\s*(?:天|个?工作日|小时)\s*(?:内|之内)?\s*(?:退款|到账)", STRONG),
        (r"运费险|(?:质量问题|退货|退换|换货)[^，。！,!；;？?]{0,6}(?:由)?(?:商家|卖家|我们|我方|店铺|本店|店里)(?:来)?承担|(?:可以|能|也可以)换[^，。！,!；;]{0,4}(?:款|码|色|口味|颜色|尺码|的)|发新的|换新的|寄回后[^，。！,!；;]{0,6}发", STRONG),  # README: returns and 运费险 are refund promises
        (r"(?:部分|全额)退款|(?:会|将|马上|立即|尽快)[^，。！,!；;]{0,16}安排(?:全额)?退款|取消(?:订单)?并(?:全额)?退款|免费(?:换|调换|退换)|原路(?:退回|返回)|退回[你您]的|无需承担[^，。！,!；;]{0,2}运费|退货运费", STRONG),
        (r"退款|退货|退换|退回|原路退", WEAK),
        # 退 as the last word of a clause is a refund on offer: 整袋退, 都给你们退.
        (r"给[你您]们?退|退[。！!，,~～\s]*$", STRONG),
        (r"退(?!出|休|群|网|坑|圈|粉|游|后|步|役|烧|化|伍|货率|款流程|货的流程|货流程)", WEAK),
    ],
    "compensation": [
        (r"包赔|[假坏少缺错烂破漏][一1][个件斤两颗盒箱袋瓶]?[赔罚补换]|赔付|赔偿|补发|重发|重新发|补寄|再发一份|照价赔|[双十]倍赔|赔[你您给]|一赔[一二三五十\d]+", STRONG),
        (r"坏果.{0,4}[赔补]|坏[了的].{0,4}[赔补]|[烂坏]果包", STRONG),
        (r"重新.{0,4}[寄发送补]|再给[你您].{0,3}[寄发补]|换新|算(?:我|我们)的|我们来?担|丢件.{0,6}[赔补寄发]|补上|补给[你您]|给[你您大家]补|补[你您]|补一份|补个(?!妆|觉|课|光|刀|票|位)|补回", STRONG),
        (r"补偿|[差少缺]多少[补赔退]多少|必赔|晚到.{0,2}赔|(?:晚|迟|延迟)(?:发|到)[^，。！,!；;]{0,6}(?:赔|补(?:[一二两三四五六七八九十\d]|偿|发|给|贴))", STRONG),
        (r"补给|赔(?!本|钱卖)|补一|承担|兜底", WEAK),
        (r"破损|损坏|碎了|压坏|磕破|磕碰|漏了|坏了|烂了|变质|丢件|丢了", DAMAGE),
    ],
    "gift": [
        (r"赠送|附赠|获赠|加赠|赠品|赠|礼包|伴手礼|见面礼|小礼物|口令红包|买.{1,4}送|附上|附送|随单|随箱|免费领|多一[斤份个包盒袋]", STRONG),
        # Red packets and lucky bags the host hands out (发个红包, 抽红包), not ones named in passing.
        (r"(?:(?<![你他她我])发(?![了过])|抽|送|开|撒|给[你您大家]\S{0,2}发)[^，。！,!；;抢]{0,8}(?:红包|福袋)|红包雨|抽奖|(?:还有|有)[^，。！,!；;]{0,4}红包[^，。！,!；;]{0,3}(?:可以|能)?抢", STRONG),
        (rf"(?:多|额外|再|免费|白|另外|还)给(?:你|您|大家|你们|各位|宝宝|宝贝|家人)?们?[^，。！,!；;]{{0,3}}?(?:{_AMT}\s*[个份斤两包盒袋瓶张本把条罐支件颗只箱]|点)(?![^，。！,!；;]{{0,4}}(?:福利|惊喜)(?!价))", STRONG),
        (rf"满\s*{_AMT}\s*(?:{_UNIT}|元|块)\s*(?:就|再|还)?送", STRONG),  # 满两件送杯子: a threshold, then the gift
        (r"送", STRONG),  # what is left of 送 once the delivery words are masked
        (r"多(?:放|装|塞|送|加)|抽[^，。！,!；;]{0,3}[一两二三四五\d]\s*[个台张份位名]", STRONG),
        # 下单就有红包, 满两件送杯子, 等会儿给大家上个福袋, 福袋五分钟后开.
        (rf"(?:下单|拍下?|关注|扣\S{{0,3}})[^，。！,!；;]{{0,4}}(?:就|都|即|还)?有[^，。！,!；;]{{0,4}}(?:红包|小样|赠品|礼品|礼物|福袋)|"
         rf"(?:上|发|放|开)(?:一)?个(?:福袋|红包)|福袋[^，。！,!；;]{{0,6}}(?:后|马上|准时|一会儿?|等会儿?|稍后)就?开了?", STRONG),
        # 拍一件发两件, 给你们多发一斤, 每人一个小样 (one for each buyer, the goods named).
        (rf"[拍买]\s*{NUM}\s*{_UNIT}\s*[发得送]\s*{NUM}\s*{_UNIT}|给(?:你|您|大家|各位|宝宝|家人)们?\s*多(?:发|放|装|给)\s*{_AMT}\s*{_UNIT}|"
         r"(?:每人|每位|人手)\s*(?:一|\d+)\s*[个份包张支瓶盒袋把套]\s*(?:小样|赠品|礼品|小礼物|红包|优惠券|券|福袋|试用装|试吃装|纸巾|湿巾)", STRONG),
        # A multi-pack deal (拍一发二, 买2发3) and a round of giveaways (抽一波福利, 安排这些福利, 免单名额).
        (rf"[拍买]\s*{NUM}\s*[发得]\s*{NUM}|(?:抽|上|发|送|来|放|撒)(?:一|几)?波[^，。！,!；;]{{0,3}}(?:福利|红包|福袋|免单|抽奖|礼物|奖品)|安排[^，。！,!；;]{{0,4}}(?:福利|福袋|红包|抽奖|赠品|礼物)|免单名额|"
         rf"抽(?:{NUM})?个(?:人|宝宝|宝贝|粉丝|幸运)|来(?:一)?个(?:福袋|红包|抽奖|免单)|(?:马上|准时|一会儿?|稍后|等会儿?|{NUM}分钟后|整点)[^，。！,!；;]{{0,3}}开奖|(?:给|为)(?:大家|你们|宝宝们?|家人们|姐妹们)准备了[^，。！,!；;]{{0,10}}(?:礼品|礼物|赠品|红包|福袋|小样|奖品)|(?:给|为)(?:大家|你们|宝宝们?|家人们|姐妹们)准备了[^，。！,!；;]{{0,6}}{NUM}\s*[份个波][^，。！,!；;]{{0,4}}福利|"
         rf"(?:给|帮)(?:你|您|大家)们?多?(?:加|塞|放)[^，。！,!；;]{{0,2}}{NUM}\s*[包个份袋瓶盒张本把斤条罐支颗]", STRONG),
        # A prize for viewers: 获得我们的直播间大奖, 领取奖品, 免单大奖.
        (r"(?:获得|赢得|领取?|送出|抽)[^，。！,!；;]{0,8}(?:大奖|奖品|免单)|幸运(?:儿|观众|用户|粉丝)", STRONG),
        (r"有机会|获得|(?<!见)得到|拿到|领取|领到|礼品|礼物|周边|试吃装|试用装|小样|(?:给|塞|放|夹|加)[你您大家]?[一两二三]\s*[包个份袋瓶盒张本把斤条罐支]", WEAK),
    ],
    "price": [
        (rf"(?:专属|独家|限定|粉丝|会员|新人|首单|群友|家人|接龙|活动|群|特权|团员|老客|老顾客|回头客|街坊|邻居|内购|员工)价|降了?\s*{NUM}\s*(?:元|块)|又降|降价|按[^，。！,!；;]{0,4}价|批发价|出厂价|进价|专享价|尝鲜价|特价|秒杀价|团购价|团价|到手价|优惠价|福利价|内部价|成本价|半价|宠粉价|直播价|体验价|限时价|拼团价|(?<!被)秒杀|全网最低|最低价|特惠|折上折|亏本|血亏|返场价|破(?:个|一[个波]|一下)价|破价(?:到|给|卖)|赔本卖|亏着卖|让利|(?:现在|目前|今天|正在)有[^，。！,!；;]{{0,2}}(?:活动|促销)", STRONG),
        (rf"(?:{NUM}|\[[^\[\]]{{1,10}}\])\s*折(?!扣)|打折(?!扣)|券\s*{_AMT}\s*元|券[^，。！,!；;]{{0,3}}(?:可以|能)领|立减|直降|减\s*{NUM}\s*(?:元|块|毛)|满\s*{_AMT}\s*减|便宜了?\s*{NUM}|优惠\s*{_AMT}|让\s*{NUM}\s*(?:元|块)|再让|少收|保价|退差价|补差价|价保|价格保护|叠加[^，。！,!；;]{{0,6}}(?:券|优惠)|价格不变|{NUM}\s*元\s*一", STRONG),
        # 只要 / 到手只需要 / 节省 / 立省 an amount: 原价…现在到手只需要（直播间价格）米, 拍一单就可以节约…米.
        (rf"(?:只要|只需要?|仅需|仅要|到手价?|(?:今日|今天|今晚|直播间?)价格?\s*(?:是|就是|只要)?)\s*(?:的话)?\s*{_AMT}|(?:发|放|上)[^，。！,!；;]{{0,4}}(?:优惠)?券|(?:节省|节约|立省|省下?)\s*(?:了)?\s*(?:{_MONEY}|{NUM}\s*多)|(?<!恢复)原价[^。！!]{{0,30}}(?:现在|直播间|到手|只要|只需)|活动价|第二(?:件|份|单|杯|盒|箱|瓶|个)半价|现价|满减|(?:领|送|发)\s*{_AMT}[^，。！,!；;]{{0,4}}券|(?:可|能|可以)领取?的?[^，。！,!；;]{{0,4}}券|无门槛券", STRONG),
        # An amount the buyer pays for the goods: 59元直接带走两条, 49.9元直接发一大箱, 29.9元交个朋友.
        (_SPOKEN_PRICE, STRONG),
        # 领券再减20, 直接砍到59, 折合下来一瓶才9块9, 今天直接¥[sale_price].
        (rf"(?:再|立|直接|又|还|多|自动)减\s*{NUM}|给(?:你|您|大家)们?(?:直接|再)?减\s*{NUM}|(?:再|直接|还能|还可以|可以再)降\s*{_AMT}\s*(?:元|块)|再少\s*{NUM}\s*(?:元|块|毛)|改(?:成|到|为)\s*{NUM}(?:\.\d+)?\s*(?:元|块)?(?![点号天])|砍(?:价)?(?:到|成)\s*{NUM}|(?:破价|降)到\s*{NUM}|(?:折合|算下来|平均|相当于)[^，。！,!；;]{{0,6}}(?:才|只要|只需|不到)\s*{_AMT}|(?:今天|现在|直播间|今晚)[^，。！,!；;]{{0,8}}?[¥￥]\s*{_AMT}", STRONG),
        (rf"\[[^\[\]]{{1,20}}\]\s*(?:元|块)\s*(?:直接)?(?:带走|拿走|拿下|带回家)|{NUM}(?:\.\d+)?\s*(?:元|块钱?|米)\s*(?:就|直接|就能|就可以)?\s*(?:带走|拿走|拿下|到手|带回家|发|包邮|交个朋友|秒|抢)", STRONG),
        # 只卖19.9, 今天19块9给你们, 直播间九十九, 关注的宝宝有专属优惠券.
        (rf"只卖\s*{NUM}|{NUM}(?:\.\d+)?\s*(?:元|块)\s*{NUM}?\s*(?:给|卖)(?:你|您|大家)|直播间(?:价格?)?(?:是|只要)?\s*{NUM}(?:\.\d+)?(?![\d.,零〇一二两俩三四五六七八九十百千万人个位号点度岁分秒多条次])|"
         rf"(?:下单|拍下?|关注)[^，。！,!；;]{{0,6}}(?:就|都|即|还)?有[^，。！,!；;]{{0,4}}(?:优惠券|无门槛券|券)", STRONG),
        # More price shapes: 直接给到大家79, 第二件0元, 加1元多一件, 领取5元优惠券, 24期免息, 立省50.
        (rf"给到(?:大家|你们|各位|宝宝们?|家人们|姐妹们)?\s*{NUM}(?:\.\d+)?\s*(?:元|块)?(?![\d.分秒个天点号岁次遍年月斤])|第二(?:件|份|单|杯|盒|箱|瓶|个)\s*(?:{NUM}\s*(?:元|块|折)|免费)|"
         rf"加\s*{NUM}(?:\.\d+)?\s*(?:元|块)\s*(?:多|再|换|得)|领取?\s*(?:{NUM}(?:\.\d+)?\s*(?:元|块)|\[[^\[\]]{{1,10}}\])[^，。！,!；;]{{0,4}}券|(?:{NUM}\s*期|分期)\s*免息|免息分期|立省\s*{NUM}", STRONG),
        # A deal for the first N (抢福利的名额限量前20位, 前50名…优惠价).
        (rf"名额[^，。！,!；;]{{0,6}}(?:前|头|首)\s*{NUM}\s*[名位个]|(?:前|头|首)\s*{NUM}\s*[名位单个份人][^，。！,!；;]{{0,6}}(?:福利|优惠|特价|秒杀)", STRONG),
        (rf"券|价格|价钱|优惠|折扣|便宜|划算|(?<![跨外本全各])省(?![内外份会市级心事力])|这个价|原价|差价|最低|{NUM}\s*[块元](?:钱)?\s*{NUM}?\s*[一两二三四五六七八九十\d]*\s*[斤个份盒箱袋包]", WEAK),
    ],
    "delivery": [
        (rf"{_AMT}\s*个?\s*(?:天|小时|个?工作日)\s*(?:内|之内|以内)?\s*(?:给[你您]们?|帮[你您]们?|为[你您]们?|就|都|会|安排|全部)?\s*(?:发出|发货|出库|寄出|到达|送达|发完)|(?:付款|下单|拍下)(?:后|之后|以后)[^，。！,!；;]{{0,8}}(?:发出|发货|出库|寄出|寄|发走)|预计[^，。！,!；;]{{0,10}}(?:发出|发货)|(?:马上|立即|立刻|尽快|第一时间|优先)[^，。！,!；;]{{0,6}}(?:安排)?(?:发货|发出|出库|寄出)|"
         # A day (and time) then arriving: 草莓的话，后天下午到 / 明天中午12点之前一定送到.
         rf"(?<![晚迟超慢多])(?:{_DAY_WORDS}|{NUM}\s*天)(?:{_PART_WORDS})?(?:{_CLOCK})?(?:之前|以前|前)?\s*(?:就|能|会|可以|都|准时|统一|一定){{0,2}}\s*(?:到(?!时候|了|底|场|直播间|手\s*(?:价|只|仅|就是|了|{_AMT}))|送到|送达|到货|发货|发出)|"
         # A day or a number of hours, then shipping said plainly: 明天就能发, 72小时之内给你们发走, 现货秒发.
         rf"(?:{_DAY_WORDS}|{NUM}\s*(?:个)?(?:小时|天))[^，。！,!；;]{{0,8}}?(?:发(?:走|完|过去|给[你您大家])|(?<!现)发[。！!～~\s]*$)|现货(?:秒发|速发|直发|闪发)|秒发货?|(?:当天|当日|隔天|次日)(?:就|都|会|能|可以){{1,2}}(?:发|寄出|出库)(?![了过朋圈])|"
         r"(?:(?:尽快|优先|马上|立即|立刻)(?:给|帮|为)[你您]们?|(?:给|帮|为)[你您]们?(?:尽快|优先|马上|立即|立刻))(?:安排)?(?:发|寄)(?![票言表布了过消信])|"
         r"快马加鞭|加急发货?|极速发货|闪电发货|物流时效[：:]|火速发货|全程冷链|冷链(?:运输|配送|发货)|优先发货|发货时间[：:是为]|预计发货|"
         r"次日达|当日达|隔日达|当天达|当天到|次日送达|当天发货?|当日发货?|隔天发|\d+小时发货?|包邮(?!区)|(?:全部|都|统一|默认)(?:走|发)?顺丰|发顺丰|顺丰(?:发货|发出|包邮|直发)|连夜打包|(?:马上|立即|立刻|优先)[^，。！,!；;]{0,2}给(?:你|您|大家)们?[^，。！,!；;]{0,2}打包|优先(?:发|寄)(?![言表布])|运费(?:我们|我|主播|店里)(?:来)?(?:出|承担|包)|送货上门|送到家|送上门|准时送达|按时送达|自提时间|准时发货|按时发货|包配送|统一配送|统一发货", STRONG),
        (r"送到|送达|送货|配送|发货|到货|自提|到家|发出|寄出|取货|提货|(?<![查看踪询])物流(?!信息|单号|更新|状态|进度|轨迹)|快递|冷链|送至|派送|上门|(?:就|能|会|可以)到(?!主播|直播间|这|群|我)|收到(?!货?(?:以后|之后|后|的|了))|(?<![争获录听采吸索夺读选])取(?!消|决|得|代|关)|吃上|到[你您大家]?手|顺丰", WEAK),
    ],
    "quality": [
        (r"(?:保证|确保|(?:(?:我|我们|郑重|向大家|在此|敢)[^，。！,!；;]{0,4})承诺(?!的)|担保|包)[^，。！,!；;]{0,10}(?:新鲜|品质|质量|正品|批次|好吃|好用|放心|甜|安全|有机|现摘|现采|现挖|无农残|原装|足[斤两量]|个大)", STRONG),
        (r"(?:都|全部|每一?[批件个罐盒颗支瓶袋箱])[^，。！,!；;]{0,4}(?:经过|通过)[^，。！,!；;]{0,4}(?:检测|质检|检验|挑选|筛选)|严格检测|"
         r"(?:都|全部|全|绝对|保证|每一?[批件个罐盒颗支瓶袋箱])[^，。！,!；;]{0,3}(?:是|有)[^，。！,!；;]{0,6}(?:新货|新茶|新米|新鲜货|最新(?:日期|批次|的货)|检测报告|质检报告|原装正品)|保质期[^，。！,!；;]{0,4}(?:一年|半年|[\d一二三四五六七八九十]+个月)以上|授权正品|官方正品|正品行货|专人[^，。！,!；;]{0,3}(?:检查|质检|挑选|把关|验货|品控|筛选)|(?:把控|把关)[^，。！,!；;]{0,2}(?:品质|质量)|(?:品质|质量)(?:把控|把关)|足重|足称|"
         r"当[天日](?:现|新鲜)?(?:摘|采摘|采|挖|杀|宰|捕|捞|做|烤)|(?:都|全)是[^，。！,!；;]{0,6}(?:刚|现)(?:摘|采|挖|杀|宰|捞|做|烤)的|现(?:摘|采|挖|杀|宰|做|捞|捕|烤)现(?:发|卖|寄)|"
         r"新鲜日期|日期[^，。！,!；;]{0,3}(?:新鲜|最新)|生产日期[^，。！,!；;]{0,8}(?:不超过|以内|之内)|(?:是|都是)[^，。！,!；;]{0,4}官方旗舰店的?[。！!～~\s]*$|正品保障", STRONG),
        (r"(?:品质|质量|食品安全|安全|正品)[^，。！,!；;]{0,2}(?:有保障|有保证|保证|保障)|(?:品质|质量)[^，。！,!；;]{0,3}(?:你们?|您|大家)?(?:尽管|绝对)?放心|"
         r"(?:都|全部|全|每[件个批])[^，。！,!；;]{0,3}(?:验|检|质检|检查)过货?的|(?:都|全部|全|绝对)[^，。！,!；;]{0,2}是[^，。！,!；;]{0,6}正品(?![吗么嘛])|(?:可以|支持|欢迎|可)(?:当面)?(?:验货|验机)", ASSURE),  # 都是验过货的, 都是正品, 支持验机
        (r"亲自[^，。！,!；;]{0,2}(?:看|尝|试|挑|选|验|检|查|把|盯|监|摘|采|装|包|打|分|过目)|亲自(?:监督|挑选|把关|验货|验收|采摘|打包|检查|盯|品控|分拣|试吃)|最新鲜批次|足斤足两|(?<![请放休度])假一(?!天|周|个月)|坏果率.{0,4}(?:以下|以内|不到|不超过|低于)|亲手[^，。！,!；;]{0,2}(?:挑|选|摘|做|包|装|检)|都不会卖|绝不卖|不会卖给|100%正品|百分百正品|一个坏的都没有|绝不.{0,4}(?:以次充好|缺斤少两|打农药)", STRONG),
        (r"新鲜|品质|质量|正品|批次|监督|把关(?!注)|挑选|品控|检测|验货|安全|个大|好吃|原产地|无添加|农残|农药|激素|添加剂|催熟|现摘|现采|足斤|斤两|"
         r"现杀|现做|现宰|现烤|不隔夜|不过夜|挑出|筛掉|剔除|溯源|质检|照检|抽检|检验|检查|核验|查验|扫码|一等品|特级|精选|(?<!一)个个|颗颗|坏果", WEAK),
        # Bad things a host swears are absent: 绝对没有注水 is a promise, negated on purpose.
        (r"注水|缺斤|短两|以次充好|掺假|冒充|色素|防腐剂|打蜡|染色|抛光|陈货|隔夜|过期|临期", WEAK, True),
        # A bare vow with no other kind in sight is most often about the goods themselves.
        (r"保证|确保|(?:(?:我|我们|郑重|向大家|在此|敢)[^，。！,!；;]{0,4})承诺(?![的：:过])|担保|敢说|打包票|拍胸脯", FALLBACK),
    ],
    "service": [
        (r"打我电话|给我打电话|打电话给我|电话联系我|加我|加微信|喊我|叫我|告诉我|跟我说|直接找我|直接来找我|来找我|找我|问我|私信我|联系我|找我们|联系我们|私信|加我微信|找客服|联系客服|@我|艾特我", CHANNEL),
        (r"会主动|主动(?:联系|回访|询问|私信|打电话|跟进)|(?:我|我们)[^，。！,!；;]{0,10}教(?:你|您|大家|你们)|手把手|教会[你您大家]|专人|有人在|(?:二十四|24)小时.{0,4}(?:在线|有人|客服|服务|响应)|帮[你您大家]们?.{0,3}(?:处理|解决|问|看|核对|核实|选|挑|写|刻|绣|查询|改约|拦截|加急)|(?:我|我们|我方)[^，。！,!；;]{0,4}(?:会|可以|将|可)[^，。！,!；;]{0,4}(?:继续|按流程|全程)?协助(?=[。！!～~\s]*$)|(?:\d+|\[[^\[\]]{1,40}\])\s*(?:个)?(?:小时|分钟|个?工作日)\s*(?:内|之内)\s*(?:响应|回复|答复)|(?:发|录)个?视频[^，。！,!；;]{0,2}教|我来(?:处理|解决|负责)|主动回访|回访|一对一(?!对)|包教会|包安装|送装一体|延保|货到付款|先用后付|随时.{0,3}(?:问|联系|找|咨询)|负责到底|售后.{0,6}(?:负责|保障|无忧|放心|找我|支持)|第一时间.{0,3}(?:处理|回复|响应|解决|通知)|24小时在线|在线答疑|专属客服|跟进到底|安装师傅|(?:免费|上门)安装", STRONG),
        (r"(?:可|能|支持|可以|给[你您]|帮[你您])[^，。！,!；;]{0,4}(?:开票|开发票|发票)|(?:可|能|可以|为[你您]|给[你您])[^，。！,!；;]{0,24}开具(?:\s*\[|[^，。！,!；;]{0,8}(?:发票|票|收据))|工作日内(?:开具|开票)|发票[^，。！,!；;]{0,4}(?:可开|能开|可以开)|(?:精美|免费|礼品|礼盒)包装|帮[你您]?包装|帮[你您大家]们?包(?:成|个)?(?:礼盒|礼品)", STRONG),
        (r"(?:我们|我)[^，。！,!；;]{0,4}(?:会|可以|将)[^，。！,!；;]{0,5}(?:协助|帮您|为您|给您|帮你|为你|尽力|尽快)[^，。！,!；;]{0,4}(?:处理|解决|跟进|查询|解答|推荐|指导|回复|协调)|满意的(?:答复|解决|处理)|一定让[您你]满意", STRONG),
        (r"(?:我|主播)[^，。！,!；;]{0,2}(?:给|帮|为|教)?(?:大家|你们|姐妹们?|宝宝们?|家人们)[^，。！,!；;]{0,4}(?:教|演示|展示)?[^，。！,!；;]{0,3}(?:怎么|如何|[一二三四五两\d]种)|(?:我|主播)[^，。！,!；;]{0,3}(?:演示|展示)[^，。！,!；;]{0,3}(?:怎么|如何|[一二三四五两\d]种)|教[你您][^，。！,!；;]{0,4}(?:技巧|方法|用法|穿法|玩法|怎么)|(?<!确)保修|(?<!品)质保(?!证|障)|维修服务|教程给[你您]|给[你您][^，。！,!；;]{0,3}教程|有(?:任何)?问题[^，。！,!；;]{0,4}随时", STRONG),
        (r"(?:会|将)(?:尽快|立即|马上|第一时间)?(?:为|帮|给)[您你](?:处理|解决|跟进|核实|答复|回复|查询)|(?:我|主播|我们|咱们)[^，。！,!；;]{0,8}(?:一个一个|一个个|一一|挨个|逐个)[^，。！,!；;]{0,4}(?:回答|解答|回复|答|讲清楚|讲明白|说清楚|说明白|讲解)|售后群|客服.{0,8}在线|在线客服|(?:立即|马上|立刻)(?:为您|帮您|给您)?处理|(?:会|将)(?:提醒|通知)[你您]|(?:我们|我|客服|店里|团长)[^，。！,!；;]{0,2}(?:会|将)[^，。！,!；;]{0,10}(?:提醒|通知)(?:各位|大家|买家)", STRONG),
        (r"(?:可|可以|能|将|会|帮[你您])[^，。！,!；;？?不无没]{0,4}(?:变更|更改|修改|改派|更新)(?:为\s*\[|[^，。！,!；;？?]{0,4}地址)|申请改派|"
         r"(?:给|帮)(?:你|您|大家|各位|姐妹|宝贝)[^，。！,!；;]{0,4}(?:找找|找一找|推荐|挑选|挑一挑)(?=[^～~。！!，,\s])", STRONG),
        (r"拉.{0,2}群|群里说|售后|客服|指导|答疑|服务|处理|解决|跟进|回复|教[你您大家]|教程|教学|打电话|问问|反馈|做法|吃法|用法|使用方法|菜谱|群里问|疑问", WEAK),
    ],
}
# (pattern, weight, negation-proof): a cue ignores a 不/没 before it only when marked so. The structural
# offer shapes (services.promises.shapes: beneficiary + giving verb + benefit) count as strong cues, read first.
_COMPILED = {
    kind: [(re.compile(rx), STRONG, False) for rx in SHAPES.get(kind, ())]
    + [(re.compile(c[0]), c[1], c[2] if len(c) > 2 else False) for c in cues] for kind, cues in _CUES.items()
}

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
_PUSH = re.compile(r"(?:开|上|来)(?:一波|个)?秒杀(?!价)|错过|恢复原价|所剩|抓紧|手慢无|不多了|数量有限|库存有限|抢到就是赚到|先付先得|拼手速|抢完为止|仅限|只限|只有在|末班车|(?:就|都)?没有(?:这样|这个)的?(?:价格|优惠)|站外")
_CONCRETE_PRICE = re.compile(
    rf"{_SPOKEN_PRICE}|{NUM}(?:\.\d+)?\s*(?:元|块|米|折|毛)|X{{1,3}}\s*(?:元|块)|[¥￥]\s*\d|\[[^\[\]]+\]|（[^（）]+）|满\s*{NUM}|减\s*{NUM}|买[^，。！,!；;]{{0,3}}送|券|"
    rf"(?:前|头|首)\s*{NUM}\s*[名位单个份人]|只有\s*{NUM}\s*[个份单件]|(?:只要|只需要?|仅需|到手)\s*{NUM}|全[网年]最低|最低价|只有今[晚天]有|(?:福利|活动|直播|专享|专属|秒杀|特)价|半价"
)
# A limit on a deal (优惠券只能领一次, 每人限购两件) names no term by itself.
_LIMIT = re.compile(r"只能(?:领|用|买|拍|抢)[一1两2]?次|限(?:领|购|拍|用)")
# A figure or a comparison (比批发市场还低, 是去年双十一的价格) gives a price word its term.
_COMPARED = re.compile(r"\d|比[^，。！,!；;]{0,10}(?:低|便宜|少|划算)|价格?是[^，。！,!；;]{1,10}的价|同价|一样的价")
# The shop's own stock arriving (今天会到一批货, 到货上架后通知您), not a parcel for the buyer.
_RESTOCK = re.compile(r"到[一几]?批|上架|补货|进货|备货|缺货")
# A closing offer of help (如有问题随时联系我们) beside another promise: the other one is what the line promises.
_CLOSING = re.compile(r"有(?:任何|其他)?(?:问题|疑问|需要)[^，。！,!；;]{0,6}(?:随时|联系|找|问)|随时(?:联系|找|问|咨询)")
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
    r"正品|品质|质量|新鲜|团|接龙|福利|(?:有|任何|质量|产品)[^，。！,!；;]{0,3}问题|需求|坏|破损|漏发|少发|发票|尺码|客服|宝贝们|宝子|姐妹们|家人们|前\s*\d+\s*名|福袋|红包|抽奖|链"
)

_NEGATION = re.compile(r"(?:不|没|未|无法|不能|不可|不会|不支持|不提供|不予|概不|不给|谢绝|恕不|没有|不再|不做)(?:\d+天|[七十三]天)?$")
_PAST = re.compile(r"^(?:了|过了|过)")
# 就可以提货了 / 明天就能到了: a 了 after can / will is a future, not a past.
_FUTURE_BEFORE = re.compile(r"(?:可以|能|会|将|要)[^，。！,!；;]{0,4}$")
_PAST_BEFORE = re.compile(r"(?:已经|已(?!拍|下单|付款|购|买)|昨天|上次|刚才|刚刚)[^，。！,!；;]{0,6}$")  # 扣已拍, 已下单的: the buyers, not a past act
# A clause that tells what is done or gone (已经发完了, 送完了) binds nobody.
_DONE_CLAUSE = re.compile(r"^\s*(?:谢谢|感谢|多谢)|(?:谢谢|感谢)[^，。！,!；;]{0,10}(?:红包|礼物|福袋|小心心|火箭|飞机)|^[^，。！,!；;]{0,6}?(?:很多人|好多人|有人|不少人|大家都|刚才有人|刚刚有人|一直有人)(?:在)?问|已经(?!(?:给|帮|为)(?:大家|你们?|您|各位|宝宝们?|家人们)[^，。！,!；;]{0,6}(?:好|上)了).{0,12}了|(?:发|送|卖|抢|领|用)完了|没(?:有)?了[。！!，,]*$|(?<![能会要就将])(?:到|来)了[。！!，,]*$")

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
                        _PAST.match(text[b:]) or _PAST_BEFORE.search(text[:a])
                    ):
                        continue  # told as done (送了, 已经发货); a vouched check (亲自挑选过) still holds
                    taken.append((a, b))
                    if kind == "quality" and weight <= WEAK and _BOAST.search(clause):
                        continue  # 绝对是全网第一的品质: a boast
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
    text = _mask(_NOT_GIVING, _mask(_DELIVERY_SONG, clause))
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
_PROSE_WORDS = re.compile(r"消费者|用户|店主|商家|品牌方|企业|平台|直播主|运营官|社群成员|策略|例如|他们|她们|模式|[：:]\s*(?:在|通过|对|将|从|让)")
# Words a host says to the room (宝宝们, 家人们, 直播间, 今天): a line with them is speech, not prose.
_SPOKEN = re.compile(r"宝宝|宝贝|宝子|家人们|姐妹|小伙伴|直播间|咱们|[你您]|只要\s*\d|(?:我们|我方|本店)(?:将|会)")


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
    below the model's lower keep_strong: the model vetoes it only when sure."""
    text = line.strip()
    if not text or _only_asks(text):
        return None  # a buyer's question or request, answered nowhere in the line
    draft = _rules_draft(text)
    model = model or _model.get()
    if model is None:
        return draft
    rv = rule_view(text, draft)
    p = model.probability(_model.features(text, rv))
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


def guess_kind(text: str) -> str:
    """The likeliest kind for words the assistant typed, even when no rule fires (quick log)."""
    draft = classify_line(text)
    return draft.kind if draft else _kind_from_cues(text)


def _kind_from_cues(text: str) -> str:
    """The kind of the strongest single cue, even one too weak to promise alone."""
    hits, *_ = _hits(text)
    if hits:
        best = max(hits, key=lambda h: (h.weight, -h.start))
        return best.kind
    return "gift" if first_n_of(text) else "service"


def detect(text: str) -> list[PromiseDraft]:
    """Promises found line by line in a transcript or notes (one draft per promising line)."""
    drafts = []
    for line in text.splitlines():
        draft = classify_line(line)
        if draft is not None:
            drafts.append(draft)
    return drafts
