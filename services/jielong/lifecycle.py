"""A deal's life after its release: one owner for its statuses, their labels, the 成团
progress rule, the milestones (成团 / 售罄) and the outcomes (未成团 once the deadline passed).

    draft 草稿 → released 已发布 → reached 已成团 / sold_out 已售罄 / failed 未成团

Codes are English (StrEnum: a member compares equal to its string, so rows read from the
database compare directly); the Chinese labels are the UI's. The threshold unit is stored as
a code too ("units" / "people"); `threshold_unit(value)` also takes the Chinese labels 份 / 人.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Deal
from services import clock, events, locking
from services.authz import SYSTEM, Actor
from services.jielong import buyers


class DealStatus(StrEnum):
    DRAFT = "draft"
    RELEASED = "released"
    REACHED = "reached"
    SOLD_OUT = "sold_out"
    FAILED = "failed"


STATUS_LABELS: dict[str, str] = {
    DealStatus.DRAFT: "草稿",
    DealStatus.RELEASED: "已发布",
    DealStatus.REACHED: "已成团",
    DealStatus.SOLD_OUT: "已售罄",
    DealStatus.FAILED: "未成团",
}
# Released and still taking entries (stock and deadline permitting).
OPEN_STATUSES = (DealStatus.RELEASED, DealStatus.REACHED)


class EntryStatus(StrEnum):
    VALID = "valid"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"


ENTRY_STATUS_LABELS: dict[str, str] = {
    EntryStatus.VALID: "有效",
    EntryStatus.CANCELLED: "已取消",
    EntryStatus.WAITLISTED: "候补",
}


class ThresholdUnit(StrEnum):
    UNITS = "units"  # 份: the deal goes ahead once enough units are ordered
    PEOPLE = "people"  # 人: once enough buyers joined


THRESHOLD_UNIT_LABELS: dict[str, str] = {ThresholdUnit.UNITS: "份", ThresholdUnit.PEOPLE: "人"}
THRESHOLD_UNITS = tuple(ThresholdUnit)
_UNIT_BY_LABEL = {label: code for code, label in THRESHOLD_UNIT_LABELS.items()}


def threshold_unit(value: str) -> ThresholdUnit:
    """The unit for a code ("units" / "people") or a Chinese label (份 / 人); ValueError otherwise."""
    value = (value or "").strip()
    return ThresholdUnit(_UNIT_BY_LABEL.get(value, value))


def unit_label(unit: str) -> str:
    """份 or 人 for a stored unit."""
    return THRESHOLD_UNIT_LABELS.get(unit, unit)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def entry_status_label(status: str) -> str:
    return ENTRY_STATUS_LABELS.get(status, status)


def entry_flags_label(over_limit: bool, over_stock: bool, missing: bool) -> str:
    """The 提示 an entry carries (console table, packing exports): flagged, to be checked by hand."""
    flags = (("超出限购", over_limit), ("超出规格限量", over_stock), ("最新接龙中缺失", missing))
    return "；".join(label for label, on in flags if on)


# ---------------------------------------------------------------- the 成团 progress rule


def progress(unit: str, units: int, people: int) -> int:
    """What counts towards the threshold: people for a 人 threshold, else units (份)."""
    return people if unit == ThresholdUnit.PEOPLE else units


def deal_progress(deal: Deal) -> int:
    return progress(deal.threshold_unit, deal.units_valid, deal.buyers_valid)


def is_reached(deal: Deal) -> bool:
    return deal_progress(deal) >= deal.threshold


def is_sold_out(deal: Deal) -> bool:
    return deal.stock is not None and deal.units_valid >= deal.stock


def stock_left(stock: int | None, units_valid: int) -> int | None:
    """剩余: what the chain can still take, None when the stock is unlimited. A 待核实 line (超出限购,
    超出规格限量, gone from the latest chain) holds its units until the leader settles it, as the
    allocation does (`plan.allocate`: a new line beyond the stock goes to 候补), so they are not
    counted free; `stock_left_words` shows them apart."""
    return None if stock is None else max(stock - units_valid, 0)


def stock_left_words(stock: int | None, units_valid: int, units_flagged: int = 0) -> tuple[str, str]:
    """(剩余's value, its note) as the console's 接龙 panel, its deal table and the host screen all show
    it: ("不限量", ""), ("12 份", ""), ("12 份", "另 3 份待核实"). Night 21: 剩余 24 份 silently counted
    朵朵妈's 2 待核实 units as sold; the seller now sees the units a check may give back."""
    left = stock_left(stock, units_valid)
    if left is None:
        return "不限量", ""
    return f"{left} 份", (f"另 {units_flagged} 份待核实" if units_flagged > 0 else "")


def stock_left_text(stock: int | None, units_valid: int, units_flagged: int = 0) -> str:
    """stock_left_words on one line: 12 份（另 3 份待核实）."""
    value, note = stock_left_words(stock, units_valid, units_flagged)
    return f"{value}（{note}）" if note else value


def deadline_failed(deal: Deal, now: datetime) -> bool:
    """未成团: released, the deadline passed below the threshold, not yet recorded."""
    return (
        deal.status != DealStatus.DRAFT
        and deal.deadline is not None
        and now >= deal.deadline
        and deal.failed_at is None
        and not is_reached(deal)
    )


# ---------------------------------------------------------------- milestones and outcomes


def milestones(session: Session, actor: Actor | None, deal: Deal, at: datetime) -> list[str]:
    """成团 / 售罄 at the moment of the crossing entry; keeps the status in line with the tallies."""
    msgs = []
    reached, sold_out = is_reached(deal), is_sold_out(deal)
    if reached and deal.reached_at is None:
        deal.reached_at = at
        msgs.append("🎉 已成团！")
        events.record(session, "deal.reached", deal.show_id, actor, at=at, deal_id=deal.id, product=deal.product,
                      units=deal.units_valid, buyers=deal.buyers_valid)
    if sold_out and deal.sold_out_at is None:
        deal.sold_out_at = at
        msgs.append("🔥 已售罄！")
        events.record(session, "deal.sold_out", deal.show_id, actor, at=at, deal_id=deal.id, product=deal.product,
                      units=deal.units_valid)
    if deal.status != DealStatus.DRAFT:
        _set_status(session, deal, _status_after_release(deal, reached, sold_out))
    session.flush()
    return msgs


def deal_counts_toward_gmv(deal_status: str | None) -> bool:
    """A deal's entries can count toward the 成交额 unless the deal failed (未成团: refunded)."""
    return deal_status != DealStatus.FAILED


def _set_status(session: Session, deal: Deal, status: DealStatus) -> None:
    """The one way a released deal's status changes: its buyers follow it into (or out of) 未成团."""
    counted = deal_counts_toward_gmv(deal.status)
    deal.status = status
    buyers.follow_outcome(session, deal, counted, deal_counts_toward_gmv(status))


def _status_after_release(deal: Deal, reached: bool, sold_out: bool) -> DealStatus:
    if sold_out:
        return DealStatus.SOLD_OUT
    if reached:
        return DealStatus.REACHED
    if deal.failed_at is not None:
        return DealStatus.FAILED
    return DealStatus.RELEASED


def check_outcomes(session: Session, deal_id: int, now: datetime | None = None) -> list[str]:
    """Detect 成团 / 售罄 / 未成团 (deadline passed below the threshold); newly found ones are logged."""
    now = now or clock.now()
    deal = locking.lock(session, Deal, deal_id, missing=f"找不到编号为 {deal_id} 的团品。")
    if deal.status == DealStatus.DRAFT:
        return []
    msgs = milestones(session, SYSTEM, deal, now)
    if deadline_failed(deal, now):
        deal.failed_at = deal.deadline
        events.record(session, "deal.failed", deal.show_id, SYSTEM, at=deal.deadline, deal_id=deal.id,
                      product=deal.product, units=deal.units_valid, buyers=deal.buyers_valid, threshold=deal.threshold)
        _set_status(session, deal, DealStatus.FAILED)
        msgs.append(f"「{deal.product}」截止时未达到成团数，未成团。")
        session.flush()
    return msgs


def due_failures(session: Session, show_id: int, now: datetime | None = None) -> list[int]:
    """The show's deals whose deadline passed below the threshold with 未成团 not yet recorded."""
    now = now or clock.now()
    deals = session.scalars(select(Deal).where(
        Deal.show_id == show_id, Deal.status != DealStatus.DRAFT, Deal.failed_at.is_(None), Deal.deadline <= now,
    ).order_by(Deal.id))
    return [d.id for d in deals if deadline_failed(d, now)]


def settle_outcomes(session: Session, show_id: int, now: datetime | None = None) -> list[str]:
    """Record 未成团 for every deal of the show whose deadline passed below its threshold. Night 19:
    only the deal picked on the console was checked, so a deal nobody picked after its deadline
    stayed 已发布, its refunded orders in the review's 成交额 and at the pickup counter."""
    now = now or clock.now()
    msgs: list[str] = []
    for deal_id in due_failures(session, show_id, now):
        msgs += check_outcomes(session, deal_id, now)
    return msgs


# ---------------------------------------------------------------- the progress broadcast (进度播报)


def progress_text_of(deal: Deal) -> str:
    """The line to post in the group: 已接龙30单！还差20单成团！ / 已成团！还剩8份 / 最后5份！"""
    if deal.status == DealStatus.DRAFT:
        return f"「{deal.product}」接龙即将开始，敬请期待！"
    remaining = stock_left(deal.stock, deal.units_valid)
    have, unit_have, unit_need = _progress_words(deal)
    counted = deal_progress(deal)
    reached = counted >= deal.threshold
    if deal.status == DealStatus.FAILED and not reached:
        return (f"很遗憾，「{deal.product}」未能成团（已接龙{have}{unit_have}，"
                f"需{deal.threshold}{unit_label(deal.threshold_unit)}），将原路退款。")
    if remaining == 0:
        waiting = "，后续接龙将进入候补" if deal.entries_waitlisted == 0 else f"，已有{deal.entries_waitlisted}单候补"
        return f"已售罄！感谢大家支持{waiting}。"
    if not reached:
        text = f"已接龙{have}{unit_have}！还差{deal.threshold - counted}{unit_need}成团！"
        if remaining is not None and remaining <= 5 and deal.units_valid > 0:
            text += f"最后{remaining}份！"
        return text
    if remaining is None:
        return f"已成团！已接龙{have}{unit_have}，还在接龙中！"
    if remaining <= 5:
        return f"最后{remaining}份！"
    return f"已成团！还剩{remaining}份"


def _progress_words(deal: Deal) -> tuple[int, str, str]:
    """(what the chain has, its unit, the unit of what is missing) as the group speaks them."""
    if deal.threshold_unit == ThresholdUnit.PEOPLE:
        return deal.buyers_valid, "人", "人"
    return deal.entries_valid, "单", "单" if deal.units_valid == deal.entries_valid else "份"
