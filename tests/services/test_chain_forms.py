"""More of the ways people write a 接龙 (issue 15 #1, generalising past the chains we have): rules
numbered above the entries, WeChat timestamps, other numbering marks, cancellation words, and
quantities in brackets, after a dash or after each product. Pure parser tests, no database."""
from __future__ import annotations

import pytest

from services.jielong import parse_chain


def _read(text: str) -> list[tuple]:
    return [(e.seq, e.name, e.qty, e.cancelled) for e in parse_chain(text)]


# ---------------------------------------------------------------- header vs entries

def test_numbered_rules_above_the_entries_are_header():
    text = "#接龙 周六爬山\n1、请写真实姓名\n2、每人限报一次\n3、周五晚上截止\n\n1、张三\n2、李四"
    assert _read(text) == [(1, "张三", 1, False), (2, "李四", 1, False)]


def test_a_chain_of_rules_only_has_no_entries():
    assert _read("#接龙 材料提交\n1、组委会要求提交的报告\n2、请按时间提交汇总表") == []
    # Rules that name a quantity are still rules (`每人限购1份`).
    assert _read("#接龙 水果团购\n1. 每人限购1份\n2. 团购成功后3天内送货上门\n3. 如遇特殊情况可申请退款") == []


def test_people_whose_names_hold_a_rule_word_are_still_entries():
    # Only rules in a block before the entries, or a block of nothing but rules, are header.
    assert _read("#接龙\n1. 张三\n2. 李四 需要发票") == [(1, "张三", 1, False), (2, "李四", 1, False)]


def test_a_wechat_timestamp_before_a_numbered_line_is_not_its_text():
    text = "2026年10月3日 22:14 1. 张三 2份\n22:15 收到\n22:16 2. 李四 1份"
    assert _read(text) == [(1, "张三", 2, False), (2, "李四", 1, False)]


@pytest.mark.parametrize("mark", ["。", "-", "）"])
def test_other_numbering_marks(mark):
    assert _read(f"#接龙\n1{mark}张三 2份\n2{mark}李四 1份") == [(1, "张三", 2, False), (2, "李四", 1, False)]


def test_keycap_numbers():
    assert _read("#接龙\n1️⃣ 张三 2份\n🔟 李四") == [(1, "张三", 2, False), (10, "李四", 1, False)]


def test_a_room_number_is_still_no_line_number():
    assert _read("#接龙\n1. 3-502 张三 2份") == [(1, "张三", 2, False)]


# ---------------------------------------------------------------- cancellations

@pytest.mark.parametrize("line", [
    "张三 2份 取消", "张三 撤回", "张三 2份（已取消）", "张三 2份【取消】", "张三 取消了", "张三 退出", "张三 芥菜不要了"])
def test_cancellation_forms(line):
    [e] = parse_chain(f"1. {line}")
    assert e.cancelled and e.name == "张三"


@pytest.mark.parametrize("line", ["张三 1份 葱不要", "张三 2份 不要香菜", "张三 不要辣", "张三 1份 香菜，不要"])
def test_what_not_to_put_in_is_no_cancellation(line):
    [e] = parse_chain(f"1. {line}")
    assert not e.cancelled and e.name == "张三"


# ---------------------------------------------------------------- quantities

@pytest.mark.parametrize("line, qty", [
    ("张三（2份）", 2), ("张三 (x3)", 3), ("张三 2份(1份不要辣)", 2), ("张三-2份", 2), ("张三~2份", 2),
    ("1-101-张三-2", 2), ("张三 x2", 2), ("张三 ×2", 2), ("张三 两份", 2), ("张三 3箱", 3), ("张三 2斤", 2),
    ("张三 2x", 2), ("张三 ✖️2", 2), ("张三|2份", 2), ("张三。2份", 2), ("张三「小区东门」2份", 2), ("张三 2XL", 1)])
def test_quantity_forms(line, qty):
    [e] = parse_chain(f"1. {line}")
    assert (e.name, e.qty) == ("张三", qty)


def test_product_then_its_quantity_apart_gives_items():
    [e] = parse_chain("1. 李四 苹果 2斤 梨 3斤")
    assert (e.name, e.qty, e.items) == ("李四", 5, [("苹果", 2), ("梨", 3)])


def test_a_plus_list_of_changes_to_one_dish_is_one_dish():
    [e] = parse_chain("1. Henry D 烤牛 不要酱+青椒洋葱+酸黄瓜酸辣椒")
    assert (e.name, e.qty, e.items) == ("Henry", 1, [])
    [e] = parse_chain("1. 王 麦辣鸡腿堡 + 麦辣鸡翅")
    assert e.qty == 2


def test_size_words_are_no_ticket_class():
    [e] = parse_chain("1. 张三 小份")
    assert (e.qty, e.note) == (1, "小份")
    assert parse_chain("1. 李四 2大1小")[0].qty == 3


def test_a_whole_chain_of_glued_counts_reads_them_with_a_hint():
    a, b = parse_chain("送心员：\n1.小汐5\n2.小六5")
    assert [(a.name, a.qty), (b.name, b.qty)] == [("小汐", 5), ("小六", 5)]
    assert "按数量读取" in a.hint


def test_numbered_members_are_no_glued_counts():
    # `1. 团员1`: the number repeats the line's own, it is part of the name.
    assert _read("1. 团员1\n2. 团员2") == [(1, "团员1", 1, False), (2, "团员2", 1, False)]
    # One nickname ending in a digit among others is a nickname.
    assert _read("1. 小汐5\n2. 李四") == [(1, "小汐5", 1, False), (2, "李四", 1, False)]


# ---------------------------------------------------------------- names

def test_an_emoji_decorating_a_nickname_stays_with_it():
    [e] = parse_chain("7. 冰✡️saya 🫧 C 牛肋条")
    assert e.name == "冰✡️saya 🫧"


def test_a_tick_or_a_product_emoji_before_the_quantity_is_not_the_name():
    assert parse_chain("1. 张三 ✅ 加辣")[0].name == "张三"
    assert parse_chain("1. 张三 🍉 2份")[0].name == "张三"


def test_at_signs_are_not_part_of_the_name():
    assert _read("1. @张三 2份\n2. 李四@5栋 1份") == [(1, "张三", 2, False), (2, "李四", 1, False)]


# ---------------------------------------------------------------- addresses

@pytest.mark.parametrize("line, name, address", [
    ("3#502 张三 2份", "张三", "3#502"), ("A3-502 张三", "张三", "A3-502"), ("295-909 张三", "张三", "295-909"),
    ("3-2-502 张三 1份", "张三", "3-2-502"), ("3栋502张三 2份", "3栋502张三", "3栋502")])
def test_room_numbers_are_the_address_and_never_the_quantity(line, name, address):
    [e] = parse_chain(f"1. {line}")
    assert (e.name, e.address) == (name, address) and e.qty in (1, 2)


def test_a_room_alone_is_who_orders():
    [e] = parse_chain("1. 295-909 消毒药三瓶")
    assert (e.name, e.qty) == ("295-909", 3)


@pytest.mark.parametrize("line, qty", [("张三 2人", 2), ("张三 2位", 2), ("张三 大人2位 小孩1位", 3)])
def test_people_counts_of_a_sign_up(line, qty):
    assert parse_chain(f"1. {line}")[0].qty == qty


@pytest.mark.parametrize("line, name", [("张三要2份", "张三"), ("张三订2份", "张三"), ("张三买两份", "张三"),
                                        ("王要2份", "王要"), ("未来2份", "未来")])
def test_an_order_verb_glued_to_the_quantity_is_not_the_name(line, name):
    assert parse_chain(f"1. {line}")[0].name == name


def test_circled_numbers_number_a_line():
    assert _read("#接龙\n① 张三 2份\n②李四 1份\n❸ 王五") == [(1, "张三", 2, False), (2, "李四", 1, False), (3, "王五", 1, False)]


# ---------------------------------------------------------------- round 3 (heldout opened)

def test_a_clock_time_is_no_quantity():
    text = "#接龙 早起打卡\n1. 阿杰 6:40-7:30 跑步 8:00 上班\n2. 小鱼 07:05:12\n3. 老周 2份 11:30前取"
    assert _read(text) == [(1, "阿杰", 1, False), (2, "小鱼", 1, False), (3, "老周", 2, False)]


def test_a_breakdown_or_a_swap_is_part_of_the_order_not_more_of_it():
    text = ("#接龙 周五午餐\n1. 小林 3份，其中1份不要香菜，另1份米饭换面\n"
            "2. 阿梅 2份（少饭），1份换主食：玉米\n3. 老王 1份，青菜换豆腐")
    assert _read(text) == [(1, "小林", 3, False), (2, "阿梅", 2, False), (3, "老王", 1, False)]


def test_a_product_glued_after_another_ones_quantity_is_an_item_of_its_own():
    entry = parse_chain("#接龙\n1. 阿强 西瓜1个葡萄2斤，雪碧12瓶装一提")[0]
    assert entry.items == [("西瓜", 1), ("葡萄", 2), ("雪碧12瓶装", 1)] and entry.qty == 4


def test_products_apart_by_spaces_each_closed_by_its_quantity():
    entry = parse_chain("#接龙\n1. 阿珍 土豆3斤 青椒 红和绿 各半斤 鸡蛋 2盒 面条1包")[0]
    # 半斤 is no whole number: 青椒 stays unread, so the line is not split into items.
    assert entry.qty >= 1
    entry = parse_chain("#接龙\n1. 阿珍 土豆3斤 青椒 红和绿 各一斤 鸡蛋 2盒 面条1包")[0]
    assert entry.items == [("土豆", 3), ("青椒 红", 1), ("青椒 绿", 1), ("鸡蛋", 2), ("面条", 1)]
    assert entry.qty == 8


def test_words_around_a_plus_are_no_dish_list():
    assert _read("#接龙 今日计划\n1. 阿豪 早饭 读书+写作") == [(1, "阿豪", 1, False)]
    entry = parse_chain("#接龙\n1. 小米 汉堡+薯条+可乐")[0]
    assert entry.qty == 3  # dishes named alone, one each


def test_a_chain_ordering_by_menu_number_reads_the_numbers_as_items():
    text = ("#接龙 周末甜品\n1. 芒果班戟 18.8\n2. 榴莲千层 26.5/盒\n3. 双皮奶 9.9\n4. 杨枝甘露 15/杯\n\n"
            "1. 小雅 1+3\n2. Momo 2 + 4x2 自取\n3. 阿光 3\n4. 🐱 1（原味+抹茶）+2")
    assert _read(text) == [(1, "小雅", 2, False), (2, "Momo", 3, False), (3, "阿光", 1, False),
                           (4, "🐱", 3, False)]
    assert "自取" in parse_chain(text)[1].note


def test_numbers_after_a_plain_menu_stay_quantities():
    # The menu has no prices and nobody joins numbers with `+`: `王芳 2` is two of the set meal.
    text = "#接龙 午餐（25元）\n   1.红烧肉\n   2.清炒时蔬\n1. 王芳 2\n2. 李四 1份"
    assert _read(text) == [(1, "王芳", 2, False), (2, "李四", 1, False)]
    # A priced menu, but members order by quantity: the numbers are quantities.
    text = "#接龙 水果\n1. 苹果 6.5/斤\n2. 香蕉 3.9\n\n1. 王芳 2斤\n2. 李四 3斤"
    assert _read(text) == [(1, "王芳", 2, False), (2, "李四", 3, False)]


def test_a_two_item_price_list_is_no_menu_to_order_by_number():
    # `2+1` under 成人 / 儿童 prices is more likely two adults and a child than item 2 and item 1.
    text = "#接龙 周末游\n1. 成人 100元\n2. 儿童 50元\n\n1. 张三 2+1\n2. 李四 1+1"
    assert all(not e.items or not any("成人" in p or "儿童" in p for p, _ in e.items) for e in parse_chain(text))


# ---------------------------------------------------------------- round 4 (branch chains4)

@pytest.mark.parametrize("line, qty", [
    ("桃子 午餐1份 晚餐2份", 3), ("小李 1份午餐 2份晚餐", 3), ("老周 午餐2 晚餐1", 3),
    ("阿强 午餐晚餐各1份", 2), ("阿珍 午晚餐各2份", 4), ("阿伟 午餐一份，晚餐两份", 3),
    ("王芳 晚餐3份", 3), ("李四 8份晚餐", 8), ("张三 1份午餐", 1),
])
def test_a_meal_split_adds_the_portions_of_each_meal(line, qty):
    entry = parse_chain(f"#接龙 明日订餐\n例 桃子 1份午餐\n1. {line}")[0]
    assert entry.qty == qty and not entry.items  # meals are no products
    if qty != int("".join(c for c in line if c.isdigit()) or 0) and "各" not in line:
        assert "午餐" in entry.note and "晚餐" in entry.note  # the split stays visible


def test_entries_numbered_in_chinese_numerals():
    assert _read("#接龙 周六聚餐\n一、张三 2份\n二、李四 1份\n三、王五") == [
        (1, "张三", 2, False), (2, "李四", 1, False), (3, "王五", 1, False)]


def test_chinese_numbered_sections_above_the_entries_are_header():
    text = "#接龙 羽毛球\n一、活动时间：周六上午\n二、活动地点：小区门口\n三、费用：AA\n1. 张三\n2. 李四"
    assert _read(text) == [(1, "张三", 1, False), (2, "李四", 1, False)]
    assert _read("#接龙\n一、报名须知：请写真实姓名\n二、缴费时间：周五前\n三、集合地点：南门") == []
    # Sections or a list numbered 一、 with nothing ordered: a header-only chain.
    assert _read("#接龙 通知\n一、时间：周六上午9点\n二、地点：小区广场\n三、内容：义诊") == []
    assert _read("#接龙 物资登记\n一、口罩\n二、消毒液\n三、手套") == []
    assert _read("#接龙 今日菜单\n一、红烧肉\n二、番茄炒蛋\n\n1. 张三 红烧肉1份\n2. 李四 2份") == [
        (1, "张三", 1, False), (2, "李四", 2, False)]


def test_a_date_alone_on_a_line_is_no_entry():
    assert _read("#接龙\n\n8.7\n\n1. 示例事项\n2. 小王-7.19-9.7")[-1][:2] == (2, "小王")
    assert all(seq != 8 for seq, *_ in _read("#接龙 打卡\n5.20\n1. 小王\n2. 小李"))


def test_a_numbered_format_line_of_other_fields_is_header():
    assert _read("#接龙 新品首销\n1. 门店+型号\n2. 东门店程某 Mate70") == [(2, "东门店程某", 1, False)]
    assert _read("#接龙 订货\n1. 商品/规格/数量\n2. 王芳 苹果 2箱") == [(2, "王芳", 2, False)]


@pytest.mark.parametrize("line, phone, note", [
    ("李四 尾号5678 1份", "", "尾号5678"), ("王五 手机尾号：1234 3份", "", "尾号1234"),
    ("赵六 138 1234 5678 2份", "13812345678", ""), ("钱七 138-1234-5678", "13812345678", ""),
])
def test_phone_tails_and_spaced_phones_are_no_quantity_nor_item(line, phone, note):
    entry = parse_chain(f"#接龙\n1. {line}")[0]
    assert entry.phone == phone and note in entry.note and not entry.items
    assert entry.qty == (int(line[-2]) if line.endswith("份") else 1)


def test_a_quantity_wrapped_onto_the_next_line_belongs_to_the_entry():
    text = "#接龙\n1. 张三 红富士苹果\n2斤\n2. 李四\n3栋502 1份\n3. 王五 1份\n共4份"
    assert _read(text) == [(1, "张三", 2, False), (2, "李四", 1, False), (3, "王五", 1, False)]
    # A footer or a note with a colon under the last entry is not its quantity.
    assert _read("#接龙\n1. 张三\n2. 李四\n共20份")[-1] == (2, "李四", 1, False)
    assert _read("#接龙\n1. 张三\n2. 李四\n还有5份")[-1] == (2, "李四", 1, False)
    assert _read("#接龙\n1. 张三\n满10份成团") == [(1, "张三", 1, False)]
    assert _read("#接龙 打卡\n1. 阿豪 打卡19天\n胸部：俯卧撑100个")[0] == (1, "阿豪", 1, False)
    # One product a line under the person: each line an item.
    entry = parse_chain("#接龙\n1. 张三\n   苹果2斤\n   梨1斤\n2. 李四 1斤")[0]
    assert (entry.qty, entry.items) == (3, [("苹果", 2), ("梨", 1)])
    assert _read("#接龙\n1. 张三\n苹果2斤\n\n三点截单\n2斤") == [(1, "张三", 2, False)]


def test_repeated_numbers_after_an_edit_keep_both_people():
    assert _read("#接龙\n1. 张三 2份\n2. 李四 1份\n2. 王五 3份\n3. 赵六") == [
        (1, "张三", 2, False), (2, "李四", 1, False), (2, "王五", 3, False), (3, "赵六", 1, False)]


def test_emoji_nicknames_and_a_leaders_mark():
    assert _read("#接龙\n1. 🌸小花🌸 2份\n2. 小鱼🐟 1份\n3. 🍓 草莓妈妈 3盒") == [
        (1, "🌸小花🌸", 2, False), (2, "小鱼🐟", 1, False), (3, "🍓 草莓妈妈", 3, False)]
    entry = parse_chain("#接龙 水果团\n团长：李姐\n1. 李姐（团长）2斤\n2. 王芳 3斤\n团长备注：明天下午到货")[0]
    assert (entry.name, entry.qty, entry.note) == ("李姐", 2, "团长")


def test_numbers_in_brackets_number_a_line():
    assert _read("#接龙\n(1) 张三 2份\n（2）李四 1份\n【3】王五 3份") == [
        (1, "张三", 2, False), (2, "李四", 1, False), (3, "王五", 3, False)]


@pytest.mark.parametrize("line, qty", [
    ("张三 2份+1份", 3), ("张三 1箱 + 1箱", 2), ("张三 大份1 小份2", 3), ("张三 1大份 2小份", 3),
    ("张三 大杯2 小杯1", 3), ("张三 两大一小", 3), ("张三 一大一小", 2), ("张三 2份 一小时后到", 2),
    ("张三 两大份", 1), ("张三 苹果x2 梨x1", 3),
])
def test_sums_splits_and_counts_in_words(line, qty):
    assert parse_chain(f"#接龙\n1. {line}")[0].qty == qty


def test_who_an_order_is_for_or_how_it_changed_is_no_product():
    for line in ("张三 代李四 2份", "张三 改为3份", "李姐 团长自留 2份"):
        assert parse_chain(f"#接龙\n1. {line}")[0].items == [], line
    assert parse_chain("#接龙\n1. 张三 苹果x2 梨x1")[0].items == [("苹果", 2), ("梨", 1)]


def test_a_lone_tui_at_the_end_cancels():
    assert _read("#接龙\n1. 张三 退\n2. 李四 2份") == [(1, "张三", 1, True), (2, "李四", 2, False)]


@pytest.mark.parametrize("line", ["张三 2份 删除", "张三 2份 划掉", "张三 2份（删）", "张三 2份 删"])
def test_struck_out_lines_are_cancelled(line):
    assert parse_chain(f"#接龙\n1. {line}")[0].cancelled


def test_a_changed_quantity_is_the_order():
    entry = parse_chain("#接龙\n1. 张三 1份 已改为2份\n2. 李四 改成3份")
    assert [(e.name, e.qty, e.items) for e in entry] == [("张三", 2, []), ("李四", 3, [])]


def test_when_and_where_are_no_product():
    for line, addr in (("张三 明天10点取 1份", ""), ("张三 二楼 2份", "二楼"), ("张三 二栋 2份", "二栋")):
        entry = parse_chain(f"#接龙\n1. {line}")[0]
        assert entry.items == [] and entry.address == addr, line


def test_products_with_a_count_glued_after_them():
    entry = parse_chain("#接龙\n1. 赵六 苹果2 梨3 香蕉1")[0]
    assert (entry.qty, entry.items) == (6, [("苹果", 2), ("梨", 3), ("香蕉", 1)])
    assert parse_chain("#接龙\n1. 阿杰 团员12 团员13")[0].items == []  # the same word twice: no products


def test_a_leaders_numbered_remark_is_no_entry():
    assert _read("#接龙 车厘子\n1. 张三 2斤\n2. 李四 1斤\n3. 团长：已满10斤，可以成团") == [
        (1, "张三", 2, False), (2, "李四", 1, False)]
    assert _read("#接龙\n1. 张三 2斤\n2. 团长 3斤") == [(1, "张三", 2, False), (2, "团长", 3, False)]


def test_time_slots_offered_are_no_people():
    text = "#接龙 取货时间\n1. 上午9-10点\n2. 下午3-4点\n\n1. 张三 上午\n2. 李四 下午"
    assert _read(text) == [(1, "张三", 1, False), (2, "李四", 1, False)]
    assert _read("#接龙\n1. 505 4/4\n2. 295-909 2份") == [(1, "505", 1, False), (2, "295-909", 2, False)]


def test_a_price_list_per_unit_alone_is_a_header_only_chain():
    assert _read("#接龙 今日水果\n1. 车厘子 58元/斤\n2. 草莓 30元/盒\n3. 蓝莓 25元/盒") == []
    # Orders that carry a price stay orders.
    assert _read("#接龙\n1. 张三 车厘子2斤 116元\n2. 李四 草莓1盒 30元")[0][:3] == (1, "张三", 2)


@pytest.mark.parametrize("line, qty, phone, addr", [
    ("张三（13812345678）2份", 2, "13812345678", ""), ("张三/2份/3栋", 2, "", "3栋"), ("张三 3栋/2份", 2, "", "3栋"),
    ("张三 2️⃣份", 2, "", ""),
])
def test_phone_in_brackets_slashes_and_keycap_quantities(line, qty, phone, addr):
    entry = parse_chain(f"#接龙\n1. {line}")[0]
    assert (entry.name, entry.qty, entry.phone, entry.address) == ("张三", qty, phone, addr)
    assert [(e.seq, e.name) for e in parse_chain("#接龙\n1️⃣王芳 2️⃣张伟 3️⃣李四")] == [(1, "王芳"), (2, "张伟"), (3, "李四")]


# ---------------------------------------------------------------- round 5 (branch chains5): WeChat conventions
# Forms of our own for conventions real chains use (issue 15 #1); each with a negative.

def test_plus_sign_up_lines_numbered_or_not():
    assert _read("#接龙 西瓜\n1. 张三+1\n2. +1 李四\n3. 王五 +2") == [
        (1, "张三", 1, False), (2, "李四", 1, False), (3, "王五", 2, False)]
    assert _read("#接龙 卤味\n1. 王芳 1份\n李四 +1\n+2 钱七") == [
        (1, "王芳", 1, False), (None, "李四", 1, False), (None, "钱七", 2, False)]


def test_plus_one_replies_in_a_chat_where_members_order_in_words_are_no_entries():
    # Only the numbered lines are entries there (tests/data/real/README.md); `王五要3份` is chat too.
    assert _read("#接龙\n1. 张三 2份\n2、李四 1\n王五要3份\n赵六+1\n孙七x2") == [(1, "张三", 2, False), (2, "李四", 1, False)]
    assert _read("#接龙\n1. 张三 2份\n王五+1\n李四不要了") == [(1, "张三", 2, False)]


def test_a_plus_one_under_its_sender_line_is_the_senders():
    text = "#接龙 西瓜\n1. 王芳 1份\n张三 12:01\n+1\n李四 2026-06-01 12:03:10\n+2"
    assert _read(text) == [(1, "王芳", 1, False), (None, "张三", 1, False), (None, "李四", 2, False)]
    # A sender line is no entry by itself, nor is a +1 with nobody above it.
    assert _read("#接龙 西瓜\n1. 王芳 1份\n张三 12:01\n收到") == [(1, "王芳", 1, False)]


@pytest.mark.parametrize("line", ["张三 一斤半", "张三 半斤", "张三 两斤半", "张三 1斤半", "张三 2.5斤"])
def test_a_weight_with_a_half_is_one_order_with_the_weight_in_the_note(line):
    [e] = parse_chain(f"#接龙 鸡蛋\n1. {line}")
    weight = line.split()[1]
    assert (e.name, e.qty, e.note) == ("张三", 1, weight) and weight in e.hint


def test_a_half_that_is_no_weight_keeps_the_quantity():
    [e] = parse_chain("#接龙 奶茶\n1. 张三 1杯半糖")
    assert (e.qty, e.hint) == (1, "")
    assert parse_chain("#接龙\n1. 张三 2斤")[0].qty == 2


@pytest.mark.parametrize("line, qty", [("张三 贰份", 2), ("张三 叁斤", 3), ("张三 壹箱", 1), ("张三 拾份", 10)])
def test_financial_numerals_before_a_unit(line, qty):
    assert _read(f"#接龙\n1. {line}") == [(1, "张三", qty, False)]


def test_a_financial_numeral_as_a_name_stays_a_name():
    assert _read("#接龙\n1. 陆 2份\n2. 小陆 1份") == [(1, "陆", 2, False), (2, "小陆", 1, False)]


@pytest.mark.parametrize("line, qty", [
    ("张三 x2", 2), ("张三 ×2", 2), ("张三 *2", 2), ("张三 2个", 2), ("张三 两箱", 2), ("张三 X3", 3), ("张三 2X", 2)])
def test_times_and_unit_variants(line, qty):
    assert _read(f"#接龙\n1. {line}") == [(1, "张三", qty, False)]


def test_wechat_emoji_codes_are_no_name_nor_note():
    entries = parse_chain("#接龙\n1. 张三[玫瑰] 2份\n2. [爱心]李四 1份\n3. 王五 2份[抱拳][抱拳]\n4. [强]")
    assert [(e.seq, e.name, e.qty, e.note) for e in entries] == [(1, "张三", 2, ""), (2, "李四", 1, ""), (3, "王五", 2, "")]
    # A bracket that is no WeChat code is still a note; Unicode emoji in a nickname stay.
    assert [(e.name, e.note) for e in parse_chain("#接龙\n1. 王五🌹 2份[不要辣]")] == [("王五🌹", "不要辣")]


@pytest.mark.parametrize("line, addr", [
    ("3栋-502 张三 2份", "3栋-502"), ("3号楼-1单元-502 张三 2份", "3号楼-1单元-502"), ("张三 3-1-502 2份", "3-1-502"),
    ("张三 13812345678 3-1-502 2份", "3-1-502")])
def test_building_dash_room_is_the_address(line, addr):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert (e.name, e.qty, e.address) == ("张三", 2, addr)


def test_building_dash_room_glued_to_the_name_stays_in_it_and_a_dash_quantity_is_none():
    assert _read("#接龙\n1. 3栋-502张三 2份\n2. 3-502李四 1份") == [(1, "3栋-502张三", 2, False), (2, "3-502李四", 1, False)]
    [e] = parse_chain("#接龙\n1. 张三 3栋-2份")
    assert (e.qty, e.address) == (2, "3栋")


@pytest.mark.parametrize("line", ["张三 自提 两份", "张三 2份 自提", "张三 配送 2份", "张三 2份（送货上门）"])
def test_pickup_or_delivery_remarks_are_no_product(line):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert (e.name, e.qty, e.items) == ("张三", 2, [])


def test_a_weight_glued_to_the_product_then_a_count_orders_the_count():
    entries = parse_chain("#接龙\n1. 张三 苹果5斤 x2\n2. 李四 脐橙10斤/箱 ×1\n3. 王五 苹果5斤x2，梨3斤x1\n4. 赵六 牛肉500g*3")
    assert [(e.name, e.qty) for e in entries] == [("张三", 2), ("李四", 1), ("王五", 3), ("赵六", 3)]
    assert entries[2].items == [("苹果5斤", 2), ("梨3斤", 1)]
    # A pack size before a count of boxes is still the pack (`600ml*24瓶4箱` → 4).
    assert parse_chain("#接龙\n1. 孙八 600ml*24瓶4箱")[0].qty == 4


def test_lines_numbered_with_a_space_only():
    assert _read("#接龙 水果\n1 张三 2份\n2 李四 1份\n3 王五") == [(1, "张三", 2, False), (2, "李四", 1, False), (3, "王五", 1, False)]
    assert _read("#接龙\n1. 王芳 1份\n2 李四\n3 王五 2份") == [(1, "王芳", 1, False), (2, "李四", 1, False), (3, "王五", 2, False)]


def test_a_number_and_a_space_that_do_not_count_up_are_no_line_numbers():
    assert _read("#接龙 西瓜\n2 点截单\n3 号楼自提") == []
    assert _read("#接龙 西瓜\n截单时间 周五\n5 斤起送\n\n1. 张三 2份") == [(1, "张三", 2, False)]
    assert _read("#接龙\n12 点前付款\n8 张三") == []


def test_meals_named_without_a_number_are_a_portion_each():
    assert _read("#接龙\n1.陈馨平、早餐，午餐\n2.龙梓茵丶午餐\n3、苏茵婷   早餐   午餐") == [
        (1, "陈馨平", 2, False), (2, "龙梓茵", 1, False), (3, "苏茵婷", 2, False)]
    # A number says how many; a nickname may end in 丶.
    assert _read("#接龙\n1. 张三 3份 午餐晚餐\n2. 林丶 2份") == [(1, "张三", 3, False), (2, "林丶", 2, False)]


def test_two_numbered_lines_far_apart_on_one_line():
    text = "#接龙\n10、杜雨峻,午餐。      11、邓灵 早餐，午餐\n12、王辰初   午餐"
    assert _read(text) == [(10, "杜雨峻", 1, False), (11, "邓灵", 2, False), (12, "王辰初", 1, False)]
    # Wide space before a number that does not go on is no second line (`张三   5. 号楼`).
    assert _read("#接龙\n1. 张三 2份     8.5折") == [(1, "张三", 2, False)]


@pytest.mark.parametrize("line, qty", [("定2份", 2), ("来2份", 2), ("一共3盒", 3), ("合计2份", 2), ("拍2份", 2), ("买了2份", 2)])
def test_how_an_order_is_said_is_no_product(line, qty):
    [e] = parse_chain(f"#接龙 苹果\n1. 张三 {line}")
    assert (e.name, e.qty, e.items) == ("张三", qty, [])
    # A dish that starts with such a word is still a product.
    assert parse_chain("#接龙\n1. 张三 拍黄瓜2份")[0].items == [("拍黄瓜", 2)]


def test_a_keycap_ending_a_line_is_its_quantity():
    assert _read("#接龙\n1️⃣ 张三 2️⃣\n2️⃣ 李四") == [(1, "张三", 2, False), (2, "李四", 1, False)]
    assert _read("#接龙\n3️⃣王芳 4️⃣张伟") == [(3, "王芳", 1, False), (4, "张伟", 1, False)]


def test_the_emoji_plus_sign_adds_like_plus():
    assert _read("#接龙\n1. 张三 ➕1\n2. 李四➕2") == [(1, "张三", 1, False), (2, "李四", 2, False)]
    assert _read("#接龙\n1. 王芳 1份\n李四➕1") == [(1, "王芳", 1, False), (None, "李四", 1, False)]


def test_a_tick_after_a_name_is_the_leaders_mark_and_other_emoji_stay():
    assert _read("#接龙\n1. 王五✅ 2份\n2. 吴十✔️\n3. 赵六👍\n4. ❤️郑一❤️ 3份") == [
        (1, "王五", 2, False), (2, "吴十", 1, False), (3, "赵六👍", 1, False), (4, "❤️郑一❤️", 3, False)]


def test_a_count_right_after_an_emoji_product():
    assert _read("#接龙\n1. 冯二 🍎2\n2. 陈三 🍎×2") == [(1, "冯二", 2, False), (2, "陈三", 2, False)]
    assert _read("#接龙\n1. 小美🌸 2份") == [(1, "小美🌸", 2, False)]


@pytest.mark.parametrize("line", ["张三 退了", "张三 已退", "张三 2份 已退款", "张三 退单", "张三 2份 改为0"])
def test_refunded_or_changed_to_nothing_is_cancelled(line):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert e.cancelled and e.name == "张三"


@pytest.mark.parametrize("line, qty", [("张三 不退不换", 1), ("张三 2份 改为10份", 10), ("张三 2份 改成3份", 3)])
def test_a_no_returns_note_or_a_new_quantity_is_no_cancel(line, qty):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert (e.cancelled, e.qty) == (False, qty)


@pytest.mark.parametrize("text", [
    "#接龙\n【赣南脐橙】产地直发\n1.【脐橙】5斤装 ¥39.9\n2.【脐橙】10斤装 ¥69.9\n3.【血橙】5斤装 ¥49.9\n截单时间：周五晚8点",
    "#接龙 周六团购\n自提点：\n1. 东门快递柜旁\n2. 西门保安亭\n3. 北区3栋大堂",
    "#接龙 新鲜草莓\n规格：\n1. 大果 2斤装\n2. 中果 3斤装\n例 张三 1份 3栋",
    "【团购】东北大米\n1. 5kg装 65元\n2. 10kg装 120元\n付款后截图给团长",
])
def test_an_announcement_whose_list_orders_nothing_is_header_only(text):
    assert _read(text) == []


def test_lists_of_people_under_a_colon_or_with_prices_stay_entries():
    assert _read("#接龙 爬山\n名单：\n1. 张三\n2. 李四") == [(1, "张三", 1, False), (2, "李四", 1, False)]
    assert _read("#接龙 AA\n1. 张三 已付50元\n2. 李四 已付50元")[0][:2] == (1, "张三")
    assert _read("#接龙 水果\n1. 张三 车厘子 116元\n2. 李四 草莓 30元")[1][:2] == (2, "李四")
    # The priced product list above the orders is the menu; the orders below it are read.
    text = "#接龙 牛奶\n1. 纯牛奶 250ml*24盒 59元\n2. 酸奶 200g*12杯 45元\n\n1. 张三 纯牛奶 x2\n2. 李四 酸奶 1箱"
    assert _read(text) == [(1, "张三", 2, False), (2, "李四", 1, False)]


def test_the_leaders_tally_below_the_entries_is_no_entry():
    text = "#接龙 水果\n1. 张三 苹果2斤\n2. 李四 梨3斤\n\n统计：\n1. 苹果 2斤\n2. 梨 3斤"
    assert _read(text) == [(1, "张三", 2, False), (2, "李四", 3, False)]
    # A first list under such a word is still the chain (nothing above it to tally).
    assert _read("#接龙 水果\n统计：\n1. 张三 2斤\n2. 李四 3斤") == [(1, "张三", 2, False), (2, "李四", 3, False)]


@pytest.mark.parametrize("word", ["截止", "已截单", "结束", "满了"])
def test_a_numbered_closing_word_is_no_entry(word):
    assert _read(f"#接龙 水果\n1. 张三 2份\n2. 李四 1份\n3. {word}") == [(1, "张三", 2, False), (2, "李四", 1, False)]


@pytest.mark.parametrize("line", ["张三3-502 2份", "张三-3-502 2份", "张三2份3-502", "张三/3-502/2份", "3-502-张三 2份"])
def test_a_room_glued_to_a_name_or_a_quantity_is_the_address(line):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert (e.name, e.qty, e.address) == ("张三", 2, "3-502")


@pytest.mark.parametrize("line, qty, note", [("张三 苹果2-3斤", 1, "苹果2-3斤"), ("张三 下午3-4点 2份", 2, "下午3-4点")])
def test_a_range_glued_to_a_word_is_no_room(line, qty, note):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert (e.name, e.qty, e.address, e.note) == ("张三", qty, "", note)


def test_an_entry_marked_as_the_example_is_no_entry():
    assert _read("#接龙 水果\n1. 张三 2份 3栋（示例）\n2. 李四 2份") == [(2, "李四", 2, False)]
    assert _read("#接龙 水果\n1. 张三 2份（例）\n2. 李四（代买）2份") == [(2, "李四", 2, False)]


def test_products_with_a_count_glued_after_them_apart_by_commas():
    [e] = parse_chain("#接龙\n1. 王五：苹果2、香蕉1")
    assert (e.name, e.qty, e.items) == ("王五", 3, [("苹果", 2), ("香蕉", 1)])
    # The same word twice is no product list.
    assert parse_chain("#接龙\n1. 阿杰 团员12、团员13")[0].items == []


def test_a_hash_and_a_number_numbers_a_line():
    assert _read("#接龙 苹果\n#1 张三 苹果x2\n#2 李四 苹果x1\n#3张** 苹果x3") == [
        (1, "张三", 2, False), (2, "李四", 1, False), (3, "张**", 3, False)]
    # Hashtags and a year are no line numbers.
    assert _read("#接龙 #团购\n#2024 新年团\n#好物推荐") == []


def test_keycaps_written_in_the_other_order():
    # `1⃣️` (digit, keycap, variation selector) is how some phones write `1️⃣`.
    assert _read("#接龙\n1\u20e3\ufe0f 张三 2\u20e3\ufe0f份\n2\u20e3\ufe0f 李四\n3\u20e3 王五 1份") == [
        (1, "张三", 2, False), (2, "李四", 1, False), (3, "王五", 1, False)]


@pytest.mark.parametrize("line, qty, note", [("张三已付 2份", 2, "已付"), ("张三已转2份", 2, "已转"), ("张三未付", 1, "未付")])
def test_a_payment_word_glued_to_the_name_is_a_note(line, qty, note):
    [e] = parse_chain(f"#接龙\n1. {line}")
    assert (e.name, e.qty, e.note) == ("张三", qty, note)
    assert parse_chain("#接龙\n1. 王交 2份")[0].name == "王交"  # a name ending in 交 keeps it


def test_a_space_numbered_count_of_days_or_yuan_is_no_line_number():
    assert _read("#接龙 水果\n1 天内发货\n2 天无理由\n3 元运费") == []
    assert _read("#接龙 水果\n1 小王 2份\n2 周杰\n3 月月 1份") == [(1, "小王", 2, False), (2, "周杰", 1, False), (3, "月月", 1, False)]


def test_a_spec_written_without_its_zhuang_is_the_spec_not_a_quantity():
    # Live-night finding (night 8): with specs 5斤装 / 10斤装, `张姐 1 10斤` was saved as 10 份.
    specs = ["5斤装", "10斤装"]
    chain = "#接龙 赣南脐橙\n例 张三 1份 5斤装 3栋\n1. 张姐 1 10斤 2栋302\n2. 李四 10斤 2\n3. 小美 5斤x2\n4. 老周 15斤 1"
    got = [(e.name, e.qty, e.spec) for e in parse_chain(chain, specs)]
    assert got[:3] == [("张姐", 1, "10斤装"), ("李四", 2, "10斤装"), ("小美", 2, "5斤装")]
    assert got[3][2] == ""  # 15斤 is not the spec 5斤装


def test_a_line_naming_no_product_in_a_two_product_chain_is_flagged_for_each_deal():
    # Night 8: `小美 +1` under 脐橙 and 草莓 went silently into both deals.
    from services.jielong import for_product

    chain = ("#接龙 水果团\n1、赣南脐橙 5斤 29.9\n2、丹东草莓 3斤 39.9\n例 张三 脐橙1份 草莓1份\n\n"
             "1. 王芳 脐橙2 草莓1\n2. 李四 草莓2份\n3. 小美 +1")
    entries = parse_chain(chain)
    for product in ("赣南脐橙", "丹东草莓"):
        read = {e.name: e for e in for_product(entries, product)}
        assert read["王芳"].hint == ""
        assert "这一行没写是哪个" in read["小美"].hint and product in read["小美"].hint


def test_a_quantity_range_is_read_but_flagged():
    # Night 8: `阿May 2-3份` was saved as 1 份 and `两三份` as 3, both without a ⚠.
    got = {e.name: e for e in parse_chain("#接龙\n1. 阿May 两三份\n2. 小林 2-3份\n3. 老王 两份 3-502")}
    assert "「两三份」是个范围" in got["阿May"].hint and "「2-3份」是个范围" in got["小林"].hint
    assert got["老王"].qty == 2 and got["老王"].hint == ""  # 两份 is a number; 3-502 a room
