"""Quote marks: where text stands in quotation marks, and what such a span looks like (pure string work).

Nothing here reads a parse: `quote_spans` groups the spans of a text in quote marks of every style, and the
predicates say whether a span ends like an utterance, is a title, or is an embedded post's text.
"""

from __future__ import annotations

import re
from collections import Counter

# quote marks: openers, closers, and marks that open or close depending on where they stand
OPEN = {"\u201c", "\u00ab", "\u201e", "``"}
CLOSE = {"\u201d", "\u00bb"}
DOUBLE = re.compile(r"''|``|[\"\u201c\u201d\u00ab\u00bb\u201e]")
# single quotes stand for quotations only at word boundaries ('Peace deal'), never as apostrophes (don't)
SINGLE = re.compile(r"(?<![\w])[\u2018'](?=\w)(?P<body>[^\n\u2018\u2019']{1,300}?)(?<=[\w.,!?])[\u2019'](?![\w])")
WORD = re.compile(r"\w+")
THAT = re.compile(r"\bthat\b", re.IGNORECASE)
CLOSING = re.compile(r"[.,!?]?(?:[\"\u201d]|'')")
# a quote signed after a dash: '"..." -- Jane Doe'
DASH_NAME = re.compile(r"[\s\u00a0.,!?\"\u201d\u2019']*[\u2015\u2014\u2013-]{1,2}[\s\u00a0]*(?P<name>[A-Z][\w.'\u2019-]*(?:[ \u00a0][A-Z][\w.'\u2019-]*){0,4})")
PARA = re.compile(r"\n\s*\n|\n")
BREAK = re.compile(r"\n\s*")
EDGE_STRIP = " \t\n,;:.\u2014-\"'\u201c\u201d\u2018\u2019`"


def strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_STRIP:
        start += 1
    while end > start and text[end - 1] in EDGE_STRIP.replace(".", "").replace("!", ""):
        end -= 1
    return start, end


def quote_spans(text: str) -> list[list[tuple[int, int]]]:
    """Character spans of text in quote marks, grouped: a quote left open at a paragraph's end that the
    next paragraph reopens is one quotation in several parts. Straight, curly, mismatched and `''` marks."""
    groups: list[list[tuple[int, int]]] = []
    pos = 0
    carry: list[tuple[int, int]] | None = None  # a quote left open at the end of the last paragraph
    for para_end in [m.start() for m in PARA.finditer(text)] + [len(text)]:
        para_start = pos
        pos = para_end
        opened: int | None = None
        open_mark = ""
        skip_to = para_start
        first_mark = True
        found_double = False
        for m in DOUBLE.finditer(text, para_start, para_end):
            mark, i = m.group(), m.start()
            found_double = True
            if i < skip_to:
                continue  # a mark of a quotation nested in the open one
            before = text[i - 1] if i > para_start else " "
            after = text[m.end()] if m.end() < para_end else " "
            opener = mark in OPEN or (mark not in CLOSE and (before.isspace() or before in "([\u2014-:")
                                       and not after.isspace())
            closer = mark in CLOSE or (mark not in OPEN and not opener)
            if opened is None:
                if closer and not opener:
                    first_mark = False
                    continue  # a stray closing mark
                # a paragraph that opens with a mark continues the quote the last paragraph left open
                cont = carry is not None and first_mark and not text[para_start:i].strip()
                opened = m.end()
                open_mark = mark
                if not cont:
                    carry = None
            else:
                said = bool(text[opened:i].strip())  # words stand between the open mark and this one
                nested_end = _nested(text, open_mark, mark, opener, m.end(), para_end) if said else None
                if nested_end is not None:
                    skip_to = nested_end  # '"It isn't about “law and order” any more."': the phrase stays inside
                    continue
                if opener and mark in OPEN and said:
                    opened = m.end()  # an opening curly mark where a close was due: restart here
                    continue
                s, e = strip_edges(text, opened, i)
                if e > s:
                    if carry is not None:
                        carry.append((s, e))
                        carry = None
                    else:
                        groups.append([(s, e)])
                opened = None
            first_mark = False
        if opened is not None:
            s, e = strip_edges(text, opened, para_end)
            if e > s:
                if carry is not None:
                    carry.append((s, e))
                else:
                    carry = [(s, e)]
                    groups.append(carry)
        else:
            carry = None
        if not found_double:
            for m in SINGLE.finditer(text, para_start, para_end):
                s, e = strip_edges(text, m.start("body"), m.end("body"))
                if e > s:
                    groups.append([(s, e)])
    return sorted(groups)


# a quotation nested in another is a phrase: at most this many words, with no sentence end inside
NESTED_WORDS = 8
_STRAIGHT_CLOSE = re.compile(r'(?<=\S)"')


def _nested(text: str, outer: str, mark: str, opener: bool, after: int, para_end: int) -> int | None:
    """Where a quotation nested in the open one ends, when `mark` opens one: curly marks inside straight
    ones or straight inside curly ('"It is no “peace deal” at all," she said'). None when `mark` is no
    nested opener. The outer quote must close (or run on) after it, so a stray mark is not read as nesting."""
    if outer == '"' and mark == "\u201c":
        close = text.find("\u201d", after, para_end)
    elif outer == "\u201c" and mark == '"' and opener:
        m = _STRAIGHT_CLOSE.search(text, after, para_end)
        close = m.start() if m else -1
        if close >= 0 and "\u201d" not in text[close + 1:para_end]:
            return None  # nothing left to close the curly quote: the straight mark closed it
    else:
        return None
    if close < 0:
        return None
    inner = text[after:close]
    if len(WORD.findall(inner)) > NESTED_WORDS or re.search(r"[.!?]\s+\w", inner) or outer in inner:
        return None
    return close + 1  # past the nested closing mark (one character either way)


def utterance(text: str, end: int) -> bool:
    """Whether a quotation ends the way an utterance does ("Really," / "Stay there!"), unlike a scare quote."""
    return text[end - 1:end] in (".", "!", "?") or text[end:end + 1] in (",", "!", "?")


_TAG = re.compile(r"\s*<[a-zA-Z][^<>\n]*>")
# what closes an embed after its words: a closing tag, a signature ("— Name (@handle) date"), a link
_BODY_END = re.compile(r"</[a-zA-Z]|[\s\u00a0]*[\u2014\u2013-]{1,2}[\s\u00a0]*[^\n]{0,80}\(@\w+\)"
                       r"|\s*(?:pic\.twitter\.com/|https?://t\.co/)")


def opened(text: str) -> bool:
    """Whether a span opens a quotation it does not close."""
    doubled = text.count("''")
    return text.count("\u201c") > text.count("\u201d") or text.count('"') % 2 == 1 or \
        (text.count("``") > doubled if "``" in text else doubled % 2 == 1)


def repeats(quote: str, post: str) -> bool:
    """A quotation that is a post's text: nearly all its words are the post's, and most of the post's are in it."""
    qw, pw = Counter(WORD.findall(quote.lower())), Counter(WORD.findall(post.lower()))
    common = sum((qw & pw).values())
    return common >= 0.9 * sum(qw.values()) and common >= 0.8 * sum(pw.values())


def post_body(text: str, start: int, end: int) -> tuple[int, int]:
    """The words of an embedded post, without the markup, signature and links around them."""
    m = _TAG.match(text, start, end)
    if m is not None:
        start = m.end()
    cut = _BODY_END.search(text, start, end)
    return start, (cut.start() if cut is not None and cut.start() > start else end)


_TITLE_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "at", "by", "from"}


def is_title(text: str) -> bool:
    """Title Case words without a sentence's end: a headline, show or book title, not a quotation."""
    words = text.split()
    if len(words) > 10 or text.rstrip()[-1:] in "?!":
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha() or (w in _TITLE_SMALL and w is not words[0]))
    return caps == len(words) and (len(words) < 8 or not text.rstrip().endswith("."))
