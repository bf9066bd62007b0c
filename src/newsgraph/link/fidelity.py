"""Quote fidelity: a quotation set word by word against the original of its statement (the post's own text
where the statement is a post, else its earliest version), flagged as a reader would flag it.

- `verbatim`: the same words as the stretch of the original it quotes (case, punctuation and curly or
  straight apostrophes aside); quoting whole sentences of a longer original is still verbatim.
- `altered`: words changed, added or dropped inside the quotation ("for the women" for "for women").
- `truncated`: the same words, but cut inside a sentence of the original, so that its end (or start) is
  missing.
- `misattributed`: credited to another speaker than the original's.
- `translation`: the article says the words are translated; such a version is never called altered.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

_WORD = re.compile(r"[\w\u2019']+")
_SENTENCE_END = re.compile(r"[.!?\u2026]")
_BOUNDS = set(":;(\u2014\"'\u201c\u201d\u2018\u2019")
# a version the article gives as translated ("translated from Dari", "in a translation by ...")
TRANSLATED = re.compile(r"\btranslat(?:ed|ion|es|ing)\b|\bin English\b", re.IGNORECASE)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower().replace("\u2019", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]


def compare(version: str, original: str) -> tuple[str, dict[str, Any]] | None:
    """The flag (verbatim, altered or truncated) and word diff of `version` against the stretch of `original`
    it quotes; None when the two share too little to be versions of one another."""
    v, o = _words(version), _words(original)
    if not v or not o:
        return None
    matcher = SequenceMatcher(None, [w for w, _, _ in v], [w for w, _, _ in o], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks or sum(b.size for b in blocks) < 0.5 * len(v):
        return None
    # the stretch of the original this version quotes: from its first shared word to its last
    lo, hi = blocks[0].b, blocks[-1].b + blocks[-1].size
    sub = SequenceMatcher(None, [w for w, _, _ in v], [w for w, _, _ in o[lo:hi]], autojunk=False)
    diff: dict[str, list] = {"dropped": [], "added": [], "changed": []}
    for tag, i1, i2, j1, j2 in sub.get_opcodes():
        said = [w for w, _, _ in v[i1:i2]]
        meant = [w for w, _, _ in o[lo + j1:lo + j2]]
        if tag == "delete":
            diff["added"].append(" ".join(said))
        elif tag == "insert":
            diff["dropped"].append(" ".join(meant))
        elif tag == "replace":
            diff["changed"].append([" ".join(meant), " ".join(said)])
    # words left off at either end of the version (beyond the shared stretch) were added too
    if blocks[0].a > 0:
        diff["added"].insert(0, " ".join(w for w, _, _ in v[:blocks[0].a]))
    end = blocks[-1].a + blocks[-1].size
    if end < len(v):
        diff["added"].append(" ".join(w for w, _, _ in v[end:]))
    if any(diff.values()):
        return "altered", diff
    start_char, end_char = o[lo][1], o[hi - 1][2]
    # a sentence, a quotation mark, a colon or a dash bounds a stretch; anything else before it was cut off
    before = original[:start_char].rstrip()[-1:]
    cut_start = bool(before) and not _SENTENCE_END.match(before) and before not in _BOUNDS
    after = original[end_char:]
    rest = re.match(r"[\s\"'\u201c\u201d\u2018\u2019)]*(\S?)", after)
    nxt = rest.group(1) if rest else ""
    cut_end = bool(nxt) and not _SENTENCE_END.match(nxt) and nxt not in (",", ";", ":", "\u2014", "-")
    return ("truncated" if cut_start or cut_end else "verbatim"), diff


def same_speaker(a: str | None, b: str | None) -> bool:
    """Two names for one speaker: equal, or one part of the other ("Alinejad", "Masih Alinejad")."""
    x, y = (a or "").lower().lstrip("@"), (b or "").lower().lstrip("@")
    return bool(x and y) and (x in y or y in x)
