"""AppTest: members on the night (asker badges, the KOC @ list, the host's counts) and the
社群成员 page / the review's 核心看板 on the demo data."""
from __future__ import annotations

import db
from services import jielong
from ui import context


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_the_queue_shows_each_askers_badge(page_as):
    at = page_as("assistant", "console")
    lines = [t for t in _texts(at) if t.startswith("提问人：")]
    assert lines, "no asker line in the queue"
    assert any("〔" in t and ("复购" in t or "新客" in t or "KOC" in t) for t in lines)


def test_the_jielong_panel_lists_the_kocs_and_who_entered(page_as, app_db):
    at = page_as("assistant", "console")
    # the console opens on the deal released last (services.shows.deal_in_focus); the demo's
    # KOCs all joined the first one, 有机上海青
    show_id = at.session_state[context.SHOW_KEY]
    eng = db.connect(app_db)
    with db.session(eng) as s:
        first = next(d.id for d in jielong.list_deals(s, show_id) if d.product.startswith("有机上海青"))
    eng.dispose()
    at.selectbox(key=f"console_jielong_deal_{show_id}").set_value(first).run()
    labels = [e.label for e in at.expander]
    assert any(label.startswith("KOC 带头下单（10/10 已接龙）") for label in labels), labels


def test_the_host_screen_counts_kocs_and_returning_buyers_without_names(page_as):
    at = page_as("host", "host")
    captions = [c.value for c in at.caption]
    line = next(c for c in captions if c.startswith("接龙中 KOC"))
    assert line.startswith("接龙中 KOC 10 人 · 老顾客（复购）") and not line.endswith(" 0 人")


def test_the_members_page_draws_the_board_and_filters_by_segment(page_as):
    at = page_as("reviewer", "members")
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["复购用户占比"].endswith("%") and labels["新客占比"].endswith("%")
    assert len(at.get("vega_lite_chart")) >= 3  # cohort heat map, LTV over shows, new / returning buyers
    at = page_as("assistant", "members")
    at.segmented_control(key="members_view").set_value("成员与分层").run()
    at.selectbox(key="members_table_segment").set_value("koc").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert len(table) == 10 and set(table["分层"].str.contains("KOC")) == {True}
    legend = next(d.value for d in at.dataframe if "规则" in d.value.columns)
    koc_rule = legend.loc[legend["分层"] == "KOC", "规则"].iloc[0]
    assert "运营标记" in koc_rule and "前 10 个下单" in koc_rule and "发言带动下单" in koc_rule  # both suggestion rules


def test_the_reviews_core_board_shows_the_nights_shares_as_counted_by_hand(page_as, app_db):
    import db
    from sqlalchemy import select

    from db.models import ChainEntry, Deal, Show
    from services import shows

    eng = db.connect(app_db)
    with db.session(eng) as s:
        seed = shows.find_show(s, "源味集《农场主来了》")

        def buyers(where):
            return set(s.scalars(select(ChainEntry.buyer_name).join(Deal, Deal.id == ChainEntry.deal_id)
                                 .join(Show, Show.id == Deal.show_id).where(where, ChainEntry.status == "valid")))

        tonight = buyers(Show.id == seed.id)
        before = buyers((Show.community_id == seed.community_id) & (Show.scheduled_start < seed.scheduled_start))
    eng.dispose()
    returning = len(tonight & before)
    at = page_as("reviewer", "review")
    at.session_state["review_tab"] = "核心看板"
    at.run()
    assert not at.exception, at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["本场复购用户占比"] == f"{returning / len(tonight) * 100:.1f}%"
    assert tiles["本场新客占比"] == f"{(len(tonight) - returning) / len(tonight) * 100:.1f}%"
    assert tiles["复购用户占比"] == tiles["本场复购用户占比"]  # the night is the community's latest


def test_a_fuzzy_match_is_confirmed_in_one_click_and_undone(page_as, app_db):
    import db
    from datetime import timedelta

    from services import jielong, members, shows
    from services.authz import SYSTEM

    eng = db.connect(app_db)
    with db.session(eng) as s:  # 王芳5栋 orders in a later 源味集 night: proposed, not merged
        seed = shows.find_show(s, "源味集《农场主来了》")
        known = members.members(s, seed.community_id, limit=1)[0]["name"]
        start = seed.scheduled_start + timedelta(days=7)
        sid = shows.create_show(s, SYSTEM, shows.ShowForm("第10期", seed.community.name, 300, "老李", start,
                                                          start + timedelta(hours=1))).id
        deal = jielong.create_deal(s, SYSTEM, sid, jielong.DealForm(product="土鸡蛋", group_price=10, threshold=1,
                                   delivery_text="次日达", deadline=start + timedelta(hours=2)), at=start)
        jielong.release(s, deal.id, SYSTEM, at=start)
        jielong.add_entry(s, SYSTEM, deal.id, f"{known}5栋", 1, at=start)
        shows.start_show(s, SYSTEM, sid, at=start)
        shows.end_show(s, SYSTEM, sid, at=start + timedelta(hours=1))
        members.sync_show(s, SYSTEM, sid)
        # the demo's own open proposals (namesakes at other buildings) stay on the page beside this one
        pid = next(p["id"] for p in members.proposals(s, seed.community_id) if p["other"].startswith(f"{known}5栋"))
    eng.dispose()
    at = page_as("assistant", "members")
    at.segmented_control(key="members_view").set_value("身份合并与导入").run()
    assert any(t.value.startswith(known) and f"{known}5栋" in t.value for t in at.text)
    at.button(key=f"members_identity_confirm_{pid}").click().run()
    assert not at.exception
    assert f"members_identity_confirm_{pid}" not in [b.key for b in at.button]
    at.button(key=f"members_identity_undo_{pid}").click().run()
    assert f"members_identity_confirm_{pid}" in [b.key for b in at.button]


def test_the_member_table_writes_money_and_portions_as_the_review_does(page_as):
    # Night 10: 累计消费 read 493.2 (the review writes ¥493.20) and 件数 (everywhere else 份).
    import json

    at = page_as("reviewer", "members")
    at.segmented_control(key="members_view").set_value("成员与分层").run()
    assert not at.exception
    table = at.dataframe[-1]
    assert "份数" in table.value.columns and "件数" not in table.value.columns
    assert json.loads(table.proto.columns)["累计消费（LTV）"]["type_config"]["format"] == "¥%,.2f"
    at.selectbox(key="members_table_detail").set_value(int(table.value["编号"].iloc[0])).run()
    assert not at.exception
    detail = at.dataframe[-1]
    assert "份数" in detail.value.columns
    assert json.loads(detail.proto.columns)["消费"]["type_config"]["format"] == "¥%,.2f"


def test_namesakes_at_two_buildings_are_two_members_told_apart(page_as, app_db):
    """`王姐 2份 5栋` and `王姐 1份 12栋` in one 源味集 chain: two rows, each picked by its label
    (王姐（5栋） / 王姐（12栋）), each with her own spend; a bare 王姐 the night after is offered in
    身份合并 beside both, never added to either."""
    from datetime import timedelta

    from services import members, shows
    from services.authz import SYSTEM

    eng = db.connect(app_db)
    with db.session(eng) as s:
        seed = shows.find_show(s, "源味集《农场主来了》")
        for week, chain in ((1, "1. 王姐 2份 5栋\n2. 王姐 1份 12栋\n"), (2, "1. 王姐 1份\n")):
            start = seed.scheduled_start + timedelta(days=7 * week)
            sid = shows.create_show(s, SYSTEM, shows.ShowForm(f"同名第{week}期", seed.community.name, 300, "老李", start,
                                                              start + timedelta(hours=1))).id
            deal = jielong.create_deal(s, SYSTEM, sid, jielong.DealForm(
                product="土鸡蛋", group_price=10, threshold=1, delivery_text="次日达", deadline=start + timedelta(hours=2)),
                at=start)
            jielong.release(s, deal.id, SYSTEM, at=start)
            shows.start_show(s, SYSTEM, sid, at=start)
            jielong.apply_paste(s, SYSTEM, deal.id, chain, at=start + timedelta(minutes=5))
            shows.end_show(s, SYSTEM, sid, at=start + timedelta(hours=1))
            members.sync_show(s, SYSTEM, sid)
    eng.dispose()
    at = page_as("assistant", "members")
    at.segmented_control(key="members_view").set_value("成员与分层").run()
    at.text_input(key="members_table_search").set_value("王姐").run()
    assert not at.exception
    table = at.dataframe[-1].value
    rows = {(r["昵称"], r["楼栋"]): r["累计消费（LTV）"] for _, r in table.iterrows()}
    assert rows == {("王姐", "5栋"): 20.0, ("王姐", "12栋"): 10.0, ("王姐", ""): 10.0}
    pick = at.selectbox(key="members_table_detail")
    assert {"王姐（5栋）", "王姐（12栋）", "王姐"} <= set(pick.options)
    at.segmented_control(key="members_view").set_value("身份合并与导入").run()
    texts = [t.value for t in at.text]
    assert "王姐（5栋）  ⇐  王姐" in texts and "王姐（12栋）  ⇐  王姐" in texts
    assert "同名，一方没写楼栋（有几位同名成员，无法确定是哪一位）" in [c.value for c in at.caption]
