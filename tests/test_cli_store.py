"""The store commands end to end: ingest (twice: a no-op), export, show, and the pages over the result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.api import create_app
from newsgraph.cli import app
from newsgraph.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, fixtures_dir) -> Path:
    db = tmp_path_factory.mktemp("cli") / "cli.db"
    result = runner.invoke(app, ["ingest", str(fixtures_dir / "store" / "ingest"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 articles stored" in result.output
    return db


@pytest.mark.model
def test_cli_ingest_again_is_a_noop(ingested, fixtures_dir):
    result = runner.invoke(app, ["ingest", str(fixtures_dir / "store" / "ingest"), "--db", str(ingested)])
    assert result.exit_code == 0, result.output
    assert "0 articles stored" in result.output and "2 unchanged" in result.output
    store = open_store(ingested, migrate=False)
    assert store.queries.counts()["articles"] == 2
    store.close()


@pytest.mark.model
def test_cli_export_jsonl_and_gkg(ingested, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["export", "--db", str(ingested), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["doc_id"] for r in records} == {"ferry", "unsafe-page"}
    assert all(r["story_id"] for r in records)
    gkg = tmp_path / "out.gkg.tsv"
    assert runner.invoke(app, ["export", "--db", str(ingested), "--format", "gkg", "-o", str(gkg)]).exit_code == 0
    assert all(len(line.split("\t")) == 27 for line in gkg.read_text(encoding="utf-8").splitlines())


@pytest.mark.model
def test_cli_show_and_unknown_name(ingested):
    store = open_store(ingested, migrate=False)
    story_id = store.queries.article("ferry")["story_id"]
    store.close()
    result = runner.invoke(app, ["show", story_id, "--db", str(ingested)])
    assert result.exit_code == 0, result.output
    assert "Timeline" in result.output
    missing = runner.invoke(app, ["show", "nobody-by-this-name", "--db", str(ingested)])
    assert missing.exit_code == 1


@pytest.mark.model
def test_cli_ingested_markup_is_escaped(ingested):
    store = open_store(ingested, migrate=False)
    with TestClient(create_app(store)) as client:
        html = client.get("/articles/unsafe-page").text
    store.close()
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "<script>window" not in html and "<img" not in html and 'href="javascript:' not in html


def test_cli_export_unknown_format_is_refused(tmp_path):
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "x.db"), "--format", "xml"])
    assert result.exit_code == 2


def test_cli_serve_write_needs_a_token(tmp_path):
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--allow-write"], env={"NEWSGRAPH_TOKEN": ""})
    assert result.exit_code == 2


@pytest.mark.model
def test_cli_post_article_runs_the_pipeline(tmp_path, settings):
    store = open_store(tmp_path / "post.db")
    app_ = create_app(store, allow_write=True, token="t0ken", settings=settings)
    body = {"id": "posted-1", "text": 'Mayor Lena Ortiz said "the ferry is late" on Monday.', "published": "2024-03-05"}
    with TestClient(app_) as client:
        response = client.post("/api/articles", json=body, headers={"Authorization": "Bearer t0ken"})
        assert response.status_code == 201, response.text
        assert response.json()["written"] is True
        again = client.post("/api/articles", json=body, headers={"Authorization": "Bearer t0ken"})
        assert again.json()["written"] is False
        assert client.get("/api/articles/posted-1").json()["text"] == body["text"]
    store.close()


def test_cli_serve_missing_store_is_an_error_unless_create(tmp_path, monkeypatch):
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: served.append(application))
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code != 0 and "NG406" in result.output and "--create" in result.output
    assert not missing.exists() and served == []
    result = runner.invoke(app, ["serve", "--db", f"sqlite:///{missing}", "--create"])
    assert result.exit_code == 0, result.output
    assert missing.exists() and len(served) == 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_cli_export_graph_opens_in_networkx_with_the_reshare_chain(tmp_path, fmt):
    import sys

    import networkx as nx

    sys.path.insert(0, str(Path(__file__).parent / "web"))
    import synthetic

    db = tmp_path / "g.db"
    store = open_store(db)
    for record in synthetic.records(12):
        store.writer.write(record)
    store.close()
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
    kinds = {(graph.nodes[a]["label"], d["kind"], graph.nodes[b]["label"]) for a, b, d in graph.edges(data=True)}
    # Karimi's post, reshared by Ortiz, whose reshare Reed answers
    assert ("Lena Ortiz", "reshares", "Reza Karimi") in kinds
    assert ("Sam Reed", "answers", "Lena Ortiz") in kinds
    assert ("Coast Daily", "quotes", "Sam Reed") in kinds
