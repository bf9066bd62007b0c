"""The CLI's scale-out options: --dask, --partition-size, --format parquet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
runner = CliRunner()


def test_cli_parquet_needs_a_folder() -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "--format", "parquet"])
    assert result.exit_code == 2
    assert "-o DIR" in result.output


def test_cli_bad_dask_address(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "--dask", "two workers", "-o", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2
    assert "NG602" in result.output


def test_cli_dask_refuses_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "-", "--dask", "local:1", "--db", str(tmp_path / "s.db")], input="text\n")
    assert result.exit_code == 2
    assert "NG605" in result.output


@pytest.mark.model
def test_cli_extract_parquet_resumes(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out"
    args = ["extract", str(CORPUS), "--format", "parquet", "-o", str(out), "--partition-size", "4", "--quiet"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    records = pq.read_table(out / "articles", columns=["record"]).column("record").to_pylist()
    assert len(records) == 9 and all(json.loads(r)["doc_id"] for r in records)
    again = runner.invoke(app, [*args, "--report", str(tmp_path / "r.json")])
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "r.json").read_text())["articles"] == 0  # every partition was written already


def test_cli_partition_size_setting() -> None:
    from newsgraph.config import load_settings
    from newsgraph.errors import ConfigError

    assert load_settings(environ={}).partition_size == 64  # default_config.cfg [scale]
    assert load_settings(environ={"NEWSGRAPH_SCALE__PARTITION_SIZE": "5"}).partition_size == 5
    with pytest.raises(ConfigError, match="NG501 bad setting scale.partition_size"):
        load_settings(environ={"NEWSGRAPH_SCALE__PARTITION_SIZE": "0"})


@pytest.mark.model
def test_cli_partition_size_from_the_environment(tmp_path: Path) -> None:
    from newsgraph.scale.partition import plan

    env = {"NEWSGRAPH_SCALE__PARTITION_SIZE": "4"}
    for flag, size in (([], 4), (["--partition-size", "2"], 2)):  # the flag wins over the setting
        out = tmp_path / f"out{size}"
        result = runner.invoke(app, ["extract", str(CORPUS), "--format", "parquet", "-o", str(out), "-q", *flag],
                               env=env)
        assert result.exit_code == 0, result.output
        assert len(list((out / "articles").glob("part-*.parquet"))) == len(plan([str(CORPUS)], size)) > 1
