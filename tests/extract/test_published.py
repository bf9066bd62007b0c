"""Publication dates end to end (issue 18): an undated article keeps its relative dates unresolved, an article
dated only by its address is dated from it and its relative dates resolve against that day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "published"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("published") / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(FIXTURES), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return {r["doc_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


@pytest.mark.model
def test_issue_18_undated_article_with_today(records):
    record = records["undated_today"]
    assert record["published"] is None and record["published_source"] is None
    relative = {d["text"]: d["value"] for d in record["dates"]}
    assert relative.get("today", "missing") is None and relative.get("Friday", "missing") is None
    assert any(e.startswith("NG210 ") for e in record["errors"])


@pytest.mark.model
def test_issue_18_article_dated_only_by_its_url(records):
    record = records["pier-url"]
    assert (record["published"], record["published_source"]) == ("2023-06-09", "url")
    values = {d["text"]: d["value"] for d in record["dates"]}
    assert values["today"] == "2023-06-09" and values["yesterday"] == "2023-06-08"
    assert values["Monday"] == "2023-06-05"
    assert not any(e.startswith("NG210 ") for e in record["errors"])
