"""A `newsgraph ingest --dask` killed half-way (SIGKILL) and started again stores what an uninterrupted run does."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsgraph.batch import PAUSE_ENV
from newsgraph.store import open_store
from newsgraph.store.schema import entities, link_state, metadata, social_posts, stories
from newsgraph.store.writer import PARTITION_PREFIX

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
WAIT = 180  # seconds for a cluster to start and the model to load on a busy machine


def _ingest(url: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    # a session of its own, so that the kill reaches the Dask worker processes as a real crash would
    return subprocess.Popen([sys.executable, "-m", "newsgraph", "ingest", str(CORPUS), "--db", url, "--quiet",
                             "--dask", "local:1", "--partition-size", "2", *extra],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                            start_new_session=True)


def _wait_for(proc: subprocess.Popen, needle: str) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
    seen = []
    while True:
        try:
            line = lines.get(timeout=WAIT)
        except queue.Empty:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"no {needle!r} within {WAIT}s: {''.join(seen)}")
        seen.append(line)
        if needle in line:
            return "".join(seen)


def _content(url: str) -> dict:
    store = open_store(url, migrate=False)
    try:
        with store.engine.connect() as conn:
            counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in metadata.sorted_tables if t is not link_state}
            ents = sorted(tuple(r) for r in conn.execute(select(entities)))
            posts = sorted(json.dumps(dict(r._mapping), sort_keys=True) for r in conn.execute(select(social_posts)))
            story_rows = sorted(tuple(r) for r in conn.execute(select(stories)))
            marks = conn.execute(select(func.count()).select_from(link_state)
                                 .where(link_state.c.name.like(PARTITION_PREFIX + "%"))).scalar_one()
        records = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in store.queries.records())
    finally:
        store.close()
    return {"counts": counts, "entities": ents, "posts": posts, "stories": story_rows, "records": records,
            "marks": marks}


@pytest.mark.model
def test_resume_ingest_killed_half_way(pg_schemas, settings) -> None:
    from newsgraph.store.ingest import ingest

    killed, reference = pg_schemas(), pg_schemas()
    proc = _ingest(killed, env={PAUSE_ENV: "2"})
    try:
        _wait_for(proc, "paused after 2 partitions")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the client and its workers, mid-run
        proc.wait(timeout=60)
    half = _content(killed)
    assert half["marks"] == 2
    assert half["counts"]["articles"] == 3  # partitions 1 and 2: three good lines and a malformed one

    again = _ingest(killed)
    _, err = again.communicate(timeout=WAIT)
    assert again.returncode == 0, err

    # the uninterrupted single-machine run: plain `newsgraph ingest`, in this process
    store = open_store(reference)
    try:
        ingest([str(CORPUS)], settings, store)
    finally:
        store.close()
    resumed, expected = _content(killed), _content(reference)
    assert resumed["marks"] == 6 and expected["marks"] == 0
    for key in ("counts", "entities", "posts", "stories", "records"):
        assert resumed[key] == expected[key], key
    assert expected["counts"]["articles"] == 9
