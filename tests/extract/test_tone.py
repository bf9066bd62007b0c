"""Tone: sentence-level lexicon scores averaged to -1 .. 1, and per quote."""

from __future__ import annotations

from newsgraph.extract.tone import ToneExtractor
from newsgraph.records import Quote


def test_tone_sign(nlp_blank):
    tone = ToneExtractor()
    good = nlp_blank("What a wonderful, happy and hopeful day.")
    bad = nlp_blank("This is a horrible, tragic and heartbreaking disaster.")
    assert tone.find(good) > 0.3
    assert tone.find(bad) < -0.3
    assert -1.0 <= tone.find(bad) <= 1.0


def test_tone_neutral_is_zero(nlp_blank):
    assert ToneExtractor().find(nlp_blank("The meeting is on the third floor.")) == 0.0


def test_tone_per_quote(nlp_blank):
    doc = nlp_blank("She said it was awful.")
    doc._.quotes = [Quote(text="it was awful", start=9, end=21, direct=False)]
    ToneExtractor()(doc)
    assert doc._.quotes[0].tone < 0
