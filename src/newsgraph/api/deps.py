"""Shared dependencies: the store, the page templates, query parameters, and the write guard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from ..store import Store
from ..store.queries import SORTS, Queries
from .guard import write_refusal

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_OFFSET = 1_000_000


def get_store(request: Request) -> Store:
    return request.app.state.store


# A request's reads together end after this long (503): a costly search cannot hold a connection for minutes.
READ_BUDGET_S = 5.0


def get_queries(request: Request) -> Iterator[Queries]:
    """One connection per request, held from its first read to its end, under the read budget: what a handler
    reads lazily is still there, and a request never takes a second connection from the pool."""
    store: Store = request.app.state.store
    with store.engine.connect() as conn, store.dialect.statement_budget(conn, request.app.state.read_budget):
        yield store.queries.bound(conn)


def templates(request: Request):
    return request.app.state.templates


def clean(value: str | None) -> str | None:
    """Query text as the database can take it (PostgreSQL refuses NUL characters)."""
    return value.replace("\x00", "") if value is not None else None


def require_writer(request: Request) -> None:
    """POST endpoints exist only with `serve --allow-write`, and then only with the token."""
    state = request.app.state
    refused = write_refusal(state.allow_write, state.token, request.headers.get("authorization", ""))
    if refused:  # WriteGuard answered before the body was read; this stays for apps mounted without it
        status, detail, headers = refused
        raise HTTPException(status_code=status, detail=detail, headers=headers or None)


QueriesDep = Annotated[Queries, Depends(get_queries)]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Since = Annotated[str | None, Query(pattern=DATE, description="Earliest publication date, YYYY[-MM[-DD]].")]
Until = Annotated[str | None, Query(pattern=DATE, description="Latest publication date, YYYY[-MM[-DD]].")]
Text = Annotated[str | None, Query(max_length=500)]


def sort_param(kind: str) -> Any:
    """The `sort` parameter of a list: one of its orders (store/queries.py SORTS), the first the default."""
    names = tuple(SORTS[kind])
    return Annotated[Literal[names] | None, Query(description=f"Order: {', '.join(names)} (default {names[0]}).")]


def csv_download(request: Request, name: str, /, **filters: Any) -> StreamingResponse:
    """A whole list as CSV, streamed as the database reads it (constant memory however many rows)."""
    from ..store.export import csv_lines

    queries: Queries = request.app.state.store.queries
    filters = {k: clean(v) if isinstance(v, str) else v for k, v in filters.items()}
    return StreamingResponse(csv_lines(queries.stream(name, **filters), queries.columns(name)),
                             media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
