"""Statements: the same words quoted in several places, their versions side by side with their fidelity."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from ..deps import QueriesDep, clean
from ..models import Statement

api = APIRouter(prefix="/api/statements", tags=["quotes"])
pages = APIRouter(include_in_schema=False)


@api.get("/{statement_id}", response_model=Statement)
def get_statement(statement_id: str, queries: QueriesDep) -> dict:
    """Every version of a statement, oldest first: flag (verbatim, altered, truncated, misattributed,
    translation) and word diff against the original (the post's own text, else the earliest version)."""
    found = queries.statement(clean(statement_id) or "")
    if found is None:
        raise HTTPException(404, "no such statement")
    return found


@pages.get("/statements/{statement_id}")
def statement_page(statement_id: str, request: Request, queries: QueriesDep):
    return request.app.state.templates.TemplateResponse(
        request, "statement.html", {"s": get_statement(statement_id, queries),
                                    "api": f"/api/statements/{statement_id}"})
