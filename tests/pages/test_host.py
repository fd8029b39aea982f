"""主播副屏 (AppTest on the demo night): big numbers, questions, promise, cheap refresh."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

import db
from db.models import QuestionGroup
from services import auth, clock, events, jielong, live, shows
from tests.pages.conftest import APP, PASSWORD
from ui import context

DEMO = "源味集《农场主来了》"


def demo_show_id(url: str) -> int:
    eng = db.connect(url)
    with db.session(eng) as s:
        show_id = shows.find_show(s, DEMO).id
    eng.dispose()
    return show_id


def with_session(url: str, fn):
    eng = db.connect(url)
    with db.session(eng) as s:
        result = fn(s)
    eng.dispose()
    return result


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_host_page_shows_the_big_numbers_of_the_focus_deal(page_as, app_db):
    at = page_as("host", "host")
    assert not at.exception
    show_id = demo_show_id(app_db)
    snap = with_session(app_db, lambda s: live.snapshot(s, show_id))
    shown = metrics(at)
    deal = snap.focus
    if deal is None:
        assert shown["已接龙"] == "—"
    else:
        unit = jielong.unit_label(deal.threshold_unit)
        assert shown[f"已接龙 / 成团（{unit}）"] == f"{deal.progress} / {deal.threshold}"
        assert shown["成团"] == "已成团" if deal.reached else shown["还差"] == f"{deal.remaining} {unit}"
        assert shown["剩余"] == ("不限量" if deal.stock_left is None else f"{deal.stock_left} 份")
    assert {"接龙截止", "距下播"} & set(shown)
    if deal is not None:
        spec = json.dumps(json.loads(at.get("vega_lite_chart")[0].proto.spec), ensure_ascii=False)
        assert f"成团 {deal.threshold}{unit}" in spec and '"datum"' in spec


def test_host_page_opens_from_a_host_link_without_an_operator(app_db):
    show_id = demo_show_id(app_db)
    at = AppTest.from_file(str(Path(APP).parent / "views" / "host.py"), default_timeout=30)
    at.session_state[context.SHOW_KEY] = show_id
    at.session_state[context.HOST_LINK_KEY] = show_id
    at.run()
    assert not at.exception
    assert any(DEMO in h.value for h in at.subheader)


def test_host_page_reads_the_snapshot_again_only_when_the_version_moves(page_as, app_db, monkeypatch):
    calls = []
    real = live.host_view
    monkeypatch.setattr(live, "host_view", lambda s, show_id, now=None: calls.append(show_id) or real(s, show_id, now))
    at = page_as("host", "host")
    at.run()
    at.run()
    assert len(calls) == 1
    show_id = demo_show_id(app_db)
    with_session(app_db, lambda s: events.bump_version(s, show_id))
    at.run()
    assert len(calls) == 2


def test_questions_and_promise_show_literally(page_as, app_db):
    show_id = demo_show_id(app_db)
    nasty = "<script>alert(1)</script>**粗体**"

    def add(s):
        now = clock.now()
        s.add(QuestionGroup(show_id=show_id, category="authenticity", text=nasty, status="to_host", askers=999,
                            comments=999, first_seen=now, last_seen=now, to_host_at=now))

    with_session(app_db, add)
    at = page_as("host", "host")
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any(nasty in t for t in texts)
    assert not any(nasty in m.value for m in at.markdown)


def test_host_page_names_the_sections_in_chinese(page_as):
    at = page_as("host", "host")
    heads = [h.value for h in at.subheader]
    assert "请先回答" in heads and "刚才承诺" in heads


def test_a_change_elsewhere_rereads_the_numbers_but_keeps_the_chart(page_as, app_db, monkeypatch):

    frozen = clock.now()
    monkeypatch.setattr(clock, "now", lambda: frozen)  # the chart is also redrawn once a minute
    built = []
    real = live.progress_chart
    monkeypatch.setattr(live, "progress_chart", lambda *a, **kw: built.append(1) or real(*a, **kw))
    at = page_as("host", "host")
    if not at.get("vega_lite_chart"):
        return  # no released deal on the demo night: nothing to draw
    show_id = demo_show_id(app_db)
    with_session(app_db, lambda s: events.bump_version(s, show_id))  # e.g. a comment arrived
    at.run()
    assert not at.exception and len(built) == 1


def test_the_last_promise_of_another_deal_is_named_on_the_host_screen(page_as, app_db):
    """Issue 13: a promise said for one deal, shown under another deal's numbers, names its deal."""
    from db.models import Promise

    show_id = demo_show_id(app_db)
    snap = with_session(app_db, lambda s: live.snapshot(s, show_id))
    other = next(d for d in snap.deals if d.id != snap.focus.id)

    def add(s):
        s.add(Promise(show_id=show_id, deal_id=other.id, text="后天下午到东门", kind="delivery", said_at=clock.now()))

    with_session(app_db, add)
    at = page_as("host", "host")
    assert not at.exception
    assert any(t.value.endswith(f"【{other.product}】后天下午到东门") for t in at.text), [t.value for t in at.text]


def test_the_host_screen_lists_the_other_chains_still_open(page_as, app_db):
    """Two chains out at once: under 赣南脐橙's big numbers the host reads how 草莓's chain stands."""
    from tests.services.test_funnel import RELEASE, make_deal, make_show

    def add(s):
        admin = auth.resolve_session(s, auth.login(s, "admin_user", PASSWORD))
        show_id = make_show(s, admin, title="两条接龙同时进行")
        make_deal(s, show_id, product="丹东红颜草莓", released_at=RELEASE, units=36, threshold=30, status="reached",
                  reached_at=RELEASE)
        make_deal(s, show_id, product="赣南脐橙", released_at=RELEASE + timedelta(minutes=20), units=12, threshold=20)

    with_session(app_db, add)
    at = page_as("host", "host", show_title="两条接龙同时进行")
    assert not at.exception
    assert any("赣南脐橙" in h.value for h in at.subheader)
    assert "同时接龙中：丹东红颜草莓 36/30 份 已成团" in [c.value for c in at.caption]


def test_the_host_screen_says_which_spec_is_sold_out(page_as, app_db):
    """Night 21: under 纸尿裤's big numbers (剩余 35 份) the host could not tell that L码 (限量 5) was gone
    when a buyer asked 「L码还有吗」. Twin: a deal with no spec 限量 shows no such line."""
    from tests.services.test_jielong import START, T0, form, make_show

    def add(s, title, **kw):
        admin = auth.resolve_session(s, auth.login(s, "admin_user", PASSWORD))
        show = make_show(s, admin, title=title)
        deal = jielong.create_deal(s, admin, show.id, form(product="婴儿纸尿裤", spec_options="S码,M码,L码", **kw), at=START)
        jielong.release(s, deal.id, admin, at=T0)
        jielong.apply_paste(s, admin, deal.id, "1. 朵朵妈 L码1包\n2. 安安 L码2包\n3. 果果 L 2\n4. 小雨 M码1包", at=T0)

    with_session(app_db, lambda s: add(s, "母婴夜", spec_stock="L码=5"))
    at = page_as("host", "host", show_title="母婴夜")
    assert not at.exception
    assert "规格限量：L码 已售罄（5/5）" in [c.value for c in at.caption]
    with_session(app_db, lambda s: add(s, "母婴夜二"))
    at = page_as("host", "host", show_title="母婴夜二")
    assert not at.exception and not [c.value for c in at.caption if c.value.startswith("规格限量")]


def test_the_host_screens_stock_left_says_the_units_lines_to_check_hold(page_as, app_db):
    """Night 21: the host read 剩余 with 待核实 units silently counted as sold; the host screen says them apart
    with the console's rule (services.jielong.stock_left_words). Twin: nothing to check, no note."""
    from tests.services.test_jielong import START, T0, form, make_show

    def add(s, title, chain):
        admin = auth.resolve_session(s, auth.login(s, "admin_user", PASSWORD))
        show = make_show(s, admin, title=title)
        deal = jielong.create_deal(s, admin, show.id, form(product="婴儿纸尿裤", spec_options="S码,M码,L码", stock=40,
                                                           threshold=5, spec_stock="L码=5"), at=START)
        jielong.release(s, deal.id, admin, at=T0)
        jielong.apply_paste(s, admin, deal.id, chain, at=T0)

    with_session(app_db, lambda s: add(s, "剩余待核实", "1. 朵朵妈 L码1包\n2. 安安 L码2包\n3. 果果 L 3\n4. 小雨 M码1包"))
    at = page_as("host", "host", show_title="剩余待核实")
    assert not at.exception
    left = next(m for m in at.metric if m.label == "剩余")
    assert (left.value, left.delta) == ("33 份", "另 3 份待核实")
    with_session(app_db, lambda s: add(s, "剩余无核实", "1. 朵朵妈 L码1包\n2. 小雨 M码1包"))
    at = page_as("host", "host", show_title="剩余无核实")
    left = next(m for m in at.metric if m.label == "剩余")
    assert not at.exception and left.value == "38 份" and not left.delta
