"""Comment intake: classify, group and store a batch of comments, every tally in the same
transaction, ONE event per batch.

A batch goes through named steps: clean → drop known client keys (a retried batch is a no-op)
→ fold the same text from the same author within FOLD_SECONDS → classify and match against
the show's open groups (held in memory, services.triage.matchers) → per-group tallies →
insert new groups and the comments → bump existing groups and the show's tallies → log.
Batches of one show are serialised by the show's row lock.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, insert, select, text, update
from sqlalchemy.orm import Session

from db.models import Comment, QuestionGroup, Show, ShowCommenter, ShowMinute
from services import clock, events, locking
from services.authz import Actor, require
from services.errors import InvalidInput
from services.shows import get_show
from services.text import clean, has_controls
from services.sql import chunks, is_postgresql, upsert_insert
from services.triage import lexicon, matchers
from services.triage.comments import CommentIn, parse_at, parse_comment_file, parse_comment_lines
from services.triage.labels import SOURCES, Category, QuestionStatus
from services.triage.matchers import GroupRef
from services.triage.grouping import asks
from services.triage.rules import Analysis, analyse, normalise, signature, sure, tentative

FOLD_SECONDS = 10
MAX_TEXT = 500
MAX_AUTHOR = 100


@dataclass
class IngestResult:
    received: int = 0
    inserted: int = 0
    folded: int = 0  # same author + same text within FOLD_SECONDS
    duplicates: int = 0  # client_key already ingested (a retried batch)
    empty: int = 0
    questions: int = 0
    chatter: int = 0
    new_groups: int = 0
    reopened: int = 0  # answered groups asked again
    cleaned: int = 0  # comments that carried control or bidi-override characters (removed)
    group_ids: list[int] = field(default_factory=list)  # group of each inserted comment, in order

    def summary(self) -> str:
        parts = [f"收到 {self.received} 条，新增 {self.inserted} 条（提问 {self.questions}，闲聊 {self.chatter}）"]
        if self.folded:
            parts.append(f"合并重复刷屏 {self.folded} 条")
        if self.duplicates:
            parts.append(f"跳过已导入 {self.duplicates} 条")
        if self.empty:
            parts.append(f"忽略空行 {self.empty} 条")
        if self.reopened:
            parts.append(f"重新打开已回复的问题 {self.reopened} 个")
        if self.cleaned:
            parts.append(f"清除了 {self.cleaned} 条里的控制字符")
        return "，".join(parts) + "。"


@dataclass
class _Item:
    author: str
    text: str
    at: datetime
    key: str | None
    norm: str = ""
    analysis: Analysis | None = None
    group: Any = None


@dataclass
class _GroupTally:
    comments: int = 0
    askers: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def add(self, at: datetime, new_asker: bool) -> None:
        self.comments += 1
        self.askers += new_asker
        self.first = at if self.first is None else min(self.first, at)
        self.last = at if self.last is None else max(self.last, at)


def ingest(
    session: Session,
    actor: Actor,
    show_id: int,
    comments: list[CommentIn],
    source: str = "manual",
    at: datetime | None = None,
) -> IngestResult:
    """Classify, group and store a batch of comments; every tally in the same transaction; one event."""
    require(actor, "comment.write")
    if source not in SOURCES:
        raise InvalidInput(f"未知来源：{source}", "来源")
    # Batches of one show are serialised (several consoles, the pipe, the simulator), so the
    # new-commenter and group reads below are never stale.
    locking.lock(session, Show, show_id)
    get_show(session, show_id)
    lexicon.refresh(session)
    now = at or clock.now()
    res = IngestResult(received=len(comments))
    items = _drop_known(session, show_id, _clean(comments, now, res), res)
    kept = _fold(session, show_id, items, res)
    if not kept:
        return res
    cache = matchers.take(session, show_id)
    new_groups, firmed = _match(cache.matcher, kept)
    existing = [g for g in {id(it.group): it.group for it in kept}.values() if g.id is not None]
    tally = _group_tallies(session, kept)
    _insert_groups(session, show_id, new_groups, tally)
    _firm_up(session, firmed)
    _insert_comments(session, [_comment_row(show_id, it, source) for it in kept])
    _bump_groups(session, existing, tally)
    res.reopened = _reopen(session, existing)
    res.chatter = _bump_show(session, show_id, kept)
    res.inserted = len(kept)
    res.questions = len(kept) - res.chatter
    res.new_groups = len(new_groups)
    res.group_ids = [it.group.id for it in kept]
    cache.fingerprint = _log(session, actor, show_id, now, source, res)
    matchers.give_back(cache)  # only now: if anything failed, its new groups may point at nothing
    return res


# ---------------------------------------------------------------- 1. clean, drop known keys


def _clean(comments: list[CommentIn], now: datetime, res: IngestResult) -> list[_Item]:
    items = []
    for c in comments:
        res.cleaned += has_controls(c.text) or has_controls(c.author)
        body = clean(c.text)[:MAX_TEXT]
        if not body:
            res.empty += 1
            continue
        if c.at is None:
            when = now
        elif isinstance(c.at, datetime) and c.at.tzinfo is None:
            when = c.at
        else:
            when = parse_at(c.at)
        key = clean(c.client_key)[:64] or None
        items.append(_Item(clean(c.author)[:MAX_AUTHOR], body, when or now, key))
    return items


_PG_KNOWN_KEYS = text(
    "SELECT c.client_key FROM unnest(CAST(:keys AS varchar[])) AS k(key) "
    "JOIN comment c ON c.show_id = :show_id AND c.client_key = k.key"
)


def _known_keys(session: Session, show_id: int, keys: list[str]) -> set[str]:
    """The client_keys the show already has. On PostgreSQL a join against unnest(keys), which
    uses the (show_id, client_key) unique index or a hash join; `IN (…)` there degrades to
    comparing every comment of the show with every key while the table's statistics are young."""
    found: set[str] = set()
    pg = is_postgresql(session)
    for chunk in chunks(keys, 5000 if pg else 900):
        if pg:
            found.update(session.scalars(_PG_KNOWN_KEYS, {"keys": list(chunk), "show_id": show_id}))
        else:
            found.update(
                session.scalars(select(Comment.client_key).where(Comment.show_id == show_id, Comment.client_key.in_(chunk)))
            )
    return found


def _drop_known(session: Session, show_id: int, items: list[_Item], res: IngestResult) -> list[_Item]:
    known = _known_keys(session, show_id, list({it.key for it in items if it.key}))
    fresh = []
    for it in items:
        if it.key and it.key in known:
            res.duplicates += 1
            continue
        if it.key:
            known.add(it.key)
        fresh.append(it)
    return fresh


# ---------------------------------------------------------------- 2. fold repeats


def _last_said(session: Session, show_id: int, fresh: list[_Item]) -> dict[tuple[str, str], datetime]:
    """(author, normalised text) → when the show last stored it, around this batch's times."""
    last: dict[tuple[str, str], datetime] = {}
    authors = sorted({it.author for it in fresh if it.author})
    if not fresh or not authors:
        return last
    lo = fresh[0].at - timedelta(seconds=FOLD_SECONDS)
    hi = fresh[-1].at + timedelta(seconds=FOLD_SECONDS)
    for chunk in chunks(authors):
        for a, t, r in session.execute(
            select(Comment.author, Comment.text, Comment.received_at).where(
                Comment.show_id == show_id,
                Comment.author.in_(chunk),
                Comment.received_at >= lo,
                Comment.received_at <= hi,
            )
        ):
            k = (a, normalise(t) or t)
            if k not in last or r > last[k]:
                last[k] = r
    return last


def _fold(session: Session, show_id: int, items: list[_Item], res: IngestResult) -> list[_Item]:
    """The same text from the same author within FOLD_SECONDS is one comment (also across batches)."""
    fresh = sorted(items, key=lambda it: it.at)
    last = _last_said(session, show_id, fresh)
    kept = []
    for it in fresh:
        it.norm = normalise(it.text) or it.text
        if it.author:
            k = (it.author, it.norm)
            prev = last.get(k)
            last[k] = it.at
            if prev is not None and abs((it.at - prev).total_seconds()) <= FOLD_SECONDS:
                res.folded += 1
                continue
        kept.append(it)
    return kept


# ---------------------------------------------------------------- 3. classify and match


def _match(matcher, kept: list[_Item]) -> tuple[list[GroupRef], dict[int, tuple[GroupRef, str]]]:
    """Each comment joins an open group of its category, or starts a new one (returned first).
    A group whose category is a tentative reading takes the category and wording of the first
    sure question that joins it (returned second: stored groups, id → (group, old category))."""
    new_groups: list[GroupRef] = []
    firmed: dict[int, tuple[GroupRef, str]] = {}
    for it in kept:
        a = analyse(it.text)
        sig = matcher.focused(signature(it.text))
        asked = asks(it.text, a.q, sig)
        g = matcher.match(a.category, sig, asks=asked)
        if g is None:
            g = GroupRef(None, a.category, sig, it.text, tentative=tentative(a.category, it.text))
            new_groups.append(g)
            matcher.add(a.category, sig, g, asks=asked)
        elif sure(a) and _is_tentative(g):
            if g.id is not None:
                firmed.setdefault(g.id, (g, g.category))
            g.category, g.text, g.tentative = a.category, it.text, False
        it.analysis, it.group = a, g
    return new_groups, firmed


def _is_tentative(g: GroupRef) -> bool:
    if g.tentative is None:  # a stored group: read its wording once
        g.tentative = bool(g.text) and tentative(g.category, g.text)
    return g.tentative


def _firm_up(session: Session, firmed: dict[int, tuple[GroupRef, str]]) -> None:
    """Stored groups that took a sure question's reading: the group and its comments so far move
    to that category (question to question: no chatter tally changes). Conditional on the old
    category: an operator's 改类别 committed meanwhile wins, and this batch follows it."""
    for gid, (g, old) in firmed.items():
        moved = session.execute(
            update(QuestionGroup)
            .where(QuestionGroup.id == gid, QuestionGroup.category == old)
            .values(category=g.category, text=g.text)
        ).rowcount
        if moved:
            session.execute(
                update(Comment).where(Comment.group_id == gid, Comment.category == old).values(category=g.category)
            )
        else:
            g.category = session.scalar(select(QuestionGroup.category).where(QuestionGroup.id == gid))
            g.tentative = False


# ---------------------------------------------------------------- 4. per-group tallies


def _asked_before(session: Session, kept: list[_Item]) -> set[tuple[int, str]]:
    """(group id, author) pairs already stored for the existing groups this batch touches."""
    db_ids = sorted({it.group.id for it in kept if it.group.id is not None})
    authors = sorted({it.author for it in kept if it.author})
    pairs: set[tuple[int, str]] = set()
    for gchunk in chunks(db_ids, 500):
        for achunk in chunks(authors):
            for gid, author in session.execute(
                select(Comment.group_id, Comment.author)
                .where(Comment.group_id.in_(gchunk), Comment.author.in_(achunk))
                .distinct()
            ):
                pairs.add((gid, author))
    return pairs


def _group_tallies(session: Session, kept: list[_Item]) -> dict[int, _GroupTally]:
    """Comments, distinct askers and first / last time per group (keyed by id() of its GroupRef)."""
    pairs = _asked_before(session, kept)
    tally: dict[int, _GroupTally] = {}
    seen: set[tuple[int, str]] = set()
    for it in kept:
        g = it.group
        if not it.author:
            new_asker = True  # anonymous lines: each one counts as an asker
        else:
            new_asker = (id(g), it.author) not in seen and (g.id is None or (g.id, it.author) not in pairs)
        tally.setdefault(id(g), _GroupTally()).add(it.at, new_asker)
        seen.add((id(g), it.author))
    return tally


# ---------------------------------------------------------------- 5. insert


def _insert_groups(session: Session, show_id: int, new_groups: list[GroupRef], tally: dict[int, _GroupTally]) -> None:
    """Insert the new groups; their ids come back in order."""
    if not new_groups:
        return
    rows = []
    for g in new_groups:
        t = tally[id(g)]
        rows.append(
            {
                "show_id": show_id, "category": g.category, "signature": g.signature, "text": g.text,
                "status": QuestionStatus.NEW, "comments": t.comments, "askers": t.askers,
                "first_seen": t.first, "last_seen": t.last, "answer": "",
            }
        )
    new_ids = session.scalars(insert(QuestionGroup).returning(QuestionGroup.id, sort_by_parameter_order=True), rows).all()
    for g, gid in zip(new_groups, new_ids):
        g.id = gid


_COMMENT_COLUMNS = ("show_id", "author", "text", "received_at", "category", "group_id", "source", "client_key")


def _comment_row(show_id: int, it: _Item, source: str) -> dict:
    return {
        "show_id": show_id, "author": it.author, "text": it.text, "received_at": it.at,
        "category": it.group.category, "group_id": it.group.id, "source": source, "client_key": it.key,
    }


def _insert_comments(session: Session, rows: list[dict]) -> None:
    """Bulk insert in the session's transaction: COPY on PostgreSQL (one stream instead of one
    statement per row), a Core executemany on SQLite."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY comment ({', '.join(_COMMENT_COLUMNS)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(tuple(r[c] for c in _COMMENT_COLUMNS))
        return
    conn.execute(insert(Comment.__table__), rows)


# ---------------------------------------------------------------- 6. bump tallies


def _bump_groups(session: Session, touched: list[GroupRef], tally: dict[int, _GroupTally]) -> None:
    """Existing groups: increments, never absolute values (no lost update)."""
    if not touched:
        return
    t = QuestionGroup.__table__
    stmt = (
        update(t)
        .where(t.c.id == bindparam("g_id"))
        .values(
            comments=t.c.comments + bindparam("g_comments"),
            askers=t.c.askers + bindparam("g_askers"),
            first_seen=case((t.c.first_seen > bindparam("g_first"), bindparam("g_first")), else_=t.c.first_seen),
            last_seen=case((t.c.last_seen < bindparam("g_last"), bindparam("g_last")), else_=t.c.last_seen),
        )
    )
    params = []
    for g in touched:
        r = tally[id(g)]
        params.append({"g_id": g.id, "g_comments": r.comments, "g_askers": r.askers, "g_first": r.first, "g_last": r.last})
    session.connection().execute(stmt, params)


def _reopen(session: Session, touched: list[GroupRef]) -> int:
    """Answered groups a comment of this batch joined go back to the queue (new), answer kept."""
    ids = [g.id for g in touched if g.status == QuestionStatus.ANSWERED]
    if ids:
        session.execute(
            update(QuestionGroup)
            .where(QuestionGroup.id.in_(ids), QuestionGroup.status == QuestionStatus.ANSWERED)
            .values(status=QuestionStatus.NEW)
        )
        for g in touched:
            g.status = QuestionStatus.NEW
    return len(ids)


def _bump_show(session: Session, show_id: int, kept: list[_Item]) -> int:
    """Show tallies: comments, chatter, commenters (+ ShowCommenter), per-minute rows.
    Returns the batch's chatter count."""
    chatter = sum(1 for it in kept if it.group.category == Category.CHATTER)
    new_authors = _bump_commenters(session, show_id, Counter(it.author for it in kept if it.author))
    session.execute(
        update(Show)
        .where(Show.id == show_id)
        .values(
            comments_total=Show.comments_total + len(kept),
            chatter_total=Show.chatter_total + chatter,
            commenters=Show.commenters + new_authors,
        )
    )
    minutes: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0])
    for it in kept:
        m = minutes[clock.minute(it.at)]
        m[0] += 1
        if it.group.category != Category.CHATTER:
            m[1] += 1
        if it.analysis.order_intent or it.group.category == Category.ORDER:
            m[2] += 1
    _bump_minutes(session, show_id, minutes)
    return chatter


def _bump_minutes(session: Session, show_id: int, minutes: dict[datetime, list[int]]) -> None:
    """ShowMinute comments/questions/order_intent for every minute of the batch in one upsert."""
    if not minutes:
        return
    t = ShowMinute.__table__
    stmt = upsert_insert(session, ShowMinute).values(
        [
            {"show_id": show_id, "minute": m, "comments": n, "questions": q, "order_intent": o, "entries": 0}
            for m, (n, q, o) in sorted(minutes.items())
        ]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["show_id", "minute"],
        set_={k: t.c[k] + stmt.excluded[k] for k in ("comments", "questions", "order_intent")},
    )
    session.execute(stmt)


def _bump_commenters(session: Session, show_id: int, per_author: Counter) -> int:
    """Upsert ShowCommenter rows (one executemany); returns how many authors are new to the show.

    New authors are the ones no row existed for, read just before the upsert; exact because
    ingest holds the show's row lock for the whole batch."""
    if not per_author:
        return 0
    names = sorted(per_author)
    have: set[str] = set()
    for chunk in chunks(names):
        have.update(
            session.scalars(
                select(ShowCommenter.author).where(ShowCommenter.show_id == show_id, ShowCommenter.author.in_(chunk))
            )
        )
    t = ShowCommenter.__table__
    stmt = upsert_insert(session, ShowCommenter).values(
        show_id=bindparam("c_show"), author=bindparam("c_author"), comments=bindparam("c_n")
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["show_id", "author"], set_={"comments": t.c.comments + stmt.excluded.comments}
    )
    session.connection().execute(stmt, [{"c_show": show_id, "c_author": a, "c_n": per_author[a]} for a in names])
    return len(set(names) - have)


# ---------------------------------------------------------------- 7. log


def _log(session: Session, actor: Actor, show_id: int, now: datetime, source: str, res: IngestResult) -> tuple:
    """One event for the batch; returns the fingerprint that keeps this process's matcher valid."""
    nonce = uuid.uuid4().hex[:16]
    ev = events.record(
        session, "comments.ingested", show_id, actor, at=now, source=source,
        received=res.received, inserted=res.inserted, questions=res.questions, chatter=res.chatter,
        folded=res.folded, duplicates=res.duplicates, new_groups=res.new_groups, reopened=res.reopened,
        batch=nonce,
    )
    return (ev.id, nonce)


# ---------------------------------------------------------------- entry points for the console


def ingest_text(
    session: Session, actor: Actor, show_id: int, text: str, source: str = "paste", at: datetime | None = None
) -> IngestResult:
    """A pasted block (one comment per line, optional '昵称：内容') straight into the show."""
    comments = parse_comment_lines(text)
    if not comments:
        raise InvalidInput("没有可导入的评论：请每行粘贴一条。", "评论")
    return ingest(session, actor, show_id, comments, source=source, at=at)


def ingest_file(
    session: Session, actor: Actor, show_id: int, data: bytes, filename: str, at: datetime | None = None
) -> IngestResult:
    """A CSV / JSONL file of comments (see parse_comment_file); times default to the show's day."""
    show = get_show(session, show_id)
    day = show.actual_start or show.scheduled_start
    return ingest(session, actor, show_id, parse_comment_file(data, filename, default_day=day), source="import", at=at)
