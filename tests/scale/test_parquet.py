"""Partitioned Parquet output: one file per partition and kind, one row group each, resumable."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from newsgraph.batch import run_extract, run_partitioned
from newsgraph.errors import NewsgraphError
from newsgraph.scale.dask_run import LocalRunner

pq = pytest.importorskip("pyarrow.parquet")

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
KINDS = ("articles", "entities", "quotes", "social_posts", "dates", "amounts")


def _records(folder: Path) -> list[str]:
    table = pq.read_table(folder / "articles", columns=["record"])  # the folder is one dataset
    return [json.dumps(json.loads(v), ensure_ascii=False) for v in table.column("record").to_pylist()]


@pytest.fixture(scope="module")
def expected(settings) -> list[str]:
    out = io.StringIO()
    run_extract([str(CORPUS)], settings, out)
    return out.getvalue().splitlines()


@pytest.mark.model
def test_parquet_holds_the_records(settings, expected: list[str], tmp_path: Path) -> None:
    from newsgraph.scale.parquet import ParquetSink

    folder = tmp_path / "out"
    summary = run_partitioned([str(CORPUS)], settings, LocalRunner(), sink=ParquetSink(folder), partition_size=3)
    assert summary.articles == len(expected)
    assert sorted(_records(folder)) == sorted(expected)
    for kind in KINDS:
        files = sorted((folder / kind).glob("part-*.parquet"))
        assert len(files) == 4
        schemas = {pq.read_schema(f).remove_metadata().to_string() for f in files}
        assert len(schemas) == 1  # every file of a kind agrees, even where a column is all nulls
        assert all(pq.ParquetFile(f).num_row_groups == 1 for f in files)
    quotes = pq.read_table(folder / "quotes").to_pylist()
    assert {q["doc_id"] for q in quotes} <= {json.loads(r)["doc_id"] for r in expected}
    assert all(isinstance(q["direct"], bool) for q in quotes)


@pytest.mark.model
def test_parquet_resume_skips_written_partitions(settings, expected: list[str], tmp_path: Path) -> None:
    from newsgraph.scale.parquet import ParquetSink

    folder = tmp_path / "out"
    run_partitioned([str(CORPUS)], settings, LocalRunner(), sink=ParquetSink(folder), partition_size=3)
    # as if the run had been killed while writing its third partition: the articles file is written last
    for kind in KINDS:
        for name in ("part-00002.parquet", "part-00003.parquet"):
            if kind == "articles" or name == "part-00003.parquet":
                (folder / kind / name).unlink()
    extracted = []

    class Counting(LocalRunner):
        def map(self, tasks, settings):
            tasks = list(tasks)
            extracted.extend(p.index for task, p in tasks if task.__name__ == "extract_partition")
            return super().map(tasks, settings)

    summary = run_partitioned([str(CORPUS)], settings, Counting(), sink=ParquetSink(folder), partition_size=3)
    assert extracted == [2, 3]
    assert summary.articles == 4  # those of the two partitions done again (one line there is a duplicate)
    assert [p.reason[:5] for p in summary.notices] == ["NG115"]  # found against a partition not done again
    assert sorted(_records(folder)) == sorted(expected)
    # a third run has nothing left to do
    again = run_partitioned([str(CORPUS)], settings, LocalRunner(), sink=ParquetSink(folder), partition_size=3)
    assert again.articles == 0
    assert sorted(_records(folder)) == sorted(expected)


def test_parquet_refuses_another_inputs_folder(settings, tmp_path: Path) -> None:
    from newsgraph.scale.parquet import ParquetSink
    from newsgraph.scale.partition import plan

    folder = tmp_path / "out"
    sink = ParquetSink(folder)
    parts = plan([str(CORPUS / "wire.jsonl")], 3)
    sink.write(parts[0], [])
    other = tmp_path / "other.jsonl"
    shutil.copyfile(CORPUS / "wire.jsonl", other)
    other.write_text(other.read_text(encoding="utf-8").replace("Tarrow", "Tarrowe"), encoding="utf-8")
    with pytest.raises(NewsgraphError, match="NG604"):
        sink.done(plan([str(other)], 3))
