"""The retrying unit of work survives a database blink and never retries real errors."""
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.engine import make_url

import db
from db.models import Community, Operator
from services import clock
from tests.support import postgres_database
from tests.tcp_proxy import TcpProxy


@pytest.fixture
def proxied_engine():
    with postgres_database() as url:
        target = make_url(url)
        db.upgrade(db.connect(url))
        with TcpProxy((target.host or "127.0.0.1", target.port or 5432)) as proxy:
            eng = db.connect(
                target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
                connect_args={"connect_timeout": 2},
            )
            yield eng, proxy
            eng.dispose()


def _add_community(s):
    s.add(Community(name="阳光花园", member_count=300))


def test_transaction_waits_out_an_outage_and_writes_once(proxied_engine):
    eng, proxy = proxied_engine
    db.transaction(eng, lambda s: s.execute(select(1)))  # warm the pool
    proxy.cut()
    threading.Timer(1.5, proxy.restore).start()
    retries: list[int] = []
    t0 = time.monotonic()
    db.transaction(eng, _add_community, budget_s=20, on_retry=lambda _e, n: retries.append(n))
    assert time.monotonic() - t0 >= 1.0
    assert retries, "the outage should have caused at least one retry"
    with db.session(eng) as s:
        assert s.scalar(select(func.count()).select_from(Community)) == 1


def test_outage_longer_than_the_budget_raises(proxied_engine):
    eng, proxy = proxied_engine
    proxy.cut()
    with pytest.raises(Exception) as info:
        db.transaction(eng, _add_community, budget_s=1)
    assert db.is_transient(info.value)
    proxy.restore()


def test_integrity_error_is_not_retried(session, clean_engine):
    calls = []

    def add_twice(s):
        calls.append(1)
        for _ in range(2):
            s.add(Operator(name="同名", role="admin", password_hash="x", created_at=clock.now()))
        s.flush()

    with pytest.raises(IntegrityError):
        db.transaction(clean_engine, add_twice)
    assert len(calls) == 1
