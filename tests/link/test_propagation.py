"""Quote propagation: one statement, many citations; anonymous speakers named through another article."""

from __future__ import annotations

from newsgraph.link.propagation import PropagationConfig, QuotePropagator
from newsgraph.records import Quote, Record, SocialPost

WORDS = "What a sad day for the harbour, the old lighthouse deserved far better than this"


def rec(doc_id: str, quotes: list[Quote] = (), posts: list[SocialPost] = ()) -> Record:
    r = Record(doc_id=doc_id, source="t", title=None, url=None, outlet=None, published=None, text="")
    r.quotes, r.social_posts = list(quotes), list(posts)
    return r


def test_propagation_anonymous_quote_takes_the_post_author() -> None:
    prop = QuotePropagator()
    post = SocialPost(id="Pabc", platform="twitter", author="Sailor Jo", handle="sailorjo", text=WORDS)
    prop.link(rec("first", posts=[post]))
    anon = Quote(text=WORDS[:60], start=10, end=70, direct=True, speaker="one person", anonymous=True)
    prop.link(rec("second", quotes=[anon]))
    assert anon.speaker == "Sailor Jo" and anon.resolved_from == "first"
    assert anon.anonymous and anon.post_id == "Pabc" and anon.statement_id


def test_propagation_same_words_share_a_statement() -> None:
    prop = QuotePropagator()
    q1 = Quote(text=WORDS, start=0, end=80, direct=True, speaker="Jo Marsh", speaker_id="E1")
    q2 = Quote(text=WORDS.upper(), start=5, end=85, direct=True, speaker=None, anonymous=True)
    prop.link(rec("a", [q1]))
    prop.link(rec("b", [q2]))
    assert q1.statement_id == q2.statement_id
    assert (q2.speaker, q2.speaker_id, q2.resolved_from) == ("Jo Marsh", "E1", "a")
    (st,) = prop.statements.values()
    assert [c[0] for c in st.citations] == ["a", "b"]


def test_propagation_named_speakers_are_kept_and_short_quotes_ignored() -> None:
    prop = QuotePropagator()
    prop.link(rec("a", [Quote(text=WORDS, start=0, end=1, direct=True, speaker="Jo Marsh")]))
    other = Quote(text=WORDS, start=0, end=1, direct=True, speaker="Ann Lee")
    short = Quote(text="No comment", start=0, end=1, direct=True, anonymous=True)
    prop.link(rec("b", [other, short]))
    assert other.speaker == "Ann Lee" and other.resolved_from is None
    assert short.statement_id is None and short.speaker is None


def test_propagation_words_quoted_inside_a_longer_post_are_not_its_author() -> None:
    prop = QuotePropagator()
    girl = "We are not counted because we were born here, we will die slowly"
    caption = " Tears of a hopeless girl whose future is shattered; my heart breaks for the women of this country"
    post = SocialPost(id="Pamp", platform="twitter", author="Amplifier", text=girl + caption + caption)
    prop.link(rec("first", posts=[post]))
    anon = Quote(text=girl, start=0, end=1, direct=True, speaker="a girl", anonymous=True)
    prop.link(rec("second", quotes=[anon]))
    assert anon.speaker == "a girl" and anon.resolved_from is None


def test_propagation_citations_kept_per_statement_are_bounded() -> None:
    """A statement quoted in article after article keeps its newest citations (enough to keep one article
    from citing a quote twice), not every article that ever quoted it."""
    prop = QuotePropagator(PropagationConfig(max_citations=3))
    for i in range(10):
        q = Quote(text=WORDS, start=0, end=80, direct=True, speaker="Jo Marsh")
        prop.link(rec(f"d{i}", [q, Quote(text=WORDS, start=0, end=80, direct=True, speaker="Jo Marsh")]))
    (st,) = prop.statements.values()
    assert [c[0] for c in st.citations] == ["d7", "d8", "d9"]
