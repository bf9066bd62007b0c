"""Ingesting one article into a store of N articles vs into an empty store (issue 20, item 6): `newsgraph ingest`
restores the linker's snapshot instead of replaying the store, so the two should cost about the same.

    python benchmarks/ingest_incremental.py --records records.jsonl --probe articles.jsonl --articles 10000

`--records` are records made by `newsgraph extract` (a few hundred real articles: extracting 10,000 takes hours
on a small machine). The big store is made of synthetic variants of them, as many as `--articles`: variant k
of a record has its own doc_id, a date k x 9 days later (so variants fall into stories of their own rather
than one giant story) and a closing sentence of made-up words of its own (so the vocabulary, the
document-frequency table and the copy index grow as with new articles); entities, quotes and posts are the
record's. The variants are linked in order by one Linker and written in batches, then the snapshot is saved:
the store an ingest of those N articles would leave, built in minutes instead of hours.

The probe is the first article of `--probe` (one not among the records), ingested by the real command in a
fresh process (model load included, as a user runs it) into a copy of the big store and into an empty store,
`--repeat` times each; the medians are printed with their ratio (goal: at most 1.2).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from newsgraph.link import Linker
from newsgraph.records import Record
from newsgraph.store import linkstate, open_store

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "ze", "pa", "du", "ri", "ko", "be", "lu"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3))


def variants(records: list[Record], n: int, seed: int = 1) -> list[Record]:
    """`n` records: the originals, then variant 1 of each, variant 2, ... (see the module docstring)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        k, base = divmod(i, len(records))
        record = copy.deepcopy(records[base])
        if k:
            record.doc_id = f"{record.doc_id}~{k}"
            if record.published:
                with contextlib.suppress(ValueError):
                    record.published = (date.fromisoformat(record.published[:10]) + timedelta(days=9 * k)).isoformat()
            record.text = record.text + "\n\n" + " ".join(_word(rng) for _ in range(12)).capitalize() + "."
        out.append(record)
    return out


def build(path: Path, records: list[Record], batch: int = 500) -> float:
    """The store an ingest of `records` leaves: linked in order, written in batches, snapshot saved."""
    started = time.perf_counter()
    store = open_store(path)
    linker = Linker()
    settled: list[Record] = []

    def write(chunk: list[Record]) -> None:
        store.writer._transaction(lambda conn: store.writer.write_batch(conn, chunk))

    for record in records:
        settled.extend(linker.link(record))
        if len(settled) >= batch:
            write(settled)
            settled = []
    pending = [item.record for item in linker.story_linker.pending]
    write(settled + pending)  # as a checkpoint leaves them: written as they stand, still undecided

    def save(conn) -> None:
        linkstate.save_in(conn, linker, linkstate.top_article(conn))

    store.writer._transaction(save)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return time.perf_counter() - started


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ingest_once(db: Path, probe: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one `newsgraph ingest` process. On a shared machine the CPU
    seconds vary less: they leave out the time the process waited for a core."""
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-m", "newsgraph", "ingest", str(probe), "--db", str(db), "--quiet"], check=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True, help="records of `newsgraph extract` (JSONL)")
    parser.add_argument("--probe", type=Path, required=True, help="articles (JSONL); the first is ingested")
    parser.add_argument("--articles", type=int, default=10000, help="articles in the big store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="folder for the stores (default: a temp one)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="ng-incremental-"))
    work.mkdir(parents=True, exist_ok=True)
    records = [Record.from_dict(json.loads(line)) for line in args.records.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    probe = work / "probe.jsonl"
    probe.write_text(args.probe.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    big = work / f"big-{args.articles}.db"
    if not big.exists():
        seconds = build(big, variants(records, args.articles))
        print(f"built a store of {args.articles} articles ({len(records)} extracted records and variants) "
              f"in {seconds:.0f}s")
    store = open_store(big)
    meta = linkstate.read_meta(store)
    store.close()
    print(f"snapshot: {meta['bytes'] / 1e6:.1f} MB, position {meta['position']}")

    into_big, into_empty = [], []
    for _ in range(args.repeat):
        copy_db = work / "copy.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy_db) + suffix).unlink(missing_ok=True)
        shutil.copyfile(big, copy_db)
        into_big.append(ingest_once(copy_db, probe))
        empty = work / "empty.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(empty) + suffix).unlink(missing_ok=True)
        into_empty.append(ingest_once(empty, probe))
    for what, index in (("wall", 0), ("cpu", 1)):
        big_s = statistics.median(t[index] for t in into_big)
        empty_s = statistics.median(t[index] for t in into_empty)
        print(f"one article into a store of {args.articles} articles: {big_s:.2f}s {what} (median of {args.repeat}: "
              + ", ".join(f"{t[index]:.2f}" for t in into_big) + ")")
        print(f"one article into an empty store: {empty_s:.2f}s {what} (median of {args.repeat}: "
              + ", ".join(f"{t[index]:.2f}" for t in into_empty) + ")")
        print(f"ratio ({what}): {big_s / empty_s:.2f}x (goal: at most 1.2x)")


if __name__ == "__main__":
    main()
