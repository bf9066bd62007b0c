"""Extract: one spaCy Doc per article, one module per extractor, each writing one Doc attribute."""

from .pipeline import ArticleExtractor, build_nlp, extract_batch, record_from_doc

__all__ = ["ArticleExtractor", "build_nlp", "extract_batch", "record_from_doc"]
