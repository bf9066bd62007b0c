"""A batch run: ingest -> extract -> link -> write, streaming, in input order, surviving bad inputs."""

from __future__ import annotations

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
from .link import Linker, Prepared, prepare
from .records import Article, Record
from .safe import dumps


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
                   extractor: ArticleExtractor | None) -> Iterator[tuple[Record, Prepared | None]]:
    extractor = extractor or ArticleExtractor(settings)
    for batch in batches:
        for record in extractor.extract_batch(batch):
            yield record, None  # linked here: nothing to prepare ahead


def _extract_prepared(batch: list[Article], settings: Settings) -> list[tuple[Record, Prepared]]:
    """A pool worker's task: extract, and do the part of linking that reads each record alone."""
    return prepare(extract_batch(batch, settings), settings)


def _extract_pool(batches: Iterable[list[Article]], settings: Settings) -> Iterator[tuple[Record, Prepared]]:
    # spawn, not fork: every worker builds its own pipeline from the settings, as Dask workers do
    context = multiprocessing.get_context("spawn")
    with context.Pool(settings.workers) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(_extract_prepared, (batch, settings)))
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
    linker = linker or Linker.from_settings(settings)  # `newsgraph ingest` passes one carrying on from the store

    def emit(record: Record) -> None:
        if out is not None:  # None: the caller keeps records through on_record (the store)
            out.write(dumps(record.to_dict()) + "\n")
            out.flush()  # an interrupted run keeps every record written so far
        summary.articles += 1
        summary.words += len(record.text.split())
        if on_record:
            on_record(record)

    try:
        for record, prepared in records:
            # a record is written once its story is settled, a few articles later (`[link.stories] lag`)
            for settled in linker.link(record, prepared):
                emit(settled)
    except KeyboardInterrupt:
        summary.interrupted = True
    # end of input, or interrupted: the records still undecided are written as they stand
    for settled in linker.flush():
        emit(settled)
    summary.seconds = time.perf_counter() - started
    return summary


# ---- the partitioned run (issue 7): extract on workers, then link and write here, in input order


class PartitionSink:
    """Where a partitioned run writes: each partition at once (all or nothing), so a restart can skip it."""

    def done(self, parts: list) -> set[str]:
        """Keys of the partitions among `parts` that an earlier run wrote completely."""
        return set()

    def restore(self, parts: list, linker: Linker) -> None:
        """Bring `linker` to where it stood after the done `parts` (in input order)."""

    def write(self, part, records: list[Record]) -> list[bool]:
        """Write one partition's linked records; says for each whether anything changed."""
        return [True] * len(records)

    def close(self) -> None:
        pass


PAUSE_ENV = "NEWSGRAPH_TEST_PAUSE_AFTER"


def _pause_for_tests(written: int, notify: Callable[[str], None] | None) -> None:
    """NEWSGRAPH_TEST_PAUSE_AFTER=K: stop (sleeping, until killed) once K partitions are written, so that a test
    can kill the run at a known point."""
    import os

    limit = os.environ.get(PAUSE_ENV)
    if limit and written == int(limit):
        if notify:
            notify(f"paused after {written} partitions ({PAUSE_ENV})")
        while True:
            time.sleep(3600)


def run_partitioned(inputs: Iterable[str], settings: Settings, runner, *,
                    out: TextIO | None = None, sink: PartitionSink | None = None,
                    partition_size: int | None = None,
                    on_problem: Callable[[Problem], None] | None = None,
                    on_record: Callable[[Record, bool], None] | None = None,
                    on_plan: Callable[[list], None] | None = None,
                    on_partition: Callable[[object, int], None] | None = None,
                    on_notice: Callable[[str], None] | None = None,
                    linker: Linker | None = None, skip: Iterable[Path] = (),
                    is_known: Callable[[Record], bool] | None = None) -> Summary:
    """`run_extract` with its inputs cut into partitions that `runner` extracts (Dask workers, or this process).

    Reading, parsing and extraction happen per partition; what needs the whole run happens here, record by record
    in input order, as the single-process run does it: de-duplication and unique doc_ids, `is_known`, linking.
    So the records equal those of `run_extract` on the same inputs. Partitions the sink already holds are only
    read again (for de-duplication), not extracted; the linker is restored by the sink.
    """
    from .ingest import Deduper
    from .scale.dask_run import extract_partition, read_articles
    from .scale.partition import plan, with_data

    summary = Summary()
    started = time.perf_counter()
    sink = sink or PartitionSink()
    linker = linker or Linker.from_settings(settings)

    def problem(p: Problem) -> None:
        (summary.failed if p.fatal else summary.notices).append(p)
        if on_problem:
            on_problem(p)

    items = plan(inputs, partition_size or settings.partition_size, skip, max_bytes=settings.max_bytes)
    parts = [p for p in items if not isinstance(p, Problem)]
    done = sink.done(parts)
    if on_plan:
        on_plan(parts)
    sink.restore([p for p in parts if p.key in done], linker)
    dedupe = Deduper()
    # gzipped JSONL slices get their lines on the way out, read in one pass here (a generator: a window at a time)
    tasks = ((read_articles if p.key in done else extract_partition, p) for p in with_data(parts))
    results = runner.map(tasks, settings)
    written = 0
    try:
        for item in items:
            if isinstance(item, Problem):
                problem(item)
                continue
            found = next(results)
            if item.key in done:  # written by an earlier run: its articles count for de-duplication only
                for article in found:
                    if isinstance(article, Article) and not (settings.dedupe and dedupe.check(article)):
                        dedupe.unique_id(article)
                if on_partition:
                    on_partition(item, 0)
                continue
            records: list[Record] = []
            for extracted in found:
                if isinstance(extracted, Problem):
                    problem(extracted)
                    continue
                record, prepared = extracted
                if settings.dedupe:
                    duplicate = dedupe.check(record)  # type: ignore[arg-type] - reads doc_id, url, text, source
                    if duplicate is not None:
                        problem(duplicate)
                        continue
                dedupe.unique_id(record)  # type: ignore[arg-type]
                if is_known is not None and is_known(record):
                    continue
                records.extend(linker.link(record, prepared))
            # a partition is written whole (and marked done) in one go: its stories settle at its end
            records.extend(linker.flush())
            changed = sink.write(item, records)
            for record, was_changed in zip(records, changed, strict=True):
                if out is not None:
                    out.write(dumps(record.to_dict()) + "\n")
                summary.articles += 1
                summary.words += len(record.text.split())
                if on_record:
                    on_record(record, was_changed)
            if out is not None:
                out.flush()
            written += 1
            if on_partition:
                on_partition(item, len(records))
            _pause_for_tests(written, on_notice)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        close = getattr(results, "close", None)
        if close:
            close()
    summary.seconds = time.perf_counter() - started
    return summary
