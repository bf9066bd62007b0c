"""Term weighting shared by story linking and story summaries: content words, entity terms, background IDF.

Both the story linker (link/stories.py) and the store's story summaries (store/summary.py) weigh words the
same way: content words of three letters or more, stop words dropped, and an inverse document frequency
whose background comes from word frequencies (data/word_freq.tsv, Zipf scale) read as the share of
documents of `doc_words` words that hold each word.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from ..data import load_table

_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019-](?=[^\W_]))+")
# entity labels that name the participants of an event (dates and numbers are not entities here)
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})


def tokens(text: str) -> list[str]:
    """Content words, lowercased; stop words and words of one or two letters dropped."""
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOP_WORDS]


def entity_term(name: str) -> str:
    """The term an entity's name adds to an article's vector."""
    return "e:" + " ".join(name.lower().split())


@lru_cache(maxsize=4)
def background(table: str, doc_words: int) -> tuple[dict[str, float], float]:
    """word -> share of documents of `doc_words` words that hold it, and the share for an unlisted word
    (that of the rarest listed one): 1 - exp(-doc_words x frequency)."""
    rows = load_table(table)
    shares = {row["word"]: 1.0 - math.exp(-doc_words * 10 ** (float(row["zipf"]) - 9)) for row in rows}
    rarest = min(float(row["zipf"]) for row in rows)
    return shares, 1.0 - math.exp(-doc_words * 10 ** (rarest - 9))


def background_idf(term: str, table: str, doc_words: int, prior_docs: float) -> float:
    """IDF of a term from the background alone, as if `prior_docs` documents had been seen."""
    shares, default = background(table, doc_words)
    return math.log((prior_docs + 1) / (prior_docs * shares.get(term, default) + 1)) + 1.0
