"""Reported speech: what a cue's clause says someone said ("said that ...", "according to X, ..."), and the
frames of other cues (beliefs, wishes, plans) that become stances. Rules first, then frames a logistic
model over the parse weighs (frames.py)."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ..records import Quote
from .attribution import CONTENT_DEPS, Attribution, QuoteContext
from .direct import set_speaker
from .frames import SUBJ_DEPS, FrameModel, candidates, features, frame_content
from .quote_marks import CLOSING, opened, strip_edges
from .speakers import Speaker


def trim_punct(toks: list[Token]) -> list[Token]:
    lo, hi = 0, len(toks)
    while lo < hi and toks[lo].is_punct:
        lo += 1
    while hi > lo and toks[hi - 1].is_punct:
        hi -= 1
    return toks[lo:hi]


class ReportedSpeech:
    """Finds reported speech and stances in a document, after its direct quotations."""

    def __init__(self, attribution: Attribution, model: FrameModel | None = None) -> None:
        self.attribution = attribution
        self.model = model

    def find(self, ctx: QuoteContext, covered: list[tuple[int, int]]) -> Iterator[Quote]:
        """Reported speech and stances not already among the direct quotations (`covered`)."""
        doc, text, resolver, attr = ctx.doc, ctx.text, ctx.resolver, self.attribution
        seen: set[tuple[int, int]] = set()

        def in_post(i: int) -> bool:
            return any(ps <= i < pe for ps, pe, _ in ctx.post_spans)

        direct_cues = ctx.direct_cue_idx
        carries_quote = set(direct_cues)
        weighed: list[tuple[float, Token, list[Token]]] = []  # frames the model accepts, decided last

        def emit(cue_text: str, spk: Speaker | None, s: int, e: int, at: int, kind: str = "reported",
                 frame: bool = False) -> Quote | None:
            # reported speech stays inside its cue's paragraph
            para_start, para_end = ctx.paragraph(at)
            s, e = max(s, para_start), min(e, para_end)
            s, e = strip_edges(text, s, e)
            # a quotation the clause ends on keeps its closing mark: 'that the war is "over."', not '..."over'
            if (m := CLOSING.match(text, e, para_end)) is not None and opened(text[s:e]):
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
            if frame and spk is not None and s <= spk.span[0] and spk.span[1] <= e:
                # (a frame's content is one stretch of the cue's clause) the speaker is no part of the words: '"...," said [Jane Roe, president of the fund]' has none,
                # '[which critics say include] ...' has those after the cue
                cue_end = at + len(text[at:].split(None, 1)[0]) if text[at:].strip() else at
                if at < spk.span[0] or cue_end >= e:
                    return None
                s, e = strip_edges(text, max(s, cue_end), e)
                if e - s < 8:
                    return None
            q = Quote(text=text[s:e], start=s, end=e, direct=False, cue=cue_text, kind=kind)
            if spk is not None:
                set_speaker(q, spk)
            return q

        for t in doc:
            if t.lower_ in ("according", "in"):  # ("According" is tagged a verb: it comes first)
                found = attr.phrase_speaker(doc[t.i:t.i + 5], resolver, lambda x: True)
                if found is not None and found[0].i == t.i:
                    yield from self._according(ctx, t, found[1], emit)
                    continue
            if t.pos_ not in ("VERB", "AUX", "NOUN") or attr.told(t):
                continue
            if t.dep_ == "parataxis" and t.pos_ == "VERB" and attr.lemma(t) in attr.indirect_cues:
                q = self._parenthetical(ctx, t, emit)
                if q is not None:
                    yield q
                    continue
            content = []
            for rel, toks, ruled in self.frames(t):
                if t.idx in carries_quote and toks[0].tag_ == "VBG":
                    continue  # '"...," she wrote, sharing the video': how she said it, her words are the quote
                # 'called [the plan] a "disgrace"': what the quoted words named, none of them
                named = t.idx in carries_quote and not any(x.pos_ in ("VERB", "AUX") or x.is_quote for x in toks)
                if ruled:
                    content.append(("named" if named else rel, toks))
                elif self.model is not None:
                    p = self.model.prob(self.frame_features(t, rel, toks))
                    if p >= self.model.threshold:
                        weighed.append((p, t, "named" if named else rel, toks))
            if not content:
                continue
            with resolver.outside(min(sub[0].idx for _, sub in content), max(sub[-1].idx for _, sub in content)):
                spk = attr.speaker_of(t, resolver)
            for rel, sub in content:
                q = emit(attr.cue_text(t), spk, sub[0].idx, sub[-1].idx + len(sub[-1]), t.idx,
                         self._kind(t, sub, rel), frame=True)
                if q is not None:
                    yield q
        # the model's frames come after the rules' and the quote marks', and the likelier first: one that
        # mostly repeats a quotation already found (a frame nested in it, its parse twin) adds nothing
        def repeats(s: int, e: int) -> bool:
            s, e = strip_edges(text, s, e)
            return any(2 * max(0, min(e, b) - max(s, a)) >= 0.5 * (e - s + b - a) for a, b in (*seen, *covered))

        for _, t, rel, toks in sorted(weighed, key=lambda w: -w[0]):
            if repeats(toks[0].idx, toks[-1].idx + len(toks[-1])):
                continue
            with resolver.outside(toks[0].idx, toks[-1].idx + len(toks[-1])):
                spk = attr.speaker_of(t, resolver)
            q = emit(attr.cue_text(t), spk, toks[0].idx, toks[-1].idx + len(toks[-1]), t.idx, self._kind(t, toks, rel),
                     frame=True)
            if q is not None:
                yield q
        # 'his claim that people would "learn nothing"': the clause, with the words it quotes, when no frame
        # reported it
        for at, d, (cue, spk) in ctx.partials:
            if not repeats(at, d.end):
                q = emit(attr.cue_text(cue), spk, at, d.end, cue.idx, attr.kind(cue))
                if q is not None:
                    yield q

    def _kind(self, cue: Token, content: list[Token], rel: str = "") -> str:
        """reported (speech), or what keeps a frame apart from the quotes: unsaid ("did not say whether ..."),
        question ("asked whether ..."), stance ("believes that ..."), topic ("urged [supporters]")."""
        kind = self.attribution.kind(cue, content)
        if kind == "reported" and self.attribution.unsaid(cue):
            return "unsaid"  # "did not say that ...", "declined to say whether ...": no speech
        if self.attribution.question(cue, content):
            return "question"
        if kind == "reported" and (rel == "named" or self.attribution.topic(cue, content, rel)):
            return "topic"
        return kind

    def _according(self, ctx: QuoteContext, t: Token, spk: Speaker | None, emit) -> Iterator[Quote]:
        """'According to X, ...': the rest of the sentence is what X says."""
        sent = ctx.sent(t)
        # the phrase itself, however the parser hung it: "According" and all up to its source's end
        end = spk.span[1] if spk is not None else t.idx + len(t)
        excl = {x.i for x in t.subtree} | {x.i for x in sent if t.idx <= x.idx < end}
        # (a sentence the parser ran across a paragraph break: only the phrase's paragraph is its content)
        lo, hi = ctx.paragraph(t.idx)
        toks = [x for x in sent if x.i not in excl and not x.is_punct and lo <= x.idx < hi]
        # "X told reporters that ..., according to the Hill": the outlet reports X's words, which X's own cue
        # gives; the sentence is no second quotation of the outlet's
        if any(c.dep_ in ("ROOT", "conj") and c.head.i in (c.i, sent.root.i)
               and (own := self.attribution.speaker_of(c, ctx.resolver)) is not None and own.name and not own.anonymous
               for c in self.attribution.speech_cues(toks)):
            return  # (a named speaker: "the number of claims suggests ..., according to X" is X's reading)
        if toks:
            q = emit("according to", spk, toks[0].idx, toks[-1].idx + len(toks[-1]), t.idx)
            if q is not None:
                yield q

    def frames(self, t: Token) -> Iterator[tuple[str, list[Token], bool]]:
        """The frames of a verb or noun: (relation, content, ruled); ruled when the cue table alone makes the
        content reported speech (a speech verb's clausal complement), else the model weighs it."""
        attr = self.attribution
        low = attr.lemma(t)
        observed = low in attr.perception and any(c.dep_ == "auxpass" for c in t.children) \
            and not any(c.dep_ == "agent" for c in t.children)
        for rel, toks in candidates(t):
            if observed and rel in ("xcomp", "ccomp") and toks[0].tag_ == "VBG":
                continue  # "the boy is seen running ...": what a camera shows, not what anyone says
            if rel == "xcomp" and low in attr.aspect_cues:
                continue  # "continued to build a war chest": what they did, not what they said
            if self._carrier(toks):
                continue  # "shared a video of the crowd", "concluded the letter": the post or letter, not its words
            toks = self._trim(toks)
            if toks:
                yield rel, toks, t.pos_ != "NOUN" and rel in CONTENT_DEPS and low in attr.indirect_cues

    def _carrier(self, toks: list[Token]) -> bool:
        """A noun phrase naming what carries words (a video, a post, a letter) and saying none of them."""
        lo, hi = toks[0].i, toks[-1].i
        root = next((x for x in toks if not lo <= x.head.i <= hi or x.head.i == x.i), toks[0])
        return root.pos_ == "NOUN" and root.lemma_.lower() in self.attribution.carriers \
            and not any(x.pos_ in ("VERB", "AUX") and x.dep_ in ("ccomp", "acl", "relcl") and x.head.i == root.i
                        for x in toks)

    def frame_features(self, t: Token, rel: str, toks: list[Token]) -> list[str]:
        low = self.attribution.lemma(t)
        return features(t, rel, toks, low, self.attribution.cues.get(low))

    def _parenthetical(self, ctx: QuoteContext, cue: Token, emit) -> Quote | None:
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
        parts = [p for p in (trim_punct(p) for p in parts) if p]
        spans = []
        for p in parts:
            s, e = strip_edges(ctx.text, p[0].idx, p[-1].idx + len(p[-1]))
            if e > s:
                spans.append((s, e))
        if not spans or doc[left].idx - 1 < spans[0][0] or "\n" in ctx.text[spans[0][0]:spans[-1][1]]:
            return None
        with ctx.resolver.outside(spans[0][0], spans[-1][1]):
            spk = self.attribution.speaker_of(cue, ctx.resolver)
        q = emit(self.attribution.cue_text(cue), spk, spans[0][0], spans[-1][1], cue.idx)
        if q is not None and len(spans) > 1:
            q.spans = [list(x) for x in spans]
            q.text = " ".join(ctx.text[a:b] for a, b in spans)
        return q

    @staticmethod
    def _aside(t: Token) -> Token | None:
        """The relative clause `t` opens ("which ...", "who ..."), else None. (A participle clause after a comma,
        "..., bringing in $282 million", goes on with the speaker's words as often as not: it stays.)"""
        if t.lower_ in ("which", "who", "whom", "whose") and t.head.dep_ == "relcl" and t.head.left_edge.i == t.i:
            return t.head
        return None

    def _trim(self, toks: list[Token]) -> list[Token]:
        """Reported content without an attribution of its own joined on at its end: in "X said [A] and
        promised B" the parser may hang "promised" on A's verb; what follows the cue is a new attribution."""
        if not toks:
            return toks
        attr = self.attribution
        ids = {t.i for t in toks}
        root = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
        doc = root.doc
        for t in toks:
            # "[A], according to B": the source named after the content is no part of it
            if t.i > root.i and doc[t.i - 1].text == "," and attr.phrase_at(t) is not None:
                return [x for x in toks if x.i < t.i - 1] or toks
        for t in toks:
            # "[the reality of climate change], which makes him an outlier": a relative clause set off by a
            # comma at the content's end is the writer's aside
            clause = self._aside(t)
            if clause is not None and t.i > root.i + 1 and doc[t.i - 1].text == "," \
                    and clause.right_edge.i >= toks[-1].i:
                return [x for x in toks if x.i < t.i - 1] or toks
        for c in root.rights:
            if c.dep_ != "conj" or c.pos_ not in ("VERB", "AUX") or attr.lemma(c) not in attr.indirect_cues \
                    or not any(frame_content(g) for g in c.children):
                continue
            cut = c.left_edge.i
            # the comma and conjunction before the cut clause go with it
            while cut > root.i + 1 and (doc[cut - 1].is_punct or doc[cut - 1].dep_ in ("cc", "mark")):
                cut -= 1
            return [t for t in toks if t.i < cut] or toks
        return toks
