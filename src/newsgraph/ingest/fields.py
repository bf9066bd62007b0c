"""Metadata shared by the readers: field names of input records, dates, leading metadata lines."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import InputError, Msg
from ..records import Article

# contract field -> accepted input names, first found wins
FIELD_ALIASES = {
    "id": ("id", "doc_id"),
    "text": ("text",),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "pubdate"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "publisher"),
    "authors": ("authors", "author", "byline"),
}
_READ = {name for names in FIELD_ALIASES.values() for name in names}

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")

# A leading metadata line in a plain-text article: "date 2021-08-16", "Date: 16 August 2021".
_LEADING_DATE = re.compile(
    r"\A\s*(?:date|published|dateline)\s*[:=]?\s*"
    r"(\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)\b",
    re.IGNORECASE,
)


def normalize_date(value: Any) -> str | None:
    """Any usual way of writing a publication date -> YYYY-MM-DD; None when it is not one."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        # epoch seconds (or milliseconds)
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.utcfromtimestamp(seconds).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    m = _ISO_DAY.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    if not _YEAR.search(text):
        return None  # "Friday" alone is not a publication date
    try:
        from dateutil import parser as dateparser

        # a far-off default shows which parts the string really gave
        parsed = dateparser.parse(text, default=datetime(1, 1, 1), fuzzy=False)
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1:
        return None
    return parsed.date().isoformat()


def leading_date(text: str) -> str | None:
    """The date of a leading `date YYYY-MM-DD` metadata line, which stays in the text."""
    m = _LEADING_DATE.match(text)
    return normalize_date(m.group(1)) if m else None


def _first(record: dict[str, Any], field: str) -> Any:
    for name in FIELD_ALIASES[field]:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def split_authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    parts = re.split(r"\s*(?:;|\||,\s*and\s+|\s+and\s+|,)\s*", str(value))
    return [p for p in (p.strip() for p in parts) if p]


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def article_from_record(record: Any, source: str, where: str, fallback_id: str, kind: str = "jsonl") -> Article:
    """A JSON/CSV record -> Article; `where` ("line 12") names the record in errors."""
    if not isinstance(record, dict):
        raise InputError(Msg.NG118, where=where)
    text = _first(record, "text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(Msg.NG107, where=where)
    doc_id = _as_str(_first(record, "id")) or fallback_id
    published = normalize_date(_first(record, "published")) or leading_date(text)
    meta = {k: v for k, v in record.items() if k not in _READ}
    return Article(
        doc_id=doc_id,
        text=text,
        source=source,
        title=_as_str(_first(record, "title")),
        url=_as_str(_first(record, "url")),
        outlet=_as_str(_first(record, "outlet")),
        published=published,
        authors=split_authors(_first(record, "authors")),
        meta=meta,
        kind=kind,
    )
