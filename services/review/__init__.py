"""Post-show review (复盘): KPIs, the night's timeline, questions, promises, comparison, exports.

Table of contents (each module holds one concept):
- metrics   the KPIs of a show (rules in its docstring), its deals, the comparison across shows;
- timeline  entries / comments / questions per minute and the night's milestones;
- tables    questions by category and one by one, promises with progress, the event log's labels;
- charts    Altair charts of the above (no Streamlit);
- export    CSV / XLSX exports for packing and the HTML report's download (permission + event);
- report    the one-file Chinese HTML report.

`services.export` is an alias of review.export.
"""
from services.review.charts import category_chart, compare_chart, timeline_chart
from services.review.export import (
    entries_csv,
    entries_xlsx,
    pickup_group,
    promises_csv,
    questions_csv,
    questions_promises_xlsx,
    report_html,
)
from services.review.metrics import (
    COMPARE_KEYS,
    KPI_KEYS,
    KPI_LABELS,
    compare,
    deal_rows,
    entry_amount,
    kpis,
    money,
    rate,
    recent_show_ids,
    split_lines,
)
from services.review.report import (
    REACH_LABEL, answered_note, compare_heading, duration, flagged_note, kpi_tiles, minutes_text, refunded_note, render, split_note, summary_sentence,
)
from services.review.tables import (
    EVENT_LABELS,
    event_detail,
    event_kinds,
    event_label,
    event_operators,
    promise_rows,
    question_rows,
    questions_by_category,
)
from services.review.timeline import fill_minutes, markers, minute_series

__all__ = [
    "category_chart", "compare_chart", "timeline_chart",
    "entries_csv", "entries_xlsx", "pickup_group", "promises_csv", "questions_csv", "questions_promises_xlsx",
    "report_html",
    "COMPARE_KEYS", "KPI_KEYS", "KPI_LABELS", "compare", "deal_rows", "entry_amount", "kpis", "money", "rate", "split_lines",
    "recent_show_ids",
    "REACH_LABEL", "answered_note", "compare_heading", "duration", "flagged_note", "kpi_tiles", "minutes_text", "refunded_note", "render", "split_note", "summary_sentence",
    "EVENT_LABELS", "event_detail", "event_kinds", "event_label", "event_operators", "promise_rows", "question_rows",
    "questions_by_category",
    "fill_minutes", "markers", "minute_series",
]
