"""Live (实时): what the console and the host screen show while the show runs.

Table of contents (each module holds one concept):
- snapshots   the night's numbers in one read (tallies only), per-deal pace and projections;
- host        the host screen's view: the snapshot plus the focus deal's progress series;
- viewers     viewer counts (在线 / 累计观看): typed, imported, and their series;
- conversion  the funnel 社群成员 → 观看 → 互动 → 接龙 → 成团;
- wording     projections, countdowns and paces as short Chinese text;
- charts      Altair chart builders (no Streamlit), reused by the review.

`services.funnel` and `services.charts` are aliases of this package and of live.charts.
"""
from services.live import charts
from services.live.charts import count_axis, funnel_chart, progress_chart, time_axis, to_spec, viewers_chart
from services.live.conversion import FUNNEL_LABELS, FunnelStep, buyers_reached, funnel
from services.live.host import HostView, SeriesPoint, deal_series, host_deal_choice, host_view, set_host_deal
from services.live.snapshots import (
    RATE_WINDOW_MIN,
    DealSnapshot,
    Projection,
    PromiseRow,
    QuestionRow,
    Snapshot,
    project,
    recent_promises,
    snapshot,
    top_questions,
)
from services.live.viewers import (
    MAX_VIEWERS,
    import_viewers,
    parse_viewers,
    record_viewers,
    record_viewers_text,
    viewer_series,
)
from services.live.wording import also_open_text, countdown_text, countdown_tile, eta_text, forecast_text, rate_text

__all__ = [
    "also_open_text",
    "charts", "count_axis", "funnel_chart", "progress_chart", "time_axis", "to_spec", "viewers_chart",
    "FUNNEL_LABELS", "FunnelStep", "buyers_reached", "funnel",
    "HostView", "SeriesPoint", "deal_series", "host_deal_choice", "host_view", "set_host_deal",
    "RATE_WINDOW_MIN", "DealSnapshot", "Projection", "PromiseRow", "QuestionRow", "Snapshot", "project", "recent_promises", "snapshot",
    "top_questions",
    "MAX_VIEWERS", "import_viewers", "parse_viewers", "record_viewers", "record_viewers_text", "viewer_series",
    "countdown_text", "countdown_tile", "eta_text", "forecast_text", "rate_text",
]
