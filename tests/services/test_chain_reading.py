"""Reading real chains the way a person does (issue 15 #1 and #5, issue 13 #6 and #7): the
header is skipped, names keep what makes them a person, several products give several items,
and unsure readings say why. Pure parser tests, no database; the lines are the issues' own."""
from __future__ import annotations

import pytest

from services.jielong import for_product, parse_chain
from services.jielong.parser import ChainEntry


def _read(text: str) -> list[tuple]:
    return [(e.seq, e.name, e.qty, e.cancelled) for e in parse_chain(text)]


def _one(line: str) -> ChainEntry:
    [e] = parse_chain(line)
    return e


# ---------------------------------------------------------------- header vs entries

LUNCH = """#接龙
6.18号星期四午餐预定接龙（30元）
   1.红烧鲈鱼
   2.红烧肉
   3.炒茄子
6.18号星期四晚餐预定接龙（30元）
   1.香煎鸡中翅
   2.农家一碗香
例 桃子   1份午餐晚餐

1. 桃子   5份晚餐
2. 秀 午餐一份
"""


def test_an_indented_menu_and_the_example_line_are_header():
    assert _read(LUNCH) == [(1, "桃子", 5, False), (2, "秀", 1, False)]


def test_numbered_instructions_of_a_template_give_no_entries():
    text = """接龙
『暑期2021中期学生报告提交确认』

Wechaty OSPP'21 中期需提交内容包括：
1、组委会要求提交的报告
2、Wechaty社区要求提交的博客

请各个项目的同学，在确认已经完成后，接龙确认。
例 姓名/项目简称/Issue#"""
    assert parse_chain(text) == []


def test_a_numbered_format_line_and_a_title_as_item_one_are_not_orders():
    assert parse_chain("#接龙\n期中视频提交\n1. 姓名/项目简介/Issue#\n") == []
    assert _read("#接龙\n下午5.30左右到\n\n1. A材料学院水果美食团购\n2. abc 火龙果4个") == [(2, "abc", 4, False)]


def test_a_priced_product_list_above_the_entries_is_header():
    text = "#接龙\n周六水果\n1. 苹果 10元/斤\n2. 香蕉 5.5元/斤\n\n1. 张三 苹果2斤\n2. 李四"
    assert _read(text) == [(1, "张三", 2, False), (2, "李四", 1, False)]


def test_a_list_announced_with_a_colon_is_header_only_when_entries_follow_it():
    listed = "#接龙\n今日菜单：\n1. 红烧肉\n2. 炒青菜\n\n1. 王芳 1份\n2. 李四 2份"
    assert _read(listed) == [(1, "王芳", 1, False), (2, "李四", 2, False)]
    names_only = "#接龙\n报名名单：\n1. 王芳\n2. 李四"
    assert _read(names_only) == [(1, "王芳", 1, False), (2, "李四", 1, False)]


def test_a_product_list_the_entries_order_from_is_header():
    text = "#接龙\n今天到货\n1. 苹果\n2. 香蕉\n\n1. 张三 苹果1斤\n2. 李四 香蕉2斤"
    assert _read(text) == [(1, "张三", 1, False), (2, "李四", 2, False)]
    plain = "#接龙\n今天吃啥\n1. 红烧肉\n2. 青菜\n1. 王芳 1份\n2. 李四 2份"  # one chain is numbered once
    assert _read(plain) == [(1, "王芳", 1, False), (2, "李四", 2, False)]


def test_a_chain_pasted_twice_without_its_title_is_no_menu_and_is_read_as_last_posted():
    # The first copy is no menu of the second; a copy of the same chain is read once (round 7,
    # tests/services/test_chain_reposts.py): the plan keys entries by name and occurrence, so
    # both copies would count 王芳 twice.
    assert _read("1. 王芳\n2. 李四\n1. 王芳\n2. 李四 2份") == [(1, "王芳", 1, False), (2, "李四", 2, False)]
    assert _read("1. 王芳 1份\n2. 李四\n1. 王芳 1份\n2. 李四 2份\n3. 赵六") == [
        (1, "王芳", 1, False), (2, "李四", 2, False), (3, "赵六", 1, False)]


def test_numbered_rules_under_a_notice_are_not_orders_even_after_the_entries():
    text = "#接龙\n1. 王芳 1份\n2. 李四 2份\n温馨提示：\n1. 请按时自提\n2. 过时不候"
    assert _read(text) == [(1, "王芳", 1, False), (2, "李四", 2, False)]


def test_footers_and_members_lines_do_not_pass_for_example_or_format_lines():
    footer = "#接龙\n1. 王芳\n2. 李四\n3. 赵六\n例如有问题请联系团长\n格式不对的请改"
    assert [e.name for e in parse_chain(footer)] == ["王芳", "李四", "赵六"]
    member = "#接龙\n1. 王芳 1份\n2. 李四 手机号13812345678 房号502"  # field words, but a member's line
    assert [e.name for e in parse_chain(member)] == ["王芳", "李四"]
    template_last = "接龙\n需提交：\n1、报告\n2、博客\n3、视频\n例 姓名/项目简称/Issue#"  # nobody joined yet
    assert parse_chain(template_last) == []


def test_a_stray_indent_among_the_entries_is_no_menu():
    assert [e.name for e in parse_chain("1. 王芳 1份\n 2. 李四 1份\n   3. 赵六\n4. 钱七")] == ["王芳", "李四", "赵六", "钱七"]


def test_two_pasted_chains_each_keep_their_entries_and_numbers():
    one = "#接龙\n6月2日午餐 路线一\n例 张三 1份\n\n1. 王芳 1份\n2. 李四 1份\n"
    two = "#接龙\n6月2日午餐 路线二\n例 张三 1份\n\n1. 赵六 1份\n2. 钱七 2份\n"
    assert _read(one + two) == [(1, "王芳", 1, False), (2, "李四", 1, False), (1, "赵六", 1, False), (2, "钱七", 2, False)]


def test_continuation_lines_and_url_only_lines_are_not_entries():
    text = "#接龙\n8月3号\n\n1. redamancy http://t.csdn.cn/QxaEF\nIDEA相关配置\n2. 叶落秋白 \nhttp://t.csdn.cn/XjFbY\n3. http://t.csdn.cn/eqidG"
    assert _read(text) == [(1, "redamancy", 1, False), (2, "叶落秋白", 1, False)]


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "line,name,qty",
    [
        ("4. 妮，E区东门，少饭少菜", "妮", 1),  # full-width commas separate
        ("2. 张新,1", "张新", 1),
        ("5. 王芳、3栋、2份", "王芳", 2),
        ("6. 23土木6班 周八", "23土木6班 周八", 1),  # the class stays with the person
        ("7. 24土木1赵六", "24土木1赵六", 1),
        ("8. Jaxon J 鸡胸球", "Jaxon", 1),
        ("9. Catherine chen 晚餐1份", "Catherine chen", 1),
        ("10. Sissi-CC 晚餐1份", "Sissi-CC", 1),
        ("11. Kevin涛-增肌-8年~18天 打卡19天", "Kevin涛", 1),
        ("12. Edison 高质量互访在线秒回🌹http://t.csdn.cn/tABP2", "Edison", 1),
        ("13. 云谷11栋-葛原", "葛原", 1),  # a place, then the person
        ("14. 杨茜H区 1份", "杨茜", 1),
        ("1.张三18012345678，1号，101室，番茄1斤", "张三", 1),
    ],
)
def test_the_name_is_the_person_as_written(line, name, qty):
    e = _one(line)
    assert (e.name, e.qty) == (name, qty)
    assert "http" not in e.name and "，" not in e.name and "," not in e.name


def test_a_place_after_the_name_is_the_address():
    e = _one("4. 妮，E区东门，少饭少菜")
    assert (e.name, e.address, e.note) == ("妮", "E区东门", "少饭少菜")
    assert _one("5. 王芳 2份 东门自提").address == "东门自提"


def test_a_filled_in_format_is_read_without_its_labels():
    e = _one("1. 姓名：王芳 电话：13812345678 数量：2")
    assert (e.name, e.qty, e.phone) == ("王芳", 2, "13812345678")
    e = _one("4. 昵称:小雨 楼号:5栋")
    assert (e.name, e.address) == ("小雨", "5栋")


def test_a_url_is_never_a_name_nor_kept_in_the_note():
    e = _one("14. promise https://blog.csdn.net/m0_71485750/article/details/125994087 互三有关必回")
    assert e.name == "promise" and "http" not in e.note


def test_a_building_glued_to_the_name_stays_in_the_name_and_is_extracted_too():
    """Issue 13 #7: 5号楼刘 and 8号楼刘 are two neighbours, not one buyer 刘."""
    a, b, c = parse_chain("1. 5号楼刘\n2. 8号楼刘 2份\n3. 5号楼 刘 1份")
    assert (a.name, a.address) == ("5号楼刘", "5号楼")
    assert (b.name, b.address, b.qty) == ("8号楼刘", "8号楼", 2)
    assert a.name != b.name
    assert (c.name, c.address) == ("刘", "5号楼")  # written apart: the building, then the person


def test_a_punctuation_nickname_and_emoji_names_are_kept():
    assert _read("1. 。 午餐一份\n2. 😊 乐乐 3盒\n3. WF🎵 1份") == [(1, "。", 1, False), (2, "😊 乐乐", 3, False), (3, "WF🎵", 1, False)]


def test_places_the_chain_itself_uses_are_cut_from_names():
    text = "1. 云谷11栋-葛原\n2. sisy云谷\n3. 云谷美猴王1份\n4. 云谷B座 11份. 取消"
    assert _read(text) == [(1, "葛原", 1, False), (2, "sisy", 1, False), (3, "美猴王", 1, False), (4, "云谷B座", 11, True)]


# ---------------------------------------------------------------- quantities and items


@pytest.mark.parametrize(
    "line,qty",
    [
        ("1. 王芳 2份（1自备饭盒）", 2),
        ("2. 李四 四包", 4),
        ("3. Pepsi 凤梨板烧四件套", 1),
        ("4. 赵六 500ML12罐 2箱", 2),
        ("5. 钱七 600ml*24瓶4箱", 4),
        ("6. 孙八 6个装 2盒", 2),
        ("9. 钱七 500ml*12瓶 2箱", 2),
        ("10. 周九 500ml*12瓶", 1),
        ("7. 王芳 三只松鼠坚果 2袋", 2),  # a numeral running into a word is part of it
        ("8. 我是一个小可爱 1份", 1),
    ],
)
def test_numbers_of_the_product_or_pack_are_not_the_quantity(line, qty):
    assert _one(line).qty == qty


def test_a_multi_product_line_gives_one_item_per_product():
    e = _one("3. 任化东 红富士冰糖心4斤，香蕉（熟点）3斤，砂糖橘2斤")
    assert e.name == "任化东"
    assert e.items == [("红富士冰糖心", 4), ("香蕉", 3), ("砂糖橘", 2)]
    assert e.qty == 9 and "熟点" in e.note
    assert _one("1.295-909 五斤西瓜，十斤苹果").items == [("西瓜", 5), ("苹果", 10)]
    assert _one("2. 冰✡️saya🫧 麦辣鸡腿堡 + 麦辣鸡翅 + 桃气醒醒气泡美式").qty == 3
    assert [n for _, n in _one("4. 阿珍 小番茄 红和黄 各一斤").items] == [1, 1]
    assert _one("5. 陈 苹果2斤 梨3斤").items == [("苹果", 2), ("梨", 3)]
    assert _one("6. 王 可乐x2，雪碧x3").items == [("可乐", 2), ("雪碧", 3)]
    assert _one("7. 李 大米10kg/猪肉5公斤").items == [("大米", 10), ("猪肉", 5)]


def test_the_deals_product_is_matched_by_name_where_the_chain_sells_several():
    text = "1. 任化东 红富士冰糖心4斤，砂糖橘2斤\n2. 李四 砂糖橘3斤\n3. 王五 红富士冰糖心1斤"
    oranges = for_product(parse_chain(text), "砂糖橘")
    assert [(e.name, e.qty) for e in oranges] == [("任化东", 2), ("李四", 3)]
    apples = for_product(parse_chain(text), "冰糖心苹果")
    assert [(e.name, e.qty) for e in apples] == [("任化东", 4), ("王五", 1)]


def test_a_single_product_chain_is_read_as_before_for_its_deal():
    text = "1. 王芳 2份\n2. abc 火龙果4个\n3. 李四 苹果2袋"
    assert [(e.name, e.qty) for e in for_product(parse_chain(text), "赣南脐橙")] == [("王芳", 2), ("abc", 4), ("李四", 2)]


def test_no_product_of_the_deal_in_a_multi_product_chain_keeps_the_totals_with_a_hint():
    text = "1. 任化东 红富士冰糖心4斤，砂糖橘2斤\n2. 李四 香蕉3斤"
    got = for_product(parse_chain(text), "丹东红颜草莓")
    assert [e.qty for e in got] == [6, 3]
    assert all("丹东红颜草莓" in e.hint for e in got)


# ---------------------------------------------------------------- unsure readings say why


def test_a_nickname_ending_in_digits_then_a_bare_quantity_is_read_and_flagged():
    """Issue 13 #6: `79. 蒋奶奶36 2 4栋` is 2 份, flagged, never a silent 1."""
    e = _one("79. 蒋奶奶36 2 4栋")
    assert (e.name, e.qty, e.address) == ("蒋奶奶36", 2, "4栋")
    assert "36" in e.hint and "2" in e.hint and "核对" in e.hint


def test_other_unsure_quantities_carry_a_reason():
    assert "3份" in _one("1. 王芳 2份 3份").hint
    assert "512" in _one("2. 王燕燕 512 白色").hint
    assert "没有当作数量" in _one("3. 蒋奶奶36").hint
    assert "单位不同" in _one("4. 任化东 红富士冰糖心4斤，香蕉2把").hint


def test_plain_lines_carry_no_hint():
    for e in parse_chain("1. 王芳 2份 5栋\n2. Amy2020 2份\n3. 小王666 x1\n4. Lqz13Th\n5. 钱七 5号楼 2份"):
        assert e.hint == "", e
