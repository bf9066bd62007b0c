"""Sources: what a feed, a (news) sitemap, a home page or a file of URLs lists, as canonical article URLs.

A source's kind is found from what it answers (an RSS/Atom/RDF root: a feed; urlset or sitemapindex: a
sitemap; HTML: a home page, whose <link rel="alternate"> feeds become sources of their own), so a user
only names URLs. Feeds are read by feedparser; sitemaps by lxml with entities and network access off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import feedparser
from lxml import etree
from lxml import html as lxml_html

from ..errors import Msg
from ..ingest.fields import normalize_date
from .fetch import FetchError
from .urls import canonical

FEED_ROOTS = ("rss", "feed", "rdf")
SITEMAP_ROOTS = ("urlset", "sitemapindex")
FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass
class Item:
    url: str
    published: str | None = None
    title: str | None = None


@dataclass
class Listing:
    """What one poll of a source found: article items, and further sources (a sitemap index's sitemaps, a home
    page's feeds)."""

    kind: str
    items: list[Item] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def is_file(source: str) -> bool:
    return not source.startswith(("http://", "https://")) and Path(source).is_file()


def read_url_file(path: str) -> Listing:
    """A file of URLs: one per line; blank lines and # comments skipped."""
    items = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            url = canonical(line.split()[0])
            if url:
                items.append(Item(url=url))
    return Listing(kind="file", items=items)


def _root(body: bytes) -> str | None:
    try:
        root = etree.fromstring(body.lstrip(), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    return etree.QName(root).localname.lower()


def parse(source: str, body: bytes, content_type: str = "") -> Listing:
    """The listing of a fetched source, whatever its kind."""
    root = _root(body) if b"<" in body[:2048] else None
    if root in SITEMAP_ROOTS:
        return parse_sitemap(source, body)
    if root in FEED_ROOTS:
        return parse_feed(source, body)
    if "html" in content_type or b"<html" in body[:4096].lower():
        return parse_home(source, body)
    raise FetchError(Msg.NG618, source=source, detail=f"root element {root!r}, Content-Type {content_type!r}")


def parse_feed(source: str, body: bytes) -> Listing:
    parsed = feedparser.parse(body)
    items = []
    for entry in parsed.entries:
        url = canonical(entry.get("link") or entry.get("id") or "", base=source)
        if url:
            items.append(Item(url=url, published=normalize_date(entry.get("published") or entry.get("updated")),
                              title=entry.get("title")))
    return Listing(kind="feed", items=items)


def parse_sitemap(source: str, body: bytes) -> Listing:
    root = etree.fromstring(body.lstrip(), _PARSER)
    listing = Listing(kind="sitemap")
    for node in root:
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        loc = published = None
        for child in node.iter():
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local == "loc" and loc is None:
                loc = (child.text or "").strip()
            elif local in ("publication_date", "lastmod") and child.text:
                published = published or normalize_date(child.text.strip())
        url = canonical(loc or "", base=source)
        if not url:
            continue
        if name == "sitemap":
            listing.sources.append(url)
        elif name == "url":
            listing.items.append(Item(url=url, published=published))
    return listing


def parse_home(source: str, body: bytes) -> Listing:
    """A home page: the feeds it names (<link rel="alternate" type="application/rss+xml" href=...>)."""
    try:
        doc = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise FetchError(Msg.NG618, source=source, detail=str(exc)) from exc
    feeds = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_LINK_TYPES:
            url = canonical(link.get("href") or "", base=source)
            if url and url not in feeds:
                feeds.append(url)
    if not feeds:
        raise FetchError(Msg.NG618, source=source, detail="an HTML page that names no feed")
    return Listing(kind="home", sources=feeds)
