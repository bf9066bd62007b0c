"""Quotes: filter by speaker, story, date range and words."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from ..deps import Limit, Offset, QueriesDep, Since, Text, Until, clean
from ..models import Page, QuoteRow

api = APIRouter(prefix="/api/quotes", tags=["quotes"])
Kind = Annotated[Literal["direct", "reported", "stance", "question", "unsaid", "topic"] | None, Query(
    description="direct: in quote marks; reported: speech ('said that'); not speech, listed only when asked "
                "for: stance (a belief, wish, fear or plan), question (put to someone: 'asked whether'), unsaid "
                "(denied, withheld or hypothetical: 'did not say', 'declined to say'), topic (whom or what speech "
                "was about, none of its words: 'urged supporters'). Without `kind`: speech")]
pages = APIRouter(include_in_schema=False)


@api.get("", response_model=Page[QuoteRow])
def list_quotes(queries: QueriesDep, limit: Limit = 50, offset: Offset = 0, speaker_id: Text = None,
                speaker: Text = None, story_id: Text = None, since: Since = None, until: Until = None,
                q: Text = None, kind: Kind = None) -> dict:
    """Quotes (speech: direct and reported), newest first; `kind=stance` lists stances instead. `q` searches the
    quoted words (full text); `speaker` a part of the name."""
    return queries.quotes(limit=limit, offset=offset, speaker_id=clean(speaker_id), speaker=clean(speaker),
                          story_id=clean(story_id), since=since, until=until, q=clean(q), kind=kind)


@pages.get("/quotes")
def quote_list_page(request: Request, queries: QueriesDep, limit: Limit = 50, offset: Offset = 0,
                    speaker_id: Text = None, speaker: Text = None, story_id: Text = None, since: Since = None,
                    until: Until = None, q: Text = None, kind: Kind = None):
    data = list_quotes(queries, limit, offset, speaker_id, speaker, story_id, since, until, q, kind)
    return request.app.state.templates.TemplateResponse(
        request, "quotes.html", {"page": data, "q": q, "api": "/api/quotes"})
