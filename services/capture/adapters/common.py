"""Small readers shared by the adapters: times, ids, numbers from loosely typed JSON."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from services import clock
from services.text import clean

MAX_MSG_ID = 160


class Malformed(ValueError):
    """The raw message is not in the tool's shape."""


def load(raw: str | bytes | dict) -> Any:
    """JSON text (or an already parsed object) → object; Malformed when it is not JSON."""
    if isinstance(raw, (dict, list)):
        return raw
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed("not JSON") from exc


def load_object(raw: str | bytes | dict) -> dict | None:
    """One JSON object, or None when the delivery is not one (the adapter counts it malformed)."""
    try:
        return obj(load(raw))
    except Malformed:
        return None


def obj(value: Any, what: str = "message") -> dict:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object")
    return value


def dig(value: Any, *path: str) -> Any:
    """value[path[0]][path[1]]… or None where any step is missing."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text(value: Any) -> str:
    """A field as one line of text, without control or bidi-override characters."""
    return "" if value is None or isinstance(value, (dict, list)) else clean(value)


def integer(value: Any) -> int | None:
    """An int from a number or a numeric string (protobuf JSON sends 64-bit ints as strings)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None


def decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def when(value: Any) -> datetime | None:
    """A Unix time in seconds or milliseconds (a number or a numeric string) → naive APP_TZ time."""
    n = integer(value)
    if n is None or n <= 0:
        return None
    if n > 100_000_000_000:  # milliseconds
        n //= 1000
    try:
        return datetime.fromtimestamp(n, tz=clock.tz()).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def msg_key(value: Any) -> str:
    """A message id that fits the dedupe column: long ids are replaced by their SHA-1."""
    s = text(value)
    if len(s) > MAX_MSG_ID:
        return "sha1:" + hashlib.sha1(s.encode("utf-8")).hexdigest()
    return s
