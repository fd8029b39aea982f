"""Every name docs/contracts.md promises still imports from the path it gives (the capability
packages moved the code; the old public paths stay)."""
import importlib

import pytest

CONTRACT = {
    "services.shows": "ShowForm create_show update_show start_show end_show get_show list_shows find_show STATUS_LABELS",
    "services.auth": "create_operator create_first_admin ensure_admin_from_env login resolve_session logout "
                     "create_host_link resolve_host_link list_host_links revoke_host_link login_code open_session "
                     "issue_setup_code",
    "services.throttle": "charge clear clear_name",
    "services.passwords": "check",
    "db": "connect upgrade downgrade session transaction ping is_transient",
    "services.locking": "lock",
    "services.events": "record version last_event_id timeline",
    "services.jielong": "DealForm create_deal update_deal list_deals get_deal jielong_text readiness release "
                        "release_advice Advice parse_chain ChainEntry preview_paste apply_paste PastePlan PasteResult "
                        "add_entry cancel_entry import_orders progress_text check_outcomes",
    "services.triage": "CATEGORIES CATEGORY_LABELS classify group CommentIn parse_comment_lines ingest IngestResult "
                       "queue GroupRow open_count to_host answer dismiss merge recategorize undo top_to_host",
    "services.funnel": "record_viewers snapshot Snapshot funnel buyers_reached host_view deal_series viewer_series "
                       "parse_viewers record_viewers_text import_viewers eta_text countdown_text",
    "services.charts": "funnel_chart progress_chart viewers_chart to_spec",
    "services.promises": "KINDS KIND_LABELS PromiseDraft detect log_promise confirm expand recent kept_rate overdue_count",
    "services.review": "kpis",
    "services.export": "entries_csv entries_xlsx questions_csv promises_csv questions_promises_xlsx report_html",
    "services.demo": "load_demo_night load_past_night ensure_demo",
    "services.simulate": "main run",
    "services.ingest": "main run",
}


@pytest.mark.parametrize("module", sorted(CONTRACT))
def test_contract_names_import_from_their_documented_path(module):
    mod = importlib.import_module(module)
    missing = [name for name in CONTRACT[module].split() if not hasattr(mod, name)]
    assert missing == []


def test_the_old_paths_are_the_new_homes():
    from services import charts, export, funnel, live, review

    assert funnel is live and charts is live.charts and export is review.export


def test_the_deal_form_takes_the_chinese_unit_labels_as_well_as_the_codes():
    from services import jielong

    assert jielong.threshold_unit("份") == jielong.threshold_unit("units") == jielong.ThresholdUnit.UNITS
    assert jielong.threshold_unit("人") == jielong.ThresholdUnit.PEOPLE == "people"
    with pytest.raises(ValueError):
        jielong.threshold_unit("斤")
