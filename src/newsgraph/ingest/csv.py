"""CSV/TSV files of articles, one row per article, with a header row naming the fields."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

from ..config import Settings
from ..errors import InputError, Msg
from ..records import Article
from .fields import FIELD_ALIASES, article_from_record
from .sniff import Source, text_stream

# article texts are long; the csv module's default cell limit (128 KiB) is not
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(source: Source, settings: Settings) -> Iterator[Article | InputError]:
    with source.open() as fh:
        stream = text_stream(fh, settings.encoding)
        delimiter = "\t" if source.ext == "tsv" else ","
        reader = csv.DictReader(stream, delimiter=delimiter)
        try:
            columns = reader.fieldnames
        except csv.Error as exc:
            raise InputError(Msg.NG108, detail=exc) from exc
        if not columns:
            raise InputError(Msg.NG102)
        if not any(name in columns for name in FIELD_ALIASES["text"]):
            raise InputError(Msg.NG109, columns=", ".join(columns))
        row_number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield InputError(Msg.NG108, detail=f"line {reader.line_num}: {exc}")
                break
            row_number += 1
            if None in row:  # more cells than header columns
                row.pop(None)
            try:
                yield article_from_record(row, source.name, f"row {row_number}", f"{source.stem}-{row_number}", kind="csv")
            except InputError as exc:
                yield exc
