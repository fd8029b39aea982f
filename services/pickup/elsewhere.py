"""A neighbour at the counter for two nights' orders: what the person found here still has open
in the community's other shows of the last and next two weeks (pickups run for days; a show
older than that is a follow-up, not a counter matter). Only one person at a time: the cards
found must carry one name, matched in the other shows by that exact name or by its phone tail
(a 跟团号 is per show and says nothing about another night). Rehearsals are left out."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Show
from services.pickup import rows

WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class OpenElsewhere:
    show_id: int
    title: str
    orders: int
    units: int


def open_elsewhere(session: Session, show_id: int, found: Sequence[rows.PickupRow]) -> list[OpenElsewhere]:
    """The other shows where the one person of `found` still has orders to take, oldest first."""
    names = {r.name for r in found}
    if len(names) != 1:
        return []
    tails = {r.phone_tail for r in found if r.phone_tail}
    show = session.get(Show, show_id)
    others = session.execute(
        select(Show.id, Show.title)
        .where(Show.community_id == show.community_id, Show.id != show_id, Show.rehearsal.is_(False),
               Show.scheduled_start.between(show.scheduled_start - WINDOW, show.scheduled_start + WINDOW))
        .order_by(Show.scheduled_start, Show.id)
    ).all()
    who = or_(ChainEntry.buyer_name.in_(names), ChainEntry.phone_tail.in_(tails)) if tails \
        else ChainEntry.buyer_name.in_(names)
    out = []
    for other_id, title in others:
        waiting = [r for r in rows.to_rows(session, session.execute(rows.base_select(other_id).where(who)),
                                           with_perks=False) if r.remaining]
        if waiting:
            out.append(OpenElsewhere(other_id, title, len(waiting), sum(r.remaining for r in waiting)))
    return out
