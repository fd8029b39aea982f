"""Jielong (接龙): deals, release at the right moment, chain intake, stock and progress broadcast.

The contract names of docs/contracts.md (issue 4) live here; the work is split into
services/deals.py (deal form, jielong text, readiness, release), services/release_advice.py,
services/chain_parser.py (parse_chain), services/chain_intake.py (paste, entries, stock,
tallies, milestones, progress text) and services/chain_import.py (CSV / XLSX exports).
"""
from services.chain_import import DEFAULT_MAPPING, FIELD_LABELS, columns, default_mapping, import_orders
from services.chain_intake import (
    ENTRY_STATUS_LABELS,
    PastePlan,
    PasteResult,
    add_entry,
    apply_paste,
    cancel_entry,
    check_outcomes,
    list_entries,
    preview_paste,
    progress_text,
    progress_text_of,
)
from services.chain_parser import ChainEntry, parse_chain
from services.deals import (
    STATUS_LABELS,
    THRESHOLD_UNITS,
    DealForm,
    create_deal,
    get_deal,
    jielong_text,
    list_deals,
    readiness,
    release,
    update_deal,
)
from services.release_advice import Advice, release_advice

__all__ = [
    "DEFAULT_MAPPING", "FIELD_LABELS", "columns", "default_mapping", "import_orders",
    "ENTRY_STATUS_LABELS", "PastePlan", "PasteResult", "add_entry", "apply_paste", "cancel_entry",
    "check_outcomes", "list_entries", "preview_paste", "progress_text", "progress_text_of",
    "ChainEntry", "parse_chain",
    "STATUS_LABELS", "THRESHOLD_UNITS", "DealForm", "create_deal", "get_deal", "jielong_text", "list_deals",
    "readiness", "release", "update_deal",
    "Advice", "release_advice",
]
