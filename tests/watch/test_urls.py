"""Canonical URLs: courlan's normal form, and the canonical URL a page declares, believed only where sane."""

from __future__ import annotations

import pytest

from newsgraph.watch.urls import canonical, declared, page_key, same_site

PAGE = "https://www.example.com/news/2024/harbour-vote?ref=home"


def _page(head: str) -> bytes:
    return f"<html><head>{head}</head><body><p>Text.</p></body></html>".encode()


def test_urls_canonical_drops_tracking_and_fragment() -> None:
    assert canonical("HTTPS://WWW.Example.com:443/a?utm_source=x&b=2&a=1#top") == "https://www.example.com/a?a=1&b=2"
    assert canonical("mailto:someone@example.com") is None


@pytest.mark.parametrize("head,expected", [
    ('<link rel="canonical" href="/news/2024/harbour-vote">', "https://www.example.com/news/2024/harbour-vote"),
    ('<link rel="Canonical" href="https://m.example.com/h?utm_medium=x">', "https://m.example.com/h"),
    ('<meta property="og:url" content="https://www.example.com/h">', "https://www.example.com/h"),
    # rel=canonical first: og:url is read only when there is none
    ('<meta property="og:url" content="https://www.example.com/og"><link rel="canonical" href="/c">',
     "https://www.example.com/c"),
    ('<link rel="canonical" href="https://mirror.example.org/h">', None),  # another site
    ('<link rel="canonical" href="https://www.example.com/">', None),  # the home page, for an article
    ('<link rel="canonical" href="/a"><link rel="canonical" href="/b">', None),  # two of them
    ('<link rel="canonical" href="javascript:void(0)">', None),
    ("", None),
])
def test_urls_declared_canonical(head: str, expected: str | None) -> None:
    assert declared(_page(head), PAGE) == expected
    assert page_key(_page(head), PAGE) == (expected or PAGE)


def test_urls_same_site() -> None:
    assert same_site("https://m.example.co.uk/a", "https://www.example.co.uk/b")
    assert not same_site("https://example.co.uk/a", "https://other.co.uk/a")
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b")
    assert not same_site("http://127.0.0.1:8000/a", "http://127.0.0.2:8000/b")
