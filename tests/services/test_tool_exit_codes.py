"""Issue 14 #5 / #10: the command-line tools end with their documented exit code and a
Chinese line when the database is unreachable, never with a traceback."""
from __future__ import annotations

import io
import socket

from services import simulate, store
from services.ingest import run


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/nowhere?connect_timeout=2"


def test_the_pipe_exits_2_with_a_chinese_line_when_the_database_is_unreachable():
    err = io.StringIO()
    code = run(1, io.StringIO('{"author": "a", "text": "几号发货"}\n'), engine=store.connect(_dead_url()),
               out=io.StringIO(), err=err)
    assert code == 2
    assert "数据库无法连接" in err.getvalue() and "Traceback" not in err.getvalue()


def test_the_simulator_exits_2_with_a_chinese_line_when_the_database_is_unreachable(capsys):
    assert simulate.main(["--database-url", _dead_url(), "--minutes", "1"]) == 2
    assert "数据库无法连接" in capsys.readouterr().err
