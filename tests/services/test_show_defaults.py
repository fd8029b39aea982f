"""The new-show form's default slot: tonight's (or tomorrow's) 20:00, never a morning show."""
from __future__ import annotations

from datetime import datetime

import pytest

from services import shows


@pytest.mark.parametrize(
    "now, start",
    [
        (datetime(2026, 12, 2, 8, 25), datetime(2026, 12, 2, 20, 0)),  # planned in the morning: tonight
        (datetime(2026, 12, 2, 18, 59), datetime(2026, 12, 2, 20, 0)),
        (datetime(2026, 12, 2, 19, 30), datetime(2026, 12, 3, 20, 0)),  # less than an hour left: tomorrow
        (datetime(2026, 12, 2, 22, 0), datetime(2026, 12, 3, 20, 0)),
        (datetime(2026, 12, 31, 23, 0), datetime(2027, 1, 1, 20, 0)),
    ],
)
def test_a_new_show_defaults_to_the_next_evening(now, start):
    assert shows.default_slot(now) == (start, start.replace(hour=21))
