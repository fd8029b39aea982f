"""Members (社群成员) across a community's shows: who watched, who bought, who came back, who leads.

Table of contents:
- labels     segment / alias / proposal codes, their Chinese labels and the segment rules;
- identity   who a chain line is (name + building: who_is), aliases (an exact match links), new
             members, fuzzy proposals (never a silent merge);
- tally      syncing a show: link its buyers and viewers, rebuild member_show, refresh tallies;
- merging    confirm / reject a proposal, undo a merge, merge by hand, mark a KOC;
- badging    the badges of the names on screen (a few prebuilt indexed queries);
- night      badges for askers and buyers, the KOC @ list and who entered, chain counts;
- board      the 核心看板: community KPIs, per-show series, cohorts, LTV;
- charts     the board's Altair charts (cohort heat map, LTV over shows, new / returning buyers);
- directory  the member table by segment, KOC suggestions, proposals, CSV import / export.
"""
from services.members.charts import buyers_chart, cohort_chart, ltv_chart
from services.members.board import board, cohorts, community_kpis, latest_ended, ltv, ltv_by_cohort, series, show_kpis
from services.members.directory import (
    communities, directory_limit, export_members, import_members, member_detail, member_shows, members, proposals,
    segment_counts, segments_of,
    suggest_kocs,
)
from services.members.identity import Namesake, Person, Verdict, base_name, building_of, link_people, who_is
from services.members.labels import (
    ALIAS_KIND_LABELS, KOC_FIRST_N, KOC_LED_BUYERS, KOC_LED_LIFT, KOC_LED_MINUTES, KOC_SUGGEST_RULE, PROPOSAL_STATUS_LABELS, REASON_LABELS, SEGMENT_LABELS, SEGMENT_RULES, SEGMENTS,
    SILENT_SHOWS, WATCHED_RULE, AliasKind, ProposalStatus, Segment, badge_text, member_label, segment_label,
)
from services.members.merging import confirm, merge, reject, set_koc, undo
from services.members.badging import Badge, member_badges
from services.members.night import asker_badges, at_list, badges, chain_counts, koc_list
from services.members.tally import needs_sync, sync_show

__all__ = [
    "buyers_chart", "cohort_chart", "ltv_chart",
    "board", "cohorts", "community_kpis", "latest_ended", "ltv", "ltv_by_cohort", "series", "show_kpis",
    "communities", "directory_limit", "export_members", "import_members", "member_detail", "member_shows", "members",
    "proposals", "segment_counts",
    "segments_of", "suggest_kocs",
    "Namesake", "Person", "Verdict", "base_name", "building_of", "link_people", "who_is",
    "ALIAS_KIND_LABELS", "KOC_FIRST_N", "KOC_LED_BUYERS", "KOC_LED_LIFT", "KOC_LED_MINUTES", "KOC_SUGGEST_RULE", "PROPOSAL_STATUS_LABELS", "REASON_LABELS", "SEGMENT_LABELS", "SEGMENT_RULES",
    "SEGMENTS", "SILENT_SHOWS", "WATCHED_RULE", "AliasKind", "ProposalStatus", "Segment", "badge_text", "member_label", "segment_label",
    "confirm", "merge", "reject", "set_koc", "undo",
    "Badge", "asker_badges", "at_list", "badges", "chain_counts", "koc_list", "member_badges",
    "needs_sync", "sync_show",
]
