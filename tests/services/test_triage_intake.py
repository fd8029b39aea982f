"""Parsing pasted lines and imported files (no database)."""
from __future__ import annotations

from datetime import datetime

import pytest

from services import triage
from services.errors import InvalidInput, TooLarge


def test_parse_comment_lines_with_and_without_nicknames():
    got = triage.parse_comment_lines("张姐：运费多少\n\n  来了  \nLily: 有检测报告吗\n12:30能到吗\n")
    assert [(c.author, c.text) for c in got] == [
        ("张姐", "运费多少"),
        ("", "来了"),
        ("Lily", "有检测报告吗"),
        ("", "12:30能到吗"),
    ]


def test_parse_comment_lines_rejects_more_than_1_mb():
    with pytest.raises(TooLarge):
        triage.parse_comment_lines("来了\n" * 400_000)


def test_parse_csv_with_chinese_headers():
    data = "昵称,内容,时间\n张姐,运费多少,2026-01-06 20:15:03\n王哥,来了,2026-01-06 20:15:09\n".encode("utf-8-sig")
    got = triage.parse_comment_file(data, "评论.csv")
    assert [(c.author, c.text, c.at) for c in got] == [
        ("张姐", "运费多少", datetime(2026, 1, 6, 20, 15, 3)),
        ("王哥", "来了", datetime(2026, 1, 6, 20, 15, 9)),
    ]
    assert got[0].client_key and got[0].client_key != got[1].client_key
    assert triage.parse_comment_file(data, "评论.csv")[0].client_key == got[0].client_key


def test_parse_jsonl_and_timezones():
    data = (
        '{"author": "a", "text": "几号发货", "at": "2026-01-06T12:00:00Z"}\n'
        '{"author": "b", "text": "666", "at": 1767700800}\n'
        '{"author": "c", "text": "有货吗", "client_key": "k-1"}\n'
    ).encode()
    got = triage.parse_comment_file(data, "x.jsonl")
    assert got[0].at == datetime(2026, 1, 6, 20, 0, 0)  # UTC → Asia/Shanghai
    assert got[1].at == datetime(2026, 1, 6, 20, 0, 0)
    assert got[2].client_key == "k-1" and got[2].at is None


def test_parse_file_reports_bad_lines_in_chinese():
    with pytest.raises(InvalidInput) as exc:
        triage.parse_comment_file(b'{"author": "a", "text": "hi"}\nnot json\n{"author": "b"}\n', "x.jsonl")
    assert "第 2 行" in str(exc.value) and "第 3 行" in str(exc.value)
    with pytest.raises(InvalidInput):
        triage.parse_comment_file("名字,时间\na,b\n".encode(), "x.csv")


def test_gbk_csv_is_decoded():
    data = "昵称,内容\n张姐,保质期多久\n".encode("gb18030")
    assert triage.parse_comment_file(data, "x.csv")[0].text == "保质期多久"
