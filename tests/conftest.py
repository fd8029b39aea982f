"""Fixtures: every service test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import db
from services.authz import Actor
from tests.support import make_actor, postgres_database, wipe


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        eng = db.connect(url)
        db.upgrade(eng)
        yield eng
        eng.dispose()
        return
    with postgres_database() as url:
        eng = db.connect(url)
        db.upgrade(eng)
        yield eng
        eng.dispose()


@pytest.fixture
def clean_engine(engine: Engine) -> Engine:
    wipe(engine)
    return engine


@pytest.fixture
def session(clean_engine: Engine) -> Iterator[Session]:
    """A session on an empty database; committed when the test ends without error."""
    with db.session(clean_engine) as s:
        yield s


@pytest.fixture
def admin(session: Session) -> Actor:
    return make_actor(session, "admin", "管理员")


@pytest.fixture
def assistant(session: Session) -> Actor:
    return make_actor(session, "assistant", "小美")


@pytest.fixture
def host(session: Session) -> Actor:
    return make_actor(session, "host", "老李")


@pytest.fixture
def reviewer(session: Session) -> Actor:
    return make_actor(session, "reviewer", "复盘员")
