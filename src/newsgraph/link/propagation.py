"""Quote propagation: the same words quoted (or posted) across articles are one statement with many citations.

Each quote and each post text is matched against the statements seen so far by its word shingles
(at least half of the longer text's shingles shared, so a quote cut shorter in one outlet still matches
while a few words quoted inside a longer post do not). A matching quote gets the
statement's id (`Quote.statement_id`); an anonymous quote ("One person wrote: ...") whose statement has
a named author elsewhere takes that author (`speaker`, `speaker_id`) and records where the name came
from in `Quote.resolved_from` (the doc_id that named it); `anonymous` stays true, since this article
itself names nobody. Each version is compared with the statement's original (the post's own text, else its
earliest version) and flagged verbatim, altered, truncated, misattributed or translation (`Quote.fidelity`,
see fidelity.py). Statements live in a bounded LRU, and so do their shingle postings.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from ..records import Quote, Record
from .fidelity import TRANSLATED, compare, same_speaker
from .ids import stable_id

_WORD = re.compile(r"\w+")


@dataclass
class PropagationConfig:
    shingle: int = 4  # words per shingle
    min_words: int = 6  # shorter quotes are too common to be matched across articles
    overlap: float = 0.5  # shared shingles / shingles of the longer text: a quote cut shorter still matches,
    # but a short quote inside a longer post (a tweet quoting someone else's words) does not
    max_statements: int = 50000  # statements kept (least recently cited dropped first)
    posting_cap: int = 8  # statements kept per shingle
    # citations kept per statement (the newest): they only keep a record from citing one quote twice, and
    # a statement quoted for months in a watch would otherwise keep every article that ever quoted it
    max_citations: int = 64


@dataclass
class Statement:
    """One statement and every place it was cited."""

    id: str
    text: str
    speaker: str | None = None
    speaker_id: str | None = None
    named_in: str | None = None  # doc_id of the first article that named the speaker
    post_id: str | None = None
    citations: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # (doc_id, start, end)
    shingles: frozenset = frozenset()
    # what its versions are compared with (fidelity.py): the post's own text, else the earliest version
    original: str | None = None
    original_ref: str | None = None  # the post id, or the doc_id of the earliest version
    original_at: int | None = None  # where the earliest version starts in its article
    original_speaker: str | None = None


def _shingles(words: list[str], size: int) -> frozenset:
    if len(words) < size:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))


class QuotePropagator:
    """Links quotes and post texts of each record to the run's statements; resolves anonymous speakers."""

    def __init__(self, config: PropagationConfig | None = None) -> None:
        self.config = config or PropagationConfig()
        self.statements: OrderedDict[str, Statement] = OrderedDict()
        self.postings: dict[str, list[str]] = {}

    # ---------------------------------------------------------------- matching
    def match(self, shingles: frozenset) -> Statement | None:
        counts: Counter = Counter()
        for sh in shingles:
            for sid in self.postings.get(sh, ()):
                counts[sid] += 1
        best, best_score = None, self.config.overlap
        for sid, hits in counts.most_common(8):
            st = self.statements.get(sid)
            if st is None:
                continue
            score = hits / max(1, len(shingles), len(st.shingles))
            if score >= best_score:
                best, best_score = st, score
        return best

    def _add(self, text: str, words: list[str], shingles: frozenset) -> Statement:
        st = Statement(id=stable_id("Q", " ".join(words)), text=text, shingles=shingles)
        self.statements[st.id] = st
        for sh in shingles:
            posting = self.postings.setdefault(sh, [])
            posting.append(st.id)
            if len(posting) > self.config.posting_cap:
                posting.pop(0)
        while len(self.statements) > self.config.max_statements:
            _, old = self.statements.popitem(last=False)
            for sh in old.shingles:
                posting = self.postings.get(sh)
                if posting and old.id in posting:
                    posting.remove(old.id)
                    if not posting:
                        del self.postings[sh]
        return st

    def _statement(self, text: str) -> Statement | None:
        words = _WORD.findall(text.lower())
        if len(words) < self.config.min_words:
            return None
        shingles = _shingles(words, self.config.shingle)
        st = self.match(shingles)
        if st is None:
            st = self._add(text, words, shingles)
        else:
            self.statements.move_to_end(st.id)
        return st

    # ---------------------------------------------------------------- linking
    def link(self, record: Record) -> None:
        posts = record.social_posts
        for post in posts:
            if not post.text:
                continue
            st = self._statement(post.text)
            if st is None:
                continue
            self._cite(st, (record.doc_id, post.start, post.end))
            st.post_id = st.post_id or post.id
            if st.original is None or st.original_ref != st.post_id:  # the post itself beats any quotation of it
                st.original, st.original_ref, st.original_at = post.text, st.post_id, None
                st.original_speaker = post.author or post.handle
            name = post.author or (f"@{post.handle}" if post.handle else None)
            if name and st.speaker is None:
                st.speaker, st.named_in = name, record.doc_id
        for quote in record.quotes:
            st = self._statement(quote.text or "")
            if st is None:
                continue
            quote.statement_id = st.id
            if not any(c[0] == record.doc_id and c[1] == quote.start for c in st.citations):
                self._cite(st, (record.doc_id, quote.start, quote.end))
            if quote.anonymous or not quote.speaker:
                self._resolve(quote, st, record)
            elif st.speaker is None:
                st.speaker, st.speaker_id, st.named_in = quote.speaker, quote.speaker_id, record.doc_id
            if st.post_id is None and quote.post_id and quote.post_id.startswith("P"):
                st.post_id = quote.post_id
            self._fidelity(quote, st, record)

    def _cite(self, st: Statement, citation: tuple[str, int | None, int | None]) -> None:
        st.citations.append(citation)
        if len(st.citations) > self.config.max_citations:
            del st.citations[:-self.config.max_citations]

    @staticmethod
    def _fidelity(quote: Quote, st: Statement, record: Record) -> None:
        """Compares a version with its statement's original (`Quote.fidelity`); the earliest version of a
        statement that no post holds becomes that original."""
        if st.original is None:
            st.original, st.original_ref, st.original_at = quote.text, record.doc_id, quote.start
            st.original_speaker = quote.speaker if not quote.anonymous else None
            return
        if st.original_ref == record.doc_id and st.original_at == quote.start:
            return  # the original itself
        found = compare(quote.text or "", st.original)
        if found is None:
            return
        flag, diff = found
        if TRANSLATED.search(record.text[max(0, (quote.start or 0) - 200):(quote.end or 0) + 100]
                             if quote.start is not None else ""):
            flag = "translation"
        elif st.original_speaker and quote.speaker and not quote.anonymous and quote.resolved_from is None \
                and not same_speaker(quote.speaker, st.original_speaker):
            flag = "misattributed"
        quote.fidelity = {"flag": flag, "original": st.original_ref, "diff": diff}

    @staticmethod
    def _resolve(quote: Quote, st: Statement, record: Record) -> None:
        if st.speaker and st.named_in and st.named_in != record.doc_id:
            quote.resolved_from = st.named_in
            quote.speaker = st.speaker
            quote.speaker_id = st.speaker_id
            quote.post_id = quote.post_id or st.post_id
