"""The review timeline's milestone labels never print over each other (night 9: at 1280×800 the
releases, 成团 and promises of the last ten minutes stood in one heap at the chart's right)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from services.review import charts

T0 = datetime(2026, 12, 1, 20, 0)
LABEL = charts.LABEL_PX


def _marks() -> list[dict]:
    """The demo night's shape: a quiet start, then five milestones within six minutes at the end."""
    at = [(7, "question_peak", "提问8"), (9, "promise", "承诺"), (40, "release", "发布接龙·散养土鸡"),
          (52, "promise", "承诺"), (54, "release", "发布接龙·有机上海"), (55, "threshold", "成团·有机上海"),
          (56, "release", "发布接龙·有机蔬菜"), (57, "promise", "承诺"), (58, "question_peak", "提问9")]
    return [{"at": T0 + timedelta(minutes=m), "kind": k, "label": s, "short": s} for m, k, s in at]


def _labels(chart) -> list[dict]:
    spec = chart.to_dict(validate=False)
    layer = next(l for l in spec["layer"] if isinstance(l.get("mark"), dict) and l["mark"].get("type") == "text")
    return spec["datasets"][layer["data"]["name"]]


def test_labels_close_in_time_stand_apart_and_every_release_is_labelled():
    series = [{"minute": T0 + timedelta(minutes=m), "entries": m % 5, "comments": 8} for m in range(0, 60)]
    rows = _labels(charts.timeline_chart(series, _marks()))
    shown = [r for r in rows if r["标注"]]
    span = 59 * 60
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            dx = abs((pd.Timestamp(a["时间"]) - pd.Timestamp(b["时间"])).total_seconds()) / span * charts.CONTAINER_PX
            if dx < LABEL + charts.LABEL_GAP:  # side by side: their lengths down the plot must not meet
                a_end, b_end = a["偏移"] + LABEL * len(a["标注"]), b["偏移"] + LABEL * len(b["标注"])
                assert a_end <= b["偏移"] or b_end <= a["偏移"], (a, b)
    assert {r["标注"] for r in shown} >= {"发布接龙·散养土鸡", "发布接龙·有机上海", "成团·有机上海", "发布接龙·有机蔬菜"}
    assert all(r["偏移"] + LABEL * len(r["标注"]) <= 320 for r in shown)  # inside the plot


def test_a_label_with_no_room_is_left_out_but_its_rule_stays():
    ats = [T0 + timedelta(seconds=10 * i) for i in range(8)]
    placed = charts.label_lanes(ats, ["发布接龙·有机上海"] * 8, [T0, T0 + timedelta(minutes=60)], 640, 320)
    assert [o for o, t in placed if t] == [0, 111]  # two fit one under the other; the rest have no room
    assert len(placed) == 8


def test_a_label_at_the_left_edge_stands_right_of_its_rule():
    """Night 9: a release in the show's first minute printed its label over the y axis's numbers."""
    series = [{"minute": T0 + timedelta(minutes=m), "entries": 1, "comments": 3} for m in range(0, 15)]
    marks = [{"at": T0, "kind": "release", "label": "发布接龙·丹东草莓", "short": "发布接龙·丹东草莓"},
             {"at": T0 + timedelta(minutes=8), "kind": "promise", "label": "承诺", "short": "承诺"}]
    spec = charts.timeline_chart(series, marks).to_dict(validate=False)
    rows = _labels(charts.timeline_chart(series, marks))
    assert [r["右侧"] for r in rows] == [True, False]
    texts = [l for l in spec["layer"] if isinstance(l.get("mark"), dict) and l["mark"].get("type") == "text"]
    sides = {"true" in l["transform"][0]["filter"]: l["mark"]["baseline"] for l in texts}
    assert sides == {True: "top", False: "bottom"}


def test_a_minutes_entries_stand_right_of_the_release_they_followed():
    """A chain out at 20:55:40 and 12 entries in 20:55–20:56: the point stands at 20:56, right of the
    release rule (at 20:55 it read as if the neighbours ordered before the chain went out)."""
    release = T0 + timedelta(minutes=55, seconds=40)
    series = [{"minute": T0 + timedelta(minutes=m), "entries": 12 if m == 55 else 0, "comments": 3} for m in range(50, 58)]
    marks = [{"at": release, "kind": "release", "label": "发布接龙·有机上海青", "short": "发布接龙·有机上海青"}]
    spec = charts.timeline_chart(series, marks).to_dict(validate=False)
    line = next(l for l in spec["layer"] if isinstance(l.get("mark"), dict) and l["mark"].get("type") == "line")
    rows = spec["datasets"][line["data"]["name"]]
    busy = next(r for r in rows if r["指标"] == "接龙" and r["每分钟"] == 12)
    assert pd.Timestamp(busy["位置"]) >= pd.Timestamp(release)
    assert busy["分钟"] == "20:55–20:56"  # the tooltip names the minute counted
