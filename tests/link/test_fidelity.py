"""Quote fidelity: each version of a statement against its original, flagged as a reader would flag it."""

from __future__ import annotations

import pytest

from newsgraph.link.fidelity import compare
from newsgraph.link.propagation import QuotePropagator
from newsgraph.records import Quote, Record, SocialPost

ORIGINAL = ("The old lighthouse kept this harbour safe for a century. We will not let them tear it down without "
            "a fight. Come to the meeting on Friday.")


def rec(doc_id: str, quotes: list[Quote] = (), posts: list[SocialPost] = (), text: str = "") -> Record:
    r = Record(doc_id=doc_id, source="t", title=None, url=None, outlet=None, published=None, text=text)
    r.quotes, r.social_posts = list(quotes), list(posts)
    return r


@pytest.mark.parametrize(("version", "flag", "diff"), [
    ("We will not let them tear it down without a fight.", "verbatim", {}),
    ("we won\u2019t let them tear it down without a fight", "altered", {"changed": [["will not", "won't"]]}),
    ("We will not let them tear the lighthouse down without a fight.", "altered", {"changed": [["it", "the lighthouse"]]}),
    ("We will not let them tear it down without a big fight.", "altered", {"added": ["big"]}),
    ("We will not let them tear it down.", "truncated", {}),
])
def test_fidelity_compare_flags_a_version(version: str, flag: str, diff: dict) -> None:
    found = compare(version, ORIGINAL)
    assert found is not None and found[0] == flag
    assert {k: v for k, v in found[1].items() if v} == diff


def test_fidelity_compare_unrelated_words_are_no_version() -> None:
    assert compare("The ferry timetable changes in May", ORIGINAL) is None


POST = "We will not let them tear it down without a fight, not this time."


def _post() -> SocialPost:
    return SocialPost(id="Plight", platform="twitter", author="Ada Keel", handle="adakeel", text=POST)


def test_fidelity_against_the_post_misattributed_and_translated() -> None:
    prop = QuotePropagator()
    prop.link(rec("first", posts=[_post()]))
    same = Quote(text="We will not let them tear it down without a fight.", start=0, end=50, direct=True,
                 speaker="Ada Keel")
    other = Quote(text="We will not let them tear it down without a fight.", start=0, end=50, direct=True,
                  speaker="Rob Vane")
    prop.link(rec("second", [same]))
    prop.link(rec("third", [other]))
    assert same.fidelity == {"flag": "verbatim", "original": "Plight", "diff": {"dropped": [], "added": [],
                                                                                 "changed": []}}
    assert other.fidelity["flag"] == "misattributed"  # the words are the post's, the speaker is not its author
    words = "We shall not let them tear it down without a fight."
    text = f'"{words}" Ada Keel wrote, in a post translated from Welsh.'
    translated = Quote(text=words, start=1, end=1 + len(words), direct=True, speaker="Ada Keel")
    prop.link(rec("fourth", [translated], text=text))
    assert translated.fidelity["flag"] == "translation"  # never "altered": the article says it is translated


def test_fidelity_earliest_version_is_the_original_when_no_post_holds_it() -> None:
    prop = QuotePropagator()
    first = Quote(text=ORIGINAL, start=0, end=len(ORIGINAL), direct=True, speaker="Ada Keel")
    cut = Quote(text="The old lighthouse kept this harbour safe for a century. We will not let them tear it down",
                start=0, end=10, direct=True, speaker="Ada Keel")
    prop.link(rec("first", [first]))
    prop.link(rec("second", [cut]))
    assert first.fidelity is None  # the original itself
    assert cut.fidelity["flag"] == "truncated" and cut.fidelity["original"] == "first"
