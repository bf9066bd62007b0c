"""Attribution frames: a word and one of its dependents whose subtree may be reported content ("called for X",
"wants to X", "support for X"), and the small logistic model that decides whether it is.

The model is a table of feature weights (data/cue_frame_model.tsv) learned from PolNeAR train by
benchmarks/quotes_frames.py; scoring it is a sum of weights, so it loads offline and costs microseconds. The
features read only the parse: the cue's lemma and form, the relation of the content, who the subject is, how
the content begins. The same code yields the candidates and features for training and for extraction.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ..data import load_table

FRAME_DEPS = {"ccomp", "xcomp", "dobj", "parataxis"}
# the dependents of a noun that may hold what it reports ("support for X", "the claim that X")
NOUN_DEPS = {"acl", "ccomp"}
NOUN_PREPS = {"for", "of", "about", "on", "against", "to", "with", "over", "that"}
SUBJ_DEPS = {"nsubj", "nsubjpass"}
# words that with a following "that" make a subordinating conjunction, not a complementizer
SUBORDINATORS = {"now", "so", "such", "given", "except", "provided", "providing", "assuming", "considering", "seeing"}
_OPENERS = {"that", "to", "if", "whether", "how", "what", "why", "when", "where", "who", "which", "for", "as"}
_PERSON_PRONOUNS = {"he", "she", "they", "i", "we", "you", "who", "him", "her", "them", "me", "us"}


def _prep_object(prep: Token) -> list[Token] | None:
    """The subtree of a preposition's object ("for [a ban on sand]")."""
    for g in prep.children:
        if g.dep_ in ("pobj", "pcomp"):
            return list(g.subtree)
    return None


def frame_content(child: Token) -> tuple[str, list[Token]] | None:
    """(relation, content tokens) of a verb's dependent that may be reported content."""
    if child.dep_ in FRAME_DEPS:
        return child.dep_, list(child.subtree)
    if child.dep_ == "prep" and (toks := _prep_object(child)) is not None:
        return "prep:" + child.lower_, toks
    return None


def noun_content(child: Token) -> tuple[str, list[Token]] | None:
    """(relation, content tokens) of a noun's dependent that may be what it reports: "support for X"."""
    if child.dep_ in NOUN_DEPS and child.pos_ in ("VERB", "AUX"):
        return "n:" + child.dep_, list(child.subtree)
    if child.dep_ == "prep" and child.lower_ in NOUN_PREPS and (toks := _prep_object(child)) is not None:
        return "n:prep:" + child.lower_, toks
    return None


def subordinate_clause(toks: list[Token]) -> bool:
    """A clause the parser took for a complement that is an adverbial one: "now that ...", "so that ..."."""
    first = toks[0]
    return first.lower_ == "that" and first.i > 0 and first.doc[first.i - 1].lower_ in SUBORDINATORS


def candidates(t: Token) -> Iterator[tuple[str, list[Token]]]:
    """The frames of a verb or noun: (relation, content tokens) for each dependent that may be content."""
    if t.pos_ in ("VERB", "AUX"):
        read = frame_content
    elif t.pos_ == "NOUN":
        read = noun_content
    else:
        return
    for c in t.children:
        found = read(c)
        if found is not None and not subordinate_clause(found[1]):
            yield found


def _subject(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in SUBJ_DEPS:
            return c
    if t.pos_ == "NOUN":
        for c in t.children:
            if c.dep_ == "poss":
                return c
    if t.dep_ in ("xcomp", "conj", "advcl") and t.head.i != t.i:
        for c in t.head.children:
            if c.dep_ in SUBJ_DEPS:
                return c
    return None


def subject_class(s: Token | None) -> str:
    """What kind of thing the subject is: a person, an organisation, a pronoun, a common noun, nothing."""
    if s is None:
        return "none"
    if s.ent_type_:
        return s.ent_type_
    low = s.lower_
    if s.pos_ == "PRON" or low in _PERSON_PRONOUNS:
        return "pron:" + (low if low in _PERSON_PRONOUNS or low in ("it", "this", "that") else "other")
    if s.pos_ == "PROPN":
        return "propn"
    return "noun"


def _size(n: int) -> str:
    return "1" if n <= 1 else "2" if n <= 3 else "4" if n <= 8 else "9" if n <= 20 else "21"


def features(cue: Token, rel: str, content: list[Token], lemma: str, kind: str | None) -> list[str]:
    """The features of one frame: strings whose weights the model sums."""
    subj = _subject(cue)
    scls = subject_class(subj)
    first = content[0]
    opener = first.lower_ if first.lower_ in _OPENERS else first.pos_
    root = next((x for x in content if x.head.i == cue.i or x.head.i == x.i), content[0])
    neg = any(c.dep_ == "neg" for c in cue.children)
    modal = next((c.lower_ for c in cue.children if c.dep_ == "aux" and c.tag_ == "MD"), "")
    verbal = any(x.pos_ in ("VERB", "AUX") for x in content)
    feats = [
        "bias", f"L={lemma}", f"R={rel}", f"LR={lemma}|{rel}", f"T={cue.tag_}", f"D={cue.dep_}",
        f"RD={rel}|{cue.dep_}", f"S={scls}", f"LS={lemma}|{scls}", f"RS={rel}|{scls}",
        f"F={opener}", f"RF={rel}|{opener}", f"LF={lemma}|{opener}", f"CP={root.pos_}", f"RCP={rel}|{root.pos_}",
        f"N={_size(len(content))}", f"RN={rel}|{_size(len(content))}", f"K={kind or '-'}", f"KR={kind or '-'}|{rel}",
        f"V={verbal}", f"RV={rel}|{verbal}",
    ]
    if not verbal:  # what a noun phrase names: "the video", "an open letter" carry words; "reform" is a topic
        feats += [f"CL={root.lemma_.lower()}", f"KCL={kind or '-'}|{root.lemma_.lower()}"]
    if subj is not None and scls in ("noun", "propn"):
        feats.append(f"SL={subj.lemma_.lower()}")
        feats.append(f"LSL={lemma}|{subj.lemma_.lower()}")
    # a passive cue: "is seen running" reports what was observed; "was told that" keeps its speaker in the agent
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children)
    if passive:
        agent = any(c.dep_ == "agent" for c in cue.children)
        feats += ["PASS", f"LP={lemma}|pass", f"RP={rel}|pass", f"PA={agent}"]
    if neg:
        feats.append("NEG")
    if modal:
        feats.append(f"MD={modal}")
    return feats


@dataclass
class FrameModel:
    """Feature weights of a logistic model; `prob` is the chance a frame's content is an attribution."""

    weights: dict[str, float]
    threshold: float = 0.5

    @classmethod
    def load(cls, name: str, threshold: float) -> FrameModel:
        return cls({r["feature"]: float(r["weight"]) for r in load_table(name)}, threshold)

    def prob(self, feats: list[str]) -> float:
        w = self.weights
        z = sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def accepts(self, feats: list[str]) -> bool:
        return self.prob(feats) >= self.threshold
