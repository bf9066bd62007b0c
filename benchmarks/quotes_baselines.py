"""Quotation baselines beside newsgraph, scored by the shared scorer on the same parses.

    python benchmarks/quotes_baselines.py [--shared ../shared] [--out out/quotes] [--limit N]

Parses PolNeAR dev once with the newsgraph pipeline, then writes three outputs in the contract's format
and scores each with `score.py quotes`:

- textacy: `textacy.extract.triples.direct_quotations` (the library a user would reach for);
- regex: a bare quote-mark regex with the nearest PERSON entity in the sentence as speaker;
- newsgraph: the `newsgraph_quotes` component.

It also times the quote component against the spaCy parse (the issue's budget is +15%).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUOTE = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d\n]{3,}?)[\"\u201c\u201d]")


def textacy_quotes(doc) -> list[dict]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # noqa: BLE001 - textacy gives up on some articles (odd number of quote marks)
        return out
    for t in triples:
        content = t.content
        start, end = content.start_char, content.end_char
        text = doc.text[start:end].strip("\"\u201c\u201d '")
        start = doc.text.find(text, start) if text else start
        spk = [[tok.idx, tok.idx + len(tok)] for tok in t.speaker]
        out.append({"text": text, "start": start, "end": start + len(text), "direct": True,
                    "speaker": " ".join(tok.text for tok in t.speaker) or None,
                    "speaker_span": [min(s for s, _ in spk), max(e for _, e in spk)] if spk else None,
                    "cue": " ".join(tok.text for tok in t.cue)})
    return out


def regex_quotes(doc) -> list[dict]:
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    out = []
    for m in QUOTE.finditer(doc.text):
        s, e = m.span(1)
        near = min(people, key=lambda p: min(abs(p.start_char - e), abs(p.end_char - s)), default=None)
        out.append({"text": m.group(1), "start": s, "end": e, "direct": True,
                    "speaker": near.text if near is not None else None,
                    "speaker_span": [near.start_char, near.end_char] if near is not None else None})
    return out


def score(shared: Path, out_path: Path, gold: Path) -> str:
    res = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "quotes", str(out_path), str(gold)],
                         capture_output=True, text=True, check=False)
    return res.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(HERE.parents[1] / "shared"))
    ap.add_argument("--out", default="out/quotes")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    shared, out_dir = Path(args.shared), Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = shared / "eval/quotes/polnear-dev.jsonl"
    gold = shared / "eval/quotes/polnear-dev.gold.jsonl"

    import spacy
    import textacy

    from newsgraph.config import load_settings
    from newsgraph.extract import build_nlp
    from newsgraph.records import Article

    settings = load_settings(environ={})
    nlp = build_nlp(settings)
    with open(texts, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    if args.limit:
        rows = rows[: args.limit]
    ours = [n for n in nlp.pipe_names if n.startswith("newsgraph_")]
    times: dict[str, float] = {}

    # the spaCy parse alone, then the newsgraph components that quotes needs, then quotes on top
    with nlp.select_pipes(disable=ours):
        t0 = time.perf_counter()
        docs = list(nlp.pipe([r["text"] for r in rows], batch_size=32))
        times["spacy parse"] = time.perf_counter() - t0
    for doc, row in zip(docs, rows, strict=True):
        doc._.article = Article(doc_id=row["id"], text=row["text"], source=str(texts))
    for name in ours:
        pipe = nlp.get_pipe(name)
        t0 = time.perf_counter()
        docs = [pipe(doc) for doc in docs]
        times[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    tx = [textacy_quotes(doc) for doc in docs]
    times["textacy direct_quotations"] = time.perf_counter() - t0

    from dataclasses import asdict

    outputs = {
        "newsgraph": [[asdict(q) for q in doc._.quotes or []] for doc in docs],
        "textacy": tx,
        "regex": [regex_quotes(doc) for doc in docs],
    }
    for name, quotes in outputs.items():
        path = out_dir / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row, qs in zip(rows, quotes, strict=True):
                fh.write(json.dumps({"doc_id": row["id"], "text": row["text"], "quotes": qs}) + "\n")
        print(f"== {name}")
        print(score(shared, path, gold), end="")
    parse = times["spacy parse"]
    print(f"== time on {len(rows)} articles (spaCy {spacy.__version__}, textacy {textacy.__version__})")
    for name, sec in times.items():
        print(f"{name:28s} {sec:7.2f}s  {100 * sec / parse:6.1f}% of the parse")


if __name__ == "__main__":
    main()
