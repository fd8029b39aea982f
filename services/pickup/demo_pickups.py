"""The past demo night's hand-overs (亲亲宝贝《安心之选》, "保税仓直发，3天内送达"), replayed
through the services with their own times so the review shows a pickup rate on a fresh start
(and `replay_week_pickups`: the 源味集 weekly nights' next-morning hand-overs).

Two days after the show two delivery runs cover most buildings (A线 before noon, B线 in the
afternoon); on the third day the rest come to the shop: most take everything, two take part
of their cans, and three never come (they stay on the follow-up list). Deterministic: every
choice follows the chain order, so each load gives the same figures."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from services import shows
from services.authz import Actor
from services.pickup import counter, delivery, lists
from services.pickup.states import PickupStatus

COURIER = Actor(id=None, name="配送员老陈", role="assistant")
CLERK = Actor(id=None, name="店员小周", role="staff")
RUN_SHARE = (0.45, 0.8)  # the first 45 % of the groups on A线, up to 80 % on B线; the rest at the shop
NEVER_CAME, PARTIAL = 3, 2


def replay_past_pickups(session: Session, show_id: int) -> None:
    start = shows.get_show(session, show_id).scheduled_start
    day2 = datetime.combine(start.date() + timedelta(days=2), datetime.min.time())
    groups = [g.group for g in lists.group_choices(session, show_id)]
    a, b = (round(len(groups) * s) for s in RUN_SHARE)
    if groups[:a]:
        delivery.deliver(session, COURIER, show_id, groups[:a], at=day2 + timedelta(hours=11, minutes=20), label="A线")
    if groups[a:b]:
        delivery.deliver(session, COURIER, show_id, groups[a:b], at=day2 + timedelta(hours=17, minutes=40), label="B线")
    shop = [r for g in lists.pickup_list(session, show_id) if g.group in groups[b:] for r in g.rows
            if r.status != PickupStatus.PICKED_UP]
    came = shop[: max(len(shop) - NEVER_CAME, 0)]
    partial = [r for r in came if r.qty > 1][:PARTIAL]
    at = day2 + timedelta(days=1, hours=9, minutes=5)
    for i, r in enumerate(came):
        qty = 1 if r in partial else None
        counter.mark(session, CLERK, r.entry_id, qty=qty, at=at + timedelta(minutes=17 * i))


def replay_week_pickups(session: Session, show_id: int, never_came: int = 0) -> None:
    """An earlier weekly demo night: its neighbours take their orders at the shop the next
    morning, in chain order, but the last `never_came` orders (still open: the counter then
    tells a neighbour of last week's orders, and 跟进 lists them)."""
    start = shows.get_show(session, show_id).scheduled_start
    at = datetime.combine(start.date() + timedelta(days=1), datetime.min.time()) + timedelta(hours=9)
    orders = [r for g in lists.pickup_list(session, show_id) for r in g.rows]
    for i, r in enumerate(orders[: max(len(orders) - never_came, 0)]):
        counter.mark(session, CLERK, r.entry_id, at=at + timedelta(minutes=i))
