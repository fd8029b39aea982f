"""The one cleaner of typed and imported text, used at every intake (comments, chain pastes
and entries, file imports, forms, the login name).

PostgreSQL refuses a NUL in a text column outright (SQLite stores it), so one NUL in a
comment used to fail the whole batch as a database error. Other C0/C1 controls garble
exports and logs, and the bidirectional overrides (U+202E …) make a name read backwards in
the console, the exports and the review ("赵六\u202e…" shows as someone else). All of them
go; tabs and line breaks stay where a field may hold several lines.
"""
from __future__ import annotations

import re
import unicodedata

from services.errors import InvalidInput

# C0 controls except \t \n \r, DEL, C1 controls; the bidi embeddings/overrides/isolates and
# the invisible marks that serve them; the BOM / zero-width no-break space; the line and
# paragraph separators (they split a "line" where no one sees a break).
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c"
_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b{_BIDI}\ufeff\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def strip_controls(text: str) -> str:
    """The text without control and bidi-override characters; nothing else changes."""
    return _CONTROLS.sub("", text)


# Letters that show nothing, used for "empty" nicknames: the Hangul fillers, the braille
# blank, the combining grapheme joiner; with the format characters (Unicode Cf: the zero-width
# joiners, the word joiner, the soft hyphen, tags) and the variation selectors they show nothing
# on their own, so a title, a name or a comment made only of them is empty.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")


def _shows_nothing(ch: str) -> bool:
    return (ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) == "Cf"
            or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef")


def is_blank(text: str) -> bool:
    """True when nothing of the text would show (only spaces and invisible characters)."""
    return all(_shows_nothing(ch) for ch in text)


def clean(value: object, multiline: bool = False) -> str:
    """The text without control and bidi-override characters, stripped; "" when nothing of it
    would show (is_blank). One-line fields (names, titles) also turn tabs and line breaks
    into a space."""
    text = _CONTROLS.sub("", "" if value is None else str(value))
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    text = text.strip()
    return "" if is_blank(text) else text


def twin_key(value: object) -> str:
    """The form two names are compared in to refuse a twin (a product, an operator): width
    folded (ＡＢ = AB), case folded, spaces and invisible characters dropped, so 「A级橙」 and
    「Ａ级 橙」 or 「admin」 and 「Admin\u200d」 are one name. Only compared, never stored."""
    folded = unicodedata.normalize("NFKC", clean(value)).casefold()
    return "".join(ch for ch in folded if not _shows_nothing(ch))


def has_controls(value: object) -> bool:
    """True when clean() would drop something (besides whitespace)."""
    return bool(_CONTROLS.search("" if value is None else str(value)))


def check_length(value: str | None, limit: int, field: str) -> None:
    """InvalidInput(field=…) naming the field when the text is longer than its column."""
    if value is not None and len(value) > limit:
        raise InvalidInput(f"{field}过长（{len(value)} 个字），最多 {limit} 个字。", field)


def fit(value: object, limit: int, field: str, multiline: bool = False) -> str:
    """clean() then check_length(): the one call a form field needs before it is stored."""
    text = clean(value, multiline)
    check_length(text, limit, field)
    return text


def column_limit(column) -> int | None:
    """The length of a String column (a mapped attribute such as Show.title), None when
    unbounded: the services check against the model so a form never outgrows its column."""
    return getattr(column.property.columns[0].type, "length", None)


def check_fields(errors: dict[str, str], fields: dict[str, tuple[str | None, object]]) -> None:
    """For each Chinese field name → (value, column): note a too-long value in `errors`
    (the caller raises FieldErrors with the rest of its checks)."""
    for name, (value, column) in fields.items():
        limit = column_limit(column)
        if value is not None and limit is not None and len(value) > limit:
            errors[name] = f"过长（{len(value)} 个字），最多 {limit} 个字"
