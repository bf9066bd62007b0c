"""Search: full text over articles (titles and text) and quotes, and entity names."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from ...web import plain
from ..deps import Limit, Offset, QueriesDep, clean
from ..models import SearchResults

api = APIRouter(prefix="/api/search", tags=["search"])
pages = APIRouter(include_in_schema=False)
Q = Annotated[str, Query(max_length=500, description="Words to find (all of them).")]


@api.get("", response_model=SearchResults)
def search(queries: QueriesDep, q: Q = "", limit: Limit = 20, offset: Offset = 0) -> dict:
    """Articles, quotes and entities matching `q`; article snippets are plain text."""
    found = queries.search(clean(q) or "", limit=limit, offset=offset)
    for item in found["articles"]["items"]:
        item["snippet"] = plain(item["snippet"])
    return found


@pages.get("/search")
def search_page(request: Request, queries: QueriesDep, q: Q = "", limit: Limit = 20, offset: Offset = 0):
    found = queries.search(clean(q) or "", limit=limit, offset=offset)
    return request.app.state.templates.TemplateResponse(
        request, "search.html", {"found": found, "q": q, "api": "/api/search"})
