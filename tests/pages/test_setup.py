"""场次准备: the deal form (create, edit, Chinese field errors) and the deal list with readiness."""
from datetime import timedelta

import db
from services import jielong, shows

DEMO = "源味集《农场主来了》"


def _submit(at, form_prefix: str):
    [b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form_prefix}_form")][0].click().run()
    return at


def _fresh(at, prefix: str) -> str:
    """The form's keys after n saves (views/setup._fresh: new widgets make an empty form)."""
    key = f"{prefix}#round"
    n = at.session_state[key] if key in at.session_state else 0
    return f"{prefix}_r{n}" if n else prefix


def _new_prefix(at) -> str:
    return _fresh(at, f"setup_deal_new_{at.session_state['frame_show_id']}")


def _fill(at, **values):
    NEW = _new_prefix(at)
    at.text_input(key=f"{NEW}_product").input(values.get("product", "土鸡蛋"))
    at.text_area(key=f"{NEW}_points").input("散养 180 天\n当天现捡")
    if "price" in values:
        at.number_input(key=f"{NEW}_price").set_value(values["price"])
    if "threshold" in values:
        at.number_input(key=f"{NEW}_threshold").set_value(values["threshold"])
    if "stock" in values:
        at.number_input(key=f"{NEW}_stock").set_value(values["stock"])
    at.text_input(key=f"{NEW}_delivery").input(values.get("delivery", "明天中午东门自提"))
    if "deadline" in values:
        at.datetime_input(key=f"{NEW}_deadline").set_value(values["deadline"])
    return at


def _deals(url: str) -> list:
    eng = db.connect(url)
    with db.session(eng) as s:
        show = shows.find_show(s, DEMO)
        out = [(d.product, d.group_price, d.threshold, d.stock, d.status) for d in jielong.list_deals(s, show.id)]
    eng.dispose()
    return out


def test_setup_page_lists_deals_and_has_the_forms(page_as):
    at = page_as("assistant", "setup")
    assert not at.exception
    assert any("团品" in h.value for h in at.header)
    assert at.text_input(key=f"{_new_prefix(at)}_product") is not None


def test_create_a_deal(page_as, app_db):
    before = len(_deals(app_db))
    at = page_as("assistant", "setup")
    _submit(_fill(at, price=29.9, threshold=30, stock=60), _new_prefix(at))
    assert not at.exception and not at.error
    deals = _deals(app_db)
    assert len(deals) == before + 1
    product, price, threshold, stock, status = deals[-1]
    assert (product, str(price), threshold, stock, status) == ("土鸡蛋", "29.90", 30, 60, "draft")
    assert any("土鸡蛋" in str(v) for v in at.dataframe[0].value["团品"])


def test_field_errors_are_named_in_chinese(page_as, app_db):
    before = len(_deals(app_db))
    at = page_as("assistant", "setup")
    _submit(_fill(at, product="", price=0.0, threshold=0, stock=0), _new_prefix(at))
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    for field in ("商品名称", "专享价", "成团数", "限量"):
        assert field in message, field
    assert "大于 0" in message and "不小于 1" in message
    assert len(_deals(app_db)) == before


def test_empty_price_and_early_deadline(page_as, app_db):
    eng = db.connect(app_db)
    with db.session(eng) as s:
        start = shows.find_show(s, DEMO).scheduled_start
    eng.dispose()
    at = page_as("assistant", "setup")
    _submit(_fill(at, threshold=10, deadline=start - timedelta(hours=1)), _new_prefix(at))
    message = " ".join(e.value for e in at.error)
    assert "专享价" in message and "截止时间" in message and "晚于直播开始" in message


def test_empty_stock_means_unlimited(page_as, app_db):
    at = page_as("assistant", "setup")
    _submit(_fill(at, product="手工馒头", price=9.9, threshold=20), _new_prefix(at))
    assert not at.error
    assert _deals(app_db)[-1][3] is None


def test_edit_a_deal(page_as, app_db):
    at = page_as("assistant", "setup")
    _submit(_fill(at, product="手工馒头", price=9.9, threshold=20), _new_prefix(at))
    assert any("手工馒头" in o for o in at.selectbox(key="setup_deal_pick").options)
    eng = db.connect(app_db)
    with db.session(eng) as s:
        deal_id = next(d.id for d in jielong.list_deals(s, shows.find_show(s, DEMO).id) if d.product == "手工馒头")
    eng.dispose()
    at.selectbox(key="setup_deal_pick").set_value(deal_id).run()
    prefix = f"setup_deal_edit_{deal_id}"
    at.number_input(key=f"{prefix}_stock").set_value(40)
    _submit(at, prefix)
    assert not at.exception and not at.error
    assert [d for d in _deals(app_db) if d[0] == "手工馒头"][0][3] == 40


def _new_show(at, title: str):
    prefix = _fresh(at, "setup_new")
    at.text_input(key=f"{prefix}_title").input(title)
    at.text_input(key=f"{prefix}_community").input("幸福里业主群")
    at.text_input(key=f"{prefix}_host").input("小周")
    return _submit(at, prefix)


def test_a_new_show_is_selected_and_its_first_deal_saves_into_it(page_as, app_db):
    """Issue 13 #3: 保存场次 then 保存团品 puts the deal into the new show, and the form is empty again."""
    from ui import context

    at = _new_show(page_as("assistant", "setup"), "周五草莓专场")
    assert not at.exception and not at.error
    eng = db.connect(app_db)
    with db.session(eng) as s:
        new_id = shows.find_show(s, "周五草莓专场").id
    eng.dispose()
    assert at.session_state[context.SHOW_KEY] == new_id
    assert at.session_state[context.SHOW_REQUEST_KEY] == new_id  # the sidebar picker selects it next run
    assert at.query_params["show"] == [str(new_id)] or at.query_params["show"] == str(new_id)
    assert at.text_input(key=f"{_fresh(at, 'setup_new')}_title").value == ""  # a second click cannot make a twin
    assert any("周五草莓专场" in h.value for h in at.header)
    _submit(_fill(at, product="丹东红颜草莓", price=39.9, threshold=20), _new_prefix(at))
    assert not at.exception and not at.error
    eng = db.connect(app_db)
    with db.session(eng) as s:
        assert [d.product for d in jielong.list_deals(s, new_id)] == ["丹东红颜草莓"]
    eng.dispose()
    assert at.text_input(key=f"{_new_prefix(at)}_product").value == ""
    assert _new_prefix(at) == f"setup_deal_new_{new_id}_r1"  # new widgets: the browser shows them empty


def test_the_sidebar_picker_selects_a_requested_show(app_db):
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP, login_token
    from ui import context

    eng = db.connect(app_db)
    with db.session(eng) as s:
        ids = [x.id for x in shows.list_shows(s)]
    eng.dispose()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["frame_token"] = login_token(app_db, "assistant")
    at.session_state["frame_show_select"] = ids[0]  # the picker showed another show
    at.session_state[context.SHOW_REQUEST_KEY] = ids[-1]
    at.run()
    assert not at.exception
    assert at.selectbox(key="frame_show_select").value == ids[-1]


def test_the_same_deal_twice_is_refused_on_screen(page_as, app_db):
    at = page_as("assistant", "setup")
    _submit(_fill(at, product="手工馒头", price=9.9, threshold=20), _new_prefix(at))
    before = len(_deals(app_db))
    _submit(_fill(at, product="手工馒头", price=9.9, threshold=20), _new_prefix(at))
    assert any("本场已有团品「手工馒头」" in e.value for e in at.error)
    assert len(_deals(app_db)) == before


def test_a_draft_deal_is_deleted_after_confirming(page_as, app_db):
    at = page_as("assistant", "setup")
    _submit(_fill(at, product="手工馒头", price=9.9, threshold=20), _new_prefix(at))
    eng = db.connect(app_db)
    with db.session(eng) as s:
        deal_id = next(d.id for d in jielong.list_deals(s, shows.find_show(s, DEMO).id) if d.product == "手工馒头")
    eng.dispose()
    at.selectbox(key="setup_deal_pick").set_value(deal_id).run()
    confirm = at.button(key=f"setup_deal_delete_{deal_id}")
    assert "手工馒头" in confirm.label  # the confirmation names the deal
    confirm.click().run()
    assert not at.exception and not at.error
    assert "手工馒头" not in [d[0] for d in _deals(app_db)]


def test_a_deal_with_a_price_per_spec(page_as, app_db):
    at = page_as("assistant", "setup")
    prefix = _new_prefix(at)
    _fill(at, product="丹东红颜草莓", price=39.9, threshold=20)
    at.text_input(key=f"{prefix}_specs").input("5斤装,10斤装")
    at.text_input(key=f"{prefix}_spec_prices").input("10斤装=69.9")
    _submit(at, prefix)
    assert not at.exception and not at.error
    eng = db.connect(app_db)
    with db.session(eng) as s:
        deal = next(d for d in jielong.list_deals(s, shows.find_show(s, DEMO).id) if d.product == "丹东红颜草莓")
        assert deal.spec_prices == {"10斤装": "69.90"}
    eng.dispose()
    prefix = _new_prefix(at)  # a new, empty form after the save
    _fill(at, product="赣南脐橙", price=29.9, threshold=20)
    at.text_input(key=f"{prefix}_specs").input("5斤装")
    at.text_input(key=f"{prefix}_spec_prices").input("10斤装=69.9")
    _submit(at, prefix)
    assert any("规格价格" in e.value and "10斤装" in e.value for e in at.error)


def test_stock_column_is_one_type_so_the_table_converts(page_as):
    at = page_as("admin", "setup")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "限量" in d.value.columns)
    import pyarrow as pa

    pa.Table.from_pandas(table)  # a column mixing "不限" with numbers raised here (and logged a traceback)
    assert all(isinstance(v, str) for v in table["限量"])


def test_a_deal_with_a_stock_per_spec(page_as, app_db):
    """Issue 13 #9: 限量 per spec where the seller has it, typed on 场次准备 and listed with the deal."""
    at = page_as("assistant", "setup")
    prefix = _new_prefix(at)
    _fill(at, product="丹东红颜草莓", price=39.9, threshold=20)
    at.text_input(key=f"{prefix}_specs").input("5斤装,10斤装")
    at.text_input(key=f"{prefix}_spec_stock").input("10斤装=20")
    _submit(at, prefix)
    assert not at.exception and not at.error
    eng = db.connect(app_db)
    with db.session(eng) as s:
        deal = next(d for d in jielong.list_deals(s, shows.find_show(s, DEMO).id) if d.product == "丹东红颜草莓")
        assert deal.spec_stock == {"10斤装": 20}
    eng.dispose()
    table = next(d.value for d in at.dataframe if "限量" in d.value.columns)
    assert "不限（10斤装=20）" in set(table["限量"])
    prefix = _new_prefix(at)
    _fill(at, product="赣南脐橙", price=29.9, threshold=20)
    at.text_input(key=f"{prefix}_specs").input("5斤装")
    at.text_input(key=f"{prefix}_spec_stock").input("10斤装=20")
    _submit(at, prefix)
    assert any("规格限量" in e.value and "10斤装" in e.value for e in at.error)


def test_a_new_show_is_offered_at_the_evening_not_the_hour_of_now(page_as):
    # Night 10: planned at 08:25, the form offered tomorrow 08:00–09:00 for a live night.
    at = page_as("assistant", "setup")
    start, end = at.datetime_input(key="setup_new_start").value, at.datetime_input(key="setup_new_end").value
    assert (start.hour, start.minute, end - start) == (20, 0, timedelta(hours=1))


def test_the_show_form_names_the_communities_there_are(page_as, app_db):
    # Night 10: typing 源味集 for 源味集·阳光花园群 silently made a second community (its members,
    # 复购 and KOC counted apart); the form named none of the existing ones.
    at = page_as("assistant", "setup")
    hint = next(c.value for c in at.caption if c.value.startswith("已有社群："))
    assert "源味集·阳光花园群" in hint and "亲亲宝贝" in hint and "新建社群" in hint
    at = _new_show(at, "周六橙子专场")
    assert not at.exception and not at.error
    assert any("新社群「幸福里业主群」" in t.value for t in at.toast)
