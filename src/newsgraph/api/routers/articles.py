"""Articles: lists, one article's contract record, and ingestion over HTTP (only with --allow-write)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, field_validator

from ...ingest import too_large
from ...records import Article
from ..deps import (
    Limit,
    Offset,
    QueriesDep,
    Since,
    Text,
    Until,
    clean,
    csv_download,
    require_writer,
    sort_param,
)
from ..models import ArticleRecord, ArticleSummary, Ingested, Page

api = APIRouter(prefix="/api/articles", tags=["articles"])
pages = APIRouter(include_in_schema=False)
Sort = sort_param("articles")


class ArticleIn(BaseModel):
    """An input record, as in a JSONL input of `newsgraph extract`."""

    id: str = Field(min_length=1, max_length=512)
    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    authors: list[str] = Field(default_factory=list)

    @field_validator("id", "text")
    @classmethod
    def _words(cls, value: str) -> str:
        # NUL is no text (and PostgreSQL cannot store it); blanks alone are no article
        value = value.replace("\x00", "")
        if not value.strip():
            raise ValueError("has no visible characters")
        return value

    @field_validator("published")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)
        return value


@api.get("", response_model=Page[ArticleSummary])
def list_articles(queries: QueriesDep, limit: Limit = 20, offset: Offset = 0, story_id: Text = None,
                  outlet: Text = None, since: Since = None, until: Until = None, q: Text = None,
                  sort: Sort = None) -> dict:
    """Articles, newest first (or `sort`); filter by story, outlet, publication date and words of the title."""
    return queries.articles(limit=limit, offset=offset, story_id=clean(story_id), outlet=clean(outlet),
                            since=since, until=until, q=clean(q), sort=sort)


@api.get(".csv", response_class=StreamingResponse)
def articles_csv(request: Request, story_id: Text = None, outlet: Text = None, since: Since = None,
                 until: Until = None, q: Text = None, sort: Sort = None):
    """Every article under the filters of `GET /api/articles`, as CSV (streamed)."""
    return csv_download(request, "articles", story_id=story_id, outlet=outlet, since=since, until=until, q=q,
                        sort=sort)


@api.get("/{doc_id:path}", response_model=ArticleRecord)
def get_article(doc_id: str, queries: QueriesDep) -> dict:
    """One article's record, field for field as `newsgraph extract` writes it."""
    record = queries.article(clean(doc_id))
    if record is None:
        raise HTTPException(404, "no such article")
    return record


@api.post("", status_code=201, response_model=Ingested, dependencies=[Depends(require_writer)])
def post_article(body: ArticleIn, request: Request) -> dict:
    """Extract, link and store one article (needs `serve --allow-write` and `Authorization: Bearer TOKEN`)."""
    article = Article(doc_id=body.id, text=body.text, source="api", title=body.title, url=body.url,
                      outlet=body.outlet, published=body.published, authors=list(body.authors), kind="jsonl")
    oversized = too_large(article, request.app.state.settings)  # the budget of every other way in
    if oversized is not None:
        raise HTTPException(413, oversized.reason)
    return request.app.state.ingest_article(article)


@pages.get("/articles")
def article_list_page(request: Request, queries: QueriesDep, limit: Limit = 20, offset: Offset = 0,
                      story_id: Text = None, outlet: Text = None, since: Since = None, until: Until = None,
                      q: Text = None, sort: Sort = None):
    data = list_articles(queries, limit, offset, story_id, outlet, since, until, q, sort)
    return request.app.state.templates.TemplateResponse(
        request, "articles.html", {"page": data, "api": "/api/articles", "csv": "/api/articles.csv",
                                   "f": {"story_id": story_id, "outlet": outlet, "since": since, "until": until,
                                         "q": q, "sort": sort},
                                   "outlets": queries.outlets()})


@pages.get("/articles/{doc_id:path}")
def article_page(request: Request, doc_id: str, queries: QueriesDep):
    record = get_article(doc_id, queries)
    story = queries.story(record["story_id"], quote_limit=0) if record["story_id"] else None
    return request.app.state.templates.TemplateResponse(
        request, "article.html", {"a": record, "story": story, "api": f"/api/articles/{record['doc_id']}"})
