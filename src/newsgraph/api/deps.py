"""Shared dependencies: the store, the page templates, query parameters, and the write guard."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from ..store import Store
from ..store.queries import Queries

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_OFFSET = 1_000_000


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_queries(request: Request) -> Queries:
    return request.app.state.store.queries


def templates(request: Request):
    return request.app.state.templates


def clean(value: str | None) -> str | None:
    """Query text as the database can take it (PostgreSQL refuses NUL characters)."""
    return value.replace("\x00", "") if value is not None else None


def require_writer(request: Request) -> None:
    """POST endpoints exist only with `serve --allow-write`, and then only with the token."""
    state = request.app.state
    if not state.allow_write:
        raise HTTPException(status_code=403, detail="read-only: start the server with --allow-write and a token")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not state.token or not hmac.compare_digest(given.encode(), state.token.encode()):
        raise HTTPException(status_code=401, detail="a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})


QueriesDep = Annotated[Queries, Depends(get_queries)]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Since = Annotated[str | None, Query(pattern=DATE, description="Earliest publication date, YYYY[-MM[-DD]].")]
Until = Annotated[str | None, Query(pattern=DATE, description="Latest publication date, YYYY[-MM[-DD]].")]
Text = Annotated[str | None, Query(max_length=500)]
