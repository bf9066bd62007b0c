"""Story clustering on the three cluster dev sets: newsgraph beside a plain TF-IDF average-linkage baseline.

    python benchmarks/clusters.py [--out DIR] [--reuse] [--sets ecbplus-dev basil newswcl50]

Runs `newsgraph extract` on each set (or, with --reuse, re-links the records it wrote before, which
re-runs only the link step), scores the output with the shared scorer (`score.py clusters`), and in
the same run clusters the same inputs with the baseline: TF-IDF (English stop words, sublinear tf,
title + text) and average-linkage agglomerative clustering cut at cosine similarity 0.20.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval")
SETS = ["ecbplus-dev", "basil", "newswcl50"]
BASELINE_THRESHOLD = 0.20


def score(out: Path, gold: Path) -> str:
    result = subprocess.run([sys.executable, str(EVAL / "score.py"), "clusters", str(out), str(gold)],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def relink(extracted: Path, out: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.config import load_settings
    from newsgraph.link import Linker
    from newsgraph.records import Record

    linker = Linker.from_settings(load_settings())  # the [link] settings a run would use
    with extracted.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        def write(records: list[Record]) -> None:
            for record in records:
                dst.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")

        for line in src:
            record = Record.from_dict(json.loads(line))
            # a fresh run: every id is assigned again from the extracted (article-local) state
            record.story_id = None
            write(linker.link(record))  # records come back once their story is settled
        write(linker.flush())


def baseline(inputs: Path, out: Path) -> None:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = [json.loads(line) for line in inputs.open(encoding="utf-8")]
    texts = [(r.get("title") or "") + "\n" + r["text"] for r in rows]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=1.0 - BASELINE_THRESHOLD).fit_predict(matrix)
    with out.open("w", encoding="utf-8") as fh:
        for r, label in zip(rows, labels, strict=True):
            fh.write(json.dumps({"doc_id": r["id"], "story_id": f"B{label}"}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("/tmp/stories/bench"))
    parser.add_argument("--reuse", action="store_true", help="re-link DIR/SET.extract.jsonl instead of extracting")
    parser.add_argument("--sets", nargs="*", default=SETS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    newsgraph = ROOT / ".venv" / "bin" / "newsgraph"
    for name in args.sets:
        inputs, gold = EVAL / "clusters" / f"{name}.jsonl", EVAL / "clusters" / f"{name}.gold.jsonl"
        extracted, ours, base = (args.out / f"{name}.{kind}.jsonl" for kind in ("extract", "newsgraph", "baseline"))
        started = time.perf_counter()
        if args.reuse and extracted.exists():
            relink(extracted, ours)
        else:
            subprocess.run([str(newsgraph), "extract", str(inputs), "-o", str(extracted)], check=True,
                           stderr=subprocess.DEVNULL)
            ours.write_bytes(extracted.read_bytes())
        seconds = time.perf_counter() - started
        baseline(inputs, base)
        print(f"{name:12s} newsgraph ({seconds:5.1f}s) {score(ours, gold)}")
        print(f"{name:12s} baseline  tfidf-avg@{BASELINE_THRESHOLD:.2f} {score(base, gold)}")


if __name__ == "__main__":
    main()
