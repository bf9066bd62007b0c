"""The quotes component: speech (direct quotations, reported speech) and stances, with their speakers.

Each job has its room: quote_marks.py finds text in quote marks (string work), attribution.py finds cues and
speakers, direct.py makes direct quotations, reported.py reported speech and stances, speakers.py resolves
the mention a quote is attributed to. This component runs them over one document's context, in order.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..data import load_table
from ..records import Quote, is_speech
from .attribution import Attribution, QuoteContext
from .component import Extractor
from .direct import DirectQuotes
from .frames import FrameModel
from .reported import ReportedSpeech

Doc.set_extension("quotes", default=None, force=True)
Doc.set_extension("stances", default=None, force=True)


@Language.factory(
    "newsgraph_quotes",
    requires=["doc.ents", "token.dep", "token.lemma", "doc._.entities", "doc._.social_posts"],
    assigns=["doc._.quotes", "doc._.stances"],
    default_config={"cue_verbs": "cue_verbs.tsv", "cue_phrases": "cue_phrases.tsv", "pronouns": "pronouns.tsv",
                    "speaker_words": "speaker_words.tsv", "frame_model": "cue_frame_model.tsv",
                    "frame_threshold": 0.3, "indirect_kinds": ["speech", "social", "report", "attitude"],
                    "min_words": 3, "first_names": "first_names.tsv", "role_titles": "role_titles.tsv"},
)
def make_quote_extractor(nlp: Language, name: str, cue_verbs: str, cue_phrases: str, pronouns: str,
                         speaker_words: str, indirect_kinds: list[str], min_words: int, frame_model: str = "",
                         frame_threshold: float = 0.3, first_names: str = "", role_titles: str = "") -> QuoteExtractor:
    attribution = Attribution(
        cues={r["lemma"]: r["kind"] for r in load_table(cue_verbs)},
        phrases={r["phrase"]: r["kind"] for r in load_table(cue_phrases)},
        pronouns={r["pronoun"]: (r["gender"], r["number"]) for r in load_table(pronouns)},
        speaker_words=load_table(speaker_words),
        indirect_kinds=indirect_kinds,
        first_names={r["name"]: r["gender"] for r in load_table(first_names)} if first_names else None,
        role_titles=_grouped(load_table(role_titles), "role", "title") if role_titles else None,
    )
    model = FrameModel.load(frame_model, frame_threshold) if frame_model else None
    return QuoteExtractor(attribution, model=model, min_words=min_words)


def _grouped(rows: list[dict[str, str]], key: str, value: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r[value])
    return {k: tuple(v) for k, v in out.items()}


class QuoteExtractor(Extractor):
    """Finds, then writes: `find` returns every attribution of a document in text order; `__call__` puts the
    speech in `doc._.quotes` and the stances in `doc._.stances`."""

    name = "newsgraph_quotes"
    attr = "quotes"

    def __init__(self, attribution: Attribution, model: FrameModel | None = None, min_words: int = 3) -> None:
        self.attribution = attribution
        self.direct = DirectQuotes(attribution, min_words)
        self.reported = ReportedSpeech(attribution, model)

    @property
    def model(self) -> FrameModel | None:
        return self.reported.model

    @model.setter
    def model(self, value: FrameModel | None) -> None:
        self.reported.model = value

    def __call__(self, doc: Doc) -> Doc:
        super().__call__(doc)
        found = doc._.quotes or []
        doc._.quotes = [q for q in found if is_speech(q.kind)]
        doc._.stances = [q for q in found if not is_speech(q.kind)]
        return doc

    def find(self, doc: Doc) -> Iterator[Quote]:
        if not doc.has_annotation("DEP"):
            return iter(())
        ctx = QuoteContext.of(doc, self.attribution.resolver(doc, doc._.entities or []))
        directs = self.direct.find(ctx)
        out = [self.direct.quote(ctx, d) for d in directs]
        out.extend(self.reported.find(ctx, [(d.start, d.end) for d in directs]))
        out.extend(self.direct.post_quotes(ctx, out))
        out.sort(key=lambda q: (q.start if q.start is not None else 1 << 62))
        return iter(out)
