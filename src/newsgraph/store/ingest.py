"""`newsgraph ingest`: the batch run (ingest -> extract -> link) writing each Record into a store."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..batch import PartitionSink, Summary, run_extract, run_partitioned
from ..config import Settings
from ..extract.pipeline import ArticleExtractor
from ..ingest import Problem
from ..records import Article, Record
from . import Store
from .linkstate import StoreLinker


def restore_linker(store: Store, settings: Settings | None = None, *, checkpoints: bool = True,
                   on_notice: Callable[[str], None] | None = None) -> StoreLinker:
    """A linker that carries on where the store's earlier ingests stopped: the snapshot the last one saved,
    plus the records stored after it, replayed in ingest order (all of them when there is no usable snapshot:
    a store of an older version, other link settings). See store/linkstate.py."""
    return StoreLinker(store, settings, checkpoints=checkpoints, on_notice=on_notice)


def save_linker(store: Store, linker: StoreLinker) -> None:
    """Checkpoint: the undecided records as they stand and the snapshot, in one transaction."""
    linker.checkpoint(force=True)


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
        if linker.stored_early(record):  # a checkpoint stored it while its story was still open
            changed = True
            store.writer.written += 1
            store.writer.skipped -= 1
        if on_record:
            on_record(record, changed)

    def unchanged(article: Article) -> bool:
        if store.writer.holds(article):
            if on_skip:
                on_skip(article)
            return True
        return False

    summary = run_extract(inputs, settings, None, on_problem=on_problem, on_record=write,
                          extractor=extractor, linker=linker, is_known=unchanged)  # type: ignore[arg-type]
    return summary  # the run's last flush saved the linker (StoreLinker.flush)


class StoreSink(PartitionSink):
    """A partitioned run's writes into a store: each partition's rows and its mark in one transaction."""

    def __init__(self, store: Store, linker: StoreLinker | None = None) -> None:
        self.store = store
        self.linker = linker

    def done(self, parts: list) -> set[str]:
        return self.store.writer.done_partitions(p.key for p in parts)

    def write(self, part, records: list[Record]) -> list[bool]:
        # the linker's snapshot is saved with the partition: after a kill -9 both are there, or neither
        return self.store.writer.write_partition(part.key, records, {"index": part.index, "input": part.describe()},
                                                 also=self.linker.save_in if self.linker else None)


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
    # no checkpoints of its own: each partition ends with a flush, and its transaction saves the snapshot
    linker = restore_linker(store, settings, checkpoints=False, on_notice=on_notice)

    def unchanged(record: Record) -> bool:
        if store.writer.holds(record):
            if on_skip:
                on_skip(record)
            return True
        return False

    summary = run_partitioned(inputs, settings, runner, sink=StoreSink(store, linker), partition_size=partition_size,
                              on_problem=on_problem, on_record=on_record, on_plan=on_plan,
                              on_partition=on_partition, on_notice=on_notice, linker=linker,  # type: ignore[arg-type]
                              is_known=unchanged)
    return summary
