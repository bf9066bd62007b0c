"""A batch run: ingest -> extract -> link -> write, streaming, in input order, surviving bad inputs."""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .config import Settings
from .extract.pipeline import ArticleExtractor, extract_batch
from .ingest import Problem, iter_articles
from .link import Linker
from .records import Article, Record


@dataclass
class Summary:
    """What a run did; printed at the end and written as JSON with --report."""

    articles: int = 0
    words: int = 0
    failed: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def to_dict(self) -> dict:
        return {
            "articles": self.articles,
            "words": self.words,
            "failed": [{"path": p.path, "reason": p.reason} for p in self.failed],
            "notices": [{"path": p.path, "reason": p.reason} for p in self.notices],
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
        }


def _batches(items: Iterable[Article | Problem], size: int, on_problem: Callable[[Problem], None]
             ) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        if isinstance(item, Problem):
            on_problem(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_local(batches: Iterable[list[Article]], settings: Settings,
                   extractor: ArticleExtractor | None) -> Iterator[Record]:
    extractor = extractor or ArticleExtractor(settings)
    for batch in batches:
        yield from extractor.extract_batch(batch)


def _extract_pool(batches: Iterable[list[Article]], settings: Settings) -> Iterator[Record]:
    # spawn, not fork: every worker builds its own pipeline from the settings, as Dask workers do
    context = multiprocessing.get_context("spawn")
    with context.Pool(settings.workers) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(extract_batch, (batch, settings)))
            # a bounded window keeps memory flat however many inputs there are
            while len(pending) > 2 * settings.workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def run_extract(inputs: Iterable[str], settings: Settings, out: TextIO | None, *,
                on_problem: Callable[[Problem], None] | None = None,
                on_record: Callable[[Record], None] | None = None,
                extractor: ArticleExtractor | None = None,
                linker: Linker | None = None, skip: Iterable[Path] = (),
                is_known: Callable[[Article], bool] | None = None) -> Summary:
    """Extract every article of `inputs` and write one JSON line per article to `out`, flushed each time."""
    summary = Summary()
    started = time.perf_counter()

    def problem(p: Problem) -> None:
        (summary.failed if p.fatal else summary.notices).append(p)
        if on_problem:
            on_problem(p)

    items: Iterable[Article | Problem] = iter_articles(inputs, settings, skip)
    if is_known is not None:  # e.g. articles a store already holds unchanged: not extracted again
        items = (a for a in items if isinstance(a, Problem) or not is_known(a))
    batches = _batches(items, settings.batch_size, problem)
    records = (_extract_pool(batches, settings) if settings.workers > 1
               else _extract_local(batches, settings, extractor))
    linker = linker or Linker()  # `newsgraph ingest` passes one that carries on from the store's state
    try:
        for record in records:
            linker.link(record)
            if out is not None:  # None: the caller keeps records through on_record (the store)
                out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                out.flush()  # an interrupted run keeps every record written so far
            summary.articles += 1
            summary.words += len(record.text.split())
            if on_record:
                on_record(record)
    except KeyboardInterrupt:
        summary.interrupted = True
    summary.seconds = time.perf_counter() - started
    return summary
