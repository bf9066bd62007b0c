"""Social media posts embedded in or cited by an article, with the reshares and reactions between them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..data import alternation, load_table
from ..records import SocialPost
from .component import Extractor
from .social_dates import Calendar, parse_iso
from .social_embeds import Embed, FlattenedEmbeds, HtmlEmbeds, compile_platforms

Doc.set_extension("social_posts", default=None, force=True)

LOCAL_ID_PREFIX = "local:"
_QUOTE = re.compile(r"“([^”]{1,3000})”|(?<![\w,.!?])\"(?=\S)([^\"\n]{1,3000}?)(?<=\S)\"(?!\w)")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_SENT = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])|\n+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_HANDLE_AFTER = re.compile(r"\s*\(@([\w.]{1,30})\)")
# how the words of a name hang on its head: "Ann" in "commentator Ann Coulter", "Rudy Giuliani" in "his
# attorney, Rudy Giuliani"; a name hanging by a preposition or inside a clause is someone else
_NAME_DEPS = {"compound", "flat", "appos", "amod", "det", "punct", "nmod", "nummod", "cc", "conj", "prt"}


def _token_at(doc: Doc, pos: int) -> Token | None:
    """The token at character `pos` of the doc, if one starts or runs there."""
    span = doc.char_span(pos, pos + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _names(author: Token, subject: Token) -> bool:
    """Is `author` a word of the subject's own name, not a name inside a clause or phrase hanging on it
    ("Trump, who pressed [Powell] to cut rates, asked", "several of [his] supporters said")?"""
    t = author
    for _ in range(8):
        if t.i == subject.i:
            return True
        if t.dep_ not in _NAME_DEPS and not (t.dep_ == "pobj" and t.head.dep_ == "agent"):
            return False
        t = t.head
    return False


def _same_words(a: str, b: str) -> bool:
    """The same post quoted in full in one place and in part in another."""
    x, y = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    if not x or not y:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return " ".join(short) in " ".join(long_)


@Language.factory("newsgraph_social", requires=["doc.ents"], assigns=["doc._.social_posts"],
                  default_config={"platforms": "platforms.json", "cues": "social_cues.json", "max_mentions": 200,
                                  "tone": True, "speaker_words": "speaker_words.tsv",
                                  "first_names": "first_names.tsv"})
def make_social_extractor(nlp: Language, name: str, platforms: str, cues: str, max_mentions: int,
                          tone: bool, speaker_words: str = "speaker_words.tsv",
                          first_names: str = "first_names.tsv") -> SocialExtractor:
    # 'Continued Nadler:': a cue the tagger read into the name it stands before (entities.py strips them too)
    inverted = {row["word"] for row in load_table(speaker_words) if row["kind"] == "inverted_cue"}
    genders = {r["name"]: r["gender"] for r in load_table(first_names)} if first_names else None
    return SocialExtractor(load_table(platforms), load_table(cues), max_mentions, tone, inverted, genders)


@dataclass
class _Draft:
    """A post being built: where it stands, and links to other drafts until local ids are given."""

    post: SocialPost
    anchor: int
    sentence: tuple[int, int] | None = None
    reshares: _Draft | None = None
    reacts_to: _Draft | None = None
    keys: set[str] = field(default_factory=set)
    # sentences of prose mentions merged into this post ("X shared Y's video on Twitter" above X's embed)
    mentioned_in: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Ent:
    start: int
    end: int
    label: str
    text: str
    # the grammatical subject of its clause, where the parser says so, or what a copula makes of the subject
    # ("one of the few who stayed silent is the Reverend Ana Ruiz"): who a later "she" is about
    subject: bool = False


def _words(options: list[str]) -> str:
    return alternation(options, "newsgraph_social (platforms, cues)")


class SocialExtractor(Extractor):
    """Embedded posts (flattened text, HTML embeds) and posts the prose mentions, with their chains."""

    name = "newsgraph_social"
    attr = "social_posts"

    def __init__(self, platforms: dict[str, Any], cues: dict[str, Any], max_mentions: int = 200,
                 tone: bool = True, inverted_cues: set[str] | None = None,
                 first_names: dict[str, str] | None = None) -> None:
        self.max_mentions = max_mentions
        # a first name's usual gender (m/f): "she" never stands for a man the article names
        self.first_names = first_names or {}
        self.inverted_cues = inverted_cues or set()
        self.tone = tone
        self._analyzer: Any = None  # VADER, built on the first post with words of its own
        self.cues = cues
        self.calendar = Calendar(cues)
        self.platforms = compile_platforms(platforms, self.calendar)
        self.flattened = FlattenedEmbeds(self.platforms, self.calendar)
        self.html = HtmlEmbeds(self.platforms, self.calendar)
        self.platform_of: dict[str, str] = {}
        names, verbs = [], []
        for platform, spec in self.platforms.items():
            for n in spec.get("names", []):
                self.platform_of[n.lower()] = platform
                names.append(n)
            for v in spec.get("verbs", []):
                self.platform_of[v.lower()] = platform
                verbs.append(v)
            for n in spec.get("nouns", []):
                self.platform_of[n.lower()] = platform
        nouns = [n for spec in self.platforms.values() for n in spec.get("nouns", [])]
        lead = r"(?:in|via|with|through)\s+(?:a|an|his|her|their|its|one|the)\s+(?:[\w-]+\s+)?"
        self.mention_re = re.compile(
            rf"\b(?:(?P<name>{_words(names)})|(?i:(?P<verb>{_words(verbs)}))|{lead}(?P<noun>(?i:{_words(nouns)})))\b"
            if verbs and nouns else rf"\b(?P<name>{_words(names)})\b")
        det = _words(cues["determiners"])
        self.venue_before = re.compile(
            rf"(?:\b(?:{_words(cues['venue_before'])})\s+(?:(?:{det})\s+){{0,2}}"
            rf"|\b(?:his|her|their|its)\s+(?:(?:{det})\s+)?|\w+['’]s\s+)$", re.I)
        self.venue_words = {w.lower() for w in cues["venue_after"]}
        self.not_venue_words = {w.lower() for w in cues.get("not_venue_after", [])}
        self.venue_after = re.compile(rf"^\s+(?:{_words(cues['venue_after'])})\b", re.I)
        self.not_venue = re.compile(rf"\b(?:{_words(cues['not_venue_before'])})\s+(?:(?:{det})\s+)?$", re.I)
        self.not_subject = re.compile(rf"\b(?:{_words(cues['not_subject_before'])})\s+(?:the\s+)?$", re.I)
        self.auxiliary = re.compile(rf"\b(?:{_words(cues['passive_auxiliaries'])})\s+(?:\w+ly\s+)?$", re.I)
        self.spoken = re.compile(rf"\b(?:in|during)\s+(?:{det})\s+(?:[\w-]+\s+)?(?:{_words(cues['spoken_media'])})\b", re.I)
        self.definite = re.compile(rf"\b(?:{_words(cues['definite'])})\s+\w*\s*$", re.I)
        self.source = re.compile(rf"\s*(?:{_words(cues['source_prepositions'])})\s+"
                                 r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
        self.greeting = _words(cues["greetings"])
        # Jr., III: a son of the same name is another person (the suffixes entities.py reads from the same table)
        self.name_suffixes = {r["word"] for r in load_table("name_parts.tsv") if r["kind"] == "suffix"}
        # "The president slammed the leaders. ... he tweeted": a sentence about a person named by a role
        roles = alternation([r["word"] for r in load_table("role_nouns.tsv")], "newsgraph_social (role_nouns)")
        self.role_subject = re.compile(rf"\W*(?:The|the)\s+(?:[\w-]+\s+)?(?i:{roles})\s+[a-z]")
        self.clause_break = re.compile(rf"\b(?:{_words(cues['clause_breaks'])})\b", re.I)
        self.post_verb = re.compile(rf"\b(?:{_words(cues['post_verbs'])})\b", re.I)
        self.writing_verbs = {v.lower() for v in cues["writing_verbs"]}
        self.generic = {w.lower() for w in cues["generic_authors"]}
        self.pronouns = {k.lower(): v for k, v in cues["pronouns"].items()}
        self.pronoun_re = re.compile(rf"\b(?:{_words(list(self.pronouns))})\b", re.I)
        self.react_re = re.compile(rf"\b(?:{_words(cues['react_cues'])})\b", re.I)
        content = _words(cues["content_nouns"])
        self.reshare_re = re.compile(
            rf"\b(?:{_words(cues['reshare_verbs'])})\b(?:\W+\w+){{0,5}}?\W+(?:{content})\b", re.I)
        self.post_reference = re.compile(rf"\b(?:it|{content})\b", re.I)
        # "the video, filmed by a resident named Lia Moss, was posted by ...": who made the content
        self.made_by = re.compile(
            rf"\b(?i:{content})\b[^.;!?]{{0,80}}?\b(?i:{_words(cues['origin_verbs'])})\s+by\s+"
            r"(?:[a-z][\w-]*\s+){0,4}?(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
        # "'s video", "'s original clip": the post a possessive names (a few words may stand between)
        self.possessive_content = re.compile(rf"['’]s?\s+(?:[\w-]+\s+){{0,2}}?(?:{content})\b", re.I)
        self.passive_re = re.compile(rf"\b(?:{content})\s+(?:{_words(cues['post_verbs'])})\s*$", re.I)
        scales = cues["scales"]
        self.scales = {k.lower(): v for k, v in scales.items()}
        self.metric_names = {k.lower(): v for k, v in cues["metrics"].items()}
        self.metric_re = re.compile(
            rf"\b(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>{_words(list(scales))})?\+?\s+"
            rf"(?P<metric>{_words(list(cues['metrics']))})\b", re.I)

    # ------------------------------------------------------------------ the component
    def find(self, doc: Doc) -> Iterator[SocialPost]:
        text = doc.text
        article = doc._.article
        published = parse_iso(getattr(article, "published", None))
        html = getattr(article, "html", None)
        if not html and "(@" not in text and self.mention_re.search(text) is None:
            return iter(())  # no embed signature, no platform named: most articles stop here
        sentences = self._sentences(doc)
        quotes = [(m.start(1) if m.group(1) is not None else m.start(2),
                   m.end(1) if m.group(1) is not None else m.end(2)) for m in _QUOTE.finditer(text)]
        ents = [self._ent(e) for e in doc.ents if e.label_ in ("PERSON", "ORG")]
        ents = [e for e in ents if e.text and e.text.lower() not in self.platform_of]
        ents = self._people(doc, ents)
        drafts: list[_Draft] = []
        for embed in self._embeds(text, html):
            anchor = embed.anchor if embed.anchor is not None else len(text) + len(drafts)
            drafts.append(_Draft(embed.post, anchor, self._sentence_at(sentences, anchor)))
        years = [int(y) for y in _YEAR.findall(text)]
        year_hint = published.year if published else (max(years) if years else None)
        for mention in self._mentions(doc, sentences, quotes, ents, published, year_hint):
            self._add_mention(drafts, mention)
        drafts.sort(key=lambda d: d.anchor)
        self._reshares(text, sentences, ents, drafts)
        drafts.sort(key=lambda d: d.anchor)
        if len(drafts) > 1:
            self._reactions(text, drafts)
        if drafts:
            self._metrics(text, sentences, ents, drafts)
        if self.tone:
            for d in drafts:
                if d.post.text:
                    d.post.tone = self.score(d.post.text)
        index = {id(d): i for i, d in enumerate(drafts)}
        for d in drafts:
            if d.reshares is not None and d.reshares is not d:
                d.post.reshares = f"{LOCAL_ID_PREFIX}{index[id(d.reshares)]}"
            if d.reacts_to is not None and d.reacts_to is not d:
                d.post.reacts_to = f"{LOCAL_ID_PREFIX}{index[id(d.reacts_to)]}"
        return iter([d.post for d in drafts])

    def _ent(self, e: Span) -> _Ent:
        start, words = e.start_char, e
        if len(e) > 1 and e[0].lower_ in self.inverted_cues:
            start, words = e[1].idx, e[1:]
        return _Ent(start, e.end_char, e.label_, _POSSESSIVE.sub("", words.text).strip(),
                    e.root.dep_ in ("nsubj", "nsubjpass", "attr"))

    @staticmethod
    def _people(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
        """The article's people where the tagger missed them: "Stone" tagged an organisation, or "Ocasio-Cortez
        said" left untagged, in an article that names Roger Stone or Alexandria Ocasio-Cortez as a person.

        Only a subject made of words of a name the article gives as a PERSON counts: "a Trump ally" and "the
        Trump administration" stay what they were.
        """
        known = {w.lower() for e in ents if e.label == "PERSON" for w in e.text.split()}
        if not known:
            return ents
        out = [replace(e, label="PERSON") if e.label == "ORG" and e.subject
               and all(w.lower() in known for w in e.text.split()) else e for e in ents]
        if not doc.has_annotation("DEP"):
            return out
        tagged = {i for e in doc.ents for i in range(e.start, e.end)}
        for t in doc:
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ != "PROPN" or t.i in tagged:
                continue
            name = doc[t.left_edge.i:t.i + 1]  # "Ocasio-Cortez": the name's parts stand before its head
            if any(w.i in tagged or not (w.pos_ == "PROPN" or w.is_punct) for w in name):
                continue
            if all(w.lower() in known for w in name.text.split()):
                out.append(_Ent(name.start_char, name.end_char, "PERSON", name.text, True))
        return sorted(out, key=lambda e: e.start)

    def score(self, text: str) -> float:
        """The tone of a post's words (VADER's compound score, as newsgraph_tone gives quotes): a reply's stance."""
        if self._analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: PLC0415 - posts are rare

            self._analyzer = SentimentIntensityAnalyzer()
        return round(float(self._analyzer.polarity_scores(text[:2000])["compound"]), 4)

    # ------------------------------------------------------------------ embeds
    def _embeds(self, text: str, html: str | None) -> list[Embed]:
        """HTML embeds first (they carry status URLs), then flattened ones the HTML did not already give."""
        from_html = list(self.html.find(html, text)) if html else []
        found = list(from_html)
        for flat in self.flattened.find(text):
            same = next((e for e in from_html if e.post.platform == flat.post.platform and e.post.handle
                         and flat.post.handle and e.post.handle.lower() == flat.post.handle.lower()
                         and (e.post.date is None or flat.post.date is None or e.post.date == flat.post.date)
                         and (e.post.start is None or flat.post.start is None
                              or abs(e.post.start - flat.post.start) < 80
                              or e.post.start <= flat.post.start <= (e.post.end or e.post.start) + 5)), None)
            if same is None:
                found.append(flat)
                continue
            same.post.author = same.post.author or flat.post.author
            same.post.date = same.post.date or flat.post.date
            same.post.text = same.post.text or flat.post.text
            if same.post.start is None:
                same.post.start, same.post.end = flat.post.start, flat.post.end
            same.anchor = flat.anchor
        return found

    # ------------------------------------------------------------------ mentions
    @staticmethod
    def _sentences(doc: Doc) -> list[tuple[int, int]]:
        try:  # the parser's sentences where it ran (has_annotation would walk every token)
            return [(s.start_char, s.end_char) for s in doc.sents]
        except ValueError:
            pass
        bounds, start = [], 0
        for m in _SENT.finditer(doc.text):
            bounds.append((start, m.start()))
            start = m.end()
        bounds.append((start, len(doc.text)))
        return bounds

    @staticmethod
    def _sentence_at(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
        i = bisect_right(sentences, (pos, 1 << 62)) - 1  # sentences are sorted and do not overlap
        return sentences[i] if i >= 0 and sentences[i][0] <= pos < sentences[i][1] else None

    @staticmethod
    def _in_quote(quotes: list[tuple[int, int]], pos: int) -> bool:
        i = bisect_right(quotes, (pos, 1 << 62)) - 1  # quotes are sorted and do not overlap
        return i >= 0 and quotes[i][0] <= pos < quotes[i][1]

    def _mentions(self, doc: Doc, sentences: list[tuple[int, int]], quotes: list[tuple[int, int]],
                  ents: list[_Ent], published: Any, year_hint: int | None) -> Iterator[_Draft]:
        text = doc.text
        for count, m in enumerate(self.mention_re.finditer(text)):
            if count >= self.max_mentions:
                break  # a transcript naming Twitter on every line: the first ones are enough
            word = m.group(0)
            kind = "name" if m.group("name") else ("verb" if m.group("verb") else "noun")
            key = (m.group("name") or m.group("verb") or m.group("noun")).lower()
            platform = self.platform_of.get(key)
            if platform is None or self._in_quote(quotes, m.start()):
                continue
            if kind == "name":
                left = text[max(0, m.start() - 40):m.start()]
                follows = re.match(r"\s+([\w-]+)", text[m.end():m.end() + 30])
                if self.not_venue.search(left) or (follows and follows.group(1).lower() in self.not_venue_words):
                    continue  # "banned from Twitter", "his Twitter followers"
                if not (self.venue_before.search(left) or self.venue_after.match(text[m.end():m.end() + 25])):
                    continue
                if len(word) <= 2 and not self.venue_before.search(left):  # "X", "IG" only as "on X"
                    continue
            if kind == "verb" and key.endswith("ing") and not re.search(r",\s*$", text[max(0, m.start() - 3):m.start()]):
                continue  # "spend the day tweeting" is no post; ", tweeting that ..." is
            sentence = self._sentence_at(sentences, m.start()) or (m.start(), m.end())
            verb = m if kind == "verb" else self._verb(text, sentence, quotes, m.start(), m.end())
            if verb is None:
                owned = self._owned_content(text, sentence, quotes, ents, m.start()) if kind == "name" else None
                if owned is not None:  # "Calder's video had passed 400,000 views on Instagram"
                    yield _Draft(SocialPost(id=None, platform=platform, author=owned[0], embedded=False),
                                 min(owned[1], m.start()), sentence)
                continue
            author, author_pos = self._author(text, sentence, quotes, ents, verb.start(), verb.end(), m.end(), sentences)
            if author is None or not self._says_so(doc, verb.start(), m.start(), author_pos):
                continue
            post = SocialPost(id=None, platform=platform, author=author, embedded=False)
            handle = _HANDLE_AFTER.match(text, author_pos + len(author)) if author_pos >= 0 else None
            if handle is not None and text.startswith(author, author_pos):
                post.handle = handle.group(1)  # "Ana Ruiz (@anaruiz) wrote on Twitter"
            post.date = self._date(doc, sentence, quotes, published, year_hint, m.start(), verb.start())
            clause = text[min(author_pos, m.start()):max(verb.end(), m.end())].lower()
            if kind == "verb" or any(w in self.writing_verbs for w in re.findall(r"[\w-]+", clause)):
                caption = self._caption(text, quotes, author_pos, min(verb.start(), m.start()), max(verb.end(), m.end()))
                if caption is not None:
                    post.text = text[caption[0]:caption[1]]
                    post.start, post.end = caption
            yield _Draft(post, min(author_pos, m.start()), sentence)

    @staticmethod
    def _says_so(doc: Doc, verb_at: int, platform_at: int, author_at: int) -> bool:
        """A post only where the sentence says so: the posting verb governs the platform's name ("said [on
        Twitter]") and its subject (or agent) is the author, not a name standing nearby in another clause.
        A parse that gives the verb no subject at all is taken at its word."""
        if not doc.has_annotation("DEP"):
            return True
        verb, venue, author = _token_at(doc, verb_at), _token_at(doc, platform_at), _token_at(doc, author_at)
        if verb is None or venue is None or author is None:
            return True
        if venue.i != verb.i and not verb.is_ancestor(venue) and not venue.is_ancestor(verb):
            return False
        t = venue
        while t.i != verb.i and t.head.i != t.i and verb.is_ancestor(venue):
            if t.dep_ == "ccomp":
                return False  # "said that her group was banned from advertising on Twitter": what was said
            t = t.head
        subjects = []
        t = verb
        for _ in range(4):
            subjects += [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "agent", "csubj")]
            if t.dep_ not in ("conj", "xcomp", "advcl", "acl", "relcl") or t.head.i == t.i:
                break
            if t.dep_ in ("acl", "relcl"):
                # "the senator, who tweeted ...", and the clause a noun with a participle stands in: "she said
                # in a video posted on Twitter", "Trump took a shot at his fixer, tweeting ..."
                subjects.append(t.head)
                t = t.head
                while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
                    t = t.head
                continue
            t = t.head
        if not subjects:
            return True
        return any(_names(author, s) for s in subjects)

    def _owned_content(self, text: str, sentence: tuple[int, int], quotes: list[tuple[int, int]],
                       ents: list[_Ent], pos: int) -> tuple[str, int] | None:
        """A person's post named by its content ("Calder's video ... on Instagram"): (full name, position).

        No posting verb, so no date is taken from the sentence: its dates tell when the video was
        watched or measured, not when it was posted.
        """
        for e in reversed(ents):
            # PERSON or ORG: the small model often tags a lone surname ("Calder's video") as an ORG
            if not (sentence[0] <= e.start and e.end <= pos) or self._in_quote(quotes, e.start):
                continue
            if self.possessive_content.match(text, e.end, pos):
                return self._full_name(e.text, ents), e.start
        return None

    def _verb(self, text: str, sentence: tuple[int, int], quotes: list[tuple[int, int]],
              start: int, end: int) -> re.Match[str] | None:
        """The posting verb closest before the platform's name ("said on Twitter"), else closest after it."""
        lo, hi = max(sentence[0], start - 90), min(sentence[1], end + 40)
        best = None
        for v in self.post_verb.finditer(text, lo, hi):
            if self._in_quote(quotes, v.start()):
                continue
            rank = (0, start - v.end()) if v.end() <= start else (1, v.start() - end)
            if best is None or rank < best[0]:
                best = (rank, v)
        return best[1] if best else None

    def _author(self, text: str, sentence: tuple[int, int], quotes: list[tuple[int, int]], ents: list[_Ent],
                verb_start: int, verb_end: int, mention_end: int,
                sentences: list[tuple[int, int]]) -> tuple[str | None, int]:
        """Who posted: "by X" after the verb, else the nearest name or pronoun before it, resolved to a full name."""
        after = text[verb_end:min(sentence[1], mention_end + 80)]
        passive = (self.passive_re.search(text[max(sentence[0], verb_start - 30):verb_end])
                   or self.auxiliary.search(text[max(sentence[0], verb_start - 30):verb_start]))
        # "shared on Twitter by human rights activist X" (passive), "announced by Mr. X on Twitter"
        by = re.search(r"\bby\s+(?:[\w-]+\s+){0,5}?" if passive else r"^\s+by\s+(?:[A-Z][\w.]*\s+){0,2}?", after)
        if by:
            at = verb_end + by.end()
            for e in ents:
                if e.label == "PERSON" and at <= e.start <= at + 2 and not self._in_quote(quotes, e.start):
                    return self._full_name(e.text, ents), e.start
            for e in ents:
                if verb_end + by.start() <= e.start < verb_end + by.end() + 60 and e.label in ("PERSON", "ORG"):
                    return self._full_name(e.text, ents), e.start
        # a subject, not "during Carlineo's sentencing"
        if passive and not self.passive_re.search(text[max(sentence[0], verb_start - 30):verb_end]):
            return None, -1  # "the statement was posted on its Facebook page": nobody named
        before = [e for e in ents if sentence[0] <= e.start and e.end <= verb_start
                  and not self._in_quote(quotes, e.start)
                  and not re.match(r"['’]s?\b", text[e.end:e.end + 2])
                  and not self.not_subject.search(text[max(0, e.start - 12):e.start])]
        pronouns = [p for p in self.pronoun_re.finditer(text, sentence[0], verb_start)
                    if not self._in_quote(quotes, p.start()) and self._may_post(text, p)]
        people = [e for e in before if e.label == "PERSON"]
        candidate_ent = (people or before or [None])[-1]
        candidate_pro = pronouns[-1] if pronouns else None
        if candidate_pro is not None and (candidate_ent is None or candidate_pro.start() > candidate_ent.end):
            # "her" in "took to her Instagram" refers to the subject: keep a name that stands before it
            resolved = self._resolve_pronoun(text, quotes, ents, candidate_pro.start(), sentences,
                                             self.pronouns.get(candidate_pro.group(0).lower()))
            if resolved is not None:
                return resolved, candidate_pro.start()
            return None, -1
        if candidate_ent is not None:
            gap = text[candidate_ent.end:verb_start]
            if len(gap) <= 90 and not re.search(r"[.;!?]", gap) and not self.clause_break.search(gap):
                return self._full_name(candidate_ent.text, ents), candidate_ent.start
        # "Anurag took to his Instagram": a word of a name the article gives in full elsewhere
        for w in reversed(list(re.finditer(r"\b[A-Z][\w'’-]+", text[sentence[0]:verb_start]))):
            at = sentence[0] + w.start()
            if self._in_quote(quotes, at):
                continue
            word = _POSSESSIVE.sub("", w.group(0))
            full = self._full_name(word, ents)
            if full != word and text[at + len(w.group(0)):verb_start].strip(" ,") == "":
                return full, at
        # "In the video shared on Instagram, Karimi could be seen": a passive venue, the name that follows
        if self.passive_re.search(text[max(sentence[0], verb_start - 30):verb_end]):
            for e in ents:
                if e.label == "PERSON" and mention_end <= e.start < sentence[1] and not self._in_quote(quotes, e.start):
                    return self._full_name(e.text, ents), e.start
        return None, -1

    def _resolve_pronoun(self, text: str, quotes: list[tuple[int, int]], ents: list[_Ent], pos: int,
                         sentences: list[tuple[int, int]], pronoun: str | None = None) -> str | None:
        """The person a "he"/"she" stands for, or None when the article does not make it plain.

        Sentence by sentence back from the pronoun (this one and the three before), only people of the
        pronoun's gender where a first name tells it: the last one who is a subject; else the last one named,
        in a sentence that is not itself about a "he"/"she" ("He celebrated a deal pushed by Jared Kushner" is
        about the earlier subject, not Kushner), this one or the one before, or further back while every
        sentence between goes on about a "he"/"she". Further back, a wrong author costs more than a missed post.
        """
        here = next((i for i, (a, b) in enumerate(sentences) if a <= pos < b), None)
        if here is None:
            return None
        people = [e for e in ents if e.end <= pos and e.label == "PERSON" and not self._in_quote(quotes, e.start)
                  and self._agrees(self._full_name(e.text, ents), pronoun)]
        chained = True  # every sentence between this one and the pronoun's is about a "he"/"she"
        for k in range(here, max(-1, here - 4), -1):
            a, b = sentences[k]
            named = [e for e in people if a <= e.start < b]
            subjects = [e for e in named if e.subject]
            if subjects:
                return self._full_name(subjects[-1].text, ents)
            if k < here and self.role_subject.match(text, a):
                return None  # "The president slammed them." before "he tweeted": he may be the president
            about = self._about_pronoun(text, quotes, a, min(b, pos))
            if named and (chained or k >= here - 1) and not self._about_pronoun(text, quotes, a, named[-1].start):
                return self._full_name(named[-1].text, ents)
            chained = chained and (k == here or about)
        return None

    def _may_post(self, text: str, pronoun: re.Match[str]) -> bool:
        """"he", "she", "they" may be who posted; "his", "her", "their" only as the owner of the account or post
        named right after ("took to her Instagram account"), never of other people ("his supporters said")."""
        word = pronoun.group(0).lower()
        if self.pronouns.get(word) == word:
            return True
        after = [w.lower() for w in re.findall(r"[\w-]+", text[pronoun.end():pronoun.end() + 40])[:3]]
        return any(w in self.platform_of or w in self.venue_words for w in after)

    def _about_pronoun(self, text: str, quotes: list[tuple[int, int]], lo: int, hi: int) -> bool:
        """Does a "he" or "she" (a subject's case, outside quotation marks) stand in text[lo:hi]?"""
        return any(self.pronouns.get(m.group(0).lower()) == m.group(0).lower() and not self._in_quote(quotes, m.start())
                   for m in self.pronoun_re.finditer(text, lo, hi))

    def _agrees(self, name: str, pronoun: str | None) -> bool:
        """Can "he" or "she" stand for this person? Unknown first names agree with both."""
        gender = self.first_names.get(name.split()[0].lower()) if name.split() else None
        wanted = {"he": "m", "she": "f"}.get(pronoun or "")
        return gender is None or wanted is None or gender == wanted

    def _full_name(self, name: str, ents: list[_Ent]) -> str:
        """'Karimi' -> 'Sahraa Karimi' when the article names her in full; 'Donald Trump' never -> 'Donald
        Trump Jr.', a son of the same name. A surname two people of the article share ('Trump': Donald and
        Melania; 'Koch': David and Charles) goes to the one it names more often, and stays as it is on a tie."""
        words = name.split()
        people: dict[str, list[str]] = {}  # first name -> the full names given with it, one per mention
        for e in ents:
            if e.label != "PERSON" or len(e.text) <= len(name):
                continue
            other = e.text.split()
            added = {w.lower().strip(".,") for w in other if w not in words}
            if all(w in other for w in words) and len(other) <= 4 and not added & self.name_suffixes:
                people.setdefault(other[0], []).append(e.text)
        if not people:
            return name
        ranked = sorted(people.values(), key=len, reverse=True)
        if len(ranked) > 1 and len(ranked[0]) == len(ranked[1]):
            return name
        return max(ranked[0], key=len)

    def _date(self, doc: Doc, sentence: tuple[int, int], quotes: list[tuple[int, int]], published: Any,
              year_hint: int | None, pos: int, verb_at: int) -> str | None:
        text = doc.text
        best = None
        for m in self.calendar.prose.finditer(text, sentence[0], sentence[1]):
            if self._in_quote(quotes, m.start()) or not self._dates_the_post(doc, m.start(), verb_at):
                continue
            value = self.calendar.resolve(m, published, year_hint)
            if value is None:
                continue
            if not (m.group("mon1") or m.group("mon2") or m.group("mon3")):
                # a bare "on Wednesday" or "yesterday" counts from publication only where the paragraph
                # before it stays in the article's own weeks
                paragraph = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 600)
                if self.calendar.another_time(text[paragraph:m.start()], published):
                    continue
            distance = abs(m.start() - pos)
            if best is None or distance < best[0]:
                best = (distance, value)
        return best[1] if best else None

    @staticmethod
    def _dates_the_post(doc: Doc, date_at: int, verb_at: int) -> bool:
        """Does the posting verb govern this date? Not when a clause of its own holds it ("tweeted criticism of
        the speaker, who met her [last Friday]", "tweeted that the vote [on Monday] was rigged"), nor when it
        hangs on another verb of the sentence ("[On Friday], hours after she tweeted, the Senate voted")."""
        if not doc.has_annotation("DEP"):
            return True
        date, verb = _token_at(doc, date_at), _token_at(doc, verb_at)
        if date is None or verb is None:
            return True
        t = date
        for _ in range(12):
            if t.i == verb.i:
                return True
            if t.dep_ in ("relcl", "acl", "ccomp") or t.head.i == t.i:
                return False
            t = t.head
        return True

    def _caption(self, text: str, quotes: list[tuple[int, int]], author_pos: int, lo: int, hi: int) -> tuple[int, int] | None:
        """The quoted words a "wrote on Twitter" clause gives: just before its subject, or just after it."""
        between = text[min(author_pos, lo):hi]
        if self.spoken.search(between):
            return None
        for a, b in quotes:  # 'X tweeted: "..."' first, then '"...," X tweeted'
            # 'tweeted: “...”', and 'tweeted “...”' on the same line (a quotation after a line break is another's)
            if a >= hi and re.fullmatch(r"(?:\s*[,:—–-]\s*|[ \t]+)[“\"]", text[hi:a]):
                return a, b
        if re.match(r"\s+that\b", text[hi:hi + 8]):
            return None  # 'she tweeted that she "..."': the post's words follow; a quotation before is another's
        for a, b in quotes:
            gap = text[b:min(author_pos, lo)] if b <= min(author_pos, lo) else None
            # a quotation closing the paragraph before is someone else's words, whatever opens this one
            if gap is None or len(gap) > 45 or re.search(r"[.!?]\s", gap) or "\n" in gap:
                continue
            # '"..., " she wrote' or '"...", she wrote', not '"Teen Mom" producer X tweeted'
            if re.search(r"[,.!?…—–-]\s*$", text[a:b]) or re.match(r"[\"”’']?\s*[,:—–-]", gap):
                return a, b
        return None

    def _add_mention(self, drafts: list[_Draft], mention: _Draft) -> None:
        """A mention of a post already known (the embed, or an earlier mention) adds to it; otherwise it is new."""
        post = mention.post
        for d in drafts:
            if d.post.platform != post.platform or not self._same_author(d.post, post.author):
                continue
            if d.post.date and post.date and d.post.date != post.date:
                continue
            if d.post.text and post.text and not _same_words(d.post.text, post.text):
                continue
            d.post.date = d.post.date or post.date
            if not d.post.text and post.text:
                d.post.text, d.post.start, d.post.end = post.text, post.start, post.end
            if mention.sentence is not None and mention.sentence != d.sentence:
                d.mentioned_in.append(mention.sentence)
            return
        drafts.append(mention)

    @staticmethod
    def _same_author(post: SocialPost, author: str | None) -> bool:
        if not author:
            return False
        mine = (post.author or "").lower().split()
        theirs = author.lower().split()
        if mine and (all(w in mine for w in theirs) or all(w in theirs for w in mine)):
            return True
        handle = (post.handle or "").lower()
        return bool(handle) and bool(theirs) and theirs[-1] in handle and len(theirs[-1]) >= 4

    # ------------------------------------------------------------------ reach
    def _metrics(self, text: str, sentences: list[tuple[int, int]], ents: list[_Ent], drafts: list[_Draft]) -> None:
        """"has quickly accumulated over 1.7 million views": the post of that sentence, or the one just before.

        A sentence that names the post's author ("Calder's video has passed 400,000 views") measures that
        author's post, however many replies stand in between.
        """
        for m in self.metric_re.finditer(text):
            sentence = self._sentence_at(sentences, m.start())
            target = None
            for d in drafts:
                if d.sentence == sentence and sentence is not None and not d.post.embedded:
                    target = d
            if target is None and sentence is not None:
                named = [self._full_name(e.text, ents) for e in ents
                         if sentence[0] <= e.start and e.end <= m.start()]
                owners = [d for d in drafts for name in reversed(named) if self._same_author(d.post, name)]
                target = owners[0] if owners else None
            if target is None:
                sent_text = text[sentence[0]:sentence[1]] if sentence else ""
                before = [d for d in drafts if d.anchor < m.start() and m.start() - d.anchor < 1200]
                if before and self.post_reference.search(sent_text):
                    target = before[-1]
                    while target.reacts_to is not None and target.reacts_to is not target:
                        target = target.reacts_to  # "the clip" after the replies is the post they answer
            if target is None or (target.post.start is not None and target.post.start <= m.start() < (target.post.end or 0)):
                continue
            scale = self.scales.get((m.group("scale") or "").lower(), 1)
            try:
                value = int(round(float(m.group("num").replace(",", "")) * scale))
            except ValueError:
                continue
            name = self.metric_names[m.group("metric").lower()]
            target.post.metrics[name] = max(value, target.post.metrics.get(name, 0))

    # ------------------------------------------------------------------ chains
    def _reshares(self, text: str, sentences: list[tuple[int, int]], ents: list[_Ent], drafts: list[_Draft]) -> None:
        """A post that shares someone else's video or letter points at the original (created when needed)."""
        for d in list(drafts):
            # the prose sentences about this post: its own (a mention), or those merged into an embed
            spoken = ([d.sentence] if d.sentence is not None and not d.post.embedded else []) + d.mentioned_in
            windows: list[tuple[int, int]] = []
            first: list[bool] = []
            after: list[tuple[int, int]] = []
            for sentence in spoken:
                index = bisect_right(sentences, (sentence[0], 1 << 62)) - 1
                windows += [sentence] + ([sentences[index - 1]] if index > 0 else [])
                first += [True] + ([False] if index > 0 else [])
                after += [sentences[index + 1]] if 0 <= index < len(sentences) - 1 else []
            # "... posted the video. The footage was filmed by X": who made it may follow, never shares
            windows += after
            first += [False] * len(after)
            for k, (lo, hi) in enumerate(windows):
                m = self.reshare_re.search(text, lo, hi) if k < len(windows) - len(after) else None
                made = self.made_by.search(text, lo, hi) if first[k] or m is None else None
                if m is None and made is None:
                    continue
                origin_author = self._origin_author(text, ents, m, hi, d.post.author) if m is not None else None
                if origin_author is None and made is not None:  # filmed by X, posted by Y: X's is the original
                    origin_author = self._known_person(made.group("name"), ents, d.post.author)
                target = None
                if origin_author is not None:
                    target = self._post_by(drafts, origin_author, d.post.platform, exclude=d)
                    if target is None:
                        target = _Draft(SocialPost(id=None, platform=d.post.platform, author=origin_author),
                                        d.anchor - 1, None)
                        drafts.append(target)
                elif m is not None and first[k] and self.definite.search(text[m.start():m.end()].rsplit(None, 1)[0] + " "):
                    earlier = [o for o in drafts if o.anchor < d.anchor and o is not d
                               and not self._same_author(o.post, d.post.author)]
                    target = earlier[-1] if earlier else None
                if target is not None:
                    d.reshares = target
                    break

    def _origin_author(self, text: str, ents: list[_Ent], m: re.Match[str], hi: int, author: str | None) -> str | None:
        """"shared an appeal from Sahraa Karimi", "shared Karimi's video": the person the content came from."""
        candidates = []
        source = self.source.match(text, m.end(), hi)
        if source:
            candidates.append(source.group("name"))
        candidates += [p.group("name") for p in re.finditer(
            r"(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,3})['’]s?\s", text[m.start():m.end()])]
        for raw in candidates:
            full = self._known_person(raw, ents, author)
            if full is not None:
                return full
        return None

    def _known_person(self, raw: str, ents: list[_Ent], author: str | None) -> str | None:
        """The full name of a person the article names (not "the Taliban"), unless it is the post's author."""
        known = {w for e in ents if e.label == "PERSON" for w in e.text.lower().split()}
        name = _POSSESSIVE.sub("", raw)
        if not name or not all(w.lower() in known for w in name.split()):
            return None
        full = self._full_name(name, ents)
        if author and (full.lower() == author.lower() or set(full.lower().split()) <= set(author.lower().split())):
            return None
        return full

    def _post_by(self, drafts: list[_Draft], author: str, platform: str, exclude: _Draft) -> _Draft | None:
        mine = [d for d in drafts if d is not exclude and self._same_author(d.post, author)]
        same = [d for d in mine if d.post.platform == platform]
        return (same or mine or [None])[0]

    def _reactions(self, text: str, drafts: list[_Draft]) -> None:
        """Embedded posts after "Several users took to Twitter to react", or addressing an earlier author."""
        in_text = [d for d in drafts if d.anchor < len(text)]  # sorted by anchor
        anchors = [d.anchor for d in in_text]
        embedded = [d for d in in_text if d.post.embedded]
        emb_anchors = [d.anchor for d in embedded]
        for cue in self.react_re.finditer(text):
            at = cue.start()
            j = bisect_right(emb_anchors, at) - 1
            if j >= 0 and embedded[j].post.start is not None and at < (embedded[j].post.end or 0):
                continue  # a word inside a post's own text is no cue
            i = bisect_left(anchors, at)
            if i == 0:
                continue
            target = in_text[i - 1]
            last = cue.end()
            for d in embedded[j + 1:j + 51]:  # the replies a cue introduces stand right after it
                if d.reacts_to is not None or len(text[last:d.anchor].strip()) > 300:
                    break  # an earlier cue's run, or prose again
                if not self._same_author(d.post, target.post.author):
                    d.reacts_to = target
                last = d.post.end or d.anchor
        for i, d in enumerate(embedded):
            if d.reacts_to is not None or not d.post.text:
                continue
            for t in reversed(embedded[max(0, i - 10):i]):
                if self._addresses(d.post.text, t.post):
                    d.reacts_to = t
                    break

    def _addresses(self, body: str, post: SocialPost) -> bool:
        """A reply that opens by naming the post's author: "Masih, this is..." or "@AlinejadMasih ..."."""
        head = body.lstrip()[:60]
        if post.handle and re.match(rf"(?:Replying to\s+)?@{re.escape(post.handle)}\b", head, re.I):
            return True
        names = (post.author or "").split()
        options = [post.author] + names[:1] if names else []
        return any(re.match(rf"(?:(?:{self.greeting})\s+)?{re.escape(o)}\s*[,!:]", head) for o in options if o)
