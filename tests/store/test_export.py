"""Export: contract records (JSONL), flat tables (CSV), GDELT GKG 2.1 rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsgraph.store import StoreError
from newsgraph.store.export import GKG_COLUMNS, export_csv, export_gkg, export_jsonl, export_parquet


def test_export_jsonl_is_the_contract_records(read_store, store_records):
    out = io.StringIO()
    assert export_jsonl(read_store.queries, out) == len(store_records)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["doc_id"] for r in lines] == [r.doc_id for r in store_records]
    assert lines[0] == store_records[0].to_dict()


def test_export_csv_writes_one_table_per_kind(read_store, tmp_path):
    export_csv(read_store.queries, tmp_path / "csv")
    with open(tmp_path / "csv" / "quotes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 7
    assert {"doc_id", "speaker_id", "text"} <= set(rows[0])


def test_export_gkg_has_27_columns(read_store):
    out = io.StringIO()
    export_gkg(read_store.queries, out, header=True)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t") == list(GKG_COLUMNS)
    row = dict(zip(GKG_COLUMNS, lines[1].split("\t"), strict=True))
    assert row["DATE"] == "20240305000000"
    assert "Lena Ortiz" in row["Persons"]
    assert "Harbour Council" in row["Organizations"]
    assert row["Quotations"].split("#")[0].split("|")[2] == "said"


def test_export_parquet_without_pyarrow_says_how_to_get_it(read_store, tmp_path):
    pytest.importorskip  # noqa: B018 - documented: with pyarrow installed this writes the tables
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(StoreError) as info:
            export_parquet(read_store.queries, tmp_path)
        assert "newsgraph[parquet]" in info.value.text
    else:
        assert export_parquet(read_store.queries, tmp_path) == 4
