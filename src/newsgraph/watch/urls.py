"""Canonical URLs: one spelling per page, so that no article is fetched or stored twice.

courlan (trafilatura's URL library) lowercases the scheme and host, drops default ports, sorts the query
and removes tracking parameters (utm_*, fbclid, gclid, ...); the fragment goes too (the same page).

A page may also say what its address is (`<link rel="canonical">`, else `<meta property="og:url">`):
the same article reached by its print URL, its AMP URL or a section's URL names one canonical URL, and
is stored once under it. A declaration is believed only where it is sane: an http(s) URL of the same site
(same host, or same registered domain: www. and m. are one site), not the site's home page for a page that
is not it (a template that declares the home page on every article), and not two different canonicals on
one page. Otherwise the page is keyed by the address it was fetched from.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import extract_domain, normalize_url
from lxml import etree
from lxml import html as lxml_html


def canonical(url: str, base: str | None = None) -> str | None:
    """The canonical form of `url` (resolved against `base`), or None if it is not an http(s) URL."""
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    try:
        url = normalize_url(url)
    except (ValueError, TypeError):
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def same_site(url: str, other: str) -> bool:
    """Same host, or the same registered domain (www.example.com and m.example.com)."""
    a, b = urlsplit(url).hostname, urlsplit(other).hostname
    if not a or not b:
        return False
    if a == b:
        return True
    domain = extract_domain(url)
    return domain is not None and domain == extract_domain(other)


def _home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def declared(body: bytes | str, page_url: str) -> str | None:
    """The canonical URL the page declares for itself, when it is sane (see the module docstring); else None."""
    head = body[:_HEAD_BYTES] if isinstance(body, bytes) else body[:_HEAD_BYTES].encode("utf-8", "replace")
    if b"canonical" not in head.lower() and b"og:url" not in head.lower():
        return None  # most pages without either: no parse
    try:
        doc = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None
    links = {canonical(link.get("href") or "", base=page_url) for link in doc.iter("link")
             if "canonical" in (link.get("rel") or "").lower().split()}
    links.discard(None)
    if len(links) > 1:
        return None  # two canonicals: the page does not know its address
    if not links:
        links = {canonical(meta.get("content") or "", base=page_url) for meta in doc.iter("meta")
                 if (meta.get("property") or meta.get("name") or "").lower() == "og:url"}
        links.discard(None)
        if len(links) != 1:
            return None
    url = links.pop()
    if url is None or not same_site(url, page_url) or (_home(url) and not _home(page_url)):
        return None
    return url


def page_key(body: bytes | str, page_url: str) -> str:
    """The URL a fetched page is stored under: its sane declared canonical, else where it was fetched from."""
    return declared(body, page_url) or page_url


_HEAD_BYTES = 1 << 20  # where a page's <head> is looked for the declaration words
