"""Demo nights from the seeds: 源味集《农场主来了》 and 亲亲宝贝《安心之选》.

Placeholder: the demo helper replaces this with the full nights built through the services.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Show
from services import clock, shows
from services.authz import SYSTEM


def ensure_demo(session: Session) -> int | None:
    """Load the demo nights on the first start of an empty database."""
    if session.scalar(select(func.count()).select_from(Show)):
        return None
    load_past_night(session)
    return load_demo_night(session)


def load_demo_night(session: Session) -> int:
    day = clock.now().replace(hour=20, minute=0, second=0) - timedelta(days=1)
    show = shows.create_show(
        session,
        SYSTEM,
        shows.ShowForm("源味集《农场主来了》", "源味集·阳光花园群", 300, "老李", day, day + timedelta(hours=1)),
    )
    return show.id


def load_past_night(session: Session) -> int:
    day = clock.now().replace(hour=20, minute=0, second=0) - timedelta(days=8)
    show = shows.create_show(
        session,
        SYSTEM,
        shows.ShowForm("亲亲宝贝《安心之选》", "亲亲宝贝·安心妈妈群", 320, "林薇", day, day + timedelta(hours=1)),
    )
    return show.id
