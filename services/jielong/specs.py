"""Per-spec prices (issue 13 #9): a deal whose specs cost differently (5斤装 ¥39.9, 10斤装 ¥69.9)
names a price per spec; an entry takes its spec's price, else the group price. The money of an
entry is its imported amount when an export gave one, else qty × that price (the one rule,
in Python `entry_money` and in SQL `entry_amount`, for the review, the exports and the members).
Which entries count toward the 成交额 (GMV) is one rule too: valid and not flagged (超出限购,
最新接龙中缺失, 超出规格限量), of a deal that did not fail — `counts_toward_gmv` in Python (the deal
tallies), `gmv_counts` / `gmv_amount` in SQL (members' spend, LTV and the board). A deal that failed
its 成团 threshold (未成团, 将原路退款) is refunded: none of its entries is a sale, whatever their flags.
The deal tallies (Deal.gmv_valid) are kept per entry while the chain is written and the deal's
outcome can come later (or change), so the deal's part is applied where they are read:
`deal_counts_toward_gmv` in Python, `deal_gmv_counts` / `deal_gmv` in SQL; for a name in a show
(show_buyer: the buyers, badges and returning counts), `buyer_gmv_counts`, and a show's 下单人数,
`show_buyers` (both read the tallies services.jielong.buyers keeps as the deal's outcome changes);
the console's line on a deal's 待核实 orders, `flagged_text`."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func

from db.models import ChainEntry, Deal
from services.jielong.buyers import bought, show_buyers
from services.jielong.lifecycle import DealStatus, EntryStatus, deal_counts_toward_gmv
from services.errors import MAX_COUNT

MAX_PRICE = Decimal("100000000")
_SPLIT = re.compile(r"[;；\n,，、]+")
_PAIR = re.compile(r"^(.+?)\s*[=＝:：]\s*[¥￥]?\s*([0-9.]+)\s*[元份]?$")


def parse_spec_prices(value: Any, specs: list[str], errors: dict[str, str]) -> dict[str, str]:
    """{spec: "69.90"} from a dict or a text like "10斤装=69.9；5斤装=39.9"; errors named in
    Chinese under 规格价格. Every spec named must be one of the deal's specs."""
    return _per_spec(value, specs, errors, "规格价格", "10斤装=69.9", _price)


def parse_spec_stock(value: Any, specs: list[str], errors: dict[str, str]) -> dict[str, int]:
    """{spec: 20} from a dict or a text like "10斤装=20；5斤装=50" (限量 per spec, where the
    seller has it); errors named in Chinese under 规格限量."""
    return _per_spec(value, specs, errors, "规格限量", "10斤装=20", _stock)


def _per_spec(value: Any, specs: list[str], errors: dict[str, str], label: str, example: str,
              read: Callable[[str, str], tuple[Any, str]]) -> dict[str, Any]:
    """One value per spec, each spec one of the deal's; `read` gives (value, "") or (None, why)."""
    if not value:
        return {}
    pairs = value.items() if isinstance(value, dict) else _pairs(str(value), errors, label, example)
    out: dict[str, Any] = {}
    for spec, raw in pairs:
        spec = str(spec).strip()
        if spec not in specs:
            errors[label] = f"「{spec}」不在规格选项里（{'、'.join(specs) or '还没有规格'}）"
            continue
        got, why = read(spec, str(raw).strip())
        if got is None:
            errors[label] = why
            continue
        out[spec] = got
    return out


def _price(spec: str, text: str) -> tuple[str | None, str]:
    try:
        d = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        d = Decimal(0)
    if not d.is_finite() or d <= 0 or d >= MAX_PRICE:
        return None, f"「{spec}」的价格须为大于 0 的金额"
    return str(d), ""


def _stock(spec: str, text: str) -> tuple[int | None, str]:
    text = text.removesuffix("份").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        return None, f"「{spec}」的限量须为不小于 1 的整数"
    return int(text), ""


def spec_stock_text(stock: dict[str, int] | None) -> str:
    """The form's text for stored spec stock: "10斤装=20；5斤装=50"."""
    return "；".join(f"{k}={v}" for k, v in (stock or {}).items())


def over_spec_stock(stock: dict[str, int] | None, used: dict[str, int], spec: str, qty: int) -> bool:
    """True when `qty` more of `spec` goes beyond its 限量, `used` units of it being valid already
    (the one rule of spec stock: a spec without a stock of its own is never over)."""
    limit = (stock or {}).get(spec or "")
    return limit is not None and used.get(spec or "", 0) + qty > limit


def _pairs(text: str, errors: dict[str, str], label: str = "规格价格", example: str = "10斤装=69.9") -> list[tuple[str, str]]:
    pairs = []
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        m = _PAIR.match(part)
        if m is None:
            errors[label] = f"「{part}」看不懂，请写成「规格={label[2:]}」，如 {example}"
            continue
        pairs.append((m.group(1), m.group(2)))
    return pairs


def spec_prices_text(prices: dict[str, str] | None) -> str:
    """The form's text for stored prices: "10斤装=69.9；5斤装=39.9"."""
    return "；".join(f"{k}={_fmt(Decimal(v))}" for k, v in (prices or {}).items())


def price_of(deal, spec: str) -> Decimal | None:
    """The spec's own price, or None (the group price applies)."""
    price = (deal.spec_prices or {}).get(spec or "")
    return None if price is None else Decimal(price)


def entry_money(amount: Decimal | None, qty: int, unit_price: Decimal | None, group_price: Decimal) -> Decimal:
    return amount if amount is not None else qty * (unit_price if unit_price is not None else group_price)


def _fmt(d: Decimal) -> str:
    return f"{d:.2f}".rstrip("0").rstrip(".")


def entry_amount() -> ColumnElement:
    """The money one valid entry brings, in SQL (ChainEntry joined to its Deal): the imported
    amount, else qty × its spec's price (else the group price); `entry_money` in Python."""
    return func.coalesce(ChainEntry.amount, ChainEntry.qty * func.coalesce(ChainEntry.unit_price, Deal.group_price))


def counts_toward_gmv(status: str, over_limit: bool, missing: bool, over_stock: bool,
                      deal_status: str | None = None) -> bool:
    """An entry counts toward the 成交额 when valid and not flagged, and its deal did not fail;
    flagged money is shown apart, a failed deal's money as refunded. `deal_status` None: the entry
    alone (the deal tallies, kept while the chain is written; their reader applies the deal's part)."""
    return (deal_counts_toward_gmv(deal_status) and status == EntryStatus.VALID
            and not (over_limit or missing or over_stock))


def flagged_text(deal: Deal) -> str:
    """The console's line on a deal's 待核实 orders (flagged: counted in 已接龙, their money kept out
    of the 成交额), or "" without any. A failed deal has no 成交额: its money is refunded."""
    if not deal.entries_flagged:
        return ""
    head = f"其中 {deal.entries_flagged} 单 / {deal.units_flagged} 份待核实（超出限购、超出规格限量或最新接龙中缺失）"
    if deal_counts_toward_gmv(deal.status):
        money = f"，¥{deal.gmv_flagged:,.2f} 未计入成交额（成交额 ¥{deal.gmv_valid:,.2f}）。"
    else:
        money = (f"。未成团，¥{deal.gmv_valid:,.2f} 将原路退款，不计入成交额；"
                 f"待核实的 ¥{deal.gmv_flagged:,.2f} 也不计入。")
    return head + money + "请在接龙明细的「提示」列查看。"


def deal_gmv_counts() -> ColumnElement:
    """`deal_counts_toward_gmv` in SQL, on Deal."""
    return Deal.status != DealStatus.FAILED


def deal_gmv() -> ColumnElement:
    """What a deal's tally adds to the 成交额: Deal.gmv_valid unless the deal failed, else 0 (to sum)."""
    return case((deal_gmv_counts(), Deal.gmv_valid), else_=0)


def buyer_gmv_counts(sb) -> ColumnElement:
    """`deal_gmv_counts` for a name in a show: the show_buyer row `sb` (ShowBuyer or an alias of it)
    has a valid order in a deal of its show that did not fail. A name whose only orders were in
    failed deals (未成团, refunded) bought nothing (show_buyer.kept_entries, see services.jielong.buyers)."""
    return bought(sb)


def gmv_counts() -> ColumnElement:
    """`counts_toward_gmv` in SQL, on ChainEntry joined to its Deal."""
    return and_(ChainEntry.status == EntryStatus.VALID, ChainEntry.over_limit.is_not(True), ChainEntry.missing.is_not(True),
                ChainEntry.over_stock.is_not(True), deal_gmv_counts())


def gmv_amount() -> ColumnElement:
    """The money an entry adds to the 成交额: `entry_amount` when it counts, else 0 (to sum in SQL)."""
    return case((gmv_counts(), entry_amount()), else_=0)
