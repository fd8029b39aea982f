"""Follow-ups (跟进): who has not picked up by a deadline, with a reminder to copy into the
group; after a hand-over, a personal care message to copy (主动关怀: "东西收到了吗？还满意吗？");
and a claim heard in that conversation goes into the show's claims log (services.promises).

The texts are pure functions of plain values, tested without a database."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Pickup, Promise
from services import promises, shows
from services.authz import Actor
from services.errors import InvalidInput, InvalidState, NotFound
from services.text import clean
from services.pickup import rows
from services.pickup.points import COURIER, SELF_PICKUP, group_sort_key, pickup_point
from services.pickup.states import Via, when_text

DEFAULT_HOUR = 18  # without a delivery promise, orders are due by 18:00 the day after the show
MAX_REASON = 150


def default_deadline(session: Session, show_id: int) -> datetime:
    """The earliest due time of the show's delivery promises, else 18:00 the day after the show."""
    due = session.scalar(
        select(Promise.due_at)
        .where(Promise.show_id == show_id, Promise.kind == "delivery", Promise.due_at.is_not(None),
               Promise.status != promises.PromiseStatus.WAIVED)
        .order_by(Promise.due_at)
        .limit(1)
    )
    if due is not None:
        return due
    show = shows.get_show(session, show_id)
    end = show.actual_end or show.scheduled_end
    return datetime.combine(end.date() + timedelta(days=1), time(DEFAULT_HOUR, 0))


def not_picked(session: Session, show_id: int, deadline: datetime) -> list[rows.PickupRow]:
    """Orders not handed over in full by the deadline (still open, or handed over after it)."""
    late_or_open = or_(Pickup.done_at.is_(None), Pickup.done_at > deadline)
    q = rows.base_select(show_id).where(late_or_open).order_by(Deal.id, ChainEntry.seq, ChainEntry.id)
    found = rows.to_rows(session, session.execute(q), with_perks=False)
    return sorted(found, key=lambda r: group_sort_key(r.group))


def picked_recently(session: Session, show_id: int, limit: int = 100) -> list[rows.PickupRow]:
    """Orders handed over in full, the most recent first (for the care messages)."""
    q = rows.base_select(show_id).where(Pickup.done_at.is_not(None)).order_by(Pickup.done_at.desc()).limit(limit)
    return rows.to_rows(session, session.execute(q), with_perks=False)


def _who(person: str, orders: Sequence[rows.PickupRow], many_deals: bool) -> str:
    if not many_deals:
        seqs = "、".join(o.seq_text for o in orders)
        return f"{seqs} {person}"
    # 跟团号 first: glued after the product it read as part of it ("散养土鸡蛋 30枚21号×1").
    parts = "、".join(f"{o.seq_text} {o.product}×{o.remaining or o.qty}" for o in orders)
    return f"{person}（{parts}）"


DOOR = "送货上门"
SHIP = "快递发出"


def _way(row: rows.PickupRow, place: str, delivers: bool) -> str:
    """How this order reaches its buyer, in the reminder's words: at the pickup point it names,
    快递发出 for a 快递 order (night 21: reminded as a pickup), 送货上门 for a building or address where
    the show delivers, else at the shop (or `place`)."""
    if row.group == COURIER:
        return SHIP
    point = pickup_point(row.address, row.note)
    if point is None and delivers:
        return DOOR
    if point is None or point == SELF_PICKUP:
        return f"到{place}自提" if place else SELF_PICKUP
    return f"到{point}提货" if point.endswith("自提点") else f"到{point}自提"


def reminder_text(
    show_title: str, open_rows: Sequence[rows.PickupRow], deadline: datetime, place: str = "", delivers: bool = False,
    now: datetime | None = None,
) -> str:
    """The reminder to post in the group: who still has orders waiting, by pickup point / building,
    each group told what fits it (到东门驿站自提 / 到店自提 / 送货上门, see `_way`). `place` names the
    shop for orders that name no pickup point; `delivers`: the show delivers (show_delivers).
    Orders handed over since the deadline are not reminded (they came late, but they came), and a
    deadline already past at `now` is not asked for again (请尽快, not 请在 <a past time> 前)."""
    open_rows = [r for r in open_rows if r.remaining]
    if not open_rows:
        return f"【提货提醒】{show_title}\n所有订单都已提货，感谢大家的支持！"
    people = {r.name for r in open_rows}
    many_deals = len({r.deal_id for r in open_rows}) > 1
    by_group: dict[str, dict[str, list[rows.PickupRow]]] = defaultdict(lambda: defaultdict(list))
    for r in open_rows:
        by_group[r.group][r.name].append(r)
    # One group is one way (a pickup point's orders all name it; a building's name none).
    ways = {g: _way(next(iter(people_of.values()))[0], place, delivers) for g, people_of in by_group.items()}
    one_way = next(iter(ways.values())) if len(set(ways.values())) == 1 else None
    past = now is not None and now > deadline
    when = when_text(deadline)
    if one_way in (DOOR, SHIP):
        late = f"原定 {when} 前，晚了，抱歉" if past else f"{when} 前"
        head = f"还有 {len(people)} 位邻居的订单将{one_way}（{late}），请留意{'物流' if one_way == SHIP else '收货'}："
    else:
        by = f"（{when} 已过），请尽快" if past else f"，请在 {when} 前"
        head = f"还有 {len(people)} 位邻居的订单没有取{by}{one_way or '按下面的方式提货'}："
    lines = [f"【提货提醒】{show_title}", head]
    for group in sorted(by_group, key=group_sort_key):
        who = "、".join(_who(p, orders, many_deals) for p, orders in by_group[group].items())
        how = "" if one_way else f"（{ways[group]}）"
        lines.append(f"{group}{how}：{who}")
    lines.append("已经取过的请忽略。来不及取的私信我，帮您留着或安排送货。")
    return "\n".join(lines)


def care_message(
    name: str, orders: Sequence[tuple[str, int]], show_title: str, at: datetime | None, via: str = Via.COUNTER,
    *, shipped: bool = False,
) -> str:
    """The personal follow-up after a hand-over (主动关怀), to send by private message. `shipped`: a 快递
    order, 发货 (sent off, not at the door yet)."""
    goods = "、".join(f"{product}×{qty}" for product, qty in orders) or "订单"
    how = "发货" if shipped and via == Via.DELIVERY else "送到" if via == Via.DELIVERY else "取走"
    when = f"已于 {when_text(at)} {how}" if at else f"已{how}"
    return (
        f"{name}您好！您在「{show_title}」订的 {goods} {when}。"
        "东西收到了吗？还满意吗？吃法、用法有不清楚的随时问我；"
        "如果有坏损、少件或不满意，直接回复我，我们第一时间处理。"
    )


def care_message_for(row: rows.PickupRow, show_title: str) -> str:
    return care_message(row.name, [(row.product, row.qty)], show_title, row.done_at or row.picked_at, row.via,
                        shipped=row.group == COURIER)


def claim_promises(session: Session, show_id: int) -> list[tuple[int, str]]:
    """(promise id, words) of the show's claims logs (包退 / 赔付 promises kept claim by claim)."""
    q = select(Promise.id, Promise.text).where(
        Promise.show_id == show_id, Promise.scope == promises.Scope.CLAIMS, Promise.status != promises.PromiseStatus.WAIVED
    ).order_by(Promise.said_at, Promise.id)
    return [(i, t) for i, t in session.execute(q)]


def log_claim(
    session: Session, actor: Actor, entry_id: int, reason: str, promise_id: int | None = None, at: datetime | None = None
) -> FulfilmentItem:
    """A claim heard in a follow-up (坏了两个, 少了一盒) into the claims log, tied to the order.
    Without a promise id: the claims promise of the order's deal, else the show's first one."""
    entry = session.get(ChainEntry, entry_id)
    if entry is None:
        raise NotFound("找不到这条跟团，请刷新后重试。")
    reason = clean(reason)
    if not reason:
        raise InvalidInput("请写下团员反馈的问题（如：坏了两个）。", field="问题")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"问题描述最多 {MAX_REASON} 字。", field="问题")
    deal = session.get(Deal, entry.deal_id)
    if promise_id is None:
        promise_id = _claims_promise_of(session, deal)
    return promises.add_claim(session, actor, promise_id, entry.buyer_name, reason, entry_id=entry_id, at=at)


def _claims_promise_of(session: Session, deal: Deal) -> int:
    q = select(Promise.id).where(
        Promise.show_id == deal.show_id, Promise.scope == promises.Scope.CLAIMS, Promise.status != promises.PromiseStatus.WAIVED
    ).order_by(case((Promise.deal_id == deal.id, 0), else_=1), Promise.said_at, Promise.id).limit(1)
    pid = session.scalar(q)
    if pid is None:
        raise InvalidState("本场还没有「按申请登记」的承诺（如包退、坏了包赔），请先在「承诺履约」页记录后再登记售后。")
    return pid
