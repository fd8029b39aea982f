"""Pickup and delivery (自提 / 核销 / 配送): the last link of trust, checked off at the counter.

Public API (pages, other capabilities, the demo, benchmarks and checks call these names):

- counter.py, 核销: `find(session, show_id, query) -> list[PickupRow]` (a 跟团号, a phone tail or
  part of a name); `mark(session, actor, entry_id, qty=None, at=None, *, gifts=(), key=None)`;
  `undo(session, actor, entry_id, at=None, *, key=None)`; `hand_gifts`; `request_key`;
  `AlreadyPickedUp` (an InvalidState saying by whom and when); `status_counts`.
- elsewhere.py: `open_elsewhere` (the one person found still has orders open in the community's
  other shows of the last / next two weeks: a neighbour come for two nights' orders), `OpenElsewhere`.
- rows.py: `PickupRow` (entry_id, seq, name, qty, picked_qty, status, perks, …), `Perk`, `row`.
- states.py: `PickupStatus` (pending 待提货 / partial 部分提货 / picked_up 已提货), `Via`,
  `FulfilledVia`, their labels, `when_text`; a 快递 order's words (待发货 / 已发货, 快递发货):
  `status_label_for`, `via_label_for`, `run_words` (配送's 待送 / 送达 or 待发货 / 发货).
- points.py: `pickup_group`, the one packing rule (pickup point or building), `pickup_point`, `NO_ADDRESS`.
- lists.py, 提货清单: `pickup_list` (per pickup point / building, with perks owed), `group_choices`.
- delivery.py, 配送: `deliver` (a building or a route delivered at a time), `undo_run`, `list_runs`,
  `show_delivers` (whether orders naming a building are 送货上门).
- promise_close.py: promises close themselves from hand-overs; `how_fulfilled` (承诺履约 page).
- followups.py, 跟进: `default_deadline`, `not_picked`, `reminder_text`, `picked_recently`,
  `care_message_for`, `claim_promises`, `log_claim`.
- stats.py, 复盘: `stats` (pickup rate, late pickups, delivery promises kept on time, per point).
- links.py, 提货链接 for store staff (expiring, revocable, one show): `create_link`,
  `resolve_link`, `link_actor`, `list_links`, `revoke_link`.
- demo_pickups.py: `replay_past_pickups` (the past demo night's hand-overs), `replay_week_pickups`,
  `deliver_share` and `counter_morning` (the seed night's morning after, played by services.demo).
"""
from services.pickup.counter import AlreadyPickedUp, find, hand_gifts, mark, request_key, status_counts, undo
from services.pickup.delivery import RunRow, deliver, list_runs, show_delivers, undo_run
from services.pickup.elsewhere import OpenElsewhere, open_elsewhere
from services.pickup.demo_pickups import counter_morning, deliver_share, replay_past_pickups, replay_week_pickups
from services.pickup.followups import (
    care_message,
    care_message_for,
    claim_promises,
    default_deadline,
    log_claim,
    not_picked,
    picked_recently,
    reminder_text,
)
from services.pickup.links import DEFAULT_HOURS as DEFAULT_LINK_HOURS
from services.pickup.links import MAX_HOURS as MAX_LINK_HOURS
from services.pickup.links import LinkGrant, create_link, link_actor, list_links, resolve_link, revoke_link
from services.pickup.lists import GroupCount, GroupList, group_choices, pickup_list
from services.pickup.points import NO_ADDRESS, PICKUP_SEP, group_sort_key, pickup_group, pickup_point
from services.pickup.promise_close import how_fulfilled
from services.pickup.rows import Perk, PickupRow, row
from services.pickup.states import (
    FULFILLED_LABELS,
    SHIPPING_LABELS,
    STATUS_LABELS,
    VIA_LABELS,
    FulfilledVia,
    PickupStatus,
    RunWords,
    Via,
    run_words,
    status_label_for,
    via_label_for,
    when_text,
)
from services.pickup.stats import PickupStats, PointStats, stats

__all__ = [
    "PICKUP_SEP", "group_sort_key",
    "AlreadyPickedUp", "DEFAULT_LINK_HOURS", "FULFILLED_LABELS", "MAX_LINK_HOURS", "FulfilledVia", "GroupCount", "GroupList", "LinkGrant", "NO_ADDRESS",
    "OpenElsewhere", "open_elsewhere",
    "Perk", "PickupRow", "PickupStats", "PickupStatus", "PointStats", "RunRow", "STATUS_LABELS", "VIA_LABELS", "Via",
    "care_message", "care_message_for", "claim_promises", "counter_morning", "create_link", "default_deadline", "deliver",
    "deliver_share", "find",
    "group_choices", "hand_gifts", "how_fulfilled", "link_actor", "list_links", "list_runs", "log_claim", "mark",
    "not_picked", "picked_recently", "pickup_group", "pickup_point", "pickup_list", "reminder_text", "replay_past_pickups",
    "replay_week_pickups", "RunWords", "SHIPPING_LABELS", "run_words", "status_label_for", "via_label_for",
    "request_key", "resolve_link", "revoke_link", "row", "show_delivers", "stats", "status_counts", "undo", "undo_run", "when_text",
]
