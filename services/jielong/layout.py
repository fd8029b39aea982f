"""Where a pasted chain's entries start: the header a person skips before reading orders.

Pure functions, no database. A WeChat 接龙 is a title, a description (often with a numbered
menu, product list or numbered instructions), maybe a format line, an example line (`例 …`),
then the entries. `numbered_pieces(text)` cuts the text into numbered pieces and marks which of
them belong to the header, the way a person reads it:

- everything numbered above the last example or format line is header (`例 桃子 1份午餐晚餐`,
  `格式：姓名+份数`, a numbered `1. 姓名/项目简介/Issue#`), also when nothing follows it: a chain
  right after its release is its header only;
- a numbered block indented deeper than the chain's other numbered lines is a menu
  (`   1.红烧鲈鱼` under `6.9号星期二午餐预定接龙（30元）`), and so is one indented under a label
  line (`品种：`, `今日菜品`, any short line ending in a colon; not `接龙名单：`);
- a price and what it buys (`29.9元/5斤`, `¥39.9`, `39元一份`, `单价19.9`, `一包230元`, also wrapped onto
  the line below the product) orders nothing; a block
  of priced products (`1. 赣南脐橙5斤 29.9元`, `1.【脐橙】5斤装 ¥39.9`) is a menu;
- a numbered block whose lines end in prices (`22.9`, `24.9/盒`, `10元/斤`) above the entries
  is a priced menu (`Piece.menu`): the entries may order by its numbers (services.jielong.menu_orders);
- a numbered block introduced by a line that announces a list (`…内容包括：`, `今日菜单`) is
  header when numbered lines follow it;
- the first numbered line of the entries that names the chain itself (`1. A材料学院水果美食团购`)
  is the title written as item 1;
- a numbered block of rules (`1、请写真实姓名`, `2、每人限报一次`) above the entries, or a chain of
  nothing but rules, is header;
- a WeChat timestamp before a numbered line (`22:14 1. 张三`) is not part of it; `1。` `1-张三`,
  `(1)` / `【1】` and keycap numbers (`1️⃣`) number a line too; `一、` numbers sections and lists,
  so a block numbered so is header unless most of its lines order (`一、张三 2份`);
- a date or a decimal alone on a line (`8.7`) is no numbered line;
- a numbered list of dishes or goods and nothing more (`1.红烧肉` / `2.清蒸鱼`, `1. 赣南脐橙`) is the
  menu, even flush under the title with nothing below it; blank slots of a template (`1. ________`,
  `2. 姓名：＿＿`, `3. xxx`, `4. 虚位以待`) and the event's details numbered with the members
  (`1. 活动时间：…`, `4. 已上车：21/21`, a year, a date, a link) are header (round 8).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from services.cn_numbers import cn_number
from services.jielong.quantities import find_qty, has_plus

_RE_EXAMPLE = re.compile(r"^\s*(?:例|示例|举例|格式|例如|e\.g\.)", re.IGNORECASE)
# `12. 王芳`, `12、王芳`, `12) 王芳`; not `5.30左右到` (a decimal) nor `12:30截单` (a time).
# WeChat's own example line (`例 张三 1份`), not a footer that starts with 例如 or 格式不对.
_RE_EXAMPLE_LINE = re.compile(r"^(?:例|示例)(?:[\s:：]|$)|^格式\s*[:：]")
_RE_NUMBERED = re.compile(
    r"^(\s*)(\d{1,5})\s*(?:[、,)\]。]|\.(?!\d+(?![\d\-_/ ]|$))|:(?!\d)|[-—](?=[^\W\d_]))\s*(.*)$"
)
# `一、张三 2份`: numbered in Chinese numerals (only with 、, the way Chinese lists are written).
_RE_CN_NUMBERED = re.compile(r"^(\s*)([一二三四五六七八九十]{1,3})\s*、\s*(.*)$")
# `(1) 张三`, `（1）张三`, `【1】张三`: a number in brackets.
_RE_BRACKET_NUMBERED = re.compile(r"^(\s*)[(\[【]\s*(\d{1,4})\s*[)\]】]\s*(.*)$")
# `【跟团号1】王芳 苹果×2`, `跟团号：12 李四`: a group-buy app's follow number (快团团, 群接龙).
_RE_FOLLOW_NUMBERED = re.compile(r"^(\s*)[(\[【]?\s*跟团号\s*[:：]?\s*(\d{1,5})\s*[)\]】]?\s*[,，:：]?\s*(.*)$")
_RE_HASH_NUMBERED = re.compile(r"^#(\d{1,3})(?!\d)(?:[\s.、:]\s*|(?=[^\W\d_]))(\S.*)$")
# `8.7`, `5.20` alone on a line: a date or a decimal, not item 8 named 7 (`1.295-909` is an entry).
_RE_DATE_LINE = re.compile(r"^\s*\d{1,2}\.\d{1,2}\s*$")
# A WeChat timestamp copied in front of a line (`2026年10月3日 22:14 1. 张三 2份`, `22:15 收到`).
_RE_STAMP = re.compile(
    r"^\s*(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|昨天|前天|星期[一二三四五六日天])?"
    r"\s*(?:上午|下午|晚上)?\s*\d{1,2}:\d{2}(?::\d{2})?\s+(?=\S)"
)
_RE_FIRST_WORD = re.compile(r"[\s,，、;；]")
# Numbered rules above the entries: `1、请写真实姓名`, `2、每人限报一次`, `3、周五截止`.
_RE_RULE = re.compile(
    r"请|须|务必|需要|需|要求|限|截止|截单|不得|禁止|不能|不可|可以|每人|每户|时间|地点|费用|集合|出发|自带|提前|准时"
    r"|注意|统一|之前|以前|以后|缴费|付款|转账|提交|填写|按照|格式|规则|说明|地址[:：]"
    r"|如遇|如有|如需|如果|申请|退款|退换|不退|售后|送货|发货|到货|自提|取货|提货|配送|成功后|天内|小时内|以内"
)
_RE_MARKER = re.compile(r"(?:(?<=\s)|^)(\d{1,4})[.、](?=\s|$)")
# A template names the fields a member should write, not a member.
_RE_TEMPLATE = re.compile(
    r"姓名|名字|昵称|楼号|楼栋号|房号|房间号|份数|数量|需要多少|电话|手机号|项目简[介称]|Issue#"
    r"|门店|店名|型号|品名|商品名?|规格|尺码|颜色|口味|部门|班级|学号|工号"
)
_RE_FILLED = re.compile(rf"(?:{_RE_TEMPLATE.pattern})\s*[:：]\s*[^\s/+、|]")  # `姓名：王芳`: a filled-in form
_RE_LIST_INTRO = re.compile(
    r"(?:[:：]\s*$)|菜单|菜品|菜式|品种|清单|目录|套餐|口味|要求|规则|须知|说明|注意事项|内容包括|如下"
)
_RE_NOTICE = re.compile(r"(?:温馨提示|提示|注意事项|注意|须知|说明|规则|要求|步骤|流程|内容包括)\s*[:：]?\s*$")
_RE_CHAIN_TITLE = re.compile(r"团购|接龙|拼团|报名|预[定订]|订购|统计|登记|征集")
# Where a pasted chain begins: `#接龙`, `#接龙 赣南脐橙`, or a bare `接龙` line.
_RE_CHAIN_START = re.compile(r"^\s*(?:#\s*接[龙龍]|接[龙龍]\s*$)")
_RE_PRICE = re.compile(r"\d(?:\.\d+)?\s*(?:元|块钱)|[¥￥]\s*\d")
# A price ending a menu line without 元: `22.9`, `16.9/21.9/19.9`, `24.9/盒`, `5/个`.
_RE_TAIL_PRICE = re.compile(
    r"(?<![\d.])\d{1,4}\.\d{1,2}(?:\s*/\s*\d{1,4}(?:\.\d{1,2})?)*(?:\s*/\s*[^\W\d_]{1,2})?\s*$"
    r"|(?<![\d.])\d{1,4}\s*/\s*[个盒份斤袋箱杯只瓶包]\s*$"
)
_UNIT = r"(?:斤|盒|个|份|箱|袋|包|瓶|只|件|杯|公斤|kg)"
# A pack a price is given for, unit first, written either way (简/繁): `一包230元`, `一组2条150元`.
_PACK = r"(?:斤|盒|个|個|份|箱|袋|包|瓶|罐|只|隻|件|杯|组|組|条|條|串|颗|顆|套|盘|盤)"
# A price per unit: `10元/斤`, `29.9元/5斤`, `39元一份`, `¥39.9`, `单价19.9`, `一包230元`, `每组2条150元`.
_RE_UNIT_PRICE = re.compile(
    rf"\d(?:\.\d+)?\s*(?:元|块)\s*(?:/|一|每)\s*\d*\s*{_UNIT}|[¥￥]\s*\d|单价\s*[:：]?\s*\d"
    rf"|(?:一|每)\s*{_PACK}\s*(?:\d+\s*{_PACK})?\s*\d+(?:\.\d+)?\s*(?:元|块)")
# A price with what it is for, which orders nothing: `29.9元/5斤`, `¥39.9/盒`, `49.9/10斤`, `单价19.9`.
_RE_PRICE_SPAN = re.compile(
    rf"(?:单价\s*[:：]?\s*[¥￥]?|[¥￥]\s*)\d+(?:\.\d+)?(?:\s*(?:元|块钱?))?(?:\s*(?:/|一|每)\s*\d*\s*{_UNIT})?"
    rf"|\d+(?:\.\d+)?\s*(?:元|块钱)(?:\s*(?:/|一|每)\s*\d*\s*{_UNIT})?"
    rf"|(?<![\d.])\d{{1,4}}\.\d{{1,2}}\s*/\s*\d*\s*{_UNIT}"
)
_RE_QTY_HINT = re.compile(r"\d\s*(?:份|盒|斤|箱|个|袋|包|瓶|件)(?!装)|(?<![A-Za-z])[xX×*]\s*\d")  # not `5斤装`, `250ml*24`


@dataclass
class Piece:
    """One numbered piece of the chain (a line, or a part of WeChat's single-line chain)."""

    seq: int | None
    body: str
    raw: str
    line: int
    indent: int
    header: bool = False
    menu: bool = False  # a line of a priced menu in the header (`2. 生巧焦糖香蕉布丁小方 22.9`)
    outline: bool = False  # numbered `一、`: how sections are numbered, seldom entries


def numbered_pieces(text: str) -> list[Piece]:
    """The chain's numbered pieces (and `王芳 +1` lines), header ones marked `header=True`."""
    lines = text.split("\n")
    pieces: list[Piece] = []
    spaced: list[Piece] = []
    for i, line in enumerate(lines):
        found = _split_line(line, i) if "   " not in line else _split_wide(line, i)
        plus_only = len(found) == 1 and found[0].seq is None  # `3 王五 +1`: numbered, and a +1
        if (not found or plus_only) and (m := _RE_SPACE_NUMBERED.match(line) or _RE_SPACE_NUMBERED_PLACE.match(line)):
            spaced.append(Piece(int(m.group(2)), m.group(3).strip(), line.strip(), i, len(m.group(1).expandtabs(4))))
        pieces += found
    if spaced and (runs := _counting_runs(spaced, pieces, _anchors(lines))):
        taken = {p.line for p in runs}
        pieces = sorted([p for p in pieces if p.seq is not None or p.line not in taken] + runs, key=lambda p: p.line)
    _mark_header(lines, pieces)
    return pieces


# `10、杜雨峻,早餐。      11、邓灵 早餐`: two entries on one line, far apart (the next number after wide space).
_RE_WIDE_NEXT = re.compile(r"\s{3,}(?=(\d{1,4})\s*[.、。](?!\d))")


def _split_wide(line: str, index: int) -> list[Piece]:
    """A line holding numbered lines one after another, apart by wide space, when they count up."""
    found = _split_line(line, index)
    if len(found) != 1 or found[0].seq is None:
        return found
    cuts, seq = [], found[0].seq
    for m in _RE_WIDE_NEXT.finditer(line):
        if int(m.group(1)) == seq + 1:
            cuts.append(m.end())
            seq += 1
    if not cuts:
        return found
    bounds = [0, *cuts, len(line)]
    parts = [_split_line(line[a:b], index) for a, b in zip(bounds, bounds[1:])]
    if any(len(p) != 1 for p in parts):
        return found
    for p in parts[1:]:
        p[0].indent = found[0].indent
    return [p[0] for p in parts]


# `1 张三 2份`: a number and a space only; a line number when such lines count up (1, 2, 3 …).
_RE_SPACE_NUMBERED = re.compile(r"^(\s*)(\d{1,3})[ \t\u3000]+(?![\d\s]|[份盒斤箱个袋包瓶件杯只位人点号楼栋天元块次期秒克]|小时|分钟|周内|月内|年|\S*\d:)(.*\S.*)$")
# `2 295-909 6`, `2 3栋王姐 3`: a body that starts with a room or a building, not with a count (`3 5斤`).
_RE_SPACE_NUMBERED_PLACE = re.compile(
    r"^(\s*)(\d{1,3})[ \t\u3000]+((?:\d{1,5}(?:[-#]\d{1,5}){1,3}(?![\d.]|\s*[份盒斤箱个袋包瓶件杯只元块天点号])|\d{1,3}(?:栋|号楼|幢|座|单元)(?=[^\W\d_]))(?:\s.*)?\S.*)$"
)


def _anchors(lines: list[str]) -> list[int]:
    """Lines after which entries are due: the example line (`例 张三 1份`) and the `#接龙` line."""
    return [i for i, ln in enumerate(lines) if _RE_EXAMPLE_LINE.match(ln.strip()) or _RE_CHAIN_START.match(ln)]


def _anchored(run: list[Piece], numbered: list[Piece], anchors: list[int]) -> bool:
    """`例 桃子 1份` / `1 桃子 5份`: a run from 1 that is the first numbered list under the example
    (or `#接龙`) line is the entries, however short."""
    start = run[0].line
    below = [a for a in anchors if a < start]
    return run[0].seq == 1 and bool(below) and not any(below[-1] < p.line < start for p in numbered if p.seq is not None)


def _counting_runs(spaced: list[Piece], numbered: list[Piece], anchors: list[int]) -> list[Piece]:
    """The space-numbered lines that count up by one on consecutive lines, in runs of three, or two
    from 1, or from 1 under the example line (a wrapped entry between them: up to 4 lines apart),
    or that go on from the numbered line right above (`1. 王芳` / `2 李四`)."""
    above = {p.line: p.seq for p in numbered if p.seq is not None}
    out: list[Piece] = []
    for p in spaced:  # in line order: `2 李四` joins, then `3 王五` under it
        if any(above.get(p.line - k) == p.seq - 1 for k in (1, 2)):
            out.append(p)
            above[p.line] = p.seq
    run: list[Piece] = []
    for p in [*spaced, None]:
        gap = 4 if run and _anchored(run, numbered, anchors) else 2
        if p is not None and run and p.seq == run[-1].seq + 1 and p.line - run[-1].line <= gap:
            run.append(p)
            continue
        if len(run) >= 3 or (len(run) == 2 and run[0].seq == 1) or (run and _anchored(run, numbered, anchors)):
            out += [r for r in run if r not in out]
        run = [p] if p is not None else []
    return out


def is_example(line: str) -> bool:
    return bool(_RE_EXAMPLE.match(line))


# `1. 赣南脐橙 19.9元`: a word and a price with cents, nothing else; as likely a price list as a member.
_RE_PRICE_ONLY = re.compile(r"^[^\W\d_]{2,12}\s*(?:[¥￥]\s*)?\d{1,4}\.\d{1,2}\s*(?:元|块钱)?$")


def price_only(body: str) -> bool:
    """Whether an entry's text is only a word and a price (`赣南脐橙 19.9元`): say so, never guess."""
    return bool(_RE_PRICE_ONLY.match(body.strip()))


def is_template(body: str) -> bool:
    """`姓名/项目简介/Issue#`, `楼栋号-房间号 需要多少份`: a format line, even when numbered."""
    if len(set(_RE_TEMPLATE.findall(body))) < 2 or _RE_FILLED.search(body):
        return False
    return len(re.sub(r"[\W_]", "", _RE_TEMPLATE.sub("", body))) <= 4  # a member's line has more than field names


# Blanks a template leaves to fill in: `________`, `＿＿`, `□□`, `( )`, `xxx`.
_RE_BLANK = re.compile(r"[_＿﹍]{2,}|[□○◯]+|[(（【\[]\s*[)）】\]]|(?<![A-Za-z])(?:xxx?|XXX?)(?![A-Za-z])")
# A slot the leader keeps open by a word: `5. 虚位以待`, `6. 空位`, `7. 待定` (the whole line, nothing else).
_RE_OPEN_SLOT = re.compile(r"^(?:虚位以待|空位|空缺|待定|待补|待填|名额|留空)[。.…]*$")
# A field label (`姓名：`, `电话:`), or one of the template's field names standing alone.
_RE_FIELD_LABEL = re.compile(rf"[^\s:：/|,，、]{{1,6}}\s*[:：]|{_RE_TEMPLATE.pattern}")


def blank_slot(body: str) -> bool:
    """`1. ________`, `2. 姓名：＿＿ 电话：＿＿`, `3. xxx`, `4. 虚位以待`: an empty slot of a blank
    template, waiting for a member; nothing of a person is in it. (`1.` alone reads as nothing already.)"""
    if _RE_OPEN_SLOT.match(body.strip()):
        return True
    if not _RE_BLANK.search(body):
        return False
    rest = _RE_FIELD_LABEL.sub(" ", _RE_BLANK.sub(" ", body))
    return not re.sub(r"[\W_]", "", rest)


# What a menu lists, not who orders: a dish by its cooking (`红烧…`, `清炒…`, `凉拌…`) or its food
# (`…肉`, `…鱼`, `…汤`, `…时蔬`, `…豆腐`), a fruit (`…橙`, `…橘`, `…苹果`), a drink, a cake, a set meal,
# rice or oil of a group buy.
_RE_COOKED = re.compile(
    r"^(?:红烧|清蒸|清炒|小炒|爆炒|干煸|干锅|凉拌|香煎|油焖|黄焖|酱爆|糖醋|鱼香|宫保|麻婆|水煮|蒜蓉|白灼|椒盐|香辣|麻辣"
    r"|番茄|西红柿|酸辣|卤|炒|煎|炖|焖|蒸|烤|炸|焗|酿)")
_RE_FOOD_END = re.compile(
    r"(?:肉|鱼|虾|蟹|鸡|鸭|鹅|蛋|汤|羹|粥|饭|面|粉|饺|馄饨|包子|饼|糕|菜|时蔬|瓜|豆|豆腐|豆角|笋|菇|茄子|椒|藕|薯|芋头?|萝卜|玉米|木耳|西兰花"
    r"|排骨|翅|腿|腩|肠|丸子?|鸡丁|肉丝|肉片|肉丁|橙|橘|桔|柑|柚子?|梨|桃|莓|香蕉|榴莲|芒果|柿子?|枣|果|葡萄"
    r"|奶|茶|咖啡|拿铁|美式|蛋糕|面包|吐司|布丁|蛋挞|麻薯|沙拉|寿司|汉堡|套餐|便当|盒饭|大米|油)$")
_RE_BRACKETS_ANY = re.compile(r"[(（【\[][^()（）【】\[\]]{0,12}[)）】\]]")
# Three characters at least: two-character foods are also common nicknames (`葡萄`, `小鱼`, `桃子`).
_RE_THING_WORD = re.compile(r"^[\u4e00-\u9fff]{3,10}$")


def _thing(body: str) -> bool:
    """`红烧肉`, `清炒时蔬`, `紫菜蛋花汤`, `赣南脐橙`: the line is one dish or product, nothing else."""
    word = re.sub(r"[\W_]", "", _RE_BRACKETS_ANY.sub("", body))  # `红烧肉🍖`, `清蒸鱼（小份）`
    return bool(_RE_THING_WORD.match(word)) and bool(_RE_COOKED.match(word) or _RE_FOOD_END.search(word))


def _things(block: list[Piece]) -> bool:
    """A numbered list of dishes or products and nothing more (`1.红烧肉` / `2.清蒸鱼` under
    `9.23号星期三午餐预定接龙（30元）`) is the menu, even flush and with nothing below it: a chain
    right after its release. Every line must read so, or all but one of three or more (a dish the
    words do not tell, `农家一碗香`); one nickname like `葡萄` among people does not."""
    if len(block) < 2:
        return False
    dishes = sum(_thing(p.body) for p in block)
    return dishes == len(block) or (len(block) >= 3 and dishes == len(block) - 1)


# The event's details numbered like entries (`1. 活动时间：20:00-22:00`, `3. 价格：39.00元/人`,
# `4. 已上车：21/21`, `5. 报名链接：weixin://…`): a label of the event, not of a member (`姓名：王芳` is one).
_RE_DETAIL_LABEL = re.compile(
    r"^[^\s:：]{0,6}?(?:时间|日期|地点|场地|场馆|价格|价钱|费用|收费|人数|名额|已上车|已报名|链接|主办|俱乐部|组织|发起|联系"
    r"|截止|集合|场次|规则|须知|说明|要求)\s*[:：]")
_RE_MEMBER_LABEL = re.compile(r"^(?:姓名|名字|昵称|微信名|群昵称|电话|手机|楼号|房号|地址)")
# A year (`2026`), a date (`07.15`, `7月15日`), a link or a rule of dashes alone: no person.
_RE_DETAIL_ALONE = re.compile(
    r"^(?:(?:19|20)\d{2}年?|\d{1,2}[./]\d{1,2}|\d{1,2}月\d{1,2}[日号]?|(?:https?|weixin)://\S+|[-—=~·*.\s]{3,})$", re.IGNORECASE)


def _detail(body: str) -> bool:
    """Whether a numbered line states a detail of the event (`活动地点：…`, `2026`), not a member."""
    text = body.strip()
    return bool(_RE_DETAIL_ALONE.match(text)) or (bool(_RE_DETAIL_LABEL.match(text)) and not _RE_MEMBER_LABEL.match(text))


def _mark_details(block: list[Piece]) -> None:
    """`1. 活动时间：…` / `2. 户外` / `3. 已上车：21/21` / `4. 张三`: details of the event
    numbered with the members are header, and so is a word between two of them with no quantity (`户外`:
    read in the run of details, not as a member); the members keep their numbers."""
    details = [_detail(p.body) for p in block]
    for i, p in enumerate(block):
        between = 0 < i < len(block) - 1 and details[i - 1] and details[i + 1] and not _RE_QTY_HINT.search(p.body)
        if details[i] or between:
            p.header = True


def _split_line(line: str, index: int) -> list[Piece]:
    stripped = line.strip()
    if not stripped or is_example(stripped):
        return []
    indent = len(line) - len(line.lstrip())
    markers = list(_RE_MARKER.finditer(stripped)) if stripped.count(".") + stripped.count("、") >= 2 else []
    for start_i in range(min(3, len(markers) - 1)):
        # WeChat's single-line chain: `#接龙 1. 王芳 2. 李四 3. …` (numbers counting up by one).
        run = [markers[start_i]]
        for m in markers[start_i + 1:]:
            if int(m.group(1)) == int(run[-1].group(1)) + 1:
                run.append(m)
        if len(run) >= 2 and len(run) * 2 > len(markers) - start_i:
            pieces = []
            for i, m in enumerate(run):
                end = run[i + 1].start() if i + 1 < len(run) else len(stripped)
                raw = stripped[m.start():end].strip()
                pieces.append(Piece(int(m.group(1)), stripped[m.end():end].strip(), raw, index, indent))
            return pieces
    if stripped.startswith("#"):
        if h := _RE_HASH_NUMBERED.match(stripped):  # `#12 张三 苹果x2`: a follow number, not a hashtag
            return [Piece(int(h.group(1)), h.group(2).strip(), stripped, index, indent)]
        return []
    if _RE_DATE_LINE.match(stripped):
        return []
    m = _RE_NUMBERED.match(line.rstrip())
    if not m and (stamp := _RE_STAMP.match(line)):
        m = _RE_NUMBERED.match(line[stamp.end():].rstrip())
    if m:
        return [Piece(int(m.group(2)), m.group(3).strip(), stripped, index, len(m.group(1).expandtabs(4)))]
    if (cn := _RE_CN_NUMBERED.match(line.rstrip())) and (n := cn_number(cn.group(2))):
        return [Piece(n, cn.group(3).strip(), stripped, index, len(cn.group(1).expandtabs(4)), outline=True)]
    if "跟团号" in stripped and (f := _RE_FOLLOW_NUMBERED.match(line.rstrip())):
        return [Piece(int(f.group(2)), f.group(3).strip(), stripped, index, len(f.group(1).expandtabs(4)))]
    if b := _RE_BRACKET_NUMBERED.match(line.rstrip()):
        return [Piece(int(b.group(2)), b.group(3).strip(), stripped, index, len(b.group(1).expandtabs(4)))]
    if has_plus(stripped):
        return [Piece(None, stripped, stripped, index, indent)]
    return []


def _blocks(pieces: list[Piece], lines: list[str]) -> list[list[Piece]]:
    """Runs of numbered pieces; a new run starts where the numbering restarts at 1, the
    indentation changes, or a labelled list ends (`温馨提示：` / `1、…` `2、…` / `20、刘小西`)."""
    blocks: list[list[Piece]] = []
    for p in pieces:
        prev = blocks[-1][-1] if blocks else None
        if (prev is None or p.indent != prev.indent or (p.seq == 1 and prev.seq is not None and prev.seq >= 1)
                or _labelled_list_ends(blocks[-1], p, lines)):
            blocks.append([p])
        else:
            blocks[-1].append(p)
    return blocks


def _labelled_list_ends(block: list[Piece], p: Piece, lines: list[str]) -> bool:
    """A list under a label (`今日菜单：`, `温馨提示：`), or of rules only (`1. 每户限购两份`), numbered
    1, 2, … k on consecutive lines ends where the numbering does not go on to k + 1: what follows is
    another list (the entries of a chain pasted from the middle, `20、刘小西`)."""
    if p.seq is None or p.seq == len(block) + 1 or len(block) < 2:
        return False  # (the cheap tests first: this runs for every numbered line)
    if any(b.seq != i + 1 or b.line != block[0].line + i for i, b in enumerate(block)):
        return False
    intro = _intro(lines, block[0].line)
    return (bool(intro) and intro[-1] in ":：") or all(map(_rule, block))


def _mark_header(lines: list[str], pieces: list[Piece]) -> None:
    """Mark the header pieces of each pasted chain (a paste may hold several, each from `#接龙`)."""
    starts = [i for i, ln in enumerate(lines) if _RE_CHAIN_START.match(ln)]
    sections: dict[int, list[Piece]] = {}
    for p in pieces:
        if p.seq is not None:
            sections.setdefault(bisect_right(starts, p.line), []).append(p)
    bounds = list(zip([0, *starts], [*starts, len(lines)]))
    for k, numbered in sections.items():
        _mark_section(lines, *bounds[k], numbered)


def _mark_section(lines: list[str], lo: int, hi: int, numbered: list[Piece]) -> None:
    examples = [i for i in range(lo, hi) if _RE_EXAMPLE_LINE.match(lines[i].strip())]
    cut = max([-1, *examples, *(p.line for p in numbered if is_template(p.body))])
    base = min(p.indent for p in numbered)
    first_flush = min(p.line for p in numbered if p.indent == base)
    blocks = _blocks(numbered, lines)
    for bi, block in enumerate(blocks):
        nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
        orders = _looks_like_orders(block)
        header = block[-1].line <= cut or (bi > 0 and _tally(lines, block)) or _labelled_menu(lines, block) or _priced_products(lines, block, nxt) or (not orders and (
            all(p.outline for p in block)  # `一、时间：周六` / `一、口罩`: sections or a list, unless they order
            or _things(block)  # `1.红烧肉` / `2.清蒸鱼`: dishes or goods, nobody who orders them
            or _rules(block, last=nxt is None) or _header_block(lines, block, nxt, base, first_flush)))
        priced = header and _priced(block)
        for p in block:
            p.header = header or p.line <= cut or blank_slot(p.body)
            p.menu = priced
        if not header:
            _mark_details(block)
    entries = [p for p in numbered if not p.header]
    if entries and _is_title(entries[0]):
        entries[0].header = True


# A label that announces people, not things: the entries may stand indented under it.
_RE_PEOPLE_LABEL = re.compile(r"名单|报名|接龙|参加|参与|人员|成员|团员|已[订定报]|订单|下单|签到|打卡|统计|汇总|例")


def _labelled_menu(lines: list[str], block: list[Piece]) -> bool:
    """`品种：` / `   1. 赣南脐橙 29.9元/5斤`: a list indented under a label line (`菜单：`, `今日菜品`,
    any short line ending in a colon) is a menu or a list of things, even when its lines name
    sizes (`5斤`); not under a label of people (`接龙名单：`)."""
    intro = _intro(lines, block[0].line)
    if block[0].indent < _indent_above(lines, block[0].line) + 2:
        return False  # indented under the label, not a chain copied indented as a whole
    return (0 < len(intro) <= 20 and bool(_RE_LIST_INTRO.search(intro)) and not _RE_PEOPLE_LABEL.search(intro)
            and not _RE_CHAIN_START.match(intro))


def _indent_above(lines: list[str], first: int) -> int:
    """The indentation of the nearest non-blank line above `first`."""
    for line in reversed(lines[:first]):
        if line.strip():
            return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
    return 0


def _header_block(lines: list[str], block: list[Piece], nxt: list[Piece] | None, base: int, first_flush: int) -> bool:
    """Whether a numbered block that reads as no orders (and is not above the example line) is a
    menu, a list or instructions; `nxt` is the block after it, `first_flush` the first line
    numbered at the base indent."""
    if block[0].indent >= base + 2 and first_flush > block[-1].line:
        return True  # an indented menu above the entries (a stray indent among them is no menu)
    intro = _intro(lines, block[0].line)
    if intro and _RE_NOTICE.search(intro):
        return True  # `温馨提示：` / `注意事项：` then numbered rules, wherever they stand
    if nxt is None:
        # `1. 车厘子 58元/斤`: a list of prices per unit is a menu even when no order follows yet;
        # so is a list of things announced as such (`自提点：`, `规格：`), when no line of it orders
        # a quantity (the 5斤 of `29.9元/5斤` is what the price buys).
        if sum(bool(_RE_UNIT_PRICE.search(_wrapped(lines, block, i))) for i in range(len(block))) * 2 > len(block):
            return True
        if any((q := find_qty(" " + _unpriced(p.body))).explicit and not q.bare for p in block):
            return False
        return bool(intro and _RE_THINGS_INTRO.search(intro))
    if intro and _RE_LIST_INTRO.search(intro) or _priced(block):
        return True
    # A product list whose products the entries order, or a plain list above numbered orders:
    # one chain is numbered once.
    rest = [p.body for p in nxt]
    return _named_later(block, rest) or (_looks_like_orders(nxt) and not _same_people(block, rest))


def _wrapped(lines: list[str], block: list[Piece], i: int) -> str:
    """A numbered line with the lines wrapped under it up to the block's next numbered line or a
    blank line (`(2)砂锅鱼头火锅` / `一包230元`: the product's price on the line below)."""
    p = block[i]
    end = block[i + 1].line if i + 1 < len(block) else p.line + 1
    wrapped = []
    for line in lines[p.line + 1:end]:
        if not line.strip():
            break
        wrapped.append(line.strip())
    return " ".join([p.body, *wrapped])


# An intro that announces a list of things, not of people: `自提点：`, `规格：`, `请到以下地点取：`.
_RE_THINGS_INTRO = re.compile(
    r"(?:自提点|提货点|取货点|地点|地址|规格|口味|品种|款式|价格|价目|产品|商品|菜单|套餐|须知|规则|说明|流程|步骤)\s*(?:如下)?\s*[:：]?\s*$"
    r"|以下(?:地点|地址|商品|产品|规格)"
)


_RE_SIZE = re.compile(r"\d\s*(?:kg|KG|g|ml|ML|L|斤|克|公斤|两)装?")


def _priced_products(lines: list[str], block: list[Piece], nxt: list[Piece] | None) -> bool:
    """`1.【脐橙】5斤装 ¥39.9`, `1. 赣南脐橙5斤 29.9元`: a list of priced products is a menu, even
    when a size reads like a quantity; the products show by their form or the text above
    (`_products`), or by the entries below ordering them after a name."""
    return _priced(block) and (_products(lines, block) or (nxt is not None and _named_later(block, [p.body for p in nxt])))


def _products(lines: list[str], block: list[Piece]) -> bool:
    """Whether most lines start with a product: `【脐橙】…`, a size (`5kg装`), or a word of the text
    above the block (`#接龙 牛奶` / `1. 纯牛奶 …`)."""
    above = "\n".join(lines[: block[0].line])

    def product(body: str) -> bool:
        first = body.split()[0] if body.split() else ""
        return first[:1] in "【[" or bool(_RE_SIZE.search(first)) or any(
            first[i:i + 2] in above for i in range(len(first) - 1) if re.fullmatch(r"[\u4e00-\u9fff]{2}", first[i:i + 2]))
    return sum(map(product, (p.body for p in block))) * 2 > len(block)


_RE_TALLY = re.compile(r"(?:统计|汇总|合计|共计|总计|小计|总数)\s*(?:如下)?\s*[:：]?\s*$")


def _tally(lines: list[str], block: list[Piece]) -> bool:
    """`统计：` / `1. 苹果 2斤`: the leader's tally below the entries, not more entries."""
    return bool(_RE_TALLY.search(_intro(lines, block[0].line)))


def _same_people(block: list[Piece], rest: list[str]) -> bool:
    """The next block starts with the same names: the same chain pasted again, not a menu."""
    names = {p.body.split()[0] for p in block if p.body.split()}
    return any(r.split() and r.split()[0] in names for r in rest)


def _named_later(block: list[Piece], rest: list[str]) -> bool:
    names = [p.body.split()[0] for p in block if p.body.split() and len(p.body.split()[0]) >= 2]
    # A product is ordered after the person's name, never where a name stands (`1. 王芳` twice).
    return bool(names) and sum(any(n in r and not r.startswith(n) for r in rest) for n in names) * 2 >= len(block)


def _intro(lines: list[str], first: int) -> str:
    """The nearest non-blank line above a block when it is not numbered (it may announce a list)."""
    for i in range(first - 1, -1, -1):
        if lines[i].strip():
            return "" if _RE_NUMBERED.match(lines[i]) else lines[i].strip()
    return ""


def _rule(p: Piece) -> bool:
    """`1、请写真实姓名`: a rule of the chain, a sentence where a member writes a name."""
    first = _RE_FIRST_WORD.split(p.body.strip(), maxsplit=1)[0]
    return len(first) >= 4 and bool(_RE_RULE.search(first))


def _rules(block: list[Piece], last: bool) -> bool:
    """A numbered block of rules (`1、组委会要求提交的报告`): most of its lines are rules, all of
    them when no block follows (then it is a chain of nothing but rules)."""
    if len(block) < 2:
        return False
    n = sum(map(_rule, block))
    return n == len(block) if last else n * 2 > len(block)


def _unpriced(body: str) -> str:
    """The line without its prices: the 5斤 of `29.9元/5斤` is what the price buys, no order."""
    return _RE_PRICE_SPAN.sub(" ", body) if any(c in body for c in "元块¥￥价/") else body


def _looks_like_orders(block: list[Piece]) -> bool:
    return sum(bool(_RE_QTY_HINT.search(_unpriced(p.body))) for p in block) * 2 > len(block)


def _priced(block: list[Piece]) -> bool:
    """`1. 苹果 10元/斤`: a product list with prices, not orders."""
    return sum(bool(_RE_PRICE.search(p.body) or _RE_TAIL_PRICE.search(p.body)) for p in block) * 2 > len(block)


def _is_title(p: Piece) -> bool:
    """`1. A材料学院水果美食团购`: the chain's own name written as its first item."""
    body = p.body.strip()
    return (p.seq == 1 and len(body) >= 6 and not re.search(r"\s", body) and bool(_RE_CHAIN_TITLE.search(body))
            and not _RE_QTY_HINT.search(body))
