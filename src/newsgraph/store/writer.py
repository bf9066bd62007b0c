"""Writing Records: one transaction per article, and re-ingesting the same article is a no-op."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..link.ids import stable_id
from ..records import Article, Record
from .schema import (
    ARTICLE_CHILDREN,
    amounts,
    articles,
    dates,
    entities,
    link_state,
    mentions,
    post_citations,
    quotes,
    roles,
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


def _clean(value):
    """PostgreSQL text cannot hold NUL; nothing else is changed."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _extra(item, columns) -> dict:
    """The fields of a record item that have no column of their own (added to the contract later)."""
    data = item if isinstance(item, dict) else dataclasses.asdict(item)
    return {k: v for k, v in data.items() if k not in columns}


ARTICLE_FIELDS = {"doc_id", "source", "title", "url", "outlet", "published", "text", "entities", "quotes",
                  "social_posts", "dates", "amounts", "tone", "story_id", "errors", "authors", "meta"}
ENTITY_FIELDS = {"id", "name", "label", "mentions", "roles"}
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


class StoreWriter:
    """Writes each Record with all its rows in one transaction; `write` says whether anything changed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.clean = engine.dialect.name == "postgresql"
        self.written = 0
        self.skipped = 0

    def write(self, record: Record) -> bool:
        with self.engine.begin() as conn:
            changed = self.write_in(conn, record)
        if changed:
            self.written += 1
        else:
            self.skipped += 1
        return changed

    def write_partition(self, key: str, records: list[Record], info: dict | None = None) -> list[bool]:
        """Write a partition's records and its mark in one transaction: after a crash, either all of it is there
        and the mark says so, or none of it is (see `done_partitions`)."""
        with self.engine.begin() as conn:
            changed = [self.write_in(conn, record) for record in records]
            name = PARTITION_PREFIX + key[:PARTITION_KEY_CHARS]
            conn.execute(delete(link_state).where(link_state.c.name == name))
            conn.execute(insert(link_state).values(name=name, state={**(info or {}), "articles": len(records),
                                                                      "written": sum(changed)}))
        self.written += sum(changed)
        self.skipped += len(changed) - sum(changed)
        return changed

    def done_partitions(self, keys: Iterable[str]) -> set[str]:
        """Which of the partition `keys` a run has written (whole) into this store."""
        wanted = {PARTITION_PREFIX + k[:PARTITION_KEY_CHARS]: k for k in keys}
        found: set[str] = set()
        names = list(wanted)
        with self.engine.connect() as conn:
            for i in range(0, len(names), 500):  # bounded IN lists, for stores with many partitions
                found |= set(conn.execute(select(link_state.c.name).where(
                    link_state.c.name.in_(names[i:i + 500]))).scalars())
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
        if self.clean:
            record = Record.from_dict(_clean(record.to_dict()))
        digest = content_hash(record)
        existing = conn.execute(select(articles.c.id, articles.c.content_hash, articles.c.story_id)
                                .where(articles.c.doc_id == record.doc_id)).first()
        touched_entities: set[str] = set()
        touched_posts: set[str] = set()
        touched_stories: set[str] = {record.story_id} if record.story_id else set()
        if existing is not None:
            if existing.content_hash == digest:
                return False
            # the article changed: its old rows go, and the counts they fed are recomputed below
            touched_entities |= set(conn.execute(select(mentions.c.entity_id).where(
                mentions.c.article_id == existing.id)).scalars())
            touched_posts |= set(conn.execute(select(post_citations.c.post_id).where(
                post_citations.c.article_id == existing.id)).scalars())
            if existing.story_id:
                touched_stories.add(existing.story_id)
            for table in ARTICLE_CHILDREN:
                conn.execute(delete(table).where(table.c.article_id == existing.id))
            conn.execute(delete(articles).where(articles.c.id == existing.id))

        article_id = conn.execute(insert(articles).values(
            doc_id=record.doc_id, content_hash=digest, source=record.source or "", title=record.title,
            url=record.url, outlet=record.outlet, published=record.published, text=record.text,
            tone=float(record.tone or 0.0), story_id=record.story_id, errors=list(record.errors or []),
            authors=list(record.authors or []), meta=dict(record.meta or {}),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            extra={k: v for k, v in record.to_dict().items() if k not in ARTICLE_FIELDS},
        )).inserted_primary_key[0]

        touched_entities |= self._entities(conn, article_id, record)
        self._quotes(conn, article_id, record)
        touched_entities |= {q.speaker_id for q in record.quotes if q.speaker_id}
        touched_posts |= self._posts(conn, article_id, record)
        self._many(conn, dates, [
            {"article_id": article_id, "idx": i, "text": d.text, "start": d.start, "end": d.end, "value": d.value,
             "extra": _extra(d, DATE_FIELDS)}
            for i, d in enumerate(record.dates)])
        self._many(conn, amounts, [
            {"article_id": article_id, "idx": i, "text": a.text, "start": a.start, "end": a.end,
             "value": float(a.value) if a.value is not None else None, "object": a.object, "approx": a.approx,
             "extra": _extra(a, AMOUNT_FIELDS)}
            for i, a in enumerate(record.amounts)])
        if record.story_id:
            self._story(conn, record)
        self.recount(conn, touched_entities, touched_posts, touched_stories)
        return True

    @staticmethod
    def _many(conn: Connection, table, rows: list[dict]) -> None:
        if rows:
            conn.execute(insert(table), rows)

    def _entities(self, conn: Connection, article_id: int, record: Record) -> set[str]:
        ids: set[str] = set()
        mention_rows, role_rows = [], []
        known = {}
        wanted = {e.id or stable_id("E", e.label, e.name) for e in record.entities}
        if wanted:
            known = {row.id: row.name for row in conn.execute(
                select(entities.c.id, entities.c.name).where(entities.c.id.in_(wanted)))}
        for idx, entity in enumerate(record.entities):
            entity_id = entity.id or stable_id("E", entity.label, entity.name)
            if entity_id not in known:
                conn.execute(insert(entities).values(id=entity_id, name=entity.name, label=entity.label))
                known[entity_id] = entity.name
            elif len(entity.name) > len(known[entity_id]):  # the canonical name is the longest seen
                conn.execute(update(entities).where(entities.c.id == entity_id).values(name=entity.name))
                known[entity_id] = entity.name
            ids.add(entity_id)
            extra = _extra(entity, ENTITY_FIELDS)
            for pair in entity.mentions or []:
                span = _span(pair)
                if span:
                    mention_rows.append({"article_id": article_id, "entity_id": entity_id, "idx": idx,
                                         "name": entity.name, "start": span[0], "end": span[1], "extra": extra})
            if not entity.mentions:  # keep the entity's place in the record even without mentions
                mention_rows.append({"article_id": article_id, "entity_id": entity_id, "idx": idx,
                                     "name": entity.name, "start": -1, "end": -1, "extra": extra})
            for role in dict.fromkeys(entity.roles or []):
                role_rows.append({"article_id": article_id, "entity_id": entity_id, "role": role})
        self._many(conn, mentions, mention_rows)
        self._many(conn, roles, role_rows)
        return ids

    def _quotes(self, conn: Connection, article_id: int, record: Record) -> None:
        self._many(conn, quotes, [
            {"article_id": article_id, "idx": i, "text": q.text, "start": q.start, "end": q.end,
             "direct": bool(q.direct), "speaker": q.speaker, "speaker_id": q.speaker_id,
             "speaker_span": q.speaker_span, "cue": q.cue, "anonymous": bool(q.anonymous), "spans": q.spans,
             "post_id": q.post_id, "published": record.published, "story_id": record.story_id,
             "extra": _extra(q, QUOTE_FIELDS)}
            for i, q in enumerate(record.quotes)])

    def _posts(self, conn: Connection, article_id: int, record: Record) -> set[str]:
        ids: set[str] = set()
        rows = []
        for idx, post in enumerate(record.social_posts):
            post_id = post.id or stable_id("P", post.platform, post.handle or post.author, post.text, post.date)
            current = conn.execute(select(social_posts).where(social_posts.c.id == post_id)).mappings().first()
            values = {"platform": post.platform, "author": post.author, "handle": post.handle, "date": post.date,
                      "text": post.text, "url": post.url, "embedded": bool(post.embedded),
                      "metrics": dict(post.metrics or {}), "reshares": post.reshares, "reacts_to": post.reacts_to}
            if current is None:
                conn.execute(insert(social_posts).values(id=post_id, **values))
            else:  # what one article leaves out, another may give: fill gaps, keep the longest text
                merged = {k: v for k, v in values.items()
                          if v not in (None, "", {}) and current[k] in (None, "", {}, False)}
                if post.text and len(post.text) > len(current["text"] or ""):
                    merged["text"] = post.text
                if post.metrics:
                    merged["metrics"] = {**(current["metrics"] or {}), **post.metrics}
                if merged:
                    conn.execute(update(social_posts).where(social_posts.c.id == post_id).values(**merged))
            ids.add(post_id)
            post_dict = {**dataclasses.asdict(post), "id": post_id}
            rows.append({"article_id": article_id, "post_id": post_id, "idx": idx, "embedded": bool(post.embedded),
                         "start": post.start, "end": post.end, "record": post_dict})
        self._many(conn, post_citations, rows)
        return ids

    def _story(self, conn: Connection, record: Record) -> None:
        # the title and summary are filled by `recount`, from all the story's members
        if conn.execute(select(stories.c.id).where(stories.c.id == record.story_id)).first() is None:
            conn.execute(insert(stories).values(id=record.story_id, article_count=0))

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
                .where(quotes.c.speaker_id == entities.c.id).scalar_subquery()))
        if post_ids:
            conn.execute(update(social_posts).where(social_posts.c.id.in_(post_ids)).values(
                citation_count=select(func.count(func.distinct(post_citations.c.article_id)))
                .where(post_citations.c.post_id == social_posts.c.id).scalar_subquery()))
        for story_id in story_ids:
            count, first, last = conn.execute(
                select(func.count(), func.min(articles.c.published), func.max(articles.c.published))
                .where(articles.c.story_id == story_id)).one()
            if count:
                title, summary = summarise(conn, story_id)
                conn.execute(update(stories).where(stories.c.id == story_id).values(
                    article_count=count, first_published=first, last_published=last, title=title,
                    summary=summary))
            else:
                conn.execute(delete(stories).where(stories.c.id == story_id))
