"""Running partitions: in this process, or on Dask workers (a scheduler address, or `local:N` for a LocalCluster).

Workers get the Settings and a Partition, never an nlp object: each builds its pipeline once, on its first task
(`extract_batch` keeps one extractor per process), and returns the partition's Records and Problems in order.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..config import Settings
from ..errors import InputError, Msg, NewsgraphError
from ..extract.pipeline import extract_batch
from ..ingest import Problem
from ..ingest.html import article_from_html
from ..link import Prepared, prepare
from ..records import Article, Record
from . import require
from .partition import Partition, read_partition

# one parse at a time per process: a worker started with several threads shares one spaCy pipeline
_LOCK = threading.Lock()
_LOCAL = re.compile(r"^local(?::(\d+))?$")
# A local cluster runs one CPU-bound task per core. Dask's defaults there cost about a tenth of a core per
# process, idle or not: each worker samples its task's stack every 10 ms (the dashboard's profile page), and
# every process wakes every 20 ms to check that its event loop is not blocked. On a machine whose cores are
# all workers, that is taken from spaCy. A cluster of your own keeps its own configuration.
LOCAL_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "500ms"}


def extract_partition(part: Partition, settings: Settings) -> list[tuple[Record, Prepared] | Problem]:
    """Read and extract one partition (the task a worker runs): in input order, its Problems and its Records,
    each with what linking it needs of it alone (`Linker.prepare`), so that the process that links does less."""
    items = read_partition(part, settings)
    articles = [a for a in items if isinstance(a, Article)]
    records: list[Record] = []
    with _LOCK:
        for i in range(0, len(articles), settings.batch_size):
            records.extend(extract_batch(articles[i:i + settings.batch_size], settings))
        made = iter(prepare(records, settings))
    return [next(made) if isinstance(item, Article) else item for item in items]


Page = tuple[str, bytes, str]  # (doc_id: the page's canonical URL, body, source)


def extract_pages(pages: list[Page], settings: Settings) -> list[tuple[Record, Prepared] | tuple[str, str]]:
    """Read and extract fetched pages (the task `newsgraph watch --dask` sends): for each page, in order, its
    Record with `Linker.prepare` of it, or (code, message) when it holds no article."""
    out: list[Any] = []
    articles: list[Article] = []
    for doc_id, body, source in pages:
        try:
            article = article_from_html(body, doc_id=doc_id, source=source, settings=settings, url=doc_id,
                                        kind="watch")
        except InputError as exc:
            out.append((exc.code, exc.text))
            continue
        out.append(None)
        articles.append(article)
    with _LOCK:
        records = extract_batch(articles, settings) if articles else []
        made = iter(prepare(records, settings))
    return [next(made) if item is None else item for item in out]


def read_articles(part: Partition, settings: Settings) -> list[Article | Problem]:
    """Read one partition without extracting it: what a resumed run needs to know of partitions already written
    (their URLs and texts, for de-duplication). The page markup stays on the worker."""
    items = read_partition(part, settings)
    for item in items:
        if isinstance(item, Article):
            item.html = None
    return items


Task = Callable[[Partition, Settings], list[Any]]


class LocalRunner:
    """Partitions run one after the other in this process (what `--format parquet` without `--dask` uses)."""

    dashboard_link: str | None = None
    workers = 1

    def map(self, tasks: Iterable[tuple[Task, Partition]], settings: Settings) -> Iterator[list[Any]]:
        for task, part in tasks:
            yield task(part, settings)


class DaskRunner:
    """Partitions submitted to a Dask cluster, a bounded window ahead, their results returned in input order."""

    def __init__(self, client: Any, window: int | None = None) -> None:
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))
        # enough queued work to keep every worker busy while the client links and writes, and no more: memory
        # stays flat however large the input
        self.window = window or 2 * self.workers + 2
        self.dashboard_link = getattr(client, "dashboard_link", None)

    def submit(self, task: Callable[..., Any], *args: Any, settings: Settings) -> Any:
        """One task on the cluster, `task(*args, settings)`, the settings sent to the workers once; a future."""
        if getattr(self, "_settings", (None,))[0] is not settings:
            self._settings = (settings, self.client.scatter(settings, broadcast=True, hash=False))
        return self.client.submit(task, *args, self._settings[1], pure=False)

    def map(self, tasks: Iterable[tuple[Task, Partition]], settings: Settings) -> Iterator[list[Any]]:
        pending: deque = deque()
        settings_future = self.client.scatter(settings, broadcast=True, hash=False)
        for task, part in tasks:
            pending.append(self.client.submit(task, part, settings_future, pure=False,
                                              key=f"newsgraph-{task.__name__}-{part.index}-{part.key[:12]}"))
            while len(pending) > self.window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def parse_address(value: str) -> tuple[str, int | None]:
    """`local:N` -> ("local", N); anything else is a scheduler address."""
    match = _LOCAL.match(value.strip())
    if match:
        n = int(match.group(1) or 0) or None
        return "local", n
    if not value.strip() or " " in value.strip():
        raise NewsgraphError(Msg.NG602, value=value)
    return value.strip(), None


@contextmanager
def dask_runner(address: str, *, dashboard: bool = True) -> Iterator[DaskRunner]:
    """A DaskRunner on the scheduler at `address`, or on a LocalCluster of N single-threaded worker processes."""
    where, n = parse_address(address)
    distributed = require("distributed", "--dask", "dask[distributed]")
    dask = require("dask", "--dask", "dask[distributed]")
    cluster = None
    try:
        if where == "local":
            # the workers take the configuration with them when they start; the scheduler and client read it now
            with dask.config.set(LOCAL_CONFIG):
                cluster = distributed.LocalCluster(
                    n_workers=n or 1, threads_per_worker=1, processes=True,
                    dashboard_address=":0" if dashboard else None, silence_logs=logging.ERROR)
                client = distributed.Client(cluster)
        else:
            client = distributed.Client(where, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise NewsgraphError(Msg.NG603, address=address, detail=exc) from exc
    try:
        if where != "local":
            # the workers must run this newsgraph: the scheduler reports their packages
            client.wait_for_workers(1, timeout=60)
        yield DaskRunner(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = ["LOCAL_CONFIG", "DaskRunner", "LocalRunner", "dask_runner", "extract_pages", "extract_partition",
           "parse_address", "read_articles"]
