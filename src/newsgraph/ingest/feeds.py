"""RSS and Atom feeds (feedparser): every entry with text becomes an article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import feedparser
import lxml.html

from ..config import Settings
from ..errors import InputError, Msg
from ..records import Article
from .fields import normalize_date
from .sniff import Source, read_all

_BLOCKS = re.compile(r"</(?:p|div|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


def html_fragment_to_text(fragment: str) -> str:
    """Entry content is an HTML fragment: keep paragraph breaks, drop the tags."""
    if "<" not in fragment:
        return unescape(fragment).strip()
    marked = _BLOCKS.sub(lambda m: m.group(0) + "\n\n", fragment)
    try:
        text = lxml.html.fromstring(marked).text_content()
    except (lxml.etree.ParserError, ValueError):
        return unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def read_feed(source: Source, settings: Settings) -> Iterator[Article | InputError]:
    data = read_all(source, settings.max_bytes)
    if not data.strip():
        raise InputError(Msg.NG102)
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise InputError(Msg.NG113, detail=feed.get("bozo_exception", "not RSS or Atom"))
    outlet = feed.feed.get("title") or None
    for index, entry in enumerate(feed.entries, 1):
        body = ""
        for content in entry.get("content") or []:
            if len(content.get("value", "")) > len(body):
                body = content["value"]
        body = body or entry.get("summary", "")
        text = html_fragment_to_text(body)
        if not text:
            yield InputError(Msg.NG107, where=f"entry {index}")
            continue
        published = None
        for key in ("published_parsed", "updated_parsed"):
            if entry.get(key):
                published = normalize_date("{:04d}-{:02d}-{:02d}".format(*entry[key][:3]))
                break
        authors = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
        yield Article(
            doc_id=entry.get("id") or entry.get("link") or f"{source.stem}-{index}",
            text=text,
            source=source.name,
            title=entry.get("title") or None,
            url=entry.get("link") or None,
            outlet=outlet,
            published=published,
            authors=authors,
            meta={"feed": source.name},
            html=body if "<" in body else None,
            kind="feed",
        )
