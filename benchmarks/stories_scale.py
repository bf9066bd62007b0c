"""Cost of the link step's story clustering as a run grows: per-article time at 1k, 10k and 50k articles.

    python benchmarks/stories_scale.py [--n 50000] [--per-day 200] [--input allsides.jsonl]

Replicates `shared/eval/scale/allsides.jsonl` (about 4,300 articles) until --n articles, giving each copy
new ids and dates shifted forward (--per-day articles a day, so the stream moves through time as a
real one does), and links them with newsgraph's Linker (no extraction: title, text and date only; given the output of an
extract run as --input, its records' entities too, so that cross-article identity is timed as well).
Prints, at each checkpoint, the mean link time per article over the last 1,000 articles (the marginal
cost, which must stay flat), the stories still active, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.config import load_settings  # noqa: E402
from newsgraph.link import Linker  # noqa: E402
from newsgraph.records import Entity, Record  # noqa: E402

DEFAULT_INPUT = Path("/work/shared/eval/scale/allsides.jsonl")
if (ROOT.parent / "shared" / "eval" / "scale" / "allsides.jsonl").exists():
    DEFAULT_INPUT = ROOT.parent / "shared" / "eval" / "scale" / "allsides.jsonl"
CHECKPOINTS = (1000, 10000, 50000)


def stream(rows: list[dict], n: int, per_day: int):
    start = date(2020, 1, 1)
    for i in range(n):
        row = rows[i % len(rows)]
        copy = i // len(rows)
        record = Record(doc_id=f"{row.get('id') or row.get('doc_id')}~{copy}", source="allsides",
                        title=row.get("title"), url=None, outlet=row.get("outlet"),
                        published=(start + timedelta(days=i // per_day)).isoformat(), text=row["text"])
        # an extract run's records (--input OUT.jsonl) bring their entities: identity linking is timed too
        for k, e in enumerate(row.get("entities") or []):
            record.entities.append(Entity(id=f"local:{k}", name=e["name"], label=e["label"],
                                          mentions=[list(m) for m in e.get("mentions") or []]))
        yield record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50000)
    parser.add_argument("--per-day", type=int, default=200)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    args = parser.parse_args()
    with args.input.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    linker = Linker.from_settings(load_settings())  # the [link] settings a run would use
    window: list[float] = []
    total = 0.0
    print(f"{len(rows)} source articles, replicated to {args.n}, {args.per_day} a day")
    print("articles  ms/article(last 1k)  ms/article(mean)  active_stories  postings  peak_rss_MB")
    settled = 0
    for i, record in enumerate(stream(rows, args.n, args.per_day), 1):
        t0 = time.perf_counter()
        settled += len(linker.link(record))  # stories settle with a short lag: records come back later
        dt = time.perf_counter() - t0
        total += dt
        window.append(dt)
        if len(window) > 1000:
            window.pop(0)
        if i in CHECKPOINTS or i == args.n:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            stories = linker.story_linker
            print(f"{i:8d}  {1000 * sum(window) / len(window):19.2f}  {1000 * total / i:16.2f}  "
                  f"{len(stories.active):14d}  {len(stories.postings):8d}  {rss:11.0f}", flush=True)

    settled += len(linker.flush())
    print(f"{settled} records settled of {args.n}")


if __name__ == "__main__":
    main()
