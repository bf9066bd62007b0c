"""Canonical URLs: one spelling per page, so that no article is fetched or stored twice.

courlan (trafilatura's URL library) lowercases the scheme and host, drops default ports, sorts the query
and removes tracking parameters (utm_*, fbclid, gclid, ...); the fragment goes too (the same page).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url


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
