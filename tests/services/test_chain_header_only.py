"""A chain right after it is released: the header only, no entries yet (issue 15: "a header-only
chain gives no entries"). Each header below is read twice: alone it gives no entry, followed by
entries it gives exactly those entries. The chains are ours (written here, not real text), in
the forms a leader writes: an example line or none, an indented menu under a label, priced
product lists in several price forms. Pure parser tests, no database."""
from __future__ import annotations

import pytest

from services.jielong import parse_chain

TITLE = "#接龙\n12月1日 源味集冬日鲜果团🍊\n今晚直播间专享价，明天晚上8点截单\n"
PICKUP = "自提点：东门自提点／5栋快递柜\n"
EXAMPLE = "例 张三 赣南脐橙2份 5栋\n"
ENTRIES = "\n1. 王芳 赣南脐橙2份 5栋\n2. 李四，赣南脐橙10斤装1份，东门自提点\n3. 赵六 砂糖橘3份\n"
WANT = [(1, "王芳", 2, False), (2, "李四", 1, False), (3, "赵六", 3, False)]

MENUS = {
    "indented, price per 5斤": "品种：\n   1. 赣南脐橙 29.9元/5斤（10斤装49.9）\n   2. 砂糖橘 19.9元/3斤\n",
    "flush under 品种：": "品种：\n1. 赣南脐橙 29.9元/5斤（10斤装49.9）\n2. 砂糖橘 19.9元/3斤\n",
    "no label, price per weight": "1. 赣南脐橙 29.9元/5斤\n2. 砂糖橘 19.9元/3斤\n",
    "yuan sign": "1. 赣南脐橙 ¥39.9\n2. 砂糖橘 ￥19.9\n",
    "price per portion": "1. 赣南脐橙 39元一份\n2. 砂糖橘 19元一份\n",
    "单价": "1. 赣南脐橙 单价39.9\n2. 砂糖橘 单价19.9\n",
    "plain price under 商品：": "商品：\n1. 赣南脐橙 29.9元\n2. 砂糖橘 19.9元\n",
    "indented under 今日菜品": "今日菜品\n  1. 红烧肉 29.9元\n  2. 鱼香肉丝 19.9元\n",
    "full-width spaces under 菜单：": "菜单：\n\u3000\u30001. 红烧肉\n\u3000\u30002. 鱼香肉丝\n",
    "tabs under 规格：": "规格：\n\t1. 5斤装\n\t2. 10斤装\n",
    "indented sizes under any label": "本期好物：\n  1. 赣南脐橙 5斤\n  2. 砂糖橘 3斤\n",
    "price after a slash": "品种：\n  1. 赣南脐橙 49.9/10斤\n  2. 砂糖橘 19.9/3斤\n",
    "size glued to the product": "1. 赣南脐橙5斤 29.9元\n2. 砂糖橘3斤 19.9元\n",
    "size in a bracket": "1、赣南脐橙（5斤）29.9元\n2、砂糖橘（3斤）19.9元\n",
    "price per pack, unit first": "1. 赣南脐橙 一箱59元\n2. 砂糖橘 每袋2斤19元\n",
    "price wrapped onto the line below": "1) 手工水饺（30只装）45元／2袋85元\n(2)酸菜鱼\n一盒68元\n(3)卤味拼盘 , 一组3条39元\n",
}


def _read(text: str) -> list[tuple]:
    return [(e.seq, e.name, e.qty, e.cancelled) for e in parse_chain(text)]


@pytest.mark.parametrize("example", ["", EXAMPLE], ids=["no example", "example"])
@pytest.mark.parametrize("menu", MENUS.values(), ids=MENUS.keys())
def test_a_header_only_chain_gives_no_entry_and_its_entries_read_exactly(menu: str, example: str) -> None:
    header = TITLE + menu + PICKUP + example
    assert parse_chain(header) == []
    assert _read(header + ENTRIES) == WANT


def test_numbered_lines_above_the_example_line_are_header_even_when_they_look_like_orders() -> None:
    header = "#接龙 周六聚餐\n1. 红烧肉 2份起订\n2. 鱼香肉丝 1份\n例 张三 红烧肉2份\n"
    assert parse_chain(header) == []
    assert _read(header + "1. 王芳 红烧肉2份\n2. 李四 鱼香肉丝1份") == [(1, "王芳", 2, False), (2, "李四", 1, False)]


def test_the_released_chain_reads_nothing_then_its_nine_entries() -> None:
    chain = (TITLE + "品种：\n   1. 赣南脐橙 29.9元/5斤（10斤装49.9）\n   2. 砂糖橘 19.9元/3斤\n" + PICKUP + EXAMPLE
             + "\n1. 王芳 赣南脐橙2份 5栋\n2. 李四，赣南脐橙10斤装1份，东门自提点\n3. 赵六 砂糖橘3份\n"
             "4. 孙阿姨 赣南脐橙1份，砂糖橘2份 3栋\n5. 周姐：脐橙10斤装2份；东门自提点\n6. 吴哥 赣南脐橙1份（取消）\n"
             "7. 5号楼刘 赣南脐橙1份\n8. 8号楼刘 赣南脐橙3份\n9. 陈阿姨 赣南脐橙2份，砂糖橘1份，东门自提点\n")
    assert parse_chain(chain.split("\n\n")[0]) == []
    assert _read(chain) == [
        (1, "王芳", 2, False), (2, "李四", 1, False), (3, "赵六", 3, False), (4, "孙阿姨", 3, False),
        (5, "周姐", 2, False), (6, "吴哥", 1, True), (7, "5号楼刘", 1, False), (8, "8号楼刘", 3, False),
        (9, "陈阿姨", 3, False)]


def test_entries_under_a_label_of_people_or_a_chain_copied_indented_stay_entries() -> None:
    want = [(1, "王芳", 2, False), (2, "李四", 1, False)]
    assert _read("接龙名单：\n   1. 王芳 2份\n   2. 李四 1份") == want
    assert _read("    #接龙\n    周六订餐：\n    1. 王芳 2份\n    2. 李四 1份") == want
    assert _read("#接龙 AA 聚餐\n1. 张三 50元\n2. 李四 50元") == [(1, "张三", 1, False), (2, "李四", 1, False)]


def test_a_separator_after_the_quantity_is_no_part_of_the_address_or_note() -> None:
    [lisi, zhou, chen] = parse_chain("2. 李四，赣南脐橙10斤装1份，东门自提点\n5. 周姐：脐橙10斤装2份；东门自提点\n"
                                     "9. 陈阿姨 赣南脐橙2份，砂糖橘1份，东门自提点")
    assert (lisi.address, lisi.note) == ("东门自提点", "赣南脐橙10斤装")
    assert (zhou.address, zhou.note) == ("东门自提点", "脐橙10斤装")
    assert chen.address == "东门自提点"  # a place among several products is the address too
    assert parse_chain("1. 张三 2份，不要辣")[0].note == "不要辣"


def test_lines_left_out_are_shown_as_pasted() -> None:
    from services.jielong import for_product

    skipped: list[str] = []
    entries = parse_chain("1. 王芳，砂糖橘2份\r\n2. 李四，赣南脐橙10斤装1份；东门自提点")
    assert [e.name for e in for_product(entries, "砂糖橘", skipped)] == ["王芳"]
    assert skipped == ["（其他商品，未计入「砂糖橘」）2. 李四，赣南脐橙10斤装1份；东门自提点"]
    assert entries[1].raw == "2. 李四,赣南脐橙10斤装1份;东门自提点"  # read (and stored) as before


def test_a_bare_price_list_with_nothing_else_to_tell_is_read_with_a_hint() -> None:
    """`1. 赣南脐橙 19.9元` with no label, example or size: a price list or members who wrote what
    they paid; the reading says it is unsure (AA amounts without cents stay quiet)."""
    entries = parse_chain(TITLE + "1. 赣南脐橙 19.9元\n2. 砂糖橘 29.9元\n")
    assert all("商品价目" in e.hint for e in entries)
    assert all(not e.hint for e in parse_chain("#接龙 AA 聚餐\n1. 张三 50元\n2. 李四 50元"))


# Round 8 (branch chains8): blank templates and bare dish / goods lists, the header a leader posts
# before anyone joins. Each is read alone (no entry) and followed by entries (exactly those).
BLANKS = {
    "a menu of dishes flush under the title": "10.8号星期四午餐预定接龙（30元）\n1.红烧排骨\n2.清炒时蔬\n3.番茄炒蛋\n4.冬瓜汤\n",
    "dishes with a note or an emoji": "#接龙\n周三晚餐预定\n1. 宫保鸡丁（微辣）\n2. 麻婆豆腐🌶\n3. 紫菜蛋花汤\n",
    "a fruit list": "#接龙\n本周水果团购\n1. 赣南脐橙\n2. 砂糖橘\n3. 红富士苹果\n",
    "blank slots with underscores": "#接龙\n周六羽毛球报名\n1. ________\n2. ________\n3. ________\n",
    "blank form slots": "【报名接龙】\n1. 姓名：________  电话：________\n2. 姓名：＿＿＿＿  电话：＿＿＿＿\n",
    "xxx slots": "#接龙\n周末聚餐\n1. xxx\n2. xxx\n",
    "empty brackets": "#接龙\n周末聚餐\n1. （  ）\n2. （  ）\n",
    "slots kept open by a word": "#接龙\n周六羽毛球报名\n1. 虚位以待\n2. 虚位以待\n3. 空位\n",
    "drinks and cakes, one the words do not tell": "#接龙\n下午茶拼单\n1. 冰美式\n2. 生椰拿铁\n3. 农家一碗香\n4. 巧克力蛋糕\n",
    "rice and oil": "#接龙\n粮油团购\n1. 五常大米\n2. 花生油\n3. 百香果\n",
    # Branch chains13 (tune: a group bot's 早会 roll call): empty slots numbered `1)` and a footer.
    "empty slots numbered with a bracket, a footer": "值班签到接龙：\n1)\n2)\n3)\n-----每日九点前完成签到-----\n",
}


@pytest.mark.parametrize("name", sorted(BLANKS))
def test_a_blank_template_reads_no_entry_then_the_entries_below_it(name: str) -> None:
    assert parse_chain(BLANKS[name]) == []
    got = parse_chain(BLANKS[name] + ENTRIES)
    assert [(e.seq, e.name, e.qty, e.cancelled) for e in got] == WANT


def test_people_stay_entries_even_with_food_nicknames_or_a_priced_title() -> None:
    """Every line of a list must read as a dish or a product; one nickname like `葡萄` among people,
    or a list of people under a title with a price, stays entries. A dish ordered with a quantity
    is an order line's product, not a menu."""
    assert [e.name for e in parse_chain("#接龙\n周六羽毛球\n1. 葡萄\n2. 小鱼\n3. 橙子\n")] == ["葡萄", "小鱼", "橙子"]
    assert [e.name for e in parse_chain("#接龙\n周五聚餐报名（AA 50元）\n1. 张三\n2. 李四\n")] == ["张三", "李四"]
    got = parse_chain("#接龙\n周三晚餐预定\n1. 王芳 红烧肉 2份\n2. 李四 清蒸鱼\n")
    assert [(e.name, e.qty) for e in got] == [("王芳", 2), ("李四", 1)]
    assert [e.name for e in parse_chain("#接龙\n1. 张三 电话：________\n")] == ["张三"]  # a field left blank
    assert [e.name for e in parse_chain("#接龙\n1. 。\n2. ..\n")] == ["。", ".."]  # punctuation nicknames
    assert [e.name for e in parse_chain("#接龙\n1. 张三\n2. 待定\n")] == ["张三"]  # an open slot among people
    assert [e.name for e in parse_chain("#接龙\n1. 土豆豆\n2. 王芳\n3. 李四\n")] == ["土豆豆", "王芳", "李四"]


def test_the_event_details_numbered_with_the_members_are_no_entries() -> None:
    """Round 8 (tune: a team-splitting app's list, `1. 活动时间：…` … `10. - - - - - -` then the
    members): a numbered detail of the event (a label of the event, a year, a date, a link) is header,
    and a bare word between two details too; member fields (`姓名：`) and members around stay."""
    got = parse_chain("周六羽毛球\n1. 时间：周六19:00\n2. 室内\n3. 费用：AA\n4. 2026\n5. 张三\n6. 李四 2人\n")
    assert [(e.seq, e.name, e.qty) for e in got] == [(5, "张三", 1), (6, "李四", 2)]
    assert [e.name for e in parse_chain("#接龙\n1. 姓名：王芳 电话：13800001111\n2. 姓名：李四\n")] == ["王芳", "李四"]
    assert [e.name for e in parse_chain("#接龙\n1. 张三 时间：周六\n2. 李四\n")] == ["张三", "李四"]
    assert [e.seq for e in parse_chain("#接龙\n1. weixin://dl/business/?t=xyz\n2. 张三\n")] == [2]  # a link is no name


def test_role_lines_above_the_sign_up_list_are_no_entries() -> None:
    """Branch chains13 (tune: a club's meeting post): role lines (`主持人：王芳`, `分享嘉宾 1：李四`), then
    the sign-up list with its empty slots at the end; the members are the numbered lines that carry a
    person, a guest mark in brackets is note, the empty slots are nothing."""
    text = "周四读书会 #12\n主持人：王芳\n分享嘉宾 1：李四\n点评 2：赵六\n👥 参会接龙名单\n1. 王芳\n2. Amy Chen\n3. 李四（嘉宾）\n4.\n5.\n"
    assert [(e.seq, e.name, e.qty, e.note) for e in parse_chain(text)] == [
        (1, "王芳", 1, ""), (2, "Amy Chen", 1, ""), (3, "李四", 1, "嘉宾")]
