"""The scripted demo nights as data: what happens, second by second, on two real-looking nights.

Both come from the seeds (../shared/seeds): 源味集《农场主来了》 (004) and 亲亲宝贝《安心之选》 (001).
A night is a list of beats `(t, thing)` where t is seconds after the scheduled start. The demo
loader (services.demo.writer) replays the beats through the services with historical timestamps; the
simulator (services.simulate) replays them in real time. Nothing here touches the database.

Everything is deterministic: names, comments and chain lines come from a seeded random.Random,
so every load builds the same night (only the date moves with today).
"""
from __future__ import annotations

import math
import random
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

# ---------------------------------------------------------------- the things that happen


@dataclass(frozen=True)
class DealPlan:
    key: str
    product: str
    selling_points: str
    spec_options: str
    group_price: Decimal
    original_price: Decimal | None
    threshold: int
    threshold_unit: str
    stock: int | None
    per_person_limit: int | None
    perk_first_n: int | None
    perk_text: str
    delivery_text: str
    deadline_min: int  # minutes after the scheduled start
    release_s: int  # seconds after the scheduled start
    main: bool = False


@dataclass(frozen=True)
class Start:
    pass


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Viewers:
    online: int
    cumulative: int


@dataclass(frozen=True)
class Said:
    """One comment typed by a viewer."""

    author: str
    text: str


@dataclass(frozen=True)
class Release:
    deal: str


@dataclass(frozen=True)
class Line:
    """A member adds one numbered line to a deal's chain in the group."""

    deal: str
    seq: int
    name: str
    qty: int
    spec: str = ""
    address: str = ""
    note: str = ""


@dataclass(frozen=True)
class Paste:
    """The assistant copies the chain as it stands and pastes it into the console."""

    deal: str


@dataclass(frozen=True)
class Cancel:
    """The member of line `seq` withdraws it (the assistant cancels the entry)."""

    deal: str
    seq: int


@dataclass(frozen=True)
class Promise:
    """Words the host says on air that the team must honour."""

    text: str
    kind: str
    deal: str | None = None
    scope: str | None = None
    first_n: int | None = None
    due_min: int | None = None  # minutes after the scheduled start, when it has a due time
    key: str = ""  # names the promise for follow-up beats (Tick, Settle)


@dataclass(frozen=True)
class Queue:
    """A question-queue action on the group holding the comment `text` (said earlier)."""

    action: str  # to_host / answer / dismiss
    text: str
    answer: str = ""


@dataclass(frozen=True)
class Sweep:
    """The assistant works down the question queue: of the first `n` new groups (in queue order),
    those of a category in `answers` get that answer, those in `to_host` go to the host."""

    n: int
    answers: tuple[tuple[str, str], ...]
    to_host: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tick:
    """Follow-up: the fulfilment items of promise `promise` for chain lines first..last are done."""

    promise: str
    first: int
    last: int


@dataclass(frozen=True)
class Settle:
    """Follow-up: the team marks promise `promise` kept (or broken / waived)."""

    promise: str
    status: str = "kept"


@dataclass(frozen=True)
class VanRun:
    """Follow-up: the van delivers the buildings in the share [first, last) of the show's buildings
    (in packing order; pickup points are collected at the counter), through the pickup service's
    delivery run, the driver handing out the perks owed (services.pickup.deliver_share)."""

    label: str
    first: float
    last: float


@dataclass(frozen=True)
class ShopPickups:
    """Follow-up: from this time the neighbours who chose a pickup point come to the counter, one
    every `every_s` seconds, and take their orders and perks (services.pickup.counter_morning);
    `never_came` of them (whose orders carry no delivery promise) have not come by the time the
    demo is opened."""

    every_s: int
    never_came: int


Thing = (Start | End | Viewers | Said | Release | Line | Paste | Cancel | Promise | Queue | Sweep | Tick | Settle
         | VanRun | ShopPickups)


@dataclass(frozen=True)
class Night:
    key: str
    title: str
    community: str
    member_count: int
    host: str
    days_ago: int  # the scheduled start is at start_hour, this many days before today
    start_hour: int
    duration_min: int
    deals: tuple[DealPlan, ...]
    beats: tuple[tuple[int, Thing], ...]  # sorted by t (seconds after the scheduled start)
    expected: dict = field(default_factory=dict)  # the numbers the night must produce
    # What the team does in the days after (items ticked, promises settled), sorted by t: played by
    # the loader only up to the moment the demo is opened (services.demo.writer.load_night), never
    # by the simulator, which plays the night itself.
    follow_ups: tuple[tuple[int, Thing], ...] = ()

    def deal(self, key: str) -> DealPlan:
        return next(d for d in self.deals if d.key == key)

    @property
    def main_deal(self) -> DealPlan:
        return next(d for d in self.deals if d.main)

    @property
    def last_t(self) -> int:
        return self.beats[-1][0] if self.beats else 0


# ---------------------------------------------------------------- names of the community

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
_GIVEN_1 = "芳娜敏静丽艳娟霞玲婷雪琳倩颖慧佳欣悦晶红燕梅萍蕾洁丹杰伟强磊军勇涛明超刚平辉鹏华飞斌宇浩凯健俊波晨阳亮"
_GIVEN_2 = (
    "秀英", "桂英", "秀兰", "玉兰", "建华", "建国", "志强", "海燕", "丽娟", "晓红", "晓燕", "雅琴", "思琪",
    "梓涵", "子轩", "欣怡", "文静", "春梅", "冬梅", "红霞", "玉珍", "淑华", "国庆", "卫东", "海涛", "晓明",
    "雨婷", "佳怡", "丽华", "美玲", "宏伟", "振华", "家豪", "一鸣", "若曦", "诗涵",
)
_KIDS = (
    "果果", "豆豆", "乐乐", "妞妞", "糖糖", "朵朵", "小雨", "嘟嘟", "贝贝", "安安", "多多", "甜甜",
    "橙子", "米粒", "球球", "可可", "皮皮", "天天", "悠悠", "晨晨", "小宝", "航航", "欢欢", "圆圆",
)
_KID_SUFFIX = ("妈", "妈妈", "妈咪", "爸", "爸爸", "奶奶", "外婆")
_KIN = ("姐", "阿姨", "哥", "叔", "大姐", "奶奶")
_NICKS = (
    "静静", "小鱼儿", "向日葵", "阳光", "晴天", "平安是福", "知足常乐", "一叶知秋", "兰兰", "花开富贵",
    "云淡风轻", "慢生活", "岁月静好", "小太阳", "柠檬不萌", "芒果布丁", "老树", "蓝天白云", "风铃",
    "好好生活", "吃货小王", "木子", "微笑", "清风", "小满", "麦田", "橘子汽水", "阿花", "阿珍", "海棠",
)
_ENGLISH = ("Amy", "Coco", "Lily", "Cindy", "Jenny", "Kevin", "Tina", "Vivian", "Grace", "Sunny", "Emma", "Leo")


def community_names(rng: random.Random, n: int) -> list[str]:
    """n distinct, realistic WeChat group nicknames (no digits, no spaces)."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        r = rng.random()
        s = rng.choice(_SURNAMES)
        if r < 0.42:
            name = s + (rng.choice(_GIVEN_1) if rng.random() < 0.55 else rng.choice(_GIVEN_2))
        elif r < 0.58:
            name = ("老" + s) if rng.random() < 0.25 else s + rng.choice(_KIN)
        elif r < 0.76:
            name = rng.choice(_KIDS) + rng.choice(_KID_SUFFIX)
        elif r < 0.90:
            name = rng.choice(_NICKS)
            if name in seen:
                name += rng.choice(("呀", "~", "🌸", "🍀", "☀️"))
        else:
            name = rng.choice(_ENGLISH)
            if name in seen:
                name += rng.choice(("_" + s, "🌷", "酱"))
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append(name)
    return out


def _spread(rng: random.Random, start: int, end: int, n: int, power: float = 1.0) -> list[int]:
    """n increasing distinct seconds in [start, end]; power > 1 packs them towards start."""
    if n <= 0:
        return []
    ts = []
    last = start - 1
    for i in range(n):
        x = (i + rng.uniform(0.1, 0.9)) / n
        t = start + int((end - start) * x**power)
        t = max(t, last + 1)
        ts.append(t)
        last = t
    return ts


def _qty(rng: random.Random, weights: tuple[tuple[int, float], ...]) -> int:
    return rng.choices([q for q, _ in weights], [w for _, w in weights])[0]


_NOTES_GREENS = ("自提", "放门口就行", "晚上7点后在家", "中午有人", "送到物业", "麻烦挑嫩一点的", "谢谢老李")
_NOTES_FARM = ("自提", "放门口就行", "晚上7点后在家", "中午有人", "送到物业", "谢谢老李")
_NOTES_FORMULA = ("要最新批次", "宝宝一岁半了", "周末在家", "放快递柜", "送到物业", "谢谢林总")


# Where each buyer of a night lives (per generator): a neighbour ordering twice, or in two deals,
# writes the same home, so she is one person to 下单人数 and the members (live22: a line is its
# name and building). The draws stay the same, so the rest of the night is unchanged.
_HOMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _building(rng: random.Random, notes: tuple[str, ...] = _NOTES_FARM, pickup: str = "东门自提",
              name: str = "") -> tuple[str, str]:
    """(address, note) of a household in 阳光花园-like estates; `name`'s first address when she wrote one before."""
    b = rng.randint(1, 18)
    r = rng.random()
    if r < 0.55:
        address = f"{b}栋"
    elif r < 0.8:
        address = f"{b}栋{rng.randint(1, 3)}单元"
    elif r < 0.9:
        address = f"{b}-{rng.randint(1, 3)}-{rng.randint(1, 26)}0{rng.randint(1, 4)}"
    else:
        address = pickup or f"{b}栋"
    note = ""
    if rng.random() < 0.14:
        note = rng.choice(notes)
    if name:
        address = _HOMES.setdefault(rng, {}).setdefault(name, address)
    return address, note


# ---------------------------------------------------------------- comments

# (category tag, texts): paraphrases and typos on purpose, as viewers type them.
_YWJ_TEXT = {
    "auth": (
        "有机认证是真的吗", "有机认证是真的吗？", "有机认证是真的嘛", "有机认正是真的吗", "有机证书能给看看吗",
        "真的是有机的吗？？", "有机认证号多少 我去查查", "有认证吗", "怎么证明是有机的", "是真有机还是假有机",
        "农残检测是第三方做的吗", "检测仪准不准啊", "会不会偷偷打农药", "有检测报告吗", "有机证书在哪看",
    ),
    "price": (
        "价格为什么这么贵", "为啥比菜市场贵这么多", "这么贵啊", "价格为什么那么贵？", "价各能便宜点吗",
        "尝鲜价多少钱", "8折是怎么算的", "前50名8折是真的吗", "多少钱一斤", "买两份有优惠不", "比超市贵好多",
        "有机的就是贵吧", "能不能再便宜点", "怎么这么贵呀",
    ),
    "delivery": (
        "什么时候到", "什么时候到？", "啥时候能到", "什么时侯送到", "明天能到吗", "能自提吗", "能自提吗？",
        "可以自提不", "在哪自提", "送货上门吗", "能送到楼下吗", "几点能到 上班不在家", "中午前能到吗",
    ),
    "after": (
        "不好吃能退吗", "不好吃能退吗？", "坏了包赔吗", "菜烂了怎么办", "不新鲜可以退不", "能退吗",
        "售后找谁", "收到蔫了怎么办", "不满意可以退吗",
    ),
    "product": (
        "上海青一份多重", "一份多少斤？", "是今天摘的吗", "能放几天", "叶子有虫眼吗", "怎么做好吃",
        "上海青和小白菜有啥区别", "一份几颗", "要洗几遍吗", "冰箱能放几天",
    ),
    "eggs": (
        "鸡蛋是散养的吗", "土鸡蛋是散养的吗？", "鸡蛋多大个", "鸡蛋是哪天下的", "鸡蛋会不会破", "30枚一盒吗",
        "鸡吃什么长大的",
    ),
    "box": ("家庭箱里有什么菜", "家庭箱有几种菜", "家庭箱大箱多少斤", "家庭箱能自己选菜吗"),
    "order": (
        "在哪接龙", "在哪接龙？", "接龙在哪里", "怎么下单", "接龙链接发一下", "怎么报名", "群里接龙吗",
        "接龙了吗？", "还能接龙吗", "我接上了没", "在哪里接龙啊", "接龙发了吗",
    ),
    "other": (
        "老李今年多大了", "大棚在哪里", "下次直播是什么时候", "能去农场参观吗", "有回放吗", "声音有点小",
        "老李能加个微信吗", "画面卡了", "大棚里热不热",
    ),
    "chatter": (
        "来了", "来啦", "来了来了", "打卡", "666", "666666", "好看", "老李好", "支持老李", "👍👍",
        "🌹🌹🌹", "菜好绿啊", "哇", "好新鲜", "晚上好", "🥬🥬", "老李辛苦了", "收到", "哈哈哈",
        "赞", "支持", "冲冲冲", "想吃了", "绿油油的", "真不错", "👏👏👏", "好棒", "老李实在", "看着就好吃",
        "涨知识了", "第一次看",
    ),
    "done": ("已下单", "已接龙", "接上了", "已接", "抢到了", "接了接了", "下单了", "已接龙👍", "接上啦"),
}

# Phases of the 源味集 hour: (first minute, last minute, comments per minute, weights by tag).
_YWJ_PHASES = (
    (0, 4, (9, 13), {"chatter": 85, "other": 10, "auth": 5}),
    (5, 14, (5, 8), {"chatter": 45, "auth": 22, "product": 20, "other": 8, "price": 5}),
    (15, 24, (5, 8), {"chatter": 42, "auth": 28, "price": 15, "product": 12, "other": 3}),
    (25, 34, (5, 8), {"chatter": 45, "price": 32, "auth": 10, "product": 8, "other": 5}),
    (35, 44, (5, 9), {"chatter": 34, "done": 6, "eggs": 15, "delivery": 20, "order": 12, "price": 8, "other": 5}),
    (45, 54, (6, 9), {"chatter": 36, "done": 6, "delivery": 18, "after": 13, "order": 17, "box": 5, "product": 5}),
    (55, 59, (9, 12), {"chatter": 30, "done": 32, "order": 25, "delivery": 8, "box": 5}),
)


def _comments(
    rng: random.Random,
    phases: tuple,
    texts: dict[str, tuple[str, ...]],
    authors: list[str],
    scripted: list[tuple[int, str, str]],
) -> list[tuple[int, Thing]]:
    """Comments minute by minute, plus the scripted ones (t, author, text) at their moments."""
    out: list[tuple[int, Thing]] = []
    regulars = authors[: max(10, len(authors) // 4)]  # a few people talk a lot
    taken = {t for t, _, _ in scripted}
    for first, last, (lo, hi), weights in phases:
        tags, ws = list(weights), list(weights.values())
        for m in range(first, last + 1):
            n = rng.randint(lo, hi)
            for sec in sorted(rng.sample(range(60), n)):
                t = m * 60 + sec
                if t in taken:
                    continue
                tag = rng.choices(tags, ws)[0]
                author = rng.choice(regulars) if rng.random() < 0.35 else rng.choice(authors)
                out.append((t, Said(author, rng.choice(texts[tag]))))
    out.extend((t, Said(a, x)) for t, a, x in scripted)
    return out


# ---------------------------------------------------------------- viewers


def _viewer_curve(
    rng: random.Random, minutes: int, start: int, total: int, full_at: int, leave_rate: float, end_leave: float,
    every: int = 2,
) -> list[tuple[int, Thing]]:
    """One sample every `every` minutes (as the assistant reads them off the live dashboard).

    Cumulative rises from `start` to exactly `total` at minute `full_at`; online is cumulative
    minus those who left (a few early, many in the last minutes, gone to the group to 接龙)."""
    out: list[tuple[int, Thing]] = []
    k = 9.0
    norm = 1 - math.exp(-full_at / k)
    for m in range(0, minutes + 1, every):
        if m >= full_at:
            cum = total
        else:
            cum = start + round((total - start) * (1 - math.exp(-m / k)) / norm)
            cum = min(cum, total - 1)
        left = round(2 + leave_rate * m + max(0, m - (minutes - 8)) * end_leave + rng.uniform(-2, 2))
        online = cum if m == 0 else max(0, cum - max(0, left))
        out.append((m * 60, Viewers(online, cum)))
    return out


# ---------------------------------------------------------------- chains


def _chain(
    rng: random.Random,
    deal: str,
    buyers: list[str],
    times: list[int],
    qty_weights: tuple[tuple[int, float], ...],
    specs: tuple[str, ...] = ("",),
    first_seq: int = 1,
) -> list[Line]:
    lines = []
    for i, name in enumerate(buyers[: len(times)]):
        address, note = _building(rng, name=name)
        spec = rng.choice(specs)
        lines.append(Line(deal, first_seq + i, name, _qty(rng, qty_weights), spec, address, note))
    return lines


def _pastes(
    deal: str, timed_lines: list[tuple[int, Line]], must_end_at: set[int], window: int = 40,
    calm_after: int | None = None, calm_window: int = 180,
) -> list[tuple[int, Thing]]:
    """Paste beats: the assistant pastes the chain every ~`window` s while lines arrive (every
    ~`calm_window` s after `calm_after`), and exactly at each time in `must_end_at` (so a
    milestone lands on its line's own second)."""
    out: list[tuple[int, Thing]] = []
    burst_start: int | None = None
    for i, (t, _line) in enumerate(timed_lines):
        if burst_start is None:
            burst_start = t
        w = calm_window if calm_after is not None and burst_start >= calm_after else window
        nxt = timed_lines[i + 1][0] if i + 1 < len(timed_lines) else None
        if t in must_end_at or nxt is None or nxt - burst_start > w or (nxt in must_end_at):
            out.append((t, Paste(deal)))
            burst_start = None
    return out


def _timed(lines: list[Line], times: list[int]) -> list[tuple[int, Thing]]:
    return list(zip(times, lines))


# ---------------------------------------------------------------- 源味集《农场主来了》


@lru_cache(maxsize=1)
def yuanweiji() -> Night:
    """源味集《农场主来了》: 老李 in his greenhouse, 20:00-21:00; 300 members, 270 watch, 210 buy."""
    rng = random.Random(20260206)
    members = community_names(rng, 300)
    watchers = members[:270]
    buyers = list(watchers)
    rng.shuffle(buyers)
    buyers = buyers[:210]
    kocs, main_only_pool, extra = buyers[:10], buyers[10:170], buyers[170:]

    deals = (
        DealPlan(
            key="greens",
            product="有机上海青 尝鲜价",
            selling_points="老李大棚现摘，三年转换期认证有机\n现场农残检测“未检出”\n叶嫩梗脆，清炒白灼都好吃",
            spec_options="500g/份",
            group_price=Decimal("16.80"),
            original_price=Decimal("25.80"),
            threshold=50,
            threshold_unit="units",
            stock=300,
            per_person_limit=5,
            perk_first_n=50,
            perk_text="前50名8折 + 老李亲笔签名《有机生活手札》",
            delivery_text="次日清晨采摘，冷链专车直发，中午前送达阳光花园（可东门驿站自提）",
            deadline_min=120,
            release_s=55 * 60,
            main=True,
        ),
        DealPlan(
            key="eggs",
            product="散养土鸡蛋 30枚",
            selling_points="农场林下散养，吃玉米和青草长大\n蛋黄橙红，现捡现发",
            spec_options="30枚/盒",
            group_price=Decimal("39.90"),
            original_price=Decimal("49.90"),
            threshold=30,
            threshold_unit="units",
            stock=120,
            per_person_limit=3,
            perk_first_n=None,
            perk_text="",
            delivery_text="与蔬菜同车，次日中午前送达；磕破包赔",
            deadline_min=120,
            release_s=40 * 60,
        ),
        DealPlan(
            key="box",
            product="有机蔬菜家庭箱",
            selling_points="当季有机蔬菜5-6种，按当天采摘搭配，够三口之家吃三四天",
            spec_options="小箱约5斤,大箱约8斤",
            group_price=Decimal("69.00"),
            original_price=Decimal("88.00"),
            threshold=20,
            threshold_unit="units",
            stock=60,
            per_person_limit=2,
            perk_first_n=None,
            perk_text="",
            delivery_text="次日中午前送达，可东门驿站自提",
            deadline_min=120,
            release_s=58 * 60,
        ),
    )
    beats: list[tuple[int, Thing]] = [(0, Start())]

    # Viewers: 40 waiting at 20:00, 270 by 20:52; online peaks around 20:40, falls as people go 接龙.
    beats += _viewer_curve(rng, 60, start=40, total=270, full_at=52, leave_rate=1.0, end_leave=6.0)

    # Comments: filler by phase + the questions the queue acts on, at fixed moments.
    commenters = list(watchers)
    rng.shuffle(commenters)
    commenters = commenters[:150]
    scripted = [
        (1 * 60 + 20, commenters[3], "声音有点小"),
        (6 * 60 + 12, commenters[0], "有机认证是真的吗？"),
        (6 * 60 + 40, commenters[7], "有机认证真的假的"),
        (7 * 60 + 5, commenters[11], "有机认证是真的吗"),
        (8 * 60 + 45, commenters[1], "上海青一份多重？"),
        (13 * 60 + 8, commenters[9], "老李能加个微信吗"),
        (21 * 60 + 40, commenters[2], "价格为什么这么贵？"),
        (22 * 60 + 3, commenters[14], "为什么比菜市场贵这么多"),
        (26 * 60 + 30, commenters[15], "下次直播是什么时候"),
        (33 * 60 + 10, commenters[4], "鸡蛋是散养的吗？"),
        (41 * 60 + 5, commenters[5], "什么时候到？"),
        (43 * 60 + 30, commenters[6], "能自提吗？"),
        (46 * 60 + 10, commenters[8], "在哪接龙？"),
        (48 * 60 + 20, commenters[10], "不好吃能退吗？"),
        (49 * 60 + 2, commenters[12], "菜坏了能退吗"),
    ]
    beats += _comments(rng, _YWJ_PHASES, _YWJ_TEXT, commenters, scripted)

    # The queue, worked by the assistant as the night goes.
    beats += [
        (2 * 60 + 5, Queue("answer", "声音有点小", "已调大麦克风音量")),
        (7 * 60 + 30, Queue("to_host", "有机认证是真的吗？")),
        (10 * 60 + 30, Queue("answer", "有机认证是真的吗？", "老李在镜头前展示了有机产品认证证书，证书编号可在国家认监委网站查询")),
        (9 * 60 + 40, Queue("answer", "上海青一份多重？", "一份500克，大约4到5颗")),
        (13 * 60 + 50, Queue("dismiss", "老李能加个微信吗")),
        (22 * 60 + 30, Queue("to_host", "价格为什么这么贵？")),
        (27 * 60 + 0, Queue("answer", "价格为什么这么贵？", "老李讲了成本：三年转换期、人工除草不打药、产量只有普通菜的一半")),
        (34 * 60 + 0, Queue("to_host", "鸡蛋是散养的吗？")),
        (36 * 60 + 20, Queue("answer", "鸡蛋是散养的吗？", "林下散养，老李直播了鸡舍和放养的林地")),
        (42 * 60 + 0, Queue("answer", "什么时候到？", "明天中午前送达，冷链专车直发")),
        (44 * 60 + 15, Queue("answer", "能自提吗？", "可以，东门驿站自提，或送到楼下")),
        (47 * 60 + 0, Queue("answer", "在哪接龙？", "20:55 在源味集·阳光花园群发布接龙，群公告置顶")),
        (49 * 60 + 30, Queue("to_host", "不好吃能退吗？")),
    ]

    # Between scripted answers the assistant sweeps the top of the queue with the standing answers.
    ywj_answers = (
        ("order", "20:55 在源味集·阳光花园群发布接龙，群公告置顶，在接龙里加一行即可"),
        ("delivery", "明天中午前送达；可东门驿站自提，也可送到楼下"),
        ("price", "有机种植成本高：三年转换期、人工除草、产量低；前50名享8折"),
        ("authenticity", "有机认证证书已在直播中展示，证书编号可在国家认监委网站查询；农残为现场检测，结果未检出"),
        ("product", "一份500克约4-5颗，冷藏可放3-5天"),
    )
    beats += [
        (30 * 60 + 30, Sweep(3, ywj_answers, ("after_sales",))),
        (45 * 60 + 10, Sweep(4, ywj_answers, ("after_sales",))),
        (58 * 60 + 20, Sweep(4, ywj_answers)),
        (68 * 60, Sweep(6, ywj_answers)),
    ]

    # Promises, as 老李 said them.
    beats += [
        (10 * 60, Promise("直播期间，在社群接龙下单前50名，享8折尝鲜价！", "price", "greens", "first_n", 50)),
        (10 * 60 + 20, Promise("前50名还送老李亲笔签名的《有机生活手札》！", "gift", "greens", "first_n", 50, 16 * 60,
                               key="notebook")),
        (38 * 60, Promise("鸡蛋路上要是磕破了，拍照发群里，破一个赔一个。", "compensation", "eggs", "claims")),
        (52 * 60, Promise("感谢大家的信任，今晚的订单，我会亲自监督采摘和打包，保证让大家吃得放心！", "quality", "greens", "deal")),
        (53 * 60 + 30, Promise("接龙成团后，明天一早采摘，冷链专车直发，次日中午前送到大家手里。", "delivery", "greens", "deal", None, 16 * 60,
                               key="delivery")),
    ]


    # Releases.
    beats += [(d.release_s, Release(d.key)) for d in deals]

    # Main chain: 10 KOCs at once, 50份 reached exactly 8 minutes after the 20:55 release.
    main_buyers = kocs + main_only_pool  # 170 distinct buyers
    greens = deals[0]
    early_w = ((1, 0.8), (2, 0.17), (3, 0.03))
    late_w = ((1, 0.55), (2, 0.3), (3, 0.1), (5, 0.05))
    reach_t = greens.release_s + 8 * 60
    # Units → second of the line that brings the running total to that many units (before 50).
    anchors = ((0, greens.release_s + 6), (12, greens.release_s + 85), (30, greens.release_s + 115),
               (45, greens.release_s + 235), (49, greens.release_s + 420))

    def at_units(u: int) -> int:
        for (u0, t0), (u1, t1) in zip(anchors, anchors[1:]):
            if u <= u1:
                return t0 + round((t1 - t0) * (u - u0) / (u1 - u0))
        return anchors[-1][1]

    main_lines: list[tuple[int, Line]] = []
    units = 0
    seq = 0
    last_t = greens.release_s
    queue_names = list(main_buyers)
    crossing_seq = 0
    while units < greens.threshold:
        name = queue_names.pop(0)
        q = _qty(rng, early_w)
        address, note = _building(rng, _NOTES_GREENS, name=name)
        seq += 1
        if units + q >= greens.threshold:
            t, crossing_seq = reach_t, seq
        else:
            t = max(last_t + 1, at_units(units + q) + rng.randint(-3, 3))
            t = min(t, reach_t - 20)
        main_lines.append((t, Line("greens", seq, name, q, "", address, note)))
        units += q
        last_t = t
    # The rest of the evening: the remaining buyers, a couple of second orders and one change of mind.
    rest = queue_names
    repeaters = [main_buyers[12], main_buyers[30], main_buyers[47], main_buyers[80]]
    for r in repeaters:
        rest.insert(rng.randint(len(rest) // 3, len(rest)), r)
    rest_times = _spread(rng, reach_t + 12, reach_t + 45 * 60, len(rest), power=1.9)
    changed = None
    posted = {ln.name for _, ln in main_lines}
    for name, t in zip(rest, rest_times):
        seq += 1
        address, note = _building(rng, _NOTES_GREENS, name=name)
        q = _qty(rng, late_w)
        if name in posted and name == repeaters[0] and changed is None:
            note, q, changed = "改成2份，以这条为准", 2, seq
        elif name in posted:
            note, q = "再加一份", 1
        posted.add(name)
        main_lines.append((t, Line("greens", seq, name, q, "", address, note)))
    main_beats: list[tuple[int, Thing]] = list(main_lines)
    main_beats += _pastes("greens", main_lines, {reach_t}, window=60, calm_after=reach_t + 4 * 60, calm_window=240)
    cancel_seq = next(ln.seq for _, ln in main_lines if ln.name == repeaters[0])
    change_t = next(t for t, ln in main_lines if ln.seq == changed)
    assert changed is not None and cancel_seq < changed
    assert all(a[0] < b[0] for a, b in zip(main_lines, main_lines[1:])), "main chain times must increase"
    main_beats.append((change_t + 50, Cancel("greens", cancel_seq)))
    beats += main_beats

    # Eggs: released at 20:40 during the show; 22 egg-only buyers and 24 who also take greens.
    egg_buyers = extra[:22] + rng.sample(main_buyers, 24)
    rng.shuffle(egg_buyers)
    eggs = deals[1]
    egg_times = _spread(rng, eggs.release_s + 20, eggs.release_s + 70 * 60, len(egg_buyers), power=2.2)
    egg_lines = _chain(rng, "eggs", egg_buyers, egg_times, ((1, 0.7), (2, 0.25), (3, 0.05)), ("30枚/盒",))
    egg_timed = _timed(egg_lines, egg_times)
    beats += egg_timed + _pastes("eggs", egg_timed, set(), window=150, calm_after=eggs.release_s + 20 * 60, calm_window=420)

    # Family box: released at 20:58; 18 box-only buyers and 14 who also take greens.
    box_buyers = extra[22:] + rng.sample(main_buyers, 14)
    rng.shuffle(box_buyers)
    box = deals[2]
    box_times = _spread(rng, box.release_s + 30, box.release_s + 50 * 60, len(box_buyers), power=1.8)
    box_lines = _chain(rng, "box", box_buyers, box_times, ((1, 0.9), (2, 0.1)), ("小箱约5斤", "大箱约8斤", "大箱约8斤"))
    box_timed = _timed(box_lines, box_times)
    beats += box_timed + _pastes("box", box_timed, set(), window=150, calm_after=box.release_s + 15 * 60, calm_window=420)

    beats.append((60 * 60, End()))
    beats.sort(key=lambda b: (b[0], _ORDER[type(b[1])]))

    # Self-check of the numbers the night promises (a wrong edit fails at import, not in a demo).
    valid = {ln.name for _, ln in main_lines if ln.seq != cancel_seq} | set(egg_buyers) | set(box_buyers)
    assert len(valid) == 210, len(valid)
    assert sum(ln.qty for _, ln in main_lines if ln.seq < crossing_seq) < greens.threshold
    assert sum(ln.qty for _, ln in main_lines if ln.seq <= crossing_seq) >= greens.threshold
    # The next morning (次日中午前 was promised): the van delivers half the buildings at 08:30 (A线) and the
    # rest at 10:30 (B线); from 08:40 the neighbours who chose 东门 / 到店自提 come to the counter, one every
    # 3 minutes, the last by about 10:10, except three egg / box buyers who have not come by noon (a few
    # 未提 is real; they carry no 次日中午前 promise, so it stays kept). Every hand-over goes through
    # services.pickup, which closes the delivery items and, with the perks handed out, the 手札 items:
    # counter, 提货清单 and 承诺履约 agree. What is still open at 11:00 is marked 已兑现. A demo opened
    # before then shows what a team would see at that hour: items still to do, due at noon, none late.
    hour = 3600
    follow_ups = (
        (12 * hour + 30 * 60, VanRun("A线", 0.0, 0.5)),
        (12 * hour + 40 * 60, ShopPickups(180, 3)),
        (14 * hour + 30 * 60, VanRun("B线", 0.5, 1.0)),
        (15 * hour, Settle("delivery")),
        (15 * hour, Settle("notebook")),
    )
    return Night(
        key="yuanweiji",
        title="源味集《农场主来了》",
        community="源味集·阳光花园群",
        member_count=300,
        host="老李",
        days_ago=1,
        start_hour=20,
        duration_min=60,
        deals=deals,
        beats=tuple(beats),
        expected={"members": 300, "viewers_cumulative": 270, "buyers": 210, "reach_minutes": 8},
        follow_ups=follow_ups,
    )


# Same-second order: the show starts before anything; a release before the lines it invites;
# lines before the paste that carries them; the paste before a cancel; the end last.
_ORDER = {
    Start: 0, Viewers: 1, Release: 2, Promise: 3, Said: 4, Line: 5, Paste: 6, Cancel: 7, Queue: 8, Sweep: 9, End: 10,
    Tick: 11, Settle: 12, VanRun: 13, ShopPickups: 14,
}


# ---------------------------------------------------------------- 亲亲宝贝《安心之选》

_QQ_TEXT = {
    "auth": (
        "是不是正品", "是不是正品？", "是正品吗", "有机认证号在哪查？", "有机认证号在哪查", "认证号在哪里查",
        "罐底码怎么扫", "追溯码扫出来是什么", "是保税仓发货吗", "有报关单吗", "会不会是水货",
    ),
    "product": (
        "生产日期是什么时候？", "生产日期是什么时候", "生产日期多少", "保质期到什么时候", "是几段的",
        "宝宝过敏能喝吗", "一罐多少克", "和国内版配方一样吗", "溶解快吗", "新批次还是老批次",
    ),
    "price": ("和其他渠道比有啥优势？", "比旗舰店便宜吗", "多少钱一罐", "买两罐有优惠吗", "价格能再低点吗", "包邮吗"),
    "delivery": ("什么时候发货", "几天能到", "从哪里发货", "能送到小区吗", "什么时候到货"),
    "after": ("开罐不喜欢能退吗", "宝宝不喝能退吗", "坏了怎么办", "售后找谁", "能退吗"),
    "order": ("在哪接龙", "一人限购几罐", "接龙在哪", "怎么下单", "还有吗", "接龙发了吗"),
    "other": ("林薇今天在荷兰吗", "有回放吗", "下次直播什么时候", "牧场在哪个城市"),
    "chatter": (
        "来了", "来啦", "打卡", "宝宝睡了才来", "牧场好美", "奶牛好可爱", "好看", "👍👍",
        "林总好", "支持", "晚上好", "哇", "666", "🐄🐄", "看着就放心", "好评", "🌹🌹",
    ),
    "done": ("已下单", "抢到了", "已接龙", "手慢了", "接上了", "抢到两罐"),
}
_QQ_PHASES = (
    (0, 4, (6, 9), {"chatter": 85, "other": 15}),
    (5, 24, (3, 5), {"chatter": 50, "auth": 20, "product": 15, "other": 10, "price": 5}),
    (25, 44, (3, 5), {"chatter": 40, "auth": 25, "product": 20, "price": 10, "after": 5}),
    (45, 54, (4, 6), {"chatter": 40, "price": 10, "delivery": 15, "after": 15, "order": 15, "product": 5}),
    (55, 59, (6, 9), {"chatter": 25, "done": 40, "order": 25, "delivery": 10}),
)


@lru_cache(maxsize=1)
def qinqin() -> Night:
    """亲亲宝贝《安心之选》: 林薇 from the pasture and the bonded warehouse, a week before 源味集."""
    rng = random.Random(20260105)
    members = community_names(rng, 460)
    watchers = members[:352]
    deal = DealPlan(
        key="formula",
        product="荷兰有机婴幼儿配方奶粉 3段 800g",
        selling_points="欧盟有机认证，荷兰合作牧场\n保税仓现货，罐底码可追溯\n本群专享价，最新鲜批次",
        spec_options="3段800g",
        group_price=Decimal("268.00"),
        original_price=Decimal("328.00"),
        threshold=30,
        threshold_unit="units",
        stock=100,
        per_person_limit=4,
        perk_first_n=None,
        perk_text="开罐不满意，未使用可退",
        delivery_text="保税仓直发，3天内送达，附《冲泡指南》和手写卡",
        deadline_min=24 * 60,
        release_s=55 * 60,
        main=True,
    )
    beats: list[tuple[int, Thing]] = [(0, Start())]
    beats += _viewer_curve(rng, 60, start=55, total=352, full_at=50, leave_rate=1.2, end_leave=6.0)
    commenters = list(watchers)
    rng.shuffle(commenters)
    commenters = commenters[:110]
    scripted = [
        (7 * 60 + 15, commenters[0], "是不是正品？"),
        (18 * 60 + 40, commenters[1], "有机认证号在哪查？"),
        (31 * 60 + 5, commenters[2], "生产日期是什么时候？"),
        (36 * 60 + 50, commenters[3], "和其他渠道比有啥优势？"),
        (49 * 60 + 10, commenters[4], "开罐不喜欢能退吗"),
        (52 * 60 + 30, commenters[5], "一人限购几罐"),
    ]
    beats += _comments(rng, _QQ_PHASES, _QQ_TEXT, commenters, scripted)
    beats += [
        (8 * 60, Queue("to_host", "是不是正品？")),
        (11 * 60, Queue("answer", "是不是正品？", "林薇展示了报关单和质检报告，现场扫了罐底追溯码")),
        (19 * 60, Queue("answer", "有机认证号在哪查？", "罐身有欧盟有机标志和认证号，可在欧盟有机认证官网查询")),
        (32 * 60, Queue("to_host", "生产日期是什么时候？")),
        (33 * 60, Queue("answer", "生产日期是什么时候？", "本批次为上月生产，最新鲜批次")),
        (49 * 60 + 40, Queue("answer", "开罐不喜欢能退吗", "开罐不满意，未使用的可退")),
        (53 * 60, Queue("answer", "一人限购几罐", "每人限购4罐，共100罐")),
    ]
    qq_answers = (
        ("authenticity", "保税仓直发，报关单和质检报告已在直播中展示，罐底追溯码可扫码查询"),
        ("product", "本批次为上月生产，保质期两年，3段适合1-3岁"),
        ("order", "20:55 在亲亲宝贝·安心妈妈群发布接龙，每人限购4罐"),
        ("delivery", "保税仓直发，3天内送达"),
        ("price", "本群专享价268元/罐，比旗舰店便宜60元"),
    )
    beats += [
        (26 * 60, Sweep(3, qq_answers, ("after_sales",))),
        (44 * 60, Sweep(4, qq_answers, ("after_sales",))),
        (63 * 60, Sweep(5, qq_answers)),
    ]
    beats += [
        (29 * 60, Promise("只要是通过我们社群买的，有任何问题直接找我林薇，假一赔十！", "compensation", "formula", "claims",
                          key="fake")),
        (48 * 60, Promise("只要是今晚在亲亲宝贝·安心妈妈群接龙下单的，我们保证是最新鲜批次", "quality", "formula", "deal",
                          key="fresh")),
        (48 * 60 + 15, Promise("并享受“开罐不满意，未使用可退”的独家政策！", "refund", "formula", "claims", key="refund")),
        (deal.release_s, Release("formula")),
    ]
    # A week on: every can shipped from the latest batch (checked off as the parcels left the
    # bonded warehouse), the call-backs done on day 3, no claim came in (零售后).
    day = 24 * 3600
    beats += [
        (day + 14 * 3600, Tick("fresh", 1, 60)),
        (day + 17 * 3600, Tick("fresh", 61, 200)),
        (3 * day + 11 * 3600, Settle("fresh")),
        (7 * day, Settle("refund")),
        (7 * day, Settle("fake")),
    ]
    # 20 KOCs at once, then the rest; the 100th can goes exactly 12 minutes after release, a few wait.
    buyers = list(watchers)
    rng.shuffle(buyers)
    sold_out_t = deal.release_s + 12 * 60
    lines: list[tuple[int, Line]] = []
    units = seq = 0
    pool = iter(buyers)
    koc_times = _spread(rng, deal.release_s + 8, deal.release_s + 100, 20)
    while units < deal.stock:
        seq += 1
        q = _qty(rng, ((1, 0.62), (2, 0.3), (3, 0.05), (4, 0.03)))
        if units + q >= deal.stock:
            q, t = deal.stock - units, sold_out_t
        elif seq <= 20:
            t = koc_times[seq - 1]
        else:
            frac = units / deal.stock
            t = deal.release_s + 100 + round((sold_out_t - 25 - deal.release_s - 100) * frac**1.3)
            t = max(t, lines[-1][0] + 1)
        address, note = _building(rng, _NOTES_FORMULA, pickup="")
        lines.append((t, Line("formula", seq, next(pool), q, "3段800g", address, note)))
        units += q
    late = _spread(rng, sold_out_t + 20, sold_out_t + 9 * 60, 6)
    for t in late:
        seq += 1
        address, note = _building(rng, _NOTES_FORMULA, pickup="")
        lines.append((t, Line("formula", seq, next(pool), 1, "3段800g", address, "候补也行")))
    beats += list(lines) + _pastes("formula", lines, {sold_out_t}, window=90, calm_after=sold_out_t, calm_window=240)
    beats.append((60 * 60, End()))
    beats.sort(key=lambda b: (b[0], _ORDER[type(b[1])]))
    return Night(
        key="qinqin",
        title="亲亲宝贝《安心之选》",
        community="亲亲宝贝·安心妈妈群",
        member_count=460,
        host="林薇",
        days_ago=8,
        start_hour=20,
        duration_min=60,
        deals=(deal,),
        beats=tuple(beats),
        expected={"stock": 100, "sold_out_minutes": 12, "buyers": len({ln.name for _, ln in lines[:-6]})},
    )


