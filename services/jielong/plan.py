"""Planning a chain intake: what a paste, an import or a cancellation changes, before anything
is written (services.jielong.intake writes it, in the caller's transaction).

Entries get a natural key
(`line_key`, unique per deal): the buyer name and the occurrence of that name in the chain
(`王芳#2` is 王芳's second line), or the 跟团号 of an export. Re-pasting the same or a longer
chain, or a renumbered one, therefore updates in place and never duplicates.

Allocation rule: entries are served in order (existing ones by id, new ones in chain order);
a non-cancelled entry is valid when it still fits the stock, else waitlisted (候补). A valid
entry that takes its buyer beyond the per-person limit is flagged `over_limit`, and one beyond
its spec's own 限量 (Deal.spec_stock) `over_stock`: flagged, not refused.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ChainEntry as EntryRow
from db.models import Deal
from services.jielong.lifecycle import EntryStatus, entry_flags_label, entry_status_label
from services.jielong.parser import MAX_QTY, ChainEntry, key_name
from services.jielong.specs import counts_toward_gmv, entry_money, over_spec_stock, price_of

FIELDS = ("seq", "buyer_name", "qty", "spec", "note", "address", "phone", "amount", "raw_line", "status", "over_limit",
          "missing", "unit_price", "over_stock")
TALLY_KEYS = ("entries_valid", "units_valid", "entries_waitlisted", "units_waitlisted", "buyers_valid",
              "entries_flagged", "units_flagged", "gmv_valid", "gmv_flagged")
# Sources whose entries a new paste flags as missing when it no longer has them.
PASTED_SOURCES = frozenset({"paste", "manual", "simulator"})

Incoming = list[tuple[str | None, ChainEntry]]  # (natural key or None, parsed line)


def make_key(name: str, occurrence: int) -> str:
    key = f"{name}#{occurrence}"
    if len(key) <= 64:
        return key
    return "h:" + hashlib.sha1(key.encode()).hexdigest()


@dataclass
class Work:
    """One entry as the plan handles it: an existing row (id set, `orig` its stored values) or a new line."""

    id: int | None
    key: str
    seq: int | None
    buyer_name: str
    qty: int
    spec: str
    note: str
    address: str
    phone: str
    amount: Decimal | None
    raw_line: str
    status: str
    over_limit: bool
    missing: bool
    source: str
    unit_price: Decimal | None = None
    over_stock: bool = False
    orig: tuple | None = None
    hint: str = ""  # why the parser was unsure of this line (⚠ in the preview); not stored
    rekeyed: bool = False  # a manual entry claimed by a chain line takes the line's key

    def values(self) -> tuple:
        return tuple(getattr(self, f) for f in FIELDS)

    def before(self) -> dict:
        return dict(zip(FIELDS, self.orig)) if self.orig is not None else {}


@dataclass
class PastePlan:
    """What a paste (or import) would change; nothing is written by preview_paste."""

    deal_id: int
    parsed: int = 0
    added: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    cancelled: list[dict] = field(default_factory=list)
    kept_cancelled: list[dict] = field(default_factory=list)  # lines without 取消 whose entry stays cancelled
    unchanged: int = 0
    ignored: list[str] = field(default_factory=list)
    waitlisted_new: int = 0
    over_limit_new: int = 0
    over_stock_new: int = 0
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.missing)

    def summary(self) -> str:
        parts = [f"识别 {self.parsed} 条", f"新增 {len(self.added)} 条", f"更新 {len(self.updated)} 条"]
        if self.cancelled:
            parts.append(f"取消 {len(self.cancelled)} 条")
        if self.missing:
            parts.append(f"本次缺失 {len(self.missing)} 条（仅标记，不删除）")
        if self.waitlisted_new:
            parts.append(f"新增候补 {self.waitlisted_new} 条")
        if self.over_limit_new:
            parts.append(f"超出限购 {self.over_limit_new} 条")
        if self.over_stock_new:
            parts.append(f"超出规格限量 {self.over_stock_new} 条（已标记）")
        parts.append(f"未变 {self.unchanged} 条")
        if self.kept_cancelled:
            parts.append(f"⚠ {len(self.kept_cancelled)} 条接龙里没写取消、但已取消（粘贴不会恢复，要恢复请手动录入）")
        if unsure := self.unsure():
            parts.append(f"⚠ {unsure} 条读取不确定，请看「提示」列核对")
        return "，".join(parts) + "。"

    def unsure(self) -> int:
        """Lines the parser was unsure of (a ⚠ hint in their 提示 cell)."""
        return len(self.unsure_lines(limit=None))

    def unsure_lines(self, limit: int | None = 10) -> list[str]:
        """`团员：提示` of the lines the parser was unsure of (the 提示 may add the line's flags)."""
        out = [f"{it['团员']}：{it['提示']}" for items in (self.added, self.updated, self.cancelled) for it in items
               if it.get("提示", "").startswith("⚠")]
        return out if limit is None else out[:limit]

    def rows(self, limit: int = 500) -> list[dict]:
        """Rows for a preview table (Chinese column names)."""
        out = []
        for label, items in (("新增", self.added), ("更新", self.updated), ("取消", self.cancelled), ("缺失", self.missing),
                             ("仍为取消", self.kept_cancelled)):
            for it in items:
                out.append({"变化": label, **it})
        return out[:limit]


@dataclass
class PasteResult:
    deal_id: int
    added: int = 0
    updated: int = 0
    missing: int = 0
    cancelled: int = 0
    unchanged: int = 0
    waitlisted: int = 0
    over_limit: int = 0
    ignored: int = 0
    entries_valid: int = 0
    units_valid: int = 0
    entries_waitlisted: int = 0
    buyers_valid: int = 0
    milestones: list[str] = field(default_factory=list)
    other_products: dict[str, int] = field(default_factory=dict)  # an import's rows of other products, skipped

    def summary(self) -> str:
        s = f"新增 {self.added} 条，更新 {self.updated} 条"
        if self.cancelled:
            s += f"，取消 {self.cancelled} 条"
        if self.missing:
            s += f"，缺失 {self.missing} 条（已标记）"
        if self.waitlisted:
            s += f"，候补 {self.waitlisted} 条"
        s += f"。当前有效 {self.entries_valid} 单 / {self.units_valid} 份。"
        if self.other_products:
            skipped = "、".join(f"「{n}」{k} 行" for n, k in self.other_products.items())
            s += f"订单表中其他商品的订单未导入（{skipped}），请选择对应团品后再导入。"
        return s + "".join(self.milestones)


def load(session: Session, deal_id: int, *where) -> list[Work]:
    """The deal's entries as Works, in chain order (by id); `where`: extra filters."""
    c = EntryRow
    q = (
        select(c.id, c.line_key, c.seq, c.buyer_name, c.qty, c.spec, c.note, c.address, c.phone, c.amount,
               c.raw_line, c.status, c.over_limit, c.missing, c.source, c.unit_price, c.over_stock)
        .where(c.deal_id == deal_id, *where)
        .order_by(c.id)
    )
    out = []
    for r in session.execute(q):
        w = Work(r.id, r.line_key, r.seq, r.buyer_name, r.qty, r.spec, r.note, r.address, r.phone, r.amount,
                 r.raw_line, r.status, r.over_limit, r.missing, r.source, r.unit_price, bool(r.over_stock))
        w.orig = w.values()
        out.append(w)
    return out


def describe(w: Work) -> dict:
    return {
        "序号": w.seq,
        "团员": w.buyer_name,
        "数量": w.qty,
        "规格": w.spec,
        "备注": w.note,
        "楼栋/地址": w.address,
        "状态": entry_status_label(w.status),
        "超限购": "是" if w.over_limit else "",
        # the reader's doubt, then the flags the saved entry will carry (as in 接龙明细): the
        # preview's 超出限购 N 条 names its lines where the narrow panel shows them
        "提示": "；".join(t for t in (f"⚠ {w.hint}" if w.hint else "", entry_flags_label(w.over_limit, w.over_stock, False)) if t),
        "超规格限量": "是" if w.over_stock else "",
    }


def count_entry(t: dict, v: dict, sign: int, group_price: Decimal) -> None:
    """Add (sign 1) or take away (sign −1) one entry's share of the deal tallies; `v` holds its
    status, qty, amount, unit_price and flags. Flagged valid entries count in the totals and
    apart (entries_flagged…), and their money goes to gmv_flagged, never to gmv_valid."""
    if v["status"] == EntryStatus.VALID:
        t["entries_valid"] += sign
        t["units_valid"] += sign * v["qty"]
        money = entry_money(v["amount"], v["qty"], v["unit_price"], group_price)
        if counts_toward_gmv(v["status"], v["over_limit"], v["missing"], v.get("over_stock", False)):
            t["gmv_valid"] += sign * money
        else:
            t["entries_flagged"] += sign
            t["units_flagged"] += sign * v["qty"]
            t["gmv_flagged"] += sign * money
    elif v["status"] == EntryStatus.WAITLISTED:
        t["entries_waitlisted"] += sign
        t["units_waitlisted"] += sign * v["qty"]


def _now(w: Work) -> dict:
    return dict(zip(FIELDS, w.values()))


def empty_tallies() -> dict:
    t = dict.fromkeys(TALLY_KEYS, 0)
    t["gmv_valid"] = t["gmv_flagged"] = Decimal("0.00")
    return t


def totals(works: list[Work], group_price: Decimal) -> dict:
    t = empty_tallies()
    names = set()
    for w in works:
        count_entry(t, _now(w), 1, group_price)
        if w.status == EntryStatus.VALID:
            names.add(w.buyer_name)
    t["buyers_valid"] = len(names)
    return t


def price_works(deal: Deal, works: list[Work]) -> None:
    """Each entry's unit price: its spec's price, if the deal names one."""
    if deal.spec_prices:
        for w in works:
            w.unit_price = price_of(deal, w.spec)


def allocate(deal: Deal, works: list[Work]) -> None:
    """Serve entries in order: valid while they fit the stock, else 候补; a valid entry taking
    its buyer beyond the per-person limit is flagged over_limit, not refused."""
    used = 0
    per_name: Counter[str] = Counter()
    for w in works:
        if w.status == EntryStatus.CANCELLED:
            w.over_limit = False
            continue
        if deal.stock is None or used + w.qty <= deal.stock:
            w.status = EntryStatus.VALID
            used += w.qty
            per_name[w.buyer_name] += w.qty
            w.over_limit = bool(deal.per_person_limit and per_name[w.buyer_name] > deal.per_person_limit)
        else:
            w.status = EntryStatus.WAITLISTED
            w.over_limit = False
    flag_spec_stock(deal, works)


def flag_spec_stock(deal: Deal, works: list[Work], used: dict[str, int] | None = None) -> None:
    """`works`: every entry of the deal, in chain order, or (services.jielong.spec_stock) every
    entry of some specs from some point on, `used` the units of each filling its 限量 before that
    point. A valid entry beyond its spec's 限量 (Deal.spec_stock) is flagged over_stock, the ones
    before it fill the spec's stock."""
    used = Counter(used or {})
    for w in works:
        valid = w.status == EntryStatus.VALID
        w.over_stock = valid and over_spec_stock(deal.spec_stock, used, w.spec, w.qty)
        if valid and not w.over_stock:
            used[w.spec or ""] += w.qty


# ---------------------------------------------------------------- matching incoming lines


@dataclass
class _Match:
    """What matching incoming lines against the existing entries found."""

    new: list[Work] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)
    cancel_keys: list[str] = field(default_factory=list)


def identity(name: str, address: str = "") -> str:
    """Who a line is, however the building was written: "7栋小王", "小王 7栋" and a manual entry
    typed "7栋小王" are one person (the building in front of the name)."""
    name, address = "".join(name.split()), "".join((address or "").split())
    return name if not address or address in name else address + name


def line_keys(incoming: Incoming, offsets: dict[str, int] | None = None) -> list[tuple[str | None, str, ChainEntry]]:
    """(key, name, line) per incoming line; key None for a cancel-only line, name "" for an
    unusable one. `offsets[name]`: the buyer's chain lines before this paste's first line (a
    paste of the later part of a chain), so her first line here is her (offset + 1)-th."""
    counts: Counter[str] = Counter(offsets or {})
    out = []
    for key, e in incoming:
        name = key_name(e.name)[:100]
        if name and key is None and not (e.cancelled and not e.qty_explicit):
            counts[name] += 1
            key = make_key(name, counts[name])
        out.append((key, name, e))
    return out


def match(existing: list[Work], incoming: Incoming, source: str, offsets: dict[str, int] | None = None) -> _Match:
    """Match incoming lines to existing entries by key: update those, create the others, and
    note the cancel-only lines ("13. 王芳 取消") and the lines to ignore. A line whose key is
    new takes over an unmatched manual entry of the same person (#8: typed by hand first, then
    in the chain: one order)."""
    m = _Match()
    by_key = {w.key: w for w in existing}
    keyed = line_keys(incoming, offsets)
    taken = {k for k, _, _ in keyed if k}
    manual: dict[str, list[Work]] = {}
    for w in existing:
        if w.source == "manual" and w.key not in taken and w.status != EntryStatus.CANCELLED:
            manual.setdefault(identity(w.buyer_name, w.address), []).append(w)
    last_active: dict[str, str] = {}
    said_cancel: set[str] = set()  # names with a cancel-only line: their kept cancel is what the chain says
    for key, name, e in keyed:
        if not name:
            m.ignored.append(e.shown or e.raw or "(空)")
            continue
        if key is None:
            _cancel_latest(m, existing, last_active, name, e.shown or e.raw or name)
            said_cancel.add(name)
            continue
        if key in m.seen:
            m.ignored.append(e.shown or e.raw or name)
            continue
        m.seen.add(key)
        w = by_key.get(key) or _claim_manual(manual, key, name, e)
        if w is None:
            w = _new_work(key, name, e, source)
            m.new.append(w)
        else:
            _update_work(w, name, e)
        by_key[key] = w
        if not e.cancelled:
            last_active[name] = key
    for key in m.cancel_keys:
        by_key[key].status = EntryStatus.CANCELLED
    for w in by_key.values():
        if w.hint == KEPT_CANCELLED and w.buyer_name in said_cancel:
            w.hint = ""
    return m


def _claim_manual(manual: dict[str, list[Work]], key: str, name: str, e: ChainEntry) -> Work | None:
    pool = manual.get(identity(name, e.address))
    if not pool:
        return None
    w = pool.pop(0)
    w.key, w.rekeyed = key, True
    return w


def _cancel_latest(m: _Match, existing: list[Work], last_active: dict[str, str], name: str, raw: str) -> None:
    """A cancel line cancels the buyer's latest line, not a line of its own."""
    target = last_active.get(name)
    if target is None:
        live = [w for w in existing if w.buyer_name == name and w.status != EntryStatus.CANCELLED]
        target = live[-1].key if live else None
    if target is None:
        m.ignored.append(raw)
    else:
        m.cancel_keys.append(target)
        last_active.pop(name, None)


def _qty(e: ChainEntry) -> int:
    return e.qty if 1 <= e.qty <= MAX_QTY else 1


def _new_work(key: str, name: str, e: ChainEntry, source: str) -> Work:
    status = EntryStatus.CANCELLED if e.cancelled else EntryStatus.VALID
    return Work(None, key, e.seq, name, _qty(e), e.spec[:100], e.note[:500], e.address[:200], e.phone[:32],
                e.amount, e.raw[:1000], status, False, False, source, hint=e.hint)


def _update_work(w: Work, name: str, e: ChainEntry) -> None:
    w.seq, w.buyer_name, w.qty, w.spec, w.note = e.seq, name, _qty(e), e.spec[:100], e.note[:500]
    w.hint = e.hint
    if e.address:
        w.address = e.address[:200]
    if e.phone:
        w.phone = e.phone[:32]
    if e.amount is not None:
        w.amount = e.amount
    if e.raw:
        w.raw_line = e.raw[:1000]
    w.missing = False
    if e.cancelled:  # a paste may cancel; it never revives a cancelled entry
        w.status = EntryStatus.CANCELLED
    elif w.status == EntryStatus.CANCELLED:  # ... but says so: a hand count of the chain counts it
        w.hint = KEPT_CANCELLED


def flag_missing(
    existing: list[Work], seen: set[str], sources: frozenset[str] | set[str] | None, from_seq: int | None = None
) -> None:
    """Entries from `sources` that the new chain no longer has are flagged, never deleted.
    `from_seq`: the paste's first line number; only entries numbered from there on can be
    missing from it (a paste of the later part of a chain says nothing about the lines before).
    A cancelled entry is flagged too (not reported: it is out of the order already), so that
    `missing` tells every entry whose seq is stale (window._offsets relies on it)."""
    if sources is None:
        return
    for w in existing:
        if from_seq is not None and (w.seq is None or w.seq < from_seq):
            continue
        if w.key not in seen and w.source in sources and not w.missing:
            w.missing = True


# ---------------------------------------------------------------- the plan


@dataclass
class Tallies:
    """What the deal's tally columns and DealBuyer rows say before a plan that loaded only the
    entries it touches: enough to allocate new lines after all the others and to total up."""

    before: dict
    buyers: dict[str, tuple[int, int]]  # name → (valid entries, valid units), for the names concerned


@dataclass
class Scope:
    """Which part of the chain a paste speaks about. `tallies` None: `existing` is every entry.
    `judge_specs(existing, new)`: on a deal with spec stock, flags the entries of the specs the
    plan touched and returns `existing` with the entries it loaded for that (spec_stock.judge_paste)."""

    offsets: dict[str, int] = field(default_factory=dict)
    from_seq: int | None = None
    tallies: Tallies | None = None
    judge_specs: Callable[[list[Work], list[Work]], list[Work]] | None = None


def needs_full(existing: list[Work]) -> bool:
    """True when a plan changed what the order of service depends on (a quantity, a cancel, a
    buyer): then every entry is re-served, not only the new lines."""
    for w in existing:
        old = w.before()
        if old and (w.status != old["status"] or w.qty != old["qty"] or w.buyer_name != old["buyer_name"]):
            return True
    return False


def allocate_new(deal: Deal, new: list[Work], t: Tallies) -> None:
    """The new lines come after every existing entry, and no waitlisted entry fits what is left
    (allocation is first-fit in order), so serving the new lines against the tallies alone
    gives what serving the whole chain again would."""
    left = None if deal.stock is None else deal.stock - t.before["units_valid"]
    per_name = {n: u for n, (_, u) in t.buyers.items()}
    for w in new:
        if w.status == EntryStatus.CANCELLED:
            continue
        if left is None or w.qty <= left:
            w.status = EntryStatus.VALID
            left = None if left is None else left - w.qty
            per_name[w.buyer_name] = per_name.get(w.buyer_name, 0) + w.qty
            w.over_limit = bool(deal.per_person_limit and per_name[w.buyer_name] > deal.per_person_limit)
        else:
            w.status = EntryStatus.WAITLISTED


def totals_after(t: Tallies, works: list[Work], group_price: Decimal) -> dict:
    """The tallies after a plan that changed (or added) `works` only."""
    after = dict(t.before)
    entries = {n: e for n, (e, _) in t.buyers.items()}
    for w in works:
        for vals, sign in ((w.before(), -1), (_now(w), 1)):
            if not vals:
                continue
            count_entry(after, vals, sign, group_price)
            if vals["status"] == EntryStatus.VALID:
                name = vals["buyer_name"]
                was = entries.get(name, 0)
                entries[name] = was + sign
                after["buyers_valid"] += (was == 0 and sign > 0) - (was == 1 and sign < 0)
    return after


def plan(
    deal: Deal,
    existing: list[Work],
    incoming: Incoming,
    source: str,
    missing_sources: frozenset[str] | set[str] | None,
    describe_new: bool = True,
    scope: Scope | None = None,
) -> tuple[PastePlan, list[Work], list[Work]]:
    """Match, flag missing, allocate stock in order, then describe the changes.
    Returns (the plan, new entries, changed existing entries).

    `describe_new=False` (when applying) skips the preview rows of added lines. With
    `scope.tallies`, `existing` holds only the entries the paste touches (see needs_full)."""
    scope = scope or Scope()
    result = PastePlan(deal_id=deal.id, parsed=len(incoming))
    full = scope.tallies is None
    result.before = totals(existing, deal.group_price) if full else dict(scope.tallies.before)
    m = match(existing, incoming, source, scope.offsets)
    result.ignored = m.ignored
    flag_missing(existing, m.seen, missing_sources, scope.from_seq)
    works = existing + m.new
    price_works(deal, works)
    if full:
        allocate(deal, works)
        result.after = totals(works, deal.group_price)
    else:
        allocate_new(deal, m.new, scope.tallies)
        if scope.judge_specs is not None:
            existing = scope.judge_specs(existing, m.new)
        result.after = totals_after(scope.tallies, existing + m.new, deal.group_price)
    _describe_new(result, m.new, describe_new)
    changed = _describe_changed(result, existing, m.seen)
    return result, m.new, changed


def _describe_new(result: PastePlan, new: list[Work], rows: bool) -> None:
    for w in new:
        d = describe(w) if rows else {}
        (result.cancelled if w.status == EntryStatus.CANCELLED else result.added).append(d)
        result.waitlisted_new += w.status == EntryStatus.WAITLISTED
        result.over_limit_new += w.over_limit
        result.over_stock_new += w.over_stock


KEPT_CANCELLED = "接龙里这行没写取消，但这条已取消：粘贴不会恢复，要恢复请在「手动录入」重新添加"
_DIFF_FIELDS = (("qty", "数量"), ("seq", "序号"), ("spec", "规格"), ("note", "备注"), ("status", "状态"))


def _describe_changed(result: PastePlan, existing: list[Work], seen: set[str]) -> list[Work]:
    """The changed entries, described; `result.unchanged` counts the lines of the paste that
    changed nothing."""
    changed = []
    for w in existing:
        kept = w.key in seen and w.hint == KEPT_CANCELLED
        if w.values() == w.orig and not w.rekeyed:
            result.unchanged += w.key in seen and not kept
            if kept:
                result.kept_cancelled.append(describe(w))
            continue
        changed.append(w)
        old, d = w.before(), describe(w)
        if kept:
            result.kept_cancelled.append(d)
        elif w.missing and not old["missing"]:
            if w.status != EntryStatus.CANCELLED:
                result.missing.append(d)
        elif w.status == EntryStatus.CANCELLED and old["status"] != EntryStatus.CANCELLED:
            result.cancelled.append(d)
        else:
            d["变化说明"] = "，".join(_diffs(old, w)) or "内容更新"
            result.updated.append(d)
            result.waitlisted_new += w.status == EntryStatus.WAITLISTED and old["status"] != EntryStatus.WAITLISTED
            result.over_limit_new += w.over_limit and not old["over_limit"]
            result.over_stock_new += w.over_stock and not old["over_stock"]
    return changed


def _diffs(old: dict, w: Work) -> list[str]:
    out = []
    for f, label in _DIFF_FIELDS:
        a, b = old[f], getattr(w, f)
        if a != b:
            if f == "status":
                a, b = entry_status_label(a), entry_status_label(b)
            out.append(f"{label} {a}→{b}")
    return out
