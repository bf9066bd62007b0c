"""JSON records: one article per line (JSONL), or a JSON list of articles, or one JSON object."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator

from ..config import Settings
from ..errors import InputError, Msg
from ..records import Article
from .fields import article_from_record
from .sniff import Source, TooLong, bounded_lines, decode_text, read_limited


def _no_constant(name: str) -> None:
    """NaN and Infinity are not JSON: read as null, so they never reach a record (or its strict JSON output)."""
    return None


def loads(text: str) -> object:
    """json.loads, strict about what JSON is; deep nesting is a ValueError of its record, not a crash."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def read_jsonl(source: Source, settings: Settings) -> Iterator[Article | InputError]:
    """Yield an Article per good line and an InputError per bad one; a bad line never stops the file."""
    with source.open() as fh:
        yield from _records_from_lines(source, settings, bounded_lines(fh, settings.max_bytes))


def _records_from_lines(source: Source, settings: Settings, lines: Iterable[bytes | TooLong]
                        ) -> Iterator[Article | InputError]:
    seen_any = False
    encoding = source.encoding_for(settings.encoding)
    # lines are decoded one by one, so that one badly encoded line costs only that line
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, TooLong):
            seen_any = True
            yield _located(InputError(Msg.NG105, size=raw.size, limit=settings.max_bytes), number)
            continue
        if not raw.strip():
            continue
        seen_any = True
        if b"\x00" in raw:  # a NUL is no part of JSON text: this line is binary, the others may be good
            yield _located(InputError(Msg.NG103, detail="NUL bytes"), number)
            continue
        try:
            record = loads(decode_text(raw, encoding))
        except InputError as exc:
            yield _located(exc, number)
            continue
        except ValueError as exc:
            yield InputError(Msg.NG106, line=number, detail=exc)
            continue
        try:
            yield article_from_record(record, source.name, f"line {number}", f"{source.stem}-{number}")
        except InputError as exc:
            yield exc
    if not seen_any:
        raise InputError(Msg.NG102)


def read_json(source: Source, settings: Settings) -> Iterator[Article | InputError]:
    """A .json file: a list of records, a single record, or one record per line (JSONL by another name).

    The source is opened once, so that stdin works too.
    """
    with source.open() as fh:
        lines = bounded_lines(fh, settings.max_bytes)
        first = next(lines, b"")
        if isinstance(first, TooLong):
            raise InputError(Msg.NG105, size=first.size, limit=settings.max_bytes)
        try:
            first_is_record = isinstance(loads(first.decode("utf-8", "replace")), dict)
        except ValueError:
            first_is_record = False
        if first_is_record:
            yield from _records_from_lines(source, settings, itertools.chain([first], lines))
            return
        data = first + read_limited(fh, max(0, settings.max_bytes - len(first)))
    text = decode_text(data, source.encoding_for(settings.encoding))
    if not text.strip():
        raise InputError(Msg.NG102)
    try:
        parsed = loads(text)
    except ValueError as exc:
        raise InputError(Msg.NG106, line=getattr(exc, "lineno", "?"), detail=exc) from exc
    items = parsed if isinstance(parsed, list) else [parsed]
    for index, record in enumerate(items, 1):
        try:
            yield article_from_record(record, source.name, f"record {index}", f"{source.stem}-{index}")
        except InputError as exc:
            yield exc


def _located(error: InputError, line: int) -> InputError:
    error.text = f"{error.text} (line {line})"
    return error
