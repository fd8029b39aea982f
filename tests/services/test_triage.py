"""Ingest, tallies, the queue and its undoable actions, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.models import Comment, Event, LexiconTerm, QuestionGroup, Show, ShowCommenter, ShowMinute
from services import shows, triage
from services.triage import lexicon
from services.errors import Forbidden, InvalidInput, InvalidState, NotFound
from services.triage import CommentIn

T0 = datetime(2026, 1, 6, 20, 0, 0)


@pytest.fixture
def show_id(session, admin) -> int:
    form = shows.ShowForm("源味集《农场主来了》", "源味集·阳光花园群", 300, "老李", T0, T0 + timedelta(hours=1))
    return shows.create_show(session, admin, form).id


@pytest.fixture(autouse=True)
def builtin_lexicon():
    lexicon.install(lexicon.BUILTIN)
    yield
    lexicon.install(lexicon.BUILTIN)


def c(author, text, sec=0, key=None):
    return CommentIn(author, text, T0 + timedelta(seconds=sec), key)


def events_of(session, show_id, kind):
    return list(session.scalars(select(Event).where(Event.show_id == show_id, Event.kind == kind)))


def test_ingest_classifies_groups_and_keeps_every_tally(session, assistant, show_id):
    res = triage.ingest(
        session,
        assistant,
        show_id,
        [
            c("张姐", "有机认证是真的吗", 0),
            c("王哥", "有机认证真的假的", 5),
            c("李阿姨", "认证是真的有机吗", 70),
            c("张姐", "来了", 71),
            c("王哥", "666", 72),
            c("小周", "在哪接龙", 75),
            c("", "运费多少", 80),
        ],
        source="paste",
    )
    assert (res.inserted, res.questions, res.chatter) == (7, 5, 2)
    show = session.get(Show, show_id)
    assert (show.comments_total, show.chatter_total, show.commenters) == (7, 2, 4)
    assert {(r.author, r.comments) for r in session.scalars(select(ShowCommenter))} == {
        ("张姐", 2), ("王哥", 2), ("李阿姨", 1), ("小周", 1)
    }
    minutes = {m.minute: (m.comments, m.questions, m.order_intent) for m in session.scalars(select(ShowMinute))}
    assert minutes == {T0: (2, 2, 0), T0 + timedelta(minutes=1): (5, 3, 1)}
    cert = session.scalar(select(QuestionGroup).where(QuestionGroup.category == "authenticity"))
    assert (cert.comments, cert.askers, cert.first_seen, cert.last_seen, cert.status) == (
        3, 3, T0, T0 + timedelta(seconds=70), "new"
    )
    assert cert.text == "有机认证是真的吗"
    assert len(events_of(session, show_id, "comments.ingested")) == 1


def test_a_later_batch_joins_the_open_group_incrementally(session, assistant, show_id):
    first = triage.ingest(session, assistant, show_id, [c("a", "什么时候发货", 0)])
    second = triage.ingest(session, assistant, show_id, [c("b", "啥时候发货呀", 30), c("a", "几号发货", 40)])
    assert second.new_groups == 0
    assert set(second.group_ids) == set(first.group_ids)
    g = session.get(QuestionGroup, first.group_ids[0])
    assert (g.comments, g.askers, g.last_seen) == (3, 2, T0 + timedelta(seconds=40))
    assert len(events_of(session, show_id, "comments.ingested")) == 2


def test_same_text_from_same_author_within_seconds_is_folded(session, assistant, show_id):
    res = triage.ingest(
        session, assistant, show_id,
        [c("a", "运费多少", 0), c("a", "运费多少！", 3), c("b", "运费多少", 4), c("a", "运费多少", 60)],
    )
    assert (res.inserted, res.folded) == (3, 1)
    again = triage.ingest(session, assistant, show_id, [c("a", "运费多少", 65)])
    assert (again.inserted, again.folded) == (0, 1)
    assert session.get(Show, show_id).comments_total == 3


def test_client_key_makes_a_retried_batch_idempotent(session, assistant, show_id):
    batch = [c("a", "有货吗", 0, "k1"), c("b", "来了", 1, "k2"), c("b", "来了", 2, "k2")]
    first = triage.ingest(session, assistant, show_id, batch)
    assert (first.inserted, first.duplicates) == (2, 1)
    retry = triage.ingest(session, assistant, show_id, batch)
    assert (retry.inserted, retry.duplicates) == (0, 3)
    show = session.get(Show, show_id)
    assert (show.comments_total, show.commenters) == (2, 2)
    assert session.scalar(select(func.count()).select_from(Comment)) == 2
    assert len(events_of(session, show_id, "comments.ingested")) == 1  # nothing new: no event


def test_ingest_checks_rights_and_show(session, host, assistant, show_id):
    with pytest.raises(Forbidden):
        triage.ingest(session, host, show_id, [c("a", "来了")])
    with pytest.raises(NotFound):
        triage.ingest(session, assistant, 99999, [c("a", "来了")])
    with pytest.raises(InvalidInput):
        triage.ingest(session, assistant, show_id, [c("a", "来了")], source="nonsense")
    res = triage.ingest(session, assistant, show_id, [c("a", "   ")])
    assert (res.inserted, res.empty) == (0, 1)


def _seed_queue(session, actor, show_id):
    comments = [c(f"p{i}", "多少钱一斤", i) for i in range(6)]  # price, 6 askers
    comments += [c("x", "有检测报告吗", 10), c("y", "有没有检测报告", 11)]  # authenticity, 2 askers
    comments += [c("z", "什么时候发货", 12)]  # delivery, 1 asker
    comments += [c("q", "来了", 13), c("r", "666", 14)]
    triage.ingest(session, actor, show_id, comments)
    return {r.category: r.id for r in triage.queue(session, show_id, include_chatter=True)}


def test_queue_ranks_groups_and_hides_chatter(session, assistant, show_id):
    ids = _seed_queue(session, assistant, show_id)
    rows = triage.queue(session, show_id)
    assert [r.category for r in rows] == ["price", "authenticity", "delivery"]  # 6+2 > 2+3+2 > 1+2
    assert rows[0].askers == 6 and rows[0].category_label == "价格优惠"
    assert "chatter" not in {r.category for r in rows}
    assert {r.category for r in triage.queue(session, show_id, include_chatter=True)} >= {"chatter"}
    assert triage.open_count(session, show_id) == 3
    assert triage.chatter_count(session, show_id) == 2
    triage.ingest(session, assistant, show_id, [c("w", "检测报告呢", 20), c("v", "检测报告能看看吗", 21)])
    assert triage.queue(session, show_id)[0].id == ids["authenticity"]  # 4 askers + trust boost


def test_actions_undo_and_response_time(session, assistant, show_id):
    ids = _seed_queue(session, assistant, show_id)
    price = ids["price"]
    at = T0 + timedelta(minutes=3)
    triage.to_host(session, assistant, price, at=at)
    assert [r.id for r in triage.top_to_host(session, show_id)] == [price]
    triage.answer(session, assistant, price, text="团购价 12.8 元一斤", at=at + timedelta(minutes=1))
    g = session.get(QuestionGroup, price)
    assert (g.status, g.answer, g.answered_by) == ("answered", "团购价 12.8 元一斤", assistant.id)
    row = next(r for r in triage.history(session, show_id) if r.id == price)
    assert row.response_s == 4 * 60  # first seen 20:00:00 → answered 20:04:00
    assert triage.response_stats(session, show_id)["median_s"] == 240
    assert triage.open_count(session, show_id) == 2
    assert triage.top_to_host(session, show_id) == []

    assert "已回复" in triage.undo(session, assistant, show_id)
    g = session.get(QuestionGroup, price)
    assert (g.status, g.answer, g.answered_at) == ("to_host", "", None)
    assert "给主播" in triage.undo(session, assistant, show_id)
    assert session.get(QuestionGroup, price).status == "new"
    assert session.get(QuestionGroup, price).to_host_at is None
    with pytest.raises(InvalidState):
        triage.undo(session, assistant, show_id)

    triage.dismiss(session, assistant, ids["delivery"])
    assert ids["delivery"] not in {r.id for r in triage.queue(session, show_id)}
    triage.undo(session, assistant, show_id)
    assert ids["delivery"] in {r.id for r in triage.queue(session, show_id)}
    kinds = [e.kind for e in session.scalars(select(Event).where(Event.kind.like("question.%")).order_by(Event.id))]
    assert kinds.count("question.undone") == 3


def test_undo_never_overwrites_a_colleague(session, assistant, admin, show_id):
    ids = _seed_queue(session, assistant, show_id)
    triage.dismiss(session, assistant, ids["price"])
    triage.undo(session, assistant, show_id)  # back to new
    triage.dismiss(session, assistant, ids["price"])
    triage.recategorize(session, admin, ids["price"], "order")
    triage.undo(session, admin, show_id)  # admin's own recategorisation
    triage.answer(session, admin, ids["price"], text="已在群里回复")
    with pytest.raises(InvalidState):
        triage.undo(session, assistant, show_id)  # the dismiss was overtaken by admin's answer
    assert session.get(QuestionGroup, ids["price"]).status == "answered"


def test_actions_check_state_and_rights(session, assistant, host, show_id):
    ids = _seed_queue(session, assistant, show_id)
    with pytest.raises(Forbidden):
        triage.to_host(session, host, ids["price"])
    with pytest.raises(Forbidden):
        triage.undo(session, host, show_id)
    triage.to_host(session, assistant, ids["price"])
    with pytest.raises(InvalidState):
        triage.to_host(session, assistant, ids["price"])
    with pytest.raises(NotFound):
        triage.dismiss(session, assistant, 10**9)
    with pytest.raises(InvalidInput):
        triage.recategorize(session, assistant, ids["price"], "nonsense")


def test_recategorize_moves_tallies_and_undo_restores(session, assistant, show_id):
    ids = _seed_queue(session, assistant, show_id)
    chatter_group = next(r for r in triage.queue(session, show_id, include_chatter=True) if r.text == "来了")
    triage.recategorize(session, assistant, chatter_group.id, "other_question")
    show = session.get(Show, show_id)
    assert show.chatter_total == 1
    assert session.scalar(select(func.sum(ShowMinute.questions))) == 10
    assert triage.open_count(session, show_id) == 4
    assert session.scalar(select(Comment.category).where(Comment.group_id == chatter_group.id)) == "other_question"
    triage.undo(session, assistant, show_id)
    assert session.get(Show, show_id).chatter_total == 2
    assert session.scalar(select(func.sum(ShowMinute.questions))) == 9
    assert session.get(QuestionGroup, chatter_group.id).category == "chatter"
    # a repeat of a recategorised question follows the operator's category
    triage.recategorize(session, assistant, ids["delivery"], "order")
    res = triage.ingest(session, assistant, show_id, [c("n", "什么时候发货", 40)])
    assert res.group_ids == [ids["delivery"]]
    assert session.scalar(select(Comment.category).where(Comment.author == "n")) == "order"


def test_merge_and_undo(session, assistant, show_id):
    ids = _seed_queue(session, assistant, show_id)
    keep, other = ids["authenticity"], ids["delivery"]
    triage.merge(session, assistant, keep, other)
    k = session.get(QuestionGroup, keep)
    assert (k.comments, k.askers) == (3, 3)
    assert other not in {r.id for r in triage.queue(session, show_id)}
    assert triage.open_count(session, show_id) == 2
    with pytest.raises(InvalidState):
        triage.to_host(session, assistant, other)
    with pytest.raises(InvalidInput):
        triage.merge(session, assistant, keep, keep)
    triage.undo(session, assistant, show_id)
    k, o = session.get(QuestionGroup, keep), session.get(QuestionGroup, other)
    assert (k.comments, k.askers, o.comments, o.askers, o.merged_into_id) == (2, 2, 1, 1, None)
    assert session.scalar(select(Comment.group_id).where(Comment.author == "z")) == other
    assert session.scalar(select(Comment.category).where(Comment.author == "z")) == "delivery"


def test_merging_chatter_into_a_question_moves_the_tallies(session, assistant, show_id):
    ids = _seed_queue(session, assistant, show_id)
    chatter_group = next(r for r in triage.queue(session, show_id, include_chatter=True) if r.text == "666")
    triage.merge(session, assistant, ids["price"], chatter_group.id)
    assert session.get(Show, show_id).chatter_total == 1
    triage.undo(session, assistant, show_id)
    assert session.get(Show, show_id).chatter_total == 2


def test_operator_lexicon_terms_change_classification(session, assistant, host, show_id):
    assert triage.classify("有没有蓝莓味") == "other_question"
    with pytest.raises(Forbidden):
        lexicon.set_term(session, host, "product", "蓝莓味", 3)
    lexicon.set_term(session, assistant, "product", "蓝莓味", 3)
    assert triage.classify("有没有蓝莓味") == "product"
    row = session.scalar(select(LexiconTerm).where(LexiconTerm.term == "蓝莓味"))
    lexicon.install(lexicon.BUILTIN)  # another process: ingest refreshes from the table
    res = triage.ingest(session, assistant, show_id, [c("a", "有没有蓝莓味", 0)])
    assert session.get(QuestionGroup, res.group_ids[0]).category == "product"
    lexicon.delete_term(session, assistant, row.id)
    assert triage.classify("有没有蓝莓味") == "other_question"
    lexicon.set_term(session, assistant, "authenticity", "认证", 0)  # switch a built-in term off
    assert triage.classify("认证呢") != "authenticity"
    with pytest.raises(InvalidInput):
        lexicon.set_term(session, assistant, "product", "  ", 1)
    assert lexicon.seed(session, assistant) > 300


def test_ten_thousand_comments_in_one_batch(session, assistant, show_id):
    texts = ["有机认证是真的吗", "运费多少", "来了", "666", "在哪接龙", "保质期多久", "坏了能退吗", "多少钱"]
    batch = [c(f"观众{i % 700}", texts[i % len(texts)] + ("" if i % 3 else "？"), i // 3) for i in range(10_000)]
    res = triage.ingest(session, assistant, show_id, batch, source="pipe")
    assert res.inserted + res.folded == 10_000
    show = session.get(Show, show_id)
    assert show.comments_total == res.inserted and show.commenters == 700
    assert session.scalar(select(func.sum(ShowMinute.comments))) == res.inserted
    assert session.scalar(select(func.sum(QuestionGroup.comments))) == res.inserted
    assert triage.open_count(session, show_id) == 6
    assert len(events_of(session, show_id, "comments.ingested")) == 1


def test_a_dismissed_group_is_not_joined_again(session, assistant, show_id):
    first = triage.ingest(session, assistant, show_id, [c("a", "运费多少", 0)])
    again = triage.ingest(session, assistant, show_id, [c("b", "运费多少？", 5)])
    assert again.group_ids == first.group_ids  # the in-memory groups were reused
    triage.dismiss(session, assistant, first.group_ids[0])
    later = triage.ingest(session, assistant, show_id, [c("c", "运费多少", 30)])
    assert later.new_groups == 1 and later.group_ids != first.group_ids
    assert triage.open_count(session, show_id) == 1


def test_a_question_asked_again_after_its_answer_reopens_its_group(session, assistant, show_id):
    first = triage.ingest(session, assistant, show_id, [c("a", "运费多少", 0)])
    gid = first.group_ids[0]
    triage.answer(session, assistant, gid, text="满59包邮")
    assert triage.open_count(session, show_id) == 0
    later = triage.ingest(session, assistant, show_id, [c("c", "运费多少钱呀", 60)])
    assert later.group_ids == [gid] and later.new_groups == 0 and later.reopened == 1
    group = session.get(QuestionGroup, gid)
    assert group.status == "new" and group.answer == "满59包邮" and group.comments == 2
    assert triage.open_count(session, show_id) == 1
    assert "重新打开" in later.summary()


def test_ingest_text_and_file(session, assistant, show_id):
    res = triage.ingest_text(session, assistant, show_id, "张姐：运费多少\n王哥：来了\n")
    assert (res.inserted, res.questions) == (2, 1)
    assert session.scalar(select(Comment.source).where(Comment.author == "张姐")) == "paste"
    with pytest.raises(InvalidInput):
        triage.ingest_text(session, assistant, show_id, "\n  \n")
    data = "昵称,内容,时间\n小周,有检测报告吗,20:05\n".encode()
    res = triage.ingest_file(session, assistant, show_id, data, "c.csv")
    row = session.scalar(select(Comment).where(Comment.author == "小周"))
    assert (row.source, row.received_at) == ("import", T0 + timedelta(minutes=5))  # the show's day
    again = triage.ingest_file(session, assistant, show_id, data, "c.csv")
    assert (again.inserted, again.duplicates) == (0, 1)


def test_a_product_less_question_is_about_the_deal_in_focus(session, assistant, admin, show_id):
    from services import jielong

    eggs = triage.ingest(session, assistant, show_id, [c("a", "鸡蛋多少钱", 0)])
    alone = triage.ingest(session, assistant, show_id, [c("b", "多少钱", 5)])
    assert alone.group_ids != eggs.group_ids  # no deal in focus: nothing says it is about eggs
    form = jielong.DealForm(product="散养土鸡蛋 30枚", group_price="39", original_price="49", threshold=10, stock=50,
                            delivery_text="明天中午前送到", deadline=T0 + timedelta(minutes=50))
    deal = jielong.create_deal(session, admin, show_id, form, at=T0)
    jielong.release(session, deal.id, admin, at=T0 + timedelta(seconds=10))
    focused = triage.ingest(session, assistant, show_id, [c("c", "这个多少钱呀", 20)])
    assert focused.group_ids == eggs.group_ids  # the host is selling the eggs now


def test_a_shipping_day_asked_with_and_without_the_focus_product_is_one_group(session, assistant, admin, show_id):
    """几号发货？ and 橙子什么时候发货 while 赣南脐橙 is the deal in focus: 几号 / 什么时候 are one 何时, 橙子 names
    脐橙 (a fruit night acted in the browser, branch comments8); with 草莓 in focus they stay apart."""
    from services import jielong

    def release(product, sec):
        form = jielong.DealForm(product=product, group_price="39", original_price="49", threshold=10, stock=50,
                                delivery_text="明天中午前送到", deadline=T0 + timedelta(minutes=50))
        jielong.release(session, jielong.create_deal(session, admin, show_id, form, at=T0).id, admin,
                        at=T0 + timedelta(seconds=sec))

    release("丹东草莓", 1)
    release("赣南脐橙 5斤装", 2)
    release("赣南脐橙 10斤装", 3)
    first = triage.ingest(session, assistant, show_id, [c("a", "几号发货？", 10)])
    named = triage.ingest(session, assistant, show_id, [c("b", "橙子什么时候发货", 20), c("d", "哪天发货", 21)])
    assert set(named.group_ids) == set(first.group_ids)
    release("丹东草莓 2斤装", 30)
    other = triage.ingest(session, assistant, show_id, [c("e", "什么时候发货呀", 40)])
    assert other.group_ids != first.group_ids  # now about the strawberries
