"""Promises (承诺) said on air and the fulfilment items (履约项) that keep them.

Flow:
- `log_promise` stores the words as said, the time, a guessed kind and the deal being shown
  (quick log on the console); `detect` finds promises in a pasted transcript, and the
  operator logs the drafts they confirm.
- `confirm` fixes scope, first N and due time, then `expand`s the promise into items:
    deal     one item per valid entry of the promise's deal;
    first_n  one item per entry among the first N valid entries in chain order (seq, then id)
             of the deal (of the whole show when the promise has no deal);
    show     one item per valid entry of tonight's deals;
    claims   no items up front: each refund / payout request is logged with `add_claim`
             and resolved by ticking it (the note says how).
- When expansion reruns: on `confirm`, on `update_promise` when the deal changes, and through
  `sync_show` (every confirmed open promise of a show). The 承诺履约 page calls `sync_show`
  when the show's version changed since its last sync (chain entries bump it) and on its
  「同步名单」 button. `expand` is idempotent: entries that became cancelled / waitlisted lose
  their item's `active` flag (done history kept), entries that became valid again (moved up
  from the waitlist) get it back, new entries get a new item; the unique
  (promise_id, chain_entry_id) constraint forbids doubles even with concurrent syncs.
- Entries of a deal that failed (未成团) are out of scope: nothing is delivered for them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Promise, Show
from services import clock, events
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState, NotFound, check_paste_size
from services.promise_rules import (  # noqa: F401  (re-exported: the contract lives here)
    KIND_LABELS,
    KINDS,
    PromiseDraft,
    classify_line,
    cn_number,
    detect,
    due_at_from_hint,
    due_hint_of,
    first_n_of,
    guess_kind,
)

SCOPES = ("deal", "first_n", "show", "claims")
SCOPE_LABELS = {"deal": "本团品全部跟团", "first_n": "前 N 名", "show": "本场全部跟团", "claims": "按申请登记"}
STATUSES = ("open", "kept", "broken", "waived")
STATUS_LABELS = {"open": "待履约", "kept": "已兑现", "broken": "未兑现", "waived": "已豁免"}
CLAIM_KINDS = ("refund", "compensation")  # kinds whose promise is kept claim by claim
CLAIM_RESOLVE_HOURS = 24  # a refund / payout request is due this long after it was logged
MAX_TEXT = 1000
_SHOW_WIDE = re.compile(r"全场|所有订单|全部订单|今晚(?:的|所有)?(?:订单|下单)|每一单|每单|所有.{0,4}(?:团品|商品|产品)")
_UNSET = object()


# ---------------------------------------------------------------- result rows


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

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def scope_label(self) -> str:
        if self.scope == "first_n" and self.first_n:
            return f"前 {self.first_n} 名"
        return SCOPE_LABELS.get(self.scope, self.scope)

    @property
    def progress_text(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def suggest_kept(self) -> bool:
        """All items done (and there is at least one): the operator may mark it kept."""
        return self.status == "open" and self.confirmed and self.total > 0 and self.done == self.total


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


@dataclass(frozen=True)
class ExpandResult:
    added: int = 0
    reactivated: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reactivated or self.deactivated)


# ---------------------------------------------------------------- helpers


def _insert(session: Session, model):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def get_promise(session: Session, promise_id: int) -> Promise:
    p = session.get(Promise, promise_id)
    if p is None:
        raise NotFound(f"找不到编号为 {promise_id} 的承诺，可能已被删除。")
    return p


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("请填写主播说的原话。", field="承诺原话")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"承诺原话最多 {MAX_TEXT} 字，请只记录承诺本身。", field="承诺原话")
    return text


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"未知的承诺类型「{kind}」。", field="承诺类型")
    return kind


def _check_deal(session: Session, show_id: int, deal_id: int | None) -> int | None:
    if deal_id is None:
        return None
    deal = session.get(Deal, deal_id)
    if deal is None or deal.show_id != show_id:
        raise InvalidInput("所选团品不属于本场直播。", field="团品")
    return deal_id


def _show(session: Session, show_id: int) -> Show:
    show = session.get(Show, show_id)
    if show is None:
        raise NotFound(f"找不到编号为 {show_id} 的场次，请从左侧重新选择。")
    return show


def current_deal(session: Session, show_id: int) -> Deal | None:
    """The deal being shown: the most recently released deal of the show, else the newest draft."""
    released = session.scalar(
        select(Deal)
        .where(Deal.show_id == show_id, Deal.released_at.is_not(None))
        .order_by(Deal.released_at.desc(), Deal.id.desc())
        .limit(1)
    )
    if released is not None:
        return released
    return session.scalar(
        select(Deal).where(Deal.show_id == show_id, Deal.status == "draft").order_by(Deal.id.desc()).limit(1)
    )


def deal_choices(session: Session, show_id: int) -> list[tuple[int, str]]:
    """(deal id, product) of the show's deals, in creation order, for pickers."""
    return [(i, p) for i, p in session.execute(select(Deal.id, Deal.product).where(Deal.show_id == show_id).order_by(Deal.id))]


def guess_scope(text: str, kind: str, first_n: int | None, deal_id: int | None) -> str:
    """claims for refunds and payouts, first_n when a first N is named, show when the words
    cover the whole night (全场, 所有订单) or no deal is known, else the deal."""
    if kind in CLAIM_KINDS:
        return "claims"
    if first_n:
        return "first_n"
    if deal_id is None or _SHOW_WIDE.search(text):
        return "show"
    return "deal"


# ---------------------------------------------------------------- writing


def log_promise(
    session: Session,
    actor: Actor,
    show_id: int,
    text: str,
    at: datetime | None = None,
    deal_id: int | None = None,
    kind: str | None = None,
    *,
    guess_deal: bool = True,
    scope: str | None = None,
    first_n: int | None = None,
    due_hint: str | None = None,
    record_event: bool = True,
) -> Promise:
    """Store a promise as said. kind, deal (the one being shown), first N, due hint and scope
    are guessed from the words unless given; `guess_deal=False` keeps it without a deal."""
    require(actor, "promise.write")
    _show(session, show_id)
    text = _check_text(text)
    said_at = at or clock.now()
    kind = _check_kind(kind) if kind else guess_kind(text)
    if deal_id is None and guess_deal:
        deal = current_deal(session, show_id)
        deal_id = deal.id if deal else None
    deal_id = _check_deal(session, show_id, deal_id)
    if first_n is None:
        first_n = first_n_of(text)
    if first_n is not None and first_n < 1:
        raise InvalidInput("前 N 名须为正整数。", field="前N名")
    hint = due_hint if due_hint is not None else (due_hint_of(text) or "")
    scope = scope or guess_scope(text, kind, first_n, deal_id)
    if scope not in SCOPES:
        raise InvalidInput(f"未知的履约范围「{scope}」。", field="范围")
    promise = Promise(
        show_id=show_id,
        deal_id=deal_id,
        text=text,
        kind=kind,
        scope=scope,
        first_n=first_n,
        due_hint=hint[:50],
        said_at=said_at,
        due_at=due_at_from_hint(hint, said_at),
        status="open",
        confirmed=False,
        created_by=actor.id,
    )
    session.add(promise)
    session.flush()
    if record_event:
        events.record(
            session, "promise.logged", show_id, actor, at=said_at,
            promise_id=promise.id, text=text, promise_kind=kind, deal_id=deal_id,
        )
    return promise


_STAMP = re.compile(r"^\s*[\[【(（]?(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?[\]】)）]?")


def said_at_of(text: str, show: Show, default: datetime) -> datetime:
    """A transcript line's leading clock time ('20:31 林薇：…') on the show's night, else default.
    Times more than 6 hours before the show's start are taken as after midnight."""
    m = _STAMP.match(text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return default
    start = show.actual_start or show.scheduled_start
    at = datetime.combine(start.date(), datetime.min.time()).replace(hour=int(m.group(1)), minute=int(m.group(2)))
    return at + timedelta(days=1) if at < start - timedelta(hours=6) else at


def detect_paste(text: str) -> list[PromiseDraft]:
    """detect() for a pasted transcript, refusing pastes over 1 MB (TooLarge)."""
    check_paste_size(text, "文字稿")
    return detect(text)


@dataclass(frozen=True)
class DraftIn:
    """A draft the operator accepted from a pasted transcript (kind and deal as corrected)."""

    text: str
    kind: str
    first_n: int | None = None
    due_hint: str | None = None
    deal_id: int | None = None


def log_drafts(
    session: Session,
    actor: Actor,
    show_id: int,
    drafts: list[DraftIn],
    *,
    at: datetime | None = None,
    confirm_scope: bool = True,
) -> list[Promise]:
    """Log the drafts the operator accepted, in one batch (one event); each is confirmed with
    its guessed scope unless confirm_scope=False (then it waits on the 承诺履约 page)."""
    require(actor, "promise.write")
    show = _show(session, show_id)
    now = at or clock.now()
    made = []
    for d in drafts:
        p = log_promise(
            session, actor, show_id, d.text, at=said_at_of(d.text, show, now), deal_id=d.deal_id, kind=d.kind,
            guess_deal=False,
            first_n=d.first_n, due_hint=d.due_hint, record_event=False,
        )
        made.append(p)
    if confirm_scope:
        for p in made:
            if p.scope == "first_n" and not p.first_n:
                continue
            confirm(session, actor, p.id, at=now, record_event=False)
    if made:
        events.record(session, "promise.batch_logged", show_id, actor, at=now, count=len(made), promise_ids=[p.id for p in made])
    return made


def update_promise(
    session: Session,
    actor: Actor,
    promise_id: int,
    *,
    kind: str | None = None,
    deal_id: int | None | object = _UNSET,
    text: str | None = None,
    at: datetime | None = None,
) -> Promise:
    """Correct the guessed kind and/or deal (one click on the console), or the words.
    An unconfirmed promise gets its scope re-guessed; a confirmed one is re-expanded."""
    require(actor, "promise.write")
    p = get_promise(session, promise_id)
    changes: dict[str, object] = {}
    if kind is not None and kind != p.kind:
        p.kind = _check_kind(kind)
        changes["promise_kind"] = kind
    if deal_id is not _UNSET and deal_id != p.deal_id:
        p.deal_id = _check_deal(session, p.show_id, deal_id)  # type: ignore[arg-type]
        changes["deal_id"] = deal_id
    if text is not None and text.strip() != p.text:
        p.text = _check_text(text)
        changes["text"] = p.text
    if not changes:
        return p
    if not p.confirmed:
        p.scope = guess_scope(p.text, p.kind, p.first_n, p.deal_id)
    elif p.scope in ("deal", "first_n", "show"):
        if p.scope == "deal" and p.deal_id is None:
            p.scope = "show"
        session.flush()
        expand(session, p.id, actor=actor, at=at)
    events.record(session, "promise.updated", p.show_id, actor, at=at, promise_id=p.id, **changes)
    return p


def confirm(
    session: Session,
    actor: Actor,
    promise_id: int,
    scope: str | None = None,
    first_n: int | None = None,
    due_at: datetime | None = None,
    *,
    at: datetime | None = None,
    record_event: bool = True,
) -> ExpandResult:
    """Fix scope, first N and due time (defaults: what was guessed) and create the items.
    Confirming again with other values re-scopes; items already ticked keep their history."""
    require(actor, "promise.write")
    p = get_promise(session, promise_id)
    if p.status == "waived":
        raise InvalidState("该承诺已豁免，不能再确认。")
    scope = scope or p.scope
    if scope not in SCOPES:
        raise InvalidInput(f"未知的履约范围「{scope}」。", field="范围")
    first_n = first_n if first_n is not None else p.first_n
    if scope == "first_n" and (first_n is None or first_n < 1):
        raise InvalidInput("范围为「前 N 名」时须填写 N（正整数）。", field="前N名")
    if scope == "deal" and p.deal_id is None:
        raise InvalidInput("范围为「本团品」时须先选择团品。", field="团品")
    p.scope, p.first_n, p.confirmed = scope, first_n, True
    if due_at is not None:
        p.due_at = due_at
    session.execute(
        update(FulfilmentItem)
        .where(FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item", FulfilmentItem.done.is_(False))
        .values(due_at=p.due_at)
    )
    session.flush()
    result = expand(session, p.id, actor=actor, at=at, log=False)
    if record_event:
        events.record(
            session, "promise.confirmed", p.show_id, actor, at=at, promise_id=p.id, scope=scope,
            first_n=first_n, due_at=p.due_at, added=result.added,
        )
    return result


def _target_entries(session: Session, p: Promise):
    """SELECT of the chain entry ids the promise covers now."""
    q = select(ChainEntry.id).join(Deal, Deal.id == ChainEntry.deal_id).where(
        ChainEntry.status == "valid", Deal.status != "failed"
    )
    if p.deal_id is not None and p.scope in ("deal", "first_n"):
        q = q.where(ChainEntry.deal_id == p.deal_id)
    else:
        q = q.where(Deal.show_id == p.show_id)
    if p.scope == "first_n":
        if p.deal_id is not None:
            q = q.order_by(ChainEntry.seq.is_(None), ChainEntry.seq, ChainEntry.id)
        else:
            q = q.order_by(ChainEntry.created_at, ChainEntry.id)
        q = q.limit(p.first_n or 0)
    return q


def expand(
    session: Session,
    promise_id: int,
    *,
    actor: Actor | None = None,
    at: datetime | None = None,
    log: bool = True,
) -> ExpandResult:
    """Bring the promise's items in line with its scope and the chain as it is now.

    Idempotent: run it as often as you like. Unconfirmed promises and claims scopes have
    nothing to expand. Logs one 'promise.expanded' event when something changed."""
    p = get_promise(session, promise_id)
    if not p.confirmed or p.scope == "claims":
        return ExpandResult()
    now = at or clock.now()
    target = set(session.scalars(_target_entries(session, p)))
    existing = dict(
        session.execute(
            select(FulfilmentItem.chain_entry_id, FulfilmentItem.active).where(
                FulfilmentItem.promise_id == p.id,
                FulfilmentItem.kind == "item",
                FulfilmentItem.chain_entry_id.is_not(None),
            )
        ).all()
    )
    new_ids = sorted(target - existing.keys())
    back = [e for e, active in existing.items() if not active and e in target]
    gone = [e for e, active in existing.items() if active and e not in target]
    added = 0
    if new_ids:
        labels = {
            i: _entry_label(seq, name, qty, spec)
            for i, seq, name, qty, spec in session.execute(
                select(ChainEntry.id, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec).where(
                    ChainEntry.id.in_(new_ids)
                )
            )
        }
        stmt = _insert(session, FulfilmentItem).values(
            [
                {
                    "promise_id": p.id,
                    "chain_entry_id": i,
                    "kind": "item",
                    "label": labels.get(i, "")[:200],
                    "active": True,
                    "done": False,
                    "note": "",
                    "due_at": p.due_at,
                    "created_at": now,
                }
                for i in new_ids
            ]
        ).on_conflict_do_nothing(index_elements=["promise_id", "chain_entry_id"]).returning(FulfilmentItem.id)
        added = len(session.execute(stmt).all())
    if back:
        session.execute(
            update(FulfilmentItem)
            .where(FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item", FulfilmentItem.chain_entry_id.in_(back))
            .values(active=True)
        )
    if gone:
        session.execute(
            update(FulfilmentItem)
            .where(FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item", FulfilmentItem.chain_entry_id.in_(gone))
            .values(active=False)
        )
    result = ExpandResult(added=max(added, 0), reactivated=len(back), deactivated=len(gone))
    if log and result.changed:
        events.record(
            session, "promise.expanded", p.show_id, actor, at=at, promise_id=p.id,
            added=result.added, reactivated=result.reactivated, deactivated=result.deactivated,
        )
    session.flush()
    return result


def _entry_label(seq: int | None, name: str, qty: int | None, spec: str) -> str:
    head = f"{seq}. " if seq is not None else ""
    tail = f"（{spec}）" if spec else ""
    return f"{head}{name} ×{qty or 1}{tail}"


def sync_show(session: Session, show_id: int, *, actor: Actor | None = None, at: datetime | None = None) -> ExpandResult:
    """Re-expand every confirmed open promise of the show (the 「同步名单」 action)."""
    ids = session.scalars(
        select(Promise.id).where(
            Promise.show_id == show_id,
            Promise.confirmed.is_(True),
            Promise.status == "open",
            Promise.scope.in_(("deal", "first_n", "show")),
        ).order_by(Promise.id)
    ).all()
    added = reactivated = deactivated = 0
    for pid in ids:
        r = expand(session, pid, actor=actor, at=at)
        added, reactivated, deactivated = added + r.added, reactivated + r.reactivated, deactivated + r.deactivated
    return ExpandResult(added, reactivated, deactivated)


def set_status(
    session: Session, actor: Actor, promise_id: int, status: str, *, at: datetime | None = None
) -> Promise:
    """open → kept / broken / waived (or back to open), decided by the operator."""
    require(actor, "promise.write")
    if status not in STATUSES:
        raise InvalidInput(f"未知的承诺状态「{status}」。", field="状态")
    p = get_promise(session, promise_id)
    if p.status != status:
        old, p.status = p.status, status
        events.record(session, "promise.status", p.show_id, actor, at=at, promise_id=p.id, old=old, status=status)
    return p


def discard(session: Session, actor: Actor, promise_id: int, *, at: datetime | None = None) -> None:
    """Delete a promise logged by mistake; only while it is unconfirmed and has no items."""
    require(actor, "promise.write")
    p = get_promise(session, promise_id)
    has_items = session.scalar(select(func.count()).where(FulfilmentItem.promise_id == p.id))
    if p.confirmed or has_items:
        raise InvalidState("已确认或已有履约项的承诺不能删除，可改为「已豁免」。")
    show_id, text = p.show_id, p.text
    session.delete(p)
    session.flush()
    events.record(session, "promise.discarded", show_id, actor, at=at, promise_id=promise_id, text=text)


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    done: bool | None = None
    note: str | None = None


def update_items(
    session: Session,
    actor: Actor,
    promise_id: int,
    changes: list[ItemChange],
    *,
    at: datetime | None = None,
) -> int:
    """Tick / untick items and edit their notes in one batch (one event). Returns rows changed."""
    require(actor, "promise.fulfil")
    p = get_promise(session, promise_id)
    if not changes:
        return 0
    now = at or clock.now()
    ids = [c.item_id for c in changes]
    items = {
        i.id: i
        for i in session.scalars(
            select(FulfilmentItem).where(FulfilmentItem.promise_id == p.id, FulfilmentItem.id.in_(ids))
        )
    }
    missing = [i for i in ids if i not in items]
    if missing:
        raise NotFound("部分履约项已不存在，请刷新页面后重试。")
    changed = ticked = 0
    for c in changes:
        item = items[c.item_id]
        touched = False
        if c.done is not None and bool(c.done) != item.done:
            item.done = bool(c.done)
            item.done_at, item.done_by = (now, actor.id) if item.done else (None, None)
            item.fulfilled_via = "hand" if item.done else None  # services.pickup ticks by hand-over
            ticked += 1 if item.done else -1
            touched = True
        if c.note is not None:
            note = c.note.strip()
            if len(note) > 500:
                raise InvalidInput("备注最多 500 字。", field="备注")
            if note != (item.note or ""):
                item.note = note
                touched = True
        changed += touched
    if changed:
        events.record(
            session, "promise.items", p.show_id, actor, at=now, promise_id=p.id, changed=changed, ticked=ticked
        )
    session.flush()
    return changed


def tick_range(
    session: Session,
    actor: Actor,
    promise_id: int,
    first: int,
    last: int,
    done: bool = True,
    *,
    at: datetime | None = None,
) -> int:
    """Tick (or untick) every active item whose chain entry's number (接龙序号) is in first..last."""
    require(actor, "promise.fulfil")
    p = get_promise(session, promise_id)
    if first < 1 or last < first:
        raise InvalidInput("接龙序号范围无效：起始须 ≥ 1 且不大于结束。", field="序号范围")
    now = at or clock.now()
    in_range = select(ChainEntry.id).where(ChainEntry.seq >= first, ChainEntry.seq <= last)
    result = session.execute(
        update(FulfilmentItem)
        .where(
            FulfilmentItem.promise_id == p.id,
            FulfilmentItem.active.is_(True),
            FulfilmentItem.done.is_(not done),
            FulfilmentItem.chain_entry_id.in_(in_range),
        )
        .values(done=done, done_at=now if done else None, done_by=actor.id if done else None,
                fulfilled_via="hand" if done else None)
        .execution_options(synchronize_session=False)
    )
    n = result.rowcount or 0
    if n:
        events.record(
            session, "promise.items", p.show_id, actor, at=now, promise_id=p.id, changed=n,
            ticked=n if done else -n, seq_from=first, seq_to=last,
        )
    session.expire_all()
    return n


def add_claim(
    session: Session,
    actor: Actor,
    promise_id: int,
    buyer: str,
    reason: str = "",
    *,
    entry_id: int | None = None,
    at: datetime | None = None,
    due_at: datetime | None = None,
) -> FulfilmentItem:
    """Log one refund / payout request under a claims promise (due in CLAIM_RESOLVE_HOURS)."""
    require(actor, "promise.write")
    p = get_promise(session, promise_id)
    if p.scope != "claims":
        raise InvalidState("只有范围为「按申请登记」的承诺才能登记退款/赔付申请。")
    buyer = (buyer or "").strip()
    if not buyer:
        raise InvalidInput("请填写申请人。", field="申请人")
    reason = (reason or "").strip()
    if len(buyer) > 100 or len(reason) > 150:
        raise InvalidInput("申请人最多 100 字，原因最多 150 字。", field="原因")
    if entry_id is not None:
        entry = session.get(ChainEntry, entry_id)
        if entry is None or session.scalar(select(Deal.show_id).where(Deal.id == entry.deal_id)) != p.show_id:
            raise InvalidInput("所选跟团不属于本场直播。", field="跟团")
        dup = session.scalar(
            select(func.count()).where(FulfilmentItem.promise_id == p.id, FulfilmentItem.chain_entry_id == entry_id)
        )
        if dup:
            raise InvalidState("这条跟团已登记过申请，请在原申请上处理。")
    now = at or clock.now()
    item = FulfilmentItem(
        promise_id=p.id,
        chain_entry_id=entry_id,
        kind="claim",
        label=(f"{buyer}：{reason}" if reason else buyer)[:200],
        active=True,
        done=False,
        note="",
        due_at=due_at or now + timedelta(hours=CLAIM_RESOLVE_HOURS),
        created_at=now,
    )
    session.add(item)
    session.flush()
    events.record(session, "promise.claim", p.show_id, actor, at=now, promise_id=p.id, item_id=item.id, buyer=buyer)
    return item


def resolve_claim(
    session: Session, actor: Actor, item_id: int, resolution: str, *, at: datetime | None = None
) -> FulfilmentItem:
    """Mark a claim resolved with how (已退款 12 元 / 已补发 …)."""
    item = session.get(FulfilmentItem, item_id)
    if item is None or item.kind != "claim":
        raise NotFound("找不到这条退款/赔付申请。")
    if not (resolution or "").strip():
        raise InvalidInput("请写明处理结果（如：已退款 12 元）。", field="处理结果")
    update_items(session, actor, item.promise_id, [ItemChange(item.id, done=True, note=resolution)], at=at)
    return item


# ---------------------------------------------------------------- reading


def _progress_subquery(now: datetime, promise_ids):
    """done / total / overdue of active items, aggregated in SQL for the given promise ids only."""
    active = FulfilmentItem.active.is_(True)
    return (
        select(
            FulfilmentItem.promise_id.label("pid"),
            func.sum(case((active, 1), else_=0)).label("total"),
            func.sum(case((and_(active, FulfilmentItem.done.is_(True)), 1), else_=0)).label("done"),
            func.sum(
                case(
                    (and_(active, FulfilmentItem.done.is_(False), FulfilmentItem.due_at < now), 1),
                    else_=0,
                )
            ).label("overdue"),
        )
        .where(FulfilmentItem.promise_id.in_(promise_ids))
        .group_by(FulfilmentItem.promise_id)
        .subquery()
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
    prog = _progress_subquery(now, select(ids.c.id))
    q = (
        select(
            Promise,
            Deal.product,
            func.coalesce(prog.c.total, 0),
            func.coalesce(prog.c.done, 0),
            func.coalesce(prog.c.overdue, 0),
        )
        .join(ids, ids.c.id == Promise.id)
        .outerjoin(Deal, Deal.id == Promise.deal_id)
        .outerjoin(prog, prog.c.pid == Promise.id)
        .order_by(*order)
    )
    return [_row(p, product, t, d, o) for p, product, t, d, o in session.execute(q)]


def _row(p: Promise, product: str | None, total, done, overdue) -> PromiseRow:
    return PromiseRow(
        id=p.id, show_id=p.show_id, deal_id=p.deal_id, deal_product=product, text=p.text, kind=p.kind,
        scope=p.scope, first_n=p.first_n, due_hint=p.due_hint or "", said_at=p.said_at, due_at=p.due_at,
        status=p.status, confirmed=p.confirmed, total=int(total or 0), done=int(done or 0),
        overdue=int(overdue or 0),
    )


def promise_row(session: Session, promise_id: int, *, now: datetime | None = None) -> PromiseRow:
    now = now or clock.now()
    prog = _progress_subquery(now, [promise_id])
    r = session.execute(
        select(Promise, Deal.product, prog.c.total, prog.c.done, prog.c.overdue)
        .outerjoin(Deal, Deal.id == Promise.deal_id)
        .outerjoin(prog, prog.c.pid == Promise.id)
        .where(Promise.id == promise_id)
    ).first()
    if r is None:
        raise NotFound(f"找不到编号为 {promise_id} 的承诺，可能已被删除。")
    return _row(*r)


def items(
    session: Session, promise_id: int, *, include_inactive: bool = False, now: datetime | None = None
) -> list[ItemRow]:
    """The items of a promise in chain order (claims in the order they were logged)."""
    now = now or clock.now()
    q = (
        select(FulfilmentItem, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec, ChainEntry.status)
        .outerjoin(ChainEntry, ChainEntry.id == FulfilmentItem.chain_entry_id)
        .where(FulfilmentItem.promise_id == promise_id)
        .order_by(FulfilmentItem.kind, ChainEntry.deal_id, ChainEntry.seq.is_(None), ChainEntry.seq, FulfilmentItem.id)
    )
    if not include_inactive:
        q = q.where(FulfilmentItem.active.is_(True))
    out = []
    for it, seq, name, qty, spec, estatus in session.execute(q):
        out.append(
            ItemRow(
                id=it.id, kind=it.kind, chain_entry_id=it.chain_entry_id, seq=seq,
                buyer=name if name is not None else it.label, qty=qty, spec=spec or "", entry_status=estatus,
                label=it.label, active=it.active, done=it.done, done_at=it.done_at, note=it.note or "",
                due_at=it.due_at,
                overdue=bool(it.active and not it.done and it.due_at is not None and it.due_at < now),
            )
        )
    return out


def recent(session: Session, show_id: int, n: int = 3) -> list[PromiseRow]:
    """The n promises said most recently in the show, newest first (console, host, review)."""
    return list_promises(session, show_id, limit=n, newest_first=True)


def kept_rate(session: Session, show_id: int) -> float | None:
    """Promise kept rate of a show = promises with status kept ÷ promises not waived.

    Every logged promise counts (confirmed or not, open or broken), except waived ones,
    which the team decided do not bind it. None when the show has no promise left to count."""
    kept, counted = session.execute(
        select(
            func.sum(case((Promise.status == "kept", 1), else_=0)),
            func.count(),
        ).where(Promise.show_id == show_id, Promise.status != "waived")
    ).one()
    if not counted:
        return None
    return (kept or 0) / counted


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
                Promise.status.in_(("open", "broken")),
                FulfilmentItem.active.is_(True),
                FulfilmentItem.done.is_(False),
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
    if not m:
        raise InvalidInput("请输入接龙序号范围，例如 1-50。", field="序号范围")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if first < 1 or last < first:
        raise InvalidInput("接龙序号范围无效：起始须 ≥ 1 且不大于结束。", field="序号范围")
    return first, last
