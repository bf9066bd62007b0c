"""Page furniture in article text: link lists, "Related:" and "READ MORE" lines, share buttons, image
credits, a publisher's inline links to other stories. Such stretches are kept out of extraction (no quote,
speaker or entity comes from them) while the record's `text` stays verbatim: the parser reads a copy of the
text in which they are blanked, space for character, so every offset still indexes the original."""

from __future__ import annotations

import re
from functools import lru_cache

from ..data import load_table

MAX_LINE = 300  # a line longer than this is prose, whatever it opens with


@lru_cache(maxsize=8)
def _patterns(table: str) -> tuple[re.Pattern[str] | None, list[re.Pattern[str]]]:
    rows = load_table(table)
    lines = [r["pattern"] for r in rows if r["kind"] == "line" and r["pattern"].strip()]
    line_re = re.compile(r"[ \t\u00a0]*(?:" + "|".join(f"(?:{p})" for p in lines) + r")[ \t\u00a0]*",
                         re.IGNORECASE) if lines else None
    return line_re, [re.compile(r["pattern"]) for r in rows if r["kind"] == "inline" and r["pattern"].strip()]


def furniture(text: str, table: str = "boilerplate.tsv") -> list[tuple[int, int]]:
    """The character spans of page furniture in `text`, in order."""
    line_re, inline_res = _patterns(table)
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            if line_re is not None and len(line) <= MAX_LINE and line_re.fullmatch(line):
                spans.append((pos, end))
            else:
                for pattern in inline_res:
                    group = "link" if "link" in pattern.groupindex else 0
                    spans.extend((pos + m.start(group), pos + m.end(group)) for m in pattern.finditer(line))
        pos = end + 1
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def blanked(text: str, table: str = "boilerplate.tsv") -> str:
    """`text` with its page furniture replaced by spaces (line breaks kept), so offsets are unchanged."""
    spans = furniture(text, table)
    if not spans:
        return text
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(re.sub(r"[^\n]", " ", text[s:e]))
        pos = e
    out.append(text[pos:])
    return "".join(out)
