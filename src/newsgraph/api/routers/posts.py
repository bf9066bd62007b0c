"""Social media posts: the posts articles cite or embed, and the articles citing each one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from ..deps import Limit, Offset, QueriesDep, Text, clean
from ..models import Page, Post, PostDetail

api = APIRouter(prefix="/api/posts", tags=["posts"])
pages = APIRouter(include_in_schema=False)
Platform = Annotated[str | None, Query(max_length=64, description="twitter, instagram, ...")]


@api.get("", response_model=Page[Post])
def list_posts(queries: QueriesDep, limit: Limit = 50, offset: Offset = 0, platform: Platform = None,
               handle: Text = None) -> dict:
    """Posts, most cited first; filter by platform and handle."""
    return queries.posts(limit=limit, offset=offset, platform=clean(platform), handle=clean(handle))


@api.get("/{post_id}", response_model=PostDetail)
def get_post(post_id: str, queries: QueriesDep) -> dict:
    """One post, the articles citing it, and the posts that reshare or answer it."""
    post = queries.post(clean(post_id))
    if post is None:
        raise HTTPException(404, "no such post")
    return post


@pages.get("/posts")
def post_list_page(request: Request, queries: QueriesDep, limit: Limit = 50, offset: Offset = 0,
                   platform: Platform = None, handle: Text = None):
    data = list_posts(queries, limit, offset, platform, handle)
    return request.app.state.templates.TemplateResponse(request, "posts.html", {"page": data, "api": "/api/posts"})


@pages.get("/posts/{post_id}")
def post_page(request: Request, post_id: str, queries: QueriesDep):
    post = get_post(post_id, queries)
    return request.app.state.templates.TemplateResponse(
        request, "post.html", {"p": post, "api": f"/api/posts/{post['id']}"})
