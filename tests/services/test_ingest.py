"""The capture-tool pipe: python -m services.ingest comments --show ID < comments.jsonl"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import db
from db.models import Comment, Event, Show
from services import shows
from services.authz import SYSTEM
from services.ingest import run

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 1, 6, 20, 0, 0)


@pytest.fixture
def show_id(clean_engine) -> int:
    with db.session(clean_engine) as s:
        form = shows.ShowForm
        return shows.create_show(
            s, SYSTEM, form("源味集《农场主来了》", "源味集·阳光花园群", 300, "老李", T0, T0 + timedelta(hours=1))
        ).id


def _lines(n: int) -> str:
    texts = ["有机认证是真的吗", "运费多少", "来了", "在哪接龙"]
    return "".join(
        json.dumps({"author": f"观众{i % 30}", "text": texts[i % 4], "at": (T0 + timedelta(seconds=i)).isoformat()},
                   ensure_ascii=False) + "\n"
        for i in range(n)
    )


def _counts(engine, show_id):
    with db.session(engine) as s:
        return (
            s.scalar(select(Show.comments_total).where(Show.id == show_id)),
            s.scalar(select(func.count()).select_from(Event).where(Event.kind == "comments.ingested")),
        )


def test_pipe_ingests_in_batches_and_a_rerun_stores_nothing_twice(clean_engine, show_id):
    out, err = io.StringIO(), io.StringIO()
    assert run(show_id, io.StringIO(_lines(120)), batch=50, engine=clean_engine, out=out, err=err) == 0
    assert _counts(clean_engine, show_id) == (120, 3)  # one event per batch
    assert "新增 120 条" in out.getvalue()
    out = io.StringIO()
    assert run(show_id, io.StringIO(_lines(120)), batch=50, engine=clean_engine, out=out, err=err) == 0
    assert _counts(clean_engine, show_id) == (120, 3)
    assert "跳过已导入 120 条" in out.getvalue()
    with db.session(clean_engine) as s:
        assert set(s.scalars(select(Comment.source))) == {"pipe"}


def test_pipe_reports_bad_lines_and_keeps_the_good_ones(clean_engine, show_id):
    stream = io.StringIO('{"author": "a", "text": "几号发货"}\nnot json\n{"author": "b"}\n\n{"text": "666"}\n')
    err = io.StringIO()
    assert run(show_id, stream, engine=clean_engine, out=io.StringIO(), err=err) == 1
    assert "第 2 行" in err.getvalue() and "第 3 行" in err.getvalue()
    assert _counts(clean_engine, show_id)[0] == 2


def test_pipe_unknown_show(clean_engine):
    err = io.StringIO()
    assert run(4242, io.StringIO(_lines(3)), engine=clean_engine, out=io.StringIO(), err=err) == 2
    assert "4242" in err.getvalue()


def test_pipe_as_a_command(clean_engine, show_id):
    env = {**os.environ, "DATABASE_URL": clean_engine.url.render_as_string(hide_password=False)}
    proc = subprocess.run(
        [sys.executable, "-m", "services.ingest", "comments", "--show", str(show_id)],
        input=_lines(10), capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "新增 10 条" in proc.stdout
    assert _counts(clean_engine, show_id)[0] == 10


def test_a_rolled_back_batch_leaves_no_stale_groups_behind(clean_engine, show_id):
    from services import triage

    class Boom(Exception):
        pass

    try:
        with db.session(clean_engine) as s:
            triage.ingest(s, SYSTEM, show_id, [triage.CommentIn("a", "什么时候发货", T0)])
            raise Boom
    except Boom:
        pass
    with db.session(clean_engine) as s:
        res = triage.ingest(s, SYSTEM, show_id, [triage.CommentIn("b", "什么时候发货", T0 + timedelta(seconds=30))])
        assert res.new_groups == 1  # the rolled-back group is not matched
    with db.session(clean_engine) as s:
        again = triage.ingest(s, SYSTEM, show_id, [triage.CommentIn("c", "啥时候发货", T0 + timedelta(seconds=40))])
        assert again.new_groups == 0 and again.group_ids == res.group_ids
        assert s.scalar(select(func.count()).select_from(Comment)) == 2
