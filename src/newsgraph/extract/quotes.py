"""Quotations, direct and reported, with their speakers."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..data import load_table
from ..records import Quote
from .component import Extractor
from .frames import SUBJ_DEPS, FrameModel, candidates, features, frame_content
from .speakers import Speaker, SpeakerResolver

Doc.set_extension("quotes", default=None, force=True)
Doc.set_extension("stances", default=None, force=True)

# quote marks: openers, closers, and marks that open or close depending on where they stand
_OPEN = {"\u201c", "\u00ab", "\u201e", "``"}
_CLOSE = {"\u201d", "\u00bb"}
_DOUBLE = re.compile(r"''|``|[\"\u201c\u201d\u00ab\u00bb\u201e]")
# single quotes stand for quotations only at word boundaries ('Peace deal'), never as apostrophes (don't)
_SINGLE = re.compile(r"(?<![\w])[\u2018'](?=\w)(?P<body>[^\n\u2018\u2019']{1,300}?)(?<=[\w.,!?])[\u2019'](?![\w])")
_WORD = re.compile(r"\w+")
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)
_CLOSING = re.compile(r"[.,!?]?(?:[\"\u201d]|'')")
# a quote signed after a dash: '"..." -- Jane Doe'
_DASH_NAME = re.compile(r"[\s\u00a0.,!?\"\u201d\u2019']*[\u2015\u2014\u2013-]{1,2}[\s\u00a0]*(?P<name>[A-Z][\w.'\u2019-]*(?:[ \u00a0][A-Z][\w.'\u2019-]*){0,4})")
_PARA = re.compile(r"\n\s*\n|\n")
_BREAK = re.compile(r"\n\s*")
# subject relations of a cue verb, and the relations through which a cue inherits its head's subject
INHERIT_DEPS = {"conj", "advcl", "xcomp", "pcomp", "acl", "ccomp", "dep", "parataxis", "prep", "pobj", "acomp"}
CONTENT_DEPS = {"ccomp", "parataxis"}
# a verb form that modifies a noun ("the so-called deal") and has no speaker of its own
CLAUSELESS_DEPS = {"amod", "compound", "nmod"}
# a cue's objects: who was told or what was named ("told Jane Doe", "called Smith a liar"), never its speaker
OBJECT_DEPS = {"dobj", "dative", "iobj", "oprd", "attr", "pobj", "ccomp", "xcomp"}
# cue kinds whose content is speech; the others (attitude, report) give a stance
SPEECH_KINDS = ("speech", "social")
EDGE_STRIP = " \t\n,;:.\u2014-\"'\u201c\u201d\u2018\u2019`"


@Language.factory(
    "newsgraph_quotes",
    requires=["doc.ents", "token.dep", "token.lemma", "doc._.entities", "doc._.social_posts"],
    assigns=["doc._.quotes", "doc._.stances"],
    default_config={"cue_verbs": "cue_verbs.tsv", "cue_phrases": "cue_phrases.tsv", "pronouns": "pronouns.tsv",
                    "speaker_words": "speaker_words.tsv", "frame_model": "cue_frame_model.tsv",
                    "frame_threshold": 0.3, "indirect_kinds": ["speech", "social", "report", "attitude"],
                    "min_words": 3},
)
def make_quote_extractor(nlp: Language, name: str, cue_verbs: str, cue_phrases: str, pronouns: str,
                         speaker_words: str, indirect_kinds: list[str], min_words: int, frame_model: str = "",
                         frame_threshold: float = 0.3) -> QuoteExtractor:
    return QuoteExtractor(
        model=FrameModel.load(frame_model, frame_threshold) if frame_model else None,
        cues={r["lemma"]: r["kind"] for r in load_table(cue_verbs)},
        phrases={r["phrase"]: r["kind"] for r in load_table(cue_phrases)},
        pronouns={r["pronoun"]: (r["gender"], r["number"]) for r in load_table(pronouns)},
        speaker_words=load_table(speaker_words),
        indirect_kinds=indirect_kinds,
        min_words=min_words,
    )


@dataclass
class _Direct:
    """A span in quote marks, before attribution: one or more parts (a quote running over paragraphs)."""

    parts: list[tuple[int, int]]
    words: int
    attrib: tuple[Token, Speaker | None] | None = None
    frags: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def _trim_punct(toks: list[Token]) -> list[Token]:
    lo, hi = 0, len(toks)
    while lo < hi and toks[lo].is_punct:
        lo += 1
    while hi > lo and toks[hi - 1].is_punct:
        hi -= 1
    return toks[lo:hi]


def _stem(word: str) -> str:
    """'tweeted' -> 'tweet', 'posted' -> 'post': enough to find a cue the lemmatizer missed."""
    return word[:-2] if word.endswith("ed") and len(word) > 4 else word


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_STRIP:
        start += 1
    while end > start and text[end - 1] in EDGE_STRIP.replace(".", "").replace("!", ""):
        end -= 1
    return start, end


def quote_spans(text: str) -> list[list[tuple[int, int]]]:
    """Character spans of text in quote marks, grouped: a quote left open at a paragraph's end that the
    next paragraph reopens is one quotation in several parts. Straight, curly, mismatched and `''` marks."""
    groups: list[list[tuple[int, int]]] = []
    pos = 0
    carry: list[tuple[int, int]] | None = None  # a quote left open at the end of the last paragraph
    for para_end in [m.start() for m in _PARA.finditer(text)] + [len(text)]:
        para_start = pos
        pos = para_end
        opened: int | None = None
        open_mark = ""
        skip_to = para_start
        first_mark = True
        found_double = False
        for m in _DOUBLE.finditer(text, para_start, para_end):
            mark, i = m.group(), m.start()
            found_double = True
            if i < skip_to:
                continue  # a mark of a quotation nested in the open one
            before = text[i - 1] if i > para_start else " "
            after = text[m.end()] if m.end() < para_end else " "
            opener = mark in _OPEN or (mark not in _CLOSE and (before.isspace() or before in "([\u2014-:")
                                       and not after.isspace())
            closer = mark in _CLOSE or (mark not in _OPEN and not opener)
            if opened is None:
                if closer and not opener:
                    first_mark = False
                    continue  # a stray closing mark
                # a paragraph that opens with a mark continues the quote the last paragraph left open
                cont = carry is not None and first_mark and not text[para_start:i].strip()
                opened = m.end()
                open_mark = mark
                if not cont:
                    carry = None
            else:
                said = bool(text[opened:i].strip())  # words stand between the open mark and this one
                nested_end = _nested(text, open_mark, mark, opener, m.end(), para_end) if said else None
                if nested_end is not None:
                    skip_to = nested_end  # '"It isn't about “law and order” any more."': the phrase stays inside
                    continue
                if opener and mark in _OPEN and said:
                    opened = m.end()  # an opening curly mark where a close was due: restart here
                    continue
                s, e = _strip(text, opened, i)
                if e > s:
                    if carry is not None:
                        carry.append((s, e))
                        carry = None
                    else:
                        groups.append([(s, e)])
                opened = None
            first_mark = False
        if opened is not None:
            s, e = _strip(text, opened, para_end)
            if e > s:
                if carry is not None:
                    carry.append((s, e))
                else:
                    carry = [(s, e)]
                    groups.append(carry)
        else:
            carry = None
        if not found_double:
            for m in _SINGLE.finditer(text, para_start, para_end):
                s, e = _strip(text, m.start("body"), m.end("body"))
                if e > s:
                    groups.append([(s, e)])
    return sorted(groups)


# a quotation nested in another is a phrase: at most this many words, with no sentence end inside
NESTED_WORDS = 8
_STRAIGHT_CLOSE = re.compile(r'(?<=\S)"')


def _nested(text: str, outer: str, mark: str, opener: bool, after: int, para_end: int) -> int | None:
    """Where a quotation nested in the open one ends, when `mark` opens one: curly marks inside straight
    ones or straight inside curly ('"It is no “peace deal” at all," she said'). None when `mark` is no
    nested opener. The outer quote must close (or run on) after it, so a stray mark is not read as nesting."""
    if outer == '"' and mark == "\u201c":
        close = text.find("\u201d", after, para_end)
    elif outer == "\u201c" and mark == '"' and opener:
        m = _STRAIGHT_CLOSE.search(text, after, para_end)
        close = m.start() if m else -1
        if close >= 0 and "\u201d" not in text[close + 1:para_end]:
            return None  # nothing left to close the curly quote: the straight mark closed it
    else:
        return None
    if close < 0:
        return None
    inner = text[after:close]
    if len(_WORD.findall(inner)) > NESTED_WORDS or re.search(r"[.!?]\s+\w", inner) or outer in inner:
        return None
    return close + 1  # past the nested closing mark (one character either way)


def _same_speaker(spk: Speaker, q: Quote) -> bool:
    """Whether an attribution names the author a quote already has (by entity, else by name)."""
    if spk.entity_id is not None and q.speaker_id is not None:
        return spk.entity_id == q.speaker_id
    a, b = (spk.name or "").lower(), (q.speaker or "").lower()
    return bool(a and b) and (a in b or b in a)


def _utterance(text: str, end: int) -> bool:
    """Whether a quotation ends the way an utterance does ("Really," / "Stay there!"), unlike a scare quote."""
    return text[end - 1:end] in (".", "!", "?") or text[end:end + 1] in (",", "!", "?")


_TAG = re.compile(r"\s*<[a-zA-Z][^<>\n]*>")
# what closes an embed after its words: a closing tag, a signature ("— Name (@handle) date"), a link
_BODY_END = re.compile(r"</[a-zA-Z]|[\s\u00a0]*[\u2014\u2013-]{1,2}[\s\u00a0]*[^\n]{0,80}\(@\w+\)"
                       r"|\s*(?:pic\.twitter\.com/|https?://t\.co/)")


def _opened(text: str) -> bool:
    """Whether a span opens a quotation it does not close."""
    doubled = text.count("''")
    return text.count("\u201c") > text.count("\u201d") or text.count('"') % 2 == 1 or \
        (text.count("``") > doubled if "``" in text else doubled % 2 == 1)


def _repeats(quote: str, post: str) -> bool:
    """A quotation that is a post's text: nearly all its words are the post's, and most of the post's are in it."""
    qw, pw = Counter(_WORD.findall(quote.lower())), Counter(_WORD.findall(post.lower()))
    common = sum((qw & pw).values())
    return common >= 0.9 * sum(qw.values()) and common >= 0.8 * sum(pw.values())


def _post_body(text: str, start: int, end: int) -> tuple[int, int]:
    """The words of an embedded post, without the markup, signature and links around them."""
    m = _TAG.match(text, start, end)
    if m is not None:
        start = m.end()
    cut = _BODY_END.search(text, start, end)
    return start, (cut.start() if cut is not None and cut.start() > start else end)


_TITLE_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "at", "by", "from"}


def _is_title(text: str) -> bool:
    """Title Case words without a sentence's end: a headline, show or book title, not a quotation."""
    words = text.split()
    if len(words) > 10 or text.rstrip()[-1:] in "?!":
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha() or (w in _TITLE_SMALL and w is not words[0]))
    return caps == len(words) and (len(words) < 8 or not text.rstrip().endswith("."))


class QuoteExtractor(Extractor):
    name = "newsgraph_quotes"
    attr = "quotes"

    def __init__(self, cues: dict[str, str], phrases: dict[str, str], pronouns: dict[str, tuple[str, str]],
                 speaker_words: list[dict[str, str]], indirect_kinds: list[str] | None = None,
                 min_words: int = 3, model: FrameModel | None = None) -> None:
        self.cues = cues
        self._cue_heads = {k.split()[0] for k in cues if " " in k}  # "shoot back": a lemma that may take a word
        self.model = model
        self.indirect_cues = {k for k, v in cues.items() if v in set(indirect_kinds or cues.values())}
        self.direct_cues = {k for k, v in cues.items() if v in SPEECH_KINDS}
        # 'Said Ellis: ...' (see _attribute): the forms entities.py also strips from a name's front
        self._lead_cues = {r["word"] for r in speaker_words if r["kind"] == "inverted_cue"}
        self.phrases = {tuple(p.split()): k for p, k in phrases.items()}
        self.pronouns = pronouns
        self.gender_words = {r["word"]: r["value"] for r in speaker_words if r["kind"] == "gender"}
        self.anonymous_words = {r["word"] for r in speaker_words if r["kind"] == "anonymous"}
        self.sourceless = {r["word"] for r in speaker_words if r["kind"] == "sourceless"}
        self.perception = {r["word"] for r in speaker_words if r["kind"] == "perception"}
        self.carriers = {r["word"] for r in speaker_words if r["kind"] == "carrier"}
        self.vehicles = {r["word"] for r in speaker_words if r["kind"] == "vehicle"}
        self.min_words = min_words

    # ------------------------------------------------------------------ entry point
    def __call__(self, doc: Doc) -> Doc:
        """Speech to `doc._.quotes`, stances (beliefs, wishes, plans: no speech) to `doc._.stances`."""
        super().__call__(doc)
        found = doc._.quotes or []
        doc._.quotes = [q for q in found if q.kind != "stance"]
        doc._.stances = [q for q in found if q.kind == "stance"]
        return doc

    def find(self, doc: Doc) -> Iterator[Quote]:
        if not doc.has_annotation("DEP"):
            return iter(())
        self._text = doc.text  # Doc.text joins every token again on each access
        self._sents = list(doc.sents)
        self._sent_starts = [x.start for x in self._sents]
        resolver = SpeakerResolver(doc, doc._.entities or [], self.pronouns, self.gender_words, self.anonymous_words)
        posts = [p for p in (doc._.social_posts or [])]
        self._posts = posts
        post_spans = [(p.start, p.end, n) for n, p in enumerate(posts) if p.start is not None and p.end is not None]
        out: list[Quote] = []
        directs = self._directs(doc, resolver, post_spans)
        covered = [(d.start, d.end) for d in directs]
        self._direct_cue_idx = [d.attrib[0].idx for d in directs if d.attrib is not None]
        for d in directs:
            out.append(self._direct_quote(doc, d, posts, post_spans, resolver))
        out.extend(self._indirects(doc, resolver, covered, post_spans))
        out.extend(self._post_quotes(doc, posts, out, resolver))
        out.sort(key=lambda q: (q.start if q.start is not None else 1 << 62))
        return iter(out)

    # ------------------------------------------------------------------ direct quotes
    def _directs(self, doc: Doc, resolver: SpeakerResolver, post_spans: list) -> list[_Direct]:
        text = self._text
        found: list[_Direct] = []
        last: _Direct | None = None
        groups = quote_spans(text)
        self._partials: list[tuple[int, _Direct, tuple[Token, Speaker | None]]] = []
        self._mask = sorted(p for g in groups for p in g)
        self._mask_starts = [p[0] for p in self._mask]
        for parts in groups:
            words = sum(len(_WORD.findall(text[s:e])) for s, e in parts)
            d = _Direct(parts, words)
            short = words < self.min_words
            if not _utterance(text, d.end) if short else _is_title(text[d.start:d.end]):
                continue  # a scare quote or a title, not a quotation
            hits = [n for ps, pe, n in post_spans if min(pe, d.end) - max(ps, d.start) >= 0.8 * (d.end - d.start)]
            in_post = bool(hits)
            # words in an embedded post are its author's; a post only mentioned ("X tweeted: ...") keeps
            # the attribution written around it, which names the local mention of its author
            if not any(self._posts[n].embedded for n in hits):
                d.attrib = self._attribute(doc, d, resolver)
            # words quoted inside a reported clause are that clause's, reported with it (see _indirects)
            at = self._clause_start(text, d, d.attrib[0]) if short and d.attrib is not None else None
            if at is not None:
                self._partials.append((at, d, d.attrib))  # type: ignore[arg-type]
                continue
            if short and (d.attrib is None or not self._adjacent(text, d, d.attrib[0])):
                continue  # "Really," she added: a short utterance only with its own cue right beside it
            if d.attrib is None and not in_post and last is not None and last.attrib is not None \
                    and self._follows(text, last, d):
                d.attrib = last.attrib
            if words < 5 and d.attrib is None:
                continue
            # "A," he said. "B." -> one quotation interrupted by its attribution
            if last is not None and d.attrib is not None and last.attrib is not None \
                    and last.attrib[0].i == d.attrib[0].i and self._interrupted(text, last, d):
                last.parts.extend(d.parts)
                last.words += d.words
                continue
            found.append(d)
            last = d
        return found

    @staticmethod
    def _adjacent(text: str, d: _Direct, cue: Token) -> bool:
        """A cue standing right beside a quotation: '"Quiet," he demanded' or 'a man yelled "Stay there!"'."""
        gap = text[d.end:cue.idx] if cue.idx >= d.end else text[cue.idx + len(cue):d.start]
        return "\n" not in gap and len(_WORD.findall(gap)) <= 4

    @staticmethod
    def _clause_start(text: str, d: _Direct, cue: Token) -> int | None:
        """Where the reported clause starts that a short quotation is part of: 'declared that the war is "over."'
        quotes a word of what was declared, it is no utterance of its own."""
        if cue.idx > d.start:
            return None
        gap_start = cue.idx + len(cue)
        m = _THAT.search(text, gap_start, d.start)
        return m.end() if m is not None and "\n" not in text[gap_start:d.start] else None

    @staticmethod
    def _follows(text: str, last: _Direct, d: _Direct) -> bool:
        """A quote standing alone right after an attributed one: in the same paragraph, or opening the next."""
        gap = text[last.end:d.start]
        if "\n" not in gap:
            return True
        # (blank lines and stray spaces between the paragraphs are one break)
        breaks = list(_BREAK.finditer(gap))
        if len(breaks) != 1 or _WORD.search(gap, breaks[0].end()):
            return False
        words = len(_WORD.findall(gap))
        if words <= 3:
            return True
        # the paragraph before ends with the attribution of its quote: '"A," X told Y. / "B."'
        cue = last.attrib[0] if last.attrib is not None else None
        return cue is not None and last.end <= cue.idx < last.end + breaks[0].start() and words <= 25 \
            and not re.search(r"[.!?]\W+\w", gap[:breaks[0].start()].rstrip(EDGE_STRIP + "!?"))

    @staticmethod
    def _interrupted(text: str, last: _Direct, d: _Direct) -> bool:
        gap = text[last.end:d.start]
        return "\n" not in gap and len(_WORD.findall(gap)) <= 25

    def _cue_tokens(self, tokens: list[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.pos_ in ("VERB", "AUX") and self._lemma(t) in self.cues:
                yield t

    def _lemma(self, t: Token) -> str:
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

    def _quoted(self, i: int) -> bool:
        """Whether character i lies inside quote marks (or on one)."""
        k = bisect.bisect_right(self._mask_starts, i + 1) - 1
        return any(s - 1 <= i < e + 1 for s, e in self._mask[max(0, k - 2):k + 1])

    def _sent(self, t: Token) -> Span:
        """The sentence of a token, from boundaries computed once per doc (Token.sent walks the doc)."""
        i = bisect.bisect_right(self._sent_starts, t.i) - 1
        return self._sents[i]

    def _direct_cues(self, tokens) -> Iterator[Token]:
        for t in tokens:
            if t.pos_ in ("VERB", "AUX") and self._lemma(t) in self.direct_cues:
                yield t
            elif t.tag_ in ("VBD", "NN", "NNP") and _stem(t.lower_) in self.direct_cues:
                yield t  # an inflected cue the tagger took for something else ("tweeted")

    def _attribute(self, doc: Doc, d: _Direct, resolver: SpeakerResolver) -> tuple[Token, Speaker | None] | None:
        """The cue and speaker of a direct quote: a cue in its sentences outside the marks, else a cue
        ending the sentence just before it ("Karimi wrote on Instagram:")."""
        first = doc.char_span(d.start, d.end, alignment_mode="expand")
        if first is None or not len(first):
            return None
        sents = [self._sent(first[0]), self._sent(first[-1])]
        lo, hi = sents[0].start, sents[-1].end

        mask = [(s, e) for s, e in self._mask if e > doc[lo].idx - 1 and s < doc[hi - 1].idx + 2]

        def outside(t: Token) -> bool:
            return not any(s - 1 <= t.idx < e + 1 for s, e in mask)

        # "..., said X." split off as a sentence of its own
        if hi < len(doc) and doc[hi].is_lower and "\n" not in self._text[d.end:doc[hi].idx]:
            hi = self._sent(doc[hi]).end
        # "Name: ..." or "Name, role: ..." standing before the quote
        lead = self._text[doc[lo].idx:d.start].rstrip(EDGE_STRIP.replace(":", "").replace(",", ""))
        if lead.endswith(":"):
            lead_start = doc[lo].idx + len(lead) - len(lead.lstrip(EDGE_STRIP))
            # "Said Ellis: ...", the cue put first (the tagger reads such a "Said" as anything but a verb)
            said = doc[lo] if doc[lo].idx == lead_start and lo + 1 < len(doc) and doc[lo].lower_ in \
                self._lead_cues else None
            if said is not None:
                lead_start = doc[lo + 1].idx
            ent = resolver.mention_at(lead_start, lead_start + 1)
            if ent is not None and ent.label == "PERSON" and \
                    not list(self._direct_cues(doc[lo + (said is not None):first[0].i])):
                at = next((m for m in ent.mentions if m[0] <= lead_start < m[1]), None) or \
                    next((m for m in ent.mentions if m[0] >= lead_start), (lead_start, lead_start + 1))
                head = doc.char_span(max(at[0], lead_start), at[1], alignment_mode="expand")
                if head is not None:
                    return said or head.root, resolver.resolve(head.root)

        best: tuple[int, Token, Speaker] | None = None
        para_lo = self._text.rfind("\n", 0, d.start) + 1
        para_hi = self._text.find("\n", d.end)
        para_hi = len(self._text) if para_hi < 0 else para_hi
        intro = self._text[:d.start].rstrip(EDGE_STRIP.replace(":", ""))
        if intro.endswith(":"):  # 'The Times reports:' closing the paragraph before
            para_lo = self._text.rfind("\n", 0, len(intro)) + 1
            lo = min(lo, self._sent(doc.char_span(para_lo, len(intro), alignment_mode="expand")[0]).start) \
                if doc.char_span(para_lo, len(intro), alignment_mode="expand") else lo
        cue_tokens = [t for t in doc[lo:hi] if outside(t) and para_lo <= t.idx < para_hi]
        for t in (self._cue_tokens(cue_tokens) if intro.endswith(":") else self._direct_cues(cue_tokens)):
            # a cue whose own clause is something else ("declared that the war is over") is not this quote's
            spk = self._speaker_of(t, resolver, lambda i: any(s <= i < e for s, e in mask))
            if spk is None or any(s <= spk.span[0] < e for s, e in mask):
                continue  # no subject, or one inside the quotation ("We will," he said: the subject is "he")
            dist = min(abs(t.idx - d.end), abs(t.idx - d.start))
            if best is None or dist < best[0]:
                best = (dist, t, spk)
        if best is not None:
            return best[1], best[2]
        phrase = self._phrase_speaker(doc[lo:hi], resolver, outside)
        if phrase is not None:
            return phrase
        # an attribution split off as the next sentence: '"...," Jane Doe, the spokeswoman, told reporters.'
        gap = self._text[d.end:doc[hi].idx] if hi < len(doc) else "\n"
        if "\n" not in gap and not gap.strip(EDGE_STRIP + "!?"):
            nxt = self._sent(doc[hi])
            for t in self._direct_cues([t for t in nxt if not self._quoted(t.idx)]):
                if any(ch.dep_ in CONTENT_DEPS for ch in t.children):
                    continue
                spk = self._speaker_of(t, resolver, self._quoted)
                if spk is not None and not self._quoted(spk.span[0]):
                    return t, spk
        # "..." -- Name
        tail = _DASH_NAME.match(self._text, d.end)
        if tail is not None:
            ent = resolver.mention_at(tail.start("name"), tail.end("name"))
            span = doc.char_span(tail.start("name"), tail.end("name"), alignment_mode="expand")
            if span is not None and (ent is not None or span.root.pos_ == "PROPN"):
                return span.root, resolver.resolve(span.root)
        # the sentence before introduces it: 'Karimi wrote:' / 'She posted a letter.'
        opens_sentence = first[0].i == sents[0].start or not doc[sents[0].start:first[0].i].text.strip(EDGE_STRIP)
        if opens_sentence and sents[0].start > 0:
            prev = self._sent(doc[sents[0].start - 1])
            colon = prev.text.rstrip().endswith(":")
            toks = [t for t in prev if not self._quoted(t.idx)]
            cues = self._cue_tokens(toks) if colon else self._direct_cues(toks)
            if len(prev) <= 40:
                for t in reversed(list(cues)):
                    spk = self._speaker_of(t, resolver, self._quoted)
                    if spk is not None and not self._quoted(spk.span[0]) \
                            and not any(ch.dep_ in CONTENT_DEPS for ch in t.children):
                        return t, spk
        if intro.endswith(":"):
            return self._colon_subject(doc, len(intro) - 1, resolver)
        return None

    def _colon_subject(self, doc: Doc, colon: int, resolver: SpeakerResolver) -> tuple[Token, Speaker] | None:
        """'McConnell delivered a blunt message to Trump: "..."': a clause without a cue verb that ends in a
        colon introduces its subject's words, when that subject is a person, an organisation or a pronoun."""
        span = doc.char_span(colon, colon + 1, alignment_mode="expand")
        if span is None:
            return None
        verb = span[0].head
        if verb.dep_ == "dobj" and verb.head.pos_ == "VERB" and not self._quoted(verb.head.idx):
            verb = verb.head  # 'X issued the following statement:' hangs the colon on the object
        if verb.pos_ not in ("VERB", "AUX"):
            verb = self._sent(span[0]).root
        for ch in verb.children:
            if ch.dep_ != "nsubj" or self._quoted(ch.idx):
                continue
            hit = resolver.head_mention(ch)
            if (hit is not None and hit[2].label in ("PERSON", "ORG")) or \
                    (ch.pos_ == "PRON" and ch.lower_ in self.pronouns and ch.lower_ not in ("it", "its")):
                return verb, resolver.resolve(ch)
        return None

    def _speaker_of(self, cue: Token, resolver: SpeakerResolver, quoted=None) -> Speaker | None:
        """The subject of a cue verb, or of the verb it hangs from ("..., adding", "began by writing")."""
        if cue.lemma_.lower() in self.sourceless:
            return None  # "X seems to ...": X is what the content is about, not who says it
        if cue.pos_ == "NOUN":  # "her support for X", "X voiced support for Y"
            poss = next((c for c in cue.children if c.dep_ == "poss"), None)
            if poss is not None:
                return resolver.resolve(poss)
            if cue.dep_ in ("dobj", "attr") and cue.head.pos_ in ("VERB", "AUX"):
                return self._speaker_of(cue.head, resolver, quoted)
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
                    and self._lemma(t.head.head) in self.cues and self._lemma(t) in self.indirect_cues:
                # "X said [the plan was sound] and promised ...": the parser hung the second cue on the
                # reported clause (see _trim); it shares the first cue's subject
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
                        spk.span = (ch.idx, ch.idx + len(ch))
                        return spk
                    if ch.dep_ == "nsubjpass" and t.i == cue.i and not any(c.dep_ == "agent" for c in t.children):
                        return None  # "X is expected to ...", "it was reported that ...": no source named
                    return resolver.resolve(ch)
            if t.dep_ in INHERIT_DEPS and t.head is not t:
                t = t.head
            else:
                break
        found = self._left_name(cue, resolver, quoted) or self._right_name(cue, resolver, quoted)
        if found is None and t is not None and t is not cue and self._lemma(t) in self.cues:
            found = self._right_name(t, resolver, quoted)  # '"...," said X, adding that ...'
        return found

    def _issuer(self, noun: Token) -> Token | None:
        """The verb whose subject speaks through `noun`: "X issued a statement saying ...", "X emailed
        supporters saying ..." (a message, or the object of a cue verb), else None."""
        verb = noun.head
        if noun.dep_ != "dobj" or verb.pos_ != "VERB":
            return None
        if noun.lemma_.lower() in self.vehicles or self._lemma(verb) in self.direct_cues:
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
            if head.head is head:
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

    def _phrase_at(self, t: Token, end: int | None = None) -> tuple[str, ...] | None:
        """The attribution phrase ("according to") that starts at `t` and ends by token `end`, if any."""
        doc = t.doc
        end = len(doc) if end is None else end
        for phrase in self.phrases:
            n = len(phrase)
            if t.lower_ == phrase[0] and t.i + n <= end and tuple(x.lower_ for x in doc[t.i:t.i + n]) == phrase:
                return phrase
        return None

    def _phrase_speaker(self, span: Span, resolver: SpeakerResolver, outside) -> tuple[Token, Speaker] | None:
        """'according to X' -> (the cue's first token, X)."""
        for t in span:
            phrase = self._phrase_at(t, span.end) if outside(t) else None
            if phrase is not None:
                last = t.doc[t.i + len(phrase) - 1]
                objs = [c for c in last.children if c.dep_ == "pobj"]
                if objs:
                    return t, resolver.resolve(objs[0])
        return None

    def _direct_quote(self, doc: Doc, d: _Direct, posts: list, post_spans: list, resolver: SpeakerResolver) -> Quote:
        text = self._text
        parts = d.parts
        q = Quote(text=" ".join(text[s:e] for s, e in parts), start=d.start, end=d.end, direct=True, kind="direct",
                  spans=[list(p) for p in parts] if len(parts) > 1 else None)
        for ps, pe, n in post_spans:
            if min(pe, d.end) - max(ps, d.start) >= 0.8 * (d.end - d.start):
                if d.words >= 0.9 * len(_WORD.findall(self._text[ps:pe])):
                    self._from_post(q, posts[n], n, resolver)
                    spk = d.attrib[1] if d.attrib is not None else None
                    if spk is not None and _same_speaker(spk, q):
                        q.speaker_span = list(spk.span)
                        q.cue = self._cue_text(d.attrib[0])
                else:
                    # words the post's author quotes from someone the post does not name
                    q.anonymous = True
                    q.cue = "quoted"
                return q
        if d.attrib is not None:
            cue, spk = d.attrib
            q.cue = self._cue_text(cue)
            if spk is not None:
                self._set_speaker(q, spk)
        return q

    @staticmethod
    def _cue_text(cue: Token) -> str:
        if cue.lower_ == "according":
            return "according to"
        parts = [c.text for c in cue.lefts if c.dep_ in ("aux", "neg") and c.i == cue.i - 1]
        return " ".join(parts + [cue.text])

    @staticmethod
    def _set_speaker(q: Quote, spk: Speaker) -> None:
        q.speaker = spk.name
        q.speaker_id = spk.entity_id
        q.speaker_span = list(spk.span)
        q.anonymous = spk.anonymous

    # ------------------------------------------------------------------ reported speech
    def _indirects(self, doc: Doc, resolver: SpeakerResolver, covered: list[tuple[int, int]],
                   post_spans: list) -> Iterator[Quote]:
        text = self._text
        seen: set[tuple[int, int]] = set()

        def in_post(i: int) -> bool:
            return any(ps <= i < pe for ps, pe, _ in post_spans)

        direct_cues = self._direct_cue_idx
        carries_quote = set(direct_cues)
        weighed: list[tuple[float, Token, list[Token]]] = []  # frames the model accepts, decided last

        def emit(cue_text: str, spk: Speaker | None, s: int, e: int, at: int, kind: str = "reported") -> Quote | None:
            # reported speech stays inside its cue's paragraph
            para_start, para_end = self._paragraph(at)
            s, e = max(s, para_start), min(e, para_end)
            s, e = _strip(text, s, e)
            # a quotation the clause ends on keeps its closing mark: 'that the war is "over."', not '..."over'
            if (m := _CLOSING.match(text, e, para_end)) is not None and _opened(text[s:e]):
                e = m.end()
            if e - s < 8 or (s, e) in seen or in_post(s):
                return None
            if any(s <= i < e for i in direct_cues):
                return None  # a parse that swallowed a direct quote's own attribution
            # reported speech that is all in quote marks is the direct quote already found
            inside = sum(max(0, min(e, ce) - max(s, cs)) for cs, ce in covered)
            if inside > 0.6 * (e - s):
                return None
            seen.add((s, e))
            if spk is not None and not para_start <= spk.span[0] < para_end:
                spk = None  # a subject the parser found across a paragraph break ("(@handle) May 2\n\nThe ...")
            q = Quote(text=text[s:e], start=s, end=e, direct=False, cue=cue_text, kind=kind)
            if spk is not None:
                self._set_speaker(q, spk)
            return q

        for t in doc:
            if t.lower_ in ("according", "in"):  # ("According" is tagged a verb: it comes first)
                found = self._phrase_speaker(doc[t.i:t.i + 5], resolver, lambda x: True)
                if found is not None and found[0].i == t.i:
                    yield from self._according(t, found[1], emit)
                    continue
            if t.pos_ not in ("VERB", "AUX", "NOUN"):
                continue
            if t.dep_ == "parataxis" and t.pos_ == "VERB" and self._lemma(t) in self.indirect_cues:
                q = self._parenthetical(t, resolver, emit)
                if q is not None:
                    yield q
                    continue
            content = []
            for rel, toks, ruled in self.frames(t):
                if t.idx in carries_quote and toks[0].tag_ == "VBG":
                    continue  # '"...," she wrote, sharing the video': how she said it, her words are the quote
                if ruled:
                    content.append(toks)
                elif self.model is not None:
                    p = self.model.prob(self.frame_features(t, rel, toks))
                    if p >= self.model.threshold:
                        weighed.append((p, t, toks))
            if not content:
                continue
            spk = self._speaker_of(t, resolver)
            kind = self._kind(t)
            for sub in content:
                q = emit(self._cue_text(t), spk, sub[0].idx, sub[-1].idx + len(sub[-1]), t.idx, kind)
                if q is not None:
                    yield q
        # the model's frames come after the rules' and the quote marks', and the likelier first: one that
        # mostly repeats a quotation already found (a frame nested in it, its parse twin) adds nothing
        def repeats(s: int, e: int) -> bool:
            s, e = _strip(text, s, e)
            return any(2 * max(0, min(e, b) - max(s, a)) >= 0.5 * (e - s + b - a) for a, b in (*seen, *covered))

        for _, t, toks in sorted(weighed, key=lambda w: -w[0]):
            if repeats(toks[0].idx, toks[-1].idx + len(toks[-1])):
                continue
            q = emit(self._cue_text(t), self._speaker_of(t, resolver), toks[0].idx, toks[-1].idx + len(toks[-1]),
                     t.idx, self._kind(t))
            if q is not None:
                yield q
        # 'his claim that people would "learn nothing"': the clause, with the words it quotes, when no frame
        # reported it
        for at, d, (cue, spk) in self._partials:
            if not repeats(at, d.end):
                q = emit(self._cue_text(cue), spk, at, d.end, cue.idx, self._kind(cue))
                if q is not None:
                    yield q

    def _kind(self, cue: Token) -> str:
        """What a cue's content is: speech ("said that ...") or a stance ("fearing that ...", "support for X")."""
        return "reported" if cue.pos_ != "NOUN" and self.cues.get(self._lemma(cue)) in SPEECH_KINDS else "stance"

    def _paragraph(self, at: int) -> tuple[int, int]:
        """Start and end of the paragraph holding character `at`."""
        end = self._text.find("\n", at)
        return self._text.rfind("\n", 0, at) + 1, len(self._text) if end < 0 else end

    def _according(self, t: Token, spk: Speaker | None, emit) -> Iterator[Quote]:
        """'According to X, ...': the rest of the sentence is what X says."""
        sent = self._sent(t)
        # the phrase itself, however the parser hung it: "According" and all up to its source's end
        end = spk.span[1] if spk is not None else t.idx + len(t)
        excl = {x.i for x in t.subtree} | {x.i for x in sent if t.idx <= x.idx < end}
        # (a sentence the parser ran across a paragraph break: only the phrase's paragraph is its content)
        lo, hi = self._paragraph(t.idx)
        toks = [x for x in sent if x.i not in excl and not x.is_punct and lo <= x.idx < hi]
        if toks:
            q = emit("according to", spk, toks[0].idx, toks[-1].idx + len(toks[-1]), t.idx)
            if q is not None:
                yield q

    def frames(self, t: Token) -> Iterator[tuple[str, list[Token], bool]]:
        """The frames of a verb or noun: (relation, content, ruled); ruled when the cue table alone makes the
        content reported speech (a speech verb's clausal complement), else the model weighs it."""
        low = self._lemma(t)
        observed = low in self.perception and any(c.dep_ == "auxpass" for c in t.children) \
            and not any(c.dep_ == "agent" for c in t.children)
        for rel, toks in candidates(t):
            if observed and rel in ("xcomp", "ccomp") and toks[0].tag_ == "VBG":
                continue  # "the boy is seen running ...": what a camera shows, not what anyone says
            if self._carrier(toks):
                continue  # "shared a video of the crowd", "concluded the letter": the post or letter, not its words
            toks = self._trim(toks)
            if toks:
                yield rel, toks, t.pos_ != "NOUN" and rel in CONTENT_DEPS and low in self.indirect_cues

    def _carrier(self, toks: list[Token]) -> bool:
        """A noun phrase naming what carries words (a video, a post, a letter) and saying none of them."""
        lo, hi = toks[0].i, toks[-1].i
        root = next((x for x in toks if not lo <= x.head.i <= hi or x.head is x), toks[0])
        return root.pos_ == "NOUN" and root.lemma_.lower() in self.carriers \
            and not any(x.pos_ in ("VERB", "AUX") and x.dep_ in ("ccomp", "acl", "relcl") and x.head is root
                        for x in toks)

    def frame_features(self, t: Token, rel: str, toks: list[Token]) -> list[str]:
        low = self._lemma(t)
        return features(t, rel, toks, low, self.cues.get(low))

    def _parenthetical(self, cue: Token, resolver: SpeakerResolver, emit) -> Quote | None:
        """'The closures, he said, have involved ...': a cue set off inside (or after) the clause it reports,
        which is then the content, in two parts around the attribution."""
        head = cue.head
        if head.pos_ not in ("VERB", "AUX") or not any(c.dep_ in SUBJ_DEPS for c in cue.children) \
                or any(c.dep_ in CONTENT_DEPS or c.dep_ == "dobj" for c in cue.children):
            return None
        left, right = cue.left_edge.i, cue.right_edge.i
        doc = cue.doc
        # the clause reported around the cue, without the attribution and the commas that set it off
        toks = [x for x in head.subtree if not left <= x.i <= right]
        parts = [[x for x in toks if x.i < left], [x for x in toks if x.i > right]]
        parts = [p for p in (_trim_punct(p) for p in parts) if p]
        spans = []
        for p in parts:
            s, e = _strip(self._text, p[0].idx, p[-1].idx + len(p[-1]))
            if e > s:
                spans.append((s, e))
        if not spans or doc[left].idx - 1 < spans[0][0] or "\n" in self._text[spans[0][0]:spans[-1][1]]:
            return None
        q = emit(self._cue_text(cue), self._speaker_of(cue, resolver), spans[0][0], spans[-1][1], cue.idx)
        if q is not None and len(spans) > 1:
            q.spans = [list(x) for x in spans]
            q.text = " ".join(self._text[a:b] for a, b in spans)
        return q

    def _trim(self, toks: list[Token]) -> list[Token]:
        """Reported content without an attribution of its own joined on at its end: in "X said [A] and
        promised B" the parser may hang "promised" on A's verb; what follows the cue is a new attribution."""
        if not toks:
            return toks
        ids = {t.i for t in toks}
        root = next((t for t in toks if t.head.i not in ids or t.head is t), toks[0])
        doc = root.doc
        for t in toks:
            # "[A], according to B": the source named after the content is no part of it
            if t.i > root.i and doc[t.i - 1].text == "," and self._phrase_at(t) is not None:
                return [x for x in toks if x.i < t.i - 1] or toks
        for c in root.rights:
            if c.dep_ != "conj" or c.pos_ not in ("VERB", "AUX") or self._lemma(c) not in self.indirect_cues \
                    or not any(frame_content(g) for g in c.children):
                continue
            cut = c.left_edge.i
            # the comma and conjunction before the cut clause go with it
            while cut > root.i + 1 and (doc[cut - 1].is_punct or doc[cut - 1].dep_ in ("cc", "mark")):
                cut -= 1
            return [t for t in toks if t.i < cut] or toks
        return toks

    # ------------------------------------------------------------------ social posts
    def _from_post(self, q: Quote, post, n: int, resolver: SpeakerResolver) -> None:
        q.post_id = f"local:{n}"
        q.cue = q.cue or "posted"
        author = post.author or post.handle
        q.speaker = author
        q.anonymous = author is None
        for e in resolver.entities:
            if author and e.label == "PERSON" and e.name.lower() == author.lower():
                e = resolver.canonical(e)
                q.speaker_id = e.id
                spans = [m for m in e.mentions if q.start is None or m[1] <= q.start]
                q.speaker_span = list(spans[-1]) if spans else list(e.mentions[0])
                break

    def _own_words(self, start: int, end: int, found: list[Quote]) -> tuple[int, int]:
        """The longest stretch of a post outside the words it quotes in marks."""
        cuts = sorted((q.start - 1, q.end + 1) for q in found if q.direct and q.start is not None
                      and start <= q.start and q.end <= end)
        if not cuts:
            return start, end
        pieces, pos = [], start
        for s, e in cuts:
            pieces.append((pos, max(pos, s)))
            pos = max(pos, e)
        pieces.append((pos, end))
        s, e = max(pieces, key=lambda p: len(_WORD.findall(self._text[p[0]:p[1]])))
        return _strip(self._text, s, e)

    def _post_quotes(self, doc: Doc, posts: list, found: list[Quote], resolver: SpeakerResolver) -> Iterator[Quote]:
        """The text of each embedded post is its author's quotation, unless a quote already covers it."""
        for n, post in enumerate(posts):
            if not post.text or not post.embedded or any(q.post_id == f"local:{n}" for q in found):
                continue
            if post.start is not None and post.end is not None:
                s, e = self._own_words(*_post_body(self._text, post.start, post.end), found)
                q = Quote(text=self._text[s:e], start=s, end=e, direct=True, kind="direct")
            else:
                q = Quote(text=post.text, start=None, end=None, direct=True, kind="direct")
            # the post's words quoted in the prose too ('She wrote: "..."'): that quotation is the post's
            author = Speaker((0, 0), post.author or post.handle)
            twin = next((f for f in found if f.direct and f.post_id is None and _repeats(f.text, q.text)
                         and (not f.speaker or _same_speaker(author, f))), None)
            if twin is not None:
                local = (twin.cue, twin.speaker_span) if twin.speaker else None
                self._from_post(twin, post, n, resolver)
                if local is not None:  # the prose's own mention of the author stays the speaker_span
                    twin.cue, twin.speaker_span = local
                continue
            self._from_post(q, post, n, resolver)
            yield q
