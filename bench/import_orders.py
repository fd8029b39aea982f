"""A 快团团 export at the row cap (services.uploads.MAX_ROWS) imported into one deal on SQLite:
wall time (the write transaction, i.e. how long another console may wait for the lock) and the
peak Python memory of the import; and how fast a decompression bomb is refused."""
from __future__ import annotations

import io
import time
import tracemalloc
from datetime import datetime, timedelta
from decimal import Decimal

import pandas as pd

from bench.common import fresh_engine, median, report
from services import jielong, shows
from services.authz import SYSTEM
from services.errors import TooLarge
from services.uploads import MAX_ROWS

RUNS = 3


def _export(n: int) -> bytes:
    df = pd.DataFrame([{"跟团号": str(i), "下单人": f"团员{i}", "商品": "有机上海青", "规格": "500g", "数量": str(i % 3 + 1),
                        "订单金额": f"{(i % 3 + 1) * 19.9:.2f}", "订单状态": "已支付", "自提点": "阳光花园东门",
                        "联系电话": f"138{i:08d}", "详细地址": f"{i % 9 + 1}栋"} for i in range(1, n + 1)])
    buf = io.BytesIO()
    df.to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def _once(data: bytes, trace: bool = False) -> tuple[float, float]:
    with fresh_engine("sqlite") as eng:
        from db import session

        t0 = datetime(2026, 11, 20, 20, 0)
        with session(eng) as s:
            show = shows.create_show(s, SYSTEM, shows.ShowForm("导入压测", "群", 500, "老李", t0, t0 + timedelta(hours=2)))
            deal = jielong.create_deal(s, SYSTEM, show.id, jielong.DealForm(
                product="有机上海青", group_price=Decimal("19.9"), original_price=Decimal("29.9"), threshold=10,
                stock=None, delivery_text="次日自提", deadline=t0 + timedelta(hours=3)), at=t0)
            jielong.release(s, deal.id, SYSTEM, at=t0)
            deal_id = deal.id
        if trace:  # tracemalloc slows Python down several times: a separate run for memory
            tracemalloc.start()
        started = time.perf_counter()
        with session(eng) as s:
            jielong.import_orders(s, SYSTEM, deal_id, data, "orders.xlsx")
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
        if trace:
            tracemalloc.stop()
    return seconds, peak


def main() -> None:
    data = _export(MAX_ROWS)
    seconds = [_once(data)[0] for _ in range(RUNS)]
    report(f"import_orders_{MAX_ROWS}_rows_s", median(seconds), "s")
    report(f"import_orders_{MAX_ROWS}_rows_peak_py_mem", _once(data, trace=True)[1], "MB", 1)
    from tests.services.test_upload_bomb import _bomb

    bomb = _bomb(200)
    started = time.process_time()
    try:
        jielong.columns(bomb, "bomb.xlsx")
    except TooLarge:
        pass
    report("xlsx_bomb_refused_cpu", time.process_time() - started, "s", 4)


if __name__ == "__main__":
    main()
