"""Quotations: quote marks of every style, cues, reported speech, speakers, scare quotes and social posts."""

from __future__ import annotations

import math

import pytest
import spacy
from spacy.tokens import Doc

from newsgraph.extract.frames import FrameModel, subordinate_clause
from newsgraph.extract.quote_marks import is_title, post_body, quote_spans, utterance
from newsgraph.records import Article, Entity, SocialPost


def texts(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in group] for group in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win the vote" on Monday.', [["we will win the vote"]]),
        ("He said \u201cwe will win the vote\u201d on Monday.", [["we will win the vote"]]),
        ("He said \u201cwe will win the vote\" on Monday.", [["we will win the vote"]]),  # mismatched marks
        ("He said ''we will win the vote'' on Monday.", [["we will win the vote"]]),
        ("He said ``we will win the vote'' on Monday.", [["we will win the vote"]]),  # PTB-style marks
        ("\u201cIt is called \u2018Peace deal\u2019 by them,\u201d she said.", [["It is called \u2018Peace deal\u2019 by them"]]),
        ("They call it \u2018Peace deal\u2019 now.", [["Peace deal"]]),
        ("It isn\u2019t a quote, and nobody\u2019s words are here.", []),
        # a phrase quoted inside a quotation, in the other style of double marks
        ('"It is not about \u201claw and order\u201d any more," he said.', [["It is not about \u201claw and order\u201d any more"]]),
        ('\u201cThey called it "fake news" again,\u201d she said.', [['They called it "fake news" again']]),
        # a curly quotation after a stray straight mark is not nested in it
        ('A "stray mark, then \u201cWe will stay here. We will not go,\u201d she said.', [["We will stay here. We will not go"]]),
    ],
)
def test_quotes_quote_spans_styles(text: str, expected: list[list[str]]) -> None:
    assert texts(text) == expected


def test_quotes_quote_spans_paragraph_continuation() -> None:
    text = "\u201cThe first paragraph runs on.\n\n\u201cAnd the second one ends it,\u201d he said."
    assert texts(text) == [["The first paragraph runs on.", "And the second one ends it"]]


def test_quotes_quote_spans_unclosed_paragraph_without_reopening() -> None:
    text = "\u201cThe first paragraph runs on.\n\nThe reporter writes again."
    assert texts(text) == [["The first paragraph runs on."]]


@pytest.mark.parametrize(
    ("text", "title"),
    [("Peace deal", False), ("Face the Nation", True), ("Contract with America.", True),
     ("We will not leave this country until the end.", False), ("Why not?", False)],
)
def test_quotes_is_title(text: str, title: bool) -> None:
    assert is_title(text) is title


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ('<tweet id="1" author="@jdoe">The bridge is closed again. \u2014 Jane Doe (@jdoe) May 2, 2020</tweet>',
         "The bridge is closed again."),
        ("The bridge is closed again. pic.twitter.com/AbC123", "The bridge is closed again."),
        ("The bridge is closed again.\u2014 Jane Doe (@jdoe) May 2, 2020", "The bridge is closed again."),
        ("Plain words - with a dash in them", "Plain words - with a dash in them"),
    ],
)
def test_quotes_post_body_drops_markup_and_signature(text: str, body: str) -> None:
    s, e = post_body(text, 0, len(text))
    assert text[s:e] == body


@pytest.mark.parametrize(
    ("text", "expected"),
    [('"Really," she added.', True), ('"Stop!" he shouted.', True), ('its "outrageous practices" in', False)],
)
def test_quotes_short_quote_ends_like_an_utterance(text: str, expected: bool) -> None:
    (group,) = quote_spans(text)
    assert utterance(text, group[-1][1]) is expected


def parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str], lemmas: list[str],
           ents: list[tuple[int, int, str]], spaces: list[bool] | None = None) -> Doc:
    """A Doc with a hand-written parse, so the rules are tested without the trained model."""
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
              sent_starts=[True] + [False] * (len(words) - 1))
    doc.ents = [doc.char_span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), label=lab) for s, e, lab in ents]
    entities = []
    for n, ent in enumerate(doc.ents):
        entities.append(Entity(id=f"local:{n}", name=ent.text, label=ent.label_, mentions=[[ent.start_char, ent.end_char]]))
    doc._.entities = entities
    doc._.social_posts = []
    doc._.article = Article(doc_id="t", text=doc.text, source="t")
    return doc


@pytest.fixture
def extractor():
    """The component as a pipeline builds it: the shipped defaults, frame model included."""
    return spacy.blank("en").add_pipe("newsgraph_quotes")


def said_after_quote() -> Doc:
    # "We will not leave this country," Sahraa Karimi said.
    words = ['"', "We", "will", "not", "leave", "this", "country", ",", '"', "Sahraa", "Karimi", "said", "."]
    spaces = [False, True, True, True, True, True, False, False, True, True, True, False, False]
    heads = [11, 4, 4, 4, 11, 6, 4, 11, 11, 10, 11, 11, 11]
    deps = ["punct", "nsubj", "aux", "neg", "ccomp", "det", "dobj", "punct", "punct", "compound", "nsubj", "ROOT", "punct"]
    pos = ["PUNCT", "PRON", "AUX", "PART", "VERB", "DET", "NOUN", "PUNCT", "PUNCT", "PROPN", "PROPN", "VERB", "PUNCT"]
    lemmas = ['"', "we", "will", "not", "leave", "this", "country", ",", '"', "Sahraa", "Karimi", "say", "."]
    return parsed(words, heads, deps, pos, lemmas, [(9, 11, "PERSON")], spaces)


def test_quotes_direct_speaker_after_quote(extractor) -> None:
    doc = said_after_quote()
    quotes = list(extractor.find(doc))
    direct = [q for q in quotes if q.direct]
    assert len(direct) == 1
    q = direct[0]
    assert q.text == "We will not leave this country"
    assert doc.text[q.start:q.end] == q.text
    assert q.speaker == "Sahraa Karimi" and q.speaker_id == "local:0" and not q.anonymous
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Sahraa Karimi"
    assert q.cue == "said"
    # the reported clause is the direct quote already found, not a second, indirect one
    assert not [q for q in quotes if not q.direct]


def test_quotes_quote_in_post_goes_to_its_author(extractor) -> None:
    doc = said_after_quote()
    doc._.social_posts = [SocialPost(id=None, platform="instagram", author="Sahraa Karimi", embedded=True,
                                     text="We will not leave this country", start=1, end=31)]
    quotes = [q for q in extractor.find(doc) if q.direct]
    assert [q.post_id for q in quotes] == ["local:0"]
    assert quotes[0].speaker == "Sahraa Karimi"


def test_quotes_embedded_post_outside_text_is_a_quote(extractor) -> None:
    doc = said_after_quote()
    doc._.social_posts = [SocialPost(id=None, platform="twitter", author="Emma Tennant", handle="EmmaSTennant",
                                     embedded=True, text="This is heartbreaking.")]
    post_quotes = [q for q in extractor.find(doc) if q.post_id]
    assert len(post_quotes) == 1
    q = post_quotes[0]
    assert q.start is None and q.text == "This is heartbreaking." and q.speaker == "Emma Tennant"


def test_quotes_reported_speech_with_pronoun(extractor) -> None:
    # Maria Lopez arrived. She said the vote was rigged.
    words = ["Maria", "Lopez", "arrived", ".", "She", "said", "the", "vote", "was", "rigged", "."]
    heads = [1, 2, 2, 2, 5, 5, 7, 9, 9, 5, 5]
    deps = ["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "det", "nsubjpass", "auxpass", "ccomp", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PUNCT", "PRON", "VERB", "DET", "NOUN", "AUX", "VERB", "PUNCT"]
    lemmas = ["Maria", "Lopez", "arrive", ".", "she", "say", "the", "vote", "be", "rig", "."]
    spaces = [True, True, False, True, True, True, True, True, True, False, False]
    doc = parsed(words, heads, deps, pos, lemmas, [(0, 2, "PERSON")], spaces)
    quotes = list(extractor.find(doc))
    assert len(quotes) == 1
    q = quotes[0]
    assert not q.direct and q.text == "the vote was rigged"
    assert q.speaker == "Maria Lopez" and q.speaker_id == "local:0"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "She"


def test_quotes_inverted_cue_with_name_read_as_adverb(extractor) -> None:
    # "The bridge will open in May," said Omar Haidari, adding that the road would follow.
    # (the parser reads the name after an inverted "said" as an adverb: the cue has no subject)
    words = ['"', "The", "bridge", "will", "open", "in", "May", ",", '"', "said", "Omar", "Haidari", ",", "adding",
             "that", "the", "road", "would", "follow", "."]
    spaces = [False, True, True, True, True, True, False, False, True, True, True, False, True, True, True, True,
              True, True, False, False]
    heads = [9, 2, 4, 4, 9, 4, 5, 9, 9, 9, 11, 9, 9, 9, 18, 16, 18, 18, 13, 9]
    deps = ["punct", "det", "nsubj", "aux", "ccomp", "prep", "pobj", "punct", "punct", "ROOT", "compound", "advmod",
            "punct", "advcl", "mark", "det", "nsubj", "aux", "ccomp", "punct"]
    pos = ["PUNCT", "DET", "NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT", "PUNCT", "VERB", "PROPN", "ADV", "PUNCT",
           "VERB", "SCONJ", "DET", "NOUN", "AUX", "VERB", "PUNCT"]
    lemmas = ['"', "the", "bridge", "will", "open", "in", "May", ",", '"', "say", "Omar", "Haidari", ",", "add",
              "that", "the", "road", "would", "follow", "."]
    doc = parsed(words, heads, deps, pos, lemmas, [(10, 12, "PERSON")], spaces)
    quotes = list(extractor.find(doc))
    direct = next(q for q in quotes if q.direct)
    assert direct.text == "The bridge will open in May" and direct.speaker == "Omar Haidari" and direct.cue == "said"
    assert doc.text[direct.speaker_span[0]:direct.speaker_span[1]] == "Omar Haidari"
    # the participle that goes on from the inverted cue has the same speaker
    added = next(q for q in quotes if not q.direct)
    assert added.text == "that the road would follow" and added.speaker == "Omar Haidari"


def test_quotes_name_before_cue_taken_for_an_organisation(extractor) -> None:
    # "The talks have failed," Nadia Farouk, 58, told reporters.
    # (the name is labelled ORG and hung on the quoted verb, the cue a conjunct of it)
    words = ['"', "The", "talks", "have", "failed", ",", '"', "Nadia", "Farouk", ",", "58", ",", "told", "reporters",
             "."]
    spaces = [False, True, True, True, False, False, True, True, False, True, False, True, True, False, False]
    heads = [4, 2, 4, 4, 4, 4, 8, 8, 4, 8, 8, 8, 4, 12, 4]
    deps = ["punct", "det", "nsubj", "aux", "ROOT", "punct", "punct", "compound", "npadvmod", "punct", "appos",
            "punct", "conj", "dobj", "punct"]
    pos = ["PUNCT", "DET", "NOUN", "AUX", "VERB", "PUNCT", "PUNCT", "PROPN", "PROPN", "PUNCT", "NUM", "PUNCT", "VERB",
           "NOUN", "PUNCT"]
    lemmas = ['"', "the", "talk", "have", "fail", ",", '"', "Nadia", "Farouk", ",", "58", ",", "tell", "reporter",
              "."]
    doc = parsed(words, heads, deps, pos, lemmas, [(7, 9, "ORG")], spaces)
    q = next(q for q in extractor.find(doc) if q.direct)
    assert q.text == "The talks have failed" and q.speaker == "Nadia Farouk" and q.cue == "told"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Nadia Farouk"


def test_quotes_colon_after_the_object_of_a_verb(extractor) -> None:
    # On Monday, Mayor Lena Ortiz issued the following statement:\n\n"We grieve with every family."
    # (one sentence for the parser, the quoted verb its root and "issued" hung below it)
    words = ["On", "Monday", ",", "Mayor", "Lena", "Ortiz", "issued", "the", "following", "statement", ":", "\n\n",
             '"', "We", "grieve", "with", "every", "family", ".", '"']
    spaces = [True, False, True, True, True, True, True, True, True, False, False, False, False, True, True, True,
              True, False, False, False]
    heads = [6, 0, 6, 5, 5, 6, 14, 9, 9, 6, 9, 10, 14, 14, 14, 14, 17, 15, 14, 14]
    deps = ["prep", "pobj", "punct", "compound", "compound", "nsubj", "ccomp", "det", "amod", "dobj", "punct", "dep",
            "punct", "nsubj", "ROOT", "prep", "det", "pobj", "punct", "punct"]
    pos = ["ADP", "PROPN", "PUNCT", "PROPN", "PROPN", "PROPN", "VERB", "DET", "VERB", "NOUN", "PUNCT", "SPACE",
           "PUNCT", "PRON", "VERB", "ADP", "DET", "NOUN", "PUNCT", "PUNCT"]
    lemmas = ["on", "Monday", ",", "Mayor", "Lena", "Ortiz", "issue", "the", "follow", "statement", ":", "\n\n", '"',
              "we", "grieve", "with", "every", "family", ".", '"']
    doc = parsed(words, heads, deps, pos, lemmas, [(4, 6, "PERSON")], spaces)
    q = next(q for q in extractor.find(doc) if q.direct)
    assert q.text.rstrip(".") == "We grieve with every family" and q.speaker == "Lena Ortiz"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Lena Ortiz"


def test_quotes_message_speaks_for_whoever_issued_it(extractor) -> None:
    # Mayor Lena Ortiz issued a statement saying the dam was safe.
    words = ["Mayor", "Lena", "Ortiz", "issued", "a", "statement", "saying", "the", "dam", "was", "safe", "."]
    spaces = [True] * 10 + [False, False]
    heads = [2, 2, 3, 3, 5, 3, 5, 8, 9, 6, 9, 3]
    deps = ["compound", "compound", "nsubj", "ROOT", "det", "dobj", "acl", "det", "nsubj", "ccomp", "acomp", "punct"]
    pos = ["PROPN", "PROPN", "PROPN", "VERB", "DET", "NOUN", "VERB", "DET", "NOUN", "AUX", "ADJ", "PUNCT"]
    lemmas = ["Mayor", "Lena", "Ortiz", "issue", "a", "statement", "say", "the", "dam", "be", "safe", "."]
    doc = parsed(words, heads, deps, pos, lemmas, [(1, 3, "PERSON")], spaces)
    q = next(q for q in extractor.find(doc) if not q.direct)
    assert q.text == "the dam was safe" and q.cue == "saying"
    assert q.speaker == "Lena Ortiz" and not q.anonymous
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Lena Ortiz"


def test_quotes_source_named_after_reported_content_is_not_content(extractor) -> None:
    # Officials said the bridge was closed, according to the mayor.
    words = ["Officials", "said", "the", "bridge", "was", "closed", ",", "according", "to", "the", "mayor", "."]
    spaces = [True, True, True, True, True, False, True, True, True, True, False, False]
    heads = [1, 1, 3, 5, 5, 1, 5, 5, 7, 10, 8, 1]
    deps = ["nsubj", "ROOT", "det", "nsubjpass", "auxpass", "ccomp", "punct", "prep", "prep", "det", "pobj", "punct"]
    pos = ["NOUN", "VERB", "DET", "NOUN", "AUX", "VERB", "PUNCT", "VERB", "ADP", "DET", "NOUN", "PUNCT"]
    lemmas = ["official", "say", "the", "bridge", "be", "close", ",", "accord", "to", "the", "mayor", "."]
    doc = parsed(words, heads, deps, pos, lemmas, [], spaces)
    q = next(q for q in extractor.find(doc) if q.cue == "said")
    assert q.text == "the bridge was closed"


def test_quotes_no_parse_no_quotes(extractor, make_doc) -> None:
    doc = make_doc('She said "we will win the vote".')
    assert list(extractor.find(doc)) == []


# ------------------------------------------------------------------ with the trained model
@pytest.mark.model
def test_quotes_model_interrupted_quote_has_spans(extract_text) -> None:
    doc = extract_text('"We stayed until the end," Sahraa Karimi said. "We will come back."')
    direct = [q for q in doc._.quotes if q.direct]
    assert len(direct) == 1
    assert direct[0].spans and len(direct[0].spans) == 2
    assert direct[0].speaker == "Sahraa Karimi"


@pytest.mark.model
def test_quotes_model_surname_resolves_to_full_name(extract_text) -> None:
    doc = extract_text('Film director Sahraa Karimi left Kabul on Monday. "I will not abandon my country," Karimi wrote.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Sahraa Karimi"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Karimi"


@pytest.mark.model
def test_quotes_model_pronoun_resolves_by_recency(extract_text) -> None:
    doc = extract_text('Mohammad Naeem spoke to reporters in Doha. "The war is over in the country," he said.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Mohammad Naeem"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "he"


@pytest.mark.model
def test_quotes_model_according_to(extract_text) -> None:
    doc = extract_text("According to the ministry, more than 400 families left the city last week.")
    q = next(q for q in doc._.quotes if not q.direct)
    assert "400 families left the city" in q.text
    assert q.cue == "according to"
    assert "ministry" in (q.speaker or "")


@pytest.mark.model
def test_quotes_model_anonymous_description(extract_text) -> None:
    doc = extract_text('"This is heartbreaking to watch," one person wrote.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.anonymous and q.speaker_id is None
    assert "one person" in q.speaker.lower()


@pytest.mark.model
def test_quotes_model_scare_quote_not_attributed(extract_text) -> None:
    doc = extract_text("The so-called 'Peace deal' was signed in Doha, officials said.")
    assert not [q for q in doc._.quotes if q.direct and q.text == "Peace deal" and q.speaker]


@pytest.mark.model
def test_quotes_model_pronoun_for_unnamed_person(extract_text) -> None:
    doc = extract_text('In the video, a young girl is crying. "Nobody cares about us any more," she says.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.anonymous and q.speaker_id is None
    assert q.speaker == "a young girl"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "she"


@pytest.mark.model
def test_quotes_model_signed_after_a_dash(extract_text) -> None:
    doc = extract_text("Readers wrote in after the debate.\n\u201cHe does not speak for the people of this town.\u201d \u2015 Maria Lopez\n")
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Maria Lopez"


@pytest.mark.model
def test_quotes_model_colon_paragraph_before(extract_text) -> None:
    doc = extract_text('The senator answered the question on Monday.\n\nJohn Harper said:\n\n"We will vote against the bill next week."\n')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "John Harper" and q.cue == "said"


def test_quotes_quote_inside_post_is_not_the_author(extractor) -> None:
    # a post that quotes someone: the words in marks are not the post author's own
    doc = said_after_quote()
    text = doc.text
    doc._.social_posts = [SocialPost(id=None, platform="twitter", author="Emma Tennant", embedded=True,
                                     text=text, start=0, end=len(text))]
    quotes = list(extractor.find(doc))
    inner = next(q for q in quotes if q.text == "We will not leave this country")
    assert inner.speaker != "Emma Tennant" and inner.anonymous
    own = next(q for q in quotes if q.post_id == "local:0")
    assert own.speaker == "Emma Tennant" and "Sahraa Karimi said" in own.text


# ------------------------------------------------------------------ issue 9: the cases the issue names
@pytest.mark.model
def test_quotes_model_multi_paragraph_quote_is_one(extract_text) -> None:
    text = ('Jane Doe wrote to the council on Friday:\n\n"The river rose overnight and took the bridge.\n\n'
            '"We need help before the next storm comes," she wrote.\n')
    direct = [q for q in extract_text(text)._.quotes if q.direct]
    assert len(direct) == 1
    assert direct[0].spans and len(direct[0].spans) == 2
    assert direct[0].speaker == "Jane Doe"


@pytest.mark.model
def test_quotes_model_partial_quote_inside_reported_speech(extract_text) -> None:
    doc = extract_text('The mayor said the new law was "a betrayal of everyone in this city" and left the room.')
    reported = next(q for q in doc._.quotes if not q.direct)
    partial = next(q for q in doc._.quotes if q.direct)
    assert "the new law was" in reported.text and reported.cue == "said"
    assert partial.text == "a betrayal of everyone in this city"
    assert partial.start >= reported.start and partial.end <= reported.end
    assert partial.speaker == reported.speaker == "The mayor"


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Ahmed Khan, a spokesman for the group, told Al Jazeera that the talks would resume on Monday.", "told"),
        ("Ahmed Khan said that the talks would resume on Monday.", "said"),
        ("Ahmed Khan said the talks would resume on Monday.", "said"),
    ],
)
def test_quotes_model_reported_speech(extract_text, text: str, cue: str) -> None:
    q = next(q for q in extract_text(text)._.quotes if not q.direct)
    assert "talks would resume on Monday" in q.text
    assert q.speaker == "Ahmed Khan" and q.cue == cue


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "span"),
    [
        ('Ahmed Khan posted a video on Instagram. He captioned it: "The river took everything from us."', "He"),
        ('Ahmed Khan opened his phone. "The river took everything from us," he wrote on Facebook.', "he"),
        ('Ahmed Khan filmed the street. "The river took everything from us," he posted.', "he"),
        ('Ahmed Khan filmed the street. "The river took everything from us," he tweeted.', "he"),
        ('Ahmed Khan filmed the street. He shared: "The river took everything from us."', "He"),
        ('Ahmed Khan wrote to the board. Khan began his letter by writing, "The river took everything from us."',
         "Khan"),
    ],
)
def test_quotes_model_social_cues(extract_text, text: str, span: str) -> None:
    doc = extract_text(text)
    q = next(q for q in doc._.quotes if q.direct)
    assert q.text.rstrip(".") == "The river took everything from us"
    assert q.speaker == "Ahmed Khan"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == span


@pytest.mark.model
def test_quotes_model_speaker_after_quote_with_appositive(extract_text) -> None:
    doc = extract_text('"We will rebuild the school before winter," Jane Doe, the spokeswoman for the council, '
                       "told reporters.")
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Jane Doe" and q.cue == "told"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Jane Doe"


@pytest.mark.model
def test_quotes_model_pronoun_by_gender(extract_text) -> None:
    doc = extract_text('Mrs. Maria Lopez met Mr. Ahmed Khan in Lisbon on Monday. '
                       '"We had a long talk about the harbour," she said.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Maria Lopez"


@pytest.mark.model
def test_quotes_model_pronoun_never_a_place(extract_text) -> None:
    doc = extract_text('Ahmed Khan flew to Paris with the delegation. "The city welcomed us warmly," he said.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Ahmed Khan"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "he"


@pytest.mark.model
def test_quotes_model_anonymous_readers(extract_text) -> None:
    doc = extract_text('Readers reacted online. One person wrote: "This is the saddest thing I have seen all year." '
                       'Another shared: "I cannot stop thinking about these families." '
                       'A third said: "Somebody has to help them now."')
    direct = [q for q in doc._.quotes if q.direct]
    assert [q.speaker for q in direct] == ["One person", "Another", "A third"]
    assert all(q.anonymous and q.speaker_id is None for q in direct)


@pytest.mark.model
def test_quotes_model_definite_description_names_the_person(extract_text) -> None:
    # the speaker is the person the description stands for; the span stays on the local mention
    doc = extract_text("Sahraa Karimi, one of the country's best-known filmmakers, left Kabul. "
                       '"I still cannot believe this happened," the Afghan filmmaker wrote on Twitter.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Sahraa Karimi" and not q.anonymous
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "the Afghan filmmaker"


@pytest.mark.model
def test_quotes_model_definite_description_needs_a_matching_person(extract_text) -> None:
    doc = extract_text('Police questioned John Smith on Monday. "We found nothing," the officer said.')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker != "John Smith" and q.anonymous


@pytest.mark.model
@pytest.mark.parametrize("text", ['Her rival laughed. "Really," she added.', '"Quiet," he demanded, as they argued.'])
def test_quotes_model_short_utterance_with_its_cue(extract_text, text: str) -> None:
    direct = [q for q in extract_text(text)._.quotes if q.direct]
    assert len(direct) == 1 and direct[0].cue in ("added", "demanded")


@pytest.mark.model
def test_quotes_model_short_scare_quote_dropped(extract_text) -> None:
    doc = extract_text('The senator blasted the company for its "outrageous practices" in Florida.')
    assert not [q for q in doc._.quotes if q.direct]


@pytest.mark.model
def test_quotes_model_mentioned_post_keeps_local_mention(extract_text) -> None:
    doc = extract_text('Mike Murphy runs the group. "Not us, but we cannot argue with it!" Murphy, '
                       "the head of the committee, tweeted on Friday.")
    q = next(q for q in doc._.quotes if q.direct)
    assert q.post_id is not None and q.speaker == "Mike Murphy"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Murphy"


# ------------------------------------------------------------------ round 2: attribution rules
def test_quotes_frame_model_sums_the_weights_of_its_features() -> None:
    model = FrameModel({"bias": -1.0, "L=urge": 2.5, "R=xcomp": 0.5}, threshold=0.5)
    assert model.prob(["bias"]) == pytest.approx(1 / (1 + math.exp(1.0)))
    assert model.accepts(["bias", "L=urge", "R=xcomp"]) and not model.accepts(["bias", "L=eat", "R=xcomp"])
    assert model.prob(["bias", "unseen feature"]) == model.prob(["bias"])


@pytest.mark.parametrize(("text", "expected"), [("now that the storm has passed", True),
                                                   ("so that nobody could leave", True),
                                                   ("that the storm has passed", False)])
def test_quotes_subordinate_that_is_not_a_complement(text: str, expected: bool) -> None:
    doc = spacy.blank("en")(text)
    start = [t.i for t in doc if t.lower_ == "that"][0]
    assert subordinate_clause(list(doc[start:])) is expected


def test_quotes_participle_on_the_object_speaks_for_the_subject(extractor) -> None:
    # Tom Reed rejected the claims, saying the figures were wrong.  ("saying" hung on "claims")
    words = ["Tom", "Reed", "rejected", "the", "claims", ",", "saying", "the", "figures", "were", "wrong", "."]
    spaces = [True, True, True, True, False, True, True, True, True, True, False, False]
    heads = [1, 2, 2, 4, 2, 4, 4, 8, 9, 6, 9, 2]
    deps = ["compound", "nsubj", "ROOT", "det", "dobj", "punct", "acl", "det", "nsubj", "ccomp", "acomp", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "DET", "NOUN", "PUNCT", "VERB", "DET", "NOUN", "AUX", "ADJ", "PUNCT"]
    tags = ["NNP", "NNP", "VBD", "DT", "NNS", ",", "VBG", "DT", "NNS", "VBD", "JJ", "."]
    lemmas = ["Tom", "Reed", "reject", "the", "claim", ",", "say", "the", "figure", "be", "wrong", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags,
              lemmas=lemmas, sent_starts=[True] + [False] * (len(words) - 1))
    doc.ents = [doc.char_span(0, 8, label="PERSON")]
    doc._.entities = [Entity(id="local:0", name="Tom Reed", label="PERSON", mentions=[[0, 8]])]
    doc._.social_posts = []
    q = next(q for q in extractor.find(doc) if q.cue == "saying")
    assert q.text == "the figures were wrong"
    assert q.speaker == "Tom Reed" and doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Tom Reed"


@pytest.mark.model
def test_quotes_model_passive_source_is_the_agent(extract_text) -> None:
    doc = extract_text("Voters were told by Maria Lopez that the polls would close early.")
    q = next(q for q in doc._.quotes if not q.direct)
    assert q.text == "that the polls would close early"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Maria Lopez"


@pytest.mark.model
def test_quotes_model_parenthetical_cue_splits_the_content(extract_text) -> None:
    doc = extract_text("The new bridge, Mayor Ana Ruiz said, will open in the spring.")
    q = next(q for q in doc._.quotes if not q.direct)
    assert [doc.text[s:e] for s, e in q.spans] == ["The new bridge", "will open in the spring"]
    assert q.cue == "said" and "Ana Ruiz" in doc.text[q.speaker_span[0]:q.speaker_span[1]]


@pytest.mark.model
def test_quotes_model_cue_under_an_adjective_has_the_copula_subject(extract_text) -> None:
    doc = extract_text("Farmers in the valley were more likely to say the new rules hurt them.")
    q = next(q for q in doc._.quotes if not q.direct)
    assert q.text == "the new rules hurt them"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]].startswith("Farmers")


@pytest.mark.model
def test_quotes_model_colon_after_a_clause_without_cue(extract_text) -> None:
    doc = extract_text('At the meeting, Maria Lopez delivered a short message to the council: '
                       '"Fix the roads before the winter comes."')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Maria Lopez"


@pytest.mark.model
def test_quotes_model_quote_opening_the_next_paragraph(extract_text) -> None:
    doc = extract_text('"The plan will work," Maria Lopez told the local radio station.\n\n'
                       '"We have the money and the people to do it."')
    second = [q for q in doc._.quotes if q.direct][1]
    assert second.text.startswith("We have the money") and second.speaker == "Maria Lopez"


@pytest.mark.model
@pytest.mark.parametrize("text", ['"That is simply not true," Maria Lopez shot back.',
                                  'As Maria Lopez put it: "The river decides everything here."'])
def test_quotes_model_cue_with_particle_or_pronoun(extract_text, text: str) -> None:
    q = next(q for q in extract_text(text)._.quotes if q.direct)
    assert q.speaker == "Maria Lopez"


@pytest.mark.model
def test_quotes_model_second_cue_keeps_the_first_subject(extract_text) -> None:
    doc = extract_text("The minister said the plan was sound and promised that taxes would not rise.")
    by_cue = {q.cue: q for q in doc._.quotes if not q.direct}
    assert "promised" not in by_cue["said"].text
    assert by_cue["promised"].speaker == "The minister"


@pytest.mark.model
def test_quotes_model_perception_is_not_reported_speech(extract_text) -> None:
    doc = extract_text("In the video, the boy is seen running along the river as he shares his fear now that "
                       "the storm has come.")
    assert doc._.quotes == []


def test_quotes_name_before_a_description_speaks_when_the_cue_has_no_subject(extractor) -> None:
    # "We stay here," Lowe, a top aide, said.  (the parser hung "Lowe" on the quote and left "said" bare)
    words = ['"', "We", "stay", "here", ",", '"', "Lowe", ",", "a", "top", "aide", ",", "said", "."]
    spaces = [False, True, True, False, False, True, False, True, True, True, False, True, False, False]
    heads = [12, 2, 12, 2, 12, 12, 2, 6, 10, 10, 6, 6, 12, 12]
    deps = ["punct", "nsubj", "ccomp", "advmod", "punct", "punct", "appos", "punct", "det", "amod", "appos",
            "punct", "ROOT", "punct"]
    pos = ["PUNCT", "PRON", "VERB", "ADV", "PUNCT", "PUNCT", "PROPN", "PUNCT", "DET", "ADJ", "NOUN", "PUNCT",
           "VERB", "PUNCT"]
    lemmas = ['"', "we", "stay", "here", ",", '"', "Lowe", ",", "a", "top", "aide", ",", "say", "."]
    doc = parsed(words, heads, deps, pos, lemmas, [(6, 7, "PERSON")], spaces)
    q = next(q for q in extractor.find(doc) if q.direct)
    assert q.text == "We stay here" and q.speaker == "Lowe"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Lowe"


@pytest.mark.model
def test_quotes_model_cue_put_before_the_speaker(extract_text) -> None:
    doc = extract_text('Critics say the plan would make the rules harder to follow. Said Ellis: "I do not get '
                       'the sense she is interested in reform at all."')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Ellis" and doc.text[q.speaker_span[0]:q.speaker_span[1]] == "Ellis"
    assert "Ellis" in {e.name for e in doc._.entities}


@pytest.mark.model
def test_quotes_model_according_to_takes_only_its_paragraph(extract_text) -> None:
    doc = extract_text("The camp is full, and the roads are closed\nAccording to the agency, nearly 250,000 "
                       "people have fled their homes since May.")
    q = next(q for q in doc._.quotes if q.cue == "according to")
    assert q.text == "nearly 250,000 people have fled their homes since May"


@pytest.mark.model
def test_quotes_model_frames_weighed_by_the_model(extract_text) -> None:
    # a stance with no speech verb: the model, not the cue table, makes it an attribution
    doc = extract_text("Senator Ruth Alder has long pushed for a ban on the sale of river sand to builders.")
    q = next(q for q in doc._.stances if not q.direct)
    assert "a ban on the sale of river sand" in q.text and q.speaker == "Ruth Alder"
    assert doc._.quotes == []  # a position, not speech


@pytest.mark.model
def test_quotes_model_kind_tells_speech_from_stance(extract_text) -> None:
    doc = extract_text('"We will reopen the bridge," Mayor Ana Ruiz said. Ruiz said that the repairs would take '
                       "a month. Many residents fear that the ferry will close.")
    kinds = {q.text: q.kind for q in doc._.quotes}
    assert kinds == {"We will reopen the bridge": "direct", "that the repairs would take a month": "reported"}
    # a fear is no speech: it is kept apart, among the stances, and never among the quotes
    assert [(q.text, q.kind) for q in doc._.stances] == [("that the ferry will close", "stance")]


@pytest.mark.model
def test_quotes_model_a_shared_video_is_no_quote(extract_text) -> None:
    doc = extract_text("The singer Ana Ruiz shared a video of the flooded square on Instagram on Sunday.")
    assert [q for q in doc._.quotes if not q.direct] == []


def test_quotes_subject_across_a_paragraph_break_is_no_speaker(extractor) -> None:
    # a signature line and the next paragraph parsed as one sentence: "Quill" is not who "said" it
    words = ["Ada", "Quill", "\n\n", "Later", "said", "that", "the", "slipway", "is", "shut", "."]
    spaces = [True, False, False, True, True, True, True, True, True, False, False]
    heads = [1, 4, 1, 4, 4, 8, 7, 8, 4, 8, 4]
    deps = ["compound", "nsubj", "dep", "advmod", "ROOT", "mark", "det", "nsubj", "ccomp", "acomp", "punct"]
    pos = ["PROPN", "PROPN", "SPACE", "ADV", "VERB", "SCONJ", "DET", "NOUN", "AUX", "ADJ", "PUNCT"]
    lemmas = ["Ada", "Quill", "\n\n", "later", "say", "that", "the", "slipway", "be", "shut", "."]
    doc = parsed(words, heads, deps, pos, lemmas, [(0, 2, "PERSON")], spaces)
    q = next(q for q in extractor.find(doc) if q.cue == "said")
    assert q.text == "that the slipway is shut"
    assert q.speaker is None and q.speaker_span is None


@pytest.mark.model
def test_quotes_model_prose_quote_of_an_embedded_post_is_the_post(extract_text) -> None:
    text = ("The singer Odile Varga answered the ferry company on Friday. She wrote: \"The ferry to Brindlemouth is "
            "cancelled again. We deserve better than this.\"\n\nThe ferry to Brindlemouth is cancelled again. We "
            "deserve better than this. \u2014 Odile Varga (@odilevarga) August 13, 2021\n")
    doc = extract_text(text)
    assert [p.handle for p in doc._.social_posts if p.embedded] == ["odilevarga"]
    ferry = [q for q in doc._.quotes if "cancelled again" in q.text]
    assert len(ferry) == 1  # one quotation, not one for the prose and one for the embed
    q = ferry[0]
    assert q.post_id == "local:0" and q.speaker == "Odile Varga"
    assert doc.text[q.speaker_span[0]:q.speaker_span[1]] == "She"  # the local mention stays


@pytest.mark.model
def test_quotes_model_word_quoted_inside_reported_clause(extract_text) -> None:
    doc = extract_text('On Sunday the harbour board met and declared that the strike is "over."\n')
    assert not [q for q in doc._.quotes if q.direct]  # "over." is a word of the clause, no utterance
    [q] = doc._.quotes
    assert q.text.endswith('the strike is "over."') and q.cue == "declared"  # the quotation closed with it


@pytest.mark.model
def test_quotes_model_manner_of_a_quote_is_not_content(extract_text) -> None:
    # the parser makes "sharing" what she wrote; how she wrote it is no second quotation
    doc = extract_text('"This is what the harbour looks like," Harriet Ellis wrote sharing the video on Twitter.\n')
    assert [(q.text, q.speaker) for q in doc._.quotes] == [("This is what the harbour looks like", "Harriet Ellis")]


@pytest.mark.model
def test_quotes_model_inverted_cues_are_one_list(extract_text) -> None:
    doc = extract_text('The plan was read out at the quay. Wrote Harriet Ellis: "We were never asked about the '
                       'slipway at all."\n')
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Harriet Ellis"
    assert "Harriet Ellis" in {e.name for e in doc._.entities}


# ------------------------------------------------------------------ issue 16: who said what, as a reader checks it
@pytest.mark.model
@pytest.mark.parametrize(("text", "kind"), [
    ("Mayor Ana Ruiz did not say that the bridge would reopen in May.", "unsaid"),
    ("Mayor Ana Ruiz declined to say whether the bridge would reopen in May.", "unsaid"),
    ("Reporters asked Mayor Ana Ruiz whether the bridge would reopen in May.", "question"),
    ("Mayor Ana Ruiz would argue that the bridge should reopen in May.", "unsaid"),
])
def test_quotes_model_no_speech_no_quote(extract_text, text: str, kind: str) -> None:
    # denied, withheld, hypothetical speech and a question put to someone: nobody said the clause, so it is no
    # quote; the attribution is kept apart with the stances, saying what it is
    doc = extract_text(text)
    assert [q.text for q in doc._.quotes] == []
    assert [q.kind for q in doc._.stances if "bridge" in q.text] == [kind]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "Mayor Ana Ruiz asked the bridge authority for more money.",
    "Nine harbor towns have asked the state for $36 million in emergency funds.",
])
def test_quotes_model_whom_or_what_is_no_quote(extract_text, text: str) -> None:
    # whom the speech was addressed to, or what it asked for, and none of its words: no quote, a topic
    doc = extract_text(text)
    assert [q.text for q in doc._.quotes] == []
    assert doc._.stances and {q.kind for q in doc._.stances} == {"topic"}


# Each case is an error a reader found in real coverage, written anew: (text, words of the quote, speakers
# accepted). The old code gave, in order: Peter Grant (the name nearest to "she"), Tom Bell (the name last
# written), no speaker, "Ruiz's executive order", "The fund", "Another key witness",
# "The Oregon lawmaker". The pronoun after a description passed there too: it guards that an outlet named like
# a person ("Frank News") is never taken for him.
SPEAKERS = {
    "pronoun_agrees_with_a_first_name": (
        "Mayor Jane Holloway met the council on Monday. Councilman Peter Grant asked about the budget. "
        '"We will fix the roads first," she said.', "fix the roads", {"Jane Holloway"}),
    "pronoun_is_the_subject_before_not_the_name_last_written": (
        "Detective Paul Marsh said investigators never found the message that Tom Bell had answered. He said "
        "the phone was wiped in March.", "phone was wiped", {"Paul Marsh"}),
    "named_speaker_of_a_paraphrase_goes_on_in_quote_marks": (
        "Nora Quist, a researcher at the Larch Institute, said the rules cannot keep up. \u201cThe laws are old, "
        "and the trade moves faster every year.\u201d", "trade moves faster", {"Nora Quist"}),
    "document_speaks_for_its_issuer": (
        "Governor Ana Ruiz signed the order on Friday. Ruiz's executive order says that every public beach "
        "will close at dusk.", "beach", {"Ana Ruiz", "Ruiz"}),
    "organisation_described_by_its_name": (
        "The Harbor Relief Fund raised money for the families this week. The fund said that every family "
        "would receive help by June.", "every family", {"Harbor Relief Fund"}),
    "name_in_a_long_apposition_speaks": (
        "Another key witness in the harbour inquiry, U.S. Ambassador to the Maritime Union Nora Quist, said "
        "Friday that she had been recalled.", "recalled", {"Nora Quist"}),
    "pronoun_after_a_description_and_an_outlet": (
        "Rep. Dale Hollis (R-Ore.) filed the bill on Tuesday. \"It protects the fishing towns,\" the Oregon "
        "lawmaker said in a statement first shared with Frank News on Wednesday.\n\nHe continued: \"The towns "
        "deserve better than this.\"", "towns deserve better", {"Dale Hollis"}),
    "the_document_named_before_speaks_for_who_filed_it": (
        "The Larch Institute filed a complaint against the port authority on Monday. Dock workers gathered "
        "outside. The complaint says that the new cranes were bought without a vote.", "cranes",
        {"Larch Institute"}),
    "data_speaks_for_who_collected_it": (
        "More than 300 boats were idle in May, according to data collected by the Harbor Statistics Office.",
        "300 boats", {"Harbor Statistics Office"}),
    "description_resolved_through_a_title": (
        "Rep. Dale Hollis (R-Ore.) filed the bill on Tuesday. Critics called it cruel. The Oregon lawmaker said "
        "that the bill would protect fishing towns.", "fishing towns", {"Dale Hollis"}),
}


@pytest.mark.model
@pytest.mark.parametrize("case", list(SPEAKERS))
def test_quotes_model_speaker_resolved_as_a_reader_would(extract_text, case: str) -> None:
    text, words, speakers = SPEAKERS[case]
    q = next(q for q in extract_text(text)._.quotes if words in q.text)
    assert q.speaker in speakers


@pytest.mark.model
def test_quotes_model_a_ruling_is_speech(extract_text) -> None:
    doc = extract_text("The state supreme court ruled that the new district map was lawful.")
    assert [q.kind for q in doc._.quotes if "district map" in q.text] == ["reported"]


@pytest.mark.model
def test_quotes_model_block_quotation_after_a_colon(extract_text) -> None:
    # a paragraph of the source's own words after 'X notes:', its quote marks lost with the page's markup
    doc = extract_text("The harbour board met on Monday.\n\nLena Ortiz, the mayor, notes:\n\nThe ferry has carried "
                       "more people this year than in any year before, and the fleet will grow again.\n\nThe board "
                       "will vote in May.")
    (q,) = [q for q in doc._.quotes if q.kind == "direct"]
    assert q.text.startswith("The ferry has carried") and q.speaker == "Lena Ortiz"
    assert not q.direct  # verbatim words, but the text has no quote marks around them
    # a list introduced after a cue is no one's words
    doc = extract_text("The plan has three parts, the mayor said, including:\n\nA new ferry terminal with room for "
                       "twelve boats.")
    assert not [q for q in doc._.quotes if q.kind == "direct"]


def test_quotes_pronoun_finds_a_person_the_tagger_called_an_organisation() -> None:
    from newsgraph.extract.speakers import SpeakerResolver

    words = ["Jorge", "Ramos", "asked", "twice", ".", "He", "said", "no", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=["PROPN", "PROPN", "VERB", "ADV", "PUNCT", "PRON", "VERB",
                                                          "INTJ", "PUNCT"],
              sent_starts=[True, False, False, False, False, True, False, False, False])
    ramos = Entity(id="local:0", name="Jorge Ramos", label="ORG", mentions=[[0, 11]])
    pronouns = {"he": ("m", "sg"), "she": ("f", "sg")}
    found = SpeakerResolver(doc, [ramos], pronouns, {}, set(), first_names={"jorge": "m"}).resolve(doc[5])
    assert found.name == "Jorge Ramos"  # a first name and a surname: a person, whatever the label
    found = SpeakerResolver(doc, [ramos], {"he": ("f", "sg")}, {}, set(), first_names={"jorge": "m"}).resolve(doc[5])
    assert found.name is None  # ... and only for a pronoun of that person's gender


@pytest.mark.model
def test_quotes_model_speaker_is_no_part_of_her_words(extract_text) -> None:
    # the clause the parser gave the cue after a quotation is the speaker's own apposition, not what she said;
    # in a relative clause the words are those after the cue, not its subject
    doc = extract_text('"The slipway will close," said Nora Quist, president of the Larch Institute.\n\n'
                       "Regulators have faced calls to limit the mayor's online posts, which critics say include "
                       "false and inflammatory statements about the harbour.")
    assert not any("president of the Larch" in q.text for q in doc._.quotes + doc._.stances)
    [q] = [q for q in doc._.quotes if "inflammatory" in q.text]
    assert q.text.startswith("include false") and q.speaker == "critics"


@pytest.mark.model
@pytest.mark.parametrize(("text", "words", "speaker"), [
    ("Mayor Ana Ruiz called the harbour plan a \u201ctotal disgrace\u201d on Monday.", "total disgrace", "Ana Ruiz"),
    ("Senator Tom Bell on Thursday expressed \u201ccomplete confidence\u201d in the harbour master.",
     "complete confidence", "Tom Bell"),
])
def test_quotes_model_the_word_a_speaker_chose_is_a_quote(extract_text, text: str, words: str, speaker: str) -> None:
    # a few words in quote marks that a verb of naming takes: the subject's own words, however short (the old
    # code took them for scare quotes); the thing named is no reported speech
    doc = extract_text(text)
    assert [(q.text, q.direct) for q in doc._.quotes] == [(words, True)]
    assert speaker in doc._.quotes[0].speaker


@pytest.mark.model
def test_quotes_model_a_scare_quote_stays_no_quote(extract_text) -> None:
    doc = extract_text("The so-called \u201charbour plan\u201d was shelved after a \u201cslow\u201d vote.")
    assert doc._.quotes == []


@pytest.mark.model
def test_quotes_model_transcript_turns_are_their_speakers_words(extract_text) -> None:
    # a transcript names each speaker in capitals before a colon; the old code saw no quotation there
    doc = extract_text("Anchor Jane Roe and reporter Tom Bell covered the harbour on Monday.\n\n"
                       "JANE ROE: We begin tonight in the harbour, where the boats stayed home. BELL: The mayor "
                       "spoke for ten minutes and took no questions.\n\nWATCH: the full interview with the mayor.")
    assert [(q.text, q.speaker) for q in doc._.quotes] == [
        ("We begin tonight in the harbour, where the boats stayed home.", "Jane Roe"),
        ("The mayor spoke for ten minutes and took no questions.", "Tom Bell")]


@pytest.mark.model
def test_quotes_model_a_transcript_in_quote_marks_is_turns(extract_text) -> None:
    # each paragraph of the transcript opens with a quote mark and none closes: the old code took the whole
    # transcript for one quotation with no speaker; a one-word label facing a named person speaks too
    doc = extract_text("The host spoke to Governor Jane Roe on Sunday.\n\nA partial transcript follows:\n\n"
                       '"HARBOUR: Let us start with the pier. Why did the council close it?\n\n'
                       '"ROE: Well, look, the pier was unsafe for anyone walking on it after the storm.\n\n'
                       '"And the engineers told us it would take a year to repair it properly.\n\n'
                       '"HARBOUR: Will it open again next summer?\n\n'
                       '"ROE: It will open when it is safe, and not a day before that.')
    got = [(q.spans or [[q.start, q.end]], q.speaker) for q in doc._.quotes]
    assert [s for _, s in got] == ["Harbour", "Jane Roe", "Harbour", "Jane Roe"]
    first_roe = [doc.text[s:e] for s, e in got[1][0]]
    assert first_roe == ["Well, look, the pier was unsafe for anyone walking on it after the storm.",
                         "And the engineers told us it would take a year to repair it properly."]


@pytest.mark.model
def test_quotes_model_a_headline_names_who_says_it(extract_text) -> None:
    # 'Name: claim' is a headline's way to report speech: the old code found nothing in the title
    text = ("Roe: Harbour Pier Must Stay Open All Summer.\n\nGovernor Jane Roe told the council on Sunday "
            "that the pier would stay open.")
    doc = extract_text(text, title="Roe: Harbour Pier Must Stay Open All Summer.")
    assert [(q.text, q.speaker) for q in doc._.quotes][0] == ("Harbour Pier Must Stay Open All Summer.", "Jane Roe")
    # the same line is a related link, not the title, when the article's title is another
    doc = extract_text(text, title="The Pier Stays Open")
    assert all("Harbour Pier" not in q.text for q in doc._.quotes)


@pytest.mark.model
def test_quotes_model_a_paragraph_never_runs_into_the_next(extract_text) -> None:
    # a paragraph ending without a full stop was parsed into the next one: the old code hung "said" on the
    # organisation's name and found no speaker for the officials
    doc = extract_text("\u201cWe are worried about the ferries,\u201d said Nora Quist, president of the Harbor Relief "
                       "Fund\n\nCity officials said the ferries would run on Monday.")
    q = next(q for q in doc._.quotes if "ferries would run" in q.text)
    assert q.speaker == "City officials" and q.anonymous


@pytest.mark.model
def test_quotes_model_a_pronoun_never_stands_for_a_name_in_the_words(extract_text) -> None:
    # the speaker talks about the company; the old code made the company the speaker of its own mention
    doc = extract_text("The Harbour Workers Union met on Monday. The Acme Shipping Company saw twice as many "
                       "complaints this month as it would in an average month, they said.")
    assert [q.speaker for q in doc._.quotes] == ["Harbour Workers Union"]


@pytest.mark.model
def test_quotes_model_the_official_is_the_unnamed_official_introduced(extract_text) -> None:
    # "the official" after "a Homeland Security official": the old code gave it to the president named before
    doc = extract_text("President Jane Roe signed the order on Friday. A Homeland Security official said the list "
                       "would grow. The countries can leave the list by improving their cooperation, the official said.")
    q = next(q for q in doc._.quotes if q.text.startswith("The countries"))
    assert q.speaker == "the official" and q.anonymous and q.speaker_id is None


@pytest.mark.model
def test_quotes_model_a_named_campaign_is_no_ones_description(extract_text) -> None:
    # "The Harbour campaign" names whose campaign it is: a named speaker, not an anonymous description
    doc = extract_text("Campaign manager Jo Dillon wrote to supporters on Monday. The Harbour campaign is touting "
                       "that its haul of small donations broke a record this month.")
    q = doc._.quotes[0]
    assert q.speaker == "The Harbour campaign" and not q.anonymous


@pytest.mark.model
def test_quotes_model_an_outlets_short_name_is_its_full_name(extract_text) -> None:
    # "the Times reported" after "The Harbour Times": the old code named the speaker "Times"
    doc = extract_text("The Harbour Times reported on Sunday that the pier would close. Some worry that the pier "
                       "could stay shut for a year, the Times reported.")
    assert [q.speaker for q in doc._.quotes] == ["Harbour Times", "Harbour Times"]


@pytest.mark.model
def test_quotes_model_the_sentence_before_gives_its_main_speaker(extract_text) -> None:
    # the cue inside the minister's reported clause ("report") is not the quotation's: the old code gave the
    # quotation to "the ministry"
    doc = extract_text("Minister Tom Bell told reporters on Monday that the ministry does not normally report such "
                       "injuries. \"This is mostly outpatient stuff, so we can track that if you are interested.\"")
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Tom Bell"


@pytest.mark.model
def test_quotes_model_who_after_a_message_is_the_person_named(extract_text) -> None:
    # the parser hangs "who" on "a tweet": the old code made the tweet the speaker
    doc = extract_text("That point was made by Governor Jane Roe herself in a tweet, who said the harbour will not "
                       "be closed again.")
    assert [q.speaker for q in doc._.quotes] == ["Jane Roe"]


@pytest.mark.model
def test_quotes_model_the_report_is_the_document_named_just_before(extract_text) -> None:
    # "The report" after "a plan published by X": the old code left the report itself as the speaker
    doc = extract_text("Tom Bell was the lead author of a harbour safety plan published Sunday by the Harbour Policy "
                       "Institute. The report says that \u201cevery ferry should carry twice as many life jackets as "
                       "it has seats.\u201d")
    assert [q.speaker for q in doc._.quotes] == ["Harbour Policy Institute"]


@pytest.mark.model
def test_quotes_model_the_paper_is_the_newspaper_named_before(extract_text) -> None:
    # a newspaper's name holds 'Courier', 'Times', 'Post' (speaker_words.tsv): the old code left "the paper"
    doc = extract_text("The officer had worked at two prisons before his current job, the Harbour Courier revealed. "
                       "An officer named Tom Bell matched the dates, the paper said.")
    assert [q.speaker for q in doc._.quotes] == ["Harbour Courier", "Harbour Courier"]


@pytest.mark.model
def test_quotes_model_a_sob_is_speech(extract_text) -> None:
    # 'as he sobbed, "..."': the old code knew no such cue and gave the words to the crowd mocking him
    doc = extract_text("The crowd mocked the death of Tom Bell, who was pinned to the ground for nine minutes as he "
                       "sobbed, \u201cI cannot breathe.\u201d")
    q = next(q for q in doc._.quotes if q.direct)
    assert q.speaker == "Tom Bell"


@pytest.mark.model
def test_quotes_model_a_relative_clause_after_the_words_is_the_writers(extract_text) -> None:
    # ", which makes her an outlier" is the article's aside about the governor, not what she acknowledged
    doc = extract_text("Governor Jane Roe has acknowledged 4,000 job losses at the harbour, which makes her "
                       "something of an outlier among the state's governors.")
    assert [q.text for q in doc._.quotes] == ["4,000 job losses"]


@pytest.mark.model
def test_quotes_model_he_said_after_the_quotation_is_the_person_the_text_is_about(extract_text) -> None:
    # '"...," he said' after a sentence about Hale: the old code took the name written last (Bell's)
    doc = extract_text("\u201cI will leave the post next year,\u201d Governor Tom Bell said. Senator Jim Hale, a leader "
                       "of the opposition, dismissed Bell's offer as insincere. \u201cNext week we will choose a new "
                       "speaker and get to work for the people,\u201d he said.")
    assert [q.speaker for q in doc._.quotes] == ["Tom Bell", "Jim Hale"]


@pytest.mark.model
def test_quotes_model_an_outlet_is_no_person_for_he(extract_text) -> None:
    # "Fox News" opens with a first name but is never called "News" alone: not a person tagged an organisation
    doc = extract_text("Treasury Secretary Tom Bell spoke on Sunday. \u201cWe will have up to a trillion dollars to "
                       "support the harbour,\u201d Bell told Fox News on Sunday. \u201cThose are broad lending "
                       "programs for every port,\u201d he said.")
    assert [q.speaker for q in doc._.quotes] == ["Tom Bell", "Tom Bell"]


@pytest.mark.model
def test_quotes_model_a_thing_named_is_a_topic_not_speech(extract_text) -> None:
    # "acknowledges the crowd" names what it was about and says nothing of it: the old code made it a quote
    doc = extract_text("Justice Jane Roe acknowledges the crowd at the harbour.")
    assert doc._.quotes == [] and [q.kind for q in doc._.stances] == ["topic"]


@pytest.mark.model
def test_quotes_model_a_speech_nouns_that_clause_is_speech(extract_text) -> None:
    # "complaints ... that ...": what he complained is reported speech; the old code kept it as a stance
    doc = extract_text("The sentence followed Governor Tom Bell's complaints on Twitter that the fine was too harsh.")
    assert [(q.text, q.speaker, q.kind) for q in doc._.quotes] == [("that the fine was too harsh", "Tom Bell", "reported")]


@pytest.mark.model
def test_quotes_model_a_signature_names_the_person_past_the_outlet(extract_text) -> None:
    # '-- Harbour TV host Jane Roe': the old code signed the words with the outlet's first word
    doc = extract_text("The harbour closure drew criticism on the evening shows.\n\n\u201cThe council would rather talk "
                       "about anything than the failing pier that will cost lives this winter.\u201d \u2014 Harbour TV "
                       "host Jane Roe\n\nThe council did not reply.")
    assert [q.speaker for q in doc._.quotes] == ["Jane Roe"]


@pytest.mark.model
def test_quotes_model_an_owned_campaign_is_described_not_guessed(extract_text) -> None:
    # "the former mayor's campaign": its owner stands in it; it is described as written, never another organisation
    doc = extract_text("The Harbour Relief Fund raised $2 million in March. In February alone, the former mayor's "
                       "campaign reported spending $466 million on advertising.")
    q = doc._.quotes[0]
    assert q.speaker == "the former mayor's campaign" and q.speaker_id is None and not q.anonymous


@pytest.mark.model
def test_quotes_model_a_columns_i_is_its_author(extract_text) -> None:
    # "I wrote" in the narration of a one-author column: the old code left the speaker unknown
    text = ("The harbour fund is finally moving. Last week, I wrote: \u201cEveryone finds the harbour in a storm, and "
            "the council will find it too.\u201d Now they have.")
    doc = extract_text(text, authors=["Jane Roe", "Special Correspondent"])
    assert [q.speaker for q in doc._.quotes] == ["Jane Roe"]
    doc = extract_text(text, authors=["Jane Roe", "Tom Bell"])  # two authors: nobody in particular
    assert [q.speaker for q in doc._.quotes] == [None]


@pytest.mark.model
def test_quotes_model_an_organisations_first_words_are_its_name(extract_text) -> None:
    # "Johns Hopkins" after "Johns Hopkins University" is the same organisation: its mentions make it the one the
    # text spoke of last, whose lawsuit "the lawsuit" is
    doc = extract_text("The Harbour Valley Port Authority filed a lawsuit seeking to block the rules. The Lakeside "
                       "Ferry Company has also filed a lawsuit. About 500 ships are registered with the Harbour "
                       "Valley Port. The lawsuit argues that the rules are arbitrary.")
    q = next(q for q in doc._.quotes if "arbitrary" in q.text)
    assert q.speaker == "Harbour Valley Port Authority"


@pytest.mark.model
def test_quotes_model_a_group_is_described_not_an_identity(extract_text) -> None:
    # "Republicans" speak as a group: described as written, anonymous, never one entity's words
    doc = extract_text("Republicans in both houses of Congress have announced they are working on a harbour bill.")
    q = doc._.quotes[0]
    assert q.speaker == "Republicans" and q.anonymous and q.speaker_id is None


@pytest.mark.model
def test_quotes_model_a_question_put_to_someone_is_no_speech(extract_text) -> None:
    # 'asked the mayor: "...?"' puts a question to someone: kept apart as a question, as "asked whether" is
    doc = extract_text("Moments later, reporter Jane Roe asked the mayor: \u201cDo you think closing the pier puts "
                       "the ferry crews at risk?\u201d")
    assert doc._.quotes == [] and [q.kind for q in doc._.stances] == ["question"]


@pytest.mark.model
def test_quotes_model_what_someone_was_asked_about_is_no_speech(extract_text) -> None:
    doc = extract_text("When asked on Sunday about the last time he had been at the harbour, Governor Tom Bell "
                       "smiled.")
    assert doc._.quotes == []


@pytest.mark.model
def test_quotes_model_continuing_to_act_is_no_speech(extract_text) -> None:
    # "continue" is a cue ('"...," she continued') but its infinitive is what they did
    doc = extract_text("And Governor Tom Bell and his allies continued to build a massive war chest for the "
                       "general election.")
    assert doc._.quotes == []


@pytest.mark.model
def test_quotes_model_according_to_an_outlet_reporting_a_named_speaker(extract_text) -> None:
    # "Bell told reporters that ..., according to the Harbour Times": Bell's words, which the outlet reports;
    # the old code also made the whole sentence the outlet's quotation
    doc = extract_text("Leaving a meeting on Saturday, Senator Tom Bell told reporters that the council would "
                       "spend $5 million on the pier, according to the Harbour Times.")
    assert [q.speaker for q in doc._.quotes] == ["Tom Bell"]


@pytest.mark.model
def test_quotes_model_told_with_no_listener_is_a_passive(extract_text) -> None:
    # 'millions of residents told not to leave': they were told; the old code made them the speakers
    doc = extract_text("The harbour has closed. Ferries have been grounded, markets shut, thousands of residents "
                       "told not to leave their homes except to buy food.")
    assert doc._.quotes == []


@pytest.mark.model
def test_quotes_model_a_linked_storys_title_and_byline_is_no_quotation(extract_text) -> None:
    # a list of links to other stories: the old code made each long quoted title a quotation with no speaker
    doc = extract_text('"The Harbour Is Starting to Beat the Bay in the Ferry Polls This Year," by Jane Roe\n\n'
                       '"Why the Pier Will Stay Open. More Towns Should Follow Its Lead." By Tom Bell\n\n'
                       '"We will keep the pier open," said the mayor, by all accounts.')
    assert [q.text for q in doc._.quotes] == ["We will keep the pier open"]


def test_quotes_a_surname_is_no_first_word_of_a_phrase() -> None:
    # "the Obama Doctrine" tagged a person: the old code took "Obama" for its short form and named his words so
    from newsgraph.extract.speakers import SpeakerResolver

    words = ["The", "Obama", "Doctrine", "held", ".", "Obama", "said", "so", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    doctrine = Entity(id="local:0", name="Obama Doctrine", label="PERSON", mentions=[[4, 18]])
    obama = Entity(id="local:1", name="Obama", label="PERSON", mentions=[[25, 30]])
    resolver = SpeakerResolver(doc, [doctrine, obama], {}, {}, set(), first_names={"barack": "m"})
    assert resolver.canonical(obama) is obama
