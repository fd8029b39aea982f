"""Operator- and viewer-typed text inside markdown (titles, captions, tooltips, toasts,
errors): made literal. THE one helper for it (issue 14 #8): every user string that reaches a
markdown-rendering element goes through `literal`.
"""
from __future__ import annotations

import re

# Anything that can open a link, an image, emphasis, code, HTML, a table, maths, an emoji
# shortcode or a Streamlit directive (:red[…], :material/…:), anywhere in the text.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:&])")
# A list, an ordered list or a rule only begins a line: "-" and "1." elsewhere stay as typed
# (so "1-50" and "2.5 元" read the same in the message and in the test that checks it).
_LINE_START = re.compile(r"^(\s*)(-|\d+(?=\.(?:\s|$)))", re.MULTILINE)


def literal(text: str) -> str:
    """The text escaped so markdown shows it exactly as typed."""
    escaped = _PUNCTUATION.sub(r"\\\1", str(text))
    return _LINE_START.sub(lambda m: m.group(1) + ("\\-" if m.group(2) == "-" else m.group(2) + "\\"), escaped)
