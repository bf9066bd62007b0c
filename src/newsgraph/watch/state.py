"""The watch's state in the store: sources (schedule, validators, failures) and article URLs (queued, done,
failed). A URL is marked done in the transaction that stores its article, so a kill -9 loses nothing and a
restart fetches again only the pages that were in flight."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from ..store import Store
from ..store.schema import articles, watch_sources, watch_urls
from .sources import Item

CHUNK = 500
GIVE_UP_AFTER = 3  # a page that failed with a retryable error is tried in this many polls, then marked failed


def add_sources(store: Store, urls: Iterable[str], interval: float, parent: str | None = None) -> list[str]:
    """Register sources not seen before (due at once); the new ones are returned."""
    urls = list(dict.fromkeys(urls))
    with store.engine.begin() as conn:
        known = _existing(conn, watch_sources.c.url, urls)
        new = [u for u in urls if u not in known]
        if new:
            conn.execute(insert(watch_sources), [
                {"url": u, "parent": parent, "interval": interval, "next_poll": 0.0, "polls": 0, "failures": 0,
                 "found": 0, "articles": 0, "errors": 0} for u in new])
    return new


def _existing(conn: Connection, column, values: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(values), CHUNK):
        found |= set(conn.execute(select(column).where(column.in_(values[i:i + CHUNK]))).scalars())
    return found


def source(store: Store, url: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(watch_sources).where(watch_sources.c.url == url)).mappings().first()
    return dict(row) if row else None


def due(store: Store, now: float, among: Iterable[str] | None = None) -> list[dict[str, Any]]:
    query = select(watch_sources).where(watch_sources.c.next_poll <= now).order_by(watch_sources.c.next_poll)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    if among is not None:
        wanted = set(among)
        rows = [r for r in rows if r["url"] in wanted or r["parent"] in wanted]
    return rows


def next_poll(store: Store) -> float | None:
    with store.engine.connect() as conn:
        return conn.execute(select(func.min(watch_sources.c.next_poll))).scalar()


def polled(store: Store, url: str, *, kind: str | None, items: list[Item], interval: Callable[[int], float],
           now: float, etag: str | None = None, last_modified: str | None = None) -> int:
    """A successful poll: new article URLs queued, the schedule (`interval(new URLs)`) and validators kept;
    how many were new."""
    urls = list(dict.fromkeys(i.url for i in items))
    by_url = {i.url: i for i in items}
    with store.engine.begin() as conn:
        known = _existing(conn, watch_urls.c.url, urls)
        new = [u for u in urls if u not in known]
        # a URL that is the canonical URL of a stored article (reached before under another address) is not
        # fetched again: it is done, under that article
        stored = _existing(conn, articles.c.doc_id, new) if new else set()
        if new:
            conn.execute(insert(watch_urls), [
                {"url": u, "source": url, "status": "done" if u in stored else "queued",
                 "doc_id": u if u in stored else None, "published": by_url[u].published, "first_seen": now,
                 "fetched_at": now if u in stored else None, "attempts": 0} for u in new])
        every = interval(len(new))
        values: dict[str, Any] = {"last_poll": now, "next_poll": now + every, "interval": every,
                                  "polls": watch_sources.c.polls + 1, "failures": 0, "last_error": None,
                                  "found": watch_sources.c.found + len(new)}
        if kind:
            values["kind"] = kind
        if etag is not None or last_modified is not None:
            values.update(etag=etag, last_modified=last_modified)
        conn.execute(update(watch_sources).where(watch_sources.c.url == url).values(**values))
    return len(new)


def poll_failed(store: Store, url: str, error: str, *, interval: float, now: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(watch_sources).where(watch_sources.c.url == url).values(
            last_poll=now, next_poll=now + interval, polls=watch_sources.c.polls + 1,
            failures=watch_sources.c.failures + 1, last_error=error))


def queued(store: Store, limit: int = 10_000) -> list[dict[str, Any]]:
    """Pages to fetch, and pages fetched but not stored (a run stopped meanwhile) with their bodies."""
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(watch_urls.c.url, watch_urls.c.source, watch_urls.c.published, watch_urls.c.attempts,
                   watch_urls.c.status, watch_urls.c.final_url, watch_urls.c.body)
            .where(watch_urls.c.status.in_(("queued", "fetched")))
            .order_by(watch_urls.c.first_seen, watch_urls.c.url).limit(limit)).mappings()]


def fetched(store: Store, url: str, final_url: str, body: bytes, now: float) -> None:
    """A page is fetched: kept until its article is stored, so that a restart does not fetch it again."""
    with store.engine.begin() as conn:
        conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(
            status="fetched", final_url=final_url, body=body, fetched_at=now))


def done_in(conn: Connection, url: str, source_url: str, doc_id: str, now: float) -> None:
    """The page's article is stored (the caller's transaction writes it)."""
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(
        status="done", fetched_at=now, doc_id=doc_id, error=None, attempts=watch_urls.c.attempts + 1, body=None))
    conn.execute(update(watch_sources).where(watch_sources.c.url == source_url).values(
        articles=watch_sources.c.articles + 1))


def stored_keys(store: Store, keys: Iterable[str]) -> set[str]:
    """Which of these page keys (canonical URLs) are the doc_ids of stored articles."""
    with store.engine.connect() as conn:
        return _existing(conn, articles.c.doc_id, list(dict.fromkeys(keys)))


def same_as(store: Store, url: str, final_url: str, doc_id: str, now: float) -> None:
    """A page whose canonical URL is an article stored already (fetched before under another address): done,
    under that article, which is neither extracted nor stored again."""
    with store.engine.begin() as conn:
        conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(
            status="done", final_url=final_url, fetched_at=now, doc_id=doc_id, error=None, body=None,
            attempts=watch_urls.c.attempts + 1))


def page_failed(store: Store, url: str, source_url: str, error: str, *, retry: bool, attempts: int,
                now: float) -> bool:
    """A page that could not be fetched or read; it stays queued for a later poll while `retry` allows.
    Whether it is given up."""
    final = not retry or attempts + 1 >= GIVE_UP_AFTER
    with store.engine.begin() as conn:
        conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(
            status="failed" if final else "queued", fetched_at=now, error=error, body=None,
            attempts=watch_urls.c.attempts + 1))
        if final:
            conn.execute(update(watch_sources).where(watch_sources.c.url == source_url).values(
                errors=watch_sources.c.errors + 1, last_error=error))
    return final


def report(store: Store) -> dict[str, Any]:
    """Every source with its schedule and counts, the URL counts by status, and the latest page errors."""
    with store.engine.connect() as conn:
        sources = [dict(r) for r in conn.execute(select(watch_sources).order_by(watch_sources.c.url)).mappings()]
        counts = dict(conn.execute(select(watch_urls.c.status, func.count()).group_by(watch_urls.c.status)).all())
        errors = [dict(r) for r in conn.execute(
            select(watch_urls.c.url, watch_urls.c.source, watch_urls.c.error, watch_urls.c.status)
            .where(watch_urls.c.error.is_not(None)).order_by(watch_urls.c.fetched_at.desc()).limit(20)).mappings()]
    return {"sources": sources, "urls": counts, "errors": errors, "now": time.time()}
