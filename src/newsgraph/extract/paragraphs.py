"""Paragraph breaks are sentence breaks. The parser reads news text a sentence at a time, and a paragraph that
ends without a full stop (a caption, a quotation's attribution, "... president of the Harbor Fund") is run
into the next one by the parser, which then hangs the next paragraph's clauses on the last one's words.
This component runs before the parser and marks the first token after a blank line as a sentence start,
which the parser keeps."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newsgraph_paragraphs")
def paragraph_starts(doc: Doc) -> Doc:
    """Mark each token that opens a paragraph (after a blank line) as the start of a sentence."""
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if before.is_space and before.text.count("\n") >= 2 and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc
