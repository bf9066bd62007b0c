"""The store's schema, in one place: tables named for the contract's record kinds, columns for its fields."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    or_,
)

from ..records import SPEECH_KINDS

metadata = MetaData()

# One row per article; `doc_id` + `content_hash` is what makes re-ingesting a no-op.
articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(512), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", String(512)),
    Column("published", String(10), index=True),  # YYYY-MM-DD, sorts as text
    Column("published_source", String(8)),  # given, html, url or text (migration 0007)
    Column("text", Text, nullable=False),
    Column("tone", Float, nullable=False, default=0.0),
    Column("story_id", String(64), index=True),
    Column("errors", JSON, nullable=False, default=list),
    Column("authors", JSON, nullable=False, default=list),
    Column("meta", JSON, nullable=False, default=dict),
    Column("ingested_at", String(32), nullable=False),
    Column("extra", JSON, nullable=False, default=dict),  # record fields added after this schema
    # outlet lists, pages and charts read (outlet, published) from the index, not the rows with their text
    Index("ix_articles_outlet", "outlet", "published"),  # migration 0012
)

# Run-wide entities (the ids link/identity.py gives); per-article facts live in mentions and roles.
entities = Table(
    "entities", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("label", String(32), nullable=False, index=True),
    Column("article_count", Integer, nullable=False, default=0),
    Column("quote_count", Integer, nullable=False, default=0),
    # how many records gave each name and label: {"names": {name: n}, "labels": {label: n}} (migration 0011);
    # `name` and `label` are the most given
    Column("votes", JSON),
    Index("ix_entities_name", "name"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("idx", Integer, nullable=False),  # the entity's position in the record's `entities`
    Column("name", Text, nullable=False),  # the entity's name as this article's record gave it
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("extra", JSON, nullable=False, default=dict),  # record fields added after this schema
    Index("ix_mentions_article", "article_id"),
    Index("ix_mentions_entity", "entity_id", "article_id"),
)

roles = Table(
    "roles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("role", Text, nullable=False),
    # the span of the role's words in the article (migration 0011); null for roles stored before it
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_roles_entity", "entity_id"),
    Index("ix_roles_article", "article_id"),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("direct", Boolean, nullable=False, default=False),
    Column("speaker", Text),
    Column("speaker_id", String(64), index=True),
    Column("speaker_span", JSON),
    Column("cue", Text),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("spans", JSON),
    Column("post_id", String(64)),
    # copied from the article so that filters by date and story need no join
    Column("published", String(10), index=True),
    Column("story_id", String(64), index=True),
    Column("extra", JSON, nullable=False, default=dict),  # record fields added after this schema
    Index("ix_quotes_article", "article_id"),
    Index("ix_quotes_speaker_published", "speaker_id", "published"),
    Index("ix_quotes_speaker_name", "speaker"),  # the quote list sorted by speaker (migration 0012)
)

# Run-wide posts; where and how each article cites one is in post_citations.
social_posts = Table(
    "social_posts", metadata,
    Column("id", String(64), primary_key=True),
    Column("platform", String(64), nullable=False, index=True),
    Column("author", Text),
    Column("handle", String(256), index=True),
    Column("date", String(32)),
    Column("text", Text),
    Column("url", Text),
    Column("embedded", Boolean, nullable=False, default=False),
    Column("metrics", JSON, nullable=False, default=dict),
    Column("reshares", String(64)),
    Column("reacts_to", String(64)),
    Column("citation_count", Integer, nullable=False, default=0),
    # walking a post's chain of reshares and its reactions (migration 0004)
    Index("ix_social_posts_reshares", "reshares"),
    Index("ix_social_posts_reacts_to", "reacts_to"),
)

post_citations = Table(
    "post_citations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("post_id", String(64), ForeignKey("social_posts.id"), nullable=False),
    Column("idx", Integer, nullable=False),  # position in the record's `social_posts`
    Column("embedded", Boolean, nullable=False, default=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("record", JSON, nullable=False),  # the post exactly as this article's record gave it
    Index("ix_post_citations_article", "article_id"),
    Index("ix_post_citations_post", "post_id"),
)

dates = Table(
    "dates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", String(32), index=True),
    Column("extra", JSON, nullable=False, default=dict),  # record fields added after this schema
    Index("ix_dates_article", "article_id"),
)

amounts = Table(
    "amounts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", Float),
    Column("object", Text),
    Column("approx", Text),
    Column("extra", JSON, nullable=False, default=dict),  # record fields added after this schema
    Index("ix_amounts_article", "article_id"),
)

stories = Table(
    "stories", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("article_count", Integer, nullable=False, default=0),
    Column("first_published", String(10)),
    Column("last_published", String(10), index=True),
    # members without a publication date: first/last_published span only the dated ones (migration 0007)
    Column("undated_count", Integer, nullable=False, default=0, server_default="0"),
    # title source, key entities, key quotes, posts and dated events (store/summary.py; migration 0005)
    Column("summary", JSON),
)

# A quotes row is speech (a direct quotation or reported speech) or, by its kind, one of a record's stances
# (stance, question, unsaid, topic: records.py): they share the table but are never listed, counted or shown as quotations.
QUOTE_KIND = quotes.c.extra["kind"].as_string()
IS_SPEECH = or_(QUOTE_KIND.is_(None), QUOTE_KIND.in_(SPEECH_KINDS))  # records.is_speech, in SQL

# Cross-article linking state (identities, posts, stories) kept between ingest runs, and partition marks:
# `state` is small JSON (for the linker: its format, fingerprint and position, store/linkstate.py), `data`
# the linker's snapshot itself (migration 0008).
link_state = Table(
    "link_state", metadata,
    Column("name", String(64), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("data", LargeBinary),
)

# newsgraph watch (migration 0010): each source with its poll schedule, validators and failures; each article URL
# seen (canonical), so that a restart neither loses nor fetches again what an earlier run found. Times are Unix
# seconds.
watch_sources = Table(
    "watch_sources", metadata,
    Column("url", String(2048), primary_key=True),
    Column("kind", String(16)),  # feed, sitemap, home, file (None until first polled)
    Column("parent", String(2048)),  # the source that named it (a home page's feed, an index's sitemap)
    Column("interval", Float, nullable=False),
    Column("next_poll", Float, nullable=False, index=True),
    Column("last_poll", Float),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("polls", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("last_error", Text),
    Column("found", Integer, nullable=False, default=0),  # article URLs it listed
    Column("articles", Integer, nullable=False, default=0),  # ... stored
    Column("errors", Integer, nullable=False, default=0),  # ... that failed
)

watch_urls = Table(
    "watch_urls", metadata,
    Column("url", String(2048), primary_key=True),
    Column("source", String(2048), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),  # queued, fetched, done, failed
    Column("published", String(32)),
    Column("first_seen", Float, nullable=False),
    Column("fetched_at", Float),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("doc_id", String(512)),
    # a page fetched and not stored yet is kept here (a restart reads it from here, not from its site again)
    Column("final_url", String(2048)),
    Column("body", LargeBinary),
)

# The tables of one article's rows, in the order they are deleted before a re-write.
ARTICLE_CHILDREN = (mentions, roles, quotes, post_citations, dates, amounts)
