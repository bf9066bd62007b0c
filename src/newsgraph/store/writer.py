"""Writing Records: one transaction per article or per partition, and re-ingesting the same article is a no-op.

A batch of records (one article, or a partition of a run) is written in one go: its articles one by one, then
the shared rows they name (entities, posts, stories) merged in record order, then the per-article rows in bulk
(COPY on PostgreSQL, multi-row inserts on SQLite), then the counts and summaries of what it touched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..link.ids import stable_id
from ..records import Article, Record
from . import postgres
from .schema import (
    ARTICLE_CHILDREN,
    IS_SPEECH,
    articles,
    entities,
    link_state,
    mentions,
    post_citations,
    quotes,
    social_posts,
    stories,
)
from .summary import summarise


def content_hash(record: Record | Article) -> str:
    """What decides whether an article changed: its text and title."""
    digest = hashlib.sha256()
    for part in (record.title or "", "\x1f", record.text):
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# partition marks live in link_state (name: prefix + key), beside the linker's state: both are run state
PARTITION_PREFIX = "partition:"
PARTITION_KEY_CHARS = 40
# a transaction that lost a race with another writer (PostgreSQL) is tried again, this many times in all
ATTEMPTS = 5
IN_CHUNK = 500  # ids per IN (...) list


def _clean(value):
    """PostgreSQL text cannot hold NUL; nothing else is changed."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _cleaned(record: Record) -> Record:
    """`record` without NULs. Copying a record costs more than writing it, so only one that may hold a NUL is
    rebuilt: repr writes a NUL as the escape \\x00 (a text with that escape in it is cleaned for nothing)."""
    return Record.from_dict(_clean(record.to_dict())) if "\\x00" in repr(record) else record


def _extra(item, columns) -> dict:
    """The fields of a record item that have no column of their own (added to the contract later)."""
    if isinstance(item, dict):
        return {k: v for k, v in item.items() if k not in columns}
    # the fields themselves, not asdict(item): that would copy every entity's mention list
    return {f.name: _plain(getattr(item, f.name)) for f in dataclasses.fields(item) if f.name not in columns}


def _plain(value):
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


ARTICLE_FIELDS = {"doc_id", "source", "title", "url", "outlet", "published", "published_source", "text", "entities",
                  "quotes", "stances", "social_posts", "dates", "amounts", "tone", "story_id", "errors", "authors",
                  "meta"}
ENTITY_FIELDS = {"id", "name", "label", "mentions", "roles", "role_spans"}
QUOTE_FIELDS = {"text", "start", "end", "direct", "speaker", "speaker_id", "speaker_span", "cue", "anonymous",
                "spans", "post_id"}
DATE_FIELDS = {"text", "start", "end", "value"}
AMOUNT_FIELDS = {"text", "start", "end", "value", "object", "approx"}


def _span(pair) -> tuple[int, int] | None:
    try:
        start, end = int(pair[0]), int(pair[1])
    except (TypeError, ValueError, IndexError):
        return None
    return start, end


def merge_post(current: dict[str, Any], values: dict[str, Any], post) -> dict[str, Any]:
    """What one more citation of a stored post changes: what one article leaves out, another may give (gaps
    are filled), the longest text is kept, metrics are merged."""
    merged = {k: v for k, v in values.items() if v not in (None, "", {}) and current[k] in (None, "", {}, False)}
    if post.text and len(post.text) > len(current["text"] or ""):
        merged["text"] = post.text
    if post.metrics:
        merged["metrics"] = {**(current["metrics"] or {}), **post.metrics}
    return merged


@dataclasses.dataclass
class _Batch:
    """The rows of the articles of one write, gathered in record order before they are written."""

    records: list[Record] = dataclasses.field(default_factory=list)
    entities: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # (id, name, label) as seen
    posts: list[tuple[str, dict[str, Any], Any]] = dataclasses.field(default_factory=list)  # (id, values, post)
    stories: list[str] = dataclasses.field(default_factory=list)
    rows: dict[str, list[dict]] = dataclasses.field(default_factory=lambda: {t.name: [] for t in ARTICLE_CHILDREN})
    touched_entities: set[str] = dataclasses.field(default_factory=set)
    touched_posts: set[str] = dataclasses.field(default_factory=set)
    touched_stories: set[str] = dataclasses.field(default_factory=set)

    def add(self, article_id: int, record: Record) -> None:
        self.records.append(record)
        if record.story_id:
            self.stories.append(record.story_id)
            self.touched_stories.add(record.story_id)
        for idx, entity in enumerate(record.entities):
            entity_id = entity.id or stable_id("E", entity.label, entity.name)
            self.entities.append((entity_id, entity.name, entity.label))
            self.touched_entities.add(entity_id)
            extra = _extra(entity, ENTITY_FIELDS)
            for pair in entity.mentions or []:
                span = _span(pair)
                if span:
                    self.rows["mentions"].append({"article_id": article_id, "entity_id": entity_id, "idx": idx,
                                                  "name": entity.name, "start": span[0], "end": span[1],
                                                  "extra": extra})
            if not entity.mentions:  # keep the entity's place in the record even without mentions
                self.rows["mentions"].append({"article_id": article_id, "entity_id": entity_id, "idx": idx,
                                              "name": entity.name, "start": -1, "end": -1, "extra": extra})
            role_spans = list(entity.role_spans or [])
            for i, role in enumerate(entity.roles or []):
                if role in (entity.roles or [])[:i]:
                    continue
                span = _span(role_spans[i]) if i < len(role_spans) else None
                self.rows["roles"].append({"article_id": article_id, "entity_id": entity_id, "role": role,
                                           "start": span[0] if span else None, "end": span[1] if span else None})
        self.rows["quotes"].extend(
            {"article_id": article_id, "idx": i, "text": q.text, "start": q.start, "end": q.end,
             "direct": bool(q.direct), "speaker": q.speaker, "speaker_id": q.speaker_id,
             "speaker_span": q.speaker_span, "cue": q.cue, "anonymous": bool(q.anonymous), "spans": q.spans,
             "post_id": q.post_id, "published": record.published, "story_id": record.story_id,
             "extra": _extra(q, QUOTE_FIELDS)}
            # stances share the quotes table (their kind tells them apart), after the record's quotes
            for i, q in enumerate((*record.quotes, *record.stances)))
        self.touched_entities.update(q.speaker_id for q in record.quotes if q.speaker_id)
        for idx, post in enumerate(record.social_posts):
            post_id = post.id or stable_id("P", post.platform, post.handle or post.author, post.text, post.date)
            values = {"platform": post.platform, "author": post.author, "handle": post.handle, "date": post.date,
                      "text": post.text, "url": post.url, "embedded": bool(post.embedded),
                      "metrics": dict(post.metrics or {}), "reshares": post.reshares, "reacts_to": post.reacts_to}
            self.posts.append((post_id, values, post))
            self.touched_posts.add(post_id)
            self.rows["post_citations"].append({
                "article_id": article_id, "post_id": post_id, "idx": idx, "embedded": bool(post.embedded),
                "start": post.start, "end": post.end, "record": {**dataclasses.asdict(post), "id": post_id}})
        self.rows["dates"].extend(
            {"article_id": article_id, "idx": i, "text": d.text, "start": d.start, "end": d.end, "value": d.value,
             "extra": _extra(d, DATE_FIELDS)}
            for i, d in enumerate(record.dates))
        self.rows["amounts"].extend(
            {"article_id": article_id, "idx": i, "text": a.text, "start": a.start, "end": a.end,
             "value": float(a.value) if a.value is not None else None, "object": a.object, "approx": a.approx,
             "extra": _extra(a, AMOUNT_FIELDS)}
            for i, a in enumerate(record.amounts))


class StoreWriter:
    """Writes each Record with all its rows in one transaction; `write` says whether anything changed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.clean = engine.dialect.name == "postgresql"
        # PostgreSQL: per-article rows by COPY, and one writer transaction at a time (postgres.lock_writers)
        self.copy = self.serialise = engine.dialect.name == "postgresql"
        self.written = 0
        self.skipped = 0

    def write(self, record: Record) -> bool:
        changed = self._transaction(lambda conn: self.write_in(conn, record))
        if changed:
            self.written += 1
        else:
            self.skipped += 1
        return changed

    def write_partition(self, key: str, records: list[Record], info: dict | None = None,
                        also: Callable[[Connection], None] | None = None) -> list[bool]:
        """Write a partition's records and its mark in one transaction: after a crash, either all of it is there
        and the mark says so, or none of it is (see `done_partitions`). `also(conn)` runs in that transaction
        (the linker's snapshot)."""

        def work(conn: Connection) -> list[bool]:
            changed = self.write_batch(conn, records)
            name = PARTITION_PREFIX + key[:PARTITION_KEY_CHARS]
            conn.execute(delete(link_state).where(link_state.c.name == name))
            conn.execute(insert(link_state).values(name=name, state={**(info or {}), "articles": len(records),
                                                                      "written": sum(changed)}))
            if also is not None:
                also(conn)
            return changed

        changed = self._transaction(work)
        self.written += sum(changed)
        self.skipped += len(changed) - sum(changed)
        return changed

    def _transaction(self, work):
        """`work(conn)` in a transaction of its own; on PostgreSQL after the store's writer lock, and again when
        it lost a race with a writer that does not take the lock (a deadlock, a unique violation)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.engine.begin() as conn:
                    if self.serialise:
                        postgres.lock_writers(conn)
                    return work(conn)
            except DBAPIError as exc:
                state = getattr(exc.orig, "sqlstate", None)
                if not self.serialise or state not in postgres.RETRY_STATES or attempt == ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt * (1 + random.random()))
        raise AssertionError("unreachable")

    def done_partitions(self, keys: Iterable[str]) -> set[str]:
        """Which of the partition `keys` a run has written (whole) into this store."""
        wanted = {PARTITION_PREFIX + k[:PARTITION_KEY_CHARS]: k for k in keys}
        found: set[str] = set()
        names = list(wanted)
        with self.engine.connect() as conn:
            for i in range(0, len(names), IN_CHUNK):  # bounded IN lists, for stores with many partitions
                found |= set(conn.execute(select(link_state.c.name).where(
                    link_state.c.name.in_(names[i:i + IN_CHUNK]))).scalars())
        return {wanted[name] for name in found}

    def holds(self, article: Article | Record) -> bool:
        """Whether the store has this article already, unchanged (same doc_id, same content hash)."""
        with self.engine.connect() as conn:
            stored = conn.execute(select(articles.c.content_hash).where(articles.c.doc_id == article.doc_id)).scalar()
        if stored is None:
            return False
        if self.clean:
            article = Record(doc_id=article.doc_id, source="", title=_clean(article.title), url=None, outlet=None,
                             published=None, text=_clean(article.text))
        return stored == content_hash(article)

    def write_in(self, conn: Connection, record: Record) -> bool:
        """Write one record in the caller's transaction; whether anything changed."""
        return self.write_batch(conn, [record])[0]

    def write_batch(self, conn: Connection, records: list[Record]) -> list[bool]:
        """Write `records` in the caller's transaction, as one after the other would be written; for each,
        whether anything changed (an article stored unchanged is left alone)."""
        if self.clean:
            records = [_cleaned(record) for record in records]
        if len({r.doc_id for r in records}) < len(records):  # one article twice: each write sees the one before
            return [changed for record in records for changed in self.write_batch(conn, [record])]
        stored: dict[str, Any] = {}
        doc_ids = [r.doc_id for r in records]
        for i in range(0, len(doc_ids), IN_CHUNK):
            stored.update((row.doc_id, row) for row in conn.execute(
                select(articles.c.id, articles.c.doc_id, articles.c.content_hash, articles.c.story_id)
                .where(articles.c.doc_id.in_(doc_ids[i:i + IN_CHUNK]))))
        batch = _Batch()
        changed = []
        for record in records:
            digest = content_hash(record)
            existing = stored.get(record.doc_id)
            if existing is not None and existing.content_hash == digest:
                if record.story_id != existing.story_id:
                    self._restory(conn, existing, record, batch)
                changed.append(False)
                continue
            if existing is not None:
                self._remove(conn, existing, batch)
            batch.add(self._insert_article(conn, record, digest), record)
            changed.append(True)
        if not batch.records:
            if batch.touched_stories:
                self._stories(conn, batch.stories)
                self.recount(conn, (), (), batch.touched_stories)
            return changed
        self._entities(conn, batch.entities)
        self._posts(conn, batch.posts)
        for table in ARTICLE_CHILDREN:
            if self.copy:
                postgres.copy_rows(conn, table, batch.rows[table.name])
            else:
                self._many(conn, table, batch.rows[table.name])
        self._stories(conn, batch.stories)
        self.recount(conn, batch.touched_entities, batch.touched_posts, batch.touched_stories)
        return changed

    @staticmethod
    def _restory(conn: Connection, existing, record: Record, batch: _Batch) -> None:
        """The article is unchanged but its story moved (a record written while still undecided, whose story
        split later, store/linkstate.py): its rows name the new story, and both stories are summarised again."""
        conn.execute(update(articles).where(articles.c.id == existing.id).values(story_id=record.story_id))
        conn.execute(update(quotes).where(quotes.c.article_id == existing.id).values(story_id=record.story_id))
        if existing.story_id:
            batch.touched_stories.add(existing.story_id)
        if record.story_id:
            batch.stories.append(record.story_id)
            batch.touched_stories.add(record.story_id)

    @staticmethod
    def _remove(conn: Connection, existing, batch: _Batch) -> None:
        """The article changed: its old rows go, and the counts they fed are recomputed."""
        batch.touched_entities.update(conn.execute(select(mentions.c.entity_id).where(
            mentions.c.article_id == existing.id)).scalars())
        batch.touched_posts.update(conn.execute(select(post_citations.c.post_id).where(
            post_citations.c.article_id == existing.id)).scalars())
        if existing.story_id:
            batch.touched_stories.add(existing.story_id)
        for table in ARTICLE_CHILDREN:
            conn.execute(delete(table).where(table.c.article_id == existing.id))
        conn.execute(delete(articles).where(articles.c.id == existing.id))

    @staticmethod
    def _insert_article(conn: Connection, record: Record, digest: str) -> int:
        return conn.execute(insert(articles).values(
            doc_id=record.doc_id, content_hash=digest, source=record.source or "", title=record.title,
            url=record.url, outlet=record.outlet, published=record.published,
            published_source=record.published_source, text=record.text,
            tone=float(record.tone or 0.0), story_id=record.story_id, errors=list(record.errors or []),
            authors=list(record.authors or []), meta=dict(record.meta or {}),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            extra=_extra(record, ARTICLE_FIELDS),
        )).inserted_primary_key[0]

    @staticmethod
    def _many(conn: Connection, table, rows: list[dict]) -> None:
        if rows:
            conn.execute(insert(table), rows)

    @staticmethod
    def _entities(conn: Connection, seen: list[tuple[str, str, str]]) -> None:
        """Create the entities first seen here and count the name and label each record gave them; an entity is
        shown under the name and label most records gave it (linking names an entity over the run so far:
        link/identity.py, so later records agree). Counts add up in any order: concurrent writers, one by one
        or in partitions, leave the same names."""
        wanted = list(dict.fromkeys(entity_id for entity_id, _, _ in seen))
        stored: dict[str, tuple[str, str, dict]] = {}
        for i in range(0, len(wanted), IN_CHUNK):
            stored.update((row.id, (row.name, row.label, row.votes)) for row in conn.execute(
                select(entities.c.id, entities.c.name, entities.c.label, entities.c.votes)
                .where(entities.c.id.in_(wanted[i:i + IN_CHUNK]))))
        votes: dict[str, dict[str, dict[str, int]]] = {}
        for entity_id in wanted:
            if entity_id in stored:
                name, label, old = stored[entity_id]
                # an entity stored before votes were counted: its name and label count once
                old = old or {"names": {name: 1}, "labels": {label: 1}}
                votes[entity_id] = {"names": dict(old["names"]), "labels": dict(old["labels"])}
            else:
                votes[entity_id] = {"names": {}, "labels": {}}
        for entity_id, name, label in seen:
            v = votes[entity_id]
            v["names"][name] = v["names"].get(name, 0) + 1
            v["labels"][label] = v["labels"].get(label, 0) + 1
        rows = []
        for entity_id, v in votes.items():
            name = max(v["names"].items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
            label = max(v["labels"].items(), key=lambda kv: (kv[1], kv[0]))[0]
            rows.append({"entity": entity_id, "new_name": name, "new_label": label, "new_votes": v})
        new = [{"id": r["entity"], "name": r["new_name"], "label": r["new_label"], "votes": r["new_votes"]}
               for r in rows if r["entity"] not in stored]
        if new:
            conn.execute(insert(entities), new)
        changed = [r for r in rows if r["entity"] in stored]
        if changed:
            conn.execute(update(entities).where(entities.c.id == bindparam("entity"))
                         .values(name=bindparam("new_name"), label=bindparam("new_label"),
                                 votes=bindparam("new_votes")), changed)

    @staticmethod
    def _posts(conn: Connection, seen: list[tuple[str, dict[str, Any], Any]]) -> None:
        """Create the posts first seen here and merge what each citation adds, in order (`merge_post`)."""
        wanted = list(dict.fromkeys(post_id for post_id, _, _ in seen))
        stored: dict[str, dict[str, Any]] = {}
        for i in range(0, len(wanted), IN_CHUNK):
            stored.update((row["id"], dict(row)) for row in conn.execute(
                select(social_posts).where(social_posts.c.id.in_(wanted[i:i + IN_CHUNK]))).mappings())
        rows: dict[str, dict[str, Any]] = {}
        for post_id, values, post in seen:
            current = rows.get(post_id) or stored.get(post_id)
            if current is None:
                rows[post_id] = {"id": post_id, **values, "citation_count": 0}
            else:
                rows[post_id] = {**current, **merge_post(current, values, post)}
        new = [{k: v for k, v in row.items() if k != "citation_count"} for i, row in rows.items() if i not in stored]
        if new:
            conn.execute(insert(social_posts), new)
        for post_id, row in rows.items():
            before = stored.get(post_id)
            if before is not None:
                changes = {k: v for k, v in row.items() if before[k] != v}
                if changes:
                    conn.execute(update(social_posts).where(social_posts.c.id == post_id).values(**changes))

    @staticmethod
    def _stories(conn: Connection, story_ids: list[str]) -> None:
        # the title and summary are filled by `recount`, from all the story's members
        wanted = list(dict.fromkeys(story_ids))
        stored: set[str] = set()
        for i in range(0, len(wanted), IN_CHUNK):
            stored.update(conn.execute(select(stories.c.id).where(stories.c.id.in_(wanted[i:i + IN_CHUNK]))).scalars())
        new = [{"id": story_id, "article_count": 0} for story_id in wanted if story_id not in stored]
        if new:
            conn.execute(insert(stories), new)

    @staticmethod
    def recount(conn: Connection, entity_ids: Iterable[str], post_ids: Iterable[str],
                story_ids: Iterable[str]) -> None:
        """Recompute the counts the pages sort by, and the summaries of the stories, for the rows one article
        touched."""
        entity_ids, post_ids, story_ids = list(entity_ids), list(post_ids), list(story_ids)
        if entity_ids:
            conn.execute(update(entities).where(entities.c.id.in_(entity_ids)).values(
                article_count=select(func.count(func.distinct(mentions.c.article_id)))
                .where(mentions.c.entity_id == entities.c.id).scalar_subquery(),
                quote_count=select(func.count()).select_from(quotes)
                .where(quotes.c.speaker_id == entities.c.id, IS_SPEECH).scalar_subquery()))
        if post_ids:
            conn.execute(update(social_posts).where(social_posts.c.id.in_(post_ids)).values(
                citation_count=select(func.count(func.distinct(post_citations.c.article_id)))
                .where(post_citations.c.post_id == social_posts.c.id).scalar_subquery()))
        for story_id in story_ids:
            count, dated, first, last = conn.execute(
                select(func.count(), func.count(articles.c.published), func.min(articles.c.published),
                       func.max(articles.c.published))
                .where(articles.c.story_id == story_id)).one()
            if count:
                title, summary = summarise(conn, story_id)
                # the span is the dated members' alone; the undated are counted, never given a date
                conn.execute(update(stories).where(stories.c.id == story_id).values(
                    article_count=count, undated_count=count - dated, first_published=first, last_published=last,
                    title=title, summary=summary))
            else:
                conn.execute(delete(stories).where(stories.c.id == story_id))
