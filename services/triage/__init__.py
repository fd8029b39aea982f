"""Viewer question triage: intake, chatter filter, categories, merged duplicates, a ranked queue.

Table of contents (each module holds one concept):
- labels    categories, question-group statuses, sources: codes (StrEnum) and Chinese labels;
- rules     classify a comment; group a list of comments (pure, over the active lexicon);
- grouping  a comment's signature, the similarity of two, the Matcher that groups paraphrases;
- model     the comment model rules consults (character n-grams, weights in data/model.json);
- train     build-time only: `python -m services.triage.train` rebuilds data/model.json;
- lexicon   the vocabulary: built-in terms (data/lexicon.json) plus operator terms (分类词库);
- comments  parsing what arrives: a typed line, a pasted block, CSV / JSONL, a pipe object;
- matchers  a show's open groups held in memory between batches;
- intake    `ingest` as named steps, one event per batch;
- reads     the ranked queue, the handled list, counts, the questions' median response time;
- actions   给主播 / 已回复 / 忽略 / 改类别 / 合并, and 撤销上一步.
"""
from services.triage.actions import (
    ACTION_LABELS,
    REPLY_TEMPLATES,
    answer,
    dismiss,
    last_action_label,
    merge,
    recategorize,
    to_host,
    undo,
)
from services.triage.comments import (
    CommentIn,
    comment_from_obj,
    natural_key,
    parse_at,
    parse_comment_file,
    parse_comment_lines,
    parse_jsonl,
    split_author,
)
from services.triage.intake import FOLD_SECONDS, IngestResult, ingest, ingest_file, ingest_text
from services.triage.labels import (
    CATEGORIES,
    CATEGORY_LABELS,
    OPEN_STATUSES,
    QUESTION_CATEGORIES,
    SOURCES,
    STATUS_LABELS,
    STATUSES,
    Category,
    QuestionStatus,
    category_label,
    status_label,
)
from services.triage.lexicon import BUILTIN, EDITABLE_CATEGORIES, delete_term, list_terms, seed, set_term
from services.triage.reads import (
    GroupRow,
    GroupVoices,
    chatter_count,
    get_group,
    history,
    median_response_s,
    open_count,
    question_filter,
    queue,
    rank,
    response_stats,
    top_to_host,
    voices,
)
from services.triage.rules import Analysis, Matcher, analyse, classify, group, normalise, signature, similarity


def builtin_term_count() -> int:
    """How many terms the built-in lexicon has (the 分类词库 editor says so)."""
    return len(BUILTIN.terms_table())


__all__ = [
    "GroupVoices", "voices",
    "ACTION_LABELS", "REPLY_TEMPLATES", "answer", "dismiss", "last_action_label", "merge", "recategorize",
    "to_host", "undo",
    "CommentIn", "comment_from_obj", "natural_key", "parse_at", "parse_comment_file", "parse_comment_lines",
    "parse_jsonl", "split_author",
    "FOLD_SECONDS", "IngestResult", "ingest", "ingest_file", "ingest_text",
    "CATEGORIES", "CATEGORY_LABELS", "OPEN_STATUSES", "QUESTION_CATEGORIES", "SOURCES", "STATUS_LABELS", "STATUSES",
    "Category", "QuestionStatus", "category_label", "status_label",
    "EDITABLE_CATEGORIES", "delete_term", "list_terms", "seed", "set_term", "builtin_term_count",
    "GroupRow", "chatter_count", "get_group", "history", "median_response_s", "open_count", "question_filter",
    "queue", "rank", "response_stats", "top_to_host",
    "Analysis", "Matcher", "analyse", "classify", "group", "normalise", "signature", "similarity",
]
