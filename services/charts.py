"""Alias kept for docs/contracts.md: `services.charts` is services.live.charts."""
import sys

from services.live import charts

sys.modules[__name__] = charts
