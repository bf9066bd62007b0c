"""Plain-text articles: one file, one article, the text kept exactly as it is in the file."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Settings
from ..errors import InputError, Msg
from ..records import Article
from .fields import leading_date
from .sniff import Source, decode_text, read_all


def read_text(source: Source, settings: Settings) -> Iterator[Article]:
    data = read_all(source, settings.max_bytes)
    if b"\x00" in data:
        raise InputError(Msg.NG103, detail="NUL bytes")
    text = decode_text(data, source.encoding_for(settings.encoding))
    if not text.strip():
        raise InputError(Msg.NG102)
    yield Article(doc_id=source.stem, text=text, source=source.name,
                  published=leading_date(text), kind="text")
