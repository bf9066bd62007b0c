"""The server under load and abuse (issue 21): one connection per request, a read budget, the write guard
before the body, a body limit, links that survive odd doc_ids, snippets no text can forge."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from newsgraph.api import create_app
from newsgraph.api.guard import WriteGuard
from newsgraph.store import sqlite as sqlite_dialect
from newsgraph.store.queries import Queries
from newsgraph.web import make_templates, marked


def _sqlite_only(store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite behaviour")


def test_entity_reads_nothing_after_its_connection_is_gone(read_store):
    """The 500s: roles were read after the connection went back to a full pool, which closes it."""
    _sqlite_only(read_store)
    engine = create_engine(read_store.engine.url, poolclass=NullPool)  # every returned connection is closed
    read_store.dialect.configure(engine)
    entity = Queries(engine, read_store.dialect).entity("E_joe")
    assert entity is not None and isinstance(entity["roles"], list)
    engine.dispose()


def test_one_connection_per_request(read_store):
    checkouts = []
    listener = lambda *_a: checkouts.append(1)  # noqa: E731
    event.listen(read_store.engine, "checkout", listener)
    try:
        with TestClient(create_app(read_store)) as client:
            for path in ("/stories/S_ferry", "/entities/E_joe", "/search?q=ferry", "/articles/unsafe-1"):
                checkouts.clear()
                assert client.get(path).status_code == 200
                assert len(checkouts) == 1, path
    finally:
        event.remove(read_store.engine, "checkout", listener)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_concurrent_entity_pages_on_a_real_server(read_store):
    app = create_app(read_store)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        paths = ["/entities/E_joe", "/api/entities/E_joe", "/stories/S_ferry", "/search?q=ferry"] * 30

        def get(path: str) -> int:
            try:
                return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=30).status_code
            except httpx.HTTPError:
                return -1  # a reset connection

        with ThreadPoolExecutor(24) as pool:
            statuses = list(pool.map(get, paths))
    finally:
        server.should_exit = True
        thread.join(10)
    assert statuses.count(200) == len(paths), sorted(set(statuses))


def test_statement_budget_interrupts_a_long_query(read_store):
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
            "SELECT count(*) FROM n")
    if read_store.engine.dialect.name == "postgresql":
        slow = "SELECT pg_sleep(5)"
    started = time.monotonic()
    with (read_store.engine.connect() as conn, pytest.raises(OperationalError) as caught,
          read_store.dialect.statement_budget(conn, 0.2)):
        conn.execute(text(slow))
    assert time.monotonic() - started < 3
    assert read_store.dialect.is_timeout(caught.value)


def test_a_costly_request_is_a_503_not_a_stall(read_store, monkeypatch):
    _sqlite_only(read_store)

    def costly(self, q, limit=20, offset=0, **_):
        with self._connect() as conn:
            conn.execute(text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                              "WHERE i < 100000000) SELECT count(*) FROM n")).scalar()

    monkeypatch.setattr(Queries, "search", costly)
    with TestClient(create_app(read_store, read_budget=0.2)) as client:
        started = time.monotonic()
        response = client.get("/api/search?q=anything")
    assert response.status_code == 503 and time.monotonic() - started < 3


def test_search_terms_are_limited():
    words = " ".join(f"word{i}" for i in range(125))
    assert sqlite_dialect.match_expression(words).count('"') == 2 * sqlite_dialect.MAX_TERMS


def _call(app, method: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]):
    """Drive the ASGI app directly; counts what it read of the body."""
    read = {"n": 0}
    sent: list[dict] = []

    async def receive():
        if read["n"] < len(chunks):
            read["n"] += 1
            return {"type": "http.request", "body": chunks[read["n"] - 1], "more_body": read["n"] < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/api/articles", "headers": headers, "query_string": b"",
             "http_version": "1.1", "scheme": "http", "server": ("t", 80), "client": ("c", 1), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], read["n"]


async def _never(scope, receive, send):  # the app behind the guard: must not be reached in these cases
    raise AssertionError("reached the app")


def test_write_guard_answers_before_reading_the_body():
    guard = WriteGuard(_never, allow_write=False, token=None)
    chunk = b"x" * (1 << 20)
    assert _call(guard, "POST", [(b"content-length", b"1073741824")], [chunk] * 8) == (403, 0)
    guard = WriteGuard(_never, allow_write=True, token="s3cret")
    assert _call(guard, "POST", [], [chunk] * 8) == (401, 0)


def test_body_limit_declared_or_not():
    guard = WriteGuard(_never, allow_write=True, token="s3cret", max_body=1000)
    auth = (b"authorization", b"Bearer s3cret")
    assert _call(guard, "POST", [auth, (b"content-length", b"5000")], [b"x" * 5000]) == (413, 0)
    status, read = _call(guard, "POST", [auth], [b"x" * 600] * 50)  # chunked, no length given
    assert status == 413 and read == 2


def test_the_app_has_the_guard(read_store):
    with TestClient(create_app(read_store, allow_write=True, token="s3cret", max_body=100,
                               ingest=lambda a: {"doc_id": a.doc_id, "story_id": None, "written": True})) as c:
        big = c.post("/api/articles", json={"id": "x", "text": "y" * 500}, headers={"Authorization": "Bearer s3cret"})
        assert big.status_code == 413


@pytest.mark.parametrize("body", [{"id": "w", "text": "   \n\t "}, {"id": "n", "text": "\x00\x00"},
                                  {"id": "\x00", "text": "Real words here."}])
def test_post_without_visible_text_is_refused(read_store, body):
    seen = []
    app = create_app(read_store, allow_write=True, token="s3cret", ingest=lambda a: seen.append(a) or {})
    with TestClient(app) as client:
        response = client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 422 and not seen


def test_doc_id_links_stay_one_segment(client):
    assert make_templates().env.filters["urlencode"]("../../x") == "..%2F..%2Fx"
    response = client.get("/api/articles/..%2F..%2Fx")
    assert response.status_code == 404 and response.json() == {"detail": "no such article"}


def test_private_use_characters_in_text_are_not_marks():
    assert "<mark>" not in str(marked("plain \ue000forged\ue001 text"))


def test_post_beyond_the_token_budget_is_refused(read_store):
    from newsgraph.config import Settings

    seen = []
    app = create_app(read_store, allow_write=True, token="s3cret", settings=Settings(max_tokens=1000),
                     ingest=lambda a: seen.append(a) or {})
    with TestClient(app) as client:
        response = client.post("/api/articles", json={"id": "t", "text": "a\n" * 2000},
                               headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 413 and "NG123" in response.json()["detail"] and not seen
