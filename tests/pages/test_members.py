"""AppTest: members on the night (asker badges, the KOC @ list, the host's counts) and the
社群成员 page / the review's 核心看板 on the demo data."""
from __future__ import annotations


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_the_queue_shows_each_askers_badge(page_as):
    at = page_as("assistant", "console")
    lines = [t for t in _texts(at) if t.startswith("提问人：")]
    assert lines, "no asker line in the queue"
    assert any("〔" in t and ("复购" in t or "新客" in t or "KOC" in t) for t in lines)


def test_the_jielong_panel_lists_the_kocs_and_who_entered(page_as):
    at = page_as("assistant", "console")
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


def test_the_review_has_the_core_board_tab(page_as):
    at = page_as("reviewer", "review")
    assert not at.exception
    assert "核心看板" in [t.label for t in at.tabs]
