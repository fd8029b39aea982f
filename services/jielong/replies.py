"""Reply templates filled from the deal being sold (issue 13 #17): the price, the delivery text,
where to 接龙. A category with nothing deal-specific keeps services.triage's generic template."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Deal
from services import triage
from services.jielong.deals import _fmt_money, specs_of
from services.jielong.deal_match import mentioned, name_parts
from services.jielong.lifecycle import DealStatus
from services.jielong.spec_lines import spec_in
from services.jielong.specs import price_of
from services.shows import deal_in_focus


def _price(deal: Deal) -> str:
    parts = [f"¥{_fmt_money(deal.group_price)}"]
    priced = [f"{s} ¥{_fmt_money(price_of(deal, s))}" for s in specs_of(deal) if price_of(deal, s) is not None]
    if priced:
        parts = [f"¥{_fmt_money(deal.group_price)} 起（{'，'.join(priced)}）"]
    if deal.original_price:
        parts.append(f"原价 ¥{_fmt_money(deal.original_price)}")
    # 福利内容 is free text (送1斤砂糖橘, 8折): said as the 接龙文案 says it, never with a 送 of our own.
    perk = f"，前 {deal.perk_first_n} 名下单：{deal.perk_text}" if deal.perk_first_n and deal.perk_text else ""
    return f"「{deal.product}」今晚团购价 {'，'.join(parts)}{perk}。"


def reply_templates(session: Session, show_id: int) -> dict[str, str]:
    """category → the reply to paste in the group (filled from the current deal where it helps)."""
    return reply_templates_for(session, show_id, [""])[0]


def reply_templates_for(session: Session, show_id: int, questions: list[str]) -> list[dict[str, str]]:
    """Per question, category → reply: filled from the deal the question names (its product or a
    part of it, as a host's promise names one, else a spec only one deal has), else from the
    current deal (night 8: `10斤装多少钱` was answered with the price of another deal)."""
    deals = list(session.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)))
    current = deal_in_focus(session, show_id)
    parts = name_parts([(d.id, d.product) for d in deals])  # once per call, not once per question
    return [_templates(_deal_named(deals, parts, text) or current) for text in questions]


def _deal_named(deals: list[Deal], parts, text: str) -> Deal | None:
    """The deal a question names: by product (deal_match's `parts`, as a host's promise does), else
    by a spec of exactly one deal (10斤装, also written 10斤)."""
    by_id = {d.id: d for d in deals}
    named = mentioned(text, parts).deal_id
    if named is not None:
        return by_id[named]
    with_spec = [d for d in deals if any(spec_in(s, text) for s in specs_of(d))]
    return with_spec[0] if len(with_spec) == 1 else None


def _templates(deal: Deal | None) -> dict[str, str]:
    out = dict(triage.REPLY_TEMPLATES)
    if deal is None:
        return out
    out["price"] = _price(deal)
    if deal.delivery_text:
        out["delivery"] = f"「{deal.product}」{deal.delivery_text}，到货后群里通知。"
    if deal.status == DealStatus.DRAFT:
        out["order"] = f"「{deal.product}」的接龙马上发到群里，发出后复制接龙、在最后一行加上 序号+昵称+份数 即可。"
    else:
        when = f"（{deal.released_at:%H:%M} 发布）" if deal.released_at else ""
        out["order"] = f"「{deal.product}」的接龙已发在群里{when}，复制接龙、在最后一行加上 序号+昵称+份数 即可下单。"
    return out
