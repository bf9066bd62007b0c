"""Evaluation: run `newsgraph extract` on a shared evaluation set and score it with the shared scorer.

    python benchmarks/run.py MODE [--shared ../shared] [--out out/eval] [--check] [--allow-regression]

MODE is one of seeds, html, quotes, clusters, ner, dates, or all. Each prints the scorer's figures;
`--check` compares the summary figures with the floors pinned in benchmarks/baseline.json and exits 1
when one falls below its floor. `--allow-regression` rewrites the floors to the figures just measured
(use it only when a drop is understood and accepted, and say why in the commit message).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"

# mode -> list of (name, inputs relative to eval/, scorer mode, gold relative to eval/ or None)
SETS: dict[str, list[tuple[str, str, str, str | None]]] = {
    "seeds": [("seeds", "seeds", "seeds", None)],
    "html": [("html", "html/zyte", "html", "html/zyte.gold.json")],
    "quotes": [("quotes", "quotes/polnear-dev.jsonl", "quotes", "quotes/polnear-dev.gold.jsonl")],
    "clusters": [
        ("clusters-ecbplus", "clusters/ecbplus-dev.jsonl", "clusters", "clusters/ecbplus-dev.gold.jsonl"),
        ("clusters-basil", "clusters/basil.jsonl", "clusters", "clusters/basil.gold.jsonl"),
        ("clusters-newswcl50", "clusters/newswcl50.jsonl", "clusters", "clusters/newswcl50.gold.jsonl"),
    ],
    "ner": [("ner", "ner/conll2003-test.jsonl", "ner", "ner/conll2003-test.gold.jsonl")],
    "dates": [("dates", "dates/tbaq.jsonl", "dates", "dates/tbaq.gold.jsonl")],
}
SUMMARY = re.compile(r"^(\w+): (.*)$")


def run_set(name: str, inputs: str, mode: str, gold: str | None, shared: Path, out_dir: Path) -> dict[str, float]:
    eval_dir = shared / "eval"
    out = out_dir / f"{name}.jsonl"
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "newsgraph", "extract", str(eval_dir / inputs), "-o", str(out), "-q"]
    subprocess.run(cmd, check=True)
    score = [sys.executable, str(eval_dir / "score.py"), mode, str(out)] + ([str(eval_dir / gold)] if gold else [])
    text = subprocess.run(score, check=True, capture_output=True, text=True).stdout
    print(f"== {name}")
    print(text.rstrip())
    figures: dict[str, float] = {}
    for line in text.splitlines():
        m = SUMMARY.match(line)
        if m and m.group(1) == mode:
            figures = {k: float(v) for k, v in (kv.split("=") for kv in m.group(2).split())}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=[*SETS, "all"])
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    parser.add_argument("--out", default="out/eval")
    parser.add_argument("--check", action="store_true", help="fail when a figure is below its pinned floor")
    parser.add_argument("--allow-regression", action="store_true", help="re-pin the floors to these figures")
    args = parser.parse_args(argv)

    modes = list(SETS) if args.mode == "all" else [args.mode]
    results: dict[str, dict[str, float]] = {}
    for mode in modes:
        for name, inputs, score_mode, gold in SETS[mode]:
            results[name] = run_set(name, inputs, score_mode, gold, Path(args.shared), Path(args.out))

    floors = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    failed = []
    for name, figures in results.items():
        for key, floor in floors.get(name, {}).items():
            value = figures.get(key)
            if value is not None and value + 1e-9 < floor:
                failed.append(f"{name} {key}={value:.3f} is below its floor {floor:.3f}")
    if args.allow_regression:
        for name, figures in results.items():
            floors[name] = figures
        BASELINE.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
        print(f"floors re-pinned in {BASELINE}")
    elif failed:
        print("\n".join(failed))
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
