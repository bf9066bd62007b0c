"""Train the attribution-frame model, src/newsgraph/data/cue_frame_model.tsv, on PolNeAR train.

    python benchmarks/quotes_frames.py ../shared/eval/quotes/polnear-train.jsonl \\
        ../shared/eval/quotes/polnear-train.gold.jsonl [--C 0.5] [--min-count 3] [--hold-out 5 --fold 0]

Every frame the extractor weighs (a verb's or noun's dependent that may hold reported content, see
src/newsgraph/extract/frames.py) is a training example, labelled by whether its content matches an annotated
attribution content (Dice >= 0.5, the scorer's rule) that the rules and quote marks do not find. The frames the
cue table settles alone, and those repeating a quotation already found, are left out: the model decides what to
add to the rules. Feature weights of a logistic regression are written; no corpus text is kept.

`--hold-out K --fold F` trains on the documents outside fold F of K and writes their ids to `--fold-ids`, so
that the threshold can be chosen by running `newsgraph extract` on the held-out fold (never on dev).
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections import Counter
from pathlib import Path

from newsgraph.config import load_settings
from newsgraph.extract.pipeline import ArticleExtractor
from newsgraph.ingest import iter_articles
from newsgraph.records import Article

OUT = Path(__file__).resolve().parents[1] / "src/newsgraph/data/cue_frame_model.tsv"
HEADER = ("# newsgraph: weights of the attribution-frame model (logistic regression over parse features, see "
          "extract/frames.py), learned from PolNeAR train (Newell et al. 2018); weights only, no corpus text. "
          "Built by benchmarks/quotes_frames.py\n")


def dice(a: set[int], b: set[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def examples(texts: str, gold_path: str) -> list[tuple[str, list[str], int, int]]:
    """(doc id, features, content label, content-and-speaker label) of every frame the model weighs."""
    settings = load_settings()
    extractor = ArticleExtractor(settings)
    nlp = extractor.nlp
    quotes = nlp.get_pipe("newsgraph_quotes")
    with open(gold_path, encoding="utf-8") as fh:
        gold = {g["id"]: g for g in map(json.loads, fh)}
    articles = [a for a in iter_articles([texts], settings) if isinstance(a, Article)]
    out = []
    quotes.model = None  # what the rules and quote marks find alone: the model is to add to it
    for article, doc in zip(articles, nlp.pipe((extractor._doc(a) for a in articles), batch_size=16), strict=True):
        attributions = gold[article.doc_id]["attributions"]
        contents = [set().union(*(range(s, e) for s, e in a["content"])) for a in attributions]
        resolver = quotes.attribution.resolver(doc, doc._.entities or [])
        found = [set().union(*(range(s, e) for s, e in (q.spans or [[q.start, q.end]])))
                 for q in doc._.quotes if q.start is not None]
        left = [n for n, g in enumerate(contents) if max((dice(g, f) for f in found), default=0.0) < 0.5]
        for t in doc:
            if t.pos_ not in ("VERB", "AUX", "NOUN"):
                continue
            for rel, toks, ruled in quotes.reported.frames(t):
                if ruled:
                    continue
                span = set(range(toks[0].idx, toks[-1].idx + len(toks[-1])))
                if max((dice(span, f) for f in found), default=0.0) >= 0.5:
                    continue  # the extractor drops a frame repeating what was found
                best, n = max(((dice(contents[n], span), n) for n in left), default=(0.0, -1))
                source = attributions[n]["source"] if best >= 0.5 else None
                spk = quotes.attribution.speaker_of(t, resolver)
                right = (not source and spk is None) or bool(
                    source and spk is not None and any(max(s, spk.span[0]) < min(e, spk.span[1]) for s, e in source))
                out.append((article.doc_id, quotes.reported.frame_features(t, rel, toks), int(best >= 0.5),
                            int(best >= 0.5 and right)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts")
    ap.add_argument("gold")
    ap.add_argument("--C", type=float, default=0.5, help="inverse L2 strength")
    ap.add_argument("--min-count", type=int, default=3, help="features seen fewer times are dropped")
    ap.add_argument("--hold-out", type=int, default=0, help="number of folds (0: train on everything)")
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--fold-ids", default="out/frames-fold.txt")
    ap.add_argument("--label", choices=["content", "speaker"], default="speaker",
                    help="a frame is right when its content matches, or when its speaker does too")
    ap.add_argument("--cache", default="", help="pickle of the examples, reused when it exists")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    from sklearn.feature_extraction import DictVectorizer  # training only: not a dependency of the package
    from sklearn.linear_model import LogisticRegression

    if args.cache and Path(args.cache).exists():
        data = pickle.loads(Path(args.cache).read_bytes())
    else:
        data = examples(args.texts, args.gold)
        if args.cache:
            Path(args.cache).write_bytes(pickle.dumps(data))
    ids = sorted({row[0] for row in data})
    held = set(ids[args.fold::args.hold_out]) if args.hold_out else set()
    if held:
        Path(args.fold_ids).parent.mkdir(parents=True, exist_ok=True)
        Path(args.fold_ids).write_text("\n".join(sorted(held)) + "\n")
    column = 3 if args.label == "speaker" else 2
    train = [(row[1], row[column]) for row in data if row[0] not in held]
    counts = Counter(f for feats, _ in train for f in feats)
    keep = {f for f, n in counts.items() if n >= args.min_count and '"' not in f and "\t" not in f}
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats if f in keep and f != "bias"} for feats, _ in train])
    y = [label for _, label in train]
    model = LogisticRegression(C=args.C, max_iter=2000)
    model.fit(x, y)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
    weights["bias"] = float(model.intercept_[0])
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("feature\tweight\n")
        for name, w in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
            if abs(w) >= 1e-3:
                fh.write(f"{name}\t{w:.4f}\n")
    pos = sum(y)
    print(f"{len(train)} frames ({pos} content) from {len(ids) - len(held)} documents; "
          f"{len(weights)} features; written to {args.out}")


if __name__ == "__main__":
    main()
