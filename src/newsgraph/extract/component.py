"""What every newsgraph extractor shares: the Doc attributes it reads, and failing without stopping the run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc

from ..errors import Msg

# The Article a Doc was made from (published date, raw HTML for embeds, ...), set before parsing.
Doc.set_extension("article", default=None, force=True)
# Coded messages for what could not be extracted; becomes the record's `errors`.
Doc.set_extension("errors", default=None, force=True)


def add_error(doc: Doc, name: str, exc: BaseException | str) -> None:
    if doc._.errors is None:
        doc._.errors = []
    doc._.errors.append(Msg.NG201.format(name=name, detail=f"{type(exc).__name__}: {exc}"
                                          if isinstance(exc, BaseException) else exc))


class Extractor:
    """Base for stateless-per-doc extractors: `find` is pure, `__call__` writes `doc._.<attr>`.

    A failure inside `find` is recorded in `doc._.errors`; the attribute keeps its default and the
    pipeline goes on, so one odd article never costs the others.
    """

    name = "newsgraph_extractor"
    attr = ""
    default: Any = None

    def __call__(self, doc: Doc) -> Doc:
        try:
            found = self.find(doc)
            setattr(doc._, self.attr, list(found) if isinstance(found, Iterable) and not isinstance(found, str) else found)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
            add_error(doc, self.name, exc)
        return doc

    def find(self, doc: Doc) -> Any:
        raise NotImplementedError
