"""Alias kept for docs/contracts.md: `services.funnel` is the package services.live."""
import sys

from services import live

sys.modules[__name__] = live
