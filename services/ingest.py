"""The pipe for capture tools: comments as JSON Lines on stdin.

    python -m services.ingest comments --show ID [--source pipe] [--batch 500] < comments.jsonl

One JSON object per line: {"author": "张姐", "text": "运费多少", "at": "2026-01-06 20:15:03"}
(optional "client_key"; without one, lines that carry a time get a key from author+text+time,
so feeding the same file twice stores nothing twice). Lines are ingested in batches through
services.triage.ingest (one retried unit of work and one event per batch). Control and
bidi-override characters are removed (services.text); a line the database still refuses is
stored alone, or skipped and reported, and the rest of the batch and the stream go on. Bad
lines are reported on stderr with their line number and skipped. Exit status: 0 every line
stored, 1 some lines were bad (the rest stored), 2 the show or the database is unusable
(batches already stored stay; feeding the same input again stores nothing twice).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from typing import IO

from services import shows, store, triage
from services.authz import SYSTEM
from services.errors import DomainError, InvalidInput


def run(show_id: int, stream: IO[str], source: str = "pipe", batch: int = 500, engine=None, out: IO[str] = sys.stdout,
        err: IO[str] = sys.stderr) -> int:
    eng = engine or store.connect()
    run_id = uuid.uuid4().hex[:12]
    total = triage.IngestResult()
    bad = 0
    pending: list[triage.CommentIn] = []
    pending_lines: list[int] = []  # the input line of each pending comment, for reports

    def flush() -> None:
        nonlocal bad
        if not pending:
            return
        batch_items = list(pending)

        def notice(exc: BaseException, attempt: int) -> None:
            what = "正在等待其他写入" if store.is_lock_wait(exc) else "数据库连接中断，正在重试"
            print(f"{what}（第 {attempt} 次）……", file=err)

        def store_batch(items: list[triage.CommentIn]) -> triage.IngestResult:
            # Retried as a whole on a database blink: client keys make a repeated batch store nothing twice.
            return store.unit_of_work(eng, lambda s: triage.ingest(s, SYSTEM, show_id, items, source=source),
                                      on_retry=notice)

        try:
            results = [store_batch(batch_items)]
        except store.DATABASE_ERRORS as exc:
            if not store.is_refused_input(exc):
                raise  # the database stayed away for the whole retry budget
            # The database refused something in the batch (not an outage): store the good
            # comments one by one, skip and report the bad ones, keep reading the stream.
            results = []
            for n, item in zip(pending_lines, batch_items):
                try:
                    results.append(store_batch([item]))
                except store.DATABASE_ERRORS as one:
                    if not store.is_refused_input(one):
                        raise
                    bad += 1
                    print(f"第 {n} 行：数据库拒收这条评论（{type(one.orig).__name__}），已跳过。", file=err)
        for res in results:
            for name in ("received", "inserted", "folded", "duplicates", "empty", "questions", "chatter",
                         "new_groups", "cleaned"):
                setattr(total, name, getattr(total, name) + getattr(res, name))
        pending.clear()
        pending_lines.clear()

    try:
        store.read(eng, shows.get_show, show_id)
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                comment = triage.comment_from_obj(json.loads(line))
                if comment.client_key is None and comment.at is None:
                    # No natural key: a per-run key still makes a retried batch idempotent.
                    comment = dataclasses.replace(comment, client_key=f"p:{run_id}:{n}")
                pending.append(comment)
                pending_lines.append(n)
            except json.JSONDecodeError:
                bad += 1
                print(f"第 {n} 行：不是合法的 JSON，已跳过。", file=err)
                continue
            except InvalidInput as exc:
                bad += 1
                print(f"第 {n} 行：{exc}，已跳过。", file=err)
                continue
            if len(pending) >= batch:
                flush()
        flush()
    except DomainError as exc:
        print(str(exc), file=err)
        return 2
    except store.DATABASE_ERRORS as exc:
        print(f"数据库无法连接，已停止（已写入的批次保留，重新运行同一文件不会重复写入）：{type(exc).__name__}", file=err)
        return 2
    print(total.summary() + (f" 跳过无法识别的行 {bad} 条。" if bad else ""), file=out)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.ingest", description="评论采集管道：从标准输入读取 JSON Lines。")
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("comments", help="导入评论（每行一个 JSON 对象：author, text, at）")
    p.add_argument("--show", type=int, required=True, help="场次编号")
    p.add_argument("--source", default="pipe", choices=triage.SOURCES)
    p.add_argument("--batch", type=int, default=500, help="每批条数（每批一个事务、一个事件）")
    args = parser.parse_args(argv)
    return run(args.show, sys.stdin, source=args.source, batch=max(1, args.batch))


if __name__ == "__main__":
    sys.exit(main())
