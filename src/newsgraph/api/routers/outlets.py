"""Outlets: the publications a store's articles come from, with their articles over time and who they quote."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from ..deps import QueriesDep, clean
from ..models import Outlet, OutletSummary

api = APIRouter(prefix="/api/outlets", tags=["outlets"])
pages = APIRouter(include_in_schema=False)


@api.get("", response_model=list[OutletSummary])
def list_outlets(queries: QueriesDep) -> list[dict]:
    """Outlets, most articles first (at most 500), each with its article count and span."""
    return queries.outlets()


@api.get("/{name:path}", response_model=Outlet)
def get_outlet(name: str, queries: QueriesDep) -> dict:
    """One outlet: its articles per month (`per_month`) and the speakers it quotes most."""
    found = queries.outlet(clean(name) or "")
    if found is None:
        raise HTTPException(404, "no articles from such an outlet")
    return found


@pages.get("/outlets")
def outlet_list_page(request: Request, queries: QueriesDep):
    return request.app.state.templates.TemplateResponse(
        request, "outlets.html", {"items": queries.outlets(), "api": "/api/outlets"})


@pages.get("/outlets/{name:path}")
def outlet_page(request: Request, name: str, queries: QueriesDep):
    found = get_outlet(name, queries)
    recent = queries.articles(limit=20, outlet=found["outlet"])
    return request.app.state.templates.TemplateResponse(
        request, "outlet.html", {"o": found, "recent": recent,
                                 "api": f"/api/outlets/{found['outlet']}"})
