"""Browser: a whole live night acted out through the UI only, at 1280×800, as the assistant,
the host and the reviewer would (issue 13's "Must hold").

The assistant sets up a new show with two deals (脐橙 with two specs at different prices, 草莓),
takes comments (with duplicates) and works the queue (answer, dismiss, recategorize, undo, to the
host), releases 脐橙, pastes the group's chain, types one order by hand, pastes the latest chain
again, releases 草莓 and imports its 快团团 export, tries the 脐橙 export on 草莓 (refused), logs
promises by typing and from a transcript, ticks a promise item and opens the host link on a
phone; the reviewer downloads the packing exports. Every number checked is one a person would
check by hand, computed in live_night_data.py from the lines pasted. Nothing typed may be lost
or land in another deal or show (checked in the database too), and the server log holds no
traceback. Screenshots of each step: artifacts/screenshots/live_night_*.png.

A check the product does not pass yet is a `gap` (Night.gap): the night goes on, the gap is
listed in artifacts/screenshots/live_night_gaps.txt, and the test fails on any gap that is not
in KNOWN_GAPS (each there with the finding of issue 13 it belongs to).
"""
from __future__ import annotations

import shutil

import pytest

from tests.browser import live_night_acts as acts
from tests.browser import live_night_data as N
from tests.browser import live_night_late as late
from tests.browser.conftest import ARTIFACTS, log_tracebacks, login, seed_demo_database, start_server, stop_server
from tests.browser.live_night_steps import Night, db_counts, shot

pytestmark = pytest.mark.browser

# Gaps the product still has (the start of each gap's text); empty when the night is right.
KNOWN_GAPS: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the demo nights (other shows whose data must stay untouched); the live
    panels refresh slowly so the busy machine keeps up with the clicks."""
    tmp = tmp_path_factory.mktemp("live_night")
    env = {"CONSOLE_REFRESH_S": "20", "CONSOLE_QUEUE_REFRESH_S": "20", "JIELONG_REFRESH_S": "20",
           "JIELONG_ADVICE_REFRESH_S": "60", "HOST_REFRESH_S": "5", "CONSOLE_CAPTURE_REFRESH_S": "30"}
    srv = start_server(seed_demo_database(tmp / "app.db"), tmp / "streamlit.log", env=env)
    yield srv
    stop_server(srv)


def test_a_whole_live_night(server, page, browser):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    night = Night(server=server, page=page, browser=browser)
    others_before = db_counts(server.database_url, exclude_title=N.SHOW)
    try:
        login(page, server, "assistant")
        acts.set_up_show(night)
        acts.comments_and_triage(night)
        acts.release_and_paste(night)
        acts.manual_entry_and_repaste(night)
        late.berry_release_and_imports(night)
        late.promises_typed(night)
        late.promises_from_transcript_and_tick(night)
        late.host_link_on_a_phone(night)
        late.reviewer_exports(night)
        late.database_agrees(night)
    except Exception:
        shot(page, "failure")
        raise
    finally:
        night.write_gaps(ARTIFACTS / "live_night_gaps.txt")
        shutil.copyfile(server.log, ARTIFACTS / "live_night_server.log")
    assert db_counts(server.database_url, exclude_title=N.SHOW) == others_before, "another show's data changed"
    problems = log_tracebacks(server)
    assert not problems, f"the server logged {len(problems)} traceback(s): {problems[:3]}"
    unexpected = [g for g in night.gaps if not g.startswith(KNOWN_GAPS)]
    assert not unexpected, "the night went wrong:\n" + "\n".join(unexpected)
