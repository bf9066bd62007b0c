"""`newsgraph ingest`: the batch run (ingest -> extract -> link) writing each Record into a store."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..batch import PartitionSink, Summary, run_extract, run_partitioned
from ..config import Settings
from ..extract.pipeline import ArticleExtractor
from ..ingest import Problem
from ..link import Linker
from ..records import Article, Record
from . import Store

STATE_KEY = "linker"


def restore_linker(store: Store, settings: Settings | None = None) -> Linker:
    """A Linker that carries on where the store's earlier ingests stopped.

    A Linker that can serialise itself (`to_state()` / `from_state(state)`, JSON) is restored from the
    store's link_state table; otherwise the stored records are replayed through it in ingest order, so that
    new articles join existing stories and identities either way.
    """
    linker = Linker() if settings is None else Linker.from_settings(settings)
    state = store.load_state(STATE_KEY)
    if state is not None and hasattr(linker, "from_state"):
        linker.from_state(state)
        return linker
    for data in store.queries.records():
        linker.link(Record.from_dict(data))
    linker.flush()  # replayed records are stored already: only the state they leave matters
    return linker


def save_linker(store: Store, linker: Linker) -> None:
    if hasattr(linker, "to_state"):
        store.save_state(STATE_KEY, linker.to_state())


def ingest(inputs: Iterable[str], settings: Settings, store: Store, *,
           on_problem: Callable[[Problem], None] | None = None,
           on_record: Callable[[Record, bool], None] | None = None,
           extractor: ArticleExtractor | None = None,
           on_skip: Callable[[Article], None] | None = None) -> Summary:
    """Extract and link every article of `inputs`, writing each one (all its rows, one transaction) to `store`.

    Articles the store already holds unchanged are neither extracted nor linked again (`on_skip` hears of
    each); `on_record` gets every record written, or found unchanged after extraction.
    """
    linker = restore_linker(store, settings)

    def write(record: Record) -> None:
        changed = store.writer.write(record)
        if on_record:
            on_record(record, changed)

    def unchanged(article: Article) -> bool:
        if store.writer.holds(article):
            if on_skip:
                on_skip(article)
            return True
        return False

    summary = run_extract(inputs, settings, None, on_problem=on_problem, on_record=write,
                          extractor=extractor, linker=linker, is_known=unchanged)
    save_linker(store, linker)
    return summary


class StoreSink(PartitionSink):
    """A partitioned run's writes into a store: each partition's rows and its mark in one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def done(self, parts: list) -> set[str]:
        return self.store.writer.done_partitions(p.key for p in parts)

    def write(self, part, records: list[Record]) -> list[bool]:
        return self.store.writer.write_partition(part.key, records, {"index": part.index, "input": part.describe()})


def ingest_partitioned(inputs: Iterable[str], settings: Settings, store: Store, runner, *,
                       partition_size: int | None = None,
                       on_problem: Callable[[Problem], None] | None = None,
                       on_record: Callable[[Record, bool], None] | None = None,
                       on_skip: Callable[[Record], None] | None = None,
                       on_plan: Callable[[list], None] | None = None,
                       on_partition: Callable[[object, int], None] | None = None,
                       on_notice: Callable[[str], None] | None = None) -> Summary:
    """`ingest` with extraction on `runner` (Dask workers), resumable: partitions a killed run wrote whole are
    skipped, the one it was writing was rolled back and is done again; re-written articles are no-ops."""
    linker = restore_linker(store, settings)

    def unchanged(record: Record) -> bool:
        if store.writer.holds(record):
            if on_skip:
                on_skip(record)
            return True
        return False

    summary = run_partitioned(inputs, settings, runner, sink=StoreSink(store), partition_size=partition_size,
                              on_problem=on_problem, on_record=on_record, on_plan=on_plan,
                              on_partition=on_partition, on_notice=on_notice, linker=linker, is_known=unchanged)
    save_linker(store, linker)
    return summary
