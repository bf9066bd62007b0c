"""Tone: how negative or positive the article reads, from -1 to 1.

VADER's compound score for each sentence, averaged over the sentences that carry any tone (so a
long neutral article is not pulled to zero by its neutral sentences); each quote gets the score of
its own words. One analyzer per component, built once.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .component import Extractor

Doc.set_extension("tone", default=None, force=True)


@Language.factory("newsgraph_tone", assigns=["doc._.tone"],
                  default_config={"skip_neutral": True, "quotes": True, "max_sentence_chars": 2000})
def make_tone_extractor(nlp: Language, name: str, skip_neutral: bool, quotes: bool,
                        max_sentence_chars: int) -> ToneExtractor:
    return ToneExtractor(skip_neutral=skip_neutral, quotes=quotes, max_sentence_chars=max_sentence_chars)


class ToneExtractor(Extractor):
    name = "newsgraph_tone"
    attr = "tone"

    def __init__(self, skip_neutral: bool = True, quotes: bool = True, max_sentence_chars: int = 2000) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()
        self.skip_neutral = skip_neutral
        self.quotes = quotes
        self.max_sentence_chars = max_sentence_chars

    def score(self, text: str) -> float:
        return float(self.analyzer.polarity_scores(text[: self.max_sentence_chars])["compound"])

    def find(self, doc: Doc) -> float:
        if self.quotes:
            for quote in doc._.get("quotes") or []:
                if getattr(quote, "text", None) and hasattr(quote, "tone"):
                    quote.tone = round(self.score(quote.text), 4)
        sents = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        scores = [self.score(s.text) for s in sents if s.text.strip()]
        if self.skip_neutral:
            scores = [s for s in scores if s != 0.0]
        if not scores:
            return 0.0
        return round(max(-1.0, min(1.0, sum(scores) / len(scores))), 4)
