"""Deals (团品): the form, validation, the jielong text, readiness and the one-time release.

What follows the release (statuses, progress, milestones, outcomes) is services.jielong.lifecycle;
editing a deal (which may re-allocate its chain) is services.jielong.editing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.models import ChainEntry as EntryRow
from db.models import Deal, DealBuyer, DealMinute, Operator, Promise, Show
from services import clock, events, locking
from services.authz import Actor, require
from services.errors import MAX_COUNT, FieldErrors, InvalidInput, InvalidState, count_error
from services.jielong.lifecycle import DealStatus, ThresholdUnit, threshold_unit, unit_label
from services.jielong.specs import parse_spec_prices, parse_spec_stock, price_of
from services.shows import get_show
from services.text import check_fields, clean, twin_key
from services.sql import get_or_not_found

MAX_MONEY = Decimal("100000000")


@dataclass(frozen=True)
class DealForm:
    product: str
    selling_points: str = ""
    spec_options: str = ""
    group_price: Decimal | float | str | None = None
    original_price: Decimal | float | str | None = None
    threshold: int | None = None
    threshold_unit: str = ThresholdUnit.UNITS  # a code, or the label 份 / 人
    stock: int | None = None
    per_person_limit: int | None = None
    perk_first_n: int | None = None
    perk_text: str = ""
    delivery_text: str = ""
    deadline: datetime | None = None
    spec_prices: dict | str | None = None  # {"10斤装": 69.9} or "10斤装=69.9；5斤装=39.9"; others: group_price
    spec_stock: dict | str | None = None  # {"10斤装": 20} or "10斤装=20"; a spec not named: only the deal's 限量


def _money(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not d.is_finite():
        raise ValueError
    return d.quantize(Decimal("0.01"))


def _int_or_none(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    return int(str(value).strip())


def validate(form: DealForm, show: Show) -> dict:
    """The cleaned values, or FieldErrors naming each failing field in Chinese."""
    errors: dict[str, str] = {}
    out: dict = {"product": _product(form, errors)}
    out["group_price"], out["original_price"] = _prices(form, errors)
    out["threshold"], out["threshold_unit"] = _threshold(form, errors)
    out.update(_limits(form, errors))
    out.update(_texts(form, out.get("perk_first_n"), errors))
    out["deadline"] = _deadline(form, show, errors)
    if errors:
        raise FieldErrors(errors)
    return out


def _product(form: DealForm, errors: dict[str, str]) -> str:
    product = clean(form.product)
    if not product:
        errors["商品名称"] = "不能为空"
    else:
        check_fields(errors, {"商品名称": (product, Deal.product)})
    return product


def _prices(form: DealForm, errors: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
    price = original = None
    try:
        price = _money(form.group_price)
        if price is None or price <= 0:
            errors["专享价"] = "须大于 0"
        elif price >= MAX_MONEY:
            errors["专享价"] = "金额过大"
    except ValueError:
        errors["专享价"] = "须为金额数字，且大于 0"
    try:
        original = _money(form.original_price)
        if original is not None and original <= 0:
            errors["原价"] = "须留空或大于 0"
        elif original is not None and original >= MAX_MONEY:
            errors["原价"] = "金额过大"
        elif original is not None and price and original < price:
            errors["原价"] = "不应低于专享价"
    except ValueError:
        errors["原价"] = "须为金额数字或留空"
    return price, original


def _threshold(form: DealForm, errors: dict[str, str]) -> tuple[int | None, str]:
    threshold = None
    try:
        threshold = _int_or_none(form.threshold)
        if (problem := count_error(threshold)) is not None:
            errors["成团数"] = problem
    except ValueError:
        errors["成团数"] = "须为不小于 1 的整数"
    try:
        unit = threshold_unit(form.threshold_unit)
    except ValueError:
        errors["成团单位"] = "须为「份」或「人」"
        unit = form.threshold_unit
    return threshold, unit


_LIMITS = (
    ("stock", "限量", "须留空（不限量）或为不小于 1 的整数"),
    ("per_person_limit", "每人限购", "须留空（不限购）或为不小于 1 的整数"),
    ("perk_first_n", "前 N 名福利", "须留空或为不小于 1 的整数"),
)


def _limits(form: DealForm, errors: dict[str, str]) -> dict:
    out: dict = {}
    for attr, label, rule in _LIMITS:
        try:
            v = _int_or_none(getattr(form, attr))
            if v is not None and not 1 <= v <= MAX_COUNT:
                errors[label] = rule
            out[attr] = v
        except ValueError:
            errors[label] = rule
    return out


def _texts(form: DealForm, perk_first_n: int | None, errors: dict[str, str]) -> dict:
    perk_text = clean(form.perk_text)
    if perk_first_n and not perk_text:
        errors["福利内容"] = "设置了前 N 名福利时不能为空"
    specs = [s.strip() for s in clean(form.spec_options).replace("，", ",").replace("、", ",").split(",") if s.strip()]
    out = {
        "perk_text": perk_text,
        "selling_points": clean(form.selling_points, multiline=True),
        "spec_options": ",".join(specs),
        "spec_prices": parse_spec_prices(form.spec_prices, specs, errors) or None,
        "spec_stock": parse_spec_stock(form.spec_stock, specs, errors) or None,
        "delivery_text": clean(form.delivery_text),
    }
    check_fields(errors, {"福利内容": (out["perk_text"], Deal.perk_text), "规格选项": (out["spec_options"], Deal.spec_options),
                          "预计送达 / 自提": (out["delivery_text"], Deal.delivery_text)})
    return out


def _deadline(form: DealForm, show: Show, errors: dict[str, str]) -> datetime | None:
    if form.deadline is not None:
        if not isinstance(form.deadline, datetime):
            errors["截止时间"] = "须为日期时间"
        elif form.deadline <= show.scheduled_start:
            errors["截止时间"] = f"须晚于直播开始时间（{show.scheduled_start:%m-%d %H:%M}）"
    return form.deadline


def check_unique(session: Session, show_id: int, product: str, exclude_id: int | None = None) -> None:
    """One deal per product in a show: a second click on 保存团品 must not make a twin. The show's
    row is locked first, so two submits at the same instant (two tabs, a double click) are
    checked one after the other instead of both seeing no twin."""
    locking.lock(session, Show, show_id)
    q = select(Deal.product).where(Deal.show_id == show_id)  # a show's few deals
    if exclude_id is not None:
        q = q.where(Deal.id != exclude_id)
    key = twin_key(product)
    twin = next((p for p in session.scalars(q) if twin_key(p) == key), None)
    if twin is not None:
        raise InvalidInput(f"本场已有团品「{twin}」，请勿重复添加；如需修改请到「编辑团品」。", "商品名称")


def create_deal(session: Session, actor: Actor, show_id: int, form: DealForm, at: datetime | None = None) -> Deal:
    require(actor, "deal.edit")
    show = get_show(session, show_id)
    values = validate(form, show)
    check_unique(session, show.id, values["product"])
    at = at or clock.now()
    deal = Deal(show_id=show.id, status=DealStatus.DRAFT, created_at=at, **values)
    session.add(deal)
    session.flush()
    events.record(session, "deal.created", show.id, actor, at=at, deal_id=deal.id, product=deal.product)
    return deal


def delete_deal(session: Session, actor: Actor, deal_id: int, at: datetime | None = None) -> str:
    """Delete a draft deal (nothing was signed up for it yet); returns its product name.
    A released deal is refused: its chain is what members signed up for."""
    require(actor, "deal.edit")
    deal = locking.lock(session, Deal, deal_id, missing=f"找不到编号为 {deal_id} 的团品。")
    if deal.status != DealStatus.DRAFT:
        raise InvalidState(f"「{deal.product}」的接龙已发布，不能删除。")
    promised = session.scalar(select(func.count()).select_from(Promise).where(Promise.deal_id == deal_id))
    if promised:
        raise InvalidState(f"有 {promised} 条承诺关联「{deal.product}」，请先在「承诺履约」把它们改到其他团品。")
    for model in (DealMinute, DealBuyer, EntryRow):  # empty for a draft; cleared for the FK all the same
        session.execute(delete(model).where(model.deal_id == deal_id))
    product, show_id = deal.product, deal.show_id
    session.delete(deal)
    session.flush()
    events.record(session, "deal.deleted", show_id, actor, at=at or clock.now(), deal_id=deal_id, product=product)
    return product


def get_deal(session: Session, deal_id: int) -> Deal:
    return get_or_not_found(session, Deal, deal_id, "找不到编号为 {key} 的团品。")


def list_deals(session: Session, show_id: int) -> list[Deal]:
    return list(session.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)))


def specs_of(deal: Deal) -> list[str]:
    return [s for s in (deal.spec_options or "").split(",") if s]


def _fmt_money(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d:.2f}".rstrip("0").rstrip(".")  # 19.90 → 19.9, 20.00 → 20


def _fmt_time(t: datetime) -> str:
    return f"{t.month}月{t.day}日 {t:%H:%M}"


def _spec_cell(deal: Deal, spec: str, priced: bool = False) -> str:
    """One spec as the post names it: its price and its own 限量 where it has them (10斤装 ¥59 限20份).
    `priced`: some spec has a price of its own, so a spec without one is named at the group price
    (`5斤装 ¥39.9 / 10斤装 ¥69.9`, never `5斤装 / 10斤装 ¥69.9`, read as both at ¥69.9)."""
    price = price_of(deal, spec)
    if price is None and priced:
        price = deal.group_price
    cell = spec if price is None else f"{spec} ¥{_fmt_money(price)}"
    stock = (deal.spec_stock or {}).get(spec)
    return cell if not stock else f"{cell} 限{stock}份"


def jielong_text(session: Session, deal_id: int) -> str:
    """The text to post in the group, generated from the deal (Chinese, ready to copy)."""
    deal = get_deal(session, deal_id)
    lines = ["#接龙", f"【{deal.product}】"]
    if deal.selling_points.strip():
        for point in deal.selling_points.strip().splitlines():
            if point.strip():
                lines.append(f"✅ {point.strip()}")
    price = f"💰 社群专享价 ¥{_fmt_money(deal.group_price)}"
    if deal.original_price:
        price += f"（原价 ¥{_fmt_money(deal.original_price)}）"
    lines.append(price)
    specs = specs_of(deal)
    if specs:
        priced = any(price_of(deal, sp) is not None for sp in specs)
        lines.append(f"规格：{' / '.join(_spec_cell(deal, sp, priced) for sp in specs)}")
    cond = f"👥 成团条件：满 {deal.threshold} {unit_label(deal.threshold_unit)}成团"
    lines.append(cond)
    lines.append(f"📦 限量 {deal.stock} 份，售完即止" if deal.stock else "📦 不限量")
    if deal.per_person_limit:
        lines.append(f"每人限购 {deal.per_person_limit} 份")
    if deal.perk_first_n:
        lines.append(f"🎁 前 {deal.perk_first_n} 名下单：{deal.perk_text}")
    if deal.delivery_text:
        lines.append(f"🚚 预计送达 / 自提：{deal.delivery_text}")
    if deal.deadline:
        lines.append(f"⏰ 截止时间：{_fmt_time(deal.deadline)}")
    example = "例 张三 1份" + (f" {specs[0]}" if specs else "") + " 3栋"
    lines += ["", example, "", "1. "]
    return "\n".join(lines)


def readiness(session: Session, deal_id: int, now: datetime | None = None) -> list[str]:
    """What stops the release, each named in Chinese; empty when ready."""
    deal = get_deal(session, deal_id)
    return readiness_of(deal, now)


def readiness_of(deal: Deal, now: datetime | None = None) -> list[str]:
    now = now or clock.now()
    problems = []
    if deal.group_price is None or deal.group_price <= 0:
        problems.append("专享价未设置或不大于 0")
    if not deal.threshold or deal.threshold < 1:
        problems.append("成团数未设置")
    if deal.stock is not None and deal.stock < 1:
        problems.append("限量须不小于 1（或留空表示不限量）")
    elif deal.stock is not None and deal.threshold_unit == ThresholdUnit.UNITS and deal.threshold and deal.stock < deal.threshold:
        problems.append(f"限量 {deal.stock} 份少于成团数 {deal.threshold} 份，永远无法成团")
    if not (deal.delivery_text or "").strip():
        problems.append("未填写预计送达 / 自提说明")
    if deal.deadline is None:
        problems.append("未设置截止时间")
    elif deal.deadline <= now:
        problems.append(f"截止时间（{_fmt_time(deal.deadline)}）已过")
    return problems


def release(session: Session, deal_id: int, operator: Actor, at: datetime | None = None) -> Deal:
    """Draft → released, exactly once: the UPDATE only matches a draft row (DB-level guard)."""
    require(operator, "deal.release")
    at = at or clock.now()
    deal = get_deal(session, deal_id)
    problems = readiness_of(deal, at)
    if deal.status == DealStatus.DRAFT and problems:
        raise InvalidState("还不能发布接龙：" + "；".join(problems) + "。")
    result = session.execute(
        update(Deal)
        .where(Deal.id == deal_id, Deal.status == DealStatus.DRAFT)
        .values(status=DealStatus.RELEASED, released_at=at, released_by=operator.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(deal)
        who = session.scalar(select(Operator.name).where(Operator.id == deal.released_by)) or "系统"
        when = f"于 {deal.released_at:%H:%M:%S} " if deal.released_at else ""
        raise InvalidState(f"该接龙已由「{who}」{when}发布，不能重复发布。")
    session.refresh(deal)
    events.record(session, "deal.released", deal.show_id, operator, at=at, deal_id=deal.id, product=deal.product)
    return deal
