"""Breaks the text's layout makes, which the parser cannot see: paragraph breaks and datelines are sentence
breaks. The parser reads news text a sentence at a time, and a paragraph that ends without a full stop (a
caption, a quotation's attribution, "... president of the Harbor Fund") is run into the next one by the
parser, which then hangs the next paragraph's clauses on the last one's words; a dateline ("BALTIMORE (AP) --")
becomes the subject of the first sentence ("BALTIMORE ... has filed a lawsuit"). This component runs before
the parser and marks the first token after a blank line, and the first after a dateline, as a sentence start,
which the parser keeps."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

# a dateline opening a paragraph: a place in capitals ("WASHINGTON", "WASHINGTON/ATLANTA", "SAN JUAN, Puerto
# Rico"), or any place followed by its agency ("Islamabad, Pakistan (Reuters)"), then a dash
DATELINE = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:[A-Z][A-Z.'\u2019-]+(?:[ /][A-Z][A-Z.'\u2019-]+){0,3}(?:,[ \t]+[A-Z][\w.'\u2019-]+"
    r"(?:[ \t][A-Z][\w.'\u2019-]+){0,2})?(?:[ \t]*\([^()\n]{1,30}\))?"
    r"|[A-Z][\w.'\u2019-]+(?:[ ,/]+[A-Z][\w.'\u2019-]+){0,3}[ \t]*\([A-Z][^()\n]{0,29}\))"
    r"[ \t]*[\u2014\u2013-]{1,2}[ \t]+(?=\S)")


@Language.component("newsgraph_paragraphs")
def paragraph_starts(doc: Doc) -> Doc:
    """Mark each token that opens a paragraph (after a blank line), or follows a dateline, as the start of
    a sentence."""
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if before.is_space and before.text.count("\n") >= 2 and not doc[i].is_space:
            doc[i].is_sent_start = True
    text = doc.text
    for m in DATELINE.finditer(text):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
    return doc
