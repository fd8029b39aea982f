"""The shared test fixtures' own rules."""
from __future__ import annotations

from datetime import datetime

import pytest

from services import clock
from tests.support import demo_morning


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 12, 4, 12, 0), datetime(2026, 12, 4, 7, 0)),
    (datetime(2026, 12, 4, 7, 0), datetime(2026, 12, 4, 7, 0)),
    # CI ran at 00:30 Shanghai time: today's 07:00 lay ahead, the demo night with it, and
    # 承诺兑现率 read None because nothing was due yet.
    (datetime(2026, 12, 4, 0, 30), datetime(2026, 12, 3, 7, 0)),
])
def test_the_demo_morning_is_never_in_the_future(monkeypatch, now, expected):
    monkeypatch.setattr(clock, "now", lambda: now)
    assert demo_morning() == expected
