"""API latency: p50/p95 of the search, entity, list, chart and graph pages over a store of N articles, loopback
load generator; and a CSV download of --csv-rows quotes, streamed in constant server memory.

    python benchmarks/api_latency.py --articles 10000 --db /tmp/bench.db \
        --source ../shared/eval/scale/allsides.jsonl [--requests 400 --concurrency 4] [--csv-rows 100000]

Articles come from --source (JSONL with id/title/text; cycled, with a marker sentence appended, to reach
--articles) or are synthetic. Entities and quotes are made by cheap rules here (capitalised name pairs
near quote marks), not by the spaCy pipeline, so that a 10k store is built in a minute: the benchmark
measures the store and the API, not extraction. The server is `newsgraph serve` in its own process.

The CSV check builds a second store (DB.csv.db) of synthetic articles with 10 quotes each, until it holds
--csv-rows quotes, then downloads /api/quotes.csv from it and from the main store while sampling the server's
resident memory: constant memory means the peak does not grow with the rows.
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
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

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
        **ui_targets(db, rng, n, entities),
    }


# the pages of issue 19 whose p95 must stay under UI_P95_MS: lists with filters and sorts, charts, graphs
UI_PAGES = ("lists (HTML)", "charts", "graphs (HTML)")
UI_P95_MS = 150


def ui_targets(db: str, rng: random.Random, n: int, entities: list[str]) -> dict[str, list[str]]:
    store = open_store(db, migrate=False)
    stories = [s["id"] for s in store.queries.stories(limit=200, offset=rng.randrange(0, 200))["items"]]
    stories = stories or [s["id"] for s in store.queries.stories(limit=200)["items"]]
    outlets = [o["outlet"] for o in store.queries.outlets(limit=50)] or ["bench"]
    store.close()

    def one_list() -> str:
        return rng.choice([
            f"/articles?sort={rng.choice(['newest', 'oldest', 'outlet', 'title'])}&offset={rng.randrange(0, 2000)}",
            f"/articles?outlet={quote(rng.choice(outlets))}&since=2021-01-01",
            f"/quotes?sort={rng.choice(['newest', 'oldest', 'speaker'])}&offset={rng.randrange(0, 2000)}",
            f"/quotes?speaker_id={rng.choice(entities)}&kind=direct",
            f"/stories?sort={rng.choice(['size', 'newest', 'oldest'])}&min_articles=2",
            f"/entities?sort={rng.choice(['articles', 'quotes', 'name'])}&label=PERSON",
            "/posts?sort=newest"])

    def one_chart() -> str:
        return rng.choice([f"/charts/story.svg?id={rng.choice(stories)}", f"/charts/person.svg?id={rng.choice(entities)}",
                           "/charts/outlets.svg", f"/charts/outlet.svg?name={quote(rng.choice(outlets))}",
                           f"/outlets/{quote(rng.choice(outlets), safe='')}"])

    def one_graph() -> str:
        return rng.choice([f"/stories/{rng.choice(stories)}/graph", f"/entities/{rng.choice(entities)}/graph"])

    return {"lists (HTML)": [one_list() for _ in range(n)], "charts": [one_chart() for _ in range(n)],
            "graphs (HTML)": [one_graph() for _ in range(n)]}


def fill_quotes(db: str, rows: int, seed: int) -> float:
    """A store of synthetic articles with 10 quotes each, until it holds `rows` quotes."""
    store = open_store(db)
    have = store.queries.counts()["quotes"]
    started = time.perf_counter()
    rng = random.Random(seed)
    n = store.queries.counts()["articles"]
    while have < rows:
        with store.engine.begin() as conn:
            for _ in range(250):
                parts, quotes = [], []
                for _k in range(10):
                    words = " ".join(rng.choice(SYNTHETIC) for _ in range(10))
                    start = sum(len(p) for p in parts) + len('Ana Ortiz said "')
                    parts.append(f'Ana Ortiz said "{words}." ')
                    quotes.append(Quote(text=words + ".", start=start, end=start + len(words) + 1, direct=True,
                                        speaker="Ana Ortiz", speaker_id="E_csv_ortiz", cue="said"))
                store.writer.write_in(conn, Record(
                    doc_id=f"csv-{n}", source="bench", title=f"Quotes {n}", url=None, outlet="bench",
                    published=(date(2020, 1, 1) + timedelta(days=n % 1500)).isoformat(), text="".join(parts),
                    entities=[Entity(id="E_csv_ortiz", name="Ana Ortiz", label="PERSON", mentions=[[0, 9]])],
                    quotes=quotes, story_id=f"C{n // 50:05d}", tone=0.0))
                n += 1
                have += 10
        print(f"\rquotes {have}/{rows}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.close()
    return time.perf_counter() - started


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def csv_download(base: str, pid: int, path: str) -> dict:
    """Download a CSV, counting its rows, while sampling the server's resident memory every 20 ms."""
    before = rss_kb(pid)
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    started = time.perf_counter()
    lines = size = 0
    with httpx.stream("GET", base + path, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    done.set()
    watcher.join()
    return {"path": path, "rows": lines - 1, "mb": round(size / 1e6, 1),
            "seconds": round(time.perf_counter() - started, 1), "server_rss_before_mb": round(before / 1024, 1),
            "server_rss_peak_mb": round(peak[0] / 1024, 1)}


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
def serving(db: str, pids: list[int] | None = None) -> Iterator[str]:
    """`newsgraph serve` over `db` in its own process: its base URL once /healthz answers; stopped after. The
    server's process id is appended to `pids` when given."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", db, "--port", str(port)])
    if pids is not None:
        pids.append(server.pid)
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
    parser.add_argument("--csv-rows", type=int, default=100_000, help="quotes in the CSV store (0: no CSV check)")
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
    csv_runs = []
    if args.csv_rows:
        csv_db = args.db + ".csv.db"
        report["csv_fill_seconds"] = round(fill_quotes(csv_db, args.csv_rows, args.seed), 1)
        for db in (args.db, csv_db):
            pids: list[int] = []
            with serving(db, pids) as base:
                httpx.get(base + "/api/quotes?limit=1").raise_for_status()  # warm: the first request's imports
                csv_runs.append(csv_download(base, pids[0], "/api/quotes.csv"))
            run = csv_runs[-1]
            print(f"csv {run['rows']:7d} rows  {run['mb']:6.1f} MB  {run['seconds']:5.1f} s  server RSS "
                  f"{run['server_rss_before_mb']:.0f} -> peak {run['server_rss_peak_mb']:.0f} MB")
        report["csv"] = csv_runs
    ok = all(r["p95_ms"] < 200 for r in results.values())
    ui_ok = all(results[name]["p95_ms"] < UI_P95_MS for name in UI_PAGES)
    print(f"api_latency: {report['articles']['articles']} articles, p95 < 200 ms on every page: {'yes' if ok else 'NO'}"
          f"; p95 < {UI_P95_MS} ms on list, chart and graph pages: {'yes' if ui_ok else 'NO'}")
    if csv_runs:
        small, big = csv_runs[0], csv_runs[-1]
        growth = (big["server_rss_peak_mb"] - big["server_rss_before_mb"]) - (
            small["server_rss_peak_mb"] - small["server_rss_before_mb"])
        print(f"api_latency: CSV of {big['rows']} rows streamed; server peak memory grew {growth:+.0f} MB more "
              f"than for {small['rows']} rows")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
