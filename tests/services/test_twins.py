"""Look-alike twins (services.text.twin_key): a deal whose product differs from another of the
show only by width, case, spaces or an invisible character, and an operator whose name differs
from another's the same way, are refused with a Chinese message and nothing is written (the
exact-match checks let 「Ａ级橙」 beside 「A级橙」 and 「Admin」 beside 「admin」). Twins: names
that differ in a letter or a number are kept."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql_text

from db.models import Deal, Operator, Show
from services import auth, clock, jielong, shows, text
from services.authz import SYSTEM
from services.errors import InvalidInput
from tests.support import make_actor, race

PASSWORD = "a long pass phrase 1"


def test_twin_key_folds_width_case_spaces_and_invisibles():
    assert text.twin_key("Ａ级 橙\u200d") == text.twin_key("a级橙") == "a级橙"
    assert text.twin_key("上海青5斤") != text.twin_key("上海青10斤")  # twin


def _form(product: str) -> jielong.DealForm:
    return jielong.DealForm(product=product, group_price="9.9", threshold=3)


@pytest.fixture
def show_id(session):
    start = clock.now() + timedelta(days=1)
    return shows.create_show(session, SYSTEM, shows.ShowForm("源味集", "阳光花园群", 300, "老李", start,
                                                             start + timedelta(hours=1))).id


@pytest.mark.parametrize("twin", ["Ａ级橙", "a级橙", "A级 橙", "A级橙\u200d"])
def test_a_look_alike_deal_is_refused(session, assistant, show_id, twin):
    jielong.create_deal(session, assistant, show_id, _form("A级橙"))
    with pytest.raises(InvalidInput, match="本场已有团品「A级橙」"):
        jielong.create_deal(session, assistant, show_id, _form(twin))
    assert session.scalar(select(func.count()).select_from(Deal)) == 1


def test_twin_deals_that_differ_are_kept_and_a_deal_may_keep_its_own_name(session, assistant, show_id):
    a = jielong.create_deal(session, assistant, show_id, _form("上海青5斤"))
    b = jielong.create_deal(session, assistant, show_id, _form("上海青10斤"))
    assert jielong.update_deal(session, assistant, a.id, _form("上海青 5斤")).product == "上海青 5斤"
    with pytest.raises(InvalidInput, match="本场已有团品"):
        jielong.update_deal(session, assistant, b.id, _form("上海青５斤"))


@pytest.mark.parametrize("twin", ["Admin", "ａｄｍｉｎ", "admin\u200d", "ADMIN"])
def test_a_look_alike_operator_is_refused(session, admin, twin):
    auth.create_operator(session, admin, "admin", "assistant", PASSWORD)
    before = session.scalar(select(func.count()).select_from(Operator))
    with pytest.raises(InvalidInput, match="看起来一样"):
        auth.create_operator(session, admin, twin, "assistant", PASSWORD)
    assert session.scalar(select(func.count()).select_from(Operator)) == before
    assert auth.create_operator(session, admin, "admin2", "assistant", PASSWORD).name == "admin2"  # twin


def _refusal(outcomes: list) -> str:
    return next((o for o in outcomes if isinstance(o, str) and o.startswith("InvalidInput")), "")


def test_two_submits_at_the_same_instant_make_no_twin_deal(clean_engine):
    """Two tabs (or a double click) saving the same new deal at once: both used to see no twin
    and both wrote one (19 of 20 rounds on PostgreSQL, 8 on SQLite). One is saved, the other
    gets the Chinese refusal; a deal of another name saved at the same instant is kept (twin)."""
    import db

    with db.session(clean_engine) as s:
        actor = make_actor(s, "assistant", "小美")
        start = clock.now() + timedelta(days=1)
        show = shows.create_show(s, SYSTEM, shows.ShowForm("源味集", "阳光花园群", 300, "老李", start,
                                                           start + timedelta(hours=1))).id
    for i in range(5):
        outcomes = race(clean_engine, [
            lambda s, p=p: jielong.create_deal(s, actor, show, _form(p)).product for p in (f"橙{i}", f"橙{i}", f"柚{i}")
        ])
        refusal = _refusal(outcomes)
        assert "InvalidInput" in refusal, outcomes
        assert sorted(o for o in outcomes if o != refusal) == sorted([f"橙{i}", f"柚{i}"]), outcomes
    with db.session(clean_engine) as s:
        assert s.scalar(select(func.count()).select_from(Deal)) == 10


def test_two_admins_adding_one_name_at_once_get_a_chinese_refusal(clean_engine):
    """The second insert of one operator name at the same instant was an untyped IntegrityError
    (the page's generic 数据库拒绝 notice); now InvalidInput 已存在, and one operator is made."""
    import db

    with db.session(clean_engine) as s:
        admin = make_actor(s, "admin", "管理员")
    for i in range(5):
        outcomes = race(clean_engine, [
            lambda s: auth.create_operator(s, admin, f"小周{i}", "assistant", PASSWORD).name for _ in range(2)
        ])
        assert sorted(outcomes) == sorted([f"小周{i}", f"InvalidInput: 用户名「小周{i}」已存在。"]), outcomes


def test_two_saves_of_one_new_show_at_the_same_instant_make_one_show(clean_engine):
    """Both saves used to pass the title-and-start check and both wrote a show (10 of 10 rounds on
    PostgreSQL). The unique index decides: one show, the other save gets the Chinese refusal; a show
    of another title saved at the same instant is kept (twin)."""
    import db

    start = clock.now() + timedelta(days=1)
    form = lambda title: shows.ShowForm(title, "阳光花园群", 300, "老李", start, start + timedelta(hours=1))  # noqa: E731
    for i in range(5):
        outcomes = race(clean_engine, [
            lambda s, t=t: shows.create_show(s, SYSTEM, form(t)).title for t in (f"源味集{i}", f"源味集{i}", f"果园{i}")
        ])
        refusal = _refusal(outcomes)
        assert sorted(o for o in outcomes if o != refusal) == sorted([f"源味集{i}", f"果园{i}"]), outcomes
        assert f"已有同名场次「源味集{i}」" in refusal
    with db.session(clean_engine) as s:
        assert s.scalar(select(func.count()).select_from(Show)) == 10


def test_shows_twinned_before_the_unique_index_keep_their_rows_under_a_marked_title(tmp_path):
    """A database from before showtwin_1 may hold twins made by that race: the upgrade keeps every
    row (they may carry orders) and marks the later twin's title, so the index can be made."""
    import db

    eng = db.connect(f"sqlite:///{tmp_path / 'twins.db'}")
    db.upgrade(eng)
    db.downgrade(eng, "members_3")
    start = clock.now() + timedelta(days=1)
    with db.session(eng) as s:
        for title in ("源味集", "源味集 "):
            shows.create_show(s, SYSTEM, shows.ShowForm(title + "x", "阳光花园群", 300, "老李", start,
                                                         start + timedelta(hours=1)))
        s.execute(sql_text('UPDATE "show" SET title = :t'), {"t": "源味集"})  # what the race left
    db.upgrade(eng)
    with db.session(eng) as s:
        titles = s.scalars(select(Show.title).order_by(Show.id)).all()
    first_id = 1
    assert titles == ["源味集", f"源味集（重复 #{first_id + 1}）"]
    eng.dispose()
