"""Reading promises: each with its progress (done / total of active items, overdue), the
items of one promise in chain order, and the show's figures (kept rate, overdue count)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import case, false, func, or_, select, true
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Promise
from services import clock, jielong
from services.errors import MAX_COUNT, InvalidInput, NotFound
from services.sql import is_postgresql
from services.text import clean
from services.promises.labels import SCOPE_LABELS, STATUSES, UNSETTLED, PromiseStatus, Scope, status_label
from services.promises.rules import KIND_LABELS


@dataclass(frozen=True)
class PromiseRow:
    """A promise with its progress, as the pages, the console and the review read it."""

    id: int
    show_id: int
    deal_id: int | None
    deal_product: str | None
    text: str
    kind: str
    scope: str
    first_n: int | None
    due_hint: str
    said_at: datetime
    due_at: datetime | None
    status: str
    confirmed: bool
    total: int  # active items (claims: logged claims)
    done: int  # active items ticked
    overdue: int  # active items not done and past due
    min_qty: int | None = None  # scope min_qty: the least a buyer takes

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.FIRST_N and self.first_n:
            return f"前 {self.first_n} 名"
        if self.scope == Scope.MIN_QTY and self.min_qty:
            return f"满 {self.min_qty} 份的跟团人"
        return SCOPE_LABELS.get(self.scope, self.scope)

    @property
    def progress_text(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def suggest_kept(self) -> bool:
        """All items done (and there is at least one): the operator may mark it kept."""
        return self.status == PromiseStatus.OPEN and self.confirmed and self.total > 0 and self.done == self.total


@dataclass(frozen=True)
class ItemRow:
    id: int
    kind: str  # item / claim
    chain_entry_id: int | None
    seq: int | None
    buyer: str
    qty: int | None
    spec: str
    entry_status: str | None
    label: str
    active: bool
    done: bool
    done_at: datetime | None
    note: str
    due_at: datetime | None
    overdue: bool
    address: str = ""  # the entry's address and note: where to hand the gift over (楼栋 / 取货点)
    entry_note: str = ""

    @property
    def entry_status_label(self) -> str:
        return jielong.entry_status_label(self.entry_status or "")


def _progress_columns(now: datetime) -> tuple:
    """total / done / overdue of the promise's active items: three counts per promise, each a range
    of the index (promise_id, active, done, due_at), so no item row is read (`= true`, not `IS
    true`: PostgreSQL matches an index only on =)."""

    def count(*conds):
        return (
            select(func.count()).select_from(FulfilmentItem)
            .where(FulfilmentItem.promise_id == Promise.id, FulfilmentItem.active == true(), *conds)
            .correlate(Promise).scalar_subquery()
        )

    return (
        count(),
        count(FulfilmentItem.done == true()),
        count(FulfilmentItem.done == false(), FulfilmentItem.due_at < now),
    )


def list_promises(
    session: Session,
    show_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    *,
    now: datetime | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[PromiseRow]:
    """Promises with progress (done / total of active items), filtered by show, kind, status.
    Items are aggregated only for the promises returned (index on promise_id)."""
    now = now or clock.now()
    order = (Promise.said_at.desc(), Promise.id.desc()) if newest_first else (Promise.said_at, Promise.id)
    ids = select(Promise.id)
    if show_id is not None:
        ids = ids.where(Promise.show_id == show_id)
    if kind:
        ids = ids.where(Promise.kind == kind)
    if status:
        ids = ids.where(Promise.status == status)
    if limit:
        ids = ids.order_by(*order).limit(limit)
    ids = ids.subquery()
    q = (
        select(Promise, Deal.product, *_progress_columns(now))
        .join(ids, ids.c.id == Promise.id)
        .outerjoin(Deal, Deal.id == Promise.deal_id)
        .order_by(*order)
    )
    return [_row(p, product, t, d, o) for p, product, t, d, o in session.execute(q)]


def _row(p: Promise, product: str | None, total, done, overdue) -> PromiseRow:
    return PromiseRow(
        id=p.id, show_id=p.show_id, deal_id=p.deal_id, deal_product=product, text=p.text, kind=p.kind,
        scope=p.scope, first_n=p.first_n, min_qty=p.min_qty, due_hint=p.due_hint or "", said_at=p.said_at, due_at=p.due_at,
        status=p.status, confirmed=p.confirmed, total=int(total or 0), done=int(done or 0),
        overdue=int(overdue or 0),
    )


def promise_row(session: Session, promise_id: int, *, now: datetime | None = None) -> PromiseRow:
    now = now or clock.now()
    r = session.execute(
        select(Promise, Deal.product, *_progress_columns(now))
        .outerjoin(Deal, Deal.id == Promise.deal_id)
        .where(Promise.id == promise_id)
    ).first()
    if r is None:
        raise NotFound(f"找不到编号为 {promise_id} 的承诺，可能已被删除。")
    return _row(*r)


class ItemState(StrEnum):
    """The 情况 filter of a promise's items."""

    TODO = "todo"  # not done (overdue or not)
    OVERDUE = "overdue"
    DONE = "done"


ITEM_STATE_LABELS: dict[str, str] = {ItemState.TODO: "未完成", ItemState.OVERDUE: "逾期", ItemState.DONE: "已完成"}


@dataclass(frozen=True)
class ItemQuery:
    """Which items of a promise a page shows: state, 楼栋/地址 text, chain number range, one page."""

    state: str | None = None
    place: str = ""  # matched against the entry's address and note (5栋, 东门自提, …)
    seq_from: int | None = None
    seq_to: int | None = None
    active: bool = True
    offset: int = 0
    limit: int | None = None
    # Pages read items in the order their entries were recorded (the index on (promise, entry)
    # gives it without sorting: a page of a 100k-item promise reads one page); whole lists
    # are sorted in chain order (deal, 接龙序号).
    by_entry: bool = False
    count: bool = True  # False: the caller knows the total (no filter), skip the count

    @property
    def filtered(self) -> bool:
        return bool(self.state or (self.place or "").strip() or self.seq_from is not None or self.seq_to is not None)


def _place_match(col, place: str, pg: bool):
    """col contains place; a place starting with a digit must not follow another digit
    (7栋 matches 幸福里7栋 and 7栋101, not 17栋)."""
    if not place[0].isdigit():
        return col.like(f"%{place.replace('%', '').replace('_', '')}%")
    if pg:
        return col.op("~")("(^|[^0-9])" + re.escape(place))
    glob = re.sub(r"([*?\[\]])", r"[\1]", place)
    return or_(col.op("GLOB")(glob + "*"), col.op("GLOB")("*[^0-9]" + glob + "*"))


def _item_filters(q: ItemQuery, now: datetime, pg: bool) -> list:
    conds = [FulfilmentItem.active.is_(q.active)]
    if q.state == ItemState.DONE:
        conds.append(FulfilmentItem.done.is_(True))
    elif q.state in (ItemState.TODO, ItemState.OVERDUE):
        conds.append(FulfilmentItem.done.is_(False))
        if q.state == ItemState.OVERDUE:
            conds.append(FulfilmentItem.due_at < now)
    place = clean(q.place)
    if place:
        conds.append(or_(_place_match(ChainEntry.address, place, pg), _place_match(ChainEntry.note, place, pg)))
    # a number past MAX_COUNT is no 接龙序号 (and no INTEGER on PostgreSQL): the bound stands for it
    if q.seq_from is not None:
        conds.append(ChainEntry.seq >= min(q.seq_from, MAX_COUNT + 1))
    if q.seq_to is not None:
        conds.append(ChainEntry.seq <= min(q.seq_to, MAX_COUNT))
    return conds


def items_page(
    session: Session, promise_id: int, query: ItemQuery | None = None, *, now: datetime | None = None
) -> tuple[list[ItemRow], int]:
    """One page of a promise's items, filtered and ordered in SQL, and how many match in all
    (-1 when the query said not to count)."""
    now, query = now or clock.now(), query or ItemQuery()
    base = (
        select(FulfilmentItem, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec,
               ChainEntry.status, ChainEntry.address, ChainEntry.note)
        .outerjoin(ChainEntry, ChainEntry.id == FulfilmentItem.chain_entry_id)
        .where(FulfilmentItem.promise_id == promise_id, *_item_filters(query, now, is_postgresql(session)))
    )
    total = -1
    if query.count:
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    if query.by_entry:
        order = (FulfilmentItem.chain_entry_id, FulfilmentItem.id)
    else:
        order = (FulfilmentItem.kind, ChainEntry.deal_id, ChainEntry.seq.is_(None), ChainEntry.seq, FulfilmentItem.id)
    q = base.order_by(*order).offset(query.offset)
    if query.limit is not None:
        q = q.limit(query.limit)
    return [_item_row(r, now) for r in session.execute(q)], int(total)


def _item_row(r, now: datetime) -> ItemRow:
    it, seq, name, qty, spec, estatus, address, note = r
    return ItemRow(
        id=it.id, kind=it.kind, chain_entry_id=it.chain_entry_id, seq=seq,
        buyer=name if name is not None else it.label, qty=qty, spec=spec or "", entry_status=estatus,
        label=it.label, active=it.active, done=it.done, done_at=it.done_at, note=it.note or "",
        due_at=it.due_at, overdue=bool(it.active and not it.done and it.due_at is not None and it.due_at < now),
        address=address or "", entry_note=note or "",
    )


def items(
    session: Session, promise_id: int, *, include_inactive: bool = False, now: datetime | None = None
) -> list[ItemRow]:
    """Every item of a promise in chain order (claims in the order they were logged); pages
    read `items_page` instead."""
    rows, _ = items_page(session, promise_id, ItemQuery(), now=now)
    if include_inactive:
        rows += items_page(session, promise_id, ItemQuery(active=False), now=now)[0]
    return rows


def recent(session: Session, show_id: int, n: int = 3) -> list[PromiseRow]:
    """The n promises said most recently in the show, newest first (console, host, review)."""
    return list_promises(session, show_id, limit=n, newest_first=True)


def kept_rate(session: Session, show_id: int, now: datetime | None = None) -> float | None:
    """Promise kept rate of a show = promises with status kept ÷ promises not waived.

    Every logged promise counts (confirmed or not, open or broken), except waived ones,
    which the team decided do not bind it. None when the show has no promise left to count,
    and None while nothing is decided yet (none kept or broken, none overdue): right after the
    show every promise is still in progress, and 0.0% would read as all of them broken."""
    kept, broken, counted = session.execute(
        select(
            func.sum(case((Promise.status == PromiseStatus.KEPT, 1), else_=0)),
            func.sum(case((Promise.status == PromiseStatus.BROKEN, 1), else_=0)),
            func.count(),
        ).where(Promise.show_id == show_id, Promise.status != PromiseStatus.WAIVED)
    ).one()
    if not counted:
        return None
    if not kept and not broken and not _any_open_overdue(session, show_id, now or clock.now()):
        return None
    return (kept or 0) / counted


def _any_open_overdue(session: Session, show_id: int, now: datetime) -> bool:
    """Whether an open promise of the show is past its due time, or owes an item past its due."""
    late_item = (
        select(FulfilmentItem.id)
        .where(FulfilmentItem.promise_id == Promise.id, FulfilmentItem.active == true(),
               FulfilmentItem.done == false(), FulfilmentItem.due_at < now)
        .exists()
    )
    hit = session.scalar(
        select(Promise.id)
        .where(Promise.show_id == show_id, Promise.status == PromiseStatus.OPEN,
               (Promise.due_at < now) | late_item)
        .limit(1)
    )
    return hit is not None


def overdue_count(session: Session, show_id: int, now: datetime | None = None) -> int:
    """Fulfilment items (and claims) of the show that are active, not done and past their due
    time, counting promises still open or broken (kept and waived ones are settled)."""
    now = now or clock.now()
    return int(
        session.scalar(
            select(func.count())
            .select_from(FulfilmentItem)
            .join(Promise, Promise.id == FulfilmentItem.promise_id)
            .where(
                Promise.show_id == show_id,
                Promise.status.in_(UNSETTLED),
                FulfilmentItem.active == true(),  # = true: a range of (promise_id, active, done, due_at)
                FulfilmentItem.done == false(),
                FulfilmentItem.due_at < now,
            )
        )
        or 0
    )


def counts(session: Session, show_id: int) -> dict[str, int]:
    """Promises per status in the show, plus 'total' and 'unconfirmed'."""
    rows = session.execute(
        select(Promise.status, func.count()).where(Promise.show_id == show_id).group_by(Promise.status)
    ).all()
    out = {s: 0 for s in STATUSES}
    out.update({s: int(n) for s, n in rows})
    out["total"] = sum(out[s] for s in STATUSES)
    out["unconfirmed"] = int(
        session.scalar(select(func.count()).where(Promise.show_id == show_id, Promise.confirmed.is_(False))) or 0
    )
    return out


def parse_range(text: str) -> tuple[int, int]:
    """'1-50' / '1–50' / '1~50' / '1 到 50' / '7' → (first, last)."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:(?:-|–|—|~|～|至|到)\s*(\d+))?\s*", text or "")
    if not m and len(re.findall(r"\d+", text or "")) >= 2:
        # night 18: 「1-10, 12」 was answered 请输入…, as if nothing had been typed
        raise InvalidInput("一次只能填一个序号或一段连续范围，例如 1-50 或 7；几段请分次勾选。", field="序号范围")
    if not m:
        raise InvalidInput("请输入接龙序号范围，例如 1-50。", field="序号范围")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    check_range(first, last)
    return first, last


def check_range(first: int, last: int) -> None:
    """A 接龙序号 range: 1 ≤ first ≤ last ≤ MAX_COUNT (a bigger number is no 接龙序号 and does not
    fit PostgreSQL's INTEGER column)."""
    if first < 1 or last < first:
        raise InvalidInput("接龙序号范围无效：起始须 ≥ 1 且不大于结束。", field="序号范围")
    if last > MAX_COUNT:
        raise InvalidInput(f"接龙序号范围无效：序号不能超过 {MAX_COUNT}。", field="序号范围")
