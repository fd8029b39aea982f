"""Delivery runs (配送): for shows that deliver, mark a building, a pickup point or a whole route
delivered, with the time. Every order of those groups not yet handed over in full is handed
over by the run (its remaining units), which closes its delivery promise items like a pickup
(on time → kept, later → late). A run can be undone as a whole (a wrong building ticked).
A 待核实 order is never handed over by a run: it waits for the leader's check and the counter."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, DeliveryRun, Pickup, PickupAction, Show
from services import clock, events, locking, shows
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState, NotFound
from services.text import clean
from services.pickup import counter, promise_close, rows
from services.pickup.points import pickup_group
from services.pickup.states import Action, Via

MAX_LABEL = 100
# A deal's 预计送达 / 自提 text that says the goods are brought to the door ("次日中午前送达",
# "配送上门"), unless it says they are not ("不送货", "仅自提").
_DELIVERS = re.compile(r"送达|送到|送货|送上门|配送|派送|上门")
_NO_DELIVERY = re.compile(r"不(?:送|配送|派送)|(?:仅|只|只能|需)自提|不上门")


def show_delivers(session: Session, show_id: int) -> bool:
    """Whether the show brings orders to the buildings (so an order naming a building, not a
    pickup point, is 送货上门): a delivery run was recorded, or a deal's 预计送达 text says so."""
    if session.scalar(select(exists().where(DeliveryRun.show_id == show_id))):
        return True
    texts = session.scalars(select(Deal.delivery_text).where(Deal.show_id == show_id, Deal.delivery_text != ""))
    return any(_DELIVERS.search(t) and not _NO_DELIVERY.search(t) for t in texts)


@dataclass(frozen=True)
class RunRow:
    id: int
    label: str
    groups: tuple[str, ...]
    delivered_at: datetime
    entries: int
    by: str
    undone_at: datetime | None


def _open_entries(session: Session, show_id: int, groups: set[str]) -> tuple[list[tuple[int, int]], int]:
    """(entry id, qty) of the show's orders in these groups not yet handed over in full, and how
    many more are 待核实 (超出限购 / 规格限量, gone from the latest chain): a run never hands those
    over, they wait for the leader's check and the counter, as the packing export says."""
    q = rows.base_select(show_id).with_only_columns(
        ChainEntry.id, ChainEntry.qty, ChainEntry.address, ChainEntry.note, Pickup.picked_qty,
        ChainEntry.missing, ChainEntry.over_limit, ChainEntry.over_stock,
    )
    todo, held = [], 0
    for eid, qty, address, note, picked, *flags in session.execute(q):
        if (picked or 0) < qty and pickup_group(address, note) in groups:
            if any(flags):
                held += 1
            else:
                todo.append((eid, qty))
    return todo, held


def _locked_states(session: Session, show_id: int, entry_ids: list[int]) -> dict[int, Pickup]:
    """entry id → its pickup row, created where missing, each locked (in id order: no deadlock)."""
    out = {}
    for eid in sorted(entry_ids):
        entry = session.get(ChainEntry, eid)
        out[eid] = counter.locked_state(session, entry, show_id)
    return out


FUTURE_SLACK = timedelta(hours=1)  # a clock a little ahead on the dispatcher's phone is no typo


def _delivered_at(show: Show, at: datetime | None, now: datetime | None = None) -> datetime:
    """The time a run was delivered: not before the show began, not in the future (a date
    picked a day off would close promises on time that were not, or mark them late)."""
    now = now or clock.now()
    at = at or now
    if at < show.scheduled_start:
        raise InvalidInput(f"送达时间不能早于直播开始（{show.scheduled_start:%m-%d %H:%M}），请检查日期。", field="送达时间")
    if at > now + FUTURE_SLACK:
        raise InvalidInput(f"送达时间（{at:%m-%d %H:%M}）还没到，请检查日期；送达后再标记。", field="送达时间")
    return at


def deliver(
    session: Session,
    actor: Actor,
    show_id: int,
    groups: list[str],
    at: datetime | None = None,
    *,
    label: str = "",
    now: datetime | None = None,
) -> DeliveryRun:
    """Mark every open order of these pickup points / buildings delivered at `at`. `now`: the
    moment the run is recorded (default the clock; the demo replays a morning as of the moment
    it is opened)."""
    require(actor, "pickup.deliver")
    show = shows.get_show(session, show_id)
    wanted = {g.strip() for g in groups or [] if g and g.strip()}
    if not wanted:
        raise InvalidInput("请选择要标记送达的楼栋或自提点。", field="楼栋")
    label = clean(label) or "、".join(sorted(wanted))
    if len(label) > MAX_LABEL:
        raise InvalidInput(f"配送名称最多 {MAX_LABEL} 字。", field="名称")
    at = _delivered_at(show, at, now)
    locking.lock(session, Show, show_id)  # one run at a time per show: no order is counted by two
    todo, held = _open_entries(session, show_id, wanted)
    if not todo and held:
        raise InvalidState(f"所选楼栋只剩 {held} 单待核实（超出限购、超出规格限量或已不在最新接龙里）："
                           "请先与团长核对，再到「核销」逐单交货。")
    if not todo:
        raise InvalidState("所选楼栋的订单都已提货或送达，没有要配送的。")
    run = DeliveryRun(
        show_id=show_id, label=label, groups=sorted(wanted), delivered_at=at, entries=0,
        created_by=actor.id, by_name=actor.name[:64], created_at=now or clock.now(),
    )
    session.add(run)
    session.flush()
    qty_of = dict(todo)
    done_ids = []
    for eid, p in _locked_states(session, show_id, list(qty_of)).items():
        left = qty_of[eid] - p.picked_qty
        if left <= 0:
            continue  # handed over at the counter meanwhile
        counter.handover(session, p, left, at, actor, Via.DELIVERY, run_id=run.id)
        p.done_at = at
        session.add(PickupAction(
            pickup_id=p.id, show_id=show_id, kind=Action.DELIVER, qty=left, at=at, operator_id=actor.id,
            by_name=actor.name[:64], delivery_run_id=run.id,
        ))
        done_ids.append(eid)
    run.entries = len(done_ids)
    closed = promise_close.on_handover(session, done_ids, at, Via.DELIVERY, actor.id)
    events.record(
        session, "pickup.delivered", show_id, actor, at=at, run_id=run.id, label=label, groups=sorted(wanted),
        entries=len(done_ids), promises=closed or None, held=held or None,
    )
    run.held = held  # not stored: what the page tells the driver's dispatcher right after the run
    return run


def undo_run(session: Session, actor: Actor, run_id: int, at: datetime | None = None) -> DeliveryRun:
    """Take back a run (ticked by mistake): its orders that nothing else touched since open again."""
    require(actor, "pickup.deliver")
    run = session.get(DeliveryRun, run_id)
    if run is None:
        raise NotFound("找不到这次配送记录。")
    if run.undone_at is not None:
        raise InvalidState("这次配送已撤销过了。")
    at = at or clock.now()
    locking.lock(session, Show, run.show_id)
    actions = session.scalars(
        select(PickupAction).where(PickupAction.delivery_run_id == run.id, PickupAction.kind == Action.DELIVER,
                                   PickupAction.undone.is_(False)).order_by(PickupAction.pickup_id)
    ).all()
    reverted = []
    for a in actions:
        p = locking.lock(session, Pickup, a.pickup_id)
        later = session.scalar(select(PickupAction.id).where(
            PickupAction.pickup_id == p.id, PickupAction.id > a.id, PickupAction.undone.is_(False),
            PickupAction.kind != Action.UNDO))
        if later is not None:
            continue  # handed over again since (e.g. at the counter): leave it
        a.undone = True
        p.picked_qty = max(p.picked_qty - a.qty, 0)
        p.version += 1
        p.done_at = None
        counter.restore_last(session, p)
        session.add(PickupAction(pickup_id=p.id, show_id=run.show_id, kind=Action.UNDO, qty=-a.qty, at=at,
                                 operator_id=actor.id, by_name=actor.name[:64], undoes_id=a.id))
        reverted.append(p.chain_entry_id)
    run.undone_at = at
    changed = promise_close.on_revert(session, reverted)
    events.record(session, "pickup.run_undone", run.show_id, actor, at=at, run_id=run.id, label=run.label,
                  entries=len(reverted), promises=changed or None)
    return run


def list_runs(session: Session, show_id: int) -> list[RunRow]:
    """The show's delivery runs, newest first."""
    q = select(DeliveryRun).where(DeliveryRun.show_id == show_id).order_by(DeliveryRun.delivered_at.desc(), DeliveryRun.id.desc())
    return [
        RunRow(r.id, r.label, tuple(r.groups or ()), r.delivered_at, r.entries, r.by_name, r.undone_at)
        for r in session.scalars(q)
    ]

