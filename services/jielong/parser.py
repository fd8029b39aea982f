"""Parse a 接龙 (chain) as copied from a WeChat group into entries.

Pure functions, no database. `parse_chain(text)` returns one `ChainEntry` per entry: a numbered
line that carries a person, below the header that services.jielong.layout tells apart (title,
menus and product lists, numbered instructions, format and example lines). It understands
`12. 王芳 2份 5栋`, `12、王芳 两份`, full-width digits and punctuation, Chinese numerals, `x2` /
`*2` / `+1`, units (份 盒 斤 箱 …), class counts (`2大1小`), building-room numbers (`295-909`, not
a quantity), digits inside nicknames (`Lqz13Th`), notes in brackets, cancellations (取消, 不要了),
several products on one line (services.jielong.quantities) and WeChat's single-line chain
(`1. 2. 倪彩霞 gt7 3. 莓心`).

Judgment calls (documented because a chain is free text; the same as tests/data/real/README.md):
- the name runs to the first separator: a space, `，,、；;：:`, or a dash between words
  (`Kevin涛-增肌` → Kevin涛; `Sissi-CC` and `295-909` stay whole); URLs are never names;
- what makes it a person stays: a class (`23土木6班 周八` is the whole name), Latin first and
  last names (`Amy Wang`), a leading emoji (`😊 乐乐`), a building glued to the name (`5号楼刘`,
  also copied to the address, so two neighbours `5号楼刘` / `8号楼刘` stay two buyers);
- a place is the address, not the name: before a separator (`云谷11栋-葛原` → 葛原), glued after
  it (`杨茜H区` → 杨茜), or a place the chain itself uses (`sisy云谷`, `云谷美猴王`);
- a bare number is a quantity only when it is a lone token between 1 and 20 (`王芳 2`);
  `王燕燕 512 白色` keeps 512 in the note; either way an unsure reading carries a hint;
- a numbered line with nothing after the number (`1.`) is an empty slot, not an order;
- an unnumbered line is an entry only when it carries `+N` (`王芳 +1`); other unnumbered lines
  are header, description, footer, or the continuation of the entry above;
- when the quantity is glued to a word after the name (`abc 火龙果4个`), that word is the product
  (an item, and the note), the name is `abc`;
- a clock time (`7:45-8:20`, `08:30:25`) is a note, never a quantity;
- cancelled: 取消 / 撤回 / 撤销 anywhere, also in a bracket (`2份（已取消）`); 不要了, 退出(了);
  not `葱不要` nor `不要辣` (what to leave out);
- a quantity may sit in a bracket (`张三（2份）`), after a dash (`张三-2份`, `1-101-张三-2`) or
  after each product (`苹果 2斤 梨 3斤` → two items); a `+` list of changes to one dish
  (`烤牛 不要酱+青椒洋葱`) is one dish; 人 / 位 count people (`大人2位 小孩1位` → 3);
- room numbers are addresses, never quantities (`3#502`, `A3-502`, `3栋502张三`: not 502张);
- when every entry is a Chinese name with a number glued after it (`1.小汐5`, `2.小六5`) and the
  number is not the line's own (`1. 团员1`), the number is the quantity, with a hint;
- in a chain whose header numbers a priced menu and whose members join its numbers with `+`
  (`1+2+3`), the numbers are menu items (services.jielong.menu_orders), `Rain 13` is one of item 13;
- an emoji right after a nickname (`冰✡️saya 🫧 C 牛肋条`) decorates it; after a plain Chinese
  name, or before a quantity, it does not; `@` around a name is not part of it;
- a phone written apart (`138 1234 5678`, `138-1234-5678`) is the phone; a phone tail (`尾号5678`)
  is a note, never a quantity nor a product;
- WeChat's ways (emoji codes, sender lines, `+1` in a chat) are services.jielong.chat's; a tick or a
  payment word glued after a name (`王五✅`, `张三已付`) is no part of it; a room glued after a name
  or a quantity is the address (`张三3-502`); a weight with a half (`一斤半`) is one order, the
  weight in the note, with a hint (whole quantities only, as `1.5斤`);
- short quantity lines right under an entry without one are that entry's (`2. 张三 红富士苹果` /
  `2斤`; `苹果2斤` / `梨1斤` one product a line), never a footer (`共20份`) nor a line with a colon.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from services.errors import DomainError, InvalidInput, check_paste_size
from services.jielong import chat, meals, menu_orders, reposts
from services.jielong import quantities as q
from services.jielong import spec_lines, tallies
from services.jielong.layout import is_example, numbered_pieces, price_only
from services.jielong.quantities import BARE_QTY_MAX, MAX_QTY
from services.jielong.spec_lines import spec_in
from services.text import strip_controls

__all__ = ["BARE_QTY_MAX", "MAX_QTY", "ChainEntry", "for_product", "key_name", "normalize", "parse_chain", "parse_line"]


@dataclass
class ChainEntry:
    """One order line of a chain."""

    seq: int | None
    name: str
    qty: int = 1
    spec: str = ""
    note: str = ""
    cancelled: bool = False
    address: str = ""
    phone: str = ""
    raw: str = field(default="", compare=False)  # the line as read (NFKC: `，` is `,`)
    shown: str = field(default="", compare=False)  # the line as pasted, for display (`，` kept)
    qty_explicit: bool = field(default=False, compare=False)
    amount: Decimal | None = field(default=None, compare=False)
    items: list[tuple[str, int]] = field(default_factory=list, compare=False)  # (product, qty) per product
    hints: list[str] = field(default_factory=list, compare=False)  # why a reading is unsure (Chinese)

    @property
    def hint(self) -> str:
        """The hints as one line for a preview cell, "" when the reading is sure."""
        return "；".join(self.hints)


_RE_PHONE = re.compile(r"(?:电话|手机|tel|Tel|TEL)?[:]?\s*(?<!\d)(1[3-9]\d(?:\d{8}|([\s-])\d{4}\2\d{4}))(?!\d)")
# `尾号5678`, `手机尾号：1234`: the last digits of a phone, how a pickup is matched; never a quantity.
_RE_PHONE_TAIL = re.compile(r"(?:手机|电话)?尾号\s*[:]?\s*(\d{4})(?!\d)")
_RE_ADDR = re.compile(
    r"(?=[A-Za-z\d])(?:"  # a quick look first: most places in a line start no address
    r"(?:(?<![\w-])|(?<=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff][-－—]))"  # `张三3-502`, `张三-3-502`: still the room
    r"[A-Za-z]?\d{1,5}(?:[-－—_/]\d{1,5}){1,3}(?![\d.]|\s*[份盒斤箱个袋包瓶件杯只点号日月时天元块])"  # 295-909, A3-502
    r"|(?<![\w-])(?:\d{1,4}\s*(?:号楼|栋|幢|座|期|弄|单元|楼|室|号(?!\s*\d{1,3}\s*[份盒斤箱个袋包瓶件杯只])|#)"  # 3栋502, 3#502, 3栋-502, 3号楼-1单元-502
    r"(?:\d{1,4}(?:号楼|栋|幢|单元|楼|室|号|(?![\d.]|\s*[份盒斤箱个袋包瓶件杯只]))"  # not `2号2份` (dish 2, 2 of it)
    r"|[-－—_/]\d{1,4}(?:号楼|栋|幢|单元|楼|室|号|(?![\d.]|\s*[份盒斤箱个袋包瓶件杯只])))*))"

)
_RE_ROOM = re.compile(r"[A-Za-z]?\d{1,5}(?:[-－—_/#]\d{1,5}){1,3}|\d{1,4}#\d{1,5}")  # 295-909: who the household is
# A token that is a delivery place, not a person: `云谷11栋`, `B座`, `E区东门`.
_RE_PLACE = re.compile(
    r"(?:(?:\d{1,4}|[一二三四五六七八九十]{1,3})(?:号楼|栋|幢|座|单元|楼)|[A-Za-z](?:座|区|栋)|[东西南北]门|自提点?"
    r"|[\u4e00-\u9fff]{2,6}(?:小区|花园|公寓|社区|大厦|家园|新村))$")  # `阳光小区-张姐`: the estate, then the person
_RE_PLACE_PREFIX = re.compile(r"([\u4e00-\u9fff]{2,4})(?=\d{1,4}(?:号楼|栋|幢|座)|[A-Za-z][座区栋])")
# `杨茜H区`, `王阿姨5栋301`, `王阿姨5栋2单元301`: an area or a building and room glued after the person.
_RE_GLUED_AREA = re.compile(r"(?<=[^\W\d_])([A-Za-z]区|\d{1,3}(?:号楼|栋|幢)(?:\d{1,2}单元)?[-－—]?\d{3,4}(?:室|号)?)$")
_RE_CLASS_ID = re.compile(r"^\d{2}[^\W\d_]{1,6}\d{1,2}班$")  # 23土木6班: a class, part of who it is
_RE_URL = re.compile(r"(?:(?<![A-Za-z])(?:https?|weixin|wxp|ftp)://|www\.)[\x21-\x7e]+", re.IGNORECASE)  # `weixin://dl/…` too
_CLOCK = r"(?:[01]?\d|2[0-4]):[0-5]\d(?::[0-5]\d)?"
_RE_CLOCK = re.compile(rf"(?<![\d:]){_CLOCK}(?:\s*[-~—至到]\s*{_CLOCK})?(?![\d:])")
_RE_NAME_FIELD = re.compile(r"(?:姓名|名字|昵称|微信名|群昵称|楼号|房号|地址)\s*[:：]\s*")
_RE_COUNT_FIELD = re.compile(rf"(?:数量|份数|件数)\s*[:：]?\s*(\d{{1,3}})(?!\d)\s*({q.UNITS}?)")
_RE_BRACKETS = re.compile(r"[(（【\[「『]([^()（）【】\[\]「」『』]*)[)）】\]」』]")
# 取消 / 撤回 anywhere (`2份 取消`, `（已取消）`); 不要 with 了 (not `不要辣`); 退出 with 了 or as the last word.
_RE_CANCEL = re.compile(
    r"已?(?:取消|撤回|撤销|作废|退出接龙|退掉)了?|(?:不需要|不要|不跟|退出)了"
    r"|已?(?:删除|删掉|划掉)了?|已退(?:款|单)?|退单了?|退了|改(?:为|成|到)\s*[0零]\s*份?(?!\d)"  # `已退`, `改为0`
    r"|(?:(?<=[\s,、;:])|^)(?:不跟|退出|退|删)\s*$"  # a word of its own at the end (`香菜 不要` is no cancel)
)
# Where a name ends: a space, a comma, 、, ;, :, or a dash between words (not `295-909`).
# `丶` looks like `、`: a separator before a meal or a number (`龙梓茵丶午餐`), else a nickname's flourish.
_RE_NAME_SEP = re.compile(
    r"\s+|\s*[,、;:]\s*|(?<=[^\W\d_])\s*[-—–]+\s*(?=\S)|丶\s*(?=\d|[早午晚中]餐|[早午晚]饭|夜宵|宵夜)")
_RE_LATIN_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
_RE_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'.\-]+$")
_RE_LEAD_EMOJI = re.compile("^[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]+")  # `🐷YEALIM`: an emoji before a first name
_RE_HAS_WORD = re.compile(r"[\w]", re.UNICODE)
_RE_ZERO_WIDTH = re.compile(r"[\u200c\u200d]")  # besides what services.text strips
_RE_SURROGATE = re.compile("[\ud800-\udfff]")
_RE_BREAKS = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
_RE_CIRCLED = re.compile("(?m)^[ \t]*[\u2460-\u2473\u2776-\u277f][ \t]?")
# `张三 2️⃣份`, `张三 2️⃣`: a keycap touching a unit or ending a line after other text is a quantity
# (`1️⃣ 张三` numbers the line).
_RE_KEYCAP_QTY = re.compile(
    "(?:(?<=\\S)|(?<=\\S[ \\t]))((?:[0-9]\ufe0f?\u20e3)+)(?=[份盒斤箱个袋包瓶件杯只套罐]|[ \\t]*(?:\\n|$))")  # `张三 2️⃣` too
_RE_KEYCAP = re.compile("(?:[0-9]\ufe0f?\u20e3)+|\U0001f51f")  # `1️⃣ 张三`, `🔟`: a number as an emoji
# A decoration after a nickname (`冰✡️saya 🫧 C 牛肋条`), not a tick or a thumb.
_RE_ORDER_VERB = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:要|订|买|共|需要|预定|预订|订购)$")
_CANCEL_CHARS = frozenset("取撤作退不删划改")
_RE_NICK = re.compile(r"[A-Za-z]|[^\w\s]")  # a nickname (`冰✡️saya`), not a plain Chinese name
_RE_MARKS = re.compile("[\u2705\u2714\u2611\u274c\u2716\U0001f44c\U0001f44d\U0001f64f\u2b55]")
_RE_SPACES = re.compile(r"\s+")
_RE_WORD_SEP = re.compile(r"[\s,、;:]+")
_SEPARATORS = ",、;:~|/"  # the text is NFKC: `，；：` are ASCII here
_RE_LIST_SPACES = re.compile(r"\s*([,、;+])\s*")
LONG_NAME = 12
# `3. 团长：已满10斤，可以成团`: a remark written as a numbered line, no order.
_RE_REMARK = re.compile(
    r"^(?:团长|群主|管理员|备注|注意|提示|温馨提示|说明|通知)\s*[:：]"
    r"|^(?:已?截[止单龙]了?|已?结束了?|已满|满了|停止接龙|接龙结束)[!！。.~]*$"  # `3. 截止`: the leader closes the chain
)
# `上午9-10点`, `3点半`, `9-10点`: a time, never a person (`295-909`, `505` are households).
_RE_TIME_NAME = re.compile(
    r"(?:上午|下午|晚上|中午|早上|凌晨)\d{1,2}(?:\s*[-~至到]\s*\d{1,2})?\s*(?:点半?|时)?"
    r"|\d{1,2}(?:\s*[-~至到]\s*\d{1,2})?\s*(?:点半?|时)"
)


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII), no control characters."""
    text = _RE_SURROGATE.sub("", text)  # a lone surrogate (a broken paste) is no character
    text = _RE_CIRCLED.sub(lambda m: f"{_circled(m.group(0))}. ", text)  # `① 张三` (NFKC would drop the circle)
    text = unicodedata.normalize("NFKC", text).replace("\u20e3\ufe0f", "\ufe0f\u20e3")  # `1⃣️`, the keycap's other order
    text = _RE_KEYCAP_QTY.sub(lambda m: re.sub(r"\D", "", m.group(1)), text)  # `2️⃣份`: a quantity
    text = _RE_KEYCAP.sub(lambda m: ("10" if m.group(0) == "\U0001f51f" else re.sub(r"\D", "", m.group(0))) + ". ", text)
    text = line_breaks(text).replace("➕\ufe0f", "+").replace("➕", "+")  # `张三 ➕1`
    text = q.plain_numerals(chat.drop_emoji_codes(text))  # `贰份` → `二份`; `张三[玫瑰]` → `张三`
    return _RE_ZERO_WIDTH.sub("", strip_controls(text))


def line_breaks(text: str) -> str:
    """Every line break as `\\n`: \\r\\n and \\r, and the separators an editor shows as a new line
    (U+2028 / U+2029, a Word line break \\v, a form feed, NEL), which strip_controls would delete and
    so glue two lines into one."""
    return _RE_BREAKS.sub("\n", text)


def _circled(c: str) -> int:
    c = c.strip(" \t")
    return ord(c) - 0x2460 + 1 if c <= "\u2473" else ord(c) - 0x2776 + 1


def key_name(name: str) -> str:
    """The form of a buyer name used to match lines across pastes."""
    return _RE_SPACES.sub(" ", normalize(name)).strip()


def parse_chain(text: str, specs: list[str] | None = None) -> list[ChainEntry]:
    """Entries of a pasted chain; TooLarge (an InvalidInput) over 1 MB.

    `specs`: the deal's spec options; a token equal to one of them goes to `spec`.
    """
    if not isinstance(text, str):
        raise InvalidInput("接龙内容须为文本。", "接龙内容")
    check_paste_size(text, "接龙内容")
    try:
        options = [normalize(s).strip() for s in specs or [] if s.strip()]
        return spec_lines.split_by_spec(_parse(normalize(text), options, text), options)  # `大果2斤 小果1斤`: one entry per spec
    except DomainError:
        raise
    except Exception as exc:  # a safety net: the fuzz test shows this is not reached
        raise InvalidInput("接龙内容无法识别，请检查格式后重试。", "接龙内容") from exc


def _parse(text: str, specs: list[str], pasted: str = "") -> list[ChainEntry]:
    out: list[ChainEntry] = []
    shown = _pasted_lines(pasted, text)
    bodies: list[tuple[ChainEntry, str]] = []
    places = _places(text)
    pieces = numbered_pieces(text)
    lines = text.split("\n")
    if tally := tallies.entries(lines, any(p.seq is not None for p in pieces), parse_line, ChainEntry):
        return tally  # `小周 苹果 1` a line, nothing numbered: an organiser's 排表 (services.jielong.tallies)
    in_chat = _plus_in_chat(lines, pieces)
    titles: list[tuple[str, ...]] = []  # the header lines above each entry since the last one
    last = -1
    for i, piece in enumerate(pieces):
        if piece.header or (piece.seq is None and in_chat):
            continue  # the header, or a `+1` replying in a chat where members order in words
        body = piece.body
        if piece.seq is None and _RE_PLUS_ALONE.fullmatch(body) and (who := chat.sender(lines, piece.line)):
            body = f"{who} {body}"  # `张三 12:01` / `+1`: the sender's +1
        entry = parse_line(body, piece.seq, specs, places)
        if entry is not None and not entry.qty_explicit and piece.seq is not None:
            nxt = pieces[i + 1].line if i + 1 < len(pieces) else len(lines)
            if wrapped := _wrapped_qty(lines, piece.line, nxt):
                entry = parse_line(f"{piece.body} {wrapped}", piece.seq, specs, places) or entry
        if entry is not None:
            entry.raw = piece.raw[:1000]
            whole = piece.line < len(shown) and piece.raw == lines[piece.line].strip()
            entry.shown = shown[piece.line].strip()[:1000] if whole else entry.raw  # a part of a one-line chain: as read
            out.append(entry)
            bodies.append((entry, piece.body))
            titles.append(reposts.title(lines[last + 1:piece.line]))
            last = piece.line
    out = menu_orders.read_all(out, bodies, {p.seq: p.body for p in pieces if p.menu and p.seq is not None})
    if len(priced := [(e, b) for e, b in bodies if price_only(b)]) >= 2 and len(priced) * 2 > len(bodies):
        for e, b in priced:  # most entries a word and a price: perhaps the header's price list
            e.hints.append(f"「{b.strip()}」只有名称和价格，可能是商品价目而不是团员下单，请核对")
    return reposts.drop_superseded(_glued_counts(out), key_name, titles)


def _pasted_lines(pasted: str, text: str) -> list[str]:
    """The pasted text's lines, one for each line of its normalised `text` (none when they differ)."""
    lines = strip_controls(line_breaks(_RE_SURROGATE.sub("", pasted))).split("\n")
    return lines if len(lines) == text.count("\n") + 1 else []


_RE_PLUS_ALONE = re.compile(r"\+\s*\d{1,3}")


def _plus_in_chat(lines: list[str], pieces: list) -> bool:
    """Whether the paste's unnumbered `+1` lines are chat replies (services.jielong.chat)."""
    if all(p.seq is not None for p in pieces):
        return False  # most chains: no `+1` line at all
    numbered = [p.line for p in pieces if p.seq is not None and not p.header]
    return bool(numbered) and chat.orders_in_chat(lines, {p.line for p in pieces}, min(numbered))


_RE_NOT_WRAPPED = re.compile(
    r"[:：。!?！？#]|共|合计|总计|一共|截|团长|备注|统计|已|还差|还有|剩|余|满|成团|起送|包邮|以上|谢谢|限|每人|每户|到货|例"
)


def _wrapped_qty(lines: list[str], at: int, nxt: int) -> str:
    """`2. 张三 红富士苹果` / `2斤`: the lines right under an entry without a quantity, when each is a
    short quantity of its own (the entry wrapped, or one product a line: `苹果2斤` / `梨1斤`),
    joined with a comma; not a footer (`共20份`, `三点截单`) nor a note with a colon (`胸部：俯卧撑100个`)."""
    taken = []
    for line in lines[at + 1: min(nxt, len(lines))]:
        line = line.strip()
        if not line or len(line) > 16 or _RE_NOT_WRAPPED.search(line):
            break
        found = q.find_qty(" " + line)
        left = (" " + line)[: found.start] + (" " + line)[found.end:]
        if not found.explicit or found.bare or len(re.sub(r"[\W_]", "", left)) > 6:
            break
        taken.append(line)
    return ",".join(taken)  # the text is NFKC already: an ASCII comma


_RE_GLUED_COUNT = re.compile(r"([\u4e00-\u9fff]{1,4})(\d{1,2})")


def _glued_counts(entries: list[ChainEntry]) -> list[ChainEntry]:
    """`1.小汐5` / `2.小六5`: when every entry is a Chinese name with a number glued after it (and
    the number is not the line's own number, as in `1. 团员1`), the number is the quantity."""
    found = [_RE_GLUED_COUNT.fullmatch(e.name) if not e.qty_explicit else None for e in entries]
    if len(entries) < 2 or not all(found) or any(
            int(m.group(2)) == e.seq or not 1 <= int(m.group(2)) <= BARE_QTY_MAX for m, e in zip(found, entries)):
        return entries
    for m, e in zip(found, entries):
        e.name, e.qty, e.qty_explicit = m.group(1), int(m.group(2)), True
        e.hints = [h for h in e.hints if not h.startswith("昵称末尾")]
        e.hints.append(f"「{m.group(0)}」末尾的「{m.group(2)}」按数量读取（整条接龙都是这样写的），请核对")
    return entries


def _places(text: str) -> frozenset[str]:
    """Place names the chain itself uses before a building (`云谷11栋`, `云谷B座` → 云谷), when
    at least two lines do: then `云谷美猴王` is 美猴王 at 云谷."""
    seen: dict[str, set[int]] = {}
    for i, line in enumerate(text.split("\n")):
        for m in _RE_PLACE_PREFIX.finditer(line):
            seen.setdefault(m.group(1), set()).add(i)
    return frozenset(p for p, lines in seen.items() if len(lines) >= 2)


@dataclass
class _Line:
    """A line being read: what is left of its text and what was taken out of it."""

    text: str
    notes: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    lead_address: str = ""  # a 楼栋-房间 at the very start: the name when nothing else is
    spec: str = ""
    phone: str = ""
    cancelled: bool = False
    hints: list[str] = field(default_factory=list)
    example: bool = False  # `张三 2份 3栋（示例）`: the initiator's example written as an entry


def _strip(body: str, specs: list[str]) -> _Line:
    """Take brackets, spec, cancel words, URLs, phone and addresses out of the text."""
    ln = _Line(body)

    def take_bracket(m: re.Match) -> str:
        inner = m.group(1).strip()
        if chat.is_emoji_code(inner):
            pass  # `张三[玫瑰]`: a WeChat emoji code, no name nor note
        elif inner in ("示例", "例", "样例", "举例", "范例", "模板", "格式"):
            ln.example = True
        elif inner and _RE_CANCEL.fullmatch(inner):
            ln.cancelled = True  # `2份（已取消）`, `【取消】`
        elif (pm := _RE_PHONE.fullmatch(inner)) and not ln.phone:
            ln.phone = re.sub(r"\D", "", pm.group(1))  # `张三（13812345678）`
        elif inner:
            ln.notes.append(inner)
        return " "

    text = _RE_BRACKETS.sub(take_bracket, body)
    for option in sorted(specs, key=len, reverse=True):
        # A spec such as 大箱约8斤 or 500g is the product's size, never a quantity; `10斤` is the
        # spec 10斤装 written without its 装 (not 10 份), unless it is the tail of 110斤.
        m = spec_in(option, text)
        if m:
            ln.spec = option
            text = text[: m.start()] + " " + text[m.end():]
            break
    if not ln.spec and (unsold := spec_lines.unsold_size(text, specs)):
        ln.hints.append(unsold)  # `XL 1` on S码/M码/L码: no spec, so not at a size's price: said, not silent
    # A member who filled the format in (`姓名：王芳 数量：2`): the labels are not the name.
    text = _RE_COUNT_FIELD.sub(lambda m: f" {m.group(1)}{'' if m.group(2) else '份'}{m.group(2)} ", _RE_NAME_FIELD.sub(" ", text))
    if not _CANCEL_CHARS.isdisjoint(text):  # most lines hold none of 取撤作退不: skip the regex
        ln.cancelled = ln.cancelled or bool(_RE_CANCEL.search(text))
        text = _RE_CANCEL.sub(" ", text)
    if "/" in text or "www" in text.lower():
        text = _RE_URL.sub(" ", text)  # a URL is never a name nor a quantity
    if ":" in text:  # `7:45-8:20 跳操拉伸`, `08:30:25`: a clock time is a note, never a quantity
        text = _RE_CLOCK.sub(lambda m: ln.notes.append(m.group(0)) or " ", text)
    if pm := _RE_PHONE.search(text):
        ln.phone = re.sub(r"\D", "", pm.group(1))  # `138 1234 5678` as 13812345678
        text = text[: pm.start()] + " " + text[pm.end():]
    if "尾号" in text:
        text = _RE_PHONE_TAIL.sub(lambda m: ln.notes.append(f"尾号{m.group(1)}") or " ", text)

    def take_addr(m: re.Match) -> str:
        addr = _RE_SPACES.sub("", m.group(0))
        ln.addresses.append(addr)
        at_start = not text[: m.start()].strip()
        if at_start and m.end() < len(text) and text[m.end()].isalpha():
            return re.sub(r"[-－—_/]", "\ue000", m.group(0))  # `5号楼刘`, `3栋-502张三`: part of the name as written
        if at_start and not ln.lead_address:
            ln.lead_address = addr
        return " "

    ln.text = _RE_ADDR.sub(take_addr, text)
    return ln


def parse_line(
    body: str, seq: int | None = None, specs: list[str] | None = None, places: frozenset[str] = frozenset()
) -> ChainEntry | None:
    """One entry from the text after the number, or None when it carries no person."""
    if not body or is_example(body) or _RE_REMARK.match(body):
        return None
    ln = _strip(body, specs or [])
    if ln.example:
        return None
    text = ln.text
    qty = q.find_qty(text)
    if not qty.explicit and (i := _bracket_qty(ln.notes)) is not None:
        text = f"{text} {ln.notes.pop(i)}"  # `张三（2份）`: the bracket holds the quantity
        ln.text, qty = text, q.find_qty(text)
    pre = text[: qty.start].rstrip("~。!|/") if qty.explicit else text  # `张三~2份`, `张三。2份`, `张三/2份`
    post = text[qty.end:] if qty.explicit else ""
    name, rest = _take_name(pre, ln, places)
    if qty.explicit and not rest and pre[-1:].isalpha() and (v := _RE_ORDER_VERB.search(name)):
        name = name[: v.start()]  # `张三要2份`: the verb is not the name
    if (name and not rest and qty.explicit and ln.lead_address and _RE_ROOM.fullmatch(ln.lead_address)
            and pre[-1:].isalpha()):
        name, rest = "", name  # `295-909 消毒药三瓶`: the word glued to the quantity is the product
        ln.hints.append(f"「{rest}」紧挨着数量，当作商品，团员记为「{ln.lead_address}」，请核对")
    if not name and ln.lead_address:
        name = ln.lead_address
        ln.addresses.remove(name)
    if not name:
        name, post = _take_name(post, ln, places)
    if not name:
        if not ln.notes:
            return None
        name = ln.notes.pop(0)  # `（代朋友下单）` alone: the bracket is all there is
    if _RE_TIME_NAME.fullmatch(name):
        return None  # `1. 上午9-10点`: a time slot offered, no person
    glue = "" if qty.explicit and rest and pre.endswith(rest) else " "  # `苹果2斤` stays glued
    after = (rest + glue + text[qty.start:qty.end] + " " + post) if qty.explicit else rest
    return _entry(seq, name, qty, ln, rest, post, after)


def _bracket_qty(notes: list[str]) -> int | None:
    """The index of a bracket note that is only a quantity (`2份`, `x3`), else None."""
    for i, note in enumerate(notes):
        found = q.find_qty(" " + note)
        if found.explicit and not found.bare and not (" " + note)[: found.start].strip() and not (" " + note)[found.end:].strip():
            return i
    return None


def _entry(seq, name: str, qty: q.Qty, ln: _Line, rest: str, post: str, after: str) -> ChainEntry:
    items = q.read_items(after) or q.single_item(rest, qty, ln.text)
    n = qty.n
    hints = ln.hints + q.qty_hints(name, qty, [t for t in (rest + " " + post).split() if t.isdigit()])
    if not qty.explicit and (weight := q.weight_hint(ln.text)):
        hints.append(weight)  # `一斤半`, `1.5斤`: one order, the weight in the note
    if spread := q.range_hint(ln.text, qty.n):
        hints.append(spread)
    if len(items) >= 2 or (items and not qty.explicit):
        n = sum(k for _, k in items)
        hints = [h for h in hints if not h.startswith("一行里还有")]
        if hint := q.items_hint(items, after):
            hints.append(hint)
    if len(name) > LONG_NAME and sum(1 if ord(c) > 0x2E80 else 0.5 for c in name) > LONG_NAME:  # a Latin letter is half as wide
        hints.append(f"昵称「{name[:LONG_NAME]}…」较长，可能混入了备注，请核对")
    if len(items) >= 2:  # the products as written, with their quantities
        note_parts = [_RE_LIST_SPACES.sub(r"\1", _RE_SPACES.sub(" ", after)).strip(" ,;"), *ln.notes]
        ln.addresses += [w for w in _RE_WORD_SEP.split(after) if _RE_PLACE.search(w)]  # `…，砂糖橘1份，东门自提点`
    else:
        # `李四，赣南脐橙1份，东门自提点`: the separator after the quantity is no part of the place or note
        words = [w.strip(_SEPARATORS) for w in (*_RE_NAME_SEP.split(rest), *post.split())]
        ln.addresses += [w for w in words if _RE_PLACE.search(w)]  # `妮，E区东门，少饭少菜`: E区东门 is where
        note_parts = [qty.note, *(w for w in words if not _RE_PLACE.search(w)), *ln.notes]
    note_parts = [p for p in note_parts if _RE_HAS_WORD.search(p)]
    return ChainEntry(
        seq=seq,
        name=name[:100],
        qty=max(1, min(n, MAX_QTY)),
        spec=ln.spec[:100],
        note=" ".join(p for p in note_parts if p)[:500],
        cancelled=ln.cancelled,
        address=" ".join(ln.addresses)[:200],
        phone=ln.phone,
        qty_explicit=qty.explicit or bool(items),
        items=items,
        hints=hints,
    )


def _parts(text: str) -> Iterator[tuple[str, str, int]]:
    """(part, separators before it, its end offset), lazily: a name needs only the first few."""
    at, sep = 0, ""
    for m in _RE_NAME_SEP.finditer(text):
        if m.start() > at:
            yield text[at:m.start()].replace("\ue000", "-"), sep, m.start()
            sep = ""
        sep += m.group(0)
        at = m.end()
    if at < len(text):
        yield text[at:].replace("\ue000", "-"), sep, len(text)


def _take_name(text: str, ln: _Line, places: frozenset[str]) -> tuple[str, str]:
    """(name, the rest as written): the text up to the first separator, with what makes it a person."""
    text = _RE_LATIN_HYPHEN.sub("\ue000", text.strip())  # `Sissi-CC` is one nickname
    parts = _parts(text)
    first = next(parts, None)
    if first is None:
        return "", ""
    name, end = first[0], first[2]
    for nxt, sep, nxt_end in parts:
        if (not _RE_HAS_WORD.search(name) and not _is_punct(name)) or (not _RE_HAS_WORD.search(nxt) and sep.strip()):
            name = name + (sep.strip() or " ") + nxt  # `😊 乐乐`, `小雨:)`
        elif _RE_LATIN_WORD.match(_RE_LEAD_EMOJI.sub("", name.split()[-1])) and _RE_LATIN_WORD.match(nxt) and not sep.strip():
            name = f"{name} {nxt}"  # `Amy Wang`, `Catherine chen`, `🐷YEALIM LEE` (not `Jaxon J`)
        elif _decoration(nxt) and not sep.strip() and _RE_NICK.search(name) and _more_after(text, nxt_end):
            name = f"{name} {nxt}"  # `冰✡️saya 🫧 C 牛肋条`: the emoji decorates the nickname
        elif _RE_CLASS_ID.match(name):
            name = f"{name} {nxt}"  # `23土木6班 周八`: the class stays with the person
        elif _is_place(name, places) and _RE_HAS_WORD.search(nxt):
            ln.addresses.append(name)  # `云谷11栋-葛原`: the place, then the person
            name = nxt
        else:
            break
        end = nxt_end
    rest = text[end:].replace("\ue000", "-").strip(" ,、;:-—")
    if name[-1:] in "\u2705\u2714\u2611\ufe0f":
        name = _RE_TICK_END.sub("", name)
    if name[-1:] in "付款转账交清" and (paid := _RE_PAID_END.search(name)):
        ln.notes.append(paid.group(0))  # `张三已付`: how the payment stands, not the name
        name = name[: paid.start()]
    return _cut_place(name.strip(" ,:;-—@/"), ln, places), rest


_RE_PAID_END = re.compile(r"(?<=\S)[已未待](?:付款?|转账?|支付|交|付清)$")
_RE_TICK_END = re.compile("(?<=\\S)[\u2705\u2714\u2611]\ufe0f?$")  # `王五✅`: the 团长's tick, not the nickname


def _decoration(token: str) -> bool:
    """An emoji-only token (`🫧`, `💗`), not a tick (`✅`) nor anything with a letter or digit."""
    return (not _RE_HAS_WORD.search(token) and not _RE_MARKS.search(token)
            and any(unicodedata.category(c) == "So" for c in token))


def _more_after(text: str, end: int) -> bool:
    """Whether the line goes on after `end` with something that is not a quantity."""
    after = text[end:].strip()  # words, not only more emoji (`yh 🌿 👍`: decorations after the name)
    return bool(_RE_HAS_WORD.search(after)) and not q.find_qty(" " + after.split()[0]).explicit


def _is_punct(token: str) -> bool:
    """`。` alone is a nickname; an emoji (`😊 乐乐`) leads one."""
    return all(unicodedata.category(c).startswith("P") for c in token)


def _is_place(token: str, places: frozenset[str]) -> bool:
    return bool(_RE_PLACE.search(token)) or token in places or any(
        token.startswith(p) and _RE_PLACE.search(token) for p in places)


def _cut_place(name: str, ln: _Line, places: frozenset[str]) -> str:
    """`杨茜H区` → 杨茜, `sisy云谷` → sisy, `云谷美猴王` → 美猴王 (the place goes to the address)."""
    if m := _RE_GLUED_AREA.search(name):
        ln.addresses.append(m.group(1))
        return name[: m.start()]
    for p in sorted(places, key=len, reverse=True):
        if name != p and name.endswith(p):
            ln.addresses.append(p)
            return name[: -len(p)]
        if name != p and name.startswith(p) and not _RE_PLACE.search(name):
            ln.addresses.append(p)
            return name[len(p):]
    return name


def for_product(entries: list[ChainEntry], product: str, skipped: list[str] | None = None) -> list[ChainEntry]:
    """The entries as they concern one deal, when the chain sells several products.

    A chain whose lines name two or more different products (`红富士冰糖心4斤，砂糖橘2斤`) is read
    per product: an entry keeps the items whose name matches `product` (services.jielong.
    quantities.same_product) and its quantity becomes theirs; an entry naming only other
    products is not this deal's (its raw line goes to `skipped`, for the preview to show).
    When no line names the product, or the chain sells one
    product, the entries are returned as they are (the deal's single-product reading)."""
    products = {p for e in entries for p, _ in e.items if not q.is_class(p)}
    if len(products) < 2 or not (product or "").strip():  # no product (None, blank): the whole reading
        return meals.for_meal(entries, product, skipped)  # `6份晚餐` under a 午餐 deal: another meal's
    if not any(q.same_product(p, product) for p in products):
        for e in entries:
            if e.items:
                e.hints.append(f"接龙里有多个商品，没有找到「{product}」，数量按各商品合计，请核对")
        return entries
    out = []
    for e in entries:
        mine = [(p, n) for p, n in e.items if q.same_product(p, product)]
        if e.items and not mine:
            if skipped is not None:  # said in the preview, never dropped silently
                skipped.append(f"（其他商品，未计入「{product}」）{e.shown or e.raw or e.name}")
            continue
        if mine:
            e = replace(e, items=mine, qty=max(1, min(sum(n for _, n in mine), MAX_QTY)),
                        hints=[h for h in e.hints if "单位不同" not in h])
        elif not e.cancelled:  # `小美 +1` under two products: counted for each deal, said once per deal
            e = replace(e, hints=[*e.hints, f"接龙里有多个商品，这一行没写是哪个，已按「{product}」计入，请核对"])
        out.append(e)
    return out
