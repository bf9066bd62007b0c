"""CSV/TSV files of articles, one row per article, with a header row naming the fields."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from typing import BinaryIO

from ..config import Settings
from ..errors import InputError, Msg
from ..records import Article
from .fields import FIELD_ALIASES, article_from_record
from .sniff import Source, TooLong, bounded_lines

# article texts are long; the csv module's default cell limit (128 KiB) is not: ingest.max_bytes bounds a row
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _RowTooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


class _Lines:
    """The file's lines for the csv module, decoded one by one and counted per row.

    A row (which quoted newlines may spread over lines) larger than `limit` bytes is refused as soon as it
    passes the limit, and a line that is not valid text marks only its own row bad: the csv module starts
    every row afresh, so the rows after either are read as usual.
    """

    def __init__(self, fh: BinaryIO, limit: int, encoding: str) -> None:
        self._lines = bounded_lines(fh, limit)
        self._limit = limit
        self._encoding = "utf-8-sig" if encoding.replace("-", "").lower() == "utf8" else encoding
        self._first = True
        self.row_bytes = 0
        self.bad: str | None = None

    def start_row(self) -> None:
        self.row_bytes = 0
        self.bad = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = next(self._lines)
        if isinstance(raw, TooLong):
            raise _RowTooLarge(self.row_bytes + raw.size)
        self.row_bytes += len(raw)
        if self.row_bytes > self._limit:
            raise _RowTooLarge(self.row_bytes)
        encoding = self._encoding if self._first else self._encoding.removesuffix("-sig")
        self._first = False
        if b"\x00" in raw and self.bad is None:
            self.bad = Msg.NG103.format(detail="NUL bytes")
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if self.bad is None:
                self.bad = Msg.NG104.format(encoding=self._encoding,
                                            detail=f"byte {raw[exc.start:exc.start + 1]!r} at offset {exc.start} "
                                                   "of the row's line (set ingest.encoding if the file uses another)")
            return raw.decode(encoding, "replace")  # keeps the row's shape, so the next row starts where it should


def read_csv(source: Source, settings: Settings) -> Iterator[Article | InputError]:
    with source.open() as fh:
        lines = _Lines(fh, settings.max_bytes, source.encoding_for(settings.encoding))
        delimiter = "\t" if source.ext == "tsv" else ","
        reader = csv.DictReader(lines, delimiter=delimiter)
        try:
            columns = reader.fieldnames
        except csv.Error as exc:
            raise InputError(Msg.NG108, detail=exc) from exc
        except _RowTooLarge as exc:
            raise InputError(Msg.NG105, size=exc.size, limit=settings.max_bytes) from None
        if not columns:
            raise InputError(Msg.NG102)
        if lines.bad:
            raise InputError(Msg.NG108, detail=f"header row: {lines.bad}")
        if not any(name in columns for name in FIELD_ALIASES["text"]):
            raise InputError(Msg.NG109, columns=", ".join(columns))
        row_number = 1
        while True:
            lines.start_row()
            try:
                row = next(reader)
            except StopIteration:
                break
            except _RowTooLarge as exc:
                row_number += 1
                yield InputError(Msg.NG108, detail=f"row {row_number}: "
                                 + Msg.NG105.format(size=exc.size, limit=settings.max_bytes))
                continue
            except csv.Error as exc:
                yield InputError(Msg.NG108, detail=f"line {reader.line_num}: {exc}")
                break
            row_number += 1
            if lines.bad:
                yield InputError(Msg.NG108, detail=f"row {row_number}: {lines.bad}")
                continue
            if None in row:  # more cells than header columns
                row.pop(None)
            try:
                yield article_from_record(row, source.name, f"row {row_number}", f"{source.stem}-{row_number}", kind="csv")
            except InputError as exc:
                yield exc
