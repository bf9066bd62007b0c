"""Throughput: raw spaCy `nlp.pipe` against `newsgraph extract`, on the same articles, in the same run.

    python benchmarks/throughput.py [--n 300] [--repeat 2] [--workers 1] [--shared ../shared]

Each side first runs in its own process (so peak RSS belongs to it; model loading is printed apart),
alternating, best of --repeat. The ratio printed last comes from one more process where both sides
take turns every --chunk articles: on a shared virtual machine whose speed drifts, only turns that
short make the drift fall on both sides alike. Both ratios are printed.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _raw_spacy(path: str, batch_size: int, queue) -> None:
    import spacy

    from newsgraph.config import load_settings

    settings = load_settings(environ={})
    t0 = time.perf_counter()
    nlp = spacy.load(settings.resolved_model())
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = 0
    with open(path, encoding="utf-8") as fh:
        texts = (json.loads(line)["text"] for line in fh)
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            n += 1
    queue.put({"seconds": time.perf_counter() - t0, "load": load, "articles": n, "rss_mb": _peak_rss_mb()})


class _NoLinking:
    """Hands each record straight back: --bare measures the foundation without the link stage."""

    def link(self, record):
        return [record]

    def flush(self):
        return []


def _newsgraph(path: str, batch_size: int, workers: int, bare: bool, queue) -> None:
    from newsgraph.batch import run_extract
    from newsgraph.config import load_settings
    from newsgraph.extract import ArticleExtractor

    settings = load_settings(environ={}, batch_size=batch_size, workers=workers)
    linker = None
    if bare:  # the foundation alone (issue 2): ingest, parse, write; no extractor, no cross-article linking
        settings.pipeline = []
        linker = _NoLinking()
    t0 = time.perf_counter()
    extractor = ArticleExtractor(settings) if workers == 1 else None
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        summary = run_extract([path], settings, out, extractor=extractor, linker=linker)
    queue.put({"seconds": time.perf_counter() - t0, "load": load, "articles": summary.articles,
               "rss_mb": _peak_rss_mb(), "failed": len(summary.failed)})


def _interleaved(path: str, batch_size: int, bare: bool, chunk: int, queue) -> None:
    """Raw spaCy and newsgraph in one process, alternating every `chunk` articles.

    A shared virtual machine's speed drifts by tens of percent within a minute; taking turns on small
    chunks makes the drift fall on both sides alike, so the ratio measures newsgraph, not the neighbours.
    newsgraph runs its whole path on each chunk (read, parse, extract, link with one linker for the whole
    run, write); raw spaCy reads the same lines and runs nlp.pipe.
    """
    import spacy

    from newsgraph.batch import run_extract
    from newsgraph.config import load_settings
    from newsgraph.extract import ArticleExtractor
    from newsgraph.link import Linker

    settings = load_settings(environ={}, batch_size=batch_size)
    if bare:
        settings.pipeline = []
    extractor = ArticleExtractor(settings)
    linker = _NoLinking() if bare else Linker.from_settings(settings)
    nlp = spacy.load(settings.resolved_model())
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    tmp = Path(tempfile.mkdtemp())
    chunks = []
    for i in range(0, len(lines), chunk):
        part = tmp / f"chunk{i:06d}.jsonl"
        part.write_text("".join(lines[i:i + chunk]), encoding="utf-8")
        chunks.append(part)
    raw_s = ng_s = 0.0
    articles = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        for n, part in enumerate(chunks):
            turns = [("raw", part), ("ours", part)]
            for side, chunk_file in (reversed(turns) if n % 2 else turns):
                t0 = time.perf_counter()
                if side == "raw":
                    with open(chunk_file, encoding="utf-8") as fh:
                        for _doc in nlp.pipe((json.loads(line)["text"] for line in fh), batch_size=batch_size):
                            pass
                    raw_s += time.perf_counter() - t0
                else:
                    summary = run_extract([str(chunk_file)], settings, out, extractor=extractor, linker=linker)
                    ng_s += time.perf_counter() - t0
                    articles += summary.articles
    for part in chunks:
        part.unlink()
    tmp.rmdir()
    queue.put({"raw_seconds": raw_s, "ng_seconds": ng_s, "articles": articles})


def _measure(target, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    proc = context.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    parser.add_argument("--n", type=int, default=300, help="first N articles of scale/allsides.jsonl")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=16, help="articles per turn in the interleaved run")
    parser.add_argument("--bare", action="store_true", help="the foundation alone: no extractor components and no cross-article linking")
    args = parser.parse_args(argv)

    source = Path(args.shared) / "eval" / "scale" / "allsides.jsonl"
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        words = 0
        with open(source, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= args.n:
                    break
                tmp.write(line)
                words += len(json.loads(line)["text"].split())
        path = tmp.name

    raw_runs, ng_runs = [], []
    for _ in range(args.repeat):
        raw_runs.append(_measure(_raw_spacy, path, args.batch_size))
        ng_runs.append(_measure(_newsgraph, path, args.batch_size, args.workers, args.bare))
    turns = _measure(_interleaved, path, args.batch_size, args.bare, args.chunk)
    Path(path).unlink()
    raw = min(raw_runs, key=lambda r: r["seconds"])
    ng = min(ng_runs, key=lambda r: r["seconds"])

    import spacy
    import trafilatura

    import newsgraph

    out = io.StringIO()
    print(f"articles {args.n} ({words} words), batch size {args.batch_size}, newsgraph workers {args.workers}, "
          f"best of {args.repeat}{', no extractors and no linking (--bare)' if args.bare else ''}", file=out)
    print(f"python {platform.python_version()}, spacy {spacy.__version__}, trafilatura {trafilatura.__version__}, "
          f"newsgraph {newsgraph.__version__}", file=out)
    for name, r in (("raw spaCy nlp.pipe", raw), ("newsgraph extract", ng)):
        print(f"{name:20s} {r['articles'] / r['seconds']:7.2f} articles/s {words / r['seconds']:9.0f} words/s "
              f"(model load {r['load']:.1f}s, peak RSS {r['rss_mb']:.0f} MB)", file=out)
    separate = raw["seconds"] / ng["seconds"]
    ratio = turns["raw_seconds"] / turns["ng_seconds"]
    print(f"separate processes (best of {args.repeat}): ratio {separate:.3f}", file=out)
    print(f"interleaved in one process, turns of {args.chunk} articles: raw spaCy {turns['raw_seconds']:.1f}s, "
          f"newsgraph {turns['ng_seconds']:.1f}s for {turns['articles']} articles", file=out)
    print(f"throughput: ratio={ratio:.3f} separate_ratio={separate:.3f} newsgraph_aps={ng['articles'] / ng['seconds']:.2f} "
          f"spacy_aps={raw['articles'] / raw['seconds']:.2f} peak_rss_mb={ng['rss_mb']:.0f}", file=out)
    sys.stdout.write(out.getvalue())
    return {"ratio": ratio, "separate_ratio": separate, "newsgraph": ng, "spacy": raw, "interleaved": turns}


if __name__ == "__main__":
    main()
