"""What a host's words say about who gets a promise and by when: the first N (前50名), the
least quantity per buyer (满两份), the due hint (明天中午前) and the deadline it stands for.

Pure functions over text (no database, no Streamlit); services.promises.rules uses them and
re-exports them.
"""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from services.cn_numbers import NUM, cn_number


# ---------------------------------------------------------------- first N

# 之前一定 / 以前一直 / 提前一天 are not "the first one": 前 must not end another word, and a bare
# number (no 名/位/单…) must not run on into a word (一定, 一直, 一样, 一下 …).
_FIRST_N = re.compile(
    rf"(?<![之以提此从日事目当年月周])(?:前|头|首)\s*({NUM})\s*(?:(?:名|位|单|个(?!\s*(?:小时|月|星期|钟头))|份|人|组|户|号)|(?![\d零〇一二两俩三四五六七八九十百千万]|\s*(?:个?小时|天|日|分|秒|点|年|月|周|元|块|斤|两|克|%|折|层|楼|次|期|批|届|岁|米|定|直|样|般|些|起|会|边|切|晚|阵|点|段|步|向|道)))"
)


_FIRST_RANGE = re.compile(
    rf"第?\s*[一1]\s*(?:名|位|单|个|号)?\s*(?:到|至|-|~|～|—)\s*第?\s*({NUM})\s*(?:名|位|单|个|号)"
)


def first_n_of(text: str) -> int | None:
    """前50名 → 50, 前一百名 → 100, 头20单 → 20, 第一到第十名 → 10; None when none is named."""
    m = _FIRST_N.search(text) or _FIRST_RANGE.search(text)
    return cn_number(m.group(1)) if m else None


_UNIT = r"(?:份|件|单|盒|箱|斤|袋|个|包|瓶|罐|提|组|套)"
_MIN_QTY = (
    re.compile(rf"(?:买满|拍满|凑满|凑够|买够|满)\s*({NUM})\s*{_UNIT}"),
    re.compile(rf"({NUM})\s*{_UNIT}\s*(?:及|或)?以上"),
    re.compile(rf"(?:买|拍|下单|接龙)\s*({NUM})\s*{_UNIT}\s*(?:的|就|即可|可以|可|还)?\s*(?:送|赠|包邮|享)"),
)


def min_qty_of(text: str) -> int | None:
    """满两份送砂糖橘 → 2, 3箱以上包邮 → 3, 买两份就送 → 2: the least quantity a buyer must take to
    get the promise; None when none is named (or it is 1, which every buyer takes)."""
    for rx in _MIN_QTY:
        m = rx.search(text)
        if m:
            n = cn_number(m.group(1))
            return n if n and n > 1 else None
    return None


# ---------------------------------------------------------------- due hints

_DAY_WORDS = r"(?:今天|今晚|今日|当天|当晚|明天|明早|明晚|明日|次日|隔天|隔日|第二天|翌日|后天|大后天)"
_PART_WORDS = r"(?:一早|早上|早晨|清晨|上午|中午|午饭前|下午|傍晚|晚上|晚间|夜里|凌晨|白天)"
_CLOCK = rf"(?:{NUM}\s*(?:点|时|:\d\d)(?:半|\d+分)?)"
_BEFORE = r"(?:之前|以前|前|为止)"
# A day word that says when to order or what is shown (今晚下单, 今天的订单) is not a due time.
_NOT_DUE_AFTER = rf"(?!下单|接龙|拍|跟团|在|的|订|买|直播|来|进|开播|采摘|摘|刚|上架|卖|抢|参与|报名|预订|团购|前\s*{NUM}\s*[名位单个份人])"
_DUE_DAY = re.compile(rf"{_DAY_WORDS}{_NOT_DUE_AFTER}(?:{_PART_WORDS})?(?:{_CLOCK})?(?:{_BEFORE})?")
# A bare day word (no part of day, no clock, no 前) is a due time only before a doing word:
# 次日达, 明天送到, 第二天发货 — not 今晚社群专享价.
_DAY_ACTION = re.compile(r"\s*(?:就|都|会|能|可以|统一|全部|一早|即可|可|我们|我|第一时间|尽快|优先|马上)*\s*(?:达|送|配送|派送|发|到|寄|出|收到|上门|回访|联系|安排|给|补|退|赔|处理|完成|内|之内|以内)")
_DUE_SPAN = re.compile(rf"({NUM})\s*个?\s*(天|日|小时|钟头|周|星期)\s*(?:之内|以内|内|后|之后|以后)")
_DUE_SPAN_SOON = re.compile(rf"(?<![晚迟超慢])({NUM})\s*个?\s*(天|小时)(?=\s*(?:左右)?\s*(?:就|能|会|可|到|达|发|送))")
_DUE_CLOCK = re.compile(rf"(?:{_PART_WORDS})?{_CLOCK}\s*{_BEFORE}")
_DUE_WEEK = re.compile(
    rf"(?:(?:下|本|这)?周末|(?:下|本|这)(?:周|星期|礼拜)[一二三四五六日天]?|(?:周|星期|礼拜)[一二三四五六日天])(?:{_PART_WORDS})?(?:{_CLOCK})?(?:{_BEFORE})?"
)


def due_hint_of(text: str) -> str | None:
    """The words that say when: 明天中午前, 次日, 三天后, 48小时内, 晚上10点前; None if none."""
    best: tuple[int, int, str] | None = None
    for rx in (_DUE_DAY, _DUE_SPAN, _DUE_SPAN_SOON, _DUE_WEEK, _DUE_CLOCK):
        for m in rx.finditer(text):
            if _ORDER_CUTOFF.match(text, m.end()):
                continue  # 今晚10点前下单: when to order, not when it is due
            acts = bool(_DAY_ACTION.match(text, m.end()))
            if rx is _DUE_DAY and re.fullmatch(_DAY_WORDS, m.group(0)) and not acts:
                continue
            # A deadline (…前) or a time tied to a doing word (…送到) beats a time of something
            # else said earlier (明天一早采摘，次日中午前送到 → 次日中午前).
            rank = 0 if acts or re.search(f"{_BEFORE}$", m.group(0)) or rx in (_DUE_SPAN, _DUE_SPAN_SOON) else 1
            cand = (rank, m.start(), m.group(0).strip())
            if best is None or cand < best:
                best = cand
    return best[2] if best else None


_ORDER_CUTOFF = re.compile(r"\s*(?:的)?(?:下单|接龙|拍下|拍|跟团|付款|报名|预订|购买|买)")


_PART_HOUR = {
    "一早": 9, "早上": 9, "早晨": 9, "清晨": 8, "上午": 12, "中午": 12, "午饭前": 12, "白天": 18,
    "下午": 18, "傍晚": 19, "晚上": 22, "晚间": 22, "夜里": 23, "凌晨": 6,
}
_PM_PARTS = ("下午", "傍晚", "晚上", "晚间", "夜里", "今晚", "明晚", "当晚")
_CLOCK_RX = re.compile(rf"({NUM})\s*(?:点|时|:(\d\d))(半|(\d+)分)?")


def due_at_from_hint(hint: str | None, said_at: datetime) -> datetime | None:
    """Turn a due hint into a wall-clock deadline relative to when it was said.

    - 明天 / 次日 / 第二天 / 隔天 → the next day at 12:00 unless the words give a time
      (明天早上 → 9:00, 明天下午 → 18:00, 明天下午3点前 → 15:00, 明晚 → 22:00);
    - 后天 → the day after next, 12:00; 今天 / 今晚 / 当天 → 23:59 the same day unless timed;
    - N天后 → N days later at 12:00; N天内 → N days later at 23:59; N小时内 → said_at + N hours;
    - 下周X → that weekday next week at 12:00; 晚上10点前 (no day) → today, or tomorrow if past.
    None when there is no hint or it cannot be read.
    """
    if not hint:
        return None
    hint = hint.strip()
    for reader in (_span_due, _week_due, _day_due):
        found = reader(hint, said_at)
        if found is not _NOT_THIS:
            return found
    return None


_NOT_THIS = object()  # a reader's answer when the hint is not of its shape


def _span_due(hint: str, said_at: datetime):
    """三天后 / 48小时内 / 两周内: a span from when it was said."""
    m = _DUE_SPAN.fullmatch(hint) or _DUE_SPAN.search(hint) or _DUE_SPAN_SOON.search(hint + "到")
    if not m or _DUE_DAY.match(hint):
        return _NOT_THIS
    n = cn_number(m.group(1))
    if n is None:
        return None
    unit = m.group(2)
    if unit in ("小时", "钟头"):
        return said_at + timedelta(hours=n)
    days = n * 7 if unit in ("周", "星期") else n
    within = "后" not in hint
    return datetime.combine(said_at.date() + timedelta(days=days), time(23, 59) if within else time(12, 0))


_WEEKDAYS = "一二三四五六日天末"


def _week_due(hint: str, said_at: datetime):
    """下周三 / 周六下午 / 本周: a weekday (at noon unless timed), or the end of that week."""
    if not _DUE_WEEK.match(hint):
        return _NOT_THIS
    base = said_at.date()
    wm = re.search(r"(?:周|星期|礼拜)([一二三四五六日天末])", hint)
    monday = base - timedelta(days=base.weekday())
    if hint.startswith("下"):
        monday += timedelta(days=7)
    if wm is None:  # 下周 / 本周: by the end of that week
        return datetime.combine(monday + timedelta(days=6), time(23, 59))
    day = monday + timedelta(days=min(_WEEKDAYS.index(wm.group(1)), 6) if wm.group(1) != "末" else 5)
    if not hint.startswith(("下", "本", "这")) and day < base:
        day += timedelta(days=7)  # bare 周六: the next Saturday
    clock = _clock_of(hint)
    if clock is not None:
        return datetime.combine(day, clock)
    return datetime.combine(day, time(_part_hour(hint, 12), 0))


_DAY_OFFSETS = (
    (("大后天",), 3),
    (("后天",), 2),
    (("明天", "明早", "明晚", "明日", "次日", "隔天", "隔日", "第二天", "翌日"), 1),
    (("今天", "今晚", "今日", "当天", "当晚"), 0),
)


def _day_due(hint: str, said_at: datetime) -> datetime | None:
    """明天下午3点前 / 次日 / 今晚 / 晚上10点前: a day word (or none) with a part of day or a clock."""
    offset = next((off for words, off in _DAY_OFFSETS if hint.startswith(words)), None)
    clock = _clock_of(hint)
    if offset is None:
        if clock is None:
            return None
        at = datetime.combine(said_at.date(), clock)
        return at if at > said_at else at + timedelta(days=1)
    day = said_at.date() + timedelta(days=offset)
    if clock is not None:
        return datetime.combine(day, clock)
    hour = _part_hour(hint, None)
    if hour is not None:
        return datetime.combine(day, time(hour, 0))
    if hint.startswith(("明晚", "当晚", "今晚")):
        return datetime.combine(day, time(22, 0) if offset else time(23, 59))
    if hint.startswith("明早"):
        return datetime.combine(day, time(9, 0))
    return datetime.combine(day, time(23, 59) if offset == 0 else time(12, 0))


def _part_hour(hint: str, default: int | None) -> int | None:
    """The hour a part of day (上午, 下午, 晚上 …) in the hint stands for."""
    return next((h for part, h in _PART_HOUR.items() if part in hint), default)


def _clock_of(hint: str) -> time | None:
    m = _CLOCK_RX.search(hint)
    if not m:
        return None
    hour = cn_number(m.group(1))
    if hour is None or hour > 24:
        return None
    minute = 0
    if m.group(2):
        minute = int(m.group(2))
    elif m.group(3) == "半":
        minute = 30
    elif m.group(4):
        minute = int(m.group(4))
    if hour < 12 and any(p in hint for p in _PM_PARTS):
        hour += 12
    if "中午" in hint and hour < 6:
        hour += 12
    if hour == 24:
        hour = 23
        minute = 59
    return time(hour, min(minute, 59))
