"""A polite fetcher: robots.txt obeyed, one request at a time per host with a minimum delay, conditional GETs,
retries with exponential backoff and jitter on 429/5xx (Retry-After honoured), timeouts, a size cap,
content-type checks and a redirect limit. Built on httpx (async) and protego (robots.txt).

Every failure is a `FetchError` with an NG61x code naming the URL; the caller records it against its source.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass, field

import httpx
from protego import Protego

from ..errors import Msg, NewsgraphError
from .config import WatchConfig
from .urls import canonical, host_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("xml", "rss", "atom", "rdf", "text/html", "text/plain")  # feeds are often served as text/html
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is kept
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(NewsgraphError):
    """A URL that could not be fetched; `retry` says whether a later poll may try again."""

    def __init__(self, msg: Msg, *, retry: bool = False, **kwargs: object) -> None:
        super().__init__(msg, **kwargs)
        self.retry = retry


@dataclass
class Page:
    """One answer: `url` is where it was found (after redirects, canonical); `not_modified` on a 304."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0  # monotonic time of the next request allowed
    robots: Protego | None = None
    robots_at: float = -1e18
    robots_open: bool = True  # False: robots.txt answered 5xx or not at all, so nothing is fetched for now


class Fetcher:
    """One per watch run (`async with Fetcher(config) as f: await f.get(url)`)."""

    def __init__(self, config: WatchConfig, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self.hosts: dict[str, _Host] = {}
        self.requests = 0  # HTTP requests sent, robots.txt included
        timeout = httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0))
        self.client = httpx.AsyncClient(headers={"User-Agent": config.agent()}, timeout=timeout,
                                        follow_redirects=False, transport=transport,
                                        limits=httpx.Limits(max_connections=max(4, config.concurrency * 2)))

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    # ---------------------------------------------------------------- politeness
    def _host(self, url: str) -> _Host:
        return self.hosts.setdefault(host_of(url), _Host())

    async def _turn(self, host: _Host, delay: float) -> None:
        """Wait for this host's next slot (called with its lock held)."""
        wait = host.next_at - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        host.next_at = time.monotonic() + delay

    def _delay(self, host: _Host) -> float:
        crawl = host.robots.crawl_delay(self.config.robots_agent) if host.robots is not None else None
        return max(self.config.delay, float(crawl or 0.0))

    async def _robots(self, url: str) -> _Host:
        host = self._host(url)
        if time.monotonic() - host.robots_at < ROBOTS_TTL:
            return host
        host.robots_at = time.monotonic()
        robots_url = host_of(url) + "/robots.txt"
        try:
            async with host.lock:
                await self._turn(host, self.config.delay)
                self.requests += 1
                response = await asyncio.wait_for(self.client.get(robots_url), self.config.timeout)
            if response.status_code >= 500:
                host.robots, host.robots_open = None, False  # RFC 9309: an unreachable robots.txt disallows all
            elif response.status_code >= 400:
                host.robots, host.robots_open = None, True  # none: everything allowed
            else:
                host.robots = Protego.parse(response.text[:500_000])
                host.robots_open = True
        except (httpx.HTTPError, TimeoutError):
            host.robots, host.robots_open = None, False
            host.robots_at = time.monotonic() - ROBOTS_TTL + 60.0  # try again in a minute
        return host

    async def allowed(self, url: str) -> bool:
        host = await self._robots(url)
        if not host.robots_open:
            return False
        return host.robots is None or host.robots.can_fetch(url, self.config.robots_agent)

    async def sitemaps(self, url: str) -> list[str]:
        """The sitemaps a host's robots.txt names."""
        host = await self._robots(url)
        return list(host.robots.sitemaps) if host.robots is not None else []

    # ---------------------------------------------------------------- fetching
    async def get(self, url: str, *, accept: tuple[str, ...] = HTML_TYPES, etag: str | None = None,
                  last_modified: str | None = None) -> Page:
        """GET `url` politely; redirects followed (each hop checked against robots.txt) up to the limit."""
        seen = {url}
        current = url
        for _hop in range(self.config.max_redirects + 1):
            if not await self.allowed(current):
                raise FetchError(Msg.NG610, url=current, agent=self.config.robots_agent)
            response, body = await self._attempts(current, etag, last_modified)
            if response.status_code in REDIRECTS and response.headers.get("location"):
                target = canonical(response.headers.get("location", ""), base=current)
                if target is None:
                    raise FetchError(Msg.NG619, url=current, detail="a redirect to a URL that is not http(s)")
                if target in seen:
                    raise FetchError(Msg.NG615, url=url, detail=f"redirect loop through {target}")
                seen.add(target)
                current = target
                continue
            return self._page(current, response, body, accept)
        raise FetchError(Msg.NG615, url=url, detail=f"more than {self.config.max_redirects} redirects")

    def _page(self, url: str, response: httpx.Response, body: bytes, accept: tuple[str, ...]) -> Page:
        headers = response.headers
        if response.status_code == 304:
            return Page(url=url, status=304, not_modified=True, etag=headers.get("etag"),
                        last_modified=headers.get("last-modified"))
        if response.status_code >= 400:
            raise FetchError(Msg.NG611, url=url, status=response.status_code,
                             retry=response.status_code in RETRY_STATUSES)
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype and not any(a in ctype for a in accept):
            raise FetchError(Msg.NG614, url=url, wanted=" or ".join(accept), ctype=ctype)
        return Page(url=url, status=response.status_code, body=body, content_type=ctype,
                    etag=headers.get("etag"), last_modified=headers.get("last-modified"))

    async def _attempts(self, url: str, etag: str | None, last_modified: str | None) -> tuple[httpx.Response, bytes]:
        """One request, tried again on 429, 5xx, timeouts and dropped connections, with backoff and jitter."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = self._host(url)
        attempts = self.config.attempts
        for attempt in range(1, attempts + 1):
            wait = None
            try:
                async with host.lock:  # one connection per host
                    await self._turn(host, self._delay(host))
                    response, body = await self._one(url, headers)
                if response.status_code not in RETRY_STATUSES:
                    return response, body
                if attempt == attempts:
                    raise FetchError(Msg.NG612, url=url, attempts=attempts, detail=f"HTTP {response.status_code}",
                                     retry=True)
                wait = self._retry_after(response)
                last = f"HTTP {response.status_code}"
            except FetchError as exc:
                if not exc.retry or attempt == attempts or exc.code == "NG612":
                    raise
                last = exc.text
            delay = self.config.backoff * 2 ** (attempt - 1) * (1 + random.random())  # exponential, with jitter
            if wait is not None:
                if wait > self.config.max_retry_after:
                    raise FetchError(Msg.NG612, url=url, attempts=attempt, retry=True,
                                     detail=f"{last}, Retry-After {wait:.0f}s is longer than watch.max_retry_after")
                delay = max(delay, wait)
            async with host.lock:  # the host waits too: no other request to it before the retry
                host.next_at = max(host.next_at, time.monotonic() + delay)
            await asyncio.sleep(delay)
        raise FetchError(Msg.NG612, url=url, attempts=attempts, detail=last, retry=True)

    async def _one(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        self.requests += 1
        try:
            return await asyncio.wait_for(self._stream(url, headers), self.config.timeout)
        except TimeoutError as exc:  # the whole answer, not only each read: a trickling server is cut off too
            raise FetchError(Msg.NG616, url=url, seconds=self.config.timeout, retry=True) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(Msg.NG616, url=url, seconds=self.config.timeout, retry=True) from exc
        except httpx.HTTPError as exc:
            raise FetchError(Msg.NG617, url=url, detail=f"{type(exc).__name__}: {exc}", retry=True) from exc

    async def _stream(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        limit = self.config.max_bytes
        async with self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(Msg.NG613, url=url, limit=limit)
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(Msg.NG613, url=url, limit=limit)
                chunks.append(chunk)
        return response, b"".join(chunks)

    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        value = response.headers.get("retry-after", "").strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
