"""Pickup and delivery (自提 / 核销 / 配送): the last link of trust, checked off at the counter.

Public API (pages, other capabilities, the demo, benchmarks and checks call these names):

- counter (find / mark / undo), see counter.py:
  `find(session, show_id, query) -> list[PickupRow]` (a 跟团号, a phone tail or part of a name);
  `mark(session, actor, entry_id, qty=None, at=None, *, gifts=(), key=None)`;
  `undo(session, actor, entry_id, at=None, *, key=None)`; `hand_gifts(...)`; `request_key(...)`;
  `AlreadyPickedUp` (an InvalidState saying by whom and when); `status_counts`; `row`.
- states.py: `PickupStatus` (pending 待提货 / partial 部分提货 / picked_up 已提货), `Via`,
  `FulfilledVia`, labels, `when_text`.
- points.py: `pickup_group` (the one packing rule: pickup point or building), `NO_ADDRESS`.
- lists.py: `pickup_list` (per pickup point / building, with perks owed), `group_choices`.
- delivery.py: `deliver` (a building or a route delivered at a time), `undo_run`, `list_runs`.
- promise_close.py: promises close themselves from hand-overs; `how_fulfilled` for the 承诺履约 page.
- followups.py: `not_picked`, `reminder_text`, `care_message`, `picked_recently`, `log_claim`.
- stats.py: `stats` (pickup rate, late pickups, delivery promises kept on time, per pickup point).
- links.py: pickup links for store staff (expiring, revocable, one show): `create_link`,
  `resolve_link`, `link_actor`, `list_links`, `revoke_link`.
- demo_pickups.py: `replay_past_pickups` (the past demo night's hand-overs).
"""
from services.pickup.counter import (
    AlreadyPickedUp,
    find,
    hand_gifts,
    mark,
    request_key,
    status_counts,
    undo,
)
from services.pickup.points import NO_ADDRESS, pickup_group
from services.pickup.promise_close import how_fulfilled
from services.pickup.rows import Perk, PickupRow, row
from services.pickup.states import (
    FULFILLED_LABELS,
    STATUS_LABELS,
    VIA_LABELS,
    FulfilledVia,
    PickupStatus,
    Via,
    when_text,
)

__all__ = [
    "AlreadyPickedUp", "FULFILLED_LABELS", "FulfilledVia", "NO_ADDRESS", "Perk", "PickupRow", "PickupStatus",
    "STATUS_LABELS", "VIA_LABELS", "Via", "find", "hand_gifts", "how_fulfilled", "mark", "pickup_group",
    "request_key", "row", "status_counts", "undo", "when_text",
]
