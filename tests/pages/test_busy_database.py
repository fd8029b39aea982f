"""Issue 14 #10: another writer holding the SQLite file. The console waits it out (SQLite's
busy timeout is well below the retry budget, so a lock is retried and the operator reads
"正在等待其他写入"), and a comment that could not be saved stays in its box."""
from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import func, select

import db
from db.models import Comment
from tests.pages.test_console_queue import P, SHOW, queue_as  # noqa: F401  (fixture)
from ui import context


def _hold_write_lock(url: str) -> tuple[sqlite3.Connection, threading.Event]:
    """Another process's long write: the file's write lock held until released."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn, threading.Event()


def _count(url: str, text: str) -> int:
    eng = db.connect(url)
    with db.session(eng) as s:
        n = s.scalar(select(func.count()).select_from(Comment).where(Comment.text == text))
    eng.dispose()
    return n


def _type_and_submit(at, text: str):
    at.text_input(key=P + "quick_text").input(text)
    next(b for b in at.button if b.label == "录入").click()
    return at.run()


def test_a_held_lock_is_waited_out_with_a_notice(queue_as, app_db):  # noqa: F811
    at = queue_as("assistant")
    conn, _ = _hold_write_lock(app_db)
    threading.Timer(4.5, conn.rollback).start()  # longer than SQLite's busy timeout, shorter than the budget
    at = _type_and_submit(at, "等锁的评论")
    conn.close()
    assert not at.exception
    assert any("正在等待其他写入" in t.value for t in at.toast)
    assert _count(app_db, "等锁的评论") == 1


def test_a_comment_that_could_not_be_saved_stays_in_its_box(queue_as, app_db, monkeypatch):  # noqa: F811
    at = queue_as("assistant")
    monkeypatch.setattr(context, "ACT_RETRY_S", 0.5)  # the database stays busy past the budget
    conn, _ = _hold_write_lock(app_db)
    at = _type_and_submit(at, "没保存上的评论")
    conn.rollback()
    conn.close()
    assert _count(app_db, "没保存上的评论") == 0
    at.run()  # the page comes back (the outage notice reruns it by itself)
    box = at.text_input(key=P + "quick_text")
    assert box.value == "没保存上的评论"
    box.input(box.value)  # what the browser sends back for the text it shows (AppTest does not)
    next(b for b in at.button if b.label == "录入").click()
    at.run()
    assert _count(app_db, "没保存上的评论") == 1


def test_input_the_database_refuses_is_not_reported_as_an_outage(queue_as, app_db, monkeypatch):  # noqa: F811
    """#5: PostgreSQL refusing a value (a NUL byte, before intake cleaned it) used to show
    "数据库暂时无法连接"; now it is a Chinese line about the input, and the input stays."""
    from sqlalchemy.exc import DataError

    from services import triage

    def refuse(*_a, **_kw):
        raise DataError("INSERT INTO comment …", {}, ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes"))

    at = queue_as("assistant")
    monkeypatch.setattr(triage, "ingest", refuse)
    at = _type_and_submit(at, "被拒收的评论")
    shown = " ".join(e.value for e in at.error)
    assert not at.exception
    assert "没有保存" in shown and "数据库暂时无法连接" not in shown
    assert at.text_input(key=P + "quick_text").value == "被拒收的评论"
