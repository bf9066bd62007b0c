"""Publication dates for articles that lack one: from the address, a dateline, or the article's own dates.

Each date carries where it came from (`published_source`): `given` (the input's own field or leading date
line), `html` (the page's metadata, read by the HTML reader through htmldate), `url` (a day in the address,
data/url_dates.tsv) or `text` (a dated dateline at the top of the article, else the latest full date the
article states). Only `given`, `html` and `url` dates are anchors for relative expressions ("today",
"Friday", "last week"): a date read from the text is often an event's date, days or years before
publication, and resolving "today" against it dates the article's present to that event. A `text` date
still places the article in time (stories, listings), marked as such.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from ..data import load_table

SOURCES = ("given", "html", "url", "text")
ANCHORS = frozenset({"given", "html", "url"})  # reliable enough to resolve relative dates against
DATELINE_CHARS = 160  # a full date this close to the start of the text is the article's dateline

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
           "nov": 11, "dec": 12}


@lru_cache(maxsize=4)
def _url_patterns(table: str = "url_dates.tsv") -> tuple[re.Pattern, ...]:
    patterns = tuple(re.compile(row["pattern"], re.I) for row in load_table(table))
    if not patterns:
        raise ValueError(f"{table}: no patterns")
    return patterns


def url_date(url: str | None) -> str | None:
    """The day an article's address gives (`/2020/02/29/`, `/2020/feb/29/`, `-20200229.html`, the time in an
    object id `_5ad68f54e4b029ebe01ef17a`), or None."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1]
    path = path[path.find("/"):] if "/" in path else ""
    for pattern in _url_patterns():
        for m in pattern.finditer(path):
            if "oid" in pattern.groupindex:
                # an object id made when the page was: seconds since 1970 in its first 8 hex digits
                made = dt.datetime.fromtimestamp(int(m["oid"][:8], 16), dt.UTC).date()
                if dt.date(2009, 1, 1) <= made <= dt.date.today():
                    return made.isoformat()
                continue
            month = m["m"]
            number = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
            if number is None:
                continue
            try:
                day = dt.date(int(m["y"]), number, int(m["d"]))
            except ValueError:
                continue
            if day.year >= 1990 and day <= dt.date.today():
                return day.isoformat()
    return None


def text_date(full_dates: Iterable[tuple[int, str]]) -> str | None:
    """The article's own date from the full dates it states, as (offset, YYYY-MM-DD) pairs.

    A date within `DATELINE_CHARS` of the start is its dateline; else the latest date it states (news
    reports what happened up to the day it was written, so the latest is the nearest to publication).
    """
    found = sorted(full_dates)
    if not found:
        return None
    if found[0][0] < DATELINE_CHARS:
        return found[0][1]
    return max(value for _, value in found)


def is_anchor(source: str | None) -> bool:
    """May relative dates ("today", "on Friday") be resolved against a publication date of this source?"""
    return source in ANCHORS
