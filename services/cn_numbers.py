"""Chinese numerals as people type them in chats and on air: 两, 十二, 五十, 一百二, 前一百名."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUM = r"(?:\d+|[零〇一二两俩三四五六七八九十百千万]+)"


def cn_number(s: str) -> int | None:
    """'50' → 50, '五十' → 50, '一百' → 100, '一百二' → 120, '两百五十' → 250, '十' → 10."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    s = s.replace("俩", "两")
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        return None
    total, section, digit = 0, 0, None
    last_unit = 1
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
            last_unit = unit
    if digit is not None:
        # 一百二 = 120, 两千五 = 2500: a trailing digit after a unit scales one unit down.
        section += digit * (last_unit // 10 if last_unit >= 100 and s[-2] in _UNITS else 1)
    return total + section
