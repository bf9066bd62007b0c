"""Syndicated copies: MinHash LSH near-duplicates point at their original."""

from __future__ import annotations

from newsgraph.link.dedup import DedupConfig, DuplicateLinker
from newsgraph.records import Record

WIRE = ("Officials in the river town of Marlow said on Tuesday that the flood barrier held overnight, "
        "sparing the old market square, while volunteers filled sandbags along the eastern bank and the "
        "mayor asked residents of low streets to move cars to higher ground before the next high tide. "
        "Forecasters expect the water to fall by Thursday if no more rain arrives from the hills.")


def rec(doc_id: str, text: str) -> Record:
    return Record(doc_id=doc_id, source="t", title=None, url=None, outlet=None, published=None, text=text)


def test_dedup_copy_points_at_the_original() -> None:
    linker = DuplicateLinker()
    a, b, c = rec("a", WIRE), rec("b", WIRE + " Reporting by a staff writer."), rec("c", WIRE)
    for r in (a, b, c):
        linker.link(r)
    assert "duplicate_of" not in a.meta
    assert b.meta["duplicate_of"] == "a" and b.meta["duplicate_similarity"] >= 0.8
    assert c.meta["duplicate_of"] == "a"  # a copy of a copy names the first


def test_dedup_different_text_and_short_text_are_not_copies() -> None:
    linker = DuplicateLinker()
    other = rec("b", " ".join(reversed(WIRE.split())))
    short = rec("c", "Flood barrier held.")
    for r in (rec("a", WIRE), other, short, rec("d", "Flood barrier held.")):
        linker.link(r)
    assert "duplicate_of" not in other.meta and "duplicate_of" not in short.meta


def test_dedup_window_is_bounded() -> None:
    linker = DuplicateLinker(DedupConfig(window=2))
    for i in range(5):
        linker.link(rec(str(i), f"{i} " + WIRE.replace("Marlow", f"Marlow{i}") * (i + 1)))
    assert len(linker.hashes) == 2 and len(linker.order) == 2


def test_dedup_finds_copies_near_the_threshold() -> None:
    # light rewrites at shingle Jaccard 0.86: the LSH bands must propose (nearly) every one, not one in three
    words = (WIRE + " " + WIRE.replace("Marlow", "Penrith")).split()
    linker = DuplicateLinker(DedupConfig(threshold=0.8))
    linker.link(rec("orig", " ".join(words)))
    found = 0
    for i in range(20):
        copy = words[:]
        for cut in (100 - i, 30 + i):  # two one-word cuts: shingle Jaccard 0.86
            del copy[cut]
        r = rec(f"copy{i}", " ".join(copy))
        linker.link(r)
        found += r.meta.get("duplicate_of") == "orig"
    assert found >= 17
