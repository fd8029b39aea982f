"""A chain line naming two or more of the deal's specs, each with its quantity
(`12. 王芳 大果2斤 小果1斤 5栋` on a deal with the specs 大果 and 小果): one entry per spec.

The parser reads a line as one entry with one spec (the first spec it finds) and one quantity;
such a line then came out as the first spec's quantity, the rest in the note, with a ⚠. Each
spec has its own price and 限量 (services.jielong.specs), so the line is read as one entry per
spec, each with the quantity written after it (`大果2斤`, `大果 x2`) or just before it
(`2份大果`); a spec with no quantity of its own is 1, said with a ⚠. The entries share the line's
number, name, address and phone; the chain intake keys them as the member's successive lines
(plan.line_keys), the same on every paste of the chain.

A line naming one spec twice, or a cancel, is left as the parser read it (nothing to split).
Pure functions, no database: services.jielong.parser.parse_chain calls `split_by_spec`.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from services.cn_numbers import cn_number
from services.jielong import quantities as q

if TYPE_CHECKING:
    from services.jielong.parser import ChainEntry

# A count just before a spec: `2份大果`, `两盒 小果` (a unit is needed: `王芳2 大果` is a name).
_RE_COUNT_BEFORE = re.compile(rf"(?<![\d.])(\d{{1,3}}|{q._CN_NUM})\s*(?:份|盒|箱|袋|个|件|包|组|套)\s*$")
_RE_PHONE = re.compile(r"1[3-9]\d{9}")
NO_QTY = "「{spec}」没写数量，按 1 份读取，请核对"


# A clothing or nappy size: one to four latin letters and 码 (S码, XL码, NB码).
_LETTER_SIZE = re.compile(r"[A-Za-z]{1,4}码")


def spec_in(option: str, text: str) -> re.Match | None:
    """Where the spec stands in the text: as written, else without a trailing 装 (10斤装 as 10斤),
    else a letter size without its 码 (L码 as `L` or `l`) standing alone: no latin letter next to it
    (XL is not L, `阿May` holds no M) and no Chinese character just before it (`小M 2` is a name).
    Night 21: `6. 果果 L 1 快递` and `9. 小雨 M 1` on 纸尿裤 S码/M码/L码 were read with no spec, so
    at the base price and outside L码's 限量."""
    if not option:
        return None
    if option in text:
        return re.search(re.escape(option), text)
    if _LETTER_SIZE.fullmatch(option):
        size = re.escape(option[:-1])
        return re.search(rf"(?<![A-Za-z\u4e00-\u9fff]){size}(?![A-Za-z])", text, re.IGNORECASE)
    short = option[:-1] if option.endswith("装") and len(option) > 2 else ""
    return re.search(rf"(?<![\d.]){re.escape(short)}(?!\d)", text) if short else None


# A size as members write it, with or without 码, standing alone (`XL 1`, `xxl码`, `2XL`): the sizes a
# clothing or nappy chain is sold in. No latin letter on either side, no Chinese character before.
_SIZE_WORD = re.compile(r"(?<![A-Za-z\u4e00-\u9fff])([2-6]XL|X{1,3}[LS]|[SML]|NB)(码)?(?![A-Za-z])", re.IGNORECASE)
UNSOLD_SIZE = "该团没有 {size}（只有 {sizes}），未按规格读取和计价，请核对"


def unsold_size(text: str, specs: list[str]) -> str | None:
    """The ⚠ hint for a size the deal does not sell, on a deal sold in letter sizes (`XL 1` on
    S码/M码/L码: night 21's line was kept with XL in the note and priced at the base price with
    no word), else None. Call it when no spec of the deal was found in the text."""
    sizes = [s for s in specs if _LETTER_SIZE.fullmatch(s)]
    if not sizes:
        return None
    sold = {s.upper() for s in sizes}
    for m in _SIZE_WORD.finditer(text):
        size = f"{m.group(1).upper()}码"
        if size not in sold:
            return UNSOLD_SIZE.format(size=size, sizes="、".join(sizes))
    return None


def _spans(text: str, specs: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, spec) of every spec written in the text, longest options first, never overlapping."""
    taken: list[tuple[int, int, str]] = []
    for option in sorted(specs, key=len, reverse=True):
        rest = text
        while (m := spec_in(option, rest)) is not None:
            if not any(a < m.end() and m.start() < b for a, b, _ in taken):
                taken.append((m.start(), m.end(), option))
            rest = rest[: m.start()] + "\ue003" * (m.end() - m.start()) + rest[m.end():]  # look further on
    return sorted(taken)


def spec_quantities(text: str, specs: list[str]) -> list[tuple[str, int, bool, str]] | None:
    """[(spec, qty, written, as written)] when the text names two or more different specs each
    once, else None. `written`: the quantity was in the line (else 1 is assumed)."""
    text = _RE_PHONE.sub(lambda m: " " * len(m.group(0)), text)
    spans = _spans(text, specs)
    names = [s for _, _, s in spans]
    if len(spans) < 2 or len(set(names)) != len(names):
        return None
    before = [_count_before(text[spans[i - 1][1] if i else 0:start]) for i, (start, _, _) in enumerate(spans)]
    counts_first = before[0] is not None  # `2份小果 1份大果`: each count stands before its spec
    out = []
    for i, (start, end, spec) in enumerate(spans):
        upto = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        after = text[end:upto]
        qty = q.find_qty(" " + after)
        if not counts_first and qty.explicit and not after[: max(qty.start - 1, 0)].strip():
            out.append((spec, qty.n, True, (text[start:end] + after[: qty.end - 1]).strip()))
        elif (found := before[i]) is not None:
            n, said = found
            out.append((spec, n, True, said + text[start:end]))
        else:
            out.append((spec, 1, False, text[start:end]))
    return out


def _count_before(text: str) -> tuple[int, str] | None:
    """(count, as written) of a count with its unit at the very end of the text (`2份`), else None."""
    m = _RE_COUNT_BEFORE.search(text)
    if m and 1 <= (n := cn_number(m.group(1)) or 0) <= q.MAX_QTY:
        return n, text[m.start():].strip()
    return None


def split_by_spec(entries: list[ChainEntry], specs: list[str]) -> list[ChainEntry]:
    """The entries with each line naming several of the deal's specs read as one entry per spec."""
    if len(specs) < 2:
        return entries
    out: list[ChainEntry] = []
    for e in entries:
        found = None if e.cancelled else spec_quantities(e.raw, specs)
        if not found:
            out.append(e)
            continue
        said = " ".join(w for _, _, _, w in found)
        note = " ".join(w for w in e.note.split() if w not in said)  # the specs and counts are read
        hints = [h for h in e.hints if not h.startswith("一行里还有") and "单位不同" not in h]
        some_written = any(written for _, _, written, _ in found)  # `大果 小果`: one of each, plainly
        for spec, n, written, _ in found:
            out.append(replace(e, spec=spec[:100], qty=n, items=[], qty_explicit=True, note=note,
                               hints=hints + ([NO_QTY.format(spec=spec)] if some_written and not written else [])))
    return out
