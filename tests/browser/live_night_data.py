"""The input of the night acted out in test_live_night.py, and what a person checking by hand
expects from it: every order written once with its buyer, quantity, spec and the pickup point
or building a packer sorts it into; the totals are sums over these lists, nothing else."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

SHOW = "直播夜全流程测试场"
COMMUNITY = "幸福里团购群"
ORANGE = "赣南脐橙"
BERRY = "丹东红颜草莓"
ORANGE_PRICE = Decimal("29.9")  # the 专享价: 5斤装 and lines without a spec
ORANGE_10 = Decimal("49.9")  # the 10斤装 price (规格价格)
BERRY_PRICE = Decimal("39.9")
EAST_GATE = "东门自提点"


@dataclass(frozen=True)
class Order:
    line: str  # as written in the chain / the export row
    name: str  # the buyer, as written (identity)
    qty: int
    spec: str  # "" = the deal's 专享价
    group: str  # where it is packed: a pickup point or a building
    product: str = ORANGE
    amount: Decimal | None = None  # the order's own amount (快团团 exports carry one)

    @property
    def price(self) -> Decimal:
        if self.amount is not None:
            return self.amount
        unit = ORANGE_10 if self.spec == "10斤装" else ORANGE_PRICE if self.product == ORANGE else BERRY_PRICE
        return unit * self.qty


# The first paste: two neighbours called 刘 told apart by their building; a nickname that
# ends in digits right before a bare quantity (must be read as 2 and flagged, never guessed).
CHAIN_V1 = [
    Order("1. 王芳 2份 5栋", "王芳", 2, "", "5栋"),
    Order("2. 李四 10斤装 1份 5号楼", "李四", 1, "10斤装", "5栋"),
    Order("3. 赵六 3份 东门自提点", "赵六", 3, "", EAST_GATE),
    Order("4. 孙阿姨 5斤装 2份 3栋", "孙阿姨", 2, "5斤装", "3栋"),
    Order("5. 5号楼刘 1份", "5号楼刘", 1, "", "5栋"),
    Order("6. 8号楼刘 2份", "8号楼刘", 2, "", "8栋"),
    Order("7. 周姐 10斤装 2份 东门自提点", "周姐", 2, "10斤装", EAST_GATE),
    Order("8. 吴哥 1份 8号楼", "吴哥", 1, "", "8栋"),
    Order("9. 蒋奶奶36 2 4栋", "蒋奶奶36", 2, "", "4栋"),
]
UNSURE_V1 = 1  # 蒋奶奶36 2: the preview must say it is unsure

# Typed by hand on the console before the group's chain caught up with it.
MANUAL = Order("（手动录入）7栋小王 10斤装 2份", "7栋小王", 2, "10斤装", "7栋")
# The re-paste: the whole latest chain again, now with 小王's line and one more neighbour.
CHAIN_V2_NEW = [
    Order("10. 7栋小王 10斤装 2份", "7栋小王", 2, "10斤装", "7栋"),
    Order("11. 郑姐 1份 东门自提点", "郑姐", 1, "", EAST_GATE),
]
ORANGE_ORDERS = CHAIN_V1 + CHAIN_V2_NEW  # 小王 once: the manual entry and line 10 are one order

KTT_HEADER = "跟团号,下单人,商品,规格,数量,订单金额,团员备注,自提点,收货人,联系电话,详细地址,订单状态"
BERRY_ORDERS = [
    Order(f"1,陈阿姨,{BERRY},,2,79.80,,{EAST_GATE},陈阿姨,13800000001,幸福里5栋,已支付",
          "陈阿姨", 2, "", EAST_GATE, BERRY, Decimal("79.80")),
    Order(f"2,林先生,{BERRY},,1,39.90,,{EAST_GATE},林先生,13800000002,幸福里6栋,已支付",
          "林先生", 1, "", EAST_GATE, BERRY, Decimal("39.90")),
    Order(f"3,黄姐,{BERRY},,3,119.70,不要太酸,,黄姐,13800000003,5号楼2单元,已支付",
          "黄姐", 3, "", "5栋", BERRY, Decimal("119.70")),
]
# The export of the other deal, uploaded while 草莓 is chosen: must be refused, naming both.
WRONG_DEAL_ROWS = [f"1,错放的团员,{ORANGE},5斤装,4,119.60,,{EAST_GATE},错放的团员,13800000009,幸福里9栋,已支付"]

COMMENTS = """张姐：运费多少
李哥：运费多少钱
王阿姨：脐橙甜不甜
张姐：运费多少
小美：什么时候发货
阿强：几号发货
老周：主播好
老周：主播好"""
COMMENTS_SUMMARY = "收到 8 条，新增 6 条（提问 5，闲聊 1），合并重复刷屏 2 条"

TYPED_GIFT = "前3名下单的送一把小香葱"
TYPED_DELIVERY = "明天中午12点之前一定送到小区东门"
TRANSCRIPT = f"""好，我们先看{BERRY}
草莓的话，后天下午到
{ORANGE}不甜包退
满两份送砂糖橘"""


def csv_bytes(rows: list[str]) -> bytes:
    return ("\n".join([KTT_HEADER, *rows]) + "\n").encode("utf-8")


def chain_text(orders: list[Order]) -> str:
    return "\n".join([f"#接龙 {ORANGE}", "例 张三 1份 3栋", "", *(o.line for o in orders)]) + "\n"


def units(orders: list[Order]) -> int:
    return sum(o.qty for o in orders)


def gmv(orders: list[Order]) -> Decimal:
    return sum((o.price for o in orders), Decimal(0))


def buyers(orders: list[Order]) -> int:
    return len({o.name for o in orders})


def canonical_group(label: str) -> str:
    """5号楼 / 5栋 / 5幢 are one building to a person packing; the product may label it either way."""
    return re.sub(r"^(\d+)\s*(?:号楼|栋|幢|座|号)$", r"\1栋", label.strip())


def per_group(orders: list[Order]) -> dict[str, tuple[int, int, Decimal]]:
    """group → (buyers, 份, amount)."""
    names: dict[str, set[str]] = defaultdict(set)
    qty: dict[str, int] = defaultdict(int)
    money: dict[str, Decimal] = defaultdict(Decimal)
    for o in orders:
        names[o.group].add(o.name)
        qty[o.group] += o.qty
        money[o.group] += o.price
    return {g: (len(names[g]), qty[g], money[g]) for g in names}


NIGHT = ORANGE_ORDERS + BERRY_ORDERS
# By hand, so a slip in the helpers above shows too: 脐橙 11 buyers, 19 份, of which 10斤装
# 李四 1 + 周姐 2 + 小王 2 = 5 × 49.9 = 249.5 and the other 14 × 29.9 = 418.6 → ¥668.1;
# 草莓 3 buyers, 6 份, 79.8 + 39.9 + 119.7 = ¥239.4. 5栋: 王芳 59.8 + 李四 49.9 + 5号楼刘 29.9
# + 黄姐 119.7; 东门: 赵六 89.7 + 周姐 99.8 + 郑姐 29.9 + 陈阿姨 79.8 + 林先生 39.9.
assert (buyers(ORANGE_ORDERS), units(ORANGE_ORDERS), gmv(ORANGE_ORDERS)) == (11, 19, Decimal("668.1"))
assert (buyers(BERRY_ORDERS), units(BERRY_ORDERS), gmv(BERRY_ORDERS)) == (3, 6, Decimal("239.40"))
assert per_group(NIGHT)["5栋"] == (4, 7, Decimal("259.30"))
assert per_group(NIGHT)[EAST_GATE] == (5, 9, Decimal("339.10"))
