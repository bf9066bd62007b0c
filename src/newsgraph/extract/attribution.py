"""Attribution: the cue that attributes words ("said", "according to") and the speaker it gives them to.

`Attribution.speaker_of(cue, ctx)` is the one way from a cue to its speaker; `Attribution.attribute(ctx, d)`
finds the cue and speaker of a direct quotation by a named, ordered cascade of strategies
(`DIRECT_STRATEGIES`), the first that answers wins. The speaker a mention stands for ("he", "the
spokeswoman") is `speakers.py`'s to resolve.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from .frames import SUBJ_DEPS
from .quote_marks import DASH_NAME, EDGE_STRIP
from .speakers import Speaker, SpeakerResolver

# the relations through which a cue inherits its head's subject
INHERIT_DEPS = {"conj", "advcl", "xcomp", "pcomp", "acl", "ccomp", "dep", "parataxis", "prep", "pobj", "acomp"}
CONTENT_DEPS = {"ccomp", "parataxis"}
# a verb form that modifies a noun ("the so-called deal") and has no speaker of its own
CLAUSELESS_DEPS = {"amod", "compound", "nmod"}
# a cue's objects: who was told or what was named ("told Jane Doe", "called Smith a liar"), never its speaker
OBJECT_DEPS = {"dobj", "dative", "iobj", "oprd", "attr", "pobj", "ccomp", "xcomp"}
# how many words after a signature's dash may hold the name ('-- MSNBC host Chris Hayes')
SIGNATURE_WORDS = 8
# the entity labels of a figure: a noun phrase holding one says something ("reported 500 new cases")
FIGURES = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
# cue kinds whose content is speech; the others (attitude, report) give a stance
SPEECH_CUE_KINDS = ("speech", "social")


def stem(word: str) -> str:
    """'tweeted' -> 'tweet', 'posted' -> 'post': enough to find a cue the lemmatizer missed."""
    return word[:-2] if word.endswith("ed") and len(word) > 4 else word


@dataclass
class QuoteContext:
    """What the quote finders read of one document, computed once and passed explicitly (never kept on the
    component): the text, sentence bounds, the spans in quote marks, posts, and what direct quotes found."""

    doc: Doc
    text: str
    resolver: SpeakerResolver
    posts: list[Any]
    post_spans: list[tuple[int, int, int]]  # (start, end, index in posts) of posts that stand in the text
    sents: list[Span]
    sent_starts: list[int]
    mask: list[tuple[int, int]] = field(default_factory=list)  # every span in quote marks, sorted
    mask_starts: list[int] = field(default_factory=list)
    direct_cue_idx: list[int] = field(default_factory=list)  # where the cues of direct quotes stand
    # short quotations inside a reported clause: (clause start, the quotation, its cue and speaker)
    partials: list[tuple[int, Any, tuple[Token, Speaker | None]]] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Doc, resolver: SpeakerResolver) -> QuoteContext:
        posts = list(doc._.social_posts or [])
        sents = list(doc.sents)
        return cls(doc=doc, text=doc.text,  # Doc.text joins every token again on each access
                   resolver=resolver, posts=posts,
                   post_spans=[(p.start, p.end, n) for n, p in enumerate(posts) if p.start is not None
                               and p.end is not None],
                   sents=sents, sent_starts=[x.start for x in sents])

    def set_mask(self, groups: list[list[tuple[int, int]]]) -> None:
        self.mask = sorted(p for g in groups for p in g)
        self.mask_starts = [p[0] for p in self.mask]
        self.resolver.in_quotes = self.quoted  # "I" in the narration is the author, in quote marks the speaker

    def quoted(self, i: int) -> bool:
        """Whether character i lies inside quote marks (or on one)."""
        k = bisect.bisect_right(self.mask_starts, i + 1) - 1
        return any(s - 1 <= i < e + 1 for s, e in self.mask[max(0, k - 2):k + 1])

    def sent(self, t: Token) -> Span:
        """The sentence of a token, from boundaries computed once per doc (Token.sent walks the doc)."""
        return self.sents[bisect.bisect_right(self.sent_starts, t.i) - 1]

    def paragraph(self, at: int) -> tuple[int, int]:
        """Start and end of the paragraph holding character `at`."""
        end = self.text.find("\n", at)
        return self.text.rfind("\n", 0, at) + 1, len(self.text) if end < 0 else end


@dataclass
class Scope:
    """Where a direct quotation's attribution is looked for: its sentences and paragraph, the quotation marks
    around them, and what stands before it."""

    d: Any  # the quotation (direct.Direct)
    first: Span  # its tokens
    sents: list[Span]  # the sentences it starts and ends in
    lead_lo: int  # the first token of its first sentence
    lo: int  # ... or of the paragraph a colon before it closes
    hi: int  # past its last sentence (or the lowercase sentence that goes on from it)
    mask: list[tuple[int, int]]  # spans in quote marks within those sentences
    para_lo: int
    para_hi: int
    intro: str  # the text before it, without the marks and spaces in between

    def outside(self, t: Token) -> bool:
        return not any(s - 1 <= t.idx < e + 1 for s, e in self.mask)

    def in_mask(self, i: int) -> bool:
        return any(s <= i < e for s, e in self.mask)


Found = tuple[Token, Speaker | None]


class Attribution:
    """Cue tables and the rules that find who says what. `cues` maps a verb lemma to its kind (speech, social,
    report, attitude); `phrases` the attribution phrases ("according to") to theirs."""

    def __init__(self, cues: dict[str, str], phrases: dict[str, str], pronouns: dict[str, tuple[str, str]],
                 speaker_words: list[dict[str, str]], indirect_kinds: list[str] | None = None,
                 first_names: dict[str, str] | None = None,
                 role_titles: dict[str, tuple[str, ...]] | None = None) -> None:
        self.cues = cues
        self._cue_heads = {k.split()[0] for k in cues if " " in k}  # "shoot back": a lemma that may take a word
        self.indirect_cues = {k for k, v in cues.items() if v in set(indirect_kinds or cues.values())}
        self.direct_cues = {k for k, v in cues.items() if v in SPEECH_CUE_KINDS}
        words: dict[str, set[str]] = defaultdict(set)  # the table's words by kind, read once
        values: dict[str, dict[str, str]] = defaultdict(dict)  # and each word's value, by kind
        for r in speaker_words:
            words[r["kind"]].add(r["word"])
            values[r["kind"]][r["word"]] = r["value"]
        # 'Said Ellis: ...' (see name_lead): the forms entities.py also strips from a name's front
        self.lead_cues = words["inverted_cue"]
        self.phrases = {tuple(p.split()): k for p, k in phrases.items()}
        self.pronouns = pronouns
        self.gender_words = values["gender"]
        self.anonymous_words = words["anonymous"]
        self.sourceless = words["sourceless"]
        self.perception = words["perception"]
        self.carriers = words["carrier"]
        self.vehicles = words["vehicle"]
        self.org_nouns = words["org_noun"]
        # 'the paper' is an organisation whose name holds 'Post', 'Times', ... (the table's value)
        self.org_name_words = {w: frozenset(v.split()) - {"-"} for w, v in values["org_noun"].items()}
        self.messages = self.vehicles | words["document"]
        # what makes a speech cue report no speech (see unsaid)
        self.said_heads = words["said_head"]
        self.hypothetical = words["hypothetical"]
        self.question_cues = words["question_cue"]
        self.question_words = words["question_word"]
        self.addressee_cues = words["addressee_cue"]
        self.naming_cues = words["naming_cue"]
        self.furniture_labels = words["furniture_label"]
        self.speech_nouns = words["speech_noun"]
        self.aspect_cues = words["aspect_cue"]
        self.first_names = first_names or {}
        self.role_titles = role_titles or {}
        # the cascade for a direct quotation, in order: the first strategy that answers wins
        self.strategies: list[tuple[str, Callable[[QuoteContext, Scope], Found | None]]] = [
            (name, getattr(self, name)) for name in DIRECT_STRATEGIES]

    def resolver(self, doc: Doc, entities: list) -> SpeakerResolver:
        return SpeakerResolver(doc, entities, self.pronouns, self.gender_words, self.anonymous_words,
                               self.first_names, self.org_nouns, self.messages, self.role_titles,
                               self.org_name_words)

    # ------------------------------------------------------------------ cues
    def lemma(self, t: Token) -> str:
        """A verb's lemma, with its particle or object pronoun when the cue table lists the two together:
        "shot back" -> "shoot back", "as she put it" -> "put it"."""
        low = t.lemma_.lower()
        if low not in self._cue_heads:
            return low
        for c in t.children:
            if c.dep_ in ("prt", "dobj", "advmod") and c.i == t.i + 1:
                both = f"{low} {c.lower_}"
                if both in self.cues:
                    return both
        return low

    def cue_tokens(self, tokens: list[Token]) -> Iterator[Token]:
        """Verbs of any cue kind ("said", "believes")."""
        for t in tokens:
            if t.pos_ in ("VERB", "AUX") and self.lemma(t) in self.cues:
                yield t

    def speech_cues(self, tokens) -> Iterator[Token]:
        """Verbs of speech ("said", "tweeted"), also where the tagger took an inflected cue for a noun."""
        for t in tokens:
            if t.pos_ in ("VERB", "AUX") and self.lemma(t) in self.direct_cues:
                yield t
            elif t.tag_ in ("VBD", "NN", "NNP") and stem(t.lower_) in self.direct_cues:
                yield t  # an inflected cue the tagger took for something else ("tweeted")

    def kind(self, cue: Token, content: list[Token] | None = None) -> str:
        """What a cue's content is: speech ("said that ...", "his claim that ...") or a stance ("fearing that
        ...", "support for X")."""
        if cue.pos_ == "NOUN":
            said = cue.lemma_.lower() in self.speech_nouns and bool(content) and content[0].lower_ == "that"
            return "reported" if said else "stance"
        return "reported" if self.cues.get(self.lemma(cue)) in SPEECH_CUE_KINDS else "stance"

    def unsaid(self, cue: Token) -> bool:
        """A speech cue that reports no speech: denied ("did not say", "never told"), not made ("declined to
        say", "refused to confirm"), hypothetical ("would argue", "could say")."""
        if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in self.hypothetical) for c in cue.children):
            return True
        # an infinitive reports speech only after a verb that carries it on ("went on to say"); else it is
        # speech expected, asked for or avoided ("declined to say", "is expected to confirm", "hard to say")
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
        return infinitive and (cue.head.i == cue.i or cue.head.lemma_.lower() not in self.said_heads)

    def question(self, cue: Token, content: list[Token]) -> bool:
        """A clause that is a question put to someone ("asked whether the plan would work"), or what someone
        was asked about ("When asked about the vote, ..."), not a statement."""
        if self.lemma(cue) not in self.question_cues:
            return False
        passive = cue.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "agent") for c in cue.children)
        return passive or (bool(content) and content[0].lower_ in self.question_words)

    def told(self, cue: Token) -> bool:
        """A verb of telling with no listener and an infinitive, 'millions of Americans told not to leave
        their homes', 'residents urged to stay indoors': a passive with its auxiliary left out, whose subject
        was told; nobody named says anything."""
        if self.lemma(cue) not in self.addressee_cues | {"tell", "order"} or cue.tag_ not in ("VBN", "VBD"):
            return False
        if any(c.dep_ in ("dobj", "dative", "iobj", "agent", "auxpass") for c in cue.children):
            return False
        return any(c.dep_ == "xcomp" and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
                   for c in cue.children)

    def asks(self, cue: Token, words: str) -> bool:
        """A quotation that is a question put to someone, the cue naming whom ('X asked Trump: "Do you think
        ...?"'); a question asked aloud with no listener named ('asking, "Will we ...?"') is what was said."""
        return self.lemma(cue) in self.question_cues and any(c.dep_ in ("dobj", "dative", "iobj") for c in cue.children) \
            and words.rstrip(EDGE_STRIP.replace("?", "") + " ").endswith("?")

    def topic(self, cue: Token, content: list[Token], rel: str = "") -> bool:
        """A frame that names whom or what the words were about, and holds none of them: the listener of a
        verb that takes one ("urged [supporters]", "asked [the agency] for [funds]"), a person or group
        ("called [Democrats] liars"), or a noun phrase after a preposition ("responded to [the outbreak]",
        "called on [supporters]")."""
        if not content or any(x.pos_ in ("VERB", "AUX") for x in content):
            return False
        if any(x.lower_ == "as" and x.dep_ == "prep" for x in content) or any(x.is_quote for x in content):
            return False  # "described [the tweets as a 'disgusting' use of ...]": what was said of them
        ids = {x.i for x in content}
        root = next((x for x in content if x.head.i not in ids or x.head.i == x.i), content[0])
        if self.lemma(cue) in self.addressee_cues or root.pos_ == "PRON" or rel.startswith("prep:") \
                or root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return True
        # "acknowledged [the crowd]", "confirmed [the report]", "touted [fresh donations]": a thing named, none
        # of what was said of it; a figure ("reported [several thousand new cases]") or a predicate ("declared
        # [COVID-19 a pandemic]") is said
        return not any(x.ent_type_ in FIGURES or x.dep_ in ("oprd", "attr", "ccomp", "appos") for x in content) \
            and sum(1 for x in content if x.head.i not in ids) == 1

    @staticmethod
    def cue_text(cue: Token) -> str:
        if cue.lower_ == "according":
            return "according to"
        parts = [c.text for c in cue.lefts if c.dep_ in ("aux", "neg") and c.i == cue.i - 1]
        return " ".join(parts + [cue.text])

    def phrase_at(self, t: Token, end: int | None = None) -> tuple[str, ...] | None:
        """The attribution phrase ("according to") that starts at `t` and ends by token `end`, if any."""
        doc = t.doc
        end = len(doc) if end is None else end
        for phrase in self.phrases:
            n = len(phrase)
            if t.lower_ == phrase[0] and t.i + n <= end and tuple(x.lower_ for x in doc[t.i:t.i + n]) == phrase:
                return phrase
        return None

    def phrase_speaker(self, span: Span, resolver: SpeakerResolver, outside) -> tuple[Token, Speaker] | None:
        """'according to X' -> (the cue's first token, X)."""
        for t in span:
            phrase = self.phrase_at(t, span.end) if outside(t) else None
            if phrase is not None:
                last = t.doc[t.i + len(phrase) - 1]
                objs = [c for c in last.children if c.dep_ == "pobj"]
                if objs:
                    return t, resolver.resolve(objs[0])
        return None

    # ------------------------------------------------------------------ the speaker of a cue
    def speaker_of(self, cue: Token, resolver: SpeakerResolver, quoted=None) -> Speaker | None:
        """The subject of a cue verb, or of the verb it hangs from ("..., adding", "began by writing")."""
        if cue.lemma_.lower() in self.sourceless:
            return None  # "X seems to ...": X is what the content is about, not who says it
        if cue.pos_ == "NOUN":  # "her support for X", "X voiced support for Y"
            poss = next((c for c in cue.children if c.dep_ == "poss"), None)
            if poss is not None:
                return resolver.resolve(poss)
            if cue.dep_ in ("dobj", "attr") and cue.head.pos_ in ("VERB", "AUX"):
                return self.speaker_of(cue.head, resolver, quoted)
            return None
        if cue.tag_ == "VBN" and cue.dep_ in ("advcl", "acl") and not any(c.dep_ in SUBJ_DEPS for c in cue.children) \
                and not (cue.dep_ == "acl" and cue.head.ent_type_ == "PERSON"):
            # (a past tense the parser hung on a name, "X, the head of Y, tweeted", still has X as its subject)
            return None  # "Asked about the vote, ..." / "expected to ...": nobody is named as saying it
        t: Token | None = cue
        for _ in range(4):
            if t is None:
                break
            if t.i == cue.i and t.dep_ == "conj" and t.head.dep_ in CONTENT_DEPS \
                    and self.lemma(t.head.head) in self.cues and self.lemma(t) in self.indirect_cues:
                # "X said [the plan was sound] and promised ...": the parser hung the second cue on the
                # reported clause (see reported.trim); it shares the first cue's subject
                t = t.head.head
                continue
            if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN"):
                gov = self._free_adjunct(t) or self._issuer(t.head)
                if gov is None:
                    return resolver.resolve(t.head)  # "a girl declaring that ..."
                t = gov  # "X dismissed the claims, saying ...": X says it, not the claims
                continue
            # a passive names its source in the agent ("was told by aides"), never in its subject
            for ch in t.children:
                if ch.dep_ == "agent" and not (quoted is not None and quoted(ch.idx)):
                    for g in ch.children:
                        if g.dep_ == "pobj":
                            return resolver.resolve(g)
            for ch in t.children:
                if quoted is not None and quoted(ch.idx):
                    continue  # a subject inside the quotation is the quoted clause's, not the cue's
                if ch.dep_ in SUBJ_DEPS and ch.pos_ not in ("SCONJ",):
                    if ch.lower_ in ("who", "that", "which") and t.dep_ == "relcl":
                        # "a senator who said ...": the local mention is "who", the speaker the senator
                        spk = resolver.resolve(t.head)
                        if ch.lower_ == "who" and t.head.lemma_.lower() in self.messages:
                            # "X himself in a tweet, who said": a message is no "who"; the person named before
                            spk = resolver.person_before(ch) or spk
                        spk.span = (ch.idx, ch.idx + len(ch))
                        return spk
                    if ch.dep_ == "nsubjpass" and t.i == cue.i and not any(c.dep_ == "agent" for c in t.children):
                        return None  # "X is expected to ...", "it was reported that ...": no source named
                    return resolver.resolve(self._named_subject(t, ch, resolver, quoted) or ch)
            if t.dep_ in INHERIT_DEPS and t.head.i != t.i:
                t = t.head
            else:
                break
        found = self._left_name(cue, resolver, quoted) or self._right_name(cue, resolver, quoted)
        if found is None and t is not None and t is not cue and self.lemma(t) in self.cues:
            found = self._right_name(t, resolver, quoted)  # '"...," said X, adding that ...'
        return found

    @staticmethod
    def _named_subject(verb: Token, first: Token, resolver: SpeakerResolver, quoted=None) -> Token | None:
        """'Another witness, U.S. Ambassador Jane Doe, said': a parse that gave the verb two subjects, the
        description and the apposition naming the person; the name speaks. None when the first names someone."""
        if first.pos_ == "PRON" or resolver.head_mention(first) is not None:
            return None
        for ch in verb.children:
            if ch.i > first.i and ch.dep_ == "nsubj" and not (quoted is not None and quoted(ch.idx)):
                found = resolver.person_in(ch)
                if found is not None:
                    return found
        return None

    def _issuer(self, noun: Token) -> Token | None:
        """The verb whose subject speaks through `noun`: "X issued a statement saying ...", "X emailed
        supporters saying ..." (a message, or the object of a cue verb), else None."""
        verb = noun.head
        if noun.dep_ != "dobj" or verb.pos_ != "VERB":
            return None
        if noun.lemma_.lower() in self.vehicles or self.lemma(verb) in self.direct_cues:
            return verb
        return None

    @staticmethod
    def _free_adjunct(t: Token) -> Token | None:
        """The verb a participle set off by a comma or dash really belongs to, when the parser hung it on
        that verb's object ("dismissed the accusations -- saying ..."): the verb, else None."""
        doc = t.doc
        before = doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
        if t.tag_ != "VBG" or before is None or before.text not in (",", "—", "--", "-", "–"):
            return None
        noun = t.head
        if noun.dep_ in SUBJ_DEPS or noun.ent_type_ == "PERSON":
            return None
        head = noun.head
        for _ in range(3):
            if head.pos_ in ("VERB", "AUX"):
                return head
            if head.head.i == head.i:
                break
            head = head.head
        return None

    @staticmethod
    def _left_name(cue: Token, resolver: SpeakerResolver, quoted=None) -> Speaker | None:
        """A parse that left the cue without a subject: a named speaker just before it
        ("..., her adviser, Jake Sullivan, said:")."""
        doc = cue.doc
        i = cue.i - 1
        while i >= 0 and cue.i - i <= 3 and (doc[i].is_punct or doc[i].pos_ in ("AUX", "ADV", "PART")):
            i -= 1
        if i < 0 or cue.i - i > 3 or (quoted is not None and quoted(doc[i].idx)):
            return None
        # an organisation only beside a cue the tagger read as a verb (not "White House Press Secretary")
        labels = ("PERSON", "ORG") if cue.pos_ == "VERB" and cue.dep_ not in CLAUSELESS_DEPS else ("PERSON",)
        hit = resolver.head_mention(doc[i])
        if hit is None or hit[2].label not in labels:
            # "..., Jane Doe, a top adviser to the mayor, said": the name before a description set off by commas
            if doc[cue.i - 1].text != ",":
                return None
            for j in range(cue.i - 2, max(-1, cue.i - 14), -1):
                if doc[j].pos_ in ("VERB", "AUX") or doc[j].is_quote or (quoted is not None and quoted(doc[j].idx)):
                    return None
                if doc[j].text == ",":
                    hit = resolver.head_mention(doc[j - 1]) if j > 0 and j < cue.i - 2 else None
                    if hit is None or hit[2].label not in labels:
                        return None
                    return resolver.resolve(doc[j - 1])
            return None
        return resolver.resolve(doc[i])

    @staticmethod
    def _right_name(cue: Token, resolver: SpeakerResolver, quoted=None) -> Speaker | None:
        """An inverted attribution the parser left without a subject: '"...," said Jane Doe', the name read
        as an adverb. Only a verb standing after punctuation qualifies, and never with the name as its
        object, so that whoever was told ('told Jane Doe') is not taken for who spoke."""
        doc = cue.doc
        if cue.pos_ != "VERB" or cue.dep_ in CLAUSELESS_DEPS or not 0 < cue.i < len(doc) - 1 \
                or not doc[cue.i - 1].is_punct:
            return None
        name = doc[cue.i + 1]
        if name.dep_ in OBJECT_DEPS or (quoted is not None and quoted(name.idx)):
            return None
        hit = resolver.head_mention(name)
        if (hit is not None and hit[2].label in ("PERSON", "ORG")) or (name.pos_ == "PROPN" and name.is_title):
            return resolver.resolve(name)
        return None

    # ------------------------------------------------------------------ a direct quotation's attribution
    def scope(self, ctx: QuoteContext, d: Any) -> Scope | None:
        doc, text = ctx.doc, ctx.text
        first = doc.char_span(d.start, d.end, alignment_mode="expand")
        if first is None or not len(first):
            return None
        sents = [ctx.sent(first[0]), ctx.sent(first[-1])]
        lo, hi = sents[0].start, sents[-1].end
        mask = [(s, e) for s, e in ctx.mask if e > doc[lo].idx - 1 and s < doc[hi - 1].idx + 2]
        # "..., said X." split off as a sentence of its own
        if hi < len(doc) and doc[hi].is_lower and "\n" not in text[d.end:doc[hi].idx]:
            hi = ctx.sent(doc[hi]).end
        lead_lo = lo
        para_lo = text.rfind("\n", 0, d.start) + 1
        para_hi = text.find("\n", d.end)
        para_hi = len(text) if para_hi < 0 else para_hi
        intro = text[:d.start].rstrip(EDGE_STRIP.replace(":", ""))
        if intro.endswith(":"):  # 'The Times reports:' closing the paragraph before
            para_lo = text.rfind("\n", 0, len(intro)) + 1
            span = doc.char_span(para_lo, len(intro), alignment_mode="expand")
            lo = min(lo, ctx.sent(span[0]).start) if span else lo
        return Scope(d=d, first=first, sents=sents, lead_lo=lead_lo, lo=lo, hi=hi, mask=mask, para_lo=para_lo,
                     para_hi=para_hi, intro=intro)

    def attribute(self, ctx: QuoteContext, d: Any) -> Found | None:
        """The cue and speaker of a direct quotation: the first of `strategies` that finds them."""
        scope = self.scope(ctx, d)
        if scope is None:
            return None
        for _name, strategy in self.strategies:
            found = strategy(ctx, scope)
            if found is not None:
                return found
        return None

    def name_lead(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'Jane Doe: "..."', 'Said Ellis: "..."': a person's name and a colon standing before the quotation."""
        doc, text, lo = ctx.doc, ctx.text, sc.lead_lo
        lead = text[doc[lo].idx:sc.d.start].rstrip(EDGE_STRIP.replace(":", "").replace(",", ""))
        if not lead.endswith(":"):
            return None
        lead_start = doc[lo].idx + len(lead) - len(lead.lstrip(EDGE_STRIP))
        # "Said Ellis: ...", the cue put first (the tagger reads such a "Said" as anything but a verb)
        said = doc[lo] if doc[lo].idx == lead_start and lo + 1 < len(doc) and doc[lo].lower_ in \
            self.lead_cues else None
        if said is not None:
            lead_start = doc[lo + 1].idx
        ent = ctx.resolver.mention_at(lead_start, lead_start + 1)
        if ent is not None and ent.label == "PERSON" and \
                not list(self.speech_cues(doc[lo + (said is not None):sc.first[0].i])):
            at = next((m for m in ent.mentions if m[0] <= lead_start < m[1]), None) or \
                next((m for m in ent.mentions if m[0] >= lead_start), (lead_start, lead_start + 1))
            head = doc.char_span(max(at[0], lead_start), at[1], alignment_mode="expand")
            if head is not None:
                return said or head.root, ctx.resolver.resolve(head.root)
        return None

    def cue_beside(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'"...," she said.', 'He told reporters: "..."': the speech cue nearest the quotation in its
        sentences and paragraph (any cue kind after a colon), whose subject stands outside the marks."""
        doc = ctx.doc
        tokens = [t for t in doc[sc.lo:sc.hi] if sc.outside(t) and sc.para_lo <= t.idx < sc.para_hi]
        best: tuple[int, Token, Speaker] | None = None
        for t in (self.cue_tokens(tokens) if sc.intro.endswith(":") else self.speech_cues(tokens)):
            # a cue whose own clause is something else ("declared that the war is over") is not this quote's
            spk = self.speaker_of(t, ctx.resolver, sc.in_mask)
            if spk is None or sc.in_mask(spk.span[0]):
                continue  # no subject, or one inside the quotation ("We will," he said: the subject is "he")
            dist = min(abs(t.idx - sc.d.end), abs(t.idx - sc.d.start))
            if best is None or dist < best[0]:
                best = (dist, t, spk)
        return (best[1], best[2]) if best is not None else None

    def according_to(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'"...," according to Jane Doe.': an attribution phrase in the quotation's sentences."""
        return self.phrase_speaker(ctx.doc[sc.lo:sc.hi], ctx.resolver, sc.outside)

    def next_sentence(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'"...," Jane Doe, the spokeswoman, told reporters.': an attribution the parser split off as the
        next sentence, right after the quotation."""
        doc, text, hi = ctx.doc, ctx.text, sc.hi
        gap = text[sc.d.end:doc[hi].idx] if hi < len(doc) else "\n"
        if "\n" in gap or gap.strip(EDGE_STRIP + "!?"):
            return None
        nxt = ctx.sent(doc[hi])
        for t in self.speech_cues([t for t in nxt if not ctx.quoted(t.idx)]):
            if any(ch.dep_ in CONTENT_DEPS for ch in t.children):
                continue
            spk = self.speaker_of(t, ctx.resolver, ctx.quoted)
            if spk is not None and not ctx.quoted(spk.span[0]):
                return t, spk
        return None

    def dash_signature(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'"..." -- Jane Doe': a name signed after a dash."""
        tail = DASH_NAME.match(ctx.text, sc.d.end)
        if tail is None:
            return None
        ent = ctx.resolver.mention_at(tail.start("name"), tail.end("name"))
        span = ctx.doc.char_span(tail.start("name"), tail.end("name"), alignment_mode="expand")
        if span is None or (ent is None and span.root.pos_ != "PROPN"):
            return None
        # '-- MSNBC host Chris Hayes': the person the signature names, past the outlet and the role
        line_end = ctx.text.find("\n", tail.start("name"))
        line_end = len(ctx.text) if line_end < 0 else line_end
        signed = [t for t in ctx.doc[span.start:span.start + SIGNATURE_WORDS] if t.idx < line_end]
        person = next((t for t in signed if any(e.label == "PERSON" for _, _, e in ctx.resolver.mentions_at(t.idx))),
                      None)
        if person is not None and (ent is None or ent.label != "PERSON"):
            return person, ctx.resolver.resolve(person)
        return span.root, ctx.resolver.resolve(span.root)

    def previous_sentence(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'Karimi wrote on Instagram:' / 'She posted a letter.': the sentence before a quotation that opens
        its own sentence introduces it (after a colon, by any cue kind)."""
        doc, first, sents = ctx.doc, sc.first, sc.sents
        opens_sentence = first[0].i == sents[0].start or not doc[sents[0].start:first[0].i].text.strip(EDGE_STRIP)
        if not opens_sentence or sents[0].start <= 0:
            return None
        prev = ctx.sent(doc[sents[0].start - 1])
        colon = prev.text.rstrip().endswith(":")
        toks = [t for t in prev if not ctx.quoted(t.idx)]
        cues = list(self.cue_tokens(toks) if colon else self.speech_cues(toks))
        # 'Dobson offered a prayer.' / 'The mayor issued a statement.': the message's words follow
        cues += [t for t in toks if t.pos_ == "VERB" and t not in cues
                 and any(c.dep_ == "dobj" and c.lemma_.lower() in self.vehicles for c in t.children)]
        if len(prev) > 40:
            return None
        # a speaker who reported something just before, in the same paragraph, goes on in their own words:
        # 'Pardo said the laws cannot cope. "They are old."'
        same_paragraph = "\n" not in ctx.text[prev.end_char:sc.d.start]
        # the last cue first, but not one inside another cue's clause: 'Esper told reporters that the Pentagon
        # does not report such injuries. "..."' -- the words are Esper's, not the Pentagon's
        for t in sorted(cues, key=lambda x: (any(a in cues for a in x.ancestors), -x.i)):
            spk = self.speaker_of(t, ctx.resolver, ctx.quoted)
            if spk is not None and not ctx.quoted(spk.span[0]) \
                    and (same_paragraph or not any(ch.dep_ in CONTENT_DEPS for ch in t.children)):
                return t, spk
        return None

    def colon_subject(self, ctx: QuoteContext, sc: Scope) -> Found | None:
        """'McConnell delivered a blunt message to Trump: "..."': a clause without a cue verb that ends in a
        colon introduces its subject's words, when that subject is a person, an organisation or a pronoun."""
        if not sc.intro.endswith(":"):
            return None
        colon = len(sc.intro) - 1
        span = ctx.doc.char_span(colon, colon + 1, alignment_mode="expand")
        if span is None:
            return None
        verb = span[0].head
        if verb.dep_ == "dobj" and verb.head.pos_ == "VERB" and not ctx.quoted(verb.head.idx):
            verb = verb.head  # 'X issued the following statement:' hangs the colon on the object
        if verb.pos_ not in ("VERB", "AUX"):
            verb = ctx.sent(span[0]).root
        for ch in verb.children:
            if ch.dep_ != "nsubj" or ctx.quoted(ch.idx):
                continue
            hit = ctx.resolver.head_mention(ch)
            if (hit is not None and hit[2].label in ("PERSON", "ORG")) or \
                    (ch.pos_ == "PRON" and ch.lower_ in self.pronouns and ch.lower_ not in ("it", "its")):
                return verb, ctx.resolver.resolve(ch)
        return None


# The attribution cascade for a direct quotation, tried in this order (each is an Attribution method above).
DIRECT_STRATEGIES = ("name_lead", "cue_beside", "according_to", "next_sentence", "dash_signature",
                     "previous_sentence", "colon_subject")
