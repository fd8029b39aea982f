"""A short soak in CI (the full 2-hour night is `python -m bench soak`): a scripted night
feeds PostgreSQL at speed while two host screens and a console stay open; the server logs
no error and its memory does not climb."""
import pytest

from bench.soak import soak

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_short_soak_logs_no_error_and_memory_stays_flat(browser):
    pytest.importorskip("psutil")
    from tests.support import postgres_database

    with postgres_database():  # skips (or fails under CI) exactly like the other PostgreSQL tests
        pass
    result = soak(minutes=16, speed=40, sample_s=2, browser=browser)
    assert result.log_errors == []
    assert len(result.samples) >= 8
    assert result.growth_mb < 40, result.samples
