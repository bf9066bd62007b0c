"""HTML pages: main text and metadata through trafilatura; the markup is kept for embed extraction."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import trafilatura
from trafilatura.utils import decode_file

from ..budget import BudgetExceeded, cpu_budget
from ..config import Settings
from ..errors import InputError, Msg
from ..records import Article
from .fields import normalize_date, split_authors
from .sniff import Source, read_all


def article_from_html(data: bytes | str, *, doc_id: str, source: str, settings: Settings,
                      url: str | None = None, kind: str = "html") -> Article:
    """One page -> Article; raises InputError when the page has no article text."""
    tags = data.count("<" if isinstance(data, str) else b"<")  # extraction costs time per element
    if tags > settings.max_html_tags:
        raise InputError(Msg.NG124, detail=f"about {tags} tags, limit is {settings.max_html_tags} "
                                           "(setting ingest.max_html_tags)")
    html = data if isinstance(data, str) else decode_file(data)
    if not html.strip():
        raise InputError(Msg.NG102)
    try:
        with cpu_budget(settings.max_seconds):
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False,
                favor_precision=settings.favor_precision,
                # the page's own metadata only: htmldate's extensive search guesses from any date in the text,
                # which extract/published.py does later, marked as such (published_source "text")
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except BudgetExceeded as exc:
        raise InputError(Msg.NG124, detail=f"{exc} (setting ingest.max_seconds)") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError(Msg.NG114)
    page_url = url or getattr(doc, "url", None)
    outlet = getattr(doc, "sitename", None) or getattr(doc, "hostname", None)
    if not outlet and page_url:
        outlet = urlsplit(page_url).hostname
    published = normalize_date(getattr(doc, "date", None))
    meta = {k: v for k, v in (("description", getattr(doc, "description", None)),
                              ("language", getattr(doc, "language", None)),
                              ("hostname", getattr(doc, "hostname", None))) if v}
    return Article(
        doc_id=doc_id,
        text=text,
        source=source,
        title=getattr(doc, "title", None) or None,
        url=page_url or None,
        outlet=outlet or None,
        published=published,
        published_source="html" if published else None,
        authors=split_authors(getattr(doc, "author", None)),
        meta=meta,
        html=html,
        kind=kind,
    )


def read_html(source: Source, settings: Settings) -> Iterator[Article]:
    data = read_all(source, settings.max_bytes)
    if not data.strip():
        raise InputError(Msg.NG102)
    yield article_from_html(data, doc_id=source.stem, source=source.name, settings=settings)
