"""Alias kept for docs/contracts.md: `services.export` is services.review.export."""
import sys

from services.review import export

sys.modules[__name__] = export
