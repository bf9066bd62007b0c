"""Stories: the story list (with coverage over time) and one story's summary: its dated events, key entities,
key quotes, posts, and articles by publication day."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from ..deps import Limit, Offset, QueriesDep, clean
from ..models import Page, Story, StorySummary

api = APIRouter(prefix="/api/stories", tags=["stories"])
pages = APIRouter(include_in_schema=False)


@api.get("", response_model=Page[StorySummary])
def list_stories(queries: QueriesDep, limit: Limit = 20, offset: Offset = 0) -> dict:
    """Stories, biggest first, each with its articles per day (`coverage`) and its most mentioned entities."""
    return queries.stories(limit=limit, offset=offset)


@api.get("/{story_id}", response_model=Story)
def get_story(story_id: str, queries: QueriesDep) -> dict:
    """One story: its title (most central headline), time span, key entities, key quotes (most cited first),
    posts, `timeline` (the dated events its articles mention, in date order), `publication` (its articles by
    publication day) and `coverage` (articles per day)."""
    story = queries.story(clean(story_id))
    if story is None:
        raise HTTPException(404, "no such story")
    return story


@pages.get("/")
@pages.get("/stories")
def story_list_page(request: Request, queries: QueriesDep, limit: Limit = 20, offset: Offset = 0):
    data = queries.stories(limit=limit, offset=offset)
    return request.app.state.templates.TemplateResponse(
        request, "stories.html", {"page": data, "counts": queries.counts(), "api": "/api/stories"})


@pages.get("/stories/{story_id}")
def story_page(request: Request, story_id: str, queries: QueriesDep):
    story = get_story(story_id, queries)
    return request.app.state.templates.TemplateResponse(
        request, "story.html", {"story": story, "api": f"/api/stories/{story['id']}"})
