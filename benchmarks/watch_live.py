"""`newsgraph watch` against a local server simulating many news sites (issue 20): time to drain, articles/s,
the share of time the parse waits for the network, freshness, and throughput against `ingest` from disk.

    python benchmarks/watch_live.py --articles articles.jsonl --feeds 200 --items 20 --latency 0.1

Each feed is its own site (127.0.1.N, all on the loopback, so politeness applies per site as on the web),
answering after `--latency` seconds; its items are article pages made from the texts of `--articles`
(JSONL with title and text). One `--once` pass polls every feed and drains the queue. Freshness is, per
article, the time from the poll that listed it to its record being in the store (and so in the API):
`watch_urls.first_seen` to `fetched_at`. The same pages, written as HTML files, are then ingested from disk
by `newsgraph ingest` (in this process, model loaded once for both) for the throughput ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import select

from newsgraph.config import load_settings
from newsgraph.extract.pipeline import ArticleExtractor
from newsgraph.store import open_store
from newsgraph.store.ingest import ingest
from newsgraph.store.schema import watch_urls
from newsgraph.watch.config import WatchConfig
from newsgraph.watch.run import Watcher


def page(title: str, text: str) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>"
            f"{body}</article></body></html>").encode()


def serve(pages: dict[str, bytes], feeds: dict[str, bytes], latency: float) -> tuple[ThreadingHTTPServer, int]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(latency)
            host = self.headers.get("Host", "").split(":")[0]
            key = host + self.path
            if self.path == "/robots.txt":
                status, ctype, body = 404, "text/plain", b""
            elif key in feeds:
                status, ctype, body = 200, "application/rss+xml", feeds[key]
            elif key in pages:
                status, ctype, body = 200, "text/html; charset=utf-8", pages[key]
            else:
                status, ctype, body = 404, "text/plain", b"no"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True, help="JSONL with title and text")
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--delay", type=float, default=1.0, help="watch.delay (seconds between requests per site)")
    parser.add_argument("--disk-first", action="store_true", help="ingest from disk before the watch pass")
    args = parser.parse_args()

    lines = [json.loads(x) for x in args.articles.read_text(encoding="utf-8").splitlines() if x.strip()]
    need = args.feeds * args.items
    if len(lines) < need:
        raise SystemExit(f"{args.articles} has {len(lines)} articles, {need} needed")
    pages, feeds, sources = {}, {}, []
    work = Path(tempfile.mkdtemp(prefix="ng-watch-"))
    disk = work / "pages"
    disk.mkdir()
    server, port = serve(pages, feeds, args.latency)
    for f in range(args.feeds):
        host = f"127.0.1.{f + 1}" if f < 250 else f"127.0.2.{f - 249}"
        items = []
        for i in range(args.items):
            a = lines[f * args.items + i]
            path = f"/news/{f}-{i}"
            pages[host + path] = page(a.get("title") or "", a["text"])
            (disk / f"{f}-{i}.html").write_bytes(pages[host + path])
            items.append(f"<item><title>{html.escape(a.get('title') or '')}</title>"
                         f"<link>http://{host}:{port}{path}</link></item>")
        feeds[host + "/feed.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site {f}</title>'
                                     + "".join(items) + "</channel></rss>").encode()
        sources.append(f"http://{host}:{port}/feed.xml")

    settings = load_settings(environ={})
    extractor = ArticleExtractor(settings)  # loaded once, used by both runs
    # warm up on articles neither run uses (model caches, trafilatura, the vocabulary), so that order matters less
    from newsgraph.records import Article

    spare = lines[need:need + 8] or lines[:8]
    extractor.extract_batch([Article(doc_id=f"warm-{i}", text=a["text"], source="warm") for i, a in enumerate(spare)])
    def from_disk() -> tuple[object, float]:
        disk_store = open_store(work / "disk.db")
        began = time.perf_counter()
        done = ingest([str(disk)], settings, disk_store, extractor=extractor)
        seconds = time.perf_counter() - began
        disk_store.close()
        return done, seconds

    if args.disk_first:  # the model warmed by the other run first: the order can be swapped to check
        summary, disk_seconds = from_disk()
    store = open_store(work / "watch.db")
    config = WatchConfig.from_settings({"delay": args.delay, "timeout": 30.0})
    watcher = Watcher(store, settings, config, extractor=extractor)
    names = watcher.add(sources)
    started = time.perf_counter()
    stats = asyncio.run(watcher.run(once=True, only=names))[0]
    drain = time.perf_counter() - started
    with store.engine.connect() as conn:
        rows = conn.execute(select(watch_urls.c.first_seen, watch_urls.c.fetched_at)
                            .where(watch_urls.c.status == "done")).all()
    store.close()
    fresh = sorted(done - seen for seen, done in rows)
    server.shutdown()

    if not args.disk_first:
        summary, disk_seconds = from_disk()

    rate = stats.stored / drain if drain else 0.0
    disk_rate = summary.articles / disk_seconds if disk_seconds else 0.0
    print(f"{args.feeds} feeds x {args.items} items, {args.latency * 1000:.0f} ms latency, watch.delay {args.delay}s: "
          f"drained in {drain:.1f}s, {stats.stored} articles stored, {stats.failed} failed, {rate:.2f} articles/s")
    print(f"parse waiting for the network: {stats.parse_waiting / drain:.0%} of the pass "
          f"(parse busy {stats.parse_seconds:.1f}s of {drain:.1f}s)")
    if fresh:
        p95 = fresh[min(len(fresh) - 1, int(0.95 * len(fresh)))]
        print(f"freshness (poll that listed it -> in the store and the API): p50 {statistics.median(fresh):.1f}s, "
              f"p95 {p95:.1f}s")
    print(f"ingest of the same pages from disk: {summary.articles} articles in {disk_seconds:.1f}s, "
          f"{disk_rate:.2f} articles/s; watch/ingest throughput {rate / disk_rate if disk_rate else 0:.2f}")


if __name__ == "__main__":
    main()
