"""Traditional Chinese characters read as their simplified forms (services.promises reads a line through it).

Group-buy organisers and shops in Taiwan and Hong Kong write their terms in traditional characters (運費分攤:免運費,
7 日內依原付款方式退款); every rule and model here was written on simplified text, so such a line read as it is
promised nothing (branch hunt22, from the tune rows of tests/data/real/host_lines_live16.tsv).

The conversion is OpenCC's `t2s` (the maintained reference converter, with phrase tables: 乾杯 → 干杯 but 乾隆 stays).
Callers keep offsets into the line as written, so a conversion that would change the length (OpenCC's phrase tables
can, rarely) is redone one character at a time.
"""
from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text with its traditional characters in their simplified forms; everything else as it is."""
    if text.isascii():
        return text
    convert = _converter().convert
    out = convert(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)
