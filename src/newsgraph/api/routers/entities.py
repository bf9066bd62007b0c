"""Entities: people, organisations and places, with their roles, quotes by date and posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from ..deps import Limit, Offset, QueriesDep, Text, clean, csv_download, sort_param
from ..models import Entity, EntitySummary, Page

api = APIRouter(prefix="/api/entities", tags=["entities"])
pages = APIRouter(include_in_schema=False)
Sort = sort_param("entities")
Label = Annotated[str | None, Query(max_length=32, description="PERSON, ORG, GPE, ...")]


@api.get("", response_model=Page[EntitySummary])
def list_entities(queries: QueriesDep, limit: Limit = 50, offset: Offset = 0, label: Label = None,
                  q: Text = None, sort: Sort = None) -> dict:
    """Entities, most covered first (or `sort`); filter by label and by a part of the name."""
    return queries.entities(limit=limit, offset=offset, label=clean(label), q=clean(q), sort=sort)


@api.get(".csv", response_class=StreamingResponse)
def entities_csv(request: Request, label: Label = None, q: Text = None, sort: Sort = None):
    """Every entity under the filters of `GET /api/entities`, as CSV (streamed)."""
    return csv_download(request, "entities", label=label, q=q, sort=sort)


@api.get("/{entity_id}", response_model=Entity)
def get_entity(entity_id: str, queries: QueriesDep) -> dict:
    """One entity: its roles, everything it said (newest first), its posts and the articles naming it."""
    entity = queries.entity(clean(entity_id))
    if entity is None:
        raise HTTPException(404, "no such entity")
    return entity


@pages.get("/entities")
def entity_list_page(request: Request, queries: QueriesDep, limit: Limit = 50, offset: Offset = 0,
                     label: Label = None, q: Text = None, sort: Sort = None):
    data = list_entities(queries, limit, offset, label, q, sort)
    return request.app.state.templates.TemplateResponse(
        request, "entities.html", {"page": data, "label": label, "q": q, "api": "/api/entities",
                                   "csv": "/api/entities.csv", "f": {"label": label, "q": q, "sort": sort}})


@pages.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: str, queries: QueriesDep):
    entity = get_entity(entity_id, queries)
    return request.app.state.templates.TemplateResponse(
        request, "entity.html", {"e": entity, "api": f"/api/entities/{entity['id']}",
                                 "per_month": queries.quotes_per_month(entity["id"])})
