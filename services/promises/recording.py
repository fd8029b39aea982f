"""Recording promises (承诺) said on air: log, correct, confirm, settle.

Flow:
- `log_promise` stores the words as said, the time, a guessed kind and the deal: the one whose
  product the words name (草莓的话，后天下午到 → 草莓), else the deal being shown (quick log on the
  console); `detect_show` finds promises in a pasted transcript, each with the deal it names (or
  the last one named above it, else the deal being shown) and a ⚠ reason when unsure, and the
  operator logs the drafts they confirm.
- `confirm` fixes scope, first N and due time, then `expand`s the promise into items:
    deal     one item per valid entry of the promise's deal;
    first_n  one item per entry among the first N valid entries in chain order (seq, then id)
             of the deal (of the whole show when the promise has no deal);
    show     one item per valid entry of tonight's deals;
    min_qty  one item per buyer whose valid entries of the deal add up to at least N (满两份送)
    claims   no items up front: each refund / payout request is logged with `add_claim`
             and resolved by ticking it (the note says how).
- How items follow the chain is services.promises.fulfilment. The 承诺履约 page calls
  `sync_show` when the show's version changed since its last sync (chain entries bump it)
  and on its 「同步名单」 button.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Deal, FulfilmentItem, Promise, Show
from services import clock, events, jielong, locking
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState, check_count, check_paste_size
from services.promises.fulfilment import ExpandResult, expand, get_promise
from services.promises.labels import CLAIM_KINDS, EXPANDED_SCOPES, SCOPES, STATUSES, PromiseStatus, Scope
from services.jielong.deal_match import mentioned, name_parts
from services.jielong.lifecycle import DealStatus
from services.promises.rules import (
    KIND_LABELS, KINDS, PromiseDraft, classify_line, cue_kind, detect, due_at_from_hint, due_hint_of, first_n_of, guess_kind,
    min_qty_of, read_kind,
)
from services.shows import deal_in_focus, get_show
from services.text import clean

MAX_TEXT = 1000
_SHOW_WIDE = re.compile(r"全场|所有订单|全部订单|今晚(?:的|所有)?(?:订单|下单)|每一单|每单|所有.{0,4}(?:团品|商品|产品)")
_UNSET = object()


def _check_text(text: str) -> str:
    text = clean(text, multiline=True)
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


# Kinds whose promise serves every order of the night unless the words name a product: one
# delivery run brings all of tonight's deals (明早7点前一定送到东门和西门), one after-sales
# contact answers for all of them. A gift, price, quality, refund or payout is about the goods
# or the offer being shown, so it stays on the deal being shown.
NIGHT_WIDE_KINDS = ("delivery", "service")


def deal_of_promise(kind: str, named: int | None, shown: int | None, open_deals: int) -> int | None:
    """The one rule for the deal a promise is about (None: the whole show, 整场, scope 本场全部跟团):
    the deal its words name; else none for a delivery or after-sales promise said while several
    deals of the show are open; else the deal being shown (`shown`: on the console's panel, or
    named last above the line in a pasted transcript). `kind` is the kind the words carry or the
    operator gave, "" when it was only guessed (手札那个): a guess moves no promise off its deal."""
    if named is not None:
        return named
    if kind in NIGHT_WIDE_KINDS and open_deals > 1:
        return None
    return shown


def open_deal_count(session: Session, show_id: int) -> int:
    """The show's deals not recorded 未成团 (drafts count: tonight's deals still to come)."""
    return int(
        session.scalar(select(func.count()).where(Deal.show_id == show_id, Deal.status != DealStatus.FAILED)) or 0
    )


def quick_caption(session: Session, show_id: int) -> str:
    """What the console's 承诺速记 says it will tie a promise to, before one is typed."""
    deal = current_deal(session, show_id)
    if deal is None:
        return "本场还没有团品，承诺将按整场记录。"
    if open_deal_count(session, show_id) > 1:
        return f"将关联团品：{deal.product}（没提团品的送达、售后承诺按整场）"
    return f"将关联团品：{deal.product}"


def current_deal(session: Session, show_id: int) -> Deal | None:
    """The deal being shown (services.shows.deal_in_focus): a promise naming no deal is its."""
    return deal_in_focus(session, show_id)


def deal_choices(session: Session, show_id: int) -> list[tuple[int, str]]:
    """(deal id, product) of the show's deals, in creation order, for pickers."""
    return [(i, p) for i, p in session.execute(select(Deal.id, Deal.product).where(Deal.show_id == show_id).order_by(Deal.id))]


_N_WORDS = {"前N名": "前 N 名", "满N份": "满 N 份"}


def _check_n(value: int | None, field: str, required: bool = False) -> None:
    """The one check of a promise's N (`field`: 前N名 or 满N份): a whole number 1..MAX_COUNT when
    given; `required`: the scope being confirmed needs one."""
    words = _N_WORDS[field]
    if required and (value is None or value < 1):
        raise InvalidInput(f"范围为「{words}」时须填写 N（正整数）。", field=field)
    if value is None:
        return
    if value < 1:
        raise InvalidInput(f"{words}须为正整数。", field=field)
    check_count(value, field)


def guess_scope(text: str, kind: str, first_n: int | None, deal_id: int | None, min_qty: int | None = None) -> str:
    """claims for refunds and payouts, first_n when a first N is named, min_qty when a least
    quantity is (满两份送), show when the words cover the whole night (全场, 所有订单) or no deal
    is known, else the deal."""
    if kind in CLAIM_KINDS:
        return Scope.CLAIMS
    if first_n:
        return Scope.FIRST_N
    if min_qty:
        return Scope.MIN_QTY
    if deal_id is None or _SHOW_WIDE.search(text):
        return Scope.SHOW
    return Scope.DEAL


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
    min_qty: int | None = None,
) -> Promise:
    """Store a promise as said. kind, deal (the one the words name, else the one being shown),
    first N, least quantity, due hint and scope are guessed from the words unless given;
    `guess_deal=False` keeps it without a deal."""
    require(actor, "promise.write")
    get_show(session, show_id)
    text = _check_text(text)
    said_at = at or clock.now()
    read = _check_kind(kind) if kind else read_kind(text)  # None: no word names a kind
    kind = read or guess_kind(text)
    if deal_id is None and guess_deal:
        named = mentioned(text, name_parts(deal_choices(session, show_id))).deal_id
        shown = current_deal(session, show_id) if named is None else None
        deal_id = deal_of_promise(read or "", named, shown.id if shown else None, open_deal_count(session, show_id))
    deal_id = _check_deal(session, show_id, deal_id)
    if first_n is None:
        first_n = first_n_of(text)
    _check_n(first_n, "前N名")
    if min_qty is None:
        min_qty = min_qty_of(text)
    _check_n(min_qty, "满N份")
    hint = clean(due_hint) if due_hint is not None else (due_hint_of(text) or "")
    scope = scope or guess_scope(text, kind, first_n, deal_id, min_qty)
    if scope not in SCOPES:
        raise InvalidInput(f"未知的履约范围「{scope}」。", field="范围")
    twin = _twin(session, show_id, deal_id, text, said_at)
    if twin is not None:
        return twin  # the same words logged twice at one instant (a double click): one promise
    promise = Promise(
        show_id=show_id,
        deal_id=deal_id,
        text=text,
        kind=kind,
        scope=scope,
        first_n=first_n,
        min_qty=min_qty,
        due_hint=hint[:50],
        said_at=said_at,
        due_at=due_at_from_hint(hint, said_at),
        status=PromiseStatus.OPEN,
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


def _twin(session: Session, show_id: int, deal_id: int | None, text: str, said_at: datetime) -> Promise | None:
    """A promise of this show and deal with these words said at (nearly) the same instant. The
    show's row is locked first, so two submits at one instant cannot both miss it; said again
    later, or of another deal, is new."""
    locking.lock(session, Show, show_id)
    return session.scalars(
        select(Promise).where(
            Promise.show_id == show_id, Promise.text == text, locking.near(Promise.said_at, said_at),
            Promise.deal_id.is_(None) if deal_id is None else Promise.deal_id == deal_id,
        ).order_by(Promise.id).limit(1)
    ).first()


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
class ShowDraft:
    """A promise found in a pasted transcript, read in the show's context: the deal it is about
    and, when unsure, why (Chinese reasons joined by ；, shown with a ⚠)."""

    text: str
    kind: str
    first_n: int | None
    due_hint: str | None
    min_qty: int | None
    deal_id: int | None
    hint: str = ""


def detect_show(session: Session, show_id: int, text: str) -> list[ShowDraft]:
    """detect_paste() with each draft's deal: the deal whose product the line names, else the one
    named last above it in the paste, else the deal being shown (flagged when the show has
    several deals, since nothing said which)."""
    check_paste_size(text, "文字稿")
    get_show(session, show_id)
    deals = deal_choices(session, show_id)
    products = dict(deals)
    parts = name_parts(deals)
    current = current_deal(session, show_id)
    open_deals = open_deal_count(session, show_id)
    focus: int | None = None
    out = []
    for line in text.splitlines():
        mention = mentioned(line, parts)
        draft = classify_line(line)
        if draft is not None:
            read = draft.kind if cue_kind(line) else ""  # a draft the model added with no cue: its kind is a guess
            deal_id, why = _draft_deal(mention, read, focus, current, products, open_deals)
            hint = "；".join(h for h in (draft.hint, why) if h)
            out.append(ShowDraft(draft.text, draft.kind, draft.first_n, draft.due_hint, draft.min_qty, deal_id, hint))
        focus = mention.deal_id or focus
    return out


def quick_hint(session: Session, show_id: int, text: str) -> str:
    """Why a line typed into 承诺速记 may be misread (Chinese, for a ⚠), or "" when it reads clearly:
    an unsure kind or first N, no deal named; a line the detector drafts nothing from reads 认作
    when one of its words names the kind (破几个赔几个: 赔付, as logged), and 没认出 only when none
    does (the kind logged is then a guess)."""
    drafts = detect_show(session, show_id, text.strip().splitlines()[0] if text.strip() else "")
    if drafts:
        return drafts[0].hint
    kind = cue_kind(text)
    if kind is None:
        return f"没认出是哪类承诺，已按「{KIND_LABELS[guess_kind(text)]}」记录，请点选类型"
    return f"按字眼认作「{KIND_LABELS[kind]}」承诺（线索较弱），请核对类型"


def _draft_deal(
    mention, kind: str, focus: int | None, current: Deal | None, products: dict[int, str], open_deals: int,
) -> tuple[int | None, str]:
    """(deal id, ⚠ reason or "") for one draft (the deal: `deal_of_promise`)."""
    if mention.deal_id is not None:
        if mention.others:
            names = "、".join(products[d] for d in (mention.deal_id, *mention.others))
            return mention.deal_id, f"提到多个团品（{names}），已按「{products[mention.deal_id]}」"
        return mention.deal_id, ""
    shown = focus if focus is not None else (current.id if current else None)
    deal_id = deal_of_promise(kind, None, shown, open_deals)
    if deal_id is None or focus is not None or current is None or len(products) <= 1:
        return deal_id, ""
    return deal_id, f"没提到团品，按当前团品「{current.product}」"


@dataclass(frozen=True)
class DraftIn:
    """A draft the operator accepted from a pasted transcript (kind and deal as corrected)."""

    text: str
    kind: str
    first_n: int | None = None
    due_hint: str | None = None
    deal_id: int | None = None
    min_qty: int | None = None


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
    show = get_show(session, show_id)
    now = at or clock.now()
    made = []
    for d in drafts:
        p = log_promise(
            session, actor, show_id, d.text, at=said_at_of(d.text, show, now), deal_id=d.deal_id, kind=d.kind,
            guess_deal=False,
            first_n=d.first_n, due_hint=d.due_hint, record_event=False, min_qty=d.min_qty,
        )
        if p not in made:  # one line pasted twice with one stamp is one promise
            made.append(p)
    if confirm_scope:
        for p in made:
            if (p.scope == Scope.FIRST_N and not p.first_n) or (p.scope == Scope.MIN_QTY and not p.min_qty):
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
    if text is not None and clean(text, multiline=True) != p.text:
        p.text = _check_text(text)
        changes["text"] = p.text
    if not changes:
        return p
    if not p.confirmed:
        p.scope = guess_scope(p.text, p.kind, p.first_n, p.deal_id, p.min_qty)
    elif p.scope in EXPANDED_SCOPES:
        if p.scope == Scope.DEAL and p.deal_id is None:
            p.scope = Scope.SHOW
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
    min_qty: int | None = None,
) -> ExpandResult:
    """Fix scope, first N (or least quantity) and due time (defaults: what was guessed) and
    create the items. Confirming again with other values re-scopes; items already ticked keep
    their history."""
    require(actor, "promise.write")
    p = get_promise(session, promise_id)
    if p.status == PromiseStatus.WAIVED:
        raise InvalidState("该承诺已豁免，不能再确认。")
    scope = scope or p.scope
    if scope not in SCOPES:
        raise InvalidInput(f"未知的履约范围「{scope}」。", field="范围")
    first_n = first_n if first_n is not None else p.first_n
    _check_n(first_n, "前N名", required=scope == Scope.FIRST_N)
    if scope == Scope.DEAL and p.deal_id is None:
        raise InvalidInput("范围为「本团品」时须先选择团品。", field="团品")
    min_qty = min_qty if min_qty is not None else p.min_qty
    _check_n(min_qty, "满N份", required=scope == Scope.MIN_QTY)
    p.scope, p.first_n, p.min_qty, p.confirmed = scope, first_n, min_qty, True
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


def open_items(session: Session, promise_id: int) -> int:
    """Items of the promise still in scope and not done (claims: not resolved)."""
    return int(
        session.scalar(
            select(func.count()).where(
                FulfilmentItem.promise_id == promise_id, FulfilmentItem.active.is_(True), FulfilmentItem.done.is_(False)
            )
        )
        or 0
    )


def set_status(
    session: Session, actor: Actor, promise_id: int, status: str, *, at: datetime | None = None,
    open_ok: bool = False,
) -> Promise:
    """open → kept / broken / waived (or back to open), decided by the operator.

    已兑现 with items still open is refused (saying how many) unless the operator confirmed it
    (open_ok=True): a promise marked kept while gifts are still owed is a broken promise."""
    require(actor, "promise.write")
    if status not in STATUSES:
        raise InvalidInput(f"未知的承诺状态「{status}」。", field="状态")
    p = get_promise(session, promise_id)
    if status == PromiseStatus.KEPT and p.status != status and not open_ok:
        left = open_items(session, p.id)
        if left:
            raise InvalidState(f"还有 {left} 项履约未完成，确认无误后才能标记为「已兑现」。")
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
