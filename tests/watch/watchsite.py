"""A real HTTP server on 127.0.0.1 for the watch tests: routes set per test, every request logged (fixture `site`)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsgraph.records import Record

Handler = Callable[[dict[str, str]], tuple[int, dict[str, str], bytes] | None]


@dataclass
class Site:
    base: str
    routes: dict[str, Any] = field(default_factory=dict)  # path (with query) -> (status, headers, body) or callable
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # when each request of `log` arrived (time.monotonic)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def url(self, path: str) -> str:
        return self.base + path


def article_html(title: str, words: str) -> bytes:
    paragraphs = "".join(f"<p>{words} Paragraph {i} of the report on {title.lower()}, as witnesses described it "
                         f"to reporters at the scene on the same afternoon.</p>" for i in range(4))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"
            f"</article></body></html>").encode()


def rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate>"
                      f"</item>" for t, link in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>{entries}</channel></rss>'
            ).encode()


def _handler(site: Site):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.log.append((self.path, headers))
            site.times.append(time.monotonic())
            route = site.routes.get(self.path)
            if route is None and self.path == "/robots.txt":
                route = (404, {}, b"")
            if route is None:
                route = (404, {"Content-Type": "text/plain"}, b"not here")
            if isinstance(route, tuple) and route[0] == "stream":  # no Content-Length: bytes until closed
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                chunk = b"x" * (1 << 20)
                try:
                    for _ in range(route[1] >> 20):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            if callable(route):
                route = route(headers)
                if route is None:  # the handler wrote its own answer
                    return
            status, extra, body = route
            self.send_response(status)
            extra = {"Content-Type": "text/html; charset=utf-8", **extra}
            for k, v in extra.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return H


@contextlib.contextmanager
def serve(address: str = "127.0.0.1") -> Iterator[Site]:
    """A site on `address` (any 127.x.y.z is the loopback: another host for the watch's politeness)."""
    server = ThreadingHTTPServer((address, 0), None)  # type: ignore[arg-type]
    server.daemon_threads = True
    made = Site(base=f"http://{address}:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(made)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield made
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as made:
        yield made


def hang(seconds: float) -> Handler:
    def answer(_headers: dict[str, str]):
        time.sleep(seconds)
        return 200, {}, article_html("Late", "Slow words.")
    return answer


class PlainExtractor:
    """Records straight from the articles (no model): the fetching and storing are under test here."""

    def extract_batch(self, articles):
        return [Record(doc_id=a.doc_id, source=a.source, title=a.title, url=a.url, outlet=a.outlet,
                       published=a.published, text=a.text) for a in articles]
