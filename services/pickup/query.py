"""What the counter typed: a 跟团号, a phone tail, or part of a name (pure, no database).

- "12", "#12", "12号", "跟团号12" → the 跟团号 12 (in any of the show's chains);
- "5678", "尾号5678", "手机5678" → a phone ending in 5678; four bare digits may be either, so
  both are looked up (a 跟团号 of four digits is rare, a phone tail is the common case);
- a whole phone number (7+ digits) → its last four digits, the number itself must match;
- anything else → part of a buyer's name (王芳, 果果妈, amy), case-insensitive;
  also part of the address written in the chain (9栋1203, 1203: the room the neighbour says),
  of the note, or of the pickup point the order names (西门菜站: services.pickup.counter.find);
- a number that finds no 跟团号 or phone is then looked up in the names and addresses (295-909 → 909).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY = 40

_SEQ = re.compile(r"^(?:跟团号|接龙号|序号|编号|#|＃|No\.?)?\s*(\d{1,6})\s*号?$", re.IGNORECASE)
_TAIL = re.compile(r"^(?:手机)?(?:尾号|后四位|手机|电话)\s*(\d{4})$")
_PHONE = re.compile(r"^\+?[\d\s\-]{7,20}$")


@dataclass(frozen=True)
class Query:
    seq: int | None = None
    tail: str | None = None
    phone: str | None = None  # the digits of a whole number, when one was typed
    name: str | None = None


def parse_query(text: str) -> Query | None:
    """The lookup the text asks for, or None when there is nothing to look up."""
    text = unicodedata.normalize("NFKC", text or "").strip()[:MAX_QUERY]
    if not text:
        return None
    m = _TAIL.match(text)
    if m:
        return Query(tail=m.group(1))
    if _PHONE.match(text) and len(re.sub(r"\D", "", text)) >= 7:
        digits = re.sub(r"\D", "", text)
        return Query(tail=digits[-4:], phone=digits)
    m = _SEQ.match(text)
    if m:
        digits = m.group(1)
        bare = digits == text
        return Query(seq=int(digits), tail=digits if bare and len(digits) == 4 else None)
    return Query(name=text)


def as_name(text: str) -> Query | None:
    """The text read as part of a name only: the counter's second try when a number found no
    跟团号 or phone (a room chained as the name, 295-909; a nickname's digits, 蒋奶奶36)."""
    text = unicodedata.normalize("NFKC", text or "").strip()[:MAX_QUERY]
    return Query(name=text) if text else None


def like_escape(text: str) -> str:
    """Text for a LIKE pattern with % and _ taken literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
