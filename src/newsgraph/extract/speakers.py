"""Speaker resolution: from the mention a quote is attributed to ("he", "Karimi", "One person") to who it is."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import Entity
from .entities import name_tokens, person_name

# entity labels a speaker may carry; places (GPE, LOC, FAC) speak only through a metonymy we do not resolve
SPEAKER_LABELS = ("PERSON", "ORG", "NORP")
PRONOUN_LABELS = {"m": ("PERSON",), "f": ("PERSON",), "-": ("PERSON",), "n": ("ORG",), "pl": ("ORG", "NORP")}
# the dependency labels of a speaker noun phrase's parts that belong to the mention itself
NP_DEPS = {"det", "amod", "compound", "poss", "nummod", "case", "nmod", "quantmod", "advmod", "predet", "punct",
           "appos", "prep", "pobj", "cc", "conj", "flat"}
# determiners of a definite description, which names someone already introduced ("the filmmaker wrote")
DEFINITE = {"the", "this", "that"}
# how far around a person's mention a description of them is looked for ("Karimi, one of the filmmakers"), in chars
ROLE_WINDOW = (60, 120)
# how many of the people last mentioned a definite description may stand for
ROLE_CANDIDATES = 4
# more words than a person's name has: a headline or a run of names the tagger took for one
MAX_NAME_WORDS = 5
# how far before "the company" its name may stand, in chars
ORG_WINDOW = 1500
# an organisation "name" this long with every word capitalised is a headline
HEADLINE_WORDS = 6
# how far before a lone, ungendered name "he" or "she" still looks for a person of that gender (characters)
WEAK_NAME_WINDOW = 1500
# how far back (tokens) "the report" looks for the report the article named before
DOCUMENT_LOOKBACK = 600


@dataclass
class Speaker:
    """Who a quote is attributed to: the local mention, and what it resolved to."""

    span: tuple[int, int]  # character span of the mention in the text
    name: str | None
    entity_id: str | None = None
    anonymous: bool = False


def _surname(name: str) -> str | None:
    """The last word of a person's surname, past a generational suffix ("Donald Trump Jr." -> "trump")."""
    parts = person_name(name)
    return parts.last.split()[-1] if parts is not None else None


def _headline(name: str) -> bool:
    """A title tagged as an organisation ("Biden Outpaces Trump As Campaigns Report Record Fundraising"): six
    or more words, every one capitalised; an organisation's long name has its small words ("Committee for
    Freedom of the Press")."""
    words = name.split()
    return len(words) >= HEADLINE_WORDS and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


class SpeakerResolver:
    """Resolves mentions of one article against its entities (doc._.entities, article-local ids).

    `pronouns` maps a pronoun to (gender, number); `gender_words` maps a title or role noun to a gender;
    `anonymous_words` are the determiners that open an unnamed speaker's description ("One person").
    """

    def __init__(self, doc: Doc, entities: list[Entity], pronouns: dict[str, tuple[str, str]],
                 gender_words: dict[str, str], anonymous_words: set[str],
                 first_names: dict[str, str] | None = None, org_nouns: set[str] | None = None,
                 messages: set[str] | None = None, role_titles: dict[str, tuple[str, ...]] | None = None,
                 org_name_words: dict[str, frozenset[str]] | None = None) -> None:
        self.doc = doc
        self.org_name_words = org_name_words or {}
        self.role_titles = role_titles or {}
        self.org_nouns = org_nouns or set()
        self.messages = messages or set()
        self.text = doc.text
        self.pronouns = pronouns
        self.gender_words = gender_words
        self.first_names = first_names or {}
        self.anonymous_words = anonymous_words
        self.entities = [e for e in entities if e.label in SPEAKER_LABELS]
        # the words of the quotation being attributed: a pronoun's person is never named only there
        self._words: tuple[int, int] = (0, 0)
        # whether a character lies in quote marks (set once the marks are scanned; see QuoteContext.set_mask)
        self.in_quotes: Callable[[int], bool] | None = None
        article = doc._.article
        # a column's "I" outside quote marks is its one author ("Last week, I wrote: ..."); a byline's title
        # ("Michael Tomasky, Special Correspondent") names nobody
        authors = [a for a in (getattr(article, "authors", None) or []) if a.split()
                   and a.split()[0].lower().strip(".") in (first_names or {})]
        self.author = authors[0] if len(authors) == 1 else None
        mentions = sorted(((m[0], m[1], e) for e in self.entities for m in e.mentions), key=lambda m: (m[0], m[1]))
        self._starts = [m[0] for m in mentions]
        self._mentions = mentions
        self._full = self._full_names()
        self._gender = {id(e): self._entity_gender(e) for e in self.entities if e.label == "PERSON"}
        # a person the tagger labelled an organisation ("Jorge Ramos" as ORG): a first name of known gender
        # and a surname, nothing else; "he" or "she" of that gender may stand for them
        self._person_like = {id(e): g for e in self.entities if e.label == "ORG"
                             and (g := self._first_name_gender(e)) is not None}
        self._surnamed = {id(e) for e in self.entities if id(e) in self._person_like and self._called_by_surname(e)}
        # unnamed people ("a young girl") that a later "she" may stand for: (start, gender, head token)
        self._people = [(t.idx, gender_words[t.lower_], t) for t in doc
                        if t.pos_ == "NOUN" and t.lower_ in gender_words and not t.ent_type_
                        and not self._describes_named(t)]

    def _first_name_gender(self, entity: Entity) -> str | None:
        """The gender of the first name an organisation's mention opens with, when that mention reads as a
        person's name ("Jimmy Dale", whose later mentions are "Dale"): two or three capitalised words."""
        for start, end in entity.mentions:
            words = self.text[start:end].split()
            if 2 <= len(words) <= 3 and words[0].lower() in self.first_names \
                    and all(w[:1].isupper() and re.sub(r"['\u2019-]", "", w).isalpha() for w in words):
                return self.first_names[words[0].lower()]
        return None

    def _called_by_surname(self, entity: Entity) -> bool:
        """Whether the article also calls that organisation by its last word alone, as one calls a person
        ("Jimmy Dale" ... "Dale said"; "Fox News" is never "News")."""
        said = [self.text[start:end].split() for start, end in entity.mentions]
        return any(len(w) >= 2 and [w[-1]] in said for w in said)

    @contextmanager
    def outside(self, start: int, end: int) -> Iterator[None]:
        """Resolve while the words [start, end) are a quotation's: '"... Baker Brothers saw more calls ...," he
        said' -- "he" is not the company the speaker talks about."""
        saved, self._words = self._words, (start, end)
        try:
            yield
        finally:
            self._words = saved

    def _quoted(self, start: int, end: int) -> bool:
        return self._words[0] <= start and end <= self._words[1]

    def _all_quoted(self, tokens) -> bool:
        """Whether every word of `tokens` lies in the quotation being attributed (punctuation aside)."""
        return all(t.is_punct or t.is_space or self._quoted(t.idx, t.idx + len(t)) for t in tokens)

    @staticmethod
    def _describes_named(t: Token) -> bool:
        """A role noun that describes someone named ("Karimi, the first woman ...", "she is a mother")."""
        if t.dep_ in ("appos", "attr", "compound", "poss"):
            return True
        near = [t.head] + list(t.children)
        return any(x.ent_type_ == "PERSON" for x in near)

    # ------------------------------------------------------------------ entities
    def _full_names(self) -> dict[int, Entity]:
        """A one-word PERSON name -> the longer PERSON name it is part of ("Karimi" -> "Sahraa Karimi"); an
        organisation's last word -> its full name ("Post" -> "Washington Post")."""
        people = [e for e in self.entities if e.label == "PERSON"]
        out: dict[int, Entity] = {}
        for short in people:
            parts = short.name.split()
            if len(parts) != 1:
                continue
            word = parts[0].lower()
            # the surname of the longer name, or its first name when it is one ("Sahraa"): never another word
            # of a phrase the tagger called a person ("Obama" is no "Obama Doctrine")
            longer = [e for e in people if e is not short and len(e.name.split()) > 1
                      and (_surname(e.name) in name_tokens(short.name)
                           or (e.name.split()[0].lower() == word and word in self.first_names))]
            if longer:
                # the earliest full name seen: the article introduces a person before shortening the name
                out[id(short)] = min(longer, key=lambda e: min(m[0] for m in e.mentions))
        # "the Post reported" after "The Washington Post", "Johns Hopkins" after "Johns Hopkins University": an
        # organisation's last word or first words (two or more: "Trump" is no "Trump Organization"), when only
        # one organisation named before is so named in full
        orgs = [e for e in self.entities if e.label == "ORG" and e.mentions]
        for short in orgs:
            words = short.name.split()
            if not words or not all(w[:1].isupper() for w in words):
                continue
            first = min(m[0] for m in short.mentions)
            longer = [e for e in orgs if e is not short and len(e.name.split()) > len(words)
                      and min(m[0] for m in e.mentions) < first
                      and ((len(words) == 1 and e.name.split()[-1] == words[0])
                           or (len(words) > 1 and e.name.split()[:len(words)] == words))]
            if len(longer) == 1:
                out[id(short)] = longer[0]
        return out

    def canonical(self, entity: Entity) -> Entity:
        return self._full.get(id(entity), entity)

    def _entity_gender(self, entity: Entity) -> str | None:
        """A person's gender as the article marks it (a title: "Mrs. Karimi"), else as their first name does
        ("Jane Doe"), else unknown: then any pronoun may stand for them."""
        for start, _ in entity.mentions:
            before = self.text[max(0, start - 6):start].strip().lower().split()
            if before and before[-1] in self.gender_words:
                return self.gender_words[before[-1]]
        for e in self.entities:
            if e.label == "PERSON" and (e is entity or self._full.get(id(e)) is entity):
                parts = e.name.split()
                if len(parts) > 1 and parts[0].lower().strip(".") in self.first_names:
                    return self.first_names[parts[0].lower().strip(".")]
        return None

    def mention_at(self, start: int, end: int) -> Entity | None:
        """The speaker entity with a mention overlapping [start, end), people first."""
        i = bisect.bisect_left(self._starts, end)
        found = [e for s, t, e in self._mentions[max(0, i - 50):i] if s < end and t > start]
        if not found:
            return None
        found.sort(key=lambda e: SPEAKER_LABELS.index(e.label))
        return found[0]

    def recent(self, before: int, labels: tuple[str, ...], gender: str | None = None) -> tuple[Entity, list[int]] | None:
        """The last speaker-entity mention ending before `before`, with a label in `labels` and a compatible gender."""
        i = bisect.bisect_left(self._starts, before)
        person_like = weak = None
        for s, t, e in reversed(self._mentions[:i]):
            if t > before or self._quoted(s, t):
                continue
            if weak is not None and weak[1][0] - t > WEAK_NAME_WINDOW:
                break
            if e.label not in labels:
                if "PERSON" in labels and gender in ("m", "f") and self._person_like.get(id(e)) == gender:
                    if id(e) in self._surnamed:
                        # 'Jimmy Dale' tagged an organisation, then "Dale said ... he said": a person named
                        # nearer than anyone tagged a person
                        return e, [s, t]
                    person_like = person_like or (e, [s, t])
                continue
            if self._named(e) and self._agrees(e, gender):
                if gender in ("m", "f") and e.label == "PERSON" and self._weak(e):
                    # "he" after a lone word tagged a person ("Actemra", "Nah"), with a man named just before
                    weak = weak or (e, [s, t])
                    continue
                return e, [s, t]
        return weak or person_like  # 'Jorge Ramos' tagged an organisation: only when no person will do

    def person_before(self, tok: Token) -> Speaker | None:
        """The person last named before `tok`, as a speaker ("who" whose parse antecedent is no person)."""
        hit = self.recent(tok.idx, ("PERSON",))
        if hit is None:
            return None
        entity = self.canonical(hit[0])
        return Speaker((tok.idx, tok.idx + len(tok)), entity.name, entity.id, False)

    def _weak(self, entity: Entity) -> bool:
        """A person of one word whose gender nothing marks: often no person at all (a drug, an interjection)."""
        full = self.canonical(entity)
        return len(full.name.split()) == 1 and not self._gender.get(id(full)) and not self._gender.get(id(entity))

    @staticmethod
    def _named(entity: Entity) -> bool:
        """Whether a person entity reads as a person's name: "COVID-19" or a headline tagged PERSON is none."""
        return entity.label != "PERSON" or not (any(ch.isdigit() for ch in entity.name)
                                                 or len(entity.name.split()) > MAX_NAME_WORDS)

    def _agrees(self, entity: Entity, gender: str | None) -> bool:
        if gender not in ("m", "f") or entity.label != "PERSON":
            return True
        known = self._gender.get(id(self.canonical(entity))) or self._gender.get(id(entity))
        return not known or known == gender

    def salient(self, pronoun: Token, labels: tuple[str, ...], gender: str | None) -> tuple[Entity, list[int]] | None:
        """The subject of the sentence before, for a pronoun that opens its own sentence as a subject:
        'Marsh said the message Tom Bell answered was gone. He said ...': "He" is Marsh, who the text is
        about, not the name last written, also across a paragraph break. None when that subject is no such
        entity."""
        subj = self._previous_subject(pronoun)
        if subj is not None and subj.pos_ == "PRON" and subj.lower_ == pronoun.lower_:
            return self.salient(subj, labels, gender)  # "He ... . He said": the same person again
        hit = self.head_mention(subj) if subj is not None else None
        if hit is None and subj is not None and subj.pos_ == "PROPN":
            # a surname the tagger missed ("Dial"), of a person the article named in full
            named = self.by_surname(subj.text)
            if named is not None and self._agrees(named, gender) and "PERSON" in labels:
                return named, [subj.idx, subj.idx + len(subj)]
        if hit is None and subj is not None:
            # "..., the Republican lawmaker said. He continued:": the person the description stands for
            named = self.definite(subj, subj.idx)
            if named is not None and self._agrees(named, gender) and named.label in labels:
                return named, list(named.mentions[-1]) if named.mentions else [subj.idx, subj.idx]
        if hit is not None and hit[2].label == "ORG" and "PERSON" in labels and gender in ("m", "f") \
                and self._surname_like(self.canonical(hit[2])):
            return hit[2], [hit[0], hit[1]]  # 'Fauci said ... . He said': a surname the tagger called an ORG
        if hit is None or hit[2].label not in labels or not self._named(hit[2]) or not self._agrees(hit[2], gender) \
                or (gender in ("m", "f") and hit[2].label == "PERSON" and self._weak(hit[2])):
            return None  # (a lone ungendered word tagged a person, "Isotonitazene", is no "he")
        return hit[2], [hit[0], hit[1]]

    def _surname_like(self, entity: Entity) -> bool:
        """An organisation's name that may be a person's: one or two capitalised words, no organisation noun."""
        words = entity.name.split()
        return 0 < len(words) <= 2 and all(w[:1].isupper() for w in words) \
            and not any(w.lower().strip(".,") in self.org_nouns for w in words) and not entity.name.isupper()

    def _previous_subject(self, pronoun: Token) -> Token | None:
        """The subject of the sentence before, for a subject pronoun that opens its sentence (or paragraph)."""
        if pronoun.dep_ != "nsubj":
            return None
        sent = pronoun.sent
        if sent.start == 0:
            return None
        if pronoun.i - sent.start > 2 and not self._all_quoted(self.doc[sent.start:pronoun.i]):
            return None  # (after the quotation it attributes, '"...," he said' opens its sentence all the same)
        prev = self.doc[sent.start - 1].sent
        # past the paragraph break the parser made a sentence of its own, and the quotation's own sentences
        while prev.start > 0 and (not prev.text.strip() or self._all_quoted(prev)):
            prev = self.doc[prev.start - 1].sent
        return next((c for c in prev.root.children if c.dep_ == "nsubj"), None)

    def _untagged_subject(self, pronoun: Token) -> Token | None:
        """That subject, when it is a capitalised name the tagger gave no label at all (no entity of ours)."""
        subj = self._previous_subject(pronoun)
        if subj is None or subj.pos_ != "PROPN" or subj.ent_type_ or not subj.text[:1].isupper() \
                or self._mentions_at(subj.idx):
            return None
        return subj

    def by_surname(self, word: str) -> Entity | None:
        """The one person the article names in full whose surname `word` is, else None."""
        found = {id(c): c for e in self.entities if e.label == "PERSON" and len(e.name.split()) > 1
                 and e.name.split()[-1] == word for c in [self.canonical(e)]}
        return next(iter(found.values())) if len(found) == 1 else None

    # ------------------------------------------------------------------ mentions
    def head_mention(self, head: Token) -> tuple[int, int, Entity] | None:
        """The entity mention that is the noun phrase's head, or its apposition ("a spokesman, Jane Doe,"),
        also a name inside a longer apposition ("another witness, U.S. Ambassador Gordon Sondland,")."""
        appositions = [c for c in head.children if c.dep_ == "appos"]
        for tok in [head] + appositions:
            for s, t, e in self._mentions_at(tok.idx):
                return s, t, e
        for appos in appositions:
            tok = self.person_in(appos)
            if tok is not None:
                return self._mentions_at(tok.idx)[0]
        return None

    def person_in(self, phrase: Token) -> Token | None:
        """The first token of a person's name inside a phrase ("U.S. Ambassador to the EU Jane Doe")."""
        for tok in phrase.subtree:
            if any(e.label == "PERSON" and self._named(e) for _, _, e in self._mentions_at(tok.idx)):
                return tok
        return None

    def mentions_at(self, i: int) -> list[tuple[int, int, Entity]]:
        """The speaker-entity mentions covering character i, people first."""
        return self._mentions_at(i)

    def _mentions_at(self, i: int) -> list[tuple[int, int, Entity]]:
        k = bisect.bisect_right(self._starts, i)
        found = [(s, t, e) for s, t, e in self._mentions[max(0, k - 50):k] if s <= i < t]
        found.sort(key=lambda m: SPEAKER_LABELS.index(m[2].label))
        return found

    def mention_span(self, head: Token) -> tuple[int, int]:
        """The character span of the noun phrase headed by `head`: its entity, else its compact subtree."""
        hit = self.head_mention(head)
        if hit is not None:
            return hit[0], hit[1]
        # drop relative clauses and trailing punctuation; keep the phrase short
        left = head.left_edge
        right = head
        for child in head.rights:
            if child.dep_ == "punct":
                continue  # the commas around an apposition
            if child.dep_ in NP_DEPS:
                right = child.right_edge
            else:
                break
        if right.i - left.i > 12:
            right = head
        while right.i > left.i and right.is_punct:
            right = self.doc[right.i - 1]
        return left.idx, right.idx + len(right)

    def resolve(self, head: Token) -> Speaker:
        """The speaker whose mention is headed by `head` (the subject of a cue, the object of "according to")."""
        start, end = self.mention_span(head)
        hit = self.head_mention(head)
        if hit is not None:
            entity = self.canonical(hit[2])
            if entity.label == "NORP":
                # "Republicans have announced": a group described, no one identity that speaks
                return Speaker((start, end), self.text[hit[0]:hit[1]], None, True)
            return Speaker((start, end), entity.name, entity.id, False)
        low = head.lower_
        if low in self.pronouns and head.pos_ == "PRON":
            gender, number = self.pronouns[low]
            key = "pl" if number == "pl" else gender
            labels = PRONOUN_LABELS.get(key, ())
            if low == "i" and self.author is not None and self.in_quotes is not None and not self.in_quotes(start):
                return Speaker((start, end), self.author, None, False)
            if low in ("i", "we") or not labels:
                return Speaker((start, end), None)
            hit2 = self.salient(head, labels, gender)
            if hit2 is None and gender in ("m", "f") and "PERSON" in labels:
                named = self._untagged_subject(head)
                if named is not None:  # 'Fauci said ... . He said': a name the tagger missed
                    return Speaker((start, end), self.text[slice(*self.mention_span(named))], None, False)
            hit2 = hit2 or self.recent(start, labels, gender)
            if gender in ("m", "f"):
                people = [p for p in self._people if p[0] < start and p[1] == gender]
                if people and (hit2 is None or people[-1][0] > hit2[1][0]):
                    noun = people[-1][2]
                    return Speaker((start, end), self.describe(*self.mention_span(noun)), None, True)
            if hit2 is None:
                return Speaker((start, end), None)
            entity = self.canonical(hit2[0])
            if entity.label == "NORP":
                return Speaker((start, end), self.text[hit2[1][0]:hit2[1][1]], None, True)
            return Speaker((start, end), entity.name, entity.id, False)
        if head.pos_ == "PROPN":
            return Speaker((start, end), self.text[start:end], None, False)
        issuer = self.issuer(head)
        if issuer is not None:
            found = self.resolve(issuer)
            found.span = (start, end)
            return found
        if self._owned(head):
            # "The Trump campaign is touting": the name it carries says whose; no one else is meant
            return Speaker((start, end), self.describe(start, end), None, False)
        named = self.definite(head, start)
        intro = self.introduced(head, start)
        if named is not None and (intro is None or max(
                (m[0] for m in self._all_mentions(self.canonical(named)) if m[1] <= start), default=0) > intro):
            entity = self.canonical(named)
            return Speaker((start, end), entity.name, entity.id, False)
        return Speaker((start, end), self.describe(start, end), None, True)

    def _owned(self, head: Token) -> bool:
        """An organisation noun whose own name or owner stands in it: "the Trump campaign", "the former mayor's
        campaign"."""
        return head.pos_ == "NOUN" and head.lemma_.lower() in self.org_nouns and any(
            (c.dep_ == "compound" and c.pos_ == "PROPN" and c.text[:1].isupper())
            or (c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")) for c in head.children)

    def introduced(self, head: Token, before: int) -> int | None:
        """Where the article last introduced someone unnamed by the same noun ("a Homeland Security official
        said ... the official said"): "the official" is that person, not a named official further back."""
        if head.pos_ != "NOUN" or head.left_edge.lower_ not in DEFINITE:
            return None
        lemma = head.lemma_.lower()
        for t in reversed(head.doc[max(0, head.i - DOCUMENT_LOOKBACK):head.i]):
            if t.pos_ == "NOUN" and t.lemma_.lower() == lemma and t.idx < before \
                    and t.left_edge.lower_ in self.anonymous_words and not self._describes_named(t):
                return t.idx
        return None

    def issuer(self, head: Token) -> Token | None:
        """Who speaks through a message or document the text names as the speaker: "Trump's executive order
        says" -> Trump, "an analysis from Bully Pulpit found" -> Bully Pulpit, "a letter organised by X" -> X;
        "the complaint says" -> whoever issued the complaint the article mentioned before ("X filed a
        complaint"), else None."""
        if head.pos_ != "NOUN" or head.lemma_.lower() not in self.messages:
            return None
        found = self._issuer_of(head, subject=False)
        if found is not None or head.left_edge.lower_ not in DEFINITE or head.tag_ == "NNS":
            return found  # ("the filings" of several campaigns are no one's in particular)
        # "the complaint": the same document named earlier, nearest first, and who issued it there
        lemma, seen, issuers = head.lemma_.lower(), 0, []
        for t in reversed(head.doc[max(0, head.i - DOCUMENT_LOOKBACK):head.i]):
            if t.pos_ == "NOUN" and t.lemma_.lower() == lemma:
                found = self._issuer_of(t, subject=True)
                seen += 1
                if found is not None:
                    issuers.append(found)
                if seen >= 3:
                    break
        if issuers:
            # several issued one ("X filed a lawsuit ... Y also filed a lawsuit ... X's students ... The lawsuit
            # says"): the one the text spoke of last is the one it goes on about
            return max(issuers, key=lambda t: self._last_mention(t, head.idx))
        # "a response plan published by X. The report says": the document the sentence before named, under
        # another noun, when it is the only one there
        sent = head.sent
        if sent.start == 0 or head.i - sent.start > 2:
            return None
        before = [t for t in head.doc[sent.start - 1].sent if t.pos_ == "NOUN" and t.lemma_.lower() in self.messages]
        return self._issuer_of(before[0], subject=True) if len(before) == 1 else None

    def _last_mention(self, tok: Token, before: int) -> int:
        """Where the entity `tok` names was last mentioned before `before` (its own place if none is known)."""
        hit = self.head_mention(tok)
        if hit is None:
            return tok.idx
        entity = self.canonical(hit[2])
        return max((m[0] for m in self._all_mentions(entity) if m[1] <= before), default=tok.idx)

    def _issuer_of(self, noun: Token, subject: bool) -> Token | None:
        """The person or organisation a document noun names as its author: a possessive, "by"/"from" X, a
        participle's agent ("compiled by X"); with `subject`, also whoever the sentence says made it ("X filed
        a complaint")."""
        def named(t: Token) -> bool:
            return t.pos_ == "PRON" or self.head_mention(t) is not None

        for c in noun.children:
            if c.dep_ == "poss" and named(c):
                return c
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and self.head_mention(obj) is not None:
                    return obj
            if c.dep_ == "acl" and c.tag_ == "VBN":
                for a in c.children:
                    if a.dep_ == "agent" or (a.dep_ == "prep" and a.lower_ == "by"):
                        obj = next((g for g in a.children if g.dep_ == "pobj"), None)
                        if obj is not None and self.head_mention(obj) is not None:
                            return obj
        if subject and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
            subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and named(subj):
                return subj
        return None

    def definite(self, head: Token, before: int) -> Entity | None:
        """The person a definite description stands for: "the filmmaker" after "Karimi, a filmmaker, ...";
        the organisation an organisation noun does ("the company" after "FedEx").

        Only a person described by the same noun (in a role or beside a mention) qualifies, so that
        "the officer" never becomes whoever was named last. A pronoun written for the article
        ("she Afghan filmmaker") counts as the determiner it replaced.
        """
        if head.pos_ != "NOUN" or head.tag_ in ("NNS", "NNPS"):
            return None
        first = head.left_edge
        if first.i == head.i or not (first.lower_ in DEFINITE or (
                first.pos_ == "PRON" and first.lower_ in self.pronouns and first.dep_ != "poss")):
            return None
        i = bisect.bisect_left(self._starts, before)
        word = re.compile(r"\b" + re.escape(head.lemma_.lower()), re.IGNORECASE)
        if head.lemma_.lower() in self.org_nouns:
            # "the fund said" after "the Minnesota Freedom Fund", "the company" after "ADP, the payroll company":
            # an organisation named so, or so described beside one of its mentions; none else is guessed
            described = None
            for s, t, e in reversed(self._mentions[:i]):
                if t > before or e.label != "ORG" or before - s > ORG_WINDOW or _headline(e.name) \
                        or self.canonical(e).label != "ORG" or self._person_like.get(id(e)):
                    continue  # (a person's name tagged ORG is still the person: "campaign manager Jo Dillon")
                marks = self.org_name_words.get(head.lemma_.lower(), frozenset())
                if word.search(e.name) or any(w.lower().strip(".,") in marks for w in e.name.split()[1:]):
                    return self.canonical(e)  # "the fund" -> "the Freedom Fund", "the paper" -> "the Courier Post"
                if described is None and word.search(self.text[max(0, s - ROLE_WINDOW[0]):min(t + ROLE_WINDOW[1], before)]):
                    described = e
            return self.canonical(described) if described is not None else None
        # "the lawmaker" for "Rep. Jane Doe": the noun itself, or a title that makes someone one
        titles = self.role_titles.get(head.lemma_.lower(), ())
        if titles:
            word = re.compile(r"\b(?:" + "|".join([re.escape(head.lemma_.lower())] + [re.escape(t) for t in titles])
                              + r")(?!\w)", re.IGNORECASE)
        seen: list[Entity] = []
        for _s, t, e in reversed(self._mentions[:i]):
            e = self.canonical(e)
            if e.label != "PERSON" or t > before or any(x is e for x in seen) or self._weak(e):
                continue  # (a lone ungendered word tagged a person, "Nah", is described by nothing)
            seen.append(e)
            if any(word.search(r) for r in e.roles) or any(
                    word.search(self.text[max(0, ms - ROLE_WINDOW[0]):min(me + ROLE_WINDOW[1], before)])
                    for ms, me in self._all_mentions(e) if me <= before):
                return e
            if len(seen) >= ROLE_CANDIDATES:
                break
        return None

    def _all_mentions(self, entity: Entity) -> list[list[int]]:
        """The mentions of a person under every name it goes by ("Sahraa Karimi", "Karimi")."""
        return [m for e in self.entities if self.canonical(e) is entity for m in e.mentions]

    def describe(self, start: int, end: int) -> str:
        """An unnamed speaker's description, as written ("a young girl", "One person", "Another")."""
        return self.text[start:end].strip()
