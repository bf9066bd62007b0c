"""`newsgraph watch`: poll sources, fetch new article pages politely, extract, link and store them as they arrive.

One pass: every due source is polled (feeds and sitemaps it names are polled in the same pass), its new
article URLs queued in the store; the queued pages are fetched (concurrently across hosts, one at a time per
host) while a thread extracts, links and stores what has arrived, so the network never waits for the parse
nor the parse for the network. Each article is stored with its URL's done-mark in one transaction, and its
story is visible at once (still open for `[link.stories] lag` articles); the linker is checkpointed at the
end of each pass (store/linkstate.py), so a restart carries on without replaying.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..config import Settings
from ..errors import InputError, Msg, NewsgraphError
from ..ingest.html import article_from_html
from ..records import Article, Record
from ..store import Store
from ..store.linkstate import StoreLinker
from . import state
from .config import WatchConfig
from .fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError, Page
from .sources import Listing, is_file, parse, read_url_file
from .urls import canonical, host_of, page_key


@dataclass
class Event:
    """What a watch reports as it goes: kind is poll, article, same (a page stored already under its canonical
    URL), error or pass."""

    kind: str
    source: str | None = None
    url: str | None = None
    text: str = ""
    code: str | None = None


@dataclass
class PassStats:
    polled: int = 0
    new_urls: int = 0
    fetched: int = 0
    stored: int = 0
    failed: int = 0
    same: int = 0  # pages whose canonical URL is an article stored already (not stored again)
    seconds: float = 0.0
    parse_seconds: float = 0.0  # extracting, linking, writing
    parse_waiting: float = 0.0  # the parse thread idle, waiting for pages
    # where the parse's time goes: reading pages (canonical keys, trafilatura), the pipeline, linking and writing
    read_seconds: float = 0.0
    extract_seconds: float = 0.0
    link_seconds: float = 0.0
    batches: int = 0
    fresh: list[float] = field(default_factory=list)  # per article: stored - queued (seconds)


def in_host_turns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The queued pages in turns across hosts (each host's own in their order; pages fetched already first).

    The queue holds a feed's items one after another, and a fetch waits for its host's turn (one request at
    a time, `watch.delay` apart) while it holds one of the `watch.concurrency` slots: in that order the
    slots would all wait on one host, one page a `delay`, and the parse would starve for pages. In turns,
    the slots go to as many hosts as there are slots."""
    turn: dict[str, int] = {}
    keyed = []
    for i, row in enumerate(rows):
        host = host_of(row["url"])
        turn[host] = turn.get(host, -1) + 1
        keyed.append((row["status"] != "fetched", turn[host], i))
    return [rows[i] for *_, i in sorted(keyed)]


def next_interval(config: WatchConfig, interval: float, new: int) -> float:
    """Adaptive polling: a source that had news is polled sooner, one that had none later, within bounds."""
    interval = interval / 2 if new else interval * 1.5
    return min(config.max_interval, max(config.min_interval, interval))


class Watcher:
    def __init__(self, store: Store, settings: Settings, config: WatchConfig | None = None, *,
                 on_event: Callable[[Event], None] | None = None, extractor: Any = None,
                 transport: httpx.AsyncBaseTransport | None = None, runner: Any = None) -> None:
        self.store = store
        self.settings = settings
        self.config = config or WatchConfig.from_settings(settings.watch)
        self.on_event = on_event
        self.transport = transport
        self._extractor = extractor
        self.runner = runner  # a scale.dask_run.DaskRunner: pages are read and extracted on its cluster
        self._coming: set[str] = set()  # keys of pages read or sent to extract, not stored yet
        self.linker: StoreLinker | None = None
        # the parse, linking and store writes run in this one thread, always the same: passed between the pool
        # threads of asyncio.to_thread, each batch's memory was kept by the allocator of each thread it ran in
        # (a 40 x 10 pass: 2.2 GB resident against 1.1 GB for `ingest`)
        self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsgraph-parse")

    def _event(self, **kwargs: Any) -> None:
        if self.on_event:
            self.on_event(Event(**kwargs))

    def extractor(self) -> Any:
        if self._extractor is None:
            from ..extract.pipeline import ArticleExtractor

            self._extractor = ArticleExtractor(self.settings)
        return self._extractor

    async def _in_parser(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._parser, fn, *args)

    # ---------------------------------------------------------------- sources
    def add(self, sources: Iterable[str]) -> list[str]:
        """Register sources (URLs canonicalised, files by path); returns them as stored."""
        names = []
        for src in sources:
            name = src if is_file(src) else canonical(src)
            if name is None:
                raise NewsgraphError(Msg.NG618, source=src, detail="not an http(s) URL nor an existing file")
            names.append(name)
        state.add_sources(self.store, names, self.config.interval)
        return names

    async def _poll(self, fetcher: Fetcher, row: dict[str, Any], stats: PassStats) -> list[str]:
        """Poll one source; returns the sources it names (to be polled in this pass too)."""
        url, now = row["url"], time.time()
        stats.polled += 1
        try:
            if is_file(url):
                listing, page = read_url_file(url), None
            else:
                page = await fetcher.get(url, accept=FEED_TYPES + HTML_TYPES, etag=row.get("etag"),
                                         last_modified=row.get("last_modified"))
                listing = Listing(kind=row.get("kind") or "feed") if page.not_modified else \
                    await asyncio.to_thread(parse, url, page.body, page.content_type)
        except (FetchError, OSError) as exc:
            text = exc.text if isinstance(exc, NewsgraphError) else f"{type(exc).__name__}: {exc}"
            state.poll_failed(self.store, url, text, interval=next_interval(self.config, row["interval"], 0), now=now)
            self._event(kind="error", source=url, url=url, text=text, code=getattr(exc, "code", None))
            return []
        named = []
        for child in listing.sources:
            named.append(child)
        if named:
            state.add_sources(self.store, named, self.config.interval, parent=url)
        new = state.polled(self.store, url, kind=listing.kind, items=listing.items, now=now,
                           interval=lambda found: next_interval(self.config, row["interval"], found),
                           etag=page.etag if page else None, last_modified=page.last_modified if page else None)
        stats.new_urls += new
        self._event(kind="poll", source=url, text=f"{listing.kind}: {len(listing.items)} items, {new} new"
                    + (" (not modified)" if page is not None and page.not_modified else ""))
        return named

    # ---------------------------------------------------------------- one pass
    async def run_pass(self, only: Iterable[str] | None = None) -> PassStats:
        """Poll the due sources (and those they name), then fetch and store every queued page."""
        stats = PassStats()
        started = time.perf_counter()
        if self.linker is None:
            self.linker = await self._in_parser(StoreLinker, self.store, self.settings)
        async with Fetcher(self.config, transport=self.transport) as fetcher:
            polled: set[str] = set()
            wanted = set(only) if only is not None else None
            while True:
                rows = [r for r in state.due(self.store, time.time()) if r["url"] not in polled
                        and (wanted is None or r["url"] in wanted or r["parent"] in polled)]
                if not rows:
                    break
                polled.update(r["url"] for r in rows)
                await asyncio.gather(*(self._poll(fetcher, r, stats) for r in rows))
            await self._drain(fetcher, stats)
        await self._in_parser(self.linker.checkpoint)
        stats.seconds = time.perf_counter() - started
        self._event(kind="pass", text=f"{stats.polled} sources polled, {stats.new_urls} new URLs, "
                    f"{stats.stored} articles stored, {stats.failed} failed")
        return stats

    async def _drain(self, fetcher: Fetcher, stats: PassStats) -> None:
        """Fetch the queued pages (producers) while one thread extracts, links and stores them (the consumer)."""
        todo = in_host_turns(state.queued(self.store))
        pages: asyncio.Queue = asyncio.Queue(maxsize=max(2, 2 * self.config.batch))
        limit = asyncio.Semaphore(self.config.concurrency)

        async def fetch(row: dict[str, Any]) -> None:
            if row["status"] == "fetched":  # fetched by a run that stopped before storing it: not fetched again
                await pages.put((row, Page(url=row["final_url"] or row["url"], status=200, body=row["body"]),
                                 time.time()))
                return
            async with limit:
                try:
                    page = await fetcher.get(row["url"], accept=HTML_TYPES)
                except FetchError as exc:
                    self._failed(row, exc, stats)
                    return
                except Exception as exc:  # noqa: BLE001 - one odd URL (bad encoding, bad port) never stops a pass
                    self._failed(row, FetchError(Msg.NG619, url=row["url"], detail=f"{type(exc).__name__}: {exc}"),
                                 stats)
                    return
                stats.fetched += 1
                await asyncio.to_thread(state.fetched, self.store, row["url"], page.url, page.body, time.time())
                await pages.put((row, page, time.time()))  # parsed by the consumer: the network only fetches

        async def produce() -> None:
            try:
                await asyncio.gather(*(fetch(row) for row in todo))
            finally:
                await pages.put(None)  # the consumer stops whatever happened

        producer = asyncio.create_task(produce())
        if self.runner is None:
            await self._consume(pages, stats)
        else:
            await self._consume_on_cluster(pages, stats)
        await producer

    async def _batch(self, pages: asyncio.Queue, stats: PassStats) -> tuple[list[Any], bool]:
        """The next batch: the pages waiting now (at least one, at most `batch`); whether the fetching is over."""
        waited = time.perf_counter()
        first = await pages.get()
        stats.parse_waiting += time.perf_counter() - waited
        batch = []
        while first is not None:
            batch.append(first)
            if len(batch) >= self.config.batch or pages.empty():
                break
            first = pages.get_nowait()
        return batch, first is None

    async def _consume(self, pages: asyncio.Queue, stats: PassStats) -> None:
        """Read, extract, link and store batch after batch, in one thread (as `ingest` does)."""
        done = False
        while not done:
            batch, done = await self._batch(pages, stats)
            if batch:
                began = time.perf_counter()
                await self._in_parser(self._store, batch, stats)
                stats.parse_seconds += time.perf_counter() - began

    async def _consume_on_cluster(self, pages: asyncio.Queue, stats: PassStats) -> None:
        """--dask: each batch's pages are read and extracted on the cluster (`extract_pages`), up to the runner's
        window of batches at once; their records are linked and stored here, in the order they were sent."""
        from ..scale.dask_run import extract_pages

        assert self.runner is not None
        sent: asyncio.Queue = asyncio.Queue(maxsize=max(1, self.runner.window))

        async def send() -> None:
            try:
                done = False
                while not done:
                    batch, done = await self._batch(pages, stats)
                    keyed = await self._in_parser(self._keyed, batch, stats) if batch else []
                    if keyed:
                        payload = [(key, page.body, row["source"]) for row, page, _arrived, key in keyed]
                        await sent.put((keyed, self.runner.submit(extract_pages, payload, settings=self.settings)))
            finally:
                await sent.put(None)

        sender = asyncio.create_task(send())
        while (item := await sent.get()) is not None:
            keyed, future = item
            try:
                results = await asyncio.to_thread(future.result)
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its batch, not the watch: tried again
                results = [("NG620", Msg.NG620.format(url=row["url"], detail=f"{type(exc).__name__}: {exc}"))
                           for row, *_ in keyed]
            began = time.perf_counter()
            await self._in_parser(self._store_results, keyed, results, stats)
            stats.parse_seconds += time.perf_counter() - began
        await sender

    def _failed(self, row: dict[str, Any], exc: NewsgraphError, stats: PassStats) -> None:
        self._failed_as(row, exc.code, exc.text, getattr(exc, "retry", False), stats)

    def _failed_as(self, row: dict[str, Any], code: str, text: str, retry: bool, stats: PassStats) -> None:
        stats.failed += 1
        state.page_failed(self.store, row["url"], row["source"], text, retry=retry, attempts=row["attempts"],
                          now=time.time())
        self._event(kind="error", source=row["source"], url=row["url"], text=text, code=code)

    def _keyed(self, batch: list[tuple[dict[str, Any], Page, float]],
               stats: PassStats) -> list[tuple[dict[str, Any], Page, float, str]]:
        """The batch's pages with their keys, the canonical URLs they are stored under (urls.page_key); a page
        whose canonical URL is a stored article, or one on its way to the store, is marked done under it."""
        keyed = [(row, page, arrived, page_key(page.body, page.url)) for row, page, arrived in batch]
        stored = state.stored_keys(self.store, [key for *_, key in keyed]) | self._coming
        out = []
        for row, page, arrived, key in keyed:
            if key in stored:
                stats.same += 1
                state.same_as(self.store, row["url"], page.url, key, time.time())
                self._event(kind="same", source=row["source"], url=row["url"], text=f"the same page as {key}")
                continue
            stored.add(key)
            self._coming.add(key)
            out.append((row, page, arrived, key))
        return out

    def _read(self, keyed: list[tuple[dict[str, Any], Page, float, str]],
              stats: PassStats) -> list[tuple[dict[str, Any], Article, float]]:
        """Keyed pages as Articles (doc_id and url: the key; the address fetched kept in meta)."""
        read: list[tuple[dict[str, Any], Article, float]] = []
        for row, page, arrived, key in keyed:
            try:
                article = article_from_html(page.body, doc_id=key, source=row["source"], settings=self.settings,
                                            url=key, kind="watch")
            except InputError as exc:
                self._coming.discard(key)
                self._failed(row, exc, stats)
                continue
            if page.url != key:
                article.meta["fetched_url"] = page.url
            read.append((row, article, arrived))
        return read

    def _store(self, batch: list[tuple[dict[str, Any], Page, float]], stats: PassStats) -> None:
        """Read, extract, link and store one batch of pages (in one thread, as `ingest` does; the event loop
        keeps fetching meanwhile): each article with its URL's done-mark."""
        began = time.perf_counter()
        read = self._read(self._keyed(batch, stats), stats)
        read_at = time.perf_counter()
        records: list[Record] = self.extractor().extract_batch([article for _, article, _ in read])
        stats.read_seconds += read_at - began
        stats.extract_seconds += time.perf_counter() - read_at
        self._link_and_write(read, records, stats)

    def _store_results(self, keyed: list[tuple[dict[str, Any], Page, float, str]], results: list[Any],
                       stats: PassStats) -> None:
        """What the cluster made of keyed pages (`extract_pages`): the records linked and stored, the pages
        that held no article failed."""
        rows: list[tuple[dict[str, Any], Any, float]] = []
        records: list[Record] = []
        prepared: list[Any] = []
        for (row, page, arrived, key), result in zip(keyed, results, strict=True):
            if isinstance(result[0], str):  # (code, message)
                self._coming.discard(key)
                self._failed_as(row, result[0], result[1], result[0] == "NG620", stats)
                continue
            record, ready = result
            if page.url != key:
                record.meta["fetched_url"] = page.url
            rows.append((row, None, arrived))
            records.append(record)
            prepared.append(ready)
        self._link_and_write(rows, records, stats, prepared)

    def _link_and_write(self, read: list[tuple[dict[str, Any], Article, float]], records: list[Record],
                        stats: PassStats, prepared: list[Any] | None = None) -> None:
        """Link the batch's records in order, then store them with their URLs' done-marks in one transaction
        (their stories still open: a record is stored again if its story moves), then the records that
        settled meanwhile, whose story may have moved since they were stored, in another."""
        assert self.linker is not None
        began = time.perf_counter()
        stats.batches += 1
        writer = self.store.writer
        settled: list[Record] = []
        for i, record in enumerate(records):
            settled.extend(self.linker.link(record, prepared[i] if prepared else None))
        now = time.time()

        def work(conn) -> None:
            writer.write_batch(conn, records)
            for (row, _article, _arrived), record in zip(read, records, strict=True):
                state.done_in(conn, row["url"], row["source"], record.doc_id, now)

        if records:
            writer._transaction(work)
        mine = {id(r) for r in records}
        moved = [r for r in settled if id(r) not in mine]
        if moved:
            writer._transaction(lambda conn: writer.write_batch(conn, moved))
        stats.link_seconds += time.perf_counter() - began
        for (row, _article, arrived), record in zip(read, records, strict=True):
            self._coming.discard(record.doc_id)
            stats.stored += 1
            stats.fresh.append(now - arrived)
            self._event(kind="article", source=row["source"], url=row["url"], text=record.title or record.doc_id)

    # ---------------------------------------------------------------- the loop
    async def run(self, *, once: bool = False, only: Iterable[str] | None = None,
                  stop: asyncio.Event | None = None) -> list[PassStats]:
        """Pass after pass, sleeping until the next source is due; `once`: a single pass (for cron)."""
        passes = []
        stop = stop or asyncio.Event()
        while True:
            passes.append(await self.run_pass(only))
            if once or stop.is_set():
                return passes
            wake = state.next_poll(self.store) or (time.time() + self.config.min_interval)
            try:
                await asyncio.wait_for(stop.wait(), max(1.0, wake - time.time()))
                return passes
            except TimeoutError:
                continue
