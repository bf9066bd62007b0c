"""Stories: the story list (with coverage over time) and one story's timeline, articles, quotes and posts."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from ..deps import Limit, Offset, QueriesDep, clean
from ..models import Page, Story, StorySummary

api = APIRouter(prefix="/api/stories", tags=["stories"])
pages = APIRouter(include_in_schema=False)


@api.get("", response_model=Page[StorySummary])
def list_stories(queries: QueriesDep, limit: Limit = 20, offset: Offset = 0) -> dict:
    """Stories, biggest first, each with its articles per day (`coverage`)."""
    return queries.stories(limit=limit, offset=offset)


@api.get("/{story_id}", response_model=Story)
def get_story(story_id: str, queries: QueriesDep) -> dict:
    """One story: timeline, articles, key quotes, posts and the entities it involves."""
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
