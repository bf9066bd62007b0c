"""Stories: the story list (with coverage over time) and one story's summary: its dated events, key entities,
key quotes, posts, and articles by publication day."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from ...store.events import latest, new_by_story
from ..deps import Limit, Offset, QueriesDep, Since, Text, Until, clean, csv_download, sort_param
from ..models import Page, Story, StorySummary

api = APIRouter(prefix="/api/stories", tags=["stories"])
pages = APIRouter(include_in_schema=False)
Sort = sort_param("stories")
MinArticles = Annotated[int | None, Query(ge=1, le=1_000_000, description="Stories of at least this many articles.")]


@api.get("", response_model=Page[StorySummary])
def list_stories(queries: QueriesDep, limit: Limit = 20, offset: Offset = 0, since: Since = None,
                 until: Until = None, q: Text = None, min_articles: MinArticles = None, sort: Sort = None) -> dict:
    """Stories, biggest first (or `sort`), each with its articles per day (`coverage`) and its most mentioned
    entities; filter by the span they cover (`since`, `until`), words of the title and size."""
    return queries.stories(limit=limit, offset=offset, since=since, until=until, q=clean(q),
                           min_articles=min_articles, sort=sort)


@api.get(".csv", response_class=StreamingResponse)
def stories_csv(request: Request, since: Since = None, until: Until = None, q: Text = None,
                min_articles: MinArticles = None, sort: Sort = None):
    """Every story under the filters of `GET /api/stories`, as CSV (streamed)."""
    return csv_download(request, "stories", since=since, until=until, q=q, min_articles=min_articles, sort=sort)


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
def story_list_page(request: Request, queries: QueriesDep, limit: Limit = 20, offset: Offset = 0,
                    new_since: Annotated[int | None, Query(ge=0)] = None, since: Since = None, until: Until = None,
                    q: Text = None, min_articles: MinArticles = None, sort: Sort = None):
    data = list_stories(queries, limit, offset, since, until, q, min_articles, sort)
    engine = request.app.state.store.engine
    # "new since": the articles stored after the cursor the page was last loaded with (store/events.py)
    fresh = new_by_story(engine, new_since) if new_since is not None else {}
    return request.app.state.templates.TemplateResponse(
        request, "stories.html", {"page": data, "counts": queries.counts(), "api": "/api/stories",
                                  "latest": latest(engine), "new_since": new_since, "fresh": fresh,
                                  "fresh_total": sum(fresh.values()), "csv": "/api/stories.csv",
                                  "f": {"since": since, "until": until, "q": q, "min_articles": min_articles,
                                        "sort": sort}})


@pages.get("/stories/{story_id}")
def story_page(request: Request, story_id: str, queries: QueriesDep):
    story = get_story(story_id, queries)
    return request.app.state.templates.TemplateResponse(
        request, "story.html", {"story": story, "api": f"/api/stories/{story['id']}"})
