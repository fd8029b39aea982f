"""Wall-clock time in the app's time zone (APP_TZ, default Asia/Shanghai), stored naive."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services import config


def tz() -> ZoneInfo:
    return ZoneInfo(config.get("APP_TZ"))


def now() -> datetime:
    return datetime.now(tz()).replace(tzinfo=None, microsecond=0)


def minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)
