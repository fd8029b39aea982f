"""Promises (承诺) said on air and the fulfilment items (履约项) that keep them.

Table of contents (each module holds one concept):
- rules        find promises in what a host said, guess their kind, say why when unsure (pure); its
               cue lexicon (lexicon), offer shapes (shapes), chat guards (talk), questions (asking);
- model        whether a line promises at all, from its n-grams and the rules' reading (pure; the
               weights are built by `python -m services.promises.train`);
- due          first N, least quantity per buyer, due hints and the deadline they stand for (pure);
- labels       promise statuses and scopes: codes (StrEnum) and Chinese labels;
- recording    log, correct, confirm, settle or discard a promise;
- expansion    items drawn from the chain in SQL and kept in step with it (on commit);
- fulfilment   ticks (one by one or by chain range), claims;
- reads        promises with their progress, one promise's items, the show's figures.

Scopes: deal (every valid entry of the promise's deal), first_n (the first N valid entries in
chain order), show (every valid entry of tonight's deals), min_qty (buyers taking at least N,
满两份送), claims (refund / payout requests logged one by one with `add_claim`).
"""
from services.promises.expansion import ExpandResult, expand, follow_chain, get_promise, install, sync_show
from services.promises.fulfilment import (
    CLAIM_RESOLVE_HOURS,
    ItemChange,
    add_claim,
    resolve_claim,
    tick_range,
    update_items,
)
from services.promises.labels import (
    CLAIM_KINDS,
    FULFILLED_BY_HAND,
    SCOPE_LABELS,
    SCOPES,
    STATUS_LABELS,
    STATUSES,
    PromiseStatus,
    Scope,
    status_label,
)
from services.promises.reads import (
    ITEM_STATE_LABELS,
    ItemQuery,
    ItemRow,
    ItemState,
    PromiseRow,
    counts,
    items,
    items_page,
    kept_rate,
    list_promises,
    overdue_count,
    parse_range,
    promise_row,
    recent,
)
from services.promises.recording import (
    DraftIn,
    ShowDraft,
    confirm,
    current_deal,
    deal_choices,
    deal_of_promise,
    detect_paste,
    detect_show,
    discard,
    guess_scope,
    log_drafts,
    log_promise,
    quick_caption,
    quick_hint,
    open_items,
    said_at_of,
    set_status,
    update_promise,
)
from services.promises.rules import (
    KIND_LABELS,
    KINDS,
    PromiseDraft,
    classify_line,
    detect,
    due_at_from_hint,
    due_hint_of,
    first_n_of,
    guess_kind,
    min_qty_of,
)

__all__ = [
    "CLAIM_RESOLVE_HOURS", "ExpandResult", "ItemChange", "add_claim", "expand", "get_promise", "resolve_claim",
    "sync_show", "tick_range", "update_items", "follow_chain",
    "CLAIM_KINDS", "FULFILLED_BY_HAND", "SCOPE_LABELS", "SCOPES", "STATUS_LABELS", "STATUSES", "PromiseStatus",
    "Scope", "status_label",
    "ITEM_STATE_LABELS", "ItemQuery", "ItemState", "items_page", "ItemRow", "PromiseRow", "counts", "items", "kept_rate", "list_promises", "overdue_count", "parse_range",
    "promise_row", "recent",
    "DraftIn", "ShowDraft", "confirm", "current_deal", "deal_choices", "detect_paste", "detect_show", "discard",
    "deal_of_promise", "guess_scope", "log_drafts",
    "log_promise", "open_items", "quick_caption", "quick_hint", "said_at_of", "set_status", "update_promise",
    "KIND_LABELS", "KINDS", "PromiseDraft", "classify_line", "detect", "due_at_from_hint", "due_hint_of",
    "first_n_of", "guess_kind", "min_qty_of",
]

install()  # every transaction that changes a chain brings the open promises' items along
