"""Must hold (issue 8): the 源味集《农场主来了》 night (seed 004) built through the services.

Seed: 社群300名成员中，有270人观看了直播，其中210人参与了接龙，直播到接龙的转化率高达78%；
50个名额在8分钟内被抢购一空. Here the main deal 有机上海青 (成团数 50份) is released at 20:55
and its 50th unit arrives at 21:03:00, so it reaches its threshold 8 minutes after release.
"""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from services import jielong, live, promises, review, shows, triage
from services.review import export
from services.authz import Actor

T0 = datetime(2026, 2, 6, 20, 0)
RELEASE = T0 + timedelta(minutes=55)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑"
GIVEN = "芳娜敏静丽强磊军洋勇"
BUYERS = [s + g for s in SURNAMES for g in GIVEN]  # 210 distinct names
assert len(set(BUYERS)) == 210


def building(i: int) -> str:
    return f"{i % 8 + 1}号楼{(i % 5 + 1) * 100 + i % 4 + 1}"


def _deal(session, actor, show_id, product, price, threshold, stock=None, at=None):
    form = jielong.DealForm(
        product=product, selling_points="农场直供，当天采摘", group_price=Decimal(price), original_price=None,
        threshold=threshold, threshold_unit="份", stock=stock, delivery_text="次日中午送达",
        deadline=T0 + timedelta(hours=3),
    )
    return jielong.create_deal(session, actor, show_id, form)


def _paste(names: list[tuple[int, str]], title: str) -> str:
    lines = [f"#接龙\n{title}"]
    lines += [f"{seq}. {name} 1份 {building(i)}" for seq, (i, name) in enumerate(names, start=1)]
    return "\n".join(lines)


def build_yuanweiji(session, actor: Actor) -> int:
    """The night through the services; returns the show id."""
    show = shows.create_show(
        session, actor, shows.ShowForm("源味集《农场主来了》", "源味集·阳光花园群", 300, "老李", T0, T0 + timedelta(hours=1))
    )
    sid = show.id
    shows.start_show(session, actor, sid, at=T0)
    for m in range(0, 61, 5):  # cumulative viewers climb to 270, online peaks at 186
        cumulative = round(270 * min(1.0, (m + 5) / 45))
        online = min(cumulative, round(186 * (1 - abs(m - 35) / 60)))
        live.record_viewers(session, actor, sid, online, cumulative, at=T0 + timedelta(minutes=m))

    # viewers ask four different things (and chat); three get answered after 1, 3 and 2 minutes
    said = [
        (5, "王芳", "有机认证是真的吗？"), (6, "李娜", "有机认证是真的吗"), (7, "张敏", "主播好！"),
        (12, "刘静", "价格为什么这么贵？"), (20, "陈丽", "什么时候能送到？"), (30, "杨强", "哈哈哈哈"),
        (40, "黄磊", "上海青买回去能放几天？"),
    ]
    triage.ingest(session, actor, sid, [triage.CommentIn(a, t, at=T0 + timedelta(minutes=m)) for m, a, t in said])
    waits = {"有机认证": 60, "价格": 180, "送到": 120}
    for g in triage.queue(session, sid, limit=50):
        for key, wait in waits.items():
            if key in g.text:
                triage.answer(session, actor, g.id, "已回复", at=g.first_seen + timedelta(seconds=wait))

    main = _deal(session, actor, sid, "有机上海青", "19.90", 50, stock=120)
    eggs = _deal(session, actor, sid, "散养土鸡蛋（30枚）", "36.00", 30)
    box = _deal(session, actor, sid, "农场时蔬箱", "68.00", 20)
    promises.log_promise(session, actor, sid, "今晚前50名接龙的朋友，送老李亲笔签名的《有机生活手札》", at=T0 + timedelta(minutes=50),
                         deal_id=main.id)

    jielong.release(session, main.id, actor, at=RELEASE)
    # 49 units in the first 7 minutes 50 seconds, the 50th exactly at release + 8 minutes
    for i in range(49):
        jielong.add_entry(session, actor, main.id, BUYERS[i], 1, address=building(i),
                          at=RELEASE + timedelta(seconds=10 + i * 9), seq=i + 1)
    jielong.add_entry(session, actor, main.id, BUYERS[49], 1, address=building(49), at=RELEASE + timedelta(minutes=8), seq=50)
    for i in range(50, 110):  # buyers 51..110 after the threshold
        jielong.add_entry(session, actor, main.id, BUYERS[i], 1, address=building(i),
                          at=RELEASE + timedelta(minutes=8, seconds=30 + (i - 50) * 15), seq=i + 1)

    jielong.release(session, eggs.id, actor, at=T0 + timedelta(minutes=57))
    egg_buyers = list(enumerate(BUYERS))[60:160]  # 50 of them also bought 上海青
    for n, minute in ((25, 60), (50, 65), (75, 70), (100, 75)):  # the chain pasted as it grows
        jielong.apply_paste(session, actor, eggs.id, _paste(egg_buyers[:n], "散养土鸡蛋"), at=T0 + timedelta(minutes=minute))

    jielong.release(session, box.id, actor, at=T0 + timedelta(minutes=60))
    box_buyers = list(enumerate(BUYERS))[150:210]
    for n, minute in ((30, 68), (60, 78)):
        jielong.apply_paste(session, actor, box.id, _paste(box_buyers[:n], "农场时蔬箱"), at=T0 + timedelta(minutes=minute))
    shows.end_show(session, actor, sid, at=T0 + timedelta(minutes=80))
    session.flush()
    return sid


def test_yuanweiji_kpis(session, assistant):
    sid = build_yuanweiji(session, assistant)
    k = review.kpis(session, sid)
    assert k["community_size"] == 300 and k["viewers"] == 270 and k["buyers"] == 210
    assert k["watch_rate"] == pytest.approx(0.90)
    assert round(k["order_rate"], 3) == 0.778
    main = next(d for d in k["deals"] if d["product"] == "有机上海青")
    assert main["minutes_release_to_threshold"] == 8
    assert main["outcome"] == "reached"
    assert k["entries"] == 110 + 100 + 60 and k["units"] == 270
    assert k["gmv"] == pytest.approx(110 * 19.90 + 100 * 36 + 60 * 68)
    assert k["avg_order_value"] == pytest.approx(k["gmv"] / 210, abs=0.01)
    assert k["peak_online"] == 186 and k["promises"] == 1
    assert k["questions"] == 4 and k["answered_rate"] == 0.75 and k["median_response_s"] == 120
    assert k["commenters"] == 7
    assert [q["text"] for q in review.question_rows(session, sid, unanswered_only=True)] == ["上海青买回去能放几天？"]


def test_yuanweiji_xlsx_holds_the_page_totals(session, assistant, reviewer):
    sid = build_yuanweiji(session, assistant)
    k = review.kpis(session, sid)  # what the page's tiles show
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, sid)))
    summary = wb["汇总"]
    header = [c.value for c in summary[1]]
    total = dict(zip(header, [c.value for c in summary[summary.max_row]]))
    assert total["取货点/楼栋"] == "合计"
    assert (total["下单人数"], total["单数"], total["份数"]) == (k["buyers"], k["entries"], k["units"])
    assert total["金额（元）"] == pytest.approx(k["gmv"])
    assert total["有机上海青"] == next(d["units"] for d in k["deals"] if d["product"] == "有机上海青")
    # per-building sheets add up to the total
    groups = [summary.cell(row=r, column=1).value for r in range(2, summary.max_row)]
    assert groups == [f"{n}栋" for n in range(1, 9)]
    assert sum(summary.cell(row=r, column=header.index("份数") + 1).value for r in range(2, summary.max_row)) == k["units"]
    detail = wb["分拣明细"]
    last = [c.value for c in detail[detail.max_row]]
    assert last[ENTRY_QTY] == k["units"]
    assert {f"{n}栋" for n in range(1, 9)} <= set(wb.sheetnames)


ENTRY_QTY = export.ENTRY_COLUMNS.index("数量")
