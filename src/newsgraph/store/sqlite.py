"""SQLite specifics: WAL and foreign keys on every connection, FTS5 full-text search over articles and quotes."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from .ddl import execute_all

NAME = "sqlite"
# Snippet highlight markers, which the web layer turns into <mark>: drawn afresh by each process, so that no
# stored text (private-use characters included) can pass for one.
MARK_START, MARK_END = f"\ue000{secrets.token_hex(8)}\ue001", f"\ue001{secrets.token_hex(8)}\ue000"
# A search takes at most this many words (all required): each costs a pass over its hits.
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
# Ranking every hit of a word found in most articles costs more than a page may take: past this many hits,
# the ranking is among the most recently stored ones (counts stay exact).
RANK_WINDOW = 1000

DDL = [
    # external-content FTS5 tables: the text is stored once, in articles/quotes; triggers keep them in step
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5("
    "text, speaker, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS quotes_fts_ai AFTER INSERT ON quotes BEGIN "
    "INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker); END",
    "CREATE TRIGGER IF NOT EXISTS quotes_fts_ad AFTER DELETE ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker); END",
]
DROP = ["DROP TABLE IF EXISTS articles_fts", "DROP TABLE IF EXISTS quotes_fts"]

# revision 0002: entity names, for the search page
ENTITY_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS entities_fts USING fts5("
    "name, content='entities', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS entities_fts_ai AFTER INSERT ON entities BEGIN "
    "INSERT INTO entities_fts(rowid, name) VALUES (new.rowid, new.name); END",
    "CREATE TRIGGER IF NOT EXISTS entities_fts_au AFTER UPDATE OF name ON entities BEGIN "
    "INSERT INTO entities_fts(entities_fts, rowid, name) VALUES ('delete', old.rowid, old.name); "
    "INSERT INTO entities_fts(rowid, name) VALUES (new.rowid, new.name); END",
    "CREATE TRIGGER IF NOT EXISTS entities_fts_ad AFTER DELETE ON entities BEGIN "
    "INSERT INTO entities_fts(entities_fts, rowid, name) VALUES ('delete', old.rowid, old.name); END",
    "INSERT INTO entities_fts(entities_fts) VALUES ('rebuild')",
]
ENTITY_DROP = ["DROP TABLE IF EXISTS entities_fts"]


def configure(engine: Engine) -> None:
    """WAL (readers never wait for the writer), foreign keys, a busy timeout, on every new connection."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def engine_kwargs() -> dict[str, Any]:
    return {"connect_args": {"check_same_thread": False, "timeout": 10}}


@contextmanager
def statement_budget(conn: Connection, seconds: float) -> Iterator[None]:
    """Interrupt whatever `conn` runs once `seconds` have passed (SQLite has no statement timeout: a progress
    handler, called every few thousand virtual-machine steps, ends the statement)."""
    raw = conn.connection.driver_connection
    deadline = time.monotonic() + seconds
    raw.set_progress_handler(lambda: time.monotonic() > deadline, 20_000)  # type: ignore[union-attr]
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)  # type: ignore[union-attr]


def is_timeout(exc: BaseException) -> bool:
    return "interrupted" in str(getattr(exc, "orig", exc))


def create_search(conn: Connection) -> None:
    execute_all(conn, DDL)


def drop_search(conn: Connection) -> None:
    execute_all(conn, DROP)


def create_entity_search(conn: Connection) -> None:
    execute_all(conn, ENTITY_DDL)


def drop_entity_search(conn: Connection) -> None:
    execute_all(conn, ENTITY_DROP)


def create_stored_vectors(conn: Connection) -> None:
    """Revision 0003 is PostgreSQL's: FTS5 already stores its index."""


def drop_stored_vectors(conn: Connection) -> None:
    pass


def match_expression(query: str) -> str | None:
    """A user's words as an FTS5 query that cannot be a syntax error: every word quoted, all required."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))[:MAX_TERMS]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_articles(conn: Connection, query: str, limit: int, offset: int) -> tuple[list[dict], int]:
    match = match_expression(query)
    if match is None:
        return [], 0
    total = conn.execute(text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q"), {"q": match}).scalar_one()
    # rank first, then make snippets for the page's rows only (SQLite would make one for every hit)
    cut = _window(conn, "articles_fts", match, total)
    ranked = conn.execute(text(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q AND rowid >= :cut "
        "ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT :limit OFFSET :offset"),
        {"q": match, "cut": cut, "limit": limit, "offset": offset}).scalars().all()
    if not ranked:
        return [], total
    rows = conn.execute(text(
        "SELECT a.id, a.doc_id, a.title, a.outlet, a.published, a.story_id, "
        f"snippet(articles_fts, 1, '{MARK_START}', '{MARK_END}', '…', 16) AS snippet "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"WHERE articles_fts MATCH :q AND articles_fts.rowid IN ({', '.join(str(int(r)) for r in ranked)})"),
        {"q": match}).mappings().all()
    order = {rowid: i for i, rowid in enumerate(ranked)}
    rows = sorted(rows, key=lambda r: order[r["id"]])
    return [{k: v for k, v in r.items() if k != "id"} for r in rows], total


def _window(conn: Connection, table: str, match: str, total: int) -> int:
    """The smallest rowid among the RANK_WINDOW newest hits (0: rank them all)."""
    if total <= RANK_WINDOW:
        return 0
    return conn.execute(text(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rowid DESC "
                             "LIMIT 1 OFFSET :n"), {"q": match, "n": RANK_WINDOW - 1}).scalar_one()


def search_quotes(conn: Connection, query: str, limit: int, offset: int) -> tuple[list[int], int]:
    """Ids of the best-matching quotes (most relevant first) and how many match."""
    match = match_expression(query)
    if match is None:
        return [], 0
    total = conn.execute(text("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH :q"), {"q": match}).scalar_one()
    cut = _window(conn, "quotes_fts", match, total)
    ids = conn.execute(text("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :q AND rowid >= :cut "
                            "ORDER BY rank LIMIT :limit OFFSET :offset"),
                       {"q": match, "cut": cut, "limit": limit, "offset": offset}).scalars()
    return list(ids), total


def search_entities(conn: Connection, query: str, limit: int) -> list[str]:
    """Ids of entities with every word of `query` in their name, most covered first."""
    match = match_expression(query)
    if match is None:
        return []
    return list(conn.execute(text(
        "SELECT e.id FROM entities_fts JOIN entities e ON e.rowid = entities_fts.rowid "
        "WHERE entities_fts MATCH :q ORDER BY e.article_count DESC, e.name LIMIT :limit"),
        {"q": match, "limit": limit}).scalars())


def search_quote_ids(conn: Connection, query: str) -> str | None:
    """A SQL fragment selecting the ids of quotes that match `query` (bound as :fts), or None for no words."""
    return "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :fts" if match_expression(query) else None


def quote_params(query: str) -> dict[str, str]:
    return {"fts": match_expression(query) or ""}


def highlight_quotes(conn: Connection, query: str, ids: list[int]) -> dict[int, str]:
    """The text of each quote in `ids` with the words of `query` between the snippet markers (FTS5 highlight)."""
    match = match_expression(query)
    if match is None or not ids:
        return {}
    rows = conn.execute(text(
        f"SELECT rowid, highlight(quotes_fts, 0, '{MARK_START}', '{MARK_END}') FROM quotes_fts "
        f"WHERE quotes_fts MATCH :q AND rowid IN ({', '.join(str(int(i)) for i in ids)})"), {"q": match})
    return {int(rowid): marked for rowid, marked in rows}
