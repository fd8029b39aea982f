"""Altair builders: the funnel bars and a deal's progress chart (specs, not pixels)."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.live import charts
from services.live import DealSnapshot, FunnelStep, SeriesPoint, project

RELEASE = datetime(2026, 6, 1, 20, 10, 30)
STEPS = [
    FunnelStep("社群成员", 300, None),
    FunnelStep("观看", 270, 0.9, 0.9),
    FunnelStep("互动", 90, 1 / 3, 0.3),
    FunnelStep("接龙", 210, 210 / 90, 0.7),
    FunnelStep("成团", 180, 180 / 210, 0.6),
]


def deal(**kw) -> DealSnapshot:
    values = dict(
        id=1, product="有机上海青", status="released", threshold=50, threshold_unit="units", stock=100, units=30, entries=25,
        buyers=22, units_waitlisted=0, entries_waitlisted=0, released_at=RELEASE, reached_at=None, sold_out_at=None,
        failed_at=None, deadline=None, minutes_since_release=6.0, units_per_min=5.0, entries_per_min=4.0,
        to_threshold=project(20, 25, 5), to_sellout=project(70, 25, 5), minutes_to_deadline=None,
    )
    values.update(kw)
    return DealSnapshot(**values)


SERIES = [SeriesPoint(RELEASE, 0, 0)] + [SeriesPoint(RELEASE + timedelta(minutes=i), 5 * i, 4 * i) for i in range(1, 7)]
NOW = RELEASE + timedelta(minutes=6)


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_funnel_bars_keep_the_step_order_and_label_count_and_conversion():
    spec = charts.funnel_chart(STEPS).to_dict()
    bars, labels = layers(spec)
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["y"]["sort"] == ["社群成员", "观看", "互动", "接龙", "成团"]
    assert bars["encoding"]["x"]["field"] == "count"  # horizontal bars
    frame = charts.funnel_frame(STEPS)
    assert list(frame["label"]) == [
        "300 人",
        "270 人 · 占社群 90% · 为上一步的 90%",
        "90 人 · 占社群 30% · 为上一步的 33%",
        "210 人 · 占社群 70% · 是上一步的 2.3 倍",  # more buyers than commenters: never "210（233%）"
        "180 人 · 占社群 60% · 为上一步的 86%",
    ]
    assert not any("（" in label for label in frame["label"])


def test_progress_chart_has_threshold_and_stock_rules_on_datum():
    spec = charts.progress_chart(SERIES, deal(), now=NOW).to_dict()
    rules = [l for l in layers(spec) if l["mark"]["type"] == "rule" and "y" in l["encoding"]]
    assert sorted(r["encoding"]["y"]["datum"] for r in rules) == [50, 100]


def test_progress_chart_marks_the_release_moment():
    spec = charts.progress_chart(SERIES, deal(), now=NOW).to_dict()
    release = [l for l in layers(spec) if l["mark"]["type"] == "rule" and "x" in l["encoding"]]
    assert release[0]["encoding"]["x"]["datum"] == {"year": 2026, "month": 6, "date": 1, "hours": 20, "minutes": 10, "seconds": 30}


def test_projection_is_dashed_and_ends_on_the_threshold():
    spec = charts.progress_chart(SERIES, deal(), now=NOW).to_dict()
    dashed = [l for l in layers(spec) if l["mark"]["type"] == "line" and l["mark"].get("strokeDash")]
    assert len(dashed) == 1
    frame = charts.projection_frame(SERIES, deal(), NOW)
    assert list(frame["count"]) == [30, 50]
    assert frame["at"].iloc[1] == NOW + timedelta(minutes=4)  # 20 left at 5/min


def test_after_threshold_the_projection_aims_at_the_stock():
    reached = deal(units=60, reached_at=RELEASE, status="reached", to_threshold=None, to_sellout=project(40, 25, 5))
    frame = charts.projection_frame(SERIES, reached, NOW)
    assert list(frame["count"])[-1] == 100


def test_no_projection_without_a_pace():
    assert charts.projection_frame(SERIES, deal(to_threshold=None, to_sellout=None), NOW).empty


def test_unlimited_stock_draws_no_stock_line():
    spec = charts.progress_chart(SERIES, deal(stock=None, to_sellout=None), now=NOW).to_dict()
    rules = [l for l in layers(spec) if l["mark"]["type"] == "rule" and "y" in l["encoding"]]
    assert [r["encoding"]["y"]["datum"] for r in rules] == [50]


def test_people_threshold_plots_entries():
    frame = charts.progress_frame(SERIES, deal(threshold_unit="people"))
    assert list(frame["count"])[-1] == 24


def test_dark_charts_use_a_dark_background():
    assert charts.progress_chart(SERIES, deal(), now=NOW, dark=True).to_dict()["config"]["background"] == charts.DARK["bg"]


def test_charts_encode_typed_fields():
    line = layers(charts.progress_chart(SERIES, deal(), now=NOW).to_dict())[0]
    assert line["encoding"]["x"]["type"] == "temporal" and line["encoding"]["y"]["type"] == "quantitative"


def test_viewers_chart_draws_online_and_cumulative():
    samples = [(RELEASE, 100, 150), (RELEASE + timedelta(minutes=1), 120, 190)]
    spec = charts.viewers_chart(samples).to_dict()
    assert spec["encoding"]["color"]["field"] == "series"
    assert sorted({row["series"] for row in next(iter(spec["datasets"].values()))}) == ["在线", "累计观看"]


def test_time_axes_tick_on_whole_minutes_so_no_label_repeats():
    spec = charts.progress_chart(SERIES, deal(), now=NOW).to_dict()
    ticks = layers(spec)[0]["encoding"]["x"]["axis"]["values"]
    minutes = [(t["hours"], t["minutes"]) for t in ticks]
    assert all(t["seconds"] == 0 for t in ticks) and len(set(minutes)) == len(minutes)  # one label per minute
    assert minutes[0] >= (20, 11) and len(minutes) <= 8  # release 20:10:30: ticks start on a whole minute after it
    long = [RELEASE + timedelta(minutes=i) for i in range(0, 121)]
    values = charts.time_axis(long).to_dict()["values"]
    assert len(values) <= 8 and {v["minutes"] % 15 for v in values} == {0}  # every 15 minutes
    viewers = charts.viewers_chart([(RELEASE, 10, 10), (RELEASE + timedelta(seconds=40), 12, 15)]).to_dict()
    assert len(viewers["encoding"]["x"]["axis"]["values"]) == 1  # 40 s of samples: one label, not "20:10 20:10"


def test_counting_axes_have_whole_number_ticks():
    spec = charts.progress_chart(SERIES, deal(), now=NOW).to_dict()
    assert layers(spec)[0]["encoding"]["y"]["axis"] == {"format": "d", "tickMinStep": 1}
    from services import review

    cats = review.category_chart([{"category_label": "价格", "groups": 2, "comments": 3}]).to_dict()
    assert cats["encoding"]["x"]["axis"] == {"format": "d", "tickMinStep": 1}


def test_the_category_chart_keeps_a_row_per_category_in_a_page():
    """Night 13: in the 复盘's 问题 tab four categories were squeezed into ~40 px (the container width
    let Vega fit the height too) and every other label was dropped. Only the width may follow."""
    from services import review

    rows = [{"category_label": c, "groups": g, "comments": g} for c, g in
            (("商品详情", 3), ("售后", 1), ("配送自提", 1), ("下单接龙", 1))]
    spec = review.category_chart(rows).to_dict()
    assert spec["height"] == 4 * 28 and spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert "autosize" not in review.category_chart(rows, width=400).to_dict()  # a report's fixed size: as before


def _threshold_label(spec: dict) -> dict:
    return next(l for l in layers(spec) if l["mark"]["type"] == "text" and "成团" in l["encoding"]["text"]["value"])


def test_the_threshold_label_goes_under_its_line_when_the_stock_line_is_close_above():
    """Night 9: 成团 30份 and 限量 30份 printed over each other at the chart's right edge."""
    same = charts.progress_chart(SERIES, deal(threshold=30, stock=30), now=NOW).to_dict()
    assert _threshold_label(same)["mark"]["baseline"] == "top"
    apart = charts.progress_chart(SERIES, deal(threshold=50, stock=100), now=NOW).to_dict()
    assert _threshold_label(apart)["mark"]["baseline"] == "bottom"
    people = charts.progress_chart(SERIES, deal(threshold=30, stock=30, threshold_unit="people"), now=NOW).to_dict()
    assert _threshold_label(people)["mark"]["baseline"] == "bottom"  # no 限量 line drawn on a 人 threshold
