"""API latency: p50/p95 of the search and entity pages over a store of N articles, loopback load generator.

    python benchmarks/api_latency.py --articles 10000 --db /tmp/bench.db \
        --source ../shared/eval/scale/allsides.jsonl [--requests 400 --concurrency 4]

Articles come from --source (JSONL with id/title/text; cycled, with a marker sentence appended, to reach
--articles) or are synthetic. Entities and quotes are made by cheap rules here (capitalised name pairs
near quote marks), not by the spaCy pipeline, so that a 10k store is built in a minute: the benchmark
measures the store and the API, not extraction. The server is `newsgraph serve` in its own process.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx

from newsgraph.link.ids import stable_id
from newsgraph.records import Entity, Quote, Record
from newsgraph.store import open_store

NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b")
QUOTE = re.compile(r"[\"“]([^\"“”]{20,300})[\"”]")
WORD = re.compile(r"[a-z]{5,}")
SYNTHETIC = ("council", "ferry", "harbour", "budget", "school", "election", "storm", "court", "hospital", "strike",
             "minister", "protest", "market", "river", "bridge", "energy", "police", "festival", "museum", "port")


def source_articles(path: Path | None, seed: int) -> Iterator[dict]:
    if path is None:
        rng = random.Random(seed)
        people = [f"{a} {b}" for a in ("Ana", "Sam", "Lena", "Omar", "Mei", "Ivan") for b in ("Ortiz", "Reed", "Silva", "Khan", "Li")]
        i = 0
        while True:
            words = " ".join(rng.choice(SYNTHETIC) for _ in range(400))
            who = rng.choice(people)
            text = f'{who} said "{" ".join(rng.choice(SYNTHETIC) for _ in range(12))}." {words}'
            yield {"id": f"syn-{i}", "title": " ".join(rng.choice(SYNTHETIC) for _ in range(6)).title(), "text": text}
            i += 1
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    copy = 0
    while True:
        for row in rows:
            if copy:
                row = {**row, "id": f"{row.get('id')}-{copy}", "text": row["text"] + f"\n\nReprint {copy}."}
            yield row
        copy += 1


def make_record(row: dict, n: int, rng: random.Random) -> Record:
    text = row["text"]
    entities: dict[str, Entity] = {}
    for m in NAME.finditer(text):
        name = m.group(1)
        entity = entities.get(name)
        if entity is None:
            if len(entities) >= 25:
                continue
            entity = entities[name] = Entity(id=stable_id("E", "PERSON", name), name=name, label="PERSON",
                                             roles=["spokesman"] if rng.random() < 0.1 else [])
        entity.mentions.append([m.start(), m.end()])
    quotes = []
    for m in QUOTE.finditer(text):
        before = [e for e in entities.values() if any(s < m.start() and m.start() - s < 300 for s, _ in e.mentions)]
        speaker = before[-1] if before else None
        quotes.append(Quote(text=m.group(1), start=m.start(1), end=m.end(1), direct=True,
                            speaker=speaker.name if speaker else None, speaker_id=speaker.id if speaker else None,
                            cue="said"))
    published = (date(2020, 1, 1) + timedelta(days=rng.randrange(1500))).isoformat()
    return Record(doc_id=str(row.get("id") or n), source="bench", title=row.get("title"), url=None,
                  outlet=row.get("source") or "bench", published=published, text=text,
                  entities=list(entities.values()), quotes=quotes, story_id=f"S{n // 6:05d}", tone=0.0)


def fill(db: str, articles: int, source: Path | None, seed: int) -> float:
    store = open_store(db)
    have = store.queries.counts()["articles"]
    started = time.perf_counter()
    rng = random.Random(seed)
    rows = source_articles(source, seed)
    for _ in range(have):
        next(rows)
    batch = 250
    n = have
    while n < articles:
        with store.engine.begin() as conn:
            for _ in range(min(batch, articles - n)):
                store.writer.write_in(conn, make_record(next(rows), n, rng))
                n += 1
        print(f"\rstored {n}/{articles}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets(db: str, rng: random.Random, n: int) -> dict[str, list[str]]:
    store = open_store(db, migrate=False)
    top = [e["id"] for e in store.queries.entities(limit=200)["items"]]
    some = [e["id"] for e in store.queries.entities(limit=200, offset=rng.randrange(0, 2000))["items"]] or top
    titles = [a["title"] or "" for a in store.queries.articles(limit=200, offset=rng.randrange(0, 1000))["items"]]
    store.close()
    words = [w for t in titles for w in WORD.findall(t.lower())] or list(SYNTHETIC)
    queries = [" ".join(rng.sample(words, k=rng.choice((1, 1, 2)))) for _ in range(n)]
    entities = [rng.choice(top if rng.random() < 0.5 else some) for _ in range(n)]
    return {
        "search (HTML)": [f"/search?q={q}" for q in queries],
        "search (API)": [f"/api/search?q={q}" for q in queries],
        "entity (HTML)": [f"/entities/{e}" for e in entities],
        "entity (API)": [f"/api/entities/{e}" for e in entities],
    }


def load(base: str, paths: list[str], concurrency: int) -> list[float]:
    def one(client: httpx.Client, path: str) -> float:
        started = time.perf_counter()
        response = client.get(base + path)
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000

    with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:
        for path in paths[:5]:  # warm up
            one(client, path)
        with ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(lambda p: one(client, p), paths))


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


@contextmanager
def serving(db: str) -> Iterator[str]:
    """`newsgraph serve` over `db` in its own process: its base URL once /healthz answers; stopped after."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", db, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/healthz", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/newsgraph-bench.db")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--source", type=Path, default=None, help="JSONL of articles (default: synthetic)")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here too")
    args = parser.parse_args()

    fill_seconds = fill(args.db, args.articles, args.source, args.seed)
    rng = random.Random(args.seed)
    plan = targets(args.db, rng, args.requests)
    with serving(args.db) as base:
        results = {}
        for name, paths in plan.items():
            ms = load(base, paths, args.concurrency)
            results[name] = {"requests": len(ms), "p50_ms": round(pct(ms, 50), 1), "p95_ms": round(pct(ms, 95), 1),
                             "max_ms": round(max(ms), 1)}
            print(f"{name:15s} n={len(ms):4d}  p50 {results[name]['p50_ms']:7.1f} ms  "
                  f"p95 {results[name]['p95_ms']:7.1f} ms  max {results[name]['max_ms']:7.1f} ms")
    store = open_store(args.db, migrate=False)
    report = {"articles": store.queries.counts(), "db": args.db.split("://")[0] if "://" in args.db else "sqlite",
              "concurrency": args.concurrency, "fill_seconds": round(fill_seconds, 1), "results": results,
              "python": platform.python_version(), "machine": platform.machine(),
              "versions": {m: __import__(m).__version__ for m in ("sqlalchemy", "fastapi", "uvicorn")}}
    store.close()
    ok = all(r["p95_ms"] < 200 for r in results.values())
    print(f"api_latency: {report['articles']['articles']} articles, p95 < 200 ms on every page: {'yes' if ok else 'NO'}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
