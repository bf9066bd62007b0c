"""Social media posts: the posts articles cite or embed, and the articles citing each one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from ..deps import Limit, Offset, QueriesDep, Since, Text, Until, clean, csv_download, sort_param
from ..models import Page, Post, PostDetail

api = APIRouter(prefix="/api/posts", tags=["posts"])
pages = APIRouter(include_in_schema=False)
Sort = sort_param("posts")
Platform = Annotated[str | None, Query(max_length=64, description="twitter, instagram, ...")]


@api.get("", response_model=Page[Post])
def list_posts(queries: QueriesDep, limit: Limit = 50, offset: Offset = 0, platform: Platform = None,
               handle: Text = None, since: Since = None, until: Until = None, sort: Sort = None) -> dict:
    """Posts, most cited first (or `sort`); filter by platform, handle and the post's date."""
    return queries.posts(limit=limit, offset=offset, platform=clean(platform), handle=clean(handle),
                         since=since, until=until, sort=sort)


@api.get(".csv", response_class=StreamingResponse)
def posts_csv(request: Request, platform: Platform = None, handle: Text = None, since: Since = None,
              until: Until = None, sort: Sort = None):
    """Every post under the filters of `GET /api/posts`, as CSV (streamed)."""
    return csv_download(request, "posts", platform=platform, handle=handle, since=since, until=until, sort=sort)


@api.get("/{post_id}", response_model=PostDetail)
def get_post(post_id: str, queries: QueriesDep) -> dict:
    """One post, the articles citing it, and the posts that reshare or answer it."""
    post = queries.post(clean(post_id))
    if post is None:
        raise HTTPException(404, "no such post")
    return post


@pages.get("/posts")
def post_list_page(request: Request, queries: QueriesDep, limit: Limit = 50, offset: Offset = 0,
                   platform: Platform = None, handle: Text = None, since: Since = None, until: Until = None,
                   sort: Sort = None):
    data = list_posts(queries, limit, offset, platform, handle, since, until, sort)
    return request.app.state.templates.TemplateResponse(
        request, "posts.html", {"page": data, "api": "/api/posts", "csv": "/api/posts.csv",
                                "platforms": queries.platforms(),
                                "f": {"platform": platform, "handle": handle, "since": since, "until": until,
                                      "sort": sort}})


@pages.get("/posts/{post_id}")
def post_page(request: Request, post_id: str, queries: QueriesDep):
    post = get_post(post_id, queries)
    return request.app.state.templates.TemplateResponse(
        request, "post.html", {"p": post, "api": f"/api/posts/{post['id']}"})
