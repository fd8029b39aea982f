"""What a chain line orders: its quantity, its items (one per product) and why a reading is unsure.

Pure functions, no database; services.jielong.parser calls `find_qty` and `read_items`.
Rules (a chain is free text; each is the reading a person would make):
- `8份`, `一份`, `x2`, `*2`, `+1`, `2大1小`, `两大一小` are quantities; digits may stand apart from
  the unit (`2 份`), a Chinese numeral must touch it (`两份`); the same unit added with `+` is a sum
  (`2份+1份` → 3); portions per meal or size add up (`午餐1份 晚餐2份` → 3, `午晚餐各1份` → 2,
  `大份1 小份2` → 3), the split kept in the note, the meals no products;
- a number that belongs to the product or its pack is not a quantity: `凤梨板烧四件套`,
  `6个装`, `500ML12罐 2箱` (→ 2), `600ml*24瓶4箱` (→ 4: the last of glued number-units wins);
- a lone bare number between 1 and 20 is the quantity (`王芳 2`); a larger one is kept in the note;
- a line naming several products (`红富士冰糖心4斤，砂糖橘2斤`, `五斤西瓜，十斤苹果`,
  `麦辣鸡腿堡 + 麦辣鸡翅`) gives one item per product, and its quantity is their total;
- a breakdown or a swap inside an order is part of it, not another item (`2份，其中1份…，另1份…`,
  `4份，2份换主食`, `芥菜换虎皮尖椒`); a product glued after another's quantity starts an item of
  its own (`橙子4斤青岛清爽24罐装一箱` → 橙子 4, 青岛清爽24罐装 1); `各` shares a quantity over
  the kinds of the word before it (`小番茄 红和黄 各一斤` → 小番茄 红 1, 小番茄 黄 1);
  words around a `+` (`跳操拉伸 洗漱+通勤`) are no dish list;
- unsure readings carry a hint in Chinese (shown with ⚠ in the chain preview), never a silent guess.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from services.cn_numbers import cn_number
from services.kinds import same_kind

MAX_QTY = 999
BARE_QTY_MAX = 20

_CN_NUM = r"(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两俩三四五六七八九])"
NUM_RE = rf"(?:\d{{1,4}}|{_CN_NUM})"
UNITS = (
    r"(?:公斤|千克|kg|KG|Kg|份|盒|斤|箱|个|袋|包|瓶|件|只|套|罐|提|组|桶|杯|把|颗|束|串|块|条|张|双|支|枚|台|听|板|捆|筐|篮|单"
    r"|根|头|棵|卷|粒|打|扎|排|人|位)"
)
_CLASS = r"(?:大人|成人|小孩|儿童|老人|大(?![份杯碗盒号码瓶袋箱包])|小(?![份杯碗盒号码瓶袋箱包]))"  # not `大份`, `小杯`
_CLASS_PAIR = rf"(?:\d{{1,3}}\s*{_CLASS}|{_CLASS}\s*\d{{1,3}}\s*(?:位|个|人|名)?)"  # `大人2位 小孩1位`

_RE_CLASSES = re.compile(rf"{_CLASS_PAIR}(?:\s*{_CLASS_PAIR})*")
# Not glued after a Latin unit (`500ML12罐`), not followed by a pack word (`四件套`, `6个装`).
_RE_UNIT = re.compile(
    rf"(?<![\d.A-Za-z栋幢座#\ue000])(?<!\d-)(?<![\d.]/)(\d{{1,4}}(?=\s*{UNITS})|{_CN_NUM}(?={UNITS}))\s*({UNITS})(?![A-Za-z套装])(?!(?<=单)元)(?!\s*/\s*[箱盒袋份个件包])"  # not `10斤/箱` (a size per box)
)
# `苹果5斤 x2`, `牛肉500g*3`: a weight glued to the product is its size, the count after it the order.
_RE_SIZE_TIMES = re.compile(
    rf"(?<![\d.])(?:\d{{1,4}}(?:\.\d)?|{_CN_NUM})\s*(?:斤|公斤|千克|kg|KG|Kg|g|克)(?:\s*/\s*[箱盒袋份个件包])?"
    rf"\s*(?P<x>[xX×✖*＊]\ufe0f?\s*(?P<n>{NUM_RE}))(?![\d瓶罐包袋盒支听个杯只片根条块粒])"
)
_RE_X = re.compile(rf"(?<![A-Za-z])[xX×✖*＊]\ufe0f?\s*({NUM_RE})(?!\d)")
_RE_X_AFTER = re.compile(r"(?<![\w.])(\d{1,3})\s*[xX×✖]\ufe0f?(?![\w])")  # `2x`, `3×` (not `2XL`)
_RE_PLUS = re.compile(r"(?<![+\dA-Za-z])\+\s*(\d{1,3})(?!\d)")
# `王芳 2`, `张三-2`, `冯二 🍎2` (a count after an emoji)
_RE_BARE = re.compile("(?:(?<=\\s)|^|(?<=[^\\W\\d_]-)|(?<=[\u2600-\u27bf\ufe0f\U0001f300-\U0001faff]))(\\d{1,3})(?=\\s|$)")
# A unit of measure, not the end of a Latin word (`Amy Wang ×2`, `Bill x3` order; `500g*2` is the pack).
_RE_MEASURE_END = re.compile(r"(?<![A-Za-z])(?:ml|ML|mL|l|L|g|G|kg|KG|斤|克)\s*$")
_RE_PACK_BEFORE = re.compile(r"(?<![A-Za-z])(?:ml|ML|mL|l|L|g|G|kg|KG|斤|克)\s*[xX×✖*＊]\s*$")  # `500ml*12瓶`: the pack  # `500ml*12瓶`: the pack
_RE_TRAILING_DIGITS = re.compile(r"[^\W\d_]\d{1,4}$")
# `不要酱+青椒洋葱+酸黄瓜酸辣椒`: changes to one dish, not dishes.
_RE_MODIFIER = re.compile(r"(?:^|\s)(?:不要|不加|不放|免|去掉?|少|多|加|换|备注)\S*$")
_RE_ITEM_SEP = re.compile(r"\s*[,、;+/]\s*")
_RE_EACH = re.compile(rf"^(?P<what>.+?)\s*各\s*(?P<n>{NUM_RE})\s*{UNITS}?$")
_RE_BREAKDOWN = re.compile(r"^\s*(?:其中|另外?|其余|剩下|剩余)")
MEAL_RE = r"(?:午餐|晚餐|早餐|中餐|午饭|晚饭|早饭|夜宵|宵夜)"
_MEAL_WORDS = re.compile(rf"^{MEAL_RE}$")
# A meal split: `午餐1份 晚餐2份`, `1份午餐 2份晚餐`, `午餐2 晚餐1`, `午餐晚餐各1份`, `午晚餐各1份`.
_SIZE = r"(?:大份|中份|小份|大杯|中杯|小杯|大碗|小碗)"
_PORTION = rf"(?:{MEAL_RE}|{_SIZE})"
_MEAL_N = rf"(?:{_PORTION}\s*(?P<a>{NUM_RE})\s*份?(?!\d)|(?P<b>\d{{1,4}}|(?<![\u4e00-\u9fff]){_CN_NUM})\s*(?:份\s*{MEAL_RE}|{_SIZE}))"
# `两大一小`, `一大两小`: class counts in Chinese numerals (two pairs at least: `一小时` is none).
_CN_CLASS = r"(?:大人|成人|小孩|儿童|大|小)"
_RE_CN_CLASSES = re.compile(rf"(?:{_CN_NUM}{_CN_CLASS}){{2,}}(?![份杯碗盒号码瓶袋箱包时])")
_RE_MEAL_PAIR = re.compile(_MEAL_N)
_RE_MEALS_EACH = re.compile(rf"(?P<what>{MEAL_RE}(?:\s*[和、,/+与及]?\s*{MEAL_RE})+|午晚餐?|早午晚餐?)\s*各\s*(?P<n>{NUM_RE})\s*份?")


_WEIGHTS = frozenset(("斤", "公斤", "千克", "kg", "KG", "Kg"))
# A weight that is no whole count: `一斤半`, `半斤`, `1.5斤`, `0.5kg` (the order is one, the weight a note).
_RE_PART_WEIGHT = re.compile(
    rf"(?:\d{{1,3}}|{_CN_NUM})\s*(?:斤|公斤|千克)半|(?<![\d.])半\s*(?:斤|公斤)|(?<![\d.])\d{{1,3}}\.\d{{1,2}}\s*(?:斤|公斤|千克|kg|KG|Kg)"
)
# Financial numerals before a unit (`贰份`, `叁斤`): the same numbers in their cheque form.
_RE_FINANCIAL = re.compile(rf"[壹贰貳叁參叄肆伍陆陸柒捌玖拾]{{1,3}}(?={UNITS})")
_FINANCIAL = str.maketrans("壹贰貳叁參叄肆伍陆陸柒捌玖拾", "一二二三三三四五六六七八九十")


def _times(text: str) -> bool:
    """Whether the text has a times sign at all (most lines have none: skip the regex)."""
    return "x" in text or "*" in text or "×" in text or "X" in text or "✖" in text or "＊" in text


def plain_numerals(text: str) -> str:
    """`贰份` → `二份`: a financial numeral touching a unit as the plain one (`陆` alone stays a name)."""
    return _RE_FINANCIAL.sub(lambda m: m.group(0).translate(_FINANCIAL), text)


def weight_hint(text: str) -> str:
    """The hint for a weight that is no whole count (`一斤半`), "" when there is none."""
    m = _RE_PART_WEIGHT.search(text)
    return f"「{m.group(0)}」不是整份，按 1 份读取，重量见备注，请核对" if m else ""


@dataclass
class Qty:
    """The quantity read from a line: where it is, and what it was read from."""

    n: int = 1
    explicit: bool = False
    start: int = -1
    end: int = -1
    note: str = ""  # class counts (`2大1小`) stay visible in the note
    bare: bool = False
    others: list[str] = field(default_factory=list)  # further quantities the line names


def _unit_matches(text: str) -> list[re.Match]:
    """Unit quantities that are not a pack size glued before another one (`24瓶4箱`) nor a weight
    with a half (`一斤半`, `两斤半`: no whole count, read as a weight like `1.5斤`)."""
    half = "半" in text
    found = [m for m in _RE_UNIT.finditer(text)
             if 1 <= (cn_number(m.group(1)) or 0) <= MAX_QTY and not _RE_PACK_BEFORE.search(text[: m.start()])
             and not (half and text[m.end():m.end() + 1] == "半" and m.group(2) in _WEIGHTS)]
    return [m for i, m in enumerate(found) if not (i + 1 < len(found) and found[i + 1].start() == m.end())]


def find_qty(text: str) -> Qty:
    """The line's quantity: class counts, a meal split, then units, `x2`, `+1`, then a lone bare number."""
    if ("改" in text or "→" in text or "->" in text or "=>" in text) and (changed := _RE_CHANGED_TO.search(text)):  # `1份 已改为2份`: the change is the order
        if 1 <= (n := cn_number(changed.group(1) or changed.group(2)) or 0) <= MAX_QTY:
            return Qty(n, True, changed.start(), changed.end())
    if meals := _meal_split(text):
        return meals
    if _times(text) and (sized := _RE_SIZE_TIMES.search(text)) and 1 <= (cn_number(sized.group("n")) or 0) <= MAX_QTY:
        return Qty(cn_number(sized.group("n")), True, sized.start("x"), sized.end("x"))
    m = _RE_CLASSES.search(text)
    if m:
        total = sum(int(n) for n in re.findall(r"\d+", m.group(0)))
        if 1 <= total <= MAX_QTY:
            return Qty(total, True, m.start(), m.end(), m.group(0).replace(" ", ""))
    units = _unit_matches(text)
    # `我是一个很长的昵称 1份`, `三只松鼠 2袋`: a Chinese numeral running into a word is part of it
    # when the line has another quantity.
    plain = [u for u in units if not _in_word(text, u)]
    units = plain + [u for u in units if u not in plain]
    if added := _added_up(text, plain):
        return added
    if (summed := _RE_BARE_SUM.search(text)) and all(summed.start() <= u.start() < summed.end() for u in units):
        # `王芳 1+1`, `1+1份`: herself and one more (a unit only at the sum's end)
        return Qty(sum(int(n) for n in summed.groups()[:3] if n), True, summed.start(), summed.end(),
                   _RE_SPACE_RUN.sub("", summed.group(0)))
    for matches in (units, list(_RE_X.finditer(text)), list(_RE_X_AFTER.finditer(text)), list(_RE_PLUS.finditer(text))):
        for m in matches:
            n = cn_number(m.group(1))
            if n is not None and 1 <= n <= MAX_QTY and not _pack_size(text, m):
                others = [u.group(0) for u in plain if u.start() > m.start()]
                return Qty(n, True, m.start(), m.end(), others=others)
    bare = [b for b in _RE_BARE.finditer(text) if b.start() > 0 and text[: b.start()].strip()]
    if len(bare) == 1:
        n = int(bare[0].group(1))
        if 1 <= n <= BARE_QTY_MAX:
            return Qty(n, True, bare[0].start(), bare[0].end(), bare=True)
    if (meals := _RE_MEAL_LIST.search(text)) and len(kinds := set(re.findall(MEAL_RE, meals.group(0)))) >= 2:
        return Qty(len(kinds), True, meals.start(), meals.end(), " ".join(re.findall(MEAL_RE, meals.group(0))))
    return Qty()


# `早餐，午餐`, `早餐丶午餐`, `午餐 晚餐` with no number anywhere: a portion of each meal (as `午晚餐各1份` → 2).
_RE_MEAL_LIST = re.compile(rf"(?<![\u4e00-\u9fff]){MEAL_RE}(?:\s*[,、;/+丶和与及]?\s*{MEAL_RE})+(?![\u4e00-\u9fff])")


def _added_up(text: str, units: list[re.Match]) -> Qty | None:
    """`2份+1份`, `1箱 + 1箱`: the same unit added with `+` and nothing else between is one sum."""
    for i, first in enumerate(units[:-1]):
        run = [first]
        for m in units[i + 1:]:
            if m.group(2) != first.group(2) or not re.fullmatch(r"\s*\+\s*", text[run[-1].end():m.start()]):
                break
            run.append(m)
        if len(run) >= 2 and 1 <= (total := sum(cn_number(m.group(1)) or 0 for m in run)) <= MAX_QTY:
            return Qty(total, True, run[0].start(), run[-1].end(), _RE_SPACE_RUN.sub("", text[run[0].start():run[-1].end()]))
    return None


def _meal_split(text: str) -> Qty | None:
    """`午餐1份 晚餐2份` → 3, `午餐晚餐各1份` → 2, `大份1 小份2` → 3, `两大一小` → 3: portions per
    meal, size or ticket class add up (the split stays in the note)."""
    if ("大" in text or "小" in text) and (cls := _RE_CN_CLASSES.search(text)) and 1 <= (
            total := sum(cn_number(n) or 0 for n in re.findall(_CN_NUM, cls.group(0)))) <= MAX_QTY:
        return Qty(total, True, cls.start(), cls.end(), cls.group(0))
    if not _RE_PORTION_HINT.search(text):
        return None
    if (each := _RE_MEALS_EACH.search(text)) and (n := cn_number(each.group("n"))):
        what = each.group("what")
        meals = 3 if what.startswith("早午晚") else 2 if what.startswith("午晚") else len(re.findall(MEAL_RE, what))
        if 1 <= n * meals <= MAX_QTY:
            return Qty(n * meals, True, each.start(), each.end(), _RE_SPACE_RUN.sub("", each.group(0)))
    pairs = list(_RE_MEAL_PAIR.finditer(text))
    if len(pairs) < 2 or len({re.search(_PORTION, m.group(0)).group(0) for m in pairs}) < len(pairs):
        return None  # one meal, or the same meal twice: no split
    between = [text[a.end():b.start()] for a, b in zip(pairs, pairs[1:])]
    if any(not re.fullmatch(r"[\s,，、;；+和]*", gap) for gap in between):
        return None
    total = sum(cn_number(m.group("a") or m.group("b")) or 0 for m in pairs)
    if not 1 <= total <= MAX_QTY:
        return None
    note = " ".join(_RE_SPACE_RUN.sub("", m.group(0)) for m in pairs)
    return Qty(total, True, pairs[0].start(), pairs[-1].end(), note)


_RE_SPACE_RUN = re.compile(r"\s+")
# `1+1`, `2+1`, `1➕2`: small counts added with no unit (a member and who comes along, adults and a
# child); a chain ordering by menu number re-reads them as dishes (menu_orders).
_RE_BARE_SUM = re.compile(
    rf"(?<![\w.+➕])([1-9])\s*[+➕]\ufe0f?\s*([1-9])(?:\s*[+➕]\ufe0f?\s*([1-9]))?(?:\s*{UNITS})?(?![\w.%+➕])")
_RE_PORTION_HINT = re.compile(r"[餐饭宵杯碗]|[大中小]份")  # most lines name no meal nor size: skip the rest
# `冰美式2`, `梨3`: a product in Chinese with a small count glued after it.
_RE_GLUED_N = re.compile(r"([\u4e00-\u9fff]+)([1-9]\d?)")
# `改为3份`, `改3份`, `2份→3份`, `1份->2份`: the quantity a member changed to.
_RE_CHANGED_TO = re.compile(
    rf"(?:改(?:为|成|到)|(?:{NUM_RE}\s*)?{UNITS}\s*(?:→|->|=>))\s*({NUM_RE})\s*(?:{UNITS})?(?![\d\w])|改(?:为|成|到)?\s*({NUM_RE})\s*{UNITS}")
# `代李四 2份`, `加1份`, `改为3份`, `团长自留 2份`: who or how, not what.
_RE_NOT_PRODUCT = re.compile(
    r"^(?:代|帮|给|替|加|再加|改|改为|改成|已|再|另|共|要|订|买|团长|自留)"
    r"|^(?:定|预定|预订|来|拍|一共|合计|总共|共计|购买了?|买了|要了|订了|定了)$"  # how (`定2份`, `一共3盒`)
    r"|\d点|明天|今天|后天|上午|下午|晚上|周[一二三四五六日天]"  # when (`明天10点取 1份`)
    r"|(?:楼|栋|幢|区|单元|门)$|自提|配送|送货|送到|快递|邮寄|上门|到店"  # where (`二楼 2份`, `自提 两份`)
)


def _in_word(text: str, m: re.Match) -> bool:
    return not m.group(1).isdigit() and m.end() < len(text) and text[m.end()].isalpha() and not _MEAL_WORDS.match(
        text[m.end():m.end() + 2])


def has_plus(text: str) -> bool:
    """`王芳 +1`: an unnumbered line that still joins the chain."""
    return bool(_RE_PLUS.search(text))


def _pack_size(text: str, m: re.Match) -> bool:
    """`600ml*24瓶4箱`: `*24` after a volume or weight is the pack, not the order."""
    return m.re is _RE_X and bool(_RE_MEASURE_END.search(text[: m.start()]))


def _without_trailing_emoji(rest: str) -> str:
    """`麦辣鸡腿堡 + 麦辣鸡翅 👍` → without ` 👍`: emoji tokens standing alone at the end decorate the
    line, they are no part of the last product (a `+`, a `)` or a `。` there is kept)."""
    words = rest.rstrip().split(" ")
    while len(words) > 1 and _emoji_token(words[-1]):
        words.pop()
    return " ".join(words)


def _emoji_token(token: str) -> bool:
    return bool(token) and not re.search(r"\w", token) and any(unicodedata.category(c) == "So" for c in token)


def read_items(rest: str) -> list[tuple[str, int]]:
    """Items of the text after the name when it names several products, else []."""
    rest = _without_trailing_emoji(rest)
    if not _times(rest) or not _RE_SIZE_TIMES.search(rest):
        return _read_items(rest)
    # `苹果5斤x2 梨3斤x1`, `脐橙10斤/箱 ×1`: the sizes are part of the products (masked, then restored).
    masked = _RE_SIZE_TIMES.sub(lambda m: _mask_size(m.group(0)[: m.start("x") - m.start()]) + m.group("x"), rest)
    return [(p.replace(_SIZE_MARK, "").replace(_SLASH_MARK, "/"), n) for p, n in _read_items(masked)]


_SIZE_MARK, _SLASH_MARK = "\ue001", "\ue002"


def _mask_size(size: str) -> str:
    """`5斤` as `5\ue001斤\ue001`, `10斤/箱` with its slash masked: no quantity, no item separator, no pack."""
    return re.sub(r"(\d|[一二两俩三四五六七八九十])(\s*)(?=[^\d\s.])", rf"\1\2{_SIZE_MARK}", size, count=1).replace("/", _SLASH_MARK) + _SIZE_MARK


def _read_items(rest: str) -> list[tuple[str, int]]:
    segments = [s for s in _RE_ITEM_SEP.split(rest.strip()) if s and not _part_of_order(s)]
    segments = [g for s in segments for g in _split_glued(s)]
    if len(segments) < 2:
        # `苹果2斤 梨3斤`: products apart by spaces only, each with its own quantity
        words = rest.split() if sum(map(_marks, rest.split())) >= 2 else []
        if sum(_marks(w) == 1 and bool(re.search(r"[^\W\d_]", _RE_X.sub("", _RE_UNIT.sub("", w)))) for w in words) >= 2:
            segments = words
        elif len(words) >= 4 and (pairs := _pairs(words)) is not None:
            segments = pairs  # `苹果 2斤 梨 3斤`: each product, then its quantity
        elif glued := _glued_items(rest.split()):
            return glued  # `冰美式2 拿铁1`: distinct products, small counts
        elif "各" not in rest:
            return []
    elif glued := _glued_items(segments):
        return glued  # `苹果2、香蕉1`
    items: list[tuple[str, int]] = []
    counted = 0
    for seg in segments:
        each = _RE_EACH.match(seg)
        if each and (n := cn_number(each.group("n"))):
            head, _, last = each.group("what").strip().rpartition(" ")  # `小番茄 红和黄 各一斤`
            parts = [f"{head} {p.strip()}".strip() for p in re.split(r"和|与|跟", last) if p.strip()]
            items += [(p, n) for p in parts]
            counted += 1
            continue
        found = _unit_matches(seg) or [x for x in _RE_X.finditer(seg) if not _pack_size(seg, x)][:1]
        if len(found) == 1:  # `砂糖橘2斤`, `五斤西瓜`, `可乐x2`
            m = found[0]
            product = (seg[: m.start()] + " " + seg[m.end():]).strip()
            if product:
                items.append((product, cn_number(m.group(1)) or 1))
                counted += 1
        elif (not found and "+" in rest and seg.strip() and not _RE_BARE.fullmatch(seg.strip()) and not _modifies(rest)
              and not re.search(r"\s", seg.strip())):  # `跳操拉伸 洗漱+通勤`: words around a `+` are no dish list
            items.append((seg.strip(), 1))  # `麦辣鸡腿堡 + 麦辣鸡翅`: dishes of one each
    if len(items) < 2 or (counted < 2 and "+" not in rest and "各" not in rest):
        return []
    return [(p, n) for p, n in items if p and not _MEAL_WORDS.match(p)] or []


def _glued_items(words: list[str]) -> list[tuple[str, int]]:
    """`冰美式2 拿铁1`, `苹果2、香蕉1`: two or more distinct products each with a small count glued."""
    counted = [_RE_GLUED_N.fullmatch(w.strip()) for w in words]
    if len(counted) < 2 or not all(counted) or len({m.group(1) for m in counted}) < len(counted) or not all(
            int(m.group(2)) <= BARE_QTY_MAX and not re.fullmatch(_PORTION, m.group(1)) for m in counted):
        return []
    return [(m.group(1), int(m.group(2))) for m in counted]


def _marks(word: str) -> int:
    """How many quantities a word carries: units (`2斤`), else one `x2` (`苹果x2`)."""
    return len(_unit_matches(word)) or int(any(not _pack_size(word, x) for x in _RE_X.finditer(word)))


def _part_of_order(segment: str) -> bool:
    """`其中1份杂粮饭换白米饭`, `另1份…`, `2份换主食`, `芥菜换虎皮尖椒`: a breakdown of the order or a
    swap in it, not another product."""
    return bool(_RE_BREAKDOWN.match(segment) or "换" in segment)


def _split_glued(segment: str) -> list[str]:
    """`橙子4斤青岛清爽24罐装一箱` → `橙子4斤`, `青岛清爽24罐装一箱`: a product glued after the
    quantity of the one before starts an item of its own."""
    units = _unit_matches(segment)
    cuts = [m.end() for m in units[:-1]
            if m.end() < len(segment) and re.match(r"\s*[^\W\d_]{2}", segment[m.end():]) and segment[: m.start()].strip()]
    if not cuts:
        return [segment]
    bounds = [0, *cuts, len(segment)]
    return [segment[a:b] for a, b in zip(bounds, bounds[1:]) if segment[a:b].strip()]


def _pairs(words: list[str]) -> list[str] | None:
    """`苹果 2斤 梨 3斤` as ["苹果2斤", "梨3斤"], when the words are product, quantity, … (two or more)."""
    if len(words) < 4 or len(words) % 2:
        return None
    out = []
    for what, n in zip(words[::2], words[1::2]):
        m = _RE_UNIT.fullmatch(n)
        if not m or re.search(r"\d", what) or _unit_matches(what):
            return None
        out.append(what + n)
    return out


def _modifies(rest: str) -> bool:
    """Whether a `+` list changes one dish (`烤牛 不要酱+青椒洋葱`) rather than naming dishes."""
    return bool(_RE_MODIFIER.search(rest.split("+", 1)[0]))


def single_item(rest: str, qty: Qty, text: str) -> list[tuple[str, int]]:
    """`abc 火龙果4个`: the product glued before the quantity, as one item."""
    if qty.bare or not qty.explicit or qty.note:
        return []
    word = re.search(r"([^\W\d_][\w]*)\s*$", text[: qty.start])
    if word and word.group(1) in rest.split() and not _MEAL_WORDS.match(word.group(1)) and not _RE_NOT_PRODUCT.search(word.group(1)):
        return [(word.group(1), qty.n)]
    return []


def qty_hints(name: str, qty: Qty, numbers_left: list[str]) -> list[str]:
    """Why a quantity reading is unsure, in Chinese (empty when it is plain)."""
    hints = []
    if qty.bare and _RE_TRAILING_DIGITS.search(name):
        digits = re.search(r"\d+$", name).group(0)
        hints.append(f"昵称末尾的「{digits}」与数量「{qty.n}」挨着，已按 {qty.n} 份读取，请核对")
    elif not qty.explicit and _RE_TRAILING_DIGITS.search(name) and not re.search(r"[A-Za-z]", name):
        digits = re.search(r"\d+$", name).group(0)
        hints.append(f"昵称末尾的「{digits}」没有当作数量（按 1 份），请核对")
    if qty.others:
        hints.append(f"一行里还有「{'、'.join(qty.others)}」，已按「{qty.n}」读取，请核对")
    for n in numbers_left:
        if n.isdigit() and int(n) > BARE_QTY_MAX and not qty.explicit:
            hints.append(f"数字「{n}」像房号或尺码，没有当作数量（按 1 份），请核对")
            break
    return hints


_RE_RANGE = re.compile(r"(?:\d+\s*[-~～到至]\s*\d+|[一两二三四五六七八九]{2})\s*(?:份|个|箱|盒|袋|件|组|套)")


def range_hint(text: str, n: int) -> str:
    """`2-3份`, `两三份`: a range, not a number; read as one of them, said in Chinese ("" when none)."""
    m = _RE_RANGE.search(text)
    return f"「{m.group(0)}」是个范围，已按 {n} 份读取，请核对" if m else ""


def items_hint(items: list[tuple[str, int]], text: str) -> str:
    units = {u for u in re.findall(rf"\d\s*({UNITS})|{_CN_NUM}({UNITS})", text) for u in u if u}
    if len(items) >= 2 and len(units) >= 2:
        return f"多个商品单位不同（{'、'.join(sorted(units))}），数量为各商品合计，请核对"
    return ""


def _grams(s: str) -> set[str]:
    s = re.sub(r"[\W\d_]+", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def same_product(item: str, product: str) -> bool:
    """Whether an item names the deal's product: one contains the other, or they share a
    two-character word (`红富士冰糖心` / `冰糖心苹果`), or are one kind (`甜橙` / `橙子`: deal_match.same_kind)."""
    a, b = re.sub(r"\s+", "", item), re.sub(r"\s+", "", product)
    if not a or not b:
        return False
    return a in b or b in a or bool(_grams(a) & _grams(b)) or same_kind(a, b)


def is_class(item: str) -> bool:
    """`大`, `儿童`: a ticket class of a `2大1小` split, not a product."""
    return bool(re.fullmatch(_CLASS, item))
