"""Events: the articles stored after a cursor, so that a client follows a store as `newsgraph watch` fills it
(poll `/api/events?after=NEXT` with the `next` of the answer before)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from ...store.events import events

api = APIRouter(prefix="/api/events", tags=["events"])
pages = APIRouter(include_in_schema=False)


@api.get("")
def list_events(request: Request, after: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    """Articles stored after cursor `after` (0: from the first), oldest first, each with its cursor and story;
    `next` is the cursor to ask with next time (the same when nothing is new)."""
    return events(request.app.state.store.engine, after, limit)
