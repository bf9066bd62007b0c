"""Shared fixtures: hand-built Docs for unit tests, one trained model per session for `model` tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.config import Settings, load_settings
from newsgraph.records import Article

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(environ={})


@pytest.fixture(scope="session")
def nlp_blank() -> Language:
    return spacy.blank("en")


@pytest.fixture
def make_doc(nlp_blank: Language) -> Callable[..., Doc]:
    """make_doc(text, ents=[("Masih Alinejad", "PERSON")], published="2021-08-16") -> Doc.

    Entities are given by their text (first occurrence) so tests need no model.
    """

    def build(text: str, ents: list[tuple[str, str]] | None = None, published: str | None = None,
              html: str | None = None) -> Doc:
        doc = nlp_blank(text)
        spans = []
        for ent_text, label in ents or []:
            start = text.index(ent_text)
            span = doc.char_span(start, start + len(ent_text), label=label, alignment_mode="expand")
            assert span is not None, ent_text
            spans.append(span)
        doc.ents = spacy.util.filter_spans(spans)
        doc._.article = Article(doc_id="test", text=text, source="test", published=published, html=html)
        return doc

    return build


@pytest.fixture(scope="session")
def nlp_model(settings: Settings) -> Language:
    """The full pipeline (trained model + newsgraph components), loaded once."""
    from newsgraph.extract import build_nlp

    return build_nlp(settings)


@pytest.fixture
def extract_text(nlp_model: Language) -> Callable[..., Doc]:
    """extract_text(text, published=..., title=..., authors=...) -> the parsed Doc with every newsgraph
    attribute set."""

    def run(text: str, published: str | None = None, html: str | None = None, title: str | None = None,
            authors: list[str] | None = None) -> Doc:
        doc = nlp_model.make_doc(text)
        doc._.article = Article(doc_id="test", text=text, source="test", published=published, html=html,
                                title=title, authors=authors or [])
        return nlp_model(doc)

    return run


__all__ = ["Span"]


# ---- the store (issue 6): the same tests run on a real SQLite file and on the real PostgreSQL

STORE_RECORDS = FIXTURES / "store" / "records.jsonl"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[Callable[[], str]]:
    """Makes fresh schemas on the PostgreSQL server of NEWSGRAPH_TEST_PG; all are dropped after the session.

    Unreachable server: the tests fail (CI must run them); NEWSGRAPH_TEST_PG=skip skips them on purpose.
    """
    import os
    import uuid

    url = os.environ.get("NEWSGRAPH_TEST_PG", PG_DEFAULT)
    if url == "skip":
        pytest.skip("NEWSGRAPH_TEST_PG=skip")
    import psycopg

    made: list[str] = []

    def make() -> str:
        schema = f"ng_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        made.append(schema)
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}options=-csearch_path%3D{schema}"

    yield make
    with psycopg.connect(url, autocommit=True) as conn:
        for schema in made:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(scope="session")
def pg_url(pg_schemas: Callable[[], str]) -> str:
    return pg_schemas()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite store, copied for each test rather than migrated again."""
    from newsgraph.store import open_store

    path = tmp_path_factory.mktemp("store") / "template.db"
    opened = open_store(path)
    with opened.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    opened.close()
    return path


def _open_test_store(kind: str, request: pytest.FixtureRequest, folder: Path, fresh_schema: bool) -> Any:
    import shutil

    from sqlalchemy import text

    from newsgraph.store import open_store
    from newsgraph.store.schema import metadata

    if kind == "sqlite":
        target = folder / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return open_store(target)
    if fresh_schema:
        return open_store(request.getfixturevalue("pg_schemas")())
    opened = open_store(request.getfixturevalue("pg_url"))
    with opened.engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return opened


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """An empty, migrated store: a SQLite file in tmp_path, or the session's PostgreSQL schema emptied."""
    opened = _open_test_store(request.param, request, tmp_path, fresh_schema=False)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def store_records() -> list[Any]:
    """Hand-written records: two stories, quotes, a post cited twice, and one article full of markup."""
    import json

    from newsgraph.records import Record

    return [Record.from_dict(json.loads(line)) for line in STORE_RECORDS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def filled_store(store: Any, store_records: list[Any]) -> Any:
    """`store` holding `store_records`; tests may change it."""
    for record in store_records:
        store.writer.write(record)
    return store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def read_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               store_records: list[Any]) -> Iterator[Any]:
    """A store holding `store_records`, shared by a module's tests, which must only read it."""
    opened = _open_test_store(request.param, request, tmp_path_factory.mktemp("read"), fresh_schema=True)
    for record in store_records:
        opened.writer.write(record)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(read_store: Any) -> Iterator[Any]:
    """An in-process HTTP client on a read-only app over `read_store`."""
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    with TestClient(create_app(read_store)) as test_client:
        yield test_client
