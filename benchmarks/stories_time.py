"""Stories in time: do stories hold together when a quarter of the articles lose their publication date?

    python benchmarks/stories_time.py [--limit N] [--out DIR] [--reuse]

Reads ../shared/eval/scale/allsides.jsonl (or its first N articles), withholds the `published` field of
every fourth article, runs `newsgraph extract` on the rest as given (with --reuse, re-links the records
it extracted before: stories are decided in linking), and prints:

- where the withheld articles' dates came back from (`published_source`: url, text) or that they stayed
  unknown, and how often a date that came back is the true one;
- the share of multi-article stories whose members' true dates lie more than 30 days apart, their count
  and the widest spans;
- that relative dates ("today", "Friday") in articles whose date stays unknown have null values.

The true date of an article is the `published` field of its input record (it agrees with the day in the
address wherever the address has one); the few records without one are left out of the span check.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clusters import relink  # noqa: E402  (the same re-linking of extracted records)

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval")
SPAN_DAYS = 30


def withhold(source: Path, inputs: Path, limit: int | None) -> dict[str, str | None]:
    """Write the input with every fourth article's date removed; return every article's true date."""
    truth: dict[str, str | None] = {}
    with source.open(encoding="utf-8") as src, inputs.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if limit is not None and i >= limit:
                break
            row = json.loads(line)
            truth[row["id"]] = row.get("published")
            if i % 4 == 3:
                row.pop("published", None)
                row["withheld"] = True
            dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    return truth


def report(linked: Path, truth: dict[str, str | None]) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.data import load_table
    from newsgraph.extract.dates import DateResolver

    resolver = DateResolver(load_table("date_words.json"), use_dateparser=False)
    records = [json.loads(line) for line in linked.open(encoding="utf-8")]
    withheld = [r for r in records if (r.get("meta") or {}).get("withheld")]
    sources = Counter(r.get("published_source") or "unknown" for r in withheld)
    right = Counter(r.get("published_source") for r in withheld
                    if r.get("published") and r["published"] == truth.get(r["doc_id"]))
    print(f"articles {len(records)}, dates withheld {len(withheld)}: back from "
          + ", ".join(f"{k} {v} ({right.get(k, 0)} exact)" for k, v in sorted(sources.items())))
    near = Counter(r.get("published_source") for r in withheld if r.get("published") and truth.get(r["doc_id"])
                   and abs((date.fromisoformat(r["published"]) - date.fromisoformat(truth[r["doc_id"]])).days)
                   <= SPAN_DAYS)
    print("  within 30 days of the true date: " + ", ".join(f"{k} {v}" for k, v in sorted(near.items())))
    members: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        members[r["story_id"]].append(r)
    multi = {sid: rs for sid, rs in members.items() if len(rs) > 1}
    spans = []
    for sid, rs in multi.items():
        days = sorted(date.fromisoformat(truth[r["doc_id"]]) for r in rs if truth.get(r["doc_id"]))
        span = (days[-1] - days[0]).days if len(days) > 1 else 0
        undated = sum(1 for r in rs if not r.get("published"))
        spans.append((span, sid, len(rs), undated, days[0].isoformat() if days else None,
                      days[-1].isoformat() if days else None, rs[0].get("title") or ""))
    wide = sorted((s for s in spans if s[0] > SPAN_DAYS), reverse=True)
    share = len(wide) / len(multi) if multi else 0.0
    print(f"stories {len(members)}, multi-article {len(multi)} "
          f"(holding {sum(len(rs) for rs in multi.values())} articles, "
          f"{sum(s[3] for s in spans)} of them undated)")
    print(f"multi-article stories whose true dates lie > {SPAN_DAYS} days apart: {len(wide)} "
          f"({share:.2%}; target <= 1%)")
    for span, sid, size, undated, first, last, title in (wide or sorted(spans, reverse=True))[:8]:
        print(f"  {span:5d} days  {size:3d} articles ({undated} undated)  {first} .. {last}  {sid}  {title[:60]}")
    relative = valued = 0
    for r in records:
        if r.get("published"):
            continue
        for d in r.get("dates") or []:
            if resolver.needs_anchor(d["text"]):
                relative += 1
                valued += d.get("value") is not None
    print(f"relative dates in articles whose date stays unknown: {relative}, with a value: {valued}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--out", type=Path, default=Path("/tmp/stories_time"))
    parser.add_argument("--reuse", action="store_true", help="re-link DIR/extract.jsonl instead of extracting")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    inputs, extracted, linked = (args.out / f"{n}.jsonl" for n in ("input", "extract", "linked"))
    truth = withhold(EVAL / "scale" / "allsides.jsonl", inputs, args.limit)
    if not (args.reuse and extracted.exists()):
        subprocess.run([str(ROOT / ".venv" / "bin" / "newsgraph"), "extract", str(inputs), "-o", str(extracted)],
                       check=True, stderr=subprocess.DEVNULL, env={**__import__("os").environ,
                                                                    "PYTHONPATH": str(ROOT / "src")})
    relink(extracted, linked)
    report(linked, truth)


if __name__ == "__main__":
    main()
