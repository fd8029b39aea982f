"""How a figure reads wherever it is shown (pages, report, exports): one formatter per kind, so a
person checking a figure by hand sees the same text on every screen (承诺履约 and 复盘 both read
a 兑现率 of 0.0%, never 0% on one and 0.0% on the other)."""
from __future__ import annotations

MISSING = "—"  # a rate with no denominator (services.review.metrics.rate gives None)


def pct(v: float | None) -> str:
    """A rate (0–1) as people read it: 62.7%, one decimal; None as —."""
    return MISSING if v is None else f"{v * 100:.1f}%"
