"""A comment's signature: the normalised key two paraphrases of one question share (pure over the
active lexicon; no database). services.triage.grouping scores two signatures and groups a night.

signature: the sorted set of concepts (真伪, 退, 何时, 发货, 鸡蛋 …, from the lexicon's concept table)
plus the remaining content words (the text cut at stop words: particles, fillers, greetings, forms
of address; counts in words dropped). Typos and near-homophones are fixed first (lexicon.fix_typos),
and a short comment that is nothing but a slip of a concept (诱惑吗, youhuo吗 → 有货) is read as it.
The question's form adds two generic tokens: #是否 for a yes/no question (发货了吗, 甜不甜, 有没有优惠)
and #已然 for "has it been done" on an action concept (发货了吗, 付款了没: lexicon action_concepts).
#是否 only counts against another generic concept (发货了吗 ≠ 什么时候发货; 包邮吗 = 运费多少);
#已然 on one side only is another question (付款了吗 ≠ 怎么付款). Beside an action concept, #方式 (怎么退货)
and #请求 (我要退货) are generic too: how, and a request, are neither whether (能退吗); a choice between
items is #比较 (哪个便宜点 ≠ 能便宜多少).
The concept table (lexicon.json concepts, sources in concepts_doc) names each product on its own
(芒果 ≠ 草莓), and the qualifiers that change a question (冷冻, 速度, 截止, 激素, 到货, 物流信息 …);
single characters are no concept names (鱼哥 is no fish, 贵州 no price), and a plain word holding
one of the older one-character concepts (提前, 号码, 头发: lexicon.json concepts "=") is read whole. Questions to a live host have
concepts of their own (年龄, 老家, 结婚, 下播, 游戏名, 吃什么, 所在 …: 你多大了 = 今年几岁 = 属什么的); a name asked
of another thing named (这首歌叫什么名字) is that thing's, and body measurements beside a size question
(身高170穿什么码) are the asker's data, not another question (_CONTEXT), as is ordering beside a
delivery or stock question (下单后几天到货); asked when, delivering or receiving
is arriving (多久能送到 = 几号收到 = 几号能到), the shipping day (什么时候发货) another question;
beside a refund (退) arriving is the money's (退款几天能到 = 退款多久到账: 到账, not a parcel's 到货).
Slot fillers (lexicon.json slot_fillers: a province, a season, a colour, a size, a game, a day of
the week, a number with its unit) add '@type=value' tokens: two signatures naming different
fillers of one slot never match (四川哪里的 ≠ 重庆哪里的: SLOT_CONFLICT), and a filler on one side
only leaves the words nothing (ONE_SIDED_FILLER). A defect with a remedy asked
(坏果怎么办, 烂了赔不赔) reads as 处理 (_remedy), when it showed is a slot (@阶段: on arrival, 收到坏的, is
not in use, 拍摄中坏了: _phase, lexicon.json defect_phases_doc), and a thing asked to be given (网盘, 群聊) drops its
where / yes-no / link forms (_resource): lexicon.json remedy_doc and resource_doc. Whether an event
still to come will happen asks when (还会再上吗 = 什么时候补货: future_doc); a when-question ending in
的 asks about the past (什么时候开播的: #过去); a delivery asked for a near day asks how fast
(今天能发吗 = 发货速度快吗: soon_doc).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from services.triage import lexicon as lexmod


_BRACKET_EMOJI = re.compile(r"\[[^\[\]\s]{1,4}\]")  # WeChat [玫瑰] [强]
_NON_TEXT = re.compile(r"[^\w?]+", re.UNICODE)  # punctuation, emoji, spaces (keep ?)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL = re.compile(r"[一二两三四五六七八九十百千万]+")  # a count said in words (十个) is no topic


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, WeChat emoticons, emoji, punctuation and spaces dropped."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = _BRACKET_EMOJI.sub(" ", t)
    t = t.replace("？", "?")
    t = _NON_TEXT.sub("", t.replace("_", ""))
    return re.sub(r"\?+", "?", t)



# --- signatures and paraphrase matching ----------------------------------------------------

# a yes/no question: a question particle at the end (发货了吗, 能退不) or A-not-A (甜不甜, 有没有优惠)
_YES_NO = re.compile(r"(?:(?<![什怎那这多])[吗嘛么呗]|[不没]|没有|了没|莫得|没得)$|(.)[不没]\1")
YES_NO = "#是否"  # a generic concept token (lexicon.json generic_concepts), set by the question's form
# has it been done: 了 + a question particle right after an action concept (发货了吗, 付款了没)
_DONE = re.compile(r"了(?:吗|嘛|么|没|没有|没得|莫得)$")
DONE = "#已然"  # on one side only: another question (付款了吗 ≠ 怎么付款, 下单了吗 ≠ 在哪下单)


# how it is done, beside an action concept (怎么退货, 如何取消): not whether it can be (能退吗); 怎么还没 asks why
_HOW = re.compile(r"(?:怎么|怎样|如何|咋)(?!还|没|不|回事|了|样|这么|那么|会|可能|就|又|才)")
HOW = "#方式"
# a request that the shop do it (我要退货, 帮我申请退款): neither whether it can be done nor how
_REQUEST = re.compile(r"(?:请|麻烦)?(?:我要|我想要|帮我|给我)|直接.{0,6}给我|.{1,8}给我$")  # 直接退钱给我
REQUEST = "#请求"
# a request said at its end (申请退款了处理下, 退款申请麻烦处理, 你点下退款吧): the shop is asked to act (branch para17)
_REQUEST_END = re.compile(r"(?:处理|弄|办|操作|点)一?下$|麻烦.{0,4}(?:处理|弄|办)|^你.{1,8}吧$")
# a choice between items (哪个便宜点, 这款跟上一款比哪个好): not a question about one (能便宜多少)
_WHICH = re.compile(r"哪一?[个种款样](?:更|比较|最|好|便宜|划算|实惠)|比.{0,4}哪一?[个种款样]")
# 是…的: a when-question ending in 的 asks about the past (什么时候开播的, 哪天买的)
_PAST = re.compile(r"(?:什么时候|啥时候|几时|哪天|哪年|几点|多久).*的[呀啊呢]?$")
# a greeting or an opener before the question (主播好，这个怎么卖 / 你好，我要退货 / 在吗，包邮吗) says nothing
# about what is asked; 主播好看 / 老板好厉害 are no greeting (branch para16)
_GREETING = re.compile(r"^(?:(?:主播|老板|亲|宝宝|美女|小姐姐|姐姐|姐妹们?|大家)好(?![好看吃听玩用美帅漂可像多久大小甜厉棒喝的])"
                       r"[呀啊鸭哇]?|你好|您好|在吗|在不在|哈喽|嗨|亲[亲们]?)+")
# an address change: the address named beside a change or a slip (地址写错了想换一个, 下单的时候地址选错了,
# 能不能帮我把收货地址换成公司的); 退货地址 is where a return goes, no change (branch para16)
_ADDRESS_CHANGE = re.compile(r"地址.{0,6}(?:错|改|换|填成)|(?:改|换|修改|更改).{0,8}地址")
_PRICE_OFF = re.compile(r"价格?.{0,4}优惠|优惠.{0,2}价")  # 价格可以有优惠吗 / 给个优惠价: not 券后价多少
_HOW_MUCH_OFF = re.compile(r"(?:便宜|优惠|少)(?:多少|几)")
_ADDRESS_SLOTS = frozenset(("#地点", "#修改", "#换", "#选错", "#处理"))
# delivered but not received (显示已签收但我没拿到, 快递员说放门口了但我回家没看到): one complaint, whatever the place
_SIGNED = re.compile(r"签收|放(?:在)?(?:门口|驿站|快递柜|菜鸟|代收点)")
_NOT_GOT = re.compile(r"没(?:人)?(?:收到|拿到|看到|见到|找到)(?:[啊呀呢了]|$)|没有$|找不到|不见了?$")
# the recipient's name or phone to be changed (收件人电话写错了能改吗, 麻烦帮助修改收货人)
_RECIPIENT_CHANGE = re.compile(r"(?:收件人|收货人|电话|手机号).{0,6}(?:错|改|换)|(?:改|修改|更改|换).{0,6}(?:收件人|收货人|电话|手机号)")
# how a refund or return is done in other words (退货怎么弄, 退款咋搞): how, not a remedy for a defect
_SENT_BACK = re.compile(r"寄回|退回去|寄还")
_HOW_DONE = re.compile(r"(?:怎么|咋|如何)(?:弄|搞)")
# the refund's money came or not (退款到账了吗, 退款到了没): its progress
_ARRIVED_YET = re.compile(r"到账了|到了没|到没到|到了吗")
# beside a refund, the money not seen yet (没见到钱, 钱呢, 钱还没到) asks its progress (branch para17)
_MONEY_NOT_SEEN = re.compile(r"(?:没|不)(?:见|看|收)[到着]?钱|钱(?:呢|还没|没到|没有到|在哪)")
_FAKE_CLAIM = re.compile(r"(?:假货|山寨货?|冒牌货?|仿冒|(?<!真的)假的)[吧啊呀了]*$")
_LISTED = re.compile(r"有哪些|有几种|有几个|有什么|都有啥|有啥")
# which options there are, said with a count (有几个颜色可以选, 有几种口味); 还有几个 asks what is left
_CHOICES = re.compile(r"(?<!还)有几[个种款样][\u4e00-\u9fff]")
_COLOUR_CHANGE = re.compile(r"颜色.{0,6}(?:换|改)|(?:换|改).{0,3}颜色")
# the words of a choice between items (和, 跟, 比, 更好, 款, 另一件): what is compared is said by the rest
_COMPARE_WORD = re.compile(r"[和跟与比更好款另个件两]+|#过去|@数量=1件")
_STILL_HAVE = re.compile(r"还有.{1,6}(?:吗|没有|不)$")  # 这款还有黑色吗
# urging (快点发货, 发快点, 尽快给我发货, 加急): a request that it go faster, not a question how fast (发货快吗)
_URGE = re.compile(r"快点|尽快|赶紧|赶快|加急|加快|催")
NAME = "#名字"  # a name asked of something else named in the comment (歌, a product) is that thing's
# concepts that are only the asker's data beside another: body measurements in a size question
# and ordering beside a delivery or stock question (下单后几天到货, 今天下单能当天发货吗, 商品链接有货吗)
_GOODS = ("货", "东西", "商品", "产品", "宝贝", "设备")  # what was bought, named without its name
_CONTEXT = {"#尺码": ("#身高", "#体重", "#重量"), "#发货": ("#购买", "#付款", "订单"), "#到货": ("#购买", "#快递"), "#库存": ("#购买",),
            "#产地": _GOODS,  # 是哪儿的货: the goods asked about are the product itself (这是哪里产的)
            # 多少钱呀想买, 现在下单有什么赠品吗, 购买可包邮吗: wanting to buy is the asker's context (branch para16)
            "#价格": ("#购买",), "#赠品": ("#购买", *_GOODS), "#运费": ("#购买",), "#改地址": ("#购买",),
            # 我的快递到哪了 = 我的订单到哪了 = 我买的商品还没收到 = 物流信息查一下: whose parcel is no other question
            "#物流信息": ("#快递", "#购买", "#配送", "订单", "包裹", "查", *_GOODS),
            # 快递一直不动 = 物流没动 = 单号不更新: a parcel that stopped, not where it is (我的货到哪了)
            "#物流停滞": ("#物流信息", "#快递", "#购买", "#配送", "订单", "包裹", "查", *_GOODS),
            "#退": ("订单", "#适用", "#购买"),  # 我要退订单 = 我要退款; 买了不合适能退吗 = 可以退吗
            "#取消": ("订单", "#购买"),  # 取消这个订单 = 帮我取消一下
            "#便宜": ("#价贵", "#价格"),
            "#去向": ("#到账", "#地点", "#付款", "#价格", "用"),  # 用支付宝付的退款退到哪
            "#真伪": ("#配送", "#检测"),  # 送去的是正品吗, 是不是正品，有没有检测 = 保真吗
            "#具体尺码": ("#购买",)}  # 有没有大码，给妈妈买  # 退款退到哪里 = 退款退回哪个账户: where the money goes  # 太贵了，能不能再便宜一点 / 价格能便宜点吗 = 能便宜点吗
# asked when, delivering or receiving is arriving (多久能送到 = 几天能收到 = 几号能到; the shipping day,
# 什么时候发货, stays its own question as tests/data/paraphrases.tsv keeps ship_when and arrive_days)
_RECEIVES = re.compile(r"收到|送到|送达")


def _tokens(t: str, lex: lexmod.Lexicon) -> list[str]:
    """Concept tokens for the lexicon concepts found in t; the rest is cut at stop words
    (吗, 的, 怎么, 主播 …) into content words. A longest-first alternation does the cutting,
    which for these short lines segments as well as a dictionary segmenter and costs microseconds."""
    out: list[str] = []
    rest: list[str] = []
    pos = 0
    rx = lex.concept_re
    if rx is not None:
        for m in rx.finditer(t):
            canon = lex.concept_of[m.group(0)]
            if canon == "=":
                continue  # a plain word (头发, 提前, 号码): no concept inside it, it stays a content word
            rest.append(t[pos : m.start()])
            if canon != "_":  # "_" lists phrases that carry no meaning (有哪些, 哪个 …)
                out.append("#" + canon)
            pos = m.end()
    rest.append(t[pos:])
    if out and out[-1][1:] in lex.action_concepts and _DONE.fullmatch(t[pos:]):
        out.append(DONE)
    if any(x[1:] in lex.action_concepts for x in out):
        if any(_HOW.search(p) for p in rest):
            out.append(HOW)  # 怎么申请退款 asks how, 支持七天无理由退货吗 whether (a generic concept)
        elif (_REQUEST.match(t) or _REQUEST_END.search(t)) and not _YES_NO.search(t):
            out.append(REQUEST)  # 我要退货 asks the shop to do it
    for piece in rest:
        if not piece:
            continue
        for w in lex.cut(piece):
            if w and not w.isdigit() and not _NUMERAL.fullmatch(w):
                out.append(w)
    return out


_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万]+")


def _cn_int(s: str) -> str:
    """一百二十 -> 120, 两 -> 2, 十五 -> 15 (a count said in words, as digits)."""
    total, cur = 0, 0
    for ch in s:
        if ch in _DIGIT:
            cur = _DIGIT[ch]
        else:
            total += (cur or 1) * _UNIT[ch]
            cur = 0
    return str(total + cur)


def _fillers(t: str, lex: lexmod.Lexicon) -> set[str]:
    """Slot fillers named in t (lexicon.json slot_fillers: a province, a season, a colour, a size,
    a game, a number with its unit): '@type=canonical' tokens; canonical '_' names none (多大码)."""
    out: set[str] = set()
    rx = lex.filler_re
    if rx is not None:
        out.update(lex.filler_of[m.group(0)] for m in rx.finditer(t))
    for prx, kind in lex.slot_res:
        for m in prx.finditer(t):
            value = _CN_NUMBER.sub(lambda n: _cn_int(n.group(0)), m.group(0)).replace("个", "")
            out.add(f"@{kind}={value}")  # 两个小时 = 2小时
    return {x for x in out if not x.endswith("=_")}


def _remedy(toks: set[str], lex: lexmod.Lexicon) -> set[str]:
    """A defect with a remedy asked for (坏果怎么办, 烂了赔不赔, 能不能改尺码) or stated bare (鸡蛋碎了)
    asks what will be done: the remedy and the yes/no form read as 处理 (lexicon.json remedy_doc)."""
    concepts = {x[1:] for x in toks if x.startswith("#")}
    if not concepts & lex.defect_concepts:
        return toks
    remedies = concepts & lex.remedy_concepts - lex.defect_concepts
    if YES_NO in toks and not remedies and not concepts & lex.defect_concepts & lex.remedy_concepts:
        return toks  # 会不会碎: whether it breaks, not what now
    drop = {"#" + c for c in remedies} | {YES_NO}
    return (toks - drop) | {"#处理"}


def _phase(toks: set[str], t: str, lex: lexmod.Lexicon) -> set[str]:
    """Beside a defect, when it showed is a slot (@阶段: lexicon.json defect_phases_doc): found on
    arrival (收到坏的怎么处理) is not come in use (拍摄中坏了怎么办)."""
    rx = lex.phase_re
    if rx is None or not any(x[1:] in lex.defect_concepts for x in toks if x.startswith("#")):
        return toks
    phases = {lex.phase_of[m.group(0)] for m in rx.finditer(t)}
    if _ON_ARRIVAL in phases:
        toks = toks - _ARRIVAL_FORMS  # 拆开一看碎了, 寄过来就是碎的: opening or sending it is the phase (branch para17)
    return toks | phases


_ON_ARRIVAL = "@阶段=到手"
_ARRIVAL_FORMS = frozenset(("#开封", "#发货", "#到货", "过来"))
_RESOURCE_FORMS = frozenset((YES_NO, "#地点", "#购买"))


def _resource(toks: set[str], lex: lexmod.Lexicon) -> set[str]:
    """有网盘吗 = 网盘地址是多少 = 网盘链接发一下: beside a thing asked to be given (lexicon.json
    resource_doc) the where / yes-no / link forms and attribute words (地址, 链接) say nothing more."""
    if not any(x[1:] in lex.resource_concepts for x in toks if x.startswith("#")):
        return toks
    return {x for x in toks if x not in _RESOURCE_FORMS and x not in lex.resource_words}


def _intent(toks: set[str], t: str, lex: lexmod.Lexicon) -> set[str]:
    """What a shop question asks, whatever its words (branch para16): an address change is one question
    (its words and the new place say nothing more: lexicon.json whole_concepts drop the words beside it);
    a discount on the price (价格可以有优惠吗, 能给个优惠价吗) is a lower price asked (便宜), not whether there
    is an offer (有优惠吗); urging a delivery (快点发, 尽快给我发货) is a request about shipping."""
    if _SIGNED.search(t) and _NOT_GOT.search(t):
        toks = {"#签收未到"}  # lexicon.json whole_concepts: the place and the words say nothing more
    if _RECIPIENT_CHANGE.search(t):
        toks = (toks - _ADDRESS_SLOTS - {"#联系"}) | {"#改收件人"}
    if "#去向" in toks:
        toks.add("#退")  # 钱退到哪里: where a refund goes (退到哪 holds the 退)
    if "#退" in toks:
        toks = _refund(toks, t, lex)
    if "#真伪" in toks and _FAKE_CLAIM.search(t) and not _YES_NO.search(t):
        toks = (toks - {"#真伪"}) | {"#假货"}  # 这是假货吧 says it is fake; 是正品吗 asks (complaint_concepts)
    if "#尺码" in toks and _LISTED.search(t):
        toks.add("#列举")  # 有哪些尺码 asks which sizes there are, 帮我推荐尺码 which one fits the asker
    if "#数量" in toks and _CHOICES.search(t):
        toks.discard("#数量")  # 有几个颜色可以选 asks which there are (有哪些颜色), not a count (branch para17)
    if _COLOUR_CHANGE.search(t):
        toks = (toks - {"#换", "#修改"}) | {"#改颜色"}  # 颜色不喜欢想换一个 = 能换颜色吗
    if _STILL_HAVE.search(t) and "#库存" not in toks:
        toks.add("#库存")  # 这款还有黑色吗: still in stock, in that colour
    if "#量大" in toks and "#便宜" in toks:
        toks = (toks - {"#便宜"}) | {"#优惠"}  # 买两件能便宜点吗 = 买多有优惠吗: the offer for buying more
    if _ADDRESS_CHANGE.search(t) and "#退" not in toks:
        toks = (toks - _ADDRESS_SLOTS) | {"#改地址"}
    if "#便宜" in toks and _HOW_MUCH_OFF.search(t):
        toks.add("#数量")  # 能便宜多少 asks how much off, 能便宜点吗 asks for it
    if {"#价格", "#优惠"} <= toks and _PRICE_OFF.search(t):
        toks = (toks - {"#价格", "#优惠"}) | {"#便宜"}
    if "#速度" in toks and "发" in t and _URGE.search(t) and not _YES_NO.search(t) and not toks & {"#到货", "#配送"}:
        toks |= {"#发货", REQUEST}
    if any(x[1:] in lex.whole_concepts for x in toks):
        # the words and other things named say nothing more; how, whether, a request still count
        toks = {x for x in toks if x[0] == "@" or x[1:] in lex.whole_concepts or x[1:] in lex.generic_concepts}
    return toks


def _refund(toks: set[str], t: str, lex: lexmod.Lexicon) -> set[str]:
    """Beside a refund (退): where it is (我的退款到哪了) or whether the money came (退款到账了吗, 钱呢) asks its
    progress (进度); 退货怎么弄 asks how (方式), unless a defect makes it a remedy (坏了怎么弄)."""
    if _SENT_BACK.search(t):
        toks -= {"#发货", "回去", "回"}  # 已经寄回去了什么时候退款: sending it back is the return's step
    money_not_seen = _MONEY_NOT_SEEN.search(t) is not None
    if money_not_seen:
        toks -= {"#价格"}  # 钱呢: the money refunded, no price asked
    if "#物流信息" in toks or ("#到账" in toks and _ARRIVED_YET.search(t)) or money_not_seen:
        toks = (toks - {"#物流信息", "#到账", YES_NO}) | {"#进度"}
    if "#处理" in toks and _HOW_DONE.search(t) and not any(x[1:] in lex.defect_concepts for x in toks):
        toks = (toks - {"#处理"}) | {HOW}
    return toks


@lru_cache(maxsize=50_000)
def _signature_cached(text: str, version: tuple) -> str:
    lex = lexmod.active()
    t = lex.fix_whole(lex.fix_typos(normalise(text)).replace("?", ""))
    t = _GREETING.sub("", t) or t
    toks = _intent(set(_tokens(t, lex)) | _fillers(t, lex), t, lex)
    if "#何时" in toks and _RECEIVES.search(t):
        toks = (toks - {"#配送"}) | {"#到货"}
    if "#退" in toks and "#到货" in toks:
        toks = (toks - {"#到货"}) | {"#到账"}  # 退款几天能到 = 退款多久到账: money arrives, not a parcel
    for asked in [x for x in _CONTEXT if x in toks]:
        toks.difference_update(_CONTEXT[asked])  # 身高170穿什么码: the asker's data, the question is the size
    if "#地点" in toks and "店" in toks:
        toks = (toks - {"店"}) | {"#实体店"}  # 你们店在哪 asks where the shop is: 门店在哪里
    if "#尺码" in toks:
        toks = {x for x in toks if not x.startswith("@数量=")}  # 120斤 / 130斤穿什么码: one question
    if NAME in toks and any(x != NAME and x[1:] not in lex.generic_concepts for x in toks if x.startswith("#")):
        toks.discard(NAME)  # 这首歌叫什么名字 asks the song's name: the song, not the host's name
    if _YES_NO.search(t) and any(x[1:] not in lex.generic_concepts and x[1:] not in lex.address_concepts
                                 for x in toks if x.startswith("#")):
        toks.add(YES_NO)  # 发货了吗 asks whether, 什么时候发货 asks when: not the same question
    if toks & lex.soon_words and any(x[1:] in lex.soon_concepts for x in toks) and "#何时" not in toks:
        toks = (toks - lex.soon_words) | {"#速度"}  # 今天能发吗 asks how fast (soon_doc)
    if _WHICH.search(t):  # 哪个便宜点 asks which, 能便宜多少 how much off; 这款和那款哪个好 = 这两个哪个更好
        toks = {x for x in toks if not _COMPARE_WORD.fullmatch(x)} | {"#比较"}
    if "#何时" in toks and _PAST.search(t):
        toks.add("#过去")  # 什么时候开播的 asks when it began, 几点开播 when it will
    toks = _resource(_remedy(_phase(toks, t, lex), lex), lex)
    if YES_NO in toks and DONE not in toks and any(x[1:] in lex.future_concepts for x in toks):
        toks = (toks - {YES_NO}) | {"#何时"}  # 还会再上吗 asks when it comes back (future_doc)
    toks = sorted(toks)
    return " ".join(toks)[:200] if toks else t[:200]


_ASKS_AT_END = re.compile(r"(?:了没|没有|莫得|没得|[吗嘛么呢呗不没?])$")


def asks(text: str, markers: float, sig: str = "") -> bool:
    """Worded as a question: the classifier's question markers, or a question-shaped ending
    (吃早餐了没, 有男朋友莫得) or a request (包个邮呗) that a comment read as chatter may still have;
    or a defect or a parcel's tracking stated bare (尺码选错了, 没有物流信息: lexicon.json
    remedy_doc), which asks what will be done."""
    if markers >= 1 or _ASKS_AT_END.search(normalise(text)):
        return True
    stated = lexmod.active().complaint_concepts  # defects and a parcel's tracking (没有物流信息)
    # a request that the shop act (直接退钱给我, 已下单，尽快发货: #请求 beside an action) asks too (branch para16)
    return any(t[1:] in stated or t == REQUEST for t in sig.split() if t.startswith("#"))


def signature(text: str) -> str:
    """The normalised key two paraphrases share: sorted concept tokens + content words."""
    return _signature_cached(text, lexmod.active().version)
