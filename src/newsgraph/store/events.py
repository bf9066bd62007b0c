"""What is new in a store: articles stored after a cursor (`articles.id`, which only grows), for `/api/events`
and the story list's "new since" marker. A client keeps the last cursor it saw and asks again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from .schema import articles


def latest(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.max(articles.c.id))).scalar() or 0


def events(engine: Engine, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """Articles stored after cursor `after`, oldest first; `next` is the cursor to ask with next time."""
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(
            select(articles.c.id.label("cursor"), articles.c.doc_id, articles.c.title, articles.c.outlet,
                   articles.c.published, articles.c.url, articles.c.story_id, articles.c.ingested_at)
            .where(articles.c.id > after).order_by(articles.c.id).limit(limit)).mappings()]
    items = [{"kind": "article", **r} for r in rows]
    return {"items": items, "next": rows[-1]["cursor"] if rows else after}


def new_by_story(engine: Engine, after: int, limit: int = 1000) -> dict[str, int]:
    """Story id -> how many of its articles were stored after cursor `after`."""
    with engine.connect() as conn:
        return {sid: n for sid, n in conn.execute(
            select(articles.c.story_id, func.count()).where(articles.c.id > after, articles.c.story_id.is_not(None))
            .group_by(articles.c.story_id).limit(limit)).all()}
