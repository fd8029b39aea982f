"""Jielong (接龙): deals, release at the right moment, chain intake, stock and progress broadcast.

Table of contents (each module holds one concept):
- lifecycle  deal / entry statuses and threshold units (codes + Chinese labels), the 成团
             progress rule, milestones (成团 / 售罄), outcomes (未成团) and the progress text;
- deals      the deal form and its validation, the jielong text, readiness, the one-time release;
- editing    changing a deal (frozen fields after the release, re-allocation on a new stock);
- advice     when to release: SQL signals + the pure `decide()`;
- parser     a pasted chain → entries (pure), read per product with `for_product`;
- layout     where a chain's header ends and its entries start (pure);
- quantities quantities, items per product and the ⚠ hints of unsure readings (pure);
- plan       what a paste or an import would change (keys, matching, allocation to stock);
- intake     writing it: pastes, single entries, cancellations, tallies;
- orders     快团团 / 群接龙 CSV and XLSX exports;
- specs      per-spec prices and the money of an entry;
- deal_match which deal a line is about, from the product names it mentions (pure; promises and replies);
- replies    the queue's reply templates filled from the deal a question names, else the current one;
- window     which entries a paste touches (a paste is diffed against those, not the whole deal).
"""
from services.jielong.advice import Advice, Signals, decide, release_advice
from services.jielong.deals import (
    DealForm,
    create_deal,
    delete_deal,
    get_deal,
    jielong_text,
    list_deals,
    readiness,
    release,
    specs_of,
)
from services.jielong.editing import update_deal
from services.jielong.intake import (
    add_entry,
    apply_paste,
    cancel_entry,
    list_entries,
    preview_paste,
    progress_text,
    reallocate,
)
from services.jielong.lifecycle import (
    ENTRY_STATUS_LABELS,
    OPEN_STATUSES,
    STATUS_LABELS,
    THRESHOLD_UNIT_LABELS,
    THRESHOLD_UNITS,
    DealStatus,
    EntryStatus,
    ThresholdUnit,
    check_outcomes,
    due_failures,
    settle_outcomes,
    deadline_failed,
    stock_left,
    stock_left_text,
    stock_left_words,
    deal_progress,
    entry_flags_label,
    entry_status_label,
    is_reached,
    progress,
    progress_text_of,
    status_label,
    threshold_unit,
    unit_label,
)
from services.jielong.orders import DEFAULT_MAPPING, FIELD_LABELS, columns, default_mapping, import_orders
from services.jielong.parser import ChainEntry, for_product, parse_chain
from services.jielong.replies import reply_templates, reply_templates_for
from services.jielong.specs import (
    buyer_gmv_counts, counts_toward_gmv, deal_counts_toward_gmv, deal_gmv, deal_gmv_counts, entry_amount, flagged_text,
    gmv_amount, gmv_counts, price_of, show_buyers, spec_prices_text, spec_stock_text,
)
from services.jielong.plan import PastePlan, PasteResult
from services.jielong.buyers import people_in, people_of
from services.jielong.spec_stock import spec_stock_left

__all__ = [
    "Advice", "Signals", "decide", "release_advice",
    "DealForm", "create_deal", "delete_deal", "get_deal", "jielong_text", "list_deals", "readiness", "release", "specs_of",
    "update_deal",
    "add_entry", "apply_paste", "cancel_entry", "list_entries", "preview_paste", "progress_text", "reallocate",
    "ENTRY_STATUS_LABELS", "OPEN_STATUSES", "STATUS_LABELS", "THRESHOLD_UNIT_LABELS", "THRESHOLD_UNITS",
    "DealStatus", "EntryStatus", "ThresholdUnit", "check_outcomes", "deadline_failed", "deal_progress", "due_failures", "settle_outcomes",
    "entry_flags_label", "entry_status_label", "is_reached", "progress", "progress_text_of", "status_label", "threshold_unit", "unit_label",
    "DEFAULT_MAPPING", "FIELD_LABELS", "columns", "default_mapping", "import_orders",
    "ChainEntry", "for_product", "parse_chain", "price_of", "spec_prices_text", "spec_stock_text", "reply_templates", "reply_templates_for",
    "buyer_gmv_counts", "counts_toward_gmv", "deal_counts_toward_gmv", "deal_gmv", "deal_gmv_counts", "entry_amount", "gmv_amount", "gmv_counts",
    "flagged_text", "show_buyers", "spec_stock_left", "stock_left", "stock_left_text", "stock_left_words", "PastePlan", "PasteResult", "people_in", "people_of",
]
