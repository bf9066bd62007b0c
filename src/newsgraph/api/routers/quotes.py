"""Quotes: filter by speaker, story, date range and words."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse

from ..deps import Limit, Offset, QueriesDep, Since, Text, Until, clean, csv_download, sort_param
from ..models import Page, QuoteDetail, QuoteRow

api = APIRouter(prefix="/api/quotes", tags=["quotes"])
Kind = Annotated[Literal["direct", "reported", "stance", "question", "unsaid", "topic"] | None, Query(
    description="direct: in quote marks; reported: speech ('said that'); not speech, listed only when asked "
                "for: stance (a belief, wish, fear or plan), question (put to someone: 'asked whether'), unsaid "
                "(denied, withheld or hypothetical: 'did not say', 'declined to say'), topic (whom or what speech "
                "was about, none of its words: 'urged supporters'). Without `kind`: speech")]
pages = APIRouter(include_in_schema=False)
Sort = sort_param("quotes")


@api.get("", response_model=Page[QuoteRow])
def list_quotes(queries: QueriesDep, limit: Limit = 50, offset: Offset = 0, speaker_id: Text = None,
                speaker: Text = None, story_id: Text = None, since: Since = None, until: Until = None,
                q: Text = None, kind: Kind = None, outlet: Text = None, sort: Sort = None) -> dict:
    """Quotes (speech: direct and reported), newest first (or `sort`); `kind=stance` lists stances instead. `q`
    searches the quoted words (full text); `speaker` a part of the name; `outlet` the article's outlet."""
    return queries.quotes(limit=limit, offset=offset, speaker_id=clean(speaker_id), speaker=clean(speaker),
                          story_id=clean(story_id), since=since, until=until, q=clean(q), kind=kind,
                          outlet=clean(outlet), sort=sort)


@api.get(".csv", response_class=StreamingResponse)
def quotes_csv(request: Request, speaker_id: Text = None, speaker: Text = None, story_id: Text = None,
               since: Since = None, until: Until = None, q: Text = None, kind: Kind = None, outlet: Text = None,
               sort: Sort = None):
    """Every quote under the filters of `GET /api/quotes`, as CSV (streamed)."""
    return csv_download(request, "quotes", speaker_id=speaker_id, speaker=speaker, story_id=story_id, since=since,
                        until=until, q=q, kind=kind, outlet=outlet, sort=sort)


@pages.get("/quotes")
def quote_list_page(request: Request, queries: QueriesDep, limit: Limit = 50, offset: Offset = 0,
                    speaker_id: Text = None, speaker: Text = None, story_id: Text = None, since: Since = None,
                    until: Until = None, q: Text = None, kind: Kind = None, outlet: Text = None, sort: Sort = None):
    data = list_quotes(queries, limit, offset, speaker_id, speaker, story_id, since, until, q, kind, outlet, sort)
    return request.app.state.templates.TemplateResponse(
        request, "quotes.html", {"page": data, "api": "/api/quotes", "csv": "/api/quotes.csv",
                                 "f": {"speaker_id": speaker_id, "speaker": speaker, "story_id": story_id,
                                       "since": since, "until": until, "q": q, "kind": kind, "outlet": outlet,
                                       "sort": sort}})


@api.get("/{quote_id}", response_model=QuoteDetail)
def get_quote(quote_id: Annotated[int, Path(ge=1, le=2**31 - 1)], queries: QueriesDep) -> dict:
    """One quote (any kind): its row, `context` (the sentence around it, `mark` where the quote lies in it) and
    `versions`, the other places its statement is quoted."""
    found = queries.quote(quote_id)
    if found is None:
        raise HTTPException(404, "no such quote")
    return found


@pages.get("/quotes/{quote_id}")
def quote_page(request: Request, quote_id: Annotated[int, Path(ge=1, le=2**31 - 1)], queries: QueriesDep):
    found = get_quote(quote_id, queries)
    return request.app.state.templates.TemplateResponse(
        request, "quote.html", {"qq": found, "api": f"/api/quotes/{quote_id}"})
