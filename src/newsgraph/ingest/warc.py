"""WARC and WARC.gz crawls (warcio): every HTML response record becomes an article."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import Settings
from ..errors import InputError, InputNotice, Msg
from ..records import Article
from .html import article_from_html
from .sniff import Source, read_limited

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation",
              "arc_header"}


class _Records(ArchiveIterator):
    """warcio's iterator, with its warning about a record whose Content-Length is wrong counted (err_count)
    instead of printed: it becomes a message about that record."""

    INC_RECORD = ""


def _record_id(record) -> str:
    raw = record.rec_headers.get_header("WARC-Record-ID") or ""
    return raw.strip("<>").removeprefix("urn:uuid:")


def _target_uri(record) -> str | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    # wget writes the URI in angle brackets (WARC/1.1 draft syntax)
    return uri.strip().strip("<>") if uri else None


def read_warc(source: Source, settings: Settings, first: int = 1, count: int | None = None
              ) -> Iterator[Article | InputError]:
    """Every article of a crawl; or, for a partition (scale/partition.py), `count` records (None: all the rest)
    from record number `first`, at which `source` opens: numbers, doc_ids and messages stay those of the
    whole file, and the whole-file checks (no records, no pages) are the planner's."""
    index = first - 1
    html_records = 0
    try:
        with source.open() as fh:
            iterator = _Records(fh, arc2warc=True)
            records = itertools.islice(iterator, count)
            misfits = 0
            previous_url = None
            for index, record in enumerate(records, first):  # noqa: B007
                if iterator.err_count > misfits:  # noticed at the end of the record before this one
                    misfits = iterator.err_count
                    yield InputError(Msg.NG111, index=index - 1, url=previous_url,
                                     detail="its Content-Length does not match its content (cut short or misdeclared)")
                previous_url = _target_uri(record)
                if record.rec_type not in WARC_TYPES:
                    yield InputError(Msg.NG111, index=index, url=previous_url,
                                     detail=f"unknown WARC-Type {record.rec_type!r}; passed over")
                    continue
                if record.rec_type == "conversion":  # WET: text Common Crawl already extracted
                    try:
                        article = _wet_article(record, source, settings, index)
                    except (InputError, ValueError) as exc:  # one record's: the next ones are read all the same
                        yield InputError(Msg.NG111, index=index, url=_target_uri(record),
                                         detail=getattr(exc, "text", exc))
                        continue
                    if article is not None:
                        html_records += 1
                        yield article
                    continue
                if record.rec_type != "response":
                    continue
                if record.http_headers is None or not _status_ok(record.http_headers.get_statuscode()):
                    if (record.rec_headers.get_header("Content-Type") or "").startswith("application/http"):
                        yield InputError(Msg.NG111, index=index, url=previous_url,
                                         detail="no valid HTTP status line; passed over")
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                if not content_type.startswith(HTML_TYPES):
                    continue
                html_records += 1
                url = _target_uri(record)
                try:
                    payload = read_limited(record.content_stream(), settings.max_bytes)
                except InputError as exc:
                    yield InputError(Msg.NG111, index=index, url=url, detail=exc.text)
                    continue
                remaining = getattr(record.raw_stream, "limit", 0) or 0
                if remaining > 0:
                    yield InputError(Msg.NG111, index=index, url=url,
                                     detail=f"truncated: {remaining} of {record.length} bytes missing")
                    continue
                status = record.http_headers.get_statuscode()
                if status and not status.startswith("2"):
                    continue
                try:
                    article = article_from_html(payload, doc_id=_record_id(record) or f"{source.stem}-{index}",
                                                source=source.name, settings=settings, url=url, kind="warc")
                except (InputError, ValueError) as exc:  # ValueError: a URL urlsplit refuses
                    yield InputError(Msg.NG111, index=index, url=url, detail=getattr(exc, "text", exc))
                    continue
                article.meta["warc_date"] = record.rec_headers.get_header("WARC-Date")
                article.meta["warc_file"] = source.name
                yield article
            if iterator.err_count > misfits:
                yield InputError(Msg.NG111, index=index, url=previous_url,
                                 detail="its Content-Length does not match its content (cut short or misdeclared)")
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
        raise InputError(Msg.NG112, detail=f"after record {index}: {exc}") from exc
    if first > 1 or count is not None:
        return
    if index == 0:
        raise InputError(Msg.NG112, detail="no WARC records")
    if html_records == 0:
        yield InputNotice(Msg.NG120, count=index)


def _status_ok(status: str | None) -> bool:
    return bool(status) and len(status) == 3 and status.isdigit()  # type: ignore[union-attr]


def _wet_article(record, source: Source, settings: Settings, index: int) -> Article | None:
    data = read_limited(record.content_stream(), settings.max_bytes)
    text = data.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    url = _target_uri(record)
    return Article(doc_id=_record_id(record) or f"{source.stem}-{index}", text=text, source=source.name,
                   url=url, outlet=urlsplit(url).hostname if url else None, kind="wet",
                   meta={"warc_date": record.rec_headers.get_header("WARC-Date"), "warc_file": source.name})
