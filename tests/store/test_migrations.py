"""Migrations: the shipped Alembic revisions build the schema; opening again is a no-op."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from newsgraph.store import Store, StoreError, open_store
from newsgraph.store.dialects import normalise_url
from newsgraph.store.schema import metadata


def test_migrations_create_every_table(store):
    names = set(inspect(store.engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= names
    with store.engine.connect() as conn:
        assert store.revision_of(conn) == store.head()


def test_migrations_sqlite_uses_wal_and_fts5(tmp_path):
    store = open_store(tmp_path / "x.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert "articles_fts" in inspect(conn).get_table_names()
    open_store(tmp_path / "x.db").close()  # a second open finds the schema current
    store.close()


def test_migrations_unmigrated_store_is_a_coded_error(tmp_path):
    import sqlite3

    sqlite3.connect(tmp_path / "empty.db").close()  # a database, but no newsgraph schema
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "empty.db", migrate=False)
    assert info.value.code == "NG402"
    with pytest.raises(StoreError) as info:  # no file at all: nothing is created (issue 21)
        open_store(tmp_path / "typo.db", migrate=False)
    assert info.value.code == "NG406" and not (tmp_path / "typo.db").exists()


@pytest.mark.parametrize(("given", "expected"), [
    ("news.db", "sqlite:///news.db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
    ("postgresql://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"),
])
def test_migrations_url_normalised(given, expected):
    assert normalise_url(given) == expected


def test_migrations_unknown_database_is_refused():
    with pytest.raises((StoreError, ValueError)):
        Store("mysql://u@h/d")
