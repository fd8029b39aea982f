"""Hostile and bad input at the service layer, on SQLite and PostgreSQL: markup and
SQL-looking text are stored verbatim, big pastes and bad numbers are refused with a field
name, unknown ids get a clear message; every role meets the services' own checks; every
write lands in the event log with its operator and time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from db.models import ChainEntry, Comment, Event, Promise
from services import auth, clock, jielong, live, promises, shows, triage
from services.review import export
from services.authz import SYSTEM, Actor
from services.errors import FieldErrors, Forbidden, InvalidInput, NotFound, TooLarge

SQL = "'); DROP TABLE chain_entry;--"
HTML = '<b>粗体</b><img src=x onerror="window.__pwned=1">'
JS = "<script>window.__pwned=2</script>"
MD = "**大促** [点我](javascript:alert(1)) `code` # 标题"
HOSTILE = [SQL, HTML, JS, MD]
BIG = "1. 王芳 2份\n" * 90_000  # ~1.1 MB of UTF-8


@dataclass
class World:
    show_id: int
    deal_id: int
    group_id: int
    promise_id: int


def _deal_form(**kw) -> jielong.DealForm:
    base = dict(product="有机上海青", group_price="9.9", original_price="15", threshold=10, stock=50,
                delivery_text="明天 18:00 前送到自提点", deadline=clock.now() + timedelta(hours=3))
    base.update(kw)
    return jielong.DealForm(**base)


def _world(session) -> World:
    start = clock.now()
    show = shows.create_show(session, SYSTEM, shows.ShowForm("源味集《农场主来了》", "源味集·阳光花园群", 300, "老李",
                                                             start, start + timedelta(hours=1)))
    shows.start_show(session, SYSTEM, show.id)
    deal = jielong.create_deal(session, SYSTEM, show.id, _deal_form())
    jielong.release(session, deal.id, SYSTEM)
    triage.ingest(session, SYSTEM, show.id, [triage.CommentIn("小王", "这个菜多少钱一斤？")])
    group_id = triage.queue(session, show.id)[0].id
    promise = promises.log_promise(session, SYSTEM, show.id, "前50名送一把小葱", deal_id=deal.id)
    return World(show.id, deal.id, group_id, promise.id)


# --- stored verbatim ------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_buyer_name_is_stored_verbatim(session, assistant, hostile):
    w = _world(session)
    jielong.add_entry(session, assistant, w.deal_id, hostile, qty=1)
    names = session.scalars(select(ChainEntry.buyer_name).where(ChainEntry.deal_id == w.deal_id)).all()
    assert hostile in names


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_comment_is_stored_verbatim(session, assistant, hostile):
    w = _world(session)
    triage.ingest(session, assistant, w.show_id, [triage.CommentIn(hostile, hostile + " 多少钱？")])
    row = session.execute(select(Comment.author, Comment.text).where(Comment.author == hostile)).one()
    assert tuple(row) == (hostile, hostile + " 多少钱？")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_promise_text_is_stored_verbatim(session, assistant, hostile):
    w = _world(session)
    p = promises.log_promise(session, assistant, w.show_id, f"包退 {hostile}")
    assert session.scalar(select(Promise.text).where(Promise.id == p.id)) == f"包退 {hostile}"


def test_sql_looking_paste_line_leaves_every_table_in_place(session, assistant):
    w = _world(session)
    jielong.apply_paste(session, assistant, w.deal_id, f"#接龙\n1. 王芳 2份\n2. {SQL}\n")
    session.flush()
    assert session.scalar(select(func.count()).select_from(ChainEntry)) >= 2
    raw = session.scalars(select(ChainEntry.raw_line)).all()
    assert any(SQL in line for line in raw)
    assert session.execute(text("SELECT count(*) FROM chain_entry")).scalar() >= 2


ODD_PASTE = (
    "\ufeff#接龙\r\n1.\u200b王芳\u00a02份\u20292.\t李\ud800雷\t１份\r3.\u3000张伟 ３份\v😀😀😀\n"
    "4. 🌸🌸\f5. " + "长" * 3000 + " 1份"
)


def test_odd_paste_is_stored_as_read(session, assistant):
    """CRLF / CR / U+2029 / \\v / form feed as line breaks, zero-width and non-breaking spaces, a
    tab, full-width digits, a lone surrogate, an emoji-only line and nickname, a very long name:
    stored as read, on SQLite and PostgreSQL (PostgreSQL refuses a lone surrogate outright)."""
    w = _world(session)
    jielong.apply_paste(session, assistant, w.deal_id, ODD_PASTE)
    session.flush()
    rows = session.execute(select(ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty).order_by(ChainEntry.seq)).all()
    assert [tuple(r) for r in rows[:4]] == [(1, "王芳", 2), (2, "李雷", 1), (3, "张伟", 3), (4, "🌸🌸", 1)]
    assert len(rows) == 5 and len(rows[4].buyer_name) <= 100


# --- too big, bad numbers, unknown ids ---------------------------------------------------------


def test_chain_paste_over_1_mb_is_refused_and_nothing_is_written(session, assistant):
    w = _world(session)
    before = session.scalar(select(func.count()).select_from(Event))
    with pytest.raises(TooLarge, match="1 MB"):
        jielong.apply_paste(session, assistant, w.deal_id, BIG)
    assert session.scalar(select(func.count()).select_from(Event)) == before
    assert session.scalar(select(func.count()).select_from(ChainEntry)) == 0


def test_comment_and_transcript_pastes_over_1_mb_are_refused():
    with pytest.raises(TooLarge, match="1 MB"):
        triage.parse_comment_lines("小王：多少钱？\n" * 80_000)
    with pytest.raises(TooLarge, match="1 MB"):
        promises.detect_paste("前50名送一把小葱。" * 40_000)


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"group_price": "abc"}, "专享价"),
        ({"group_price": "-1"}, "专享价"),
        ({"threshold": -3}, "成团数"),
    ],
)
def test_invalid_number_in_the_deal_form_names_the_field(session, assistant, kw, field):
    w = _world(session)
    with pytest.raises(InvalidInput) as info:
        jielong.create_deal(session, assistant, w.show_id, _deal_form(**kw))
    assert field in str(info.value)
    if isinstance(info.value, FieldErrors):
        assert field in info.value.errors


def test_invalid_numbers_elsewhere_name_their_field(session, assistant):
    w = _world(session)
    with pytest.raises(InvalidInput) as info:
        live.record_viewers_text(session, assistant, w.show_id, "很多 人")
    assert info.value.field == "观看数据"
    start = clock.now()
    with pytest.raises(FieldErrors) as bad_show:
        shows.create_show(session, assistant, shows.ShowForm("x", "y", 0, "z", start, start + timedelta(hours=1)))
    assert "社群成员数" in bad_show.value.errors
    with pytest.raises(InvalidInput) as bad_hours:
        auth.create_host_link(session, assistant, w.show_id, hours=-1)
    assert bad_hours.value.field == "有效时长"


def test_unknown_show_id_is_a_clear_message(session, assistant):
    with pytest.raises(NotFound, match="99999"):
        shows.get_show(session, 99999)
    with pytest.raises(NotFound):
        auth.create_host_link(session, assistant, 99999)


# --- roles, across the real services -------------------------------------------------------------

# What the issue says each role may do. Writes only; every other write must raise Forbidden.
ALLOWED = {
    "admin": {"*"},
    "assistant": {"show", "deal", "release", "paste", "entry", "ingest", "answer", "promise", "viewers",
                  "hostlink", "export", "fulfil"},
    "host": set(),
    "reviewer": {"export", "fulfil"},
}


def _actions(w: World, actor: Actor) -> dict:
    start = clock.now()
    form = shows.ShowForm("新场次", "新群", 100, "老李", start, start + timedelta(hours=1))
    return {
        "show": lambda s: shows.create_show(s, actor, form),
        "deal": lambda s: jielong.create_deal(s, actor, w.show_id, _deal_form(product="散养土鸡蛋")),
        "release": lambda s: jielong.release(s, jielong.create_deal(s, SYSTEM, w.show_id, _deal_form(product="待发布的团品")).id, actor),
        "paste": lambda s: jielong.apply_paste(s, actor, w.deal_id, "1. 王芳 2份\n2. 李雷 1份"),
        "entry": lambda s: jielong.add_entry(s, actor, w.deal_id, "韩梅梅", qty=1),
        "ingest": lambda s: triage.ingest(s, actor, w.show_id, [triage.CommentIn("小李", "什么时候发货？")]),
        "answer": lambda s: triage.answer(s, actor, w.group_id, "一斤 9.9 元"),
        "promise": lambda s: promises.log_promise(s, actor, w.show_id, "坏了包退"),
        "fulfil": lambda s: promises.tick_range(s, actor, w.promise_id, 1, 1),
        "viewers": lambda s: live.record_viewers(s, actor, w.show_id, 120, 300),
        "hostlink": lambda s: auth.create_host_link(s, actor, w.show_id),
        "export": lambda s: export.entries_csv(s, actor, w.show_id),
        "operator": lambda s: auth.create_operator(s, actor, "新人", "assistant", "password-123"),
    }


@pytest.mark.parametrize("role", ["admin", "assistant", "host", "reviewer"])
def test_each_role_meets_the_services_own_checks(session, role, request):
    w = _world(session)
    actor = request.getfixturevalue(role)
    outcomes = {}
    for name, call in _actions(w, actor).items():
        nested = session.begin_nested()
        try:
            call(session)
            outcomes[name] = "ok"
        except Forbidden as exc:
            assert "无权" in str(exc)
            outcomes[name] = "forbidden"
        except Exception as exc:  # another domain rule; what matters is that it was not Forbidden
            outcomes[name] = type(exc).__name__
        nested.rollback()
    allowed = set(outcomes) if "*" in ALLOWED[role] else ALLOWED[role]
    assert {n for n, o in outcomes.items() if o == "forbidden"} == set(outcomes) - allowed, outcomes
    assert {n for n, o in outcomes.items() if o == "ok"} == allowed, outcomes  # and they really ran


# --- audit: operator and time on every write --------------------------------------------------------


def test_representative_writes_record_operator_and_time(session, assistant, reviewer):
    w = _world(session)
    at = datetime(2026, 11, 22, 20, 15, 0)
    calls = [
        ("deal.created", lambda: jielong.create_deal(session, assistant, w.show_id, _deal_form(product="鸡蛋"), at=at)),
        ("chain", lambda: jielong.apply_paste(session, assistant, w.deal_id, "1. 王芳 2份\n2. 李雷 1份", at=at)),
        ("comment", lambda: triage.ingest(session, assistant, w.show_id, [triage.CommentIn("小李", "几点发货？", at=at)], at=at)),
        ("question", lambda: triage.answer(session, assistant, w.group_id, "明天", at=at)),
        ("promise", lambda: promises.log_promise(session, assistant, w.show_id, "坏了包退", at=at)),
        ("viewers", lambda: live.record_viewers(session, assistant, w.show_id, 100, 200, at=at)),
        ("hostlink", lambda: auth.create_host_link(session, assistant, w.show_id, now=at)),
        ("show", lambda: shows.start_show(session, assistant, shows.create_show(
            session, assistant, shows.ShowForm("二场", "群", 10, "老李", at, at + timedelta(hours=1))).id, at=at)),
    ]
    for label, call in calls:
        last = session.scalar(select(func.max(Event.id))) or 0
        call()
        new = session.scalars(select(Event).where(Event.id > last)).all()
        assert new, f"{label}: no event"
        for ev in new:
            assert ev.operator_id == assistant.id, (label, ev.kind)
            assert ev.at is not None
        assert any(ev.at == at for ev in new), (label, [(e.kind, e.at) for e in new])
    last = session.scalar(select(func.max(Event.id)))
    export.entries_csv(session, reviewer, w.show_id)
    ev = session.scalars(select(Event).where(Event.id > last)).one()
    assert ev.operator_id == reviewer.id and ev.kind == "review.exported"


def test_bulk_intake_logs_one_event_per_batch(session, assistant):
    w = _world(session)
    last = session.scalar(select(func.max(Event.id)))
    jielong.apply_paste(session, assistant, w.deal_id, "\n".join(f"{i}. 团员{i} 1份" for i in range(1, 31)))
    triage.ingest(session, assistant, w.show_id, [triage.CommentIn(f"观众{i}", "多少钱？") for i in range(30)])
    kinds = [e.kind for e in session.scalars(select(Event).where(Event.id > last))]
    assert len([k for k in kinds if "paste" in k or "chain" in k]) <= 3, kinds
    assert len([k for k in kinds if "comment" in k or "ingest" in k]) == 1, kinds


def test_timeline_filters_by_operator(session, assistant, admin):
    w = _world(session)
    live.record_viewers(session, assistant, w.show_id, 100, 200)
    live.record_viewers(session, admin, w.show_id, 110, 210)
    from services import events

    mine = events.timeline(session, w.show_id, operator_id=assistant.id)
    assert mine and {e["operator"] for e in mine} == {"小美"}
