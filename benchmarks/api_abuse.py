"""The server under mixed load with costly searches (issue 21): 0 x 5xx and 0 resets, p95 printed.

    python benchmarks/api_abuse.py --articles 1000 --db /tmp/abuse.db \
        --source ../shared/eval/scale/allsides.jsonl [--requests 2000 --concurrency 20 --costly 30]

The store is built as benchmarks/api_latency.py builds it (cheap rules, no spaCy). The requests, shuffled:
entity pages (HTML and API), searches (HTML and API) of one or two words, article pages, and `--costly`
searches of 125 common words each. Every response is counted by status; a connection error is a reset.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from api_latency import fill, pct, serving, targets  # noqa: E402
from newsgraph.store import open_store  # noqa: E402

# common short words: 125 of them fit the 500 characters a query may have
COMMON = ["the", "of", "and", "to", "in", "a", "is", "for", "on", "as", "was", "by", "at", "he", "it", "his", "be",
          "an", "are", "but", "not", "had", "has", "its", "one", "new", "two", "out", "can", "who", "she", "her"]


def plan(db: str, total: int, costly: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    base = targets(db, rng, total)
    store = open_store(db, migrate=False)
    ids = [a["doc_id"] for a in store.queries.articles(limit=200)["items"]]
    store.close()
    paths = [f"/{'api/' if rng.random() < 0.5 else ''}articles/{quote(rng.choice(ids), safe='')}"
             for _ in range(total // 5)]
    for kind in base.values():
        paths += kind[: total // 5]
    rng.shuffle(paths)
    paths = paths[: total - costly]
    for _ in range(costly):
        words = " ".join(rng.choice(COMMON) for _ in range(125))
        words = words[:500].rsplit(" ", 1)[0] if len(words) > 500 else words
        paths.insert(rng.randrange(len(paths) + 1), f"/{'api/' if rng.random() < 0.5 else ''}search?q={quote(words)}")
    return paths


def run(base: str, paths: list[str], concurrency: int) -> tuple[Counter, list[float], list[float]]:
    statuses: Counter = Counter()
    ms: list[float] = []
    costly_ms: list[float] = []

    def one(client: httpx.Client, path: str) -> None:
        started = time.perf_counter()
        try:
            status = client.get(base + path).status_code
        except httpx.HTTPError as exc:
            status = f"reset ({type(exc).__name__})"
        took = (time.perf_counter() - started) * 1000
        statuses[status] += 1
        (costly_ms if len(path) > 300 else ms).append(took)

    with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client, \
            ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda p: one(client, p), paths))
    return statuses, ms, costly_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/newsgraph-abuse.db")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--costly", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    fill(args.db, args.articles, args.source, args.seed)
    paths = plan(args.db, args.requests, args.costly, args.seed)
    with serving(args.db) as base:
        started = time.perf_counter()
        statuses, ms, costly_ms = run(base, paths, args.concurrency)
        seconds = time.perf_counter() - started
    errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    resets = sum(n for s, n in statuses.items() if isinstance(s, str))
    print(f"api_abuse: {len(paths)} requests ({args.costly} costly searches of 125 words) at concurrency "
          f"{args.concurrency} on {args.articles} articles in {seconds:.1f}s: {errors} x 5xx, {resets} resets, "
          f"p50 {pct(ms, 50):.0f} ms, p95 {pct(ms, 95):.0f} ms, max {max(ms):.0f} ms; costly p95 "
          f"{pct(costly_ms, 95) if costly_ms else 0:.0f} ms; statuses {dict(sorted(statuses.items(), key=str))}")
    if errors or resets:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
