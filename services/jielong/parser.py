"""Parse a 接龙 (chain) as copied from a WeChat group into entries.

Pure functions, no database. `parse_chain(text)` returns one `ChainEntry` per order line and
skips the title (#接龙), description, example (例 …) and footer lines. It understands
`12. 王芳 2份 5栋`, `12、王芳 两份`, full-width digits, Chinese numerals, `x2` / `*2` / `+1`,
units (份 盒 斤 箱 …), class counts (`2大1小`), building-room numbers (`295-909`, not a quantity),
digits inside nicknames (`Lqz13Th`), notes in brackets, cancellations (取消, 不要了) and WeChat's
single-line chain (`1. 2. 倪彩霞 gt7 3. 莓心`).

Judgment calls (documented because a chain is free text):
- a bare number is a quantity only when it is a lone token between 1 and 20 (`王芳 2`);
  `王燕燕 512 白色` keeps 512 in the note (a room or a size, not 512 units);
- a numbered line with nothing after the number (`1.`) is an empty slot, not an order;
- an unnumbered line is an entry only when it carries `+N` (`王芳 +1`); other unnumbered lines
  are header, description or footer;
- when the quantity is glued to a word after the name (`abc 火龙果4个`), that word is a product
  or spec and goes to the note, the name is `abc`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from services.cn_numbers import cn_number
from services.errors import DomainError, InvalidInput, check_paste_size
from services.text import strip_controls

MAX_QTY = 999
BARE_QTY_MAX = 20


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
    raw: str = field(default="", compare=False)
    qty_explicit: bool = field(default=False, compare=False)
    amount: Decimal | None = field(default=None, compare=False)


_CN_NUM = r"(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两俩三四五六七八九])"
_NUM = rf"(?:\d{{1,4}}|{_CN_NUM})"
_UNITS = (
    r"(?:份|盒|斤|箱|个|袋|包|瓶|件|只|套|罐|提|组|桶|杯|把|颗|束|串|块|条|张|双|支|枚|台|听|板|捆|筐|篮|单)"
)
_CLASS = r"(?:大人|成人|小孩|儿童|老人|大|小)"

# Order matters: earlier patterns win when several match.
_RE_CLASSES = re.compile(rf"(?:(?:\d{{1,3}}\s*{_CLASS})|(?:{_CLASS}\s*\d{{1,3}}))(?:\s*(?:\d{{1,3}}\s*{_CLASS}|{_CLASS}\s*\d{{1,3}}))*")
# Digits may stand apart from the unit (`2 份`); a Chinese numeral must touch it (`两份`), so
# `钱七 份` never reads as 7.
_RE_UNIT = re.compile(rf"(?<![\d.\-/A-Za-z])(\d{{1,4}}(?=\s*{_UNITS})|{_CN_NUM}(?={_UNITS}))\s*{_UNITS}(?![A-Za-z])")
_RE_X = re.compile(rf"(?<![A-Za-z])[xX×✖*＊]\s*({_NUM})(?!\d)")
_RE_PLUS = re.compile(r"(?<![+\dA-Za-z])\+\s*(\d{1,3})(?!\d)")
_RE_BARE = re.compile(r"(?:(?<=\s)|^)(\d{1,2})(?=\s|$)")

_RE_PHONE = re.compile(r"(?:电话|手机|tel|Tel|TEL)?[:]?\s*(?<!\d)(1[3-9]\d{9})(?!\d)")
_RE_ADDR = re.compile(
    r"(?<![\w-])(?:\d{1,5}(?:[-－—_/]\d{1,5}){1,3}"
    r"|\d{1,4}\s*(?:号楼|栋|幢|座|期|弄|单元|楼|室|号)(?:\d{1,4}(?:号楼|栋|幢|单元|楼|室|号)?)*)"
)
_RE_BRACKETS = re.compile(r"[(（【\[]([^()（）【】\[\]]*)[)）】\]]")
_RE_CANCEL = re.compile(r"取消|不要了|撤销|作废|退出接龙|退掉|不跟了")

# `12. 王芳`, `12、王芳`, `12) 王芳`; not `5.30左右到` (a decimal) nor `12:30截单` (a time).
_RE_NUMBERED = re.compile(r"^\s*(\d{1,5})\s*(?:[、,)\]]|\.(?!\d+(?![\d\-_/ ]|$))|:(?!\d))\s*(.*)$")
_RE_MARKER = re.compile(r"(?:(?<=\s)|^)(\d{1,4})[.、](?=\s|$)")
_RE_EXAMPLE = re.compile(r"^\s*(?:例|示例|举例|格式|例如|e\.g\.)", re.IGNORECASE)
_RE_ZERO_WIDTH = re.compile(r"[\u200c\u200d]")  # besides what services.text strips
_RE_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'.\-]*$")
_RE_HAS_WORD = re.compile(r"[\w]", re.UNICODE)
_RE_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII), no control characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _RE_ZERO_WIDTH.sub("", strip_controls(text))


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
        return _parse(normalize(text), [normalize(s).strip() for s in specs or [] if s.strip()])
    except DomainError:
        raise
    except Exception as exc:  # a safety net: the fuzz test shows this is not reached
        raise InvalidInput("接龙内容无法识别，请检查格式后重试。", "接龙内容") from exc


def _parse(text: str, specs: list[str]) -> list[ChainEntry]:
    out: list[ChainEntry] = []
    for line in text.split("\n"):
        for seq, body, raw in _split_line(line):
            entry = parse_line(body, seq, specs)
            if entry is not None:
                entry.raw = raw[:1000]
                out.append(entry)
    return out


def _split_line(line: str) -> list[tuple[int | None, str, str]]:
    """(seq, body, raw) pieces of one line; a single-line chain gives several pieces."""
    stripped = line.strip()
    if not stripped or _RE_EXAMPLE.match(stripped):
        return []
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
                pieces.append((int(m.group(1)), stripped[m.end():end].strip(), raw))
            return pieces
    if stripped.startswith("#"):
        return []
    m = _RE_NUMBERED.match(stripped)
    if m:
        return [(int(m.group(1)), m.group(2).strip(), stripped)]
    if _RE_PLUS.search(stripped):
        return [(None, stripped, stripped)]
    return []


def parse_line(body: str, seq: int | None = None, specs: list[str] | None = None) -> ChainEntry | None:
    """One entry from the text after the number, or None when it is not an order."""
    if not body or _RE_EXAMPLE.match(body):
        return None
    notes: list[str] = []

    def take_bracket(m: re.Match) -> str:
        if m.group(1).strip():
            notes.append(m.group(1).strip())
        return " "

    text = _RE_BRACKETS.sub(take_bracket, body)
    spec = ""
    for option in sorted(specs or [], key=len, reverse=True):
        # A spec such as 大箱约8斤 or 500g is the product's size, never a quantity.
        if option and option in text:
            spec = option
            text = text.replace(option, " ", 1)
            break
    cancelled = bool(_RE_CANCEL.search(text))
    text = _RE_CANCEL.sub(" ", text)
    phone = ""
    if pm := _RE_PHONE.search(text):
        phone = pm.group(1)
        text = text[: pm.start()] + " " + text[pm.end():]
    addresses: list[str] = []

    def take_addr(m: re.Match) -> str:
        addresses.append(_RE_SPACES.sub("", m.group(0)))
        return " "

    text = _RE_ADDR.sub(take_addr, text)

    qty, explicit, pre, post, qty_note, glued = _find_qty(text)
    tokens = pre.split()
    rest_after = post.split()
    if not tokens:
        tokens, rest_after = rest_after, []
    if not tokens and addresses:
        tokens = [addresses.pop(0)]
    if not tokens:
        if not (notes or cancelled):
            return None
        tokens = [notes.pop(0)] if notes else []
        if not tokens:
            return None
    name_parts = [tokens[0]]
    i = 1
    while i < len(tokens) and (
        (_RE_LATIN_WORD.match(name_parts[-1]) and _RE_LATIN_WORD.match(tokens[i]))
        or not _RE_HAS_WORD.search("".join(name_parts))
    ):
        name_parts.append(tokens[i])
        i += 1
    rest = tokens[i:] + rest_after
    free = list(rest)
    note_parts = []
    if qty_note:
        note_parts.append(qty_note)
    note_parts += free + notes
    name = " ".join(name_parts).strip(" ,，:：;；-—")
    if not name:
        return None
    return ChainEntry(
        seq=seq,
        name=name[:100],
        qty=qty,
        spec=spec[:100],
        note=" ".join(p for p in note_parts if p)[:500],
        cancelled=cancelled,
        address=" ".join(addresses)[:200],
        phone=phone,
        qty_explicit=explicit,
    )


def _find_qty(text: str) -> tuple[int, bool, str, str, str, bool]:
    """(qty, explicit, text before, text after, note for class counts, glued to a word)."""
    m = _RE_CLASSES.search(text)
    if m:
        total = sum(int(n) for n in re.findall(r"\d+", m.group(0)))
        if 1 <= total <= MAX_QTY:
            return total, True, text[: m.start()], text[m.end():], m.group(0).replace(" ", ""), False
    for rx in (_RE_UNIT, _RE_X, _RE_PLUS):
        for m in rx.finditer(text):
            n = cn_number(m.group(1))
            if n is not None and 1 <= n <= MAX_QTY:
                glued = m.start() > 0 and not text[m.start() - 1].isspace()
                return n, True, text[: m.start()], text[m.end():], "", glued
    bare = [m for m in _RE_BARE.finditer(text)]
    numeric_tokens = [t for t in text.split() if any(c.isdigit() for c in t)]
    if len(bare) == 1 and len(numeric_tokens) == 1:
        m = bare[0]
        n = int(m.group(1))
        if 1 <= n <= BARE_QTY_MAX and text[: m.start()].strip():
            return n, True, text[: m.start()], text[m.end():], "", False
    return 1, False, text, "", "", False
