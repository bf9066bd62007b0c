"""Partitioned Parquet: one folder per record kind, one file per partition, one row group per file.

    OUT/articles/part-00000.parquet   (the full contract record too, as JSON in `record`)
    OUT/entities/part-00000.parquet   OUT/quotes/...   OUT/stances/...   OUT/social_posts/...   OUT/dates/...   OUT/amounts/...

DuckDB reads a kind with `SELECT * FROM 'OUT/quotes/*.parquet'`, Spark with `spark.read.parquet("OUT/quotes")`;
every file of a kind has the same schema. A partition's articles file is written last and carries the partition's
key in its metadata: a restarted run treats a partition as written only when that file is there with that key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..batch import PartitionSink
from ..errors import Msg, NewsgraphError
from ..link import Linker
from ..records import Record
from ..store.export import TABLES, flat_rows
from . import require
from .partition import Partition

KEY = b"newsgraph.partition_key"
INDEX = b"newsgraph.partition_index"
# columns that are not text: everything else is a string, lists and dicts as JSON text
TYPES = {"start": "int64", "end": "int64", "tone": "float64", "value": "float64", "direct": "bool",
         "anonymous": "bool", "embedded": "bool"}
JSON_COLUMNS = {"authors", "errors", "mentions", "roles", "speaker_span", "spans", "metrics"}
# the kinds in the order they are written: articles last, as the partition's commit mark
KINDS = ("entities", "quotes", "stances", "social_posts", "dates", "amounts", "articles")


def _pa() -> Any:
    return require("pyarrow", "Parquet output", "pyarrow")


def schemas() -> dict[str, Any]:
    """One fixed Arrow schema per kind, so that files with only nulls in a column still agree."""
    pa = _pa()
    kinds = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    out = {}
    for kind, columns in TABLES.items():
        names = (*columns, "record") if kind == "articles" else columns
        fields = [pa.field(c, kinds[TYPES.get(c, "string")] if not (kind == "dates" and c == "value") else pa.string())
                  for c in names]
        out[kind] = pa.schema(fields)
    return out


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in JSON_COLUMNS or isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def tables(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Arrow tables, one per kind, of some contract records."""
    pa = _pa()
    shapes = schemas()
    columns: dict[str, dict[str, list]] = {kind: {f.name: [] for f in shapes[kind]} for kind in TABLES}
    by_doc = {r["doc_id"]: r for r in records}
    for kind, row in flat_rows(records):
        for name, value in row.items():
            columns[kind][name].append(_cell(name, value))
        if kind == "articles":
            columns[kind]["record"].append(json.dumps(by_doc[row["doc_id"]], ensure_ascii=False))
    return {kind: pa.table(data, schema=shapes[kind]) for kind, data in columns.items()}


class ParquetSink(PartitionSink):
    """Writes each partition's records as files of `folder`, each replaced atomically (write, then rename)."""

    def __init__(self, folder: Path) -> None:
        self.pq = require("pyarrow.parquet", "Parquet output", "pyarrow")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, kind: str, part: Partition) -> Path:
        return self.folder / kind / f"part-{part.index:05d}.parquet"

    def done(self, parts: list[Partition]) -> set[str]:
        keys = set()
        for part in parts:
            path = self.path("articles", part)
            if not path.exists():
                continue
            meta = self.pq.read_schema(path).metadata or {}
            found = meta.get(KEY, b"").decode()
            if found != part.key:
                raise NewsgraphError(Msg.NG604, path=self.folder, index=part.index, found=found[:12], key=part.key[:12])
            keys.add(part.key)
        return keys

    def records(self, part: Partition) -> list[dict[str, Any]]:
        table = self.pq.read_table(self.path("articles", part), columns=["record"])
        return [json.loads(value) for value in table.column("record").to_pylist()]

    def restore(self, parts: list[Partition], linker: Linker) -> None:
        # replaying the linked records, in order, rebuilds the linker's state (as `newsgraph ingest` does from a store)
        for part in parts:
            for data in self.records(part):
                linker.link(Record.from_dict(data))
            linker.flush()  # as the run did at the end of each partition

    def write(self, part: Partition, records: list[Record]) -> list[bool]:
        made = tables([r.to_dict() for r in records])
        for kind in KINDS:
            table = made[kind]
            if kind == "articles":
                table = table.replace_schema_metadata({KEY: part.key.encode(), INDEX: str(part.index).encode()})
            target = self.path(kind, part)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            # one row group per partition: a reader's unit of work is a partition
            self.pq.write_table(table, temporary, row_group_size=max(1, table.num_rows))
            os.replace(temporary, target)
        return [True] * len(records)


__all__ = ["ParquetSink", "schemas", "tables"]
