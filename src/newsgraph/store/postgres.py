"""PostgreSQL specifics: psycopg 3 driver, tsvector full-text search with GIN indexes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import JSON, Table, text
from sqlalchemy.engine import Connection, Engine

from .ddl import execute_all
from .sqlite import MARK_END, MARK_START  # one pair of snippet markers for the web layer

NAME = "postgresql"
CONFIG = "english"
ARTICLE_VECTOR = f"to_tsvector('{CONFIG}', coalesce(title, '') || ' ' || text)"
QUOTE_VECTOR = f"to_tsvector('{CONFIG}', text || ' ' || coalesce(speaker, ''))"

DDL = [
    f"CREATE INDEX IF NOT EXISTS ix_articles_fts ON articles USING gin ({ARTICLE_VECTOR})",
    f"CREATE INDEX IF NOT EXISTS ix_quotes_fts ON quotes USING gin ({QUOTE_VECTOR})",
]
DROP = ["DROP INDEX IF EXISTS ix_articles_fts", "DROP INDEX IF EXISTS ix_quotes_fts"]
ENTITY_VECTOR = "to_tsvector('simple', name)"

# revision 0003: stored tsvector columns, so that ranking reads a vector instead of re-parsing each text
# (texts past MAX_INDEXED characters are searched in their first MAX_INDEXED: tsvector has a 1 MB limit)
MAX_INDEXED = 200_000
STORED_DDL = [
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', left(text, {MAX_INDEXED})), 'B')) STORED",
    "ALTER TABLE quotes ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    f"to_tsvector('{CONFIG}', left(text, {MAX_INDEXED}) || ' ' || coalesce(speaker, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_articles_search_vector ON articles USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS ix_quotes_search_vector ON quotes USING gin (search_vector)",
    "DROP INDEX IF EXISTS ix_articles_fts",
    "DROP INDEX IF EXISTS ix_quotes_fts",
]
STORED_DROP = [
    "DROP INDEX IF EXISTS ix_articles_search_vector", "DROP INDEX IF EXISTS ix_quotes_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector", "ALTER TABLE quotes DROP COLUMN IF EXISTS search_vector",
    *DDL,
]
# past this many hits, ranking is among the most recently stored ones (counts stay exact)
RANK_WINDOW = 500
ENTITY_DDL = [f"CREATE INDEX IF NOT EXISTS ix_entities_fts ON entities USING gin ({ENTITY_VECTOR})"]
ENTITY_DROP = ["DROP INDEX IF EXISTS ix_entities_fts"]


def configure(engine: Engine) -> None:
    pass


# ---- writers (issue 7): bulk rows by COPY, one writer at a time per store

# pg_advisory_xact_lock(class, key): the class says "newsgraph writer", the key is the store's schema, so that
# stores in other schemas of one database do not wait on each other
WRITER_LOCK = "SELECT pg_advisory_xact_lock(20240307, hashtext(current_schema()))"
# serialization failure, deadlock, unique violation: another transaction won a race; doing it again succeeds
RETRY_STATES = ("40001", "40P01", "23505")


def lock_writers(conn: Connection) -> None:
    """Wait until no other newsgraph transaction writes this store, and keep it so until this one ends.

    Writers share rows (entities, posts, stories) whose counts and merges are computed from what is stored:
    two at once would each miss the other's uncommitted rows, race on inserting the same entity or article,
    and lock shared rows in different orders. Extraction, where the time goes, stays parallel.
    """
    conn.execute(text(WRITER_LOCK))


def copy_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` with COPY, in the connection's transaction.

    JSON values are dumped as an INSERT through SQLAlchemy dumps them (a None is JSON null), so that the rows
    are the same whichever way they were written."""
    if not rows:
        return
    from psycopg.types.json import Json

    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    quote = conn.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    wrap = [c in json_columns for c in columns]
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row([Json(row[c]) if j else row[c] for c, j in zip(columns, wrap, strict=True)])


def engine_kwargs() -> dict[str, Any]:
    return {"pool_pre_ping": True}


@contextmanager
def statement_budget(conn: Connection, seconds: float) -> Iterator[None]:
    """Every statement of `conn`'s transaction (a request's) ends after `seconds`."""
    conn.execute(text(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}"))
    yield


def is_timeout(exc: BaseException) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "57014"  # query_canceled


def create_search(conn: Connection) -> None:
    execute_all(conn, DDL)


def drop_search(conn: Connection) -> None:
    execute_all(conn, DROP)


def create_entity_search(conn: Connection) -> None:
    execute_all(conn, ENTITY_DDL)


def drop_entity_search(conn: Connection) -> None:
    execute_all(conn, ENTITY_DROP)


def create_stored_vectors(conn: Connection) -> None:
    execute_all(conn, STORED_DDL)


def drop_stored_vectors(conn: Connection) -> None:
    execute_all(conn, STORED_DROP)


@contextmanager
def _index_scans(conn: Connection) -> Iterator[None]:
    """Use the GIN index even for a word most rows contain.

    The planner reads a common word's hits from the table, re-checking every stored vector (100 ms at 10k
    articles); a bitmap scan of the index alone answers in a few. Scoped to this statement group.
    """
    conn.execute(text("SET LOCAL enable_seqscan = off"))
    try:
        yield
    finally:
        conn.execute(text("RESET enable_seqscan"))


def search_articles(conn: Connection, query: str, limit: int, offset: int) -> tuple[list[dict], int]:
    if not query.strip():
        return [], 0
    with _index_scans(conn):
        return _search_articles(conn, query, limit, offset)


def _search_articles(conn: Connection, query: str, limit: int, offset: int) -> tuple[list[dict], int]:
    params = {"q": query, "limit": limit, "offset": offset, "window": RANK_WINDOW}
    # websearch_to_tsquery accepts any string: no user input can make it a syntax error
    tsq = f"websearch_to_tsquery('{CONFIG}', :q)"
    total = conn.execute(text(f"SELECT count(*) FROM articles WHERE search_vector @@ {tsq}"), params).scalar_one()
    rows = conn.execute(text(
        f"WITH hits AS (SELECT id, search_vector FROM articles WHERE search_vector @@ {tsq}"
        " ORDER BY id DESC LIMIT :window),"
        f" top AS (SELECT id, ts_rank(search_vector, {tsq}) AS rank FROM hits"
        " ORDER BY rank DESC, id DESC LIMIT :limit OFFSET :offset)"
        " SELECT a.doc_id, a.title, a.outlet, a.published, a.story_id,"
        f" ts_headline('{CONFIG}', left(a.text, 8000), {tsq},"
        f" 'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, MaxFragments=1') AS snippet"
        " FROM top JOIN articles a ON a.id = top.id ORDER BY top.rank DESC, a.id DESC"), params).mappings().all()
    return [dict(r) for r in rows], total


def search_quote_ids(conn: Connection, query: str) -> str | None:
    if not query.strip():
        return None
    return f"SELECT id FROM quotes WHERE search_vector @@ websearch_to_tsquery('{CONFIG}', :fts)"


def quote_params(query: str) -> dict[str, str]:
    return {"fts": query}


def search_quotes(conn: Connection, query: str, limit: int, offset: int) -> tuple[list[int], int]:
    if not query.strip():
        return [], 0
    with _index_scans(conn):
        return _search_quotes(conn, query, limit, offset)


def _search_quotes(conn: Connection, query: str, limit: int, offset: int) -> tuple[list[int], int]:
    params = {"q": query, "limit": limit, "offset": offset, "window": RANK_WINDOW}
    tsq = f"websearch_to_tsquery('{CONFIG}', :q)"
    total = conn.execute(text(f"SELECT count(*) FROM quotes WHERE search_vector @@ {tsq}"), params).scalar_one()
    ids = conn.execute(text(
        f"WITH hits AS (SELECT id, search_vector FROM quotes WHERE search_vector @@ {tsq}"
        " ORDER BY id DESC LIMIT :window)"
        f" SELECT id FROM hits ORDER BY ts_rank(search_vector, {tsq}) DESC, id DESC LIMIT :limit OFFSET :offset"),
        params).scalars()
    return list(ids), total


def search_entities(conn: Connection, query: str, limit: int) -> list[str]:
    if not query.strip():
        return []
    with _index_scans(conn):
        return list(conn.execute(text(
            f"SELECT id FROM entities WHERE {ENTITY_VECTOR} @@ plainto_tsquery('simple', :q) "
            "ORDER BY article_count DESC, name LIMIT :limit"), {"q": query, "limit": limit}).scalars())


def highlight_quotes(conn: Connection, query: str, ids: list[int]) -> dict[int, str]:
    """The text of each quote in `ids` with the words of `query` between the snippet markers (ts_headline over
    the whole quote)."""
    if not query.strip() or not ids:
        return {}
    rows = conn.execute(text(
        f"SELECT id, ts_headline('{CONFIG}', text, websearch_to_tsquery('{CONFIG}', :q),"
        f" 'StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true') FROM quotes"
        f" WHERE id IN ({', '.join(str(int(i)) for i in ids)})"), {"q": query})
    return {int(qid): marked for qid, marked in rows}
