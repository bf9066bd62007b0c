"""`newsgraph watch` against a local server simulating many news sites (issue 20): time to drain, articles/s,
the share of time the parse waits for the network, freshness, and throughput against `ingest` from disk.

    python benchmarks/watch_live.py --articles articles.jsonl --feeds 200 --items 20 --latency 0.1 --live 120

Each feed is its own site (127.0.1.N, all on the loopback, so politeness applies per site as on the web),
answering after `--latency` seconds; its items are article pages made from the texts of `--articles`
(JSONL with title and text). The server runs in a process of its own, as a remote site would: in the
watch's process its threads would take the interpreter from the parse.

1. Backlog: every feed lists `--items` items when the watch starts; one pass polls every feed and drains
   the queue: drain time, articles/s, the parse's share of time waiting for pages, where the parse's time
   goes, and freshness (the poll that listed an item -> its record in the store, and so in the API:
   `watch_urls.first_seen` to `fetched_at`). A backlog's freshness is mostly its queue.
2. Live (`--live` seconds): the sites publish `--live-rate` new items a second between them, each at a
   random moment; the watch runs on (polls every `--interval` seconds at first, adapting within
   [`--interval`/3, 2 x `--interval`]): freshness after the poll that saw the item (goal: p95 under 60 s) and
   from publication on the site (adds the wait for the next poll).
3. The backlog's pages, written as HTML files, ingested by `newsgraph ingest` (in this process, model loaded
   once for both): throughput ratio, in wall and in CPU seconds (this process's: the server is elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import html
import json
import multiprocessing
import random
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import select

from newsgraph.config import load_settings
from newsgraph.extract.pipeline import ArticleExtractor
from newsgraph.records import Article
from newsgraph.store import open_store
from newsgraph.store.ingest import ingest
from newsgraph.store.schema import watch_urls
from newsgraph.watch.config import WatchConfig
from newsgraph.watch.run import Watcher

print = functools.partial(print, flush=True)  # noqa: A001 - each line as soon as it is known (nohup, a file)


def page(title: str, text: str) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>"
            f"{body}</article></body></html>").encode()


def host(f: int) -> str:
    return f"127.0.1.{f + 1}" if f < 250 else f"127.0.2.{f - 249}"


def _quantiles(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"p50 {statistics.median(values):.1f}s, p95 {p95:.1f}s, max {values[-1]:.1f}s ({len(values)} articles)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True, help="JSONL with title and text")
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=5, help="items each feed lists when the watch starts")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--delay", type=float, default=1.0, help="watch.delay (seconds between requests per site)")
    parser.add_argument("--live", type=float, default=0.0, help="seconds of live publishing after the backlog")
    parser.add_argument("--live-rate", type=float, default=0.5, help="new items a second, all sites together")
    parser.add_argument("--interval", type=float, default=30.0, help="watch.interval during the live phase")
    parser.add_argument("--disk-first", action="store_true", help="ingest from disk before the watch pass")
    args = parser.parse_args()

    lines = [json.loads(x) for x in args.articles.read_text(encoding="utf-8").splitlines() if x.strip()]
    need = args.feeds * args.items
    live_count = int(args.live * args.live_rate)
    if len(lines) < need + live_count:
        raise SystemExit(f"{args.articles} has {len(lines)} articles, {need + live_count} needed")
    rng = random.Random(5)
    work = Path(tempfile.mkdtemp(prefix="ng-watch-"))
    disk = work / "pages"
    disk.mkdir()
    pages: dict[str, bytes] = {}
    plan: list[tuple[int, str, dict]] = []  # (feed, path, article) of every item, backlog then live
    for f in range(args.feeds):
        for i in range(args.items):
            plan.append((f, f"/news/{f}-{i}", lines[f * args.items + i]))
    for k in range(live_count):
        plan.append((rng.randrange(args.feeds), f"/live/{k}", lines[need + k]))
    for n, (f, path, a) in enumerate(plan):
        pages[host(f) + path] = page(a.get("title") or "", a["text"])
        if n < need:
            (disk / f"{f}-{path.rsplit('/', 1)[1]}.html").write_bytes(pages[host(f) + path])

    # publication times, in seconds after the live phase starts: the backlog's long before
    published = {path: -1e9 if n < need else rng.uniform(0.0, args.live) for n, (_f, path, _a) in enumerate(plan)}
    items: dict[str, list[tuple[float, str, str]]] = {}
    for f, path, a in plan:
        items.setdefault(host(f) + "/feed.xml", []).append((published[path], a.get("title") or "", path))
    ctx = multiprocessing.get_context("fork")
    clock = ctx.Value("d", time.time() + 1e9)  # set when the live phase starts
    ready = ctx.Queue()
    server = ctx.Process(target=_serve, args=(pages, items, args.latency, clock, ready), daemon=True)
    server.start()
    port = ready.get(timeout=30)
    sources = [f"http://{host(f)}:{port}/feed.xml" for f in range(args.feeds)]

    settings = load_settings(environ={})
    extractor = ArticleExtractor(settings)  # loaded once, used by both runs
    spare = lines[need + live_count:need + live_count + 8] or lines[:8]
    extractor.extract_batch([Article(doc_id=f"warm-{i}", text=a["text"], source="warm") for i, a in enumerate(spare)])
    timing = {"seconds": 0.0, "calls": 0, "articles": 0}
    extract_batch = extractor.extract_batch

    def timed(articles):
        began = time.perf_counter()
        try:
            return extract_batch(articles)
        finally:
            timing["seconds"] += time.perf_counter() - began
            timing["calls"] += 1
            timing["articles"] += len(articles)

    extractor.extract_batch = timed

    def cold() -> None:
        """Both runs read the same pages: the second would find the first's lemmas in the lemmatizer's cache
        (spaCy keeps one per token form, part of speech and morphology; profiled on 90 articles: 26 ms an
        article in the first run, 7 in the second), so each run starts with it empty."""
        nlp = getattr(extractor, "nlp", None)
        for _name, pipe in nlp.pipeline if nlp is not None else []:
            if isinstance(getattr(pipe, "cache", None), dict):
                pipe.cache.clear()

    def from_disk() -> tuple[object, float, float, dict]:
        cold()
        before = dict(timing)
        disk_store = open_store(work / "disk.db")
        began, cpu = time.perf_counter(), time.process_time()
        done = ingest([str(disk)], settings, disk_store, extractor=extractor)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        disk_store.close()
        return done, seconds, cpu, {k: timing[k] - before[k] for k in timing}

    if args.disk_first:
        summary, disk_seconds, disk_cpu, disk_timing = from_disk()

    store = open_store(work / "watch.db")
    config = WatchConfig.from_settings({"delay": args.delay, "timeout": 30.0, "interval": args.interval,
                                        "min_interval": args.interval / 3, "max_interval": args.interval * 2})
    watcher = Watcher(store, settings, config, extractor=extractor)
    names = watcher.add(sources)
    cold()
    before = dict(timing)
    started, cpu = time.perf_counter(), time.process_time()
    stats = asyncio.run(watcher.run(once=True, only=names))[0]
    drain, watch_cpu = time.perf_counter() - started, time.process_time() - cpu
    watch_timing = {k: timing[k] - before[k] for k in timing}
    with store.engine.connect() as conn:
        rows = conn.execute(select(watch_urls.c.first_seen, watch_urls.c.fetched_at)
                            .where(watch_urls.c.status == "done")).all()
    backlog_fresh = [done - seen for seen, done in rows]

    live_stats = []
    if args.live:
        live_began = time.time()
        clock.value = live_began  # the live items' publication times count from now

        async def live() -> list:
            stop = asyncio.Event()
            asyncio.get_running_loop().call_later(args.live + 2 * args.interval, stop.set)
            return await watcher.run(stop=stop)

        live_stats = asyncio.run(live())
        with store.engine.connect() as conn:
            live_rows = conn.execute(select(watch_urls.c.url, watch_urls.c.first_seen, watch_urls.c.fetched_at)
                                     .where(watch_urls.c.status == "done", watch_urls.c.url.like("%/live/%"))).all()
        after_poll = [done - seen for _url, seen, done in live_rows]
        after_publish = [done - (live_began + published["/live/" + url.rsplit("/", 1)[1]])
                         for url, _seen, done in live_rows]
    store.close()
    server.terminate()

    # the watch's figures are printed as soon as they are known: a long run's ingest may be cut short
    rate = stats.stored / drain if drain else 0.0
    print(f"backlog: {args.feeds} feeds x {args.items} items, {args.latency * 1000:.0f} ms latency, "
          f"watch.delay {args.delay}s: drained in {drain:.1f}s, {stats.stored} articles stored, {stats.failed} failed, "
          f"{rate:.2f} articles/s ({watch_cpu / max(1, stats.stored):.3f} CPU s/article)")
    print(f"parse waiting for the network: {stats.parse_waiting / drain:.0%} of the pass "
          f"(parse busy {stats.parse_seconds:.1f}s of {drain:.1f}s: read {stats.read_seconds:.1f}s, "
          f"extract {stats.extract_seconds:.1f}s, link and write {stats.link_seconds:.1f}s; {stats.batches} batches, "
          f"{watch_timing['articles'] / max(1, watch_timing['calls']):.1f} articles per nlp batch)")
    print(f"backlog freshness (poll that listed it -> in the store and the API): {_quantiles(backlog_fresh)}")
    if args.live:
        print(f"live: {live_count} items published over {args.live:.0f}s ({args.live_rate}/s), "
              f"{sum(s.stored for s in live_stats)} stored in {len(live_stats)} passes, watch.interval {args.interval:.0f}s")
        print(f"live freshness after the poll that saw the item: {_quantiles(after_poll)}")
        print(f"live freshness after publication on the site: {_quantiles(after_publish)}")

    if not args.disk_first:
        summary, disk_seconds, disk_cpu, disk_timing = from_disk()
    disk_rate = summary.articles / disk_seconds if disk_seconds else 0.0
    print(f"ingest of the same pages from disk: {summary.articles} articles in {disk_seconds:.1f}s, "
          f"{disk_rate:.2f} articles/s ({disk_cpu / max(1, summary.articles):.3f} CPU s/article; extract "
          f"{disk_timing['seconds']:.1f}s, {disk_timing['articles'] / max(1, disk_timing['calls']):.1f} articles "
          f"per nlp batch)")
    print(f"watch/ingest throughput: {rate / disk_rate if disk_rate else 0:.2f} (wall), "
          f"{(disk_cpu / max(1, summary.articles)) / (watch_cpu / max(1, stats.stored)):.2f} (CPU per article)")


def _serve(pages: dict[str, bytes], items: dict[str, list[tuple[float, str, str]]], latency: float, clock,
           ready) -> None:
    """The sites (in a process of their own): a feed lists the items whose publication time, in seconds after
    `clock` (set when the live phase starts), has come, newest first; its links name the host it was asked as."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(latency)
            host_header = self.headers.get("Host", "")
            key = host_header.split(":")[0] + self.path
            now = time.time() - clock.value
            if self.path == "/robots.txt":
                status, ctype, body = 404, "text/plain", b""
            elif key in items:
                listed = sorted((i for i in items[key] if i[0] <= now), reverse=True)[:50]
                status, ctype = 200, "application/rss+xml"
                body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>'
                        + "".join(f"<item><title>{html.escape(t)}</title><link>http://{host_header}{path}</link>"
                                  f"</item>" for _, t, path in listed) + "</channel></rss>").encode()
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
    ready.put(server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
