"""Viewer question triage: intake, chatter filter, categories, merged duplicates, a ranked queue.

Contract (docs/contracts.md, issue 5):
    CATEGORIES, CATEGORY_LABELS, classify(text), group(texts)
    CommentIn, parse_comment_lines(text), ingest(session, actor, show_id, comments, source)
    queue(session, show_id, include_chatter=False, limit=50), open_count(session, show_id)
    to_host, answer(..., text=""), dismiss, merge(session, actor, keep_id, other_id),
    recategorize(session, actor, group_id, category), undo(session, actor, show_id)
    top_to_host(session, show_id, n=3)

The rules (classify, signatures, paraphrase matching) live in services/triage_rules.py and the
operator-editable vocabulary in services/lexicon.py (+ services/data/lexicon.json).

Ingest keeps everything a batch needs in memory (the show's open groups, a Matcher), inserts
comments and new groups in bulk and updates every tally in the same transaction with a handful
of statements; it logs ONE event per batch. The same text from the same author within
FOLD_SECONDS is folded into one comment; a comment whose client_key the show already has is
skipped, so a retried batch is a no-op.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import statistics
import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import bindparam, case, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import Comment, Event, QuestionGroup, Show, ShowCommenter, ShowMinute
from services import clock, events, lexicon, locking, tallies
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState, NotFound, TooLarge, check_paste_size
from services.shows import get_show
from services.triage_rules import (  # noqa: F401  (re-exported: the contract names)
    CATEGORIES,
    CATEGORY_LABELS,
    Analysis,
    Matcher,
    analyse,
    classify,
    group,
    normalise,
    signature,
)

QUESTION_CATEGORIES = tuple(c for c in CATEGORIES if c != "chatter")
STATUSES = ("new", "to_host", "answered", "dismissed")
STATUS_LABELS = {"new": "待处理", "to_host": "已转主播", "answered": "已回复", "dismissed": "已忽略"}
OPEN_STATUSES = ("new", "to_host")
SOURCES = ("manual", "paste", "import", "pipe", "simulator")
SOURCE_LABELS = {"manual": "手动", "paste": "粘贴", "import": "文件导入", "pipe": "采集管道", "simulator": "模拟"}
FOLD_SECONDS = 10
MAX_TEXT = 500
MAX_AUTHOR = 100
MAX_FILE_BYTES = 20_000_000
OPEN_GROUPS_IN_MEMORY = 5000  # newest open groups a batch matches against
CATEGORY_BOOST = {"authenticity": 3.0, "after_sales": 3.0, "chatter": -100.0}

REPLY_TEMPLATES = {
    "authenticity": "感谢关心！有机认证证书和检测报告已发在群公告，证书编号可在认证机构官网查询，主播稍后在镜头前再展示一次。",
    "after_sales": "收到有问题的商品请拍照发群里@助手，我们核实后补发或退款，不用寄回。",
    "delivery": "成团后次日统一配送到小区自提点，到货后群里通知取货时间。",
    "price": "今晚直播间团购价以接龙文案为准，前面下单的还有额外福利哦～",
    "order": "接龙已发在群里，复制后在最后一行加上 序号+昵称+份数 即可下单。",
    "product": "规格、保质期和吃法都写在接龙文案里，主播马上再讲一遍。",
    "other_question": "感谢提问，助手稍后在群里单独回复您～",
    "chatter": "谢谢支持！",
}

ACTION_KINDS = (
    "question.to_host",
    "question.answered",
    "question.dismissed",
    "question.merged",
    "question.recategorized",
)
UNDO_KIND = "question.undone"


# --- intake ----------------------------------------------------------------------------------


@dataclass
class CommentIn:
    """One comment to ingest. `at` None = received now; client_key makes a retry idempotent."""

    author: str
    text: str
    at: datetime | None = None
    client_key: str | None = None


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
    group_ids: list[int] = field(default_factory=list)  # group of each inserted comment, in order

    def summary(self) -> str:
        parts = [f"收到 {self.received} 条，新增 {self.inserted} 条（提问 {self.questions}，闲聊 {self.chatter}）"]
        if self.folded:
            parts.append(f"合并重复刷屏 {self.folded} 条")
        if self.duplicates:
            parts.append(f"跳过已导入 {self.duplicates} 条")
        if self.empty:
            parts.append(f"忽略空行 {self.empty} 条")
        return "，".join(parts) + "。"


def parse_at(value: Any, default_day: datetime | None = None) -> datetime | None:
    """A comment time: datetime, ISO text, 'HH:MM[:SS]' (on default_day), or epoch seconds/ms.

    Aware times are converted to APP_TZ and stored naive, like every time in the app."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        secs = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(secs, clock.tz()).replace(tzinfo=None, microsecond=0)
    else:
        raw = str(value).strip()
        if raw.replace(".", "", 1).isdigit() and len(raw) >= 9:
            return parse_at(float(raw))
        if len(raw) <= 8 and raw.count(":") in (1, 2):
            try:
                parts = [int(x) for x in raw.split(":")]
            except ValueError:
                raise InvalidInput(f"无法识别的时间：{raw}", "时间") from None
            day = default_day or clock.now()
            try:
                return day.replace(hour=parts[0], minute=parts[1], second=parts[2] if len(parts) > 2 else 0, microsecond=0)
            except ValueError:
                raise InvalidInput(f"无法识别的时间：{raw}", "时间") from None
        try:
            dt = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("/", "-"))
        except ValueError:
            raise InvalidInput(f"无法识别的时间：{raw}（请用 2026-01-06 20:15:03 这样的格式）", "时间") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(clock.tz()).replace(tzinfo=None)
    return dt.replace(microsecond=0)


def natural_key(author: str, text: str, at: datetime | None) -> str | None:
    """A client_key for imported lines that carry a time: re-importing the same file is a no-op."""
    if at is None:
        return None
    raw = f"{author.strip()}\x1f{text.strip()}\x1f{at.isoformat(sep=' ')}"
    return "n:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:40]


_NAME_SEPARATORS = ("：", ":")


def split_author(line: str) -> tuple[str, str]:
    """'昵称：内容' → (昵称, 内容); a line without a plausible nickname → ("", line)."""
    for sep in _NAME_SEPARATORS:
        head, found, tail = line.partition(sep)
        if not found:
            continue
        head, tail = head.strip(), tail.strip()
        if 1 <= len(head) <= 20 and tail and not head.replace(" ", "").isdigit() and not head.lower().endswith(("http", "https")):
            return head, tail
    return "", line.strip()


def parse_comment_lines(text: str) -> list[CommentIn]:
    """A pasted block: one comment per line, optionally '昵称：内容'. Blank lines are skipped."""
    check_paste_size(text or "")
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        author, body = split_author(line)
        if body:
            out.append(CommentIn(author=author, text=body))
    return out


_AUTHOR_KEYS = ("author", "nickname", "nick", "name", "user", "昵称", "用户", "用户名", "作者", "观众")
_TEXT_KEYS = ("text", "content", "comment", "message", "msg", "内容", "评论", "弹幕", "留言")
_AT_KEYS = ("at", "time", "timestamp", "ts", "created_at", "时间", "发送时间")
_KEY_KEYS = ("client_key", "id", "msg_id", "key")


def _pick(obj: dict, keys: Iterable[str]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in obj.items()}
    for k in keys:
        if k in lowered and lowered[k] not in (None, ""):
            return lowered[k]
    return None


def comment_from_obj(obj: Any, default_day: datetime | None = None) -> CommentIn:
    """One JSON object / CSV row (author, text, at, client_key; Chinese headers too) → CommentIn."""
    if not isinstance(obj, dict):
        raise InvalidInput("每一行须为一个 JSON 对象，如 {\"author\": \"张姐\", \"text\": \"运费多少\"}。")
    text = _pick(obj, _TEXT_KEYS)
    if text is None or not str(text).strip():
        raise InvalidInput("缺少评论内容（text / 内容）。", "内容")
    author = str(_pick(obj, _AUTHOR_KEYS) or "").strip()
    at = parse_at(_pick(obj, _AT_KEYS), default_day)
    key = _pick(obj, _KEY_KEYS)
    text = str(text).strip()
    return CommentIn(author=author, text=text, at=at, client_key=str(key)[:64] if key is not None else natural_key(author, text, at))


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("文件编码无法识别，请另存为 UTF-8 后再导入。", "文件")


def parse_jsonl(text: str, default_day: datetime | None = None) -> tuple[list[CommentIn], list[str]]:
    """JSON Lines → (comments, errors as '第 N 行：…'); bad lines are reported, not fatal."""
    out, errors = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(comment_from_obj(json.loads(line), default_day))
        except json.JSONDecodeError:
            errors.append(f"第 {n} 行：不是合法的 JSON。")
        except InvalidInput as exc:
            errors.append(f"第 {n} 行：{exc}")
    return out, errors


def parse_comment_file(data: bytes, filename: str, default_day: datetime | None = None) -> list[CommentIn]:
    """A CSV (header: 昵称/author, 内容/text, 时间/at) or JSONL file of comments.

    Any bad line raises InvalidInput naming the first lines, and nothing is imported."""
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(f"文件过大（{len(data) / 1_000_000:.1f} MB），单个文件最多 20 MB，请拆分后导入。")
    text = _decode(data)
    name = (filename or "").lower()
    if name.endswith((".jsonl", ".ndjson", ".json")) or text.lstrip().startswith("{"):
        out, errors = parse_jsonl(text, default_day)
    else:
        out, errors = [], []
        reader = csv.DictReader(io.StringIO(text))
        fields = [str(f or "").strip().lower() for f in reader.fieldnames or []]
        if not any(f in _TEXT_KEYS for f in fields):
            raise InvalidInput("CSV 第一行须为表头，并包含「内容」或 text 列（可选「昵称」「时间」列）。", "文件")
        for n, row in enumerate(reader, 2):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            try:
                out.append(comment_from_obj(row, default_day))
            except InvalidInput as exc:
                errors.append(f"第 {n} 行：{exc}")
    if errors:
        more = f"等 {len(errors)} 处" if len(errors) > 3 else ""
        raise InvalidInput("文件有无法识别的行，未导入：" + "；".join(errors[:3]) + more, "文件")
    if not out:
        raise InvalidInput("文件里没有评论。", "文件")
    return out


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


# --- ingest ----------------------------------------------------------------------------------


def _chunks(seq: list, n: int = 900):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


_PG_KNOWN_KEYS = text(
    "SELECT c.client_key FROM unnest(CAST(:keys AS varchar[])) AS k(key) "
    "JOIN comment c ON c.show_id = :show_id AND c.client_key = k.key"
)


def _known_keys(session: Session, show_id: int, keys: list[str]) -> set[str]:
    """The client_keys the show already has. On PostgreSQL a join against unnest(keys), which
    uses the (show_id, client_key) unique index or a hash join; `IN (…)` there degrades to
    comparing every comment of the show with every key while the table's statistics are young."""
    found: set[str] = set()
    pg = session.get_bind().dialect.name == "postgresql"
    for chunk in _chunks(keys, 5000 if pg else 900):
        if pg:
            found.update(session.scalars(_PG_KNOWN_KEYS, {"keys": chunk, "show_id": show_id}))
        else:
            found.update(
                session.scalars(select(Comment.client_key).where(Comment.show_id == show_id, Comment.client_key.in_(chunk)))
            )
    return found


def _dialect_insert(session: Session, model):
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(model)


@dataclass
class _Item:
    author: str
    text: str
    at: datetime
    key: str | None
    norm: str = ""
    analysis: Analysis | None = None
    group: Any = None


class _G:
    """One question group as the matcher knows it (id None until inserted)."""

    __slots__ = ("id", "category", "signature", "text")

    def __init__(self, gid: int | None, category: str, sig: str, text: str = "") -> None:
        self.id, self.category, self.signature, self.text = gid, category, sig, text


@dataclass
class _MatcherCache:
    """A show's open groups in a Matcher. It stays valid while the show's newest event is the
    one this process logged for its own last batch (identified by a random nonce): any queue
    action, any other writer, a rolled-back batch or a wiped database all make it stale, and
    the next batch rebuilds it from the database."""

    key: tuple
    matcher: Matcher
    fingerprint: tuple = ()
    lexicon_version: tuple = ()


_MATCHERS: dict[tuple, _MatcherCache] = {}
_MATCHERS_LOCK = threading.Lock()
_MAX_CACHED_SHOWS = 8


def _fingerprint(session: Session, show_id: int) -> tuple:
    row = session.execute(
        select(Event.id, Event.kind, Event.payload).where(Event.show_id == show_id).order_by(Event.id.desc()).limit(1)
    ).first()
    if row is None or row.kind != "comments.ingested":
        return ()
    return (row.id, (row.payload or {}).get("batch"))


def _matcher_for(session: Session, show_id: int) -> _MatcherCache:
    """The show's cached matcher if still valid, else one rebuilt from the open groups.

    The entry is taken out of the cache for the duration of the batch (and put back by
    `_release_matcher` once the batch is logged), so two concurrent batches in one process never
    share a matcher: the second one simply rebuilds its own from the database."""
    key = (str(session.get_bind().url), show_id)
    lex_version = lexicon.active().version
    with _MATCHERS_LOCK:
        cache = _MATCHERS.pop(key, None)
    if cache is not None and cache.fingerprint and cache.lexicon_version == lex_version:
        if cache.fingerprint == _fingerprint(session, show_id):
            return cache
    matcher = Matcher()
    open_groups = session.execute(
        select(QuestionGroup.id, QuestionGroup.category, QuestionGroup.signature)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_(OPEN_STATUSES),
            QuestionGroup.merged_into_id.is_(None),
        )
        .order_by(QuestionGroup.last_seen.desc(), QuestionGroup.id.desc())
        .limit(OPEN_GROUPS_IN_MEMORY)
    ).all()
    for gid, cat, sig in reversed(open_groups):
        matcher.add(cat, sig, _G(gid, cat, sig))
    return _MatcherCache(key, matcher, lexicon_version=lex_version)


def _release_matcher(cache: _MatcherCache) -> None:
    with _MATCHERS_LOCK:
        if len(_MATCHERS) >= _MAX_CACHED_SHOWS:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        _MATCHERS[cache.key] = cache


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

    # 1. clean, drop client_key duplicates
    items: list[_Item] = []
    for c in comments:
        text = str(c.text or "").strip()[:MAX_TEXT]
        if not text:
            res.empty += 1
            continue
        if c.at is None:
            when = now
        elif isinstance(c.at, datetime) and c.at.tzinfo is None:
            when = c.at
        else:
            when = parse_at(c.at)
        key = str(c.client_key)[:64] if c.client_key else None
        items.append(_Item(str(c.author or "").strip()[:MAX_AUTHOR], text, when or now, key))
    keys = list({it.key for it in items if it.key})
    known: set[str] = set()
    known.update(_known_keys(session, show_id, keys))
    fresh: list[_Item] = []
    for it in items:
        if it.key and it.key in known:
            res.duplicates += 1
            continue
        if it.key:
            known.add(it.key)
        fresh.append(it)

    # 2. fold the same text from the same author within FOLD_SECONDS (also across batches)
    fresh.sort(key=lambda it: it.at)
    last: dict[tuple[str, str], datetime] = {}
    authors = sorted({it.author for it in fresh if it.author})
    if fresh and authors:
        lo = fresh[0].at - timedelta(seconds=FOLD_SECONDS)
        hi = fresh[-1].at + timedelta(seconds=FOLD_SECONDS)
        for chunk in _chunks(authors):
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
    kept: list[_Item] = []
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
    if not kept:
        return res

    # 3. classify and match against the show's open groups (held in memory, reused across batches)
    cache = _matcher_for(session, show_id)
    matcher = cache.matcher
    new_groups: list[_G] = []
    for it in kept:
        a = analyse(it.text)
        sig = signature(it.text)
        g = matcher.match(a.category, sig)
        if g is None:
            g = _G(None, a.category, sig, it.text)
            new_groups.append(g)
            matcher.add(a.category, sig, g)
        it.analysis, it.group = a, g

    # 4. per-group tallies (distinct askers: which of this batch's authors already asked)
    touched = {id(it.group): it.group for it in kept if it.group.id is not None}
    db_ids = sorted(g.id for g in touched.values())
    authors = sorted({it.author for it in kept if it.author})
    pairs: set[tuple[int | None, str]] = set()
    for gchunk in _chunks(db_ids, 500):
        for achunk in _chunks(authors):
            for gid, author in session.execute(
                select(Comment.group_id, Comment.author)
                .where(Comment.group_id.in_(gchunk), Comment.author.in_(achunk))
                .distinct()
            ):
                pairs.add((gid, author))
    agg: dict[int, dict] = {}
    seen: set[tuple[int, str]] = set()
    for it in kept:
        g = it.group
        row = agg.setdefault(id(g), {"comments": 0, "askers": 0, "first": it.at, "last": it.at})
        row["comments"] += 1
        row["first"] = min(row["first"], it.at)
        row["last"] = max(row["last"], it.at)
        if not it.author:
            row["askers"] += 1  # anonymous lines: each one counts as an asker
        elif (id(g), it.author) not in seen and (g.id is None or (g.id, it.author) not in pairs):
            row["askers"] += 1
        seen.add((id(g), it.author))

    # 5. insert the new groups (ids back in order), then the comments. If anything fails the
    #    matcher is simply not put back (its new groups may point at nothing).
    if new_groups:
        rows = []
        for g in new_groups:
            r = agg[id(g)]
            rows.append(
                {
                    "show_id": show_id, "category": g.category, "signature": g.signature, "text": g.text,
                    "status": "new", "comments": r["comments"], "askers": r["askers"],
                    "first_seen": r["first"], "last_seen": r["last"], "answer": "",
                }
            )
        new_ids = session.scalars(
            insert(QuestionGroup).returning(QuestionGroup.id, sort_by_parameter_order=True), rows
        ).all()
        for g, gid in zip(new_groups, new_ids):
            g.id = gid
    rows = [
        {
            "show_id": show_id,
            "author": it.author,
            "text": it.text,
            "received_at": it.at,
            "category": it.group.category,
            "group_id": it.group.id,
            "source": source,
            "client_key": it.key,
        }
        for it in kept
    ]
    _insert_comments(session, rows)

    # 6. existing groups: increments, never absolute values (no lost update)
    if db_ids:
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
        for g in touched.values():
            r = agg[id(g)]
            params.append(
                {"g_id": g.id, "g_comments": r["comments"], "g_askers": r["askers"], "g_first": r["first"], "g_last": r["last"]}
            )
        session.connection().execute(stmt, params)

    # 7. show tallies: comments, chatter, commenters (+ ShowCommenter), per-minute rows
    chatter = sum(1 for it in kept if it.group.category == "chatter")
    per_author = Counter(it.author for it in kept if it.author)
    new_authors = _bump_commenters(session, show_id, per_author)
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
        if it.group.category != "chatter":
            m[1] += 1
        if it.analysis.order_intent or it.group.category == "order":
            m[2] += 1
    _bump_minutes(session, show_id, minutes)

    res.inserted = len(kept)
    res.chatter = chatter
    res.questions = len(kept) - chatter
    res.new_groups = len(new_groups)
    res.group_ids = [it.group.id for it in kept]
    nonce = uuid.uuid4().hex[:16]
    ev = events.record(
        session,
        "comments.ingested",
        show_id,
        actor,
        at=now,
        source=source,
        received=res.received,
        inserted=res.inserted,
        questions=res.questions,
        chatter=res.chatter,
        folded=res.folded,
        duplicates=res.duplicates,
        new_groups=res.new_groups,
        batch=nonce,
    )
    cache.fingerprint = (ev.id, nonce)
    _release_matcher(cache)
    return res


_COMMENT_COLUMNS = ("show_id", "author", "text", "received_at", "category", "group_id", "source", "client_key")


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


def _bump_minutes(session: Session, show_id: int, minutes: dict[datetime, list[int]]) -> None:
    """ShowMinute comments/questions/order_intent for every minute of the batch in one upsert."""
    if not minutes:
        return
    t = ShowMinute.__table__
    stmt = _dialect_insert(session, ShowMinute).values(
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
    for chunk in _chunks(names):
        have.update(
            session.scalars(
                select(ShowCommenter.author).where(ShowCommenter.show_id == show_id, ShowCommenter.author.in_(chunk))
            )
        )
    t = ShowCommenter.__table__
    stmt = _dialect_insert(session, ShowCommenter).values(
        show_id=bindparam("c_show"), author=bindparam("c_author"), comments=bindparam("c_n")
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["show_id", "author"], set_={"comments": t.c.comments + stmt.excluded.comments}
    )
    session.connection().execute(stmt, [{"c_show": show_id, "c_author": a, "c_n": per_author[a]} for a in names])
    return len(set(names) - have)


# --- the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    id: int
    category: str
    category_label: str
    status: str
    status_label: str
    text: str
    comments: int
    askers: int
    first_seen: datetime
    last_seen: datetime
    to_host_at: datetime | None
    answered_at: datetime | None
    answer: str
    response_s: int | None  # first seen → answered, seconds
    score: float


def _row(g: QuestionGroup, score: float = 0.0) -> GroupRow:
    response = int((g.answered_at - g.first_seen).total_seconds()) if g.answered_at and g.first_seen else None
    return GroupRow(
        id=g.id,
        category=g.category,
        category_label=CATEGORY_LABELS.get(g.category, g.category),
        status=g.status,
        status_label=STATUS_LABELS.get(g.status, g.status),
        text=g.text,
        comments=g.comments,
        askers=g.askers,
        first_seen=g.first_seen,
        last_seen=g.last_seen,
        to_host_at=g.to_host_at,
        answered_at=g.answered_at,
        answer=g.answer or "",
        response_s=response,
        score=round(score, 2),
    )


def rank(groups: list[QuestionGroup]) -> list[GroupRow]:
    """Distinct askers + recency bonus (asked in the last 2 min: +2, last 10 min: +1) + category
    boost (authenticity and after-sales +3: trust before selling); ties: most recent first."""
    if not groups:
        return []
    ref = max(g.last_seen for g in groups)
    scored = []
    for g in groups:
        age = (ref - g.last_seen).total_seconds()
        recency = 2.0 if age <= 120 else 1.0 if age <= 600 else 0.0
        score = g.askers + recency + CATEGORY_BOOST.get(g.category, 0.0)
        scored.append((score, g))
    scored.sort(key=lambda sg: (-sg[0], -sg[1].last_seen.timestamp(), -sg[1].id))
    return [_row(g, s) for s, g in scored]


def _window(session: Session, show_id: int, statuses: Iterable[str], include_chatter: bool, limit: int):
    q = (
        select(QuestionGroup)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_(tuple(statuses)),
            QuestionGroup.merged_into_id.is_(None),
        )
        .order_by(QuestionGroup.last_seen.desc(), QuestionGroup.id.desc())
        .limit(limit)
    )
    if not include_chatter:
        q = q.where(QuestionGroup.category != "chatter")
    return list(session.scalars(q))


def queue(
    session: Session,
    show_id: int,
    include_chatter: bool = False,
    limit: int = 50,
    statuses: Iterable[str] = OPEN_STATUSES,
) -> list[GroupRow]:
    """The open question groups of a show, ranked (see `rank`); chatter only when asked for.

    Ranks the 300 (or 4×limit) most recently active groups: a question nobody repeated for that
    long has dropped out of the live conversation anyway."""
    window = _window(session, show_id, statuses, include_chatter, max(300, 4 * limit))
    return rank(window)[:limit]


def history(session: Session, show_id: int, limit: int = 50) -> list[GroupRow]:
    """Answered and dismissed groups, most recent first (the console's 已处理 list)."""
    q = (
        select(QuestionGroup)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_(("answered", "dismissed")),
            QuestionGroup.merged_into_id.is_(None),
        )
        .order_by(func.coalesce(QuestionGroup.answered_at, QuestionGroup.last_seen).desc(), QuestionGroup.id.desc())
        .limit(limit)
    )
    return [_row(g) for g in session.scalars(q)]


def open_count(session: Session, show_id: int) -> int:
    """Question groups still waiting (待处理 + 已转主播), chatter excluded."""
    return session.scalar(
        select(func.count())
        .select_from(QuestionGroup)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_(OPEN_STATUSES),
            QuestionGroup.merged_into_id.is_(None),
            QuestionGroup.category != "chatter",
        )
    ) or 0


def chatter_count(session: Session, show_id: int) -> int:
    """Chatter comments of the show (a tally column)."""
    return session.scalar(select(Show.chatter_total).where(Show.id == show_id)) or 0


def top_to_host(session: Session, show_id: int, n: int = 3) -> list[GroupRow]:
    """The n highest-ranked groups passed to the host (read by the host screen)."""
    return rank(_window(session, show_id, ("to_host",), True, max(100, 4 * n)))[:n]


def get_group(session: Session, group_id: int) -> QuestionGroup:
    g = session.get(QuestionGroup, group_id)
    if g is None:
        raise NotFound(f"找不到编号为 {group_id} 的问题组。")
    return g


def group_comments(session: Session, group_id: int, limit: int = 20) -> list[dict]:
    """The newest comments of a group (author, text, time) to show under its row."""
    q = (
        select(Comment.author, Comment.text, Comment.received_at)
        .where(Comment.group_id == group_id)
        .order_by(Comment.received_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return [{"author": a or "匿名", "text": t, "at": r} for a, t, r in session.execute(q)]


def response_stats(session: Session, show_id: int) -> dict[str, Any]:
    """Answered groups and their response times (first seen → answered), in seconds."""
    rows = session.execute(
        select(QuestionGroup.first_seen, QuestionGroup.answered_at).where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status == "answered",
            QuestionGroup.answered_at.is_not(None),
            QuestionGroup.merged_into_id.is_(None),
        )
    ).all()
    secs = sorted(max(0, int((a - f).total_seconds())) for f, a in rows)
    return {
        "answered": len(secs),
        "median_s": statistics.median(secs) if secs else None,
        "max_s": secs[-1] if secs else None,
    }


# --- actions (each one undoable) ----------------------------------------------------------------


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(sep=" ") if dt else None


def _dt(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def _state(g: QuestionGroup) -> dict[str, Any]:
    return {
        "status": g.status,
        "to_host_at": _iso(g.to_host_at),
        "answer": g.answer or "",
        "answered_at": _iso(g.answered_at),
        "answered_by": g.answered_by,
        "category": g.category,
    }


def _restore(g: QuestionGroup, state: dict[str, Any]) -> None:
    g.status = state["status"]
    g.to_host_at = _dt(state["to_host_at"])
    g.answer = state["answer"]
    g.answered_at = _dt(state["answered_at"])
    g.answered_by = state["answered_by"]


def _actionable(session: Session, group_id: int) -> QuestionGroup:
    """The group, locked so that two consoles acting at once see each other's action."""
    locking.lock(session, QuestionGroup, group_id)
    g = get_group(session, group_id)
    if g.merged_into_id is not None:
        raise InvalidState(f"该问题已合并到问题组 {g.merged_into_id}，请在那一组上操作。")
    return g


def to_host(session: Session, actor: Actor, group_id: int, at: datetime | None = None) -> QuestionGroup:
    """给主播: pass the question to the host's screen."""
    require(actor, "question.act")
    g = _actionable(session, group_id)
    if g.status == "to_host":
        raise InvalidState("该问题已转给主播。")
    if g.status == "answered":
        raise InvalidState("该问题已回复，无需再转给主播。")
    at = at or clock.now()
    prev = _state(g)
    g.status, g.to_host_at = "to_host", at
    events.record(session, "question.to_host", g.show_id, actor, at=at, group_id=g.id, prev=prev, text=g.text[:100])
    return g


def answer(session: Session, actor: Actor, group_id: int, text: str = "", at: datetime | None = None) -> QuestionGroup:
    """已回复: mark answered (optional reply text); response time = answered_at − first_seen."""
    require(actor, "question.act")
    g = _actionable(session, group_id)
    if g.status == "answered":
        raise InvalidState("该问题已回复。")
    text = (text or "").strip()
    if len(text) > 1000:
        raise InvalidInput("回复内容不超过 1000 字。", "回复内容")
    at = at or clock.now()
    prev = _state(g)
    g.status, g.answer, g.answered_at, g.answered_by = "answered", text, at, actor.id
    response = max(0, int((at - g.first_seen).total_seconds()))
    events.record(
        session, "question.answered", g.show_id, actor, at=at, group_id=g.id, prev=prev,
        answer=text, response_s=response, text=g.text[:100],
    )
    return g


def dismiss(session: Session, actor: Actor, group_id: int, at: datetime | None = None) -> QuestionGroup:
    """忽略: take the group off the queue (undo brings it back)."""
    require(actor, "question.act")
    g = _actionable(session, group_id)
    if g.status == "dismissed":
        raise InvalidState("该问题已忽略。")
    at = at or clock.now()
    prev = _state(g)
    g.status = "dismissed"
    events.record(session, "question.dismissed", g.show_id, actor, at=at, group_id=g.id, prev=prev, text=g.text[:100])
    return g


def _shift_questions(session: Session, show_id: int, times: list[datetime], to_chatter: bool) -> None:
    """Comments moved between chatter and a question category: fix chatter_total and the
    per-minute question counts (the comments' times are few: one group's)."""
    if not times:
        return
    sign = 1 if to_chatter else -1
    session.execute(update(Show).where(Show.id == show_id).values(chatter_total=Show.chatter_total + sign * len(times)))
    for minute, n in Counter(clock.minute(t) for t in times).items():
        tallies.bump_show_minute(session, show_id, minute, questions=-sign * n)


def _set_comment_category(session: Session, show_id: int, where, old: str, new: str) -> None:
    if old == new:
        return
    if (old == "chatter") != (new == "chatter"):
        times = list(session.scalars(select(Comment.received_at).where(where)))
        _shift_questions(session, show_id, times, to_chatter=new == "chatter")
    session.execute(update(Comment).where(where).values(category=new))


def recategorize(
    session: Session, actor: Actor, group_id: int, category: str, at: datetime | None = None
) -> QuestionGroup:
    """改类别: move the group (and its comments) to another category."""
    require(actor, "question.act")
    if category not in CATEGORIES:
        raise InvalidInput(f"未知类别：{category}", "类别")
    g = _actionable(session, group_id)
    if g.category == category:
        raise InvalidInput(f"该问题已是「{CATEGORY_LABELS[category]}」。", "类别")
    prev = _state(g)
    _set_comment_category(session, g.show_id, Comment.group_id == g.id, g.category, category)
    g.category = category
    events.record(
        session, "question.recategorized", g.show_id, actor, at=at or clock.now(), group_id=g.id,
        prev=prev, category=category, text=g.text[:100],
    )
    return g


def _recount(session: Session, g: QuestionGroup) -> None:
    """comments / askers / first_seen / last_seen of one group, recomputed in SQL (after a merge)."""
    session.flush()
    n, first, last = session.execute(
        select(func.count(), func.min(Comment.received_at), func.max(Comment.received_at)).where(Comment.group_id == g.id)
    ).one()
    named = session.scalar(
        select(func.count(func.distinct(Comment.author))).where(Comment.group_id == g.id, Comment.author != "")
    ) or 0
    anonymous = session.scalar(
        select(func.count()).select_from(Comment).where(Comment.group_id == g.id, Comment.author == "")
    ) or 0
    g.comments, g.askers = n or 0, named + anonymous
    if first is not None:
        g.first_seen, g.last_seen = first, last


def merge(session: Session, actor: Actor, keep_id: int, other_id: int, at: datetime | None = None) -> QuestionGroup:
    """合并: fold group `other_id` into `keep_id` (its comments move; keep's category wins)."""
    require(actor, "question.act")
    if keep_id == other_id:
        raise InvalidInput("请选择两个不同的问题组。", "合并")
    keep = _actionable(session, keep_id)
    other = _actionable(session, other_id)
    if keep.show_id != other.show_id:
        raise InvalidInput("只能合并同一场次的问题。", "合并")
    moved = list(session.scalars(select(Comment.id).where(Comment.group_id == other.id)))
    prev_keep = {"comments": keep.comments, "askers": keep.askers}
    where = Comment.group_id == other.id
    _set_comment_category(session, keep.show_id, where, other.category, keep.category)
    session.execute(update(Comment).where(where).values(group_id=keep.id))
    other.merged_into_id = keep.id
    _recount(session, keep)
    events.record(
        session, "question.merged", keep.show_id, actor, at=at or clock.now(), group_id=keep.id,
        other_id=other.id, moved=moved, prev_keep=prev_keep, other_category=other.category,
        text=keep.text[:100], other_text=other.text[:100],
    )
    return keep


def _last_action(session: Session, actor: Actor, show_id: int) -> Event | None:
    q = (
        select(Event)
        .where(Event.show_id == show_id, Event.kind.in_(ACTION_KINDS + (UNDO_KIND,)))
        .order_by(Event.id.desc())
        .limit(200)
    )
    if actor.id is not None:
        q = q.where(Event.operator_id == actor.id)
    else:
        q = q.where(Event.operator_id.is_(None))
    undone: set[int] = set()
    for ev in session.scalars(q):
        if ev.kind == UNDO_KIND:
            undone.add(int(ev.payload.get("undone_event_id", 0)))
        elif ev.id not in undone:
            return ev
    return None


def last_action_label(session: Session, actor: Actor, show_id: int) -> str | None:
    """What undo would revert, in Chinese (None: nothing to undo)."""
    ev = _last_action(session, actor, show_id)
    if ev is None:
        return None
    return f"{ACTION_LABELS[ev.kind]}「{(ev.payload.get('text') or '')[:20]}」"


ACTION_LABELS = {
    "question.to_host": "给主播",
    "question.answered": "已回复",
    "question.dismissed": "忽略",
    "question.merged": "合并",
    "question.recategorized": "改类别",
}
_RESULT_STATUS = {"question.to_host": "to_host", "question.answered": "answered", "question.dismissed": "dismissed"}


def undo(session: Session, actor: Actor, show_id: int, at: datetime | None = None) -> str:
    """Revert this operator's last queue action on the show (repeatable: goes further back).

    Refuses (InvalidState) when someone changed the group since, so an undo never overwrites
    a colleague's later action. Returns a Chinese description of what was undone."""
    require(actor, "question.act")
    ev = _last_action(session, actor, show_id)
    if ev is None:
        raise InvalidState("没有可撤销的操作。")
    p = ev.payload
    g = get_group(session, int(p["group_id"]))
    label = f"已撤销：{ACTION_LABELS[ev.kind]}「{(p.get('text') or '')[:20]}」"
    if ev.kind in _RESULT_STATUS:
        if g.status != _RESULT_STATUS[ev.kind] or g.merged_into_id is not None:
            raise InvalidState("该问题之后又被处理过，无法撤销这一步。")
        _restore(g, p["prev"])
    elif ev.kind == "question.recategorized":
        if g.category != p["category"] or g.merged_into_id is not None:
            raise InvalidState("该问题之后又被处理过，无法撤销这一步。")
        old = p["prev"]["category"]
        _set_comment_category(session, g.show_id, Comment.group_id == g.id, g.category, old)
        g.category = old
    elif ev.kind == "question.merged":
        other = get_group(session, int(p["other_id"]))
        if other.merged_into_id != g.id or g.merged_into_id is not None:
            raise InvalidState("合并之后问题组又有变动，无法撤销这一步。")
        moved = [int(i) for i in p.get("moved") or []]
        for chunk in _chunks(moved, 500):
            where = Comment.id.in_(chunk)
            _set_comment_category(session, g.show_id, where, g.category, p["other_category"])
            session.execute(update(Comment).where(where).values(group_id=other.id))
        other.merged_into_id = None
        # comments that joined `keep` after the merge stay there; both groups are recounted
        _recount(session, g)
        _recount(session, other)
    events.record(session, UNDO_KIND, show_id, actor, at=at or clock.now(), undone_event_id=ev.id, undone_kind=ev.kind, group_id=g.id)
    return label
