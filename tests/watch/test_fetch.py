"""The polite fetcher against a real local HTTP server: robots.txt, retries, timeouts, caps, redirects, types."""

from __future__ import annotations

import asyncio
import time

import pytest
from watchsite import article_html, hang

from newsgraph.watch.config import WatchConfig
from newsgraph.watch.fetch import Fetcher, FetchError
from newsgraph.watch.urls import canonical

FAST = {"delay": 0.0, "backoff": 0.05, "attempts": 3, "timeout": 2.0}


def _get(url: str, **config):
    async def go():
        async with Fetcher(WatchConfig.from_settings({**FAST, **config})) as fetcher:
            return await fetcher.get(url), fetcher

    return asyncio.run(go())


def _error(url: str, **config) -> FetchError:
    with pytest.raises(FetchError) as info:
        _get(url, **config)
    return info.value


def test_fetch_sends_a_user_agent_with_the_contact(site):
    site.routes["/a"] = (200, {}, article_html("A", "Words."))
    page, _ = _get(site.url("/a"), contact="desk@example.org")
    assert page.status == 200 and b"<h1>A</h1>" in page.body
    agent = site.log[-1][1]["user-agent"]
    assert agent.startswith("newsgraph/") and "desk@example.org" in agent


def test_fetch_obeys_robots_txt(site):
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/private/a"] = (200, {}, article_html("Secret", "Words."))
    error = _error(site.url("/private/a"))
    assert error.code == "NG610"
    assert site.hits("/private/a") == 0


def test_fetch_robots_txt_answering_5xx_disallows_everything(site):
    site.routes["/robots.txt"] = (503, {}, b"")
    site.routes["/a"] = (200, {}, article_html("A", "Words."))
    assert _error(site.url("/a")).code == "NG610"
    assert site.hits("/a") == 0


def test_fetch_honours_retry_after_on_429(site):
    answers = iter([(429, {"Retry-After": "1"}, b"slow down"), (200, {}, article_html("A", "Words."))])
    site.routes["/a"] = lambda _h: next(answers)
    started = time.monotonic()
    page, _ = _get(site.url("/a"))
    assert page.status == 200
    assert time.monotonic() - started >= 1.0
    assert site.hits("/a") == 2


def test_fetch_retry_after_beyond_the_limit_gives_up(site):
    site.routes["/a"] = (429, {"Retry-After": "3600"}, b"")
    error = _error(site.url("/a"))
    assert error.code == "NG612" and "Retry-After" in error.text
    assert site.hits("/a") == 1


def test_fetch_gives_up_on_500s_after_the_attempts(site):
    site.routes["/a"] = (500, {}, b"oops")
    error = _error(site.url("/a"), attempts=3)
    assert error.code == "NG612" and error.retry
    assert site.hits("/a") == 3


def test_fetch_a_hanging_endpoint_times_out(site):
    site.routes["/slow"] = hang(5.0)
    started = time.monotonic()
    error = _error(site.url("/slow"), timeout=0.5, attempts=1)
    assert error.code == "NG616"
    assert time.monotonic() - started < 3.0


def test_fetch_a_50mb_answer_is_cut_at_the_cap(site):
    big = b"x" * (50 * 1024 * 1024)
    site.routes["/big"] = (200, {}, big)
    assert _error(site.url("/big"), max_bytes=1_000_000).code == "NG613"  # refused on its Content-Length
    site.routes["/endless"] = ("stream", 50 * 1024 * 1024)  # no Content-Length: counted as it comes
    started = time.monotonic()
    assert _error(site.url("/endless"), max_bytes=1_000_000).code == "NG613"
    assert time.monotonic() - started < 5.0


def test_fetch_a_redirect_loop_stops(site):
    site.routes["/a"] = (302, {"Location": "/b"}, b"")
    site.routes["/b"] = (301, {"Location": "/a?utm_source=loop"}, b"")
    error = _error(site.url("/a"))
    assert error.code == "NG615" and "loop" in error.text
    assert site.hits("/a") == 1


def test_fetch_too_many_redirects(site):
    for i in range(10):
        site.routes[f"/r{i}"] = (302, {"Location": f"/r{i + 1}"}, b"")
    error = _error(site.url("/r0"), max_redirects=3)
    assert error.code == "NG615"
    assert site.hits("/r4") == 0


def test_fetch_a_page_that_is_not_html_is_refused(site):
    site.routes["/img"] = (200, {"Content-Type": "image/png"}, b"\x89PNG....")
    assert _error(site.url("/img")).code == "NG614"


def test_fetch_conditional_get_gives_not_modified(site):
    def feed(headers):
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"'}, article_html("A", "Words.")

    site.routes["/a"] = feed
    page, _ = _get(site.url("/a"))
    assert page.etag == '"v1"'

    async def again():
        async with Fetcher(WatchConfig.from_settings(FAST)) as fetcher:
            return await fetcher.get(site.url("/a"), etag=page.etag)

    second = asyncio.run(again())
    assert second.not_modified and second.status == 304


def test_fetch_one_request_at_a_time_per_host_and_the_delay(site):
    site.routes["/a"] = (200, {}, article_html("A", "Words."))
    site.routes["/b"] = (200, {}, article_html("B", "Words."))

    async def both():
        async with Fetcher(WatchConfig.from_settings({**FAST, "delay": 0.4})) as fetcher:
            started = time.monotonic()
            await asyncio.gather(fetcher.get(site.url("/a")), fetcher.get(site.url("/b")))
            return time.monotonic() - started

    # robots.txt, then /a, then /b: each at least 0.4 s after the one before
    assert asyncio.run(both()) >= 0.8


def test_urls_canonical_drops_tracking_and_fragments():
    assert canonical("HTTP://Example.COM:80/story?utm_source=x&b=2&a=1&fbclid=z#top") == \
        "http://example.com/story?a=1&b=2"
    assert canonical("/x", base="https://example.com/a/b") == "https://example.com/x"
    assert canonical("mailto:someone@example.com") is None
