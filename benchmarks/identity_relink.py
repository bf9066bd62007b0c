"""Re-link the entities of saved `newsgraph extract` output, without extracting again, and score identity.

    python benchmarks/identity_relink.py EXTRACT.jsonl OUT.jsonl [--shared ../shared] [--xents GOLD]

Each record's entities are put back to their article-local state (local ids, the longest mention as the
name) and linked again by link/identity.py alone, so a change to cross-article identity is measured in
seconds instead of a new extraction. Prints `../shared/eval/identity.py` on OUT (and `score.py xents` with
--xents). Labels stay as the saved run voted them: re-extract to measure a change to extract/.
With --scale N it prints instead the per-article linking time at 1k, 10k, 25k and 50k articles (copies of the
saved records whose letters are shifted, so that each copy names new people): it must stay flat.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extract.entities import LOCAL_ID_PREFIX, name_tokens  # noqa: E402
from newsgraph.link.identity import IdentityLinker  # noqa: E402
from newsgraph.records import Record  # noqa: E402


def localise(record: Record) -> None:
    """The record's entities as extraction left them: local ids, the longest mention as the name."""
    mapping = {}
    for i, entity in enumerate(record.entities):
        spans = [(s, e) for s, e in entity.mentions if 0 <= s < e <= len(record.text)
                 and not record.text[s:e].startswith("@")]
        if spans:
            s, e = max(spans, key=lambda m: (len(name_tokens(record.text[m[0]:m[1]])), m[1] - m[0], -m[0]))
            entity.name = " ".join(record.text[s:e].split())
        local = f"{LOCAL_ID_PREFIX}{i}"
        mapping.setdefault(entity.id, local)
        entity.id = local
    for quote in (*record.quotes, *record.stances):
        quote.speaker_id = mapping.get(quote.speaker_id, quote.speaker_id)


def relink(extracted: Path, out: Path) -> float:
    """Seconds spent linking."""
    linker = IdentityLinker()
    records = []
    with extracted.open(encoding="utf-8") as src:
        for line in src:
            record = Record.from_dict(json.loads(line))
            localise(record)
            records.append(record)
    t0 = time.perf_counter()
    for record in records:
        linker.link(record)
    spent = time.perf_counter() - t0
    with out.open("w", encoding="utf-8") as dst:
        for record in records:
            dst.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    return spent


def _shifted(text: str, by: int) -> str:
    """The text with every letter moved `by` places in the alphabet: the same offsets and capitals, other names."""
    def move(c: str) -> str:
        if "a" <= c <= "z":
            return chr((ord(c) - 97 + by) % 26 + 97)
        if "A" <= c <= "Z":
            return chr((ord(c) - 65 + by) % 26 + 65)
        return c
    return "".join(move(c) for c in text) if by else text


def scale(extracted: Path, n: int) -> None:
    """Per-article identity linking time as a run grows to `n` articles (checkpoints 1k, 10k, 50k).

    The saved records are replicated; each copy's letters are shifted (offsets kept), so that every copy
    names new people and things and the linker's state grows as in a real run of that size.
    """
    base = []
    with extracted.open(encoding="utf-8") as src:
        for line in src:
            record = Record.from_dict(json.loads(line))
            localise(record)
            base.append(record.to_dict())
    linker = IdentityLinker()
    window: list[float] = []
    print("articles  ms/article(last 1k)  identities")
    for i in range(1, n + 1):
        row = dict(base[(i - 1) % len(base)])
        copy = (i - 1) // len(base)
        row["doc_id"] = f"{row['doc_id']}~{copy}"
        row["text"] = _shifted(row["text"], copy % 26)
        record = Record.from_dict(row)
        t0 = time.perf_counter()
        linker.link(record)
        window.append(time.perf_counter() - t0)
        if len(window) > 1000:
            window.pop(0)
        if i in (1000, 10000, 25000, 50000) or i == n:
            print(f"{i:8d}  {1000 * sum(window) / len(window):19.3f}  {len(linker.identities):10d}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("extracted", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--xents", type=Path, help="score.py xents against this gold file")
    parser.add_argument("--scale", type=int, help="time linking per article up to this many articles instead")
    args = parser.parse_args()
    if args.scale:
        scale(args.extracted, args.scale)
        return
    spent = relink(args.extracted, args.out)
    print(f"linked in {spent:.2f}s")
    evaldir = args.shared / "eval"
    if args.xents:
        subprocess.run([sys.executable, str(evaldir / "score.py"), "xents", str(args.out), str(args.xents)], check=True)
    else:
        subprocess.run([sys.executable, str(evaldir / "identity.py"), str(args.out)], check=True)


if __name__ == "__main__":
    main()
