"""NER on CoNLL-2003 test: plain spaCy entities against newsgraph's cleaned entities, in the same run.

    python benchmarks/ner_baseline.py [--shared ../shared] [--out /tmp/ner]

Both outputs are scored with the shared scorer (`score.py ner`); the baseline is the model's own
`doc.ents`, one mention each, with no newsgraph component; newsgraph's figure comes from
`newsgraph extract` on the same file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def plain_spacy(inp: Path, out: Path) -> None:
    import spacy

    from newsgraph.config import load_settings

    nlp = spacy.load(load_settings(environ={}).resolved_model())
    recs = [json.loads(line) for line in inp.open(encoding="utf-8") if line.strip()]
    with out.open("w", encoding="utf-8") as fh:
        for rec, doc in zip(recs, nlp.pipe((r["text"] for r in recs), batch_size=32), strict=True):
            ents = [{"label": e.label_, "mentions": [[e.start_char, e.end_char]]} for e in doc.ents]
            fh.write(json.dumps({"doc_id": rec["id"], "entities": ents}) + "\n")


def score(scorer: Path, out: Path, gold: Path) -> str:
    res = subprocess.run([sys.executable, str(scorer), "ner", str(out), str(gold)], capture_output=True, text=True,
                         check=True)
    return res.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--out", default="/tmp/newsgraph-ner")
    args = ap.parse_args()
    eval_dir = Path(args.shared) / "eval"
    inp, gold = eval_dir / "ner/conll2003-test.jsonl", eval_dir / "ner/conll2003-test.gold.jsonl"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plain_spacy(inp, out / "spacy.jsonl")
    subprocess.run([sys.executable, "-m", "newsgraph", "extract", str(inp), "-o", str(out / "newsgraph.jsonl")],
                   check=True)
    print("plain spaCy  ", score(eval_dir / "score.py", out / "spacy.jsonl", gold))
    print("newsgraph    ", score(eval_dir / "score.py", out / "newsgraph.jsonl", gold))


if __name__ == "__main__":
    main()
