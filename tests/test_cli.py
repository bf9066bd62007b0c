"""The `newsgraph` command end to end: contract fields, bad inputs beside good ones, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

CONTRACT_FIELDS = ["doc_id", "source", "title", "url", "outlet", "published", "text", "entities", "quotes",
                   "stances",
                   "social_posts", "dates", "amounts", "tone", "story_id", "errors"]
runner = CliRunner()


def _corpus(folder: Path) -> None:
    (folder / "001_market.txt").write_text(
        "date 2024-03-01\nTraders at the old fish market said on Friday that prices had doubled since January.\n",
        encoding="utf-8")
    (folder / "records.jsonl").write_text("\n".join([
        json.dumps({"id": "r1", "text": "The ferry to Inchmore was cancelled again on Monday.", "title": "Ferry",
                    "published": "2024-03-04T08:00:00Z", "url": "https://example.org/ferry", "outlet": "Isle News"}),
        "{broken",
    ]), encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.model
def test_cli_extract_writes_contract_records(tmp_path):
    _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    records = _records(out)
    assert [r["doc_id"] for r in records] == ["001_market", "r1"]
    for record in records:
        assert list(record)[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
    market, ferry = records
    assert market["text"] == (tmp_path / "001_market.txt").read_text(encoding="utf-8")
    assert market["published"] == "2024-03-01"
    assert (ferry["title"], ferry["url"], ferry["outlet"], ferry["published"]) == (
        "Ferry", "https://example.org/ferry", "Isle News", "2024-03-04")
    assert all(isinstance(r["story_id"], str) for r in records)
    summary = json.loads(report.read_text())
    assert summary["articles"] == 2
    assert sorted(Path(p["path"]).name for p in summary["failed"]) == ["blob.txt", "records.jsonl"]


@pytest.mark.model
def test_cli_strict_exits_non_zero_but_still_writes(tmp_path):
    _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out), "--strict", "-q"])
    assert result.exit_code == 1
    assert len(_records(out)) == 2


@pytest.mark.model
def test_cli_stdin_to_stdout_names_bad_input_on_stderr(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"")
    data = json.dumps({"id": "s1", "text": "A short story read from standard input."}) + "\n"
    proc = subprocess.run([sys.executable, "-m", "newsgraph", "extract", "-", str(tmp_path / "bad.txt")],
                          input=data.encode(), capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    [record] = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert record["doc_id"] == "s1" and record["source"] == "-"
    assert f"{tmp_path / 'bad.txt'}: NG102 empty input" in proc.stderr.decode()


@pytest.mark.model
@pytest.mark.slow
def test_cli_workers_give_the_same_records(tmp_path):
    for i in range(6):
        (tmp_path / f"{i:03d}.txt").write_text(f"Story {i}: the mayor of Eastport opened bridge number {i} today.")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert runner.invoke(app, ["extract", str(tmp_path), "-o", str(one), "-q"]).exit_code == 0
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(two), "-q", "--workers", "2", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert one.read_text() == two.read_text()


def test_cli_bad_setting_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    result = runner.invoke(app, ["extract", str(tmp_path), "--encoding", "no-such-codec"])
    assert result.exit_code == 2
    assert "ingest.encoding" in result.output


def test_cli_unknown_model_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    result = runner.invoke(app, ["extract", str(tmp_path), "--model", "xx_no_such_model"])
    assert result.exit_code == 2
    assert "NG202" in result.output and "pip install" in result.output


def test_cli_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("newsgraph ")
