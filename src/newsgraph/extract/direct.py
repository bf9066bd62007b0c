"""Direct quotations: text in quote marks that someone said, one quotation however often its attribution
interrupts it, and the words of embedded social posts as their authors' quotations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from ..records import Entity, Quote
from .attribution import Attribution, QuoteContext
from .quote_marks import (
    BREAK,
    EDGE_STRIP,
    THAT,
    WORD,
    is_title,
    post_body,
    quote_spans,
    repeats,
    strip_edges,
    utterance,
)
from .speakers import Speaker


@dataclass
class Direct:
    """A span in quote marks, before attribution: one or more parts (a quote running over paragraphs)."""

    parts: list[tuple[int, int]]
    words: int
    attrib: tuple[Token, Speaker | None] | None = None
    frags: list[tuple[int, int]] = field(default_factory=list)
    # a block quotation ('X notes:' and a paragraph): the source's words, but not in quote marks in the text
    block: bool = False

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def same_speaker(spk: Speaker, q: Quote) -> bool:
    """Whether an attribution names the author a quote already has (by entity, else by name)."""
    if spk.entity_id is not None and q.speaker_id is not None:
        return spk.entity_id == q.speaker_id
    a, b = (spk.name or "").lower(), (q.speaker or "").lower()
    return bool(a and b) and (a in b or b in a)


# the most words a naming verb's quoted object may have to count as the subject's words ('called it "a hoax"');
# longer quotations are judged as every other one; and the relations that lead from such words to the verb
NAMING_WORDS = 4
NAMING_DEPS = {"dobj", "oprd", "attr", "acomp", "pobj", "prep", "amod", "compound", "npadvmod", "appos", "xcomp"}
# a transcript's turn: a name in capitals (up to four words) and a colon, opening a paragraph (also after the
# quote mark that opens each paragraph of a transcript given in quote marks) or after a sentence
TURN = re.compile(r"(?:(?:^|(?<=\n))[\"\u201c]?|(?<=[.!?)\]\u2026]\s))"
                  r"((?:[A-Z][A-Z'\u2019.-]+ ){0,3}[A-Z][A-Z'\u2019.-]+):[ \t]+(?=\S)")
# a title 'Jane Roe: The Harbour Must Stay Open.' (a person's name, a colon, the claim), then the article
HEADLINE_CLAIM = re.compile(r"((?:[A-Z][\w'\u2019.-]+ ){0,3}[A-Z][\w'\u2019.-]+):[ \t]+([^\n]+)\n")
# a quoted title and its byline closing the line, as in a list of links to other stories
BYLINED = re.compile(r"[,.]?[\"\u201d]?[,.]?[ \t]+[Bb]y[ \t]+[A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,3}[ \t]*(?:\n|$)")
# a paragraph of a transcript in quote marks that goes on with the turn before ('"And I just ...')
CONTINUED = re.compile(r"[^\S\n]*\n\s*[\"\u201c]([^\n]+)")
# a block quotation's introduction is one short paragraph; its body no list item or furniture
BLOCK_INTRO_CHARS = 400
BLOCK_CUE_GAP = 6  # words at most between the cue and the colon ("wrote in a statement on Friday:")
BLOCK_OPENERS = ("\u2022", "-", "*", "\u2013", "\u2014", "\u00b7")


class DirectQuotes:
    """Finds the quotations of a document and who said them (see `Attribution.attribute`)."""

    def __init__(self, attribution: Attribution, min_words: int = 3) -> None:
        self.attribution = attribution
        self.min_words = min_words

    def find(self, ctx: QuoteContext) -> list[Direct]:
        """The quotations in quote marks, attributed; scare quotes and titles left out. Records in `ctx` every
        span in quote marks and the short quotations that belong to a reported clause."""
        text = ctx.text
        found: list[Direct] = []
        last: Direct | None = None
        groups = [g for g in quote_spans(text) if not self._transcript(text, g)]
        ctx.set_mask(groups)
        for parts in groups:
            words = sum(len(WORD.findall(text[s:e])) for s, e in parts)
            d = Direct(parts, words)
            short = words < self.min_words
            named = self._naming(ctx, d) if words <= NAMING_WORDS else None
            if named is None and (not utterance(text, d.end) if short else is_title(text[d.start:d.end])):
                continue  # a scare quote or a title, not a quotation
            if BYLINED.match(text, d.end):
                continue  # '"Iran Will Exceed Its Limit," by Jane Roe' closing its line: a linked story's title
            hits = [n for ps, pe, n in ctx.post_spans if min(pe, d.end) - max(ps, d.start) >= 0.8 * (d.end - d.start)]
            in_post = bool(hits)
            # words in an embedded post are its author's; a post only mentioned ("X tweeted: ...") keeps
            # the attribution written around it, which names the local mention of its author
            if named is not None:
                d.attrib = named  # 'called the plan a "total disgrace"': the word the subject chose
            elif not any(ctx.posts[n].embedded for n in hits):
                with ctx.resolver.outside(d.start, d.end):
                    d.attrib = self.attribution.attribute(ctx, d)
            # words quoted inside a reported clause are that clause's, reported with it (see reported.py)
            at = self._clause_start(text, d, d.attrib[0]) if short and d.attrib is not None else None
            if at is not None:
                ctx.partials.append((at, d, d.attrib))  # type: ignore[arg-type]
                continue
            if short and named is None and (d.attrib is None or not self._adjacent(text, d, d.attrib[0])):
                continue  # "Really," she added: a short utterance only with its own cue right beside it
            if d.attrib is None and not in_post and last is not None and last.attrib is not None \
                    and self._follows(text, last, d):
                d.attrib = last.attrib
            if words < 5 and d.attrib is None:
                continue
            # "A," he said. "B." -> one quotation interrupted by its attribution
            if last is not None and d.attrib is not None and last.attrib is not None and named is None \
                    and last.attrib[0].i == d.attrib[0].i and self._interrupted(text, last, d):
                last.parts.extend(d.parts)
                last.words += d.words
                continue
            found.append(d)
            last = d
        found.extend(self._block_quotes(ctx, found))
        found.extend(self._transcript_turns(ctx, found))
        found.extend(self._headline_claim(ctx, found))
        found.sort(key=lambda d: d.start)
        ctx.direct_cue_idx = [d.attrib[0].idx for d in found if d.attrib is not None]
        return found

    def _block_quotes(self, ctx: QuoteContext, found: list[Direct]) -> Iterator[Direct]:
        """'Leutert notes:' / 'As the Times reports:' closing a paragraph, then a paragraph of the source's own
        words with no quote marks (a block quotation whose markup the page lost): that paragraph is a
        quotation, when the colon closes a clause whose speech cue names who speaks."""
        text, doc = ctx.text, ctx.doc
        taken = [(d.start, d.end) for d in found]
        pos = 0
        for para in text.split("\n"):
            start, pos = pos, pos + len(para) + 1
            stripped = para.rstrip()
            if not stripped.endswith(":") or len(stripped) > BLOCK_INTRO_CHARS:
                continue
            nxt = text.find("\n", pos - 1)
            while nxt >= 0 and nxt + 1 < len(text) and text[nxt + 1] in "\n \t":
                nxt += 1
            if nxt < 0:
                continue
            body_start = nxt + 1
            body_end = text.find("\n", body_start)
            body_end = len(text) if body_end < 0 else body_end
            s, e = strip_edges(text, body_start, body_end)
            body = text[s:e]
            words = len(WORD.findall(body))
            if words < 5 or body[:1] in BLOCK_OPENERS or ctx.quoted(s) \
                    or any(a < e and s < b for a, b in taken):
                continue
            colon = doc.char_span(start + len(stripped) - 1, start + len(stripped), alignment_mode="expand")
            if colon is None:
                continue
            at = colon[0].i
            clause = [t for t in ctx.sent(colon[0]) if start <= t.idx and t.i < at]
            for cue in self.attribution.speech_cues(clause):
                between = doc[cue.i + 1:at]
                # 'notes:', 'wrote in a statement:', 'told reporters:' end on the cue's own words; 'said the
                # plan has three parts, including:' introduces a list of its own, not the speaker's words
                if len(between) > BLOCK_CUE_GAP or any(t.pos_ in ("VERB", "AUX") for t in between) \
                        or any(c.dep_ in ("ccomp", "dobj") and c.i < at for c in cue.children):
                    continue
                spk = self.attribution.speaker_of(cue, ctx.resolver, ctx.quoted)
                if spk is not None:
                    yield Direct([(s, e)], words, attrib=(cue, spk), block=True)
                    break

    def _naming(self, ctx: QuoteContext, d: Direct) -> tuple[Token, Speaker] | None:
        """A few words in quote marks that a verb of naming takes as its object or complement: 'called the
        plan a "total disgrace"', 'expressed "complete confidence"', 'refers to the bill as "anti-union"'. They
        are the subject's own words, however short (a scare quote has no such verb over it). (cue, speaker)."""
        if len(d.parts) != 1:
            return None
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="contract")
        if span is None or not len(span):
            return None
        t = span.root
        for _ in range(4):
            if t.dep_ not in NAMING_DEPS or t.head.i == t.i or (t.dep_ == "prep" and t.lower_ != "as"):
                return None  # 'refers to the bill as "anti-union"', not 'blasted them for "outrageous practices"'
            t = t.head
            if t.pos_ == "VERB" and self.attribution.lemma(t) in self.attribution.naming_cues:
                if any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or (t.dep_ == "acl" and t.tag_ == "VBN"):
                    return None  # 'the project, labeled the "white elephant"': named so by someone unnamed
                spk = self.attribution.speaker_of(t, ctx.resolver, ctx.quoted)
                return (t, spk) if spk is not None else None
        return None

    def _transcript(self, text: str, parts: list[tuple[int, int]]) -> bool:
        """'"WALLACE: Let us start. ...' then '"PENCE: Well, ...': a transcript whose paragraphs each open with
        a quote mark, which the scan pairs into one long quotation; its turns say who speaks (see below)."""
        start, end = parts[0][0], parts[-1][1]
        labels = [m.group(1).strip(".").lower() for m in TURN.finditer(text, max(0, start - 1), end)
                  if m.start(1) - start <= 1 or "\n" in text[max(0, m.start() - 1):m.start(1)]]
        return any(x not in self.attribution.furniture_labels for x in labels) \
            and TURN.match(text, max(0, start - 1)) is not None  # (the quotation opens with a turn)

    def _transcript_turns(self, ctx: QuoteContext, found: list[Direct]) -> Iterator[Direct]:
        """'JANE ROE: We begin tonight in the harbour.' A transcript's turn, its speaker's name in capitals and a
        colon: the words up to the next turn or the paragraph's end are hers, when the article names her."""
        text, doc, resolver = ctx.text, ctx.doc, ctx.resolver
        taken = [(d.start, d.end) for d in found]
        people = [e for e in resolver.entities if e.label == "PERSON"]
        turns = list(TURN.finditer(text))
        # the labels of a dialogue: a one-word label ("WALLACE") speaks when it takes turns with a named person
        said = Counter(m.group(1) for m in turns)
        for k, m in enumerate(turns):
            words = [w.strip(".").lower() for w in m.group(1).split()]
            if " ".join(words) in self.attribution.furniture_labels:
                continue  # 'CORRECTION:', 'UPDATE:': the page's, not a speaker's
            person = self._named_label(m.group(1), people)
            if person is not None:
                person = resolver.canonical(person)
                spk = Speaker((m.start(1), m.end(1)), person.name, person.id)
            elif len(words) > 1 and any(w in resolver.first_names for w in words[:-1]):
                # a name the tagger missed in capitals: 'PRESIDENT JANE ROE'
                spk = Speaker((m.start(1), m.end(1)), m.group(1).title())
            elif len(words) == 1 and said[m.group(1)] >= 2 and any(
                    n != m.group(1) and c >= 2 and self._named_label(n, people) for n, c in said.items()):
                spk = Speaker((m.start(1), m.end(1)), m.group(1).title())  # 'WALLACE:' facing 'PENCE:'
            else:
                continue  # 'WATCH:', 'UPDATE:': page furniture, no speaker the article names
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            if k + 1 < len(turns) and turns[k + 1].start() < end:
                end = turns[k + 1].start()
            start, end = strip_edges(text, m.end(), end)
            n = len(WORD.findall(text[start:end]))
            if text[start:end].isupper():
                continue  # 'JANE ROE: IS THE HARBOUR SAFE?': a byline and its headline, not a turn
            if n < 3 or ctx.quoted(start) or any(a < end and start < b for a, b in taken):
                continue
            colon = doc.char_span(m.end(1), m.end(1) + 1, alignment_mode="expand")
            if colon is None:
                continue
            parts = [(start, end)]
            if text[m.start():m.start(1)].strip():
                # a transcript in quote marks: the paragraphs after, each opening with a quote mark and no
                # label of their own, go on with the same turn
                nxt = turns[k + 1].start() if k + 1 < len(turns) else len(text)
                p = CONTINUED.match(text, end)
                while p is not None and p.end() <= nxt:
                    s2, e2 = strip_edges(text, p.start(1), p.end(1))
                    if e2 > s2:
                        parts.append((s2, e2))
                        n += len(WORD.findall(text[s2:e2]))
                    p = CONTINUED.match(text, p.end())
            yield Direct(parts, n, attrib=(colon[0], spk), block=True)

    def _headline_claim(self, ctx: QuoteContext, found: list[Direct]) -> Iterator[Direct]:
        """'Jane Roe: The Harbour Must Stay Open.' A headline's convention for what someone says: the person
        before the colon, the claim after it; only in the article's first line, its title, where a related
        link's 'Author: Title' is no claim, and only for a person the article names."""
        text, doc, resolver = ctx.text, ctx.doc, ctx.resolver
        m = HEADLINE_CLAIM.match(text)
        if m is None or any(d.start < m.end(2) for d in found):
            return
        article = doc._.article
        title = getattr(article, "title", None) if article is not None else None
        if title and " ".join(title.split()) != " ".join(m.group(0).split()):
            return  # the text opens with something else than its title (a related link: 'Author: Title')
        person = self._named_label(m.group(1), [e for e in resolver.entities if e.label == "PERSON"])
        if person is None or not all(w[:1].isupper() for w in m.group(1).split()):
            return
        person = resolver.canonical(person)
        start, end = strip_edges(text, m.start(2), m.end(2))
        n = len(WORD.findall(text[start:end]))
        colon = doc.char_span(m.end(1), m.end(1) + 1, alignment_mode="expand")
        if n >= 3 and colon is not None and not ctx.quoted(start):
            yield Direct([(start, end)], n, attrib=(colon[0], Speaker((m.start(1), m.end(1)), person.name, person.id)),
                         block=True)

    @staticmethod
    def _named_label(label: str, people: list[Entity]) -> Entity | None:
        """The person a turn's label names: all of their name's words, else their surname ('PENCE')."""
        words = [w.strip(".").lower() for w in label.split()]
        return next((e for e in people if e.name.lower().split() and all(
            w in words for w in e.name.lower().split())), None) or next(
            (e for e in people if e.name.lower().split()[-1:] == words[-1:]), None)

    @staticmethod
    def _adjacent(text: str, d: Direct, cue: Token) -> bool:
        """A cue standing right beside a quotation: '"Quiet," he demanded' or 'a man yelled "Stay there!"'."""
        gap = text[d.end:cue.idx] if cue.idx >= d.end else text[cue.idx + len(cue):d.start]
        return "\n" not in gap and len(WORD.findall(gap)) <= 4

    @staticmethod
    def _clause_start(text: str, d: Direct, cue: Token) -> int | None:
        """Where the reported clause starts that a short quotation is part of: 'declared that the war is "over."'
        quotes a word of what was declared, it is no utterance of its own."""
        if cue.idx > d.start:
            return None
        gap_start = cue.idx + len(cue)
        m = THAT.search(text, gap_start, d.start)
        return m.end() if m is not None and "\n" not in text[gap_start:d.start] else None

    @staticmethod
    def _follows(text: str, last: Direct, d: Direct) -> bool:
        """A quote standing alone right after an attributed one: in the same paragraph, or opening the next."""
        gap = text[last.end:d.start]
        if "\n" not in gap:
            return True
        # (blank lines and stray spaces between the paragraphs are one break)
        breaks = list(BREAK.finditer(gap))
        if len(breaks) != 1 or WORD.search(gap, breaks[0].end()):
            return False
        words = len(WORD.findall(gap))
        if words <= 3:
            return True
        # the paragraph before ends with the attribution of its quote: '"A," X told Y. / "B."'
        cue = last.attrib[0] if last.attrib is not None else None
        return cue is not None and last.end <= cue.idx < last.end + breaks[0].start() and words <= 25 \
            and not re.search(r"[.!?]\W+\w", gap[:breaks[0].start()].rstrip(EDGE_STRIP + "!?"))

    @staticmethod
    def _interrupted(text: str, last: Direct, d: Direct) -> bool:
        gap = text[last.end:d.start]
        return "\n" not in gap and len(WORD.findall(gap)) <= 25

    # ------------------------------------------------------------------ records
    def quote(self, ctx: QuoteContext, d: Direct) -> Quote:
        """The Quote of a quotation: its speaker, or the post whose words it is."""
        text = ctx.text
        parts = d.parts
        # (the contract's `direct` says the words stood in quote marks; a block quotation's are verbatim all the same)
        q = Quote(text=" ".join(text[s:e] for s, e in parts), start=d.start, end=d.end, direct=not d.block,
                  kind="direct", spans=[list(p) for p in parts] if len(parts) > 1 else None)
        for ps, pe, n in ctx.post_spans:
            if min(pe, d.end) - max(ps, d.start) >= 0.8 * (d.end - d.start):
                if d.words >= 0.9 * len(WORD.findall(text[ps:pe])):
                    self._from_post(q, ctx.posts[n], n, ctx)
                    spk = d.attrib[1] if d.attrib is not None else None
                    if spk is not None and same_speaker(spk, q):
                        q.speaker_span = list(spk.span)
                        q.cue = self.attribution.cue_text(d.attrib[0])
                else:
                    # words the post's author quotes from someone the post does not name
                    q.anonymous = True
                    q.cue = "quoted"
                return q
        if d.attrib is not None:
            cue, spk = d.attrib
            q.cue = self.attribution.cue_text(cue)
            if spk is not None:
                set_speaker(q, spk)
            if self.attribution.asks(cue, q.text):
                q.kind = "question"  # a question put to someone is kept apart from what was said
        return q

    @staticmethod
    def _from_post(q: Quote, post, n: int, ctx: QuoteContext) -> None:
        q.post_id = f"local:{n}"
        q.cue = q.cue or "posted"
        author = post.author or post.handle
        q.speaker = author
        q.anonymous = author is None
        resolver = ctx.resolver
        for e in resolver.entities:
            if author and e.label == "PERSON" and e.name.lower() == author.lower():
                e = resolver.canonical(e)
                q.speaker_id = e.id
                spans = [m for m in e.mentions if q.start is None or m[1] <= q.start]
                q.speaker_span = list(spans[-1]) if spans else list(e.mentions[0])
                break

    @staticmethod
    def _own_words(text: str, start: int, end: int, found: list[Quote]) -> tuple[int, int]:
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
        s, e = max(pieces, key=lambda p: len(WORD.findall(text[p[0]:p[1]])))
        return strip_edges(text, s, e)

    def post_quotes(self, ctx: QuoteContext, found: list[Quote]) -> Iterator[Quote]:
        """The text of each embedded post is its author's quotation, unless a quote already covers it."""
        text = ctx.text
        for n, post in enumerate(ctx.posts):
            if not post.text or not post.embedded or any(q.post_id == f"local:{n}" for q in found):
                continue
            if post.start is not None and post.end is not None:
                s, e = self._own_words(text, *post_body(text, post.start, post.end), found)
                q = Quote(text=text[s:e], start=s, end=e, direct=True, kind="direct")
            else:
                q = Quote(text=post.text, start=None, end=None, direct=True, kind="direct")
            # the post's words quoted in the prose too ('She wrote: "..."'): that quotation is the post's
            author = Speaker((0, 0), post.author or post.handle)
            twin = next((f for f in found if f.direct and f.post_id is None and repeats(f.text, q.text)
                         and (not f.speaker or same_speaker(author, f))), None)
            if twin is not None:
                local = (twin.cue, twin.speaker_span) if twin.speaker else None
                self._from_post(twin, post, n, ctx)
                if local is not None:  # the prose's own mention of the author stays the speaker_span
                    twin.cue, twin.speaker_span = local
                continue
            self._from_post(q, post, n, ctx)
            yield q


def set_speaker(q: Quote, spk: Speaker) -> None:
    q.speaker = spk.name
    q.speaker_id = spk.entity_id
    q.speaker_span = list(spk.span)
    q.anonymous = spk.anonymous
