"""The database layer: migrations both ways, transactions, configuration errors."""
import pytest
from sqlalchemy import inspect, select

import db
from db.models import Community
from tests.support import postgres_database


def test_upgrade_downgrade_upgrade_on_empty_sqlite(tmp_path):
    eng = db.connect(f"sqlite:///{tmp_path / 'fresh.db'}")
    db.upgrade(eng)
    assert "chain_entry" in inspect(eng).get_table_names()
    db.downgrade(eng)
    assert "chain_entry" not in inspect(eng).get_table_names()
    db.upgrade(eng)
    assert "event" in inspect(eng).get_table_names()


def test_upgrade_downgrade_upgrade_on_postgresql():
    with postgres_database() as url:
        eng = db.connect(url)
        db.upgrade(eng)
        assert "chain_entry" in inspect(eng).get_table_names()
        db.downgrade(eng)
        assert "chain_entry" not in inspect(eng).get_table_names()
        db.upgrade(eng)
        assert "event" in inspect(eng).get_table_names()
        eng.dispose()


def test_migrations_match_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_session_rolls_back_everything_on_error(clean_engine):
    with pytest.raises(RuntimeError):
        with db.session(clean_engine) as s:
            s.add(Community(name="阳光花园", member_count=300))
            s.flush()
            raise RuntimeError("boom")
    with db.session(clean_engine) as s:
        assert s.scalars(select(Community)).all() == []


def test_sqlite_default_has_wal_and_foreign_keys(tmp_path):
    eng = db.connect(f"sqlite:///{tmp_path / 'x.db'}")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_bad_database_url_names_the_variable_in_chinese(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nonsense://nowhere")
    with pytest.raises(db.DatabaseConfigError, match="DATABASE_URL"):
        db.connect()


def test_password_in_url_is_masked_in_the_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nonsense://bob:secret@host/db")
    with pytest.raises(db.DatabaseConfigError) as info:
        db.connect()
    assert "secret" not in str(info.value)
