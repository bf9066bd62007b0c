"""Syndication: near-duplicate articles (wire copies, light rewrites) found with MinHash LSH and linked to the first.

A copy is flagged in the record's `meta`: `duplicate_of` (the doc_id of the earliest article it copies)
and `duplicate_similarity` (the Jaccard estimate of their word shingles). The index holds the last
`window` articles only, so memory and the cost per article stay flat however long the run.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..records import Record

_WORD = re.compile(r"\w+")


@dataclass
class DedupConfig:
    threshold: float = 0.8  # least shingle Jaccard similarity of a copy with its original
    shingle: int = 5  # words per shingle
    num_perm: int = 64  # MinHash permutations
    min_words: int = 30  # shorter texts are never called copies (too little evidence)
    window: int = 20000  # articles kept in the index


def shingles(words: list[str], size: int) -> set[bytes]:
    """Each run of `size` words, as bytes for the hash."""
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(max(1, len(words) - size + 1))}


class DuplicateLinker:
    """Flags each record that nearly copies an earlier one of the run, pointing at the original."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        # LSH only proposes candidates; the Jaccard estimate decides. Banded at the threshold itself it would
        # propose a pair at J=0.8 one time in three (64 permutations), so band lower and weigh misses more.
        self.lsh = MinHashLSH(threshold=max(0.3, self.config.threshold - 0.15), num_perm=self.config.num_perm,
                              weights=(0.3, 0.7))
        self.hashes: dict[str, MinHash] = {}
        self.original: dict[str, str] = {}  # doc id -> the original it copies (itself for originals)
        self.order: deque[str] = deque()
        # crc32 in C instead of datasketch's sha1 per shingle: a third of the cost, still the same in every process.
        # Signatures start as copies of one empty MinHash: its permutations are drawn once, not per article.
        self._empty = MinHash(num_perm=self.config.num_perm, seed=1, hashfunc=zlib.crc32)

    def prepare(self, record: Record) -> np.ndarray | None:
        """The record's signature as its MinHash values (what travels from a worker), None if too short."""
        words = _WORD.findall((record.text or "").lower())
        if len(words) < self.config.min_words:
            return None
        mh = self._empty.copy()
        mh.update_batch(shingles(words, self.config.shingle))
        return mh.hashvalues

    def link(self, record: Record) -> None:
        """Flag `record` if it copies an earlier one."""
        self.link_prepared(record, self.prepare(record))

    def link_prepared(self, record: Record, values: np.ndarray | None) -> None:
        """`link`, with `prepare(record)` computed elsewhere."""
        if values is None or record.doc_id in self.hashes:
            return
        mh = self._empty.copy()
        mh.hashvalues = values
        best, best_sim = None, self.config.threshold
        for key in self.lsh.query(mh):
            sim = mh.jaccard(self.hashes[key])
            if sim >= best_sim:
                best, best_sim = key, sim
        if best is not None:
            original = self.original.get(best, best)
            record.meta["duplicate_of"] = original
            record.meta["duplicate_similarity"] = round(best_sim, 3)
            self.original[record.doc_id] = original
        self.lsh.insert(record.doc_id, mh)
        self.hashes[record.doc_id] = mh
        self.order.append(record.doc_id)
        while len(self.order) > self.config.window:
            old = self.order.popleft()
            self.lsh.remove(old)
            del self.hashes[old]
            self.original.pop(old, None)
