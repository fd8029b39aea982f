"""Comments as they arrive: one typed line, a pasted block (昵称：内容 per line), a CSV or
JSON Lines file, or an object from the capture pipe; and the comment's time in APP_TZ.

Pure parsing: nothing here touches the database (services.triage.intake stores what it returns).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from services import clock
from services.errors import InvalidInput, check_paste_size
from services.text import clean
from services.uploads import check_file_size, decode


@dataclass
class CommentIn:
    """One comment to ingest. `at` None = received now; client_key makes a retry idempotent."""

    author: str
    text: str
    at: datetime | None = None
    client_key: str | None = None


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
        line = clean(line)
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
    author = clean(_pick(obj, _AUTHOR_KEYS))
    at = parse_at(_pick(obj, _AT_KEYS), default_day)
    key = _pick(obj, _KEY_KEYS)
    text = clean(text)
    if not text:
        raise InvalidInput("评论内容只有控制字符。", "内容")
    return CommentIn(author=author, text=text, at=at, client_key=(clean(key)[:64] or None) if key is not None else natural_key(author, text, at))


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
    check_file_size(data)
    text = decode(data)
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
