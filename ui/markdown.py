"""Operator- and viewer-typed text inside markdown (titles, captions): made literal."""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def literal(text: str) -> str:
    """Every ASCII punctuation that markdown could read escaped, so the text shows as typed."""
    return _PUNCTUATION.sub(r"\\\1", text)
