"""Issue 14 #5, #13, #14: control characters (a NUL, the bidi overrides) are cleaned at every
intake and never reported as a database outage; field lengths are checked by the services and
named per field (PostgreSQL used to answer a 201-character title with "database unavailable");
跟团号 is exported as a whole number. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

import db
from db.models import ChainEntry, Comment, Show
from services import clock, jielong, shows, triage
from services.authz import SYSTEM
from services.errors import InvalidInput
from services.ingest import run
from services.review import export

T0 = datetime(2026, 1, 6, 20, 0, 0)
RLO = "\u202e"


def _show(session) -> int:
    return shows.create_show(session, SYSTEM, shows.ShowForm("控制字符测试场", "测试群", 100, "老李", T0,
                                                             T0 + timedelta(hours=1))).id


def _deal(session, show_id: int) -> int:
    form = jielong.DealForm(product="有机上海青", group_price="9.9", original_price="15", threshold=2, stock=500,
                            delivery_text="次日自提", deadline=clock.now() + timedelta(hours=3))
    deal = jielong.create_deal(session, SYSTEM, show_id, form)
    jielong.release(session, deal.id, SYSTEM)
    return deal.id


def test_a_nul_in_the_pipe_loses_no_comment_and_no_batch(clean_engine):
    with db.session(clean_engine) as s:
        show_id = _show(s)
    lines = [{"author": "张姐", "text": f"运费多少{i}", "at": (T0 + timedelta(seconds=i)).isoformat()} for i in range(6)]
    lines[2]["text"] = "有机\x00认证是真的吗"
    lines[4]["author"] = f"王{RLO}哥\x00"
    stream = io.StringIO("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    out, err = io.StringIO(), io.StringIO()
    assert run(show_id, stream, batch=3, engine=clean_engine, out=out, err=err) == 0, err.getvalue()
    assert "Traceback" not in err.getvalue()
    with db.session(clean_engine) as s:
        assert s.scalar(select(Show.comments_total).where(Show.id == show_id)) == 6
        stored = s.execute(select(Comment.author, Comment.text).where(Comment.show_id == show_id)).all()
    assert ("张姐", "有机认证是真的吗") in stored and ("王哥", "运费多少4") in stored
    assert not any("\x00" in a + t or RLO in a + t for a, t in stored)


def test_control_characters_never_reach_chain_names_forms_or_exports(session, admin):
    show_id = _show(session)
    deal_id = _deal(session, show_id)
    jielong.apply_paste(session, SYSTEM, deal_id, f"#接龙\n101. 李{RLO}四\x00 2份 3栋\n")
    jielong.add_entry(session, SYSTEM, deal_id, f"赵{RLO}六", 1, note="放\x00门口", address="5栋")  # no 跟团号
    triage.ingest_text(session, SYSTEM, show_id, f"小周：几号\x00发货{RLO}")
    names = set(session.scalars(select(ChainEntry.buyer_name).where(ChainEntry.deal_id == deal_id)))
    assert names == {"李四", "赵六"}
    assert session.scalar(select(Comment.text).where(Comment.show_id == show_id)) == "几号发货"
    shows.update_show(session, SYSTEM, show_id, shows.ShowForm(f"控制{RLO}字符\x00测试场", "测试群", 100, "老李",
                                                                T0, T0 + timedelta(hours=1)))
    assert shows.get_show(session, show_id).title == "控制字符测试场"
    rows = list(csv.DictReader(io.StringIO(export.entries_csv(session, admin, show_id).decode("utf-8-sig"))))
    assert {r["下单人"] for r in rows} == {"李四", "赵六"}
    assert "101" in {r["跟团号"] for r in rows} and not any(r["跟团号"].endswith(".0") for r in rows)
    book = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, admin, show_id)))
    seqs = [row[2] for row in book["分拣明细"].iter_rows(min_row=2, values_only=True)]
    assert 101 in seqs and not any(isinstance(v, float) for v in seqs)


def test_too_long_fields_are_named_by_the_service(session):
    form = shows.ShowForm("长" * 201, "测试群", 100, "老李", T0, T0 + timedelta(hours=1))
    with pytest.raises(InvalidInput) as exc:
        shows.create_show(session, SYSTEM, form)
    assert exc.value.field == "标题" and "200" in str(exc.value)
    show_id = _show(session)
    deal_id = _deal(session, show_id)
    with pytest.raises(InvalidInput) as exc:
        jielong.add_entry(session, SYSTEM, deal_id, "李四", 1, note="备" * 501)
    assert exc.value.field == "备注"
    with pytest.raises(InvalidInput) as exc:
        jielong.add_entry(session, SYSTEM, deal_id, "名" * 101, 1)
    assert exc.value.field == "团员昵称"
    assert not session.scalars(select(ChainEntry.id).where(ChainEntry.deal_id == deal_id)).all()


def test_deal_and_promise_texts_are_cleaned_and_their_lengths_named(session):
    from services import promises

    show_id = _show(session)
    form = jielong.DealForm(product=f"上海青{RLO}\x00", group_price="9.9", original_price="15", threshold=2,
                            perk_text="送" * 201, perk_first_n=10, delivery_text="次日自提", deadline=T0 + timedelta(hours=3))
    with pytest.raises(InvalidInput) as exc:
        jielong.create_deal(session, SYSTEM, show_id, form)
    assert "福利内容" in exc.value.errors
    deal = jielong.create_deal(session, SYSTEM, show_id, jielong.DealForm(**{**form.__dict__, "perk_text": "小葱一把"}))
    assert deal.product == "上海青"
    p = promises.log_promise(session, SYSTEM, show_id, f"前10名送\x00小葱{RLO}")
    assert p.text == "前10名送小葱"


def test_a_line_the_database_refuses_is_skipped_and_the_rest_of_its_batch_stored(clean_engine, monkeypatch):
    from sqlalchemy.exc import DataError

    import services.ingest as pipe

    real = triage.ingest

    def picky(session, actor, show_id, comments, **kw):
        if any("拒收" in c.text for c in comments):
            raise DataError("INSERT INTO comment", {}, ValueError("value the database refuses"))
        return real(session, actor, show_id, comments, **kw)

    monkeypatch.setattr(pipe.triage, "ingest", picky)
    with db.session(clean_engine) as s:
        show_id = _show(s)
    texts = ["运费多少", "几号发货", "拒收这条", "有机认证吗", "在哪接龙"]
    stream = io.StringIO("".join(json.dumps({"author": "张姐", "text": t}, ensure_ascii=False) + "\n" for t in texts))
    err = io.StringIO()
    assert run(show_id, stream, batch=5, engine=clean_engine, out=io.StringIO(), err=err) == 1
    assert "第 3 行" in err.getvalue() and "Traceback" not in err.getvalue()
    with db.session(clean_engine) as s:
        assert s.scalar(select(Show.comments_total).where(Show.id == show_id)) == 4
