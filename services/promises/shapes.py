"""Offer shapes read by their structure, not by a lexicon word (services.promises.rules merges them
into its cue lexicon as strong cues).

A host's offer often names no 赠品 / 包邮 / 到手价 at all: 每一单都给你们配一个冰袋, 拍二号链接的我给你们
升级成礼盒装, 运费我给你们贴了, 这个价格我给你们做到九十九, 我这边尽快给您安排. What makes them offers is
their shape: a beneficiary (给 / 帮 / 为 + 你们, 大家, 您 …), a verb that gives or arranges, and what the buyer
gets (goods with a count, an amount, a rush). The same verbs without the beneficiary or without the benefit
are talk (给你们配一首歌, 我升级了手机, 运费谁出, 安排一下明天的直播), and stay so.
"""
from __future__ import annotations

from services.cn_numbers import NUM

# Who gets it: 给你们, 帮大家, 为您, 给宝宝们 …
BENEFICIARY = r"(?:给|帮|为)(?:你|您|大家|各位|宝宝|宝贝|家人|姐妹|老铁|粉丝)们?"
_STOP = r"[^，。！,!；;？?]"
# The shop's buyers named as a group (为各级别会员, 给老顾客, 为新用户): who a shop's notice gives to.
_MEMBERS = r"(?:给|为)(?:各级别?|每位|每一位|所有|全体|广大)?的?(?:老|新|VIP|高级|付费|普通)?(?:会员|顾客|客户?|用户|团友|团员|买家|新人|客人)们?"
# What is given: a count of goods (配一个冰袋, 留两包), or some of it sent (寄点, 捎些): 带点欢乐, 留些时间
# and 备了一些问题 give nothing.
_GOODS = rf"(?:(?:配|搭配?|带|寄|留|备|塞|捎)(?:了|上|上了)?\s*{NUM}\s*[个份斤两包盒袋瓶张本把条罐支件颗只箱套对双]|(?:寄|捎|塞)(?:点|些|一些))"
# An amount: with its unit, of two digits or more, a spoken tens figure (九十九), or a script's slot; 算一下 is none.
_AMOUNT = rf"(?:{NUM}(?:\.\d+)?\s*(?:元|块|毛)|\d{{2,}}(?:\.\d+)?|[一二两三四五六七八九]?十[一二三四五六七八九]?|\[[^\[\]]{{1,20}}\])"
_UNIT = r"[箱份盒袋件单瓶包斤个罐杯支套]"
_END = r"(?=[。！!～~…\s]*$)"

# An amount said bare as the deal: 现在才89, 5斤装才39.9, 直播 269, 9.9 抢一袋, 一分钱秒杀 (我们才3个人, 直播300场,
# 差一分钱 name no price). A term, so a push beside it (拼手速) keeps it (services.promises.rules._CONCRETE_PRICE).
BARE_PRICES = (
    rf"才\s*{NUM}(?:\.\d+)?\s*(?:元|块|米)?(?=[。！!～~…\s]*(?:$|[，,]))",
    rf"直播(?:间)?(?:价)?\s*\d{{2,}}(?:\.\d+)?(?!\s*[\d.,%个位号点度岁分秒多条次场天年月期集遍回人万千w])",
    rf"{NUM}(?:\.\d+)?\s*(?:元|块)?\s*抢\s*(?:{NUM}|个)?\s*{_UNIT}",
    rf"{NUM}\s*分钱(?:的|就|秒杀|抢|拍|带走|拿走|包邮|到手)",
)

SHAPES: dict[str, list[str]] = {
    # Goods handed to buyers with a giving verb: 给你们配一个冰袋, 回头我买了给你们寄点, 给你们升级成礼盒装.
    "gift": [
        rf"{BENEFICIARY}{_STOP}{{0,3}}?{_GOODS}",
        rf"{BENEFICIARY}{_STOP}{{0,3}}?(?:免费)?升级(?:成|到|为)(?:了)?{_STOP}{{0,6}}(?:礼盒|装|版|款|套餐)",
        # A draw for them: 等会儿我给大家抽个奖 (等会儿我们抽个奖吧 names nobody it is for: no promise).
        rf"{BENEFICIARY}抽(?:个|一个|一次|一轮|一波|几个)奖",
        # More of the goods for an order: 拍一单我给你们发三斤.
        rf"[拍买]\s*{NUM}\s*{_UNIT}{_STOP}{{0,4}}{BENEFICIARY}(?:发|给)\s*{NUM}\s*{_UNIT}",
        # A lucky bag coming, held for them, or about to be drawn: 待会有超级大福袋, 享受粉丝专属福袋, 福袋还有X分钟就要开奖
        # (快去左上角领福袋 urges the room, as 参与一下左上角福袋 does: no offer).
        rf"(?:待会儿?|等会儿?|一会儿?|马上|稍后|等下|等一下){_STOP}{{0,3}}(?:有|上|发|开|送){_STOP}{{0,4}}"
        r"(?:福袋|红包雨|抽奖)",
        rf"(?:享受|享有){_STOP}{{0,6}}福袋|福袋{_STOP}{{0,6}}(?:(?:发|送|抽|装)的是|是{_STOP}{{0,2}}{NUM}|里面?有(?!什么|啥|没有))",
        rf"福袋{_STOP}{{0,10}}(?:开奖|开抢)|(?:还有|再过)\s*(?:{NUM}|X{{1,2}})\s*分钟{_STOP}{{0,4}}(?:开奖|抽奖|开抢)",
        # A round of draws announced (先来抽波奖, 马上抽一波奖; 抽奖规则看置顶 is read by the lexicon's 抽奖).
        r"抽(?:一|几)?波奖(?![励金状杯])",
        # A prize to come and collect (找老王领十块钱的水果), or for the best entry (最感人的送礼物, 最整洁的送福袋).
        rf"(?:找|来|到){_STOP}{{0,6}}领(?:取)?(?:(?!了|给){_STOP}){{0,8}}(?:水果|奖品|礼品|礼物|红包|赠品|小样|福袋)",
        rf"最{_STOP}{{1,5}}的{_STOP}{{0,2}}(?:送|奖励?|获得){_STOP}{{0,6}}(?:礼物|小样|福袋|红包|奖品|赠品|周边|一份|{NUM}次)"
        rf"(?!{_STOP}{{0,2}}(?:选择|首选|佳品))",
        # Gifts the shop provides its buyers (为各级别会员提供精美的礼品, 将为您提供矿泉水和小零食; 我为我妈准备了礼物
        # names no buyer), and a gift one can get (可以连续获得水果礼品; 上个月获得了礼品 is past).
        rf"(?:{BENEFICIARY}|{_MEMBERS}){_STOP}{{0,4}}(?:免费)?(?:提供|准备|赠送|送上|奉上|发放|派发)(?:了)?{_STOP}{{0,8}}"
        r"(?:礼品|礼物|赠品|小礼|奖品|红包|福袋|小样|试吃|零食|饮料|矿泉水|茶水|点心)",
        rf"(?:可以|可|能|就能|就可以|即可|都能|都可以|均可)(?:连续|免费|额外|直接|再)?(?:获得|领取|领到|得到|拿到|获赠){_STOP}{{0,6}}"
        r"(?:礼品|礼物|赠品|奖品|小样|红包|福袋)",
        # Goods free for the asking (免费矿泉水, 免费领小样) and a counted thing to collect (到店报「学姐推荐」领小风扇一个;
        # 我去领了一个快递 is past).
        r"免费(?:提供|送|赠送|领取?|喝|吃|品尝)?(?:矿泉水|饮料|茶水|咖啡|水果|零食|小吃|点心|早餐|礼品|礼物|小样|试吃装|试用装)",
        rf"领(?:取)?(?![了过]){_STOP}{{1,6}}?{NUM}\s*[个份张瓶盒袋包支把件套]",
    ],
        # An amount the host grants: 给你们补贴二十块, 给大家做到九十九; a coupon or discount won for them
    # (给你们申请了一个专属优惠券, 给大家争取到了折扣).
    "price": [
        rf"{BENEFICIARY}{_STOP}{{0,3}}?(?:补贴|贴|做到|让|便宜|优惠)(?:了)?\s*{_AMOUNT}(?![\d.个天点号岁次遍年月斤分秒])",
        r"破(?:个)?价(?:了)?\s*(?:到)?\s*(?:{0})".format(_AMOUNT),
        rf"{BENEFICIARY}(?:申请|争取|要|谈)(?:了|到了?|下来了?)?{_STOP}{{0,6}}(?:券|折扣|优惠|低价|福利价|补贴)",
        # Off at the order, said without a unit: 直播间下单减二十, 拍下立减十.
        rf"(?:下单|拍下?|付款|结账)(?:就|立|直接|再)?减\s*{NUM}(?![\d.个天点号岁次遍年月斤分秒度人])",
        # The price changed for them: 评论区扣想要，主播给你们改价.
        rf"{BENEFICIARY}{_STOP}{{0,2}}(?:改价|改个价|调价)",
        # A discount code sent to them: 我私信发你优惠码.
        rf"(?:发|送|给)(?:你|您|大家)?们?{_STOP}{{0,4}}(?:优惠码|折扣码|券码)",
        # A coupon for an act (关注主播领无门槛专属大额优惠券; 怎么关注主播领券？ asks), and a script's promotion slot said
        # as on now (这款现在[promotion_info], 现在下单[discount_info]; [product_name] names goods, no deal).
        rf"(?:关注|下单|进群|加群|分享|点赞|注册)[^，。！,!；;？?]{{0,6}}领(?:取)?{_STOP}{{0,8}}?(?:优惠券|无门槛券|券)",
        rf"(?:现在|今天|下单|拍下?){_STOP}{{0,4}}\[(?:[a-z_]*(?:promotion|discount|coupon|deal|offer)[a-z_]*|优惠[^\[\]]*|折扣[^\[\]]*|活动[^\[\]]*)\]",
        # A deal on now (现在还有新人优惠, 今天有折扣; 现在有优惠吗 asks, and a question is never read).
        rf"(?:现在|目前|今天|今晚|正在)(?:还|都|也)?有{_STOP}{{0,4}}(?:优惠|折扣)",
        *BARE_PRICES,
    ],
    # A refund's term: 收到后3-5个工作日退到账.
    "refund": [
        rf"{NUM}(?:\s*[-~到至]\s*{NUM})?\s*(?:天|个?工作日|小时)(?:内|之内|以内)?{_STOP}{{0,2}}(?:退到账|退回(?:给)?[你您]|原路退)",
        # A refund the system makes by itself: 无法发货的，系统按支付方式自动退款 (上次自动退款了 is past).
        r"自动(?:全额)?(?:退款|退回|原路(?:退回|返回))",
        # A return whose shipping the shop pays: 不合适可以退回来，运费我出 (a return's term, not a delivery).
        rf"(?:退|换(?!新))(?:回|货|换)?{_STOP}{{0,8}}[，,]?{_STOP}{{0,4}}运费(?:险)?(?:我|我们|店里|商家|主播)(?:来)?(?:出|包|承担)",
    ],
    # A remedy the host owes them: 哪怕有一颗坏的，我都给你们补; 给大家赔 (给大家赔个不是 apologises).
    "compensation": [
        rf"{BENEFICIARY}(?:补(?!贴|个?(?:充|课|妆|觉|习|签|光|刀|票|位|镜头)|[一两几]?句)|赔(?!个?不是|罪|礼|笑)|重发)",
    ],
    # Shipping cost borne or a rush arranged: 运费我给你们贴了, 备注了加急, 我这边尽快给您安排.
    "delivery": [
        rf"运费{_STOP}{{0,4}}(?:我|我们|主播|店里|咱们)?{_STOP}{{0,2}}{BENEFICIARY}?(?:来)?(?:出|包|贴|免|承担)(?:了)?(?![^，。！,!；;]*[吗呢？?])",
        # A faster courier for them (快递给你们升级顺丰), goods in hand by a day (今天拍的明天就能吃上).
        rf"{BENEFICIARY}{_STOP}{{0,2}}升级(?:成|到|为)?{_STOP}{{0,2}}(?:顺丰|京东|冷链|空运|次日达)",
        rf"(?:今天|明天|后天|当天|次日|隔天){_STOP}{{0,3}}(?:就能|就可以|都能)(?:吃上|吃到|用上)",
        rf"备注(?:了|上|上了)?\s*(?:加急|优先发)|(?:尽快|优先|马上|立即|立刻|第一时间){BENEFICIARY}安排{_END}",
        # A quick delivery into their hands: 通过自建物流快速的送到您手上 (快递员很快送到了隔壁 is past, and for nobody).
        rf"(?:快速|尽快|迅速|及时|第一时间|准时)(?:的|地)?{_STOP}{{0,6}}?(?:送到|送达|交到)(?:您|你|大家|各位)们?",
    ],
    # Counter goods and tested goods, vouched: 是专柜最新版的, 都是专柜正品 (我是专柜的柜姐 vouches nothing);
    # the host's pick for them (给你们挑大个的), what they get graded (今天给你们的都是一级果).
    "quality": [
        r"(?:是|都是|全是|全部是)[^，。！,!；;]{0,2}专柜(?:正品|同款|最新|货)",
        # A test report the goods come with: 这个是有质检报告的 (没有质检报告 is negated where it is read).
        r"(?:有|带|附|附带|出具)[^，。！,!；;？?]{0,2}(?:检测|质检|检验|化验)报告(?![吗么嘛呢？?])",
        rf"{BENEFICIARY}(?:挑|选|留|发)(?:了|的)?(?:都是)?(?:最好|最大|最新鲜|大个|个大|好的|新鲜)",
        rf"{BENEFICIARY}的(?:都|全|全部)是{_STOP}{{0,4}}(?:一级|特级|精品|大果|新货|正品|最好的|当天|现摘|新鲜)",
        # All in season (都是时令水果; 这个月的时令水果是杨梅 describes the month).
        r"(?:都|全|全部|全都)是(?:当季|时令|应季|当令)的?(?:水果|蔬菜|鲜果|果子?|菜|货|产品|食材|海鲜)",
        # A swindle sworn off: 不可能出现以次充好的情况, 我们绝不会缺斤少两 (别家店经常以次充好 swears nothing).
        r"(?:绝不|决不|不会|不可能|绝对不|从不|从来不|杜绝|(?<!有)没有)(?:会)?(?:出现|存在|有)?[^，。！,!；;？?]{0,6}?"
        r"(?:以次充好|以假乱真|缺斤少两|短斤少两|掺假|卖假货)",
    ],
    # A service done for them: 免费给你们刻字; a problem the host takes on (有问题我负责).
    "service": [
        rf"(?:免费{BENEFICIARY}|{BENEFICIARY}免费)(?:刻|绣|包装|安装|改|修|贴膜|清洗|调试|定制|设计|打包)",
        rf"有(?:任何|什么)?问题{_STOP}{{0,3}}(?:我|我们|主播|店里)(?:来)?(?:负责|兜底|担着)",
        # A check or a trial done free (免费帮你测网速, 免费给你诊断, 免费上门测速, 免费体验 4K 效果; 免费的东西最贵 offers
        # nothing done; 免费维修 is a remedy), and a check the speaker does for them (评论区留「测速」，我帮你远程诊断; 我帮你测过了
        # is past; 我帮您查一下库存 looks up, as the shop templates label it).
        rf"免费(?:{BENEFICIARY}|给你家|上门)?{_STOP}{{0,2}}?(?:测|检测|诊断|体检|贴膜|清洗|清洁|调试|评估|体验|试用|保养|检查|看看)",
        rf"(?:我|我们|师傅|主播|店里|学姐|姐姐)(?:来|可以|会|都会)?{BENEFICIARY}{_STOP}{{0,3}}?"
        r"(?:诊断|测|出方案|出报告|出个|预约|检查|分析|评估|留名额|留个?位)",
        # Questions answered (我来帮大家解答, 有问题留言，看到都会回复的; 有人帮大家解答过了 is past).
        rf"{BENEFICIARY}(?:解答|答疑|回答)|(?:看到|收到)(?:了)?(?:都会|就会|会|一定)(?:回复|回|解答)",
    ],
}
