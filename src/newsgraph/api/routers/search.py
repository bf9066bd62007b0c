"""Search: full text over articles (titles and text) and quotes, and entity names."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from ...web import plain
from ..deps import MAX_OFFSET, Limit, Offset, QueriesDep, clean
from ..models import SearchResults

api = APIRouter(prefix="/api/search", tags=["search"])
pages = APIRouter(include_in_schema=False)
Q = Annotated[str, Query(max_length=500, description="Words to find (all of them).")]


@api.get("", response_model=SearchResults)
def search(queries: QueriesDep, q: Q = "", limit: Limit = 20, offset: Offset = 0,
           quote_offset: Annotated[int | None, Query(ge=0, le=MAX_OFFSET, description="Quotes to skip "
                                                     "(default: offset).")] = None) -> dict:
    """Articles, quotes and entities matching `q`; article snippets and quote highlights are plain text."""
    found = queries.search(clean(q) or "", limit=limit, offset=offset, quote_offset=quote_offset)
    for item in found["articles"]["items"]:
        item["snippet"] = plain(item["snippet"])
    for item in found["quotes"]["items"]:
        item["highlight"] = plain(item.get("highlight"))
    return found


@pages.get("/search")
def search_page(request: Request, queries: QueriesDep, q: Q = "", limit: Limit = 20, offset: Offset = 0,
                quote_offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0):
    found = queries.search(clean(q) or "", limit=limit, offset=offset, quote_offset=quote_offset)
    return request.app.state.templates.TemplateResponse(
        request, "search.html", {"found": found, "q": q, "api": "/api/search"})
