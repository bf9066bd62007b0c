"""Stances kept apart from speech, and one statement's versions with their fidelity: API and pages."""

from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app
from newsgraph.records import Quote


@pytest.fixture
def stance_client(store, store_records):
    records = copy.deepcopy(store_records)
    ferry1, ferry2 = records[0], records[1]
    # a stance of the mayor's, and her words quoted again, altered, in the second article
    ferry1.stances = [Quote(text="that the fleet will adapt to the new schedule", start=None, end=None, direct=False,
                            speaker="Lena Ortiz", speaker_id="E_ortiz", cue="believes", kind="stance")]
    first = ferry1.quotes[0]
    first.statement_id = "Q_ferry"
    again = Quote(text=first.text.replace("in half", "by half"), start=None, end=None, direct=True,
                  speaker="Lena Ortiz", speaker_id="E_ortiz", cue="said", kind="direct", statement_id="Q_ferry",
                  fidelity={"flag": "altered", "original": "ferry-1",
                            "diff": {"dropped": [], "added": [], "changed": [["in", "by"]]}})
    ferry2.quotes.append(again)
    for record in records:
        store.writer.write(record)
    with TestClient(create_app(store)) as client:
        yield client


def test_api_stances_never_listed_or_counted_as_quotes(stance_client):
    speech = stance_client.get("/api/quotes", params={"speaker_id": "E_ortiz"}).json()
    assert "that the fleet will adapt to the new schedule" not in {q["text"] for q in speech["items"]}
    stances = stance_client.get("/api/quotes", params={"kind": "stance"}).json()
    assert [q["text"] for q in stances["items"]] == ["that the fleet will adapt to the new schedule"]
    ortiz = stance_client.get("/api/entities/E_ortiz").json()
    assert ortiz["quote_count"] == len(speech["items"]) == 4
    assert [s["text"] for s in ortiz["stances"]] == ["that the fleet will adapt to the new schedule"]
    record = stance_client.get("/api/articles/ferry-1").json()
    assert [s["kind"] for s in record["stances"]] == ["stance"]
    assert all(q["kind"] != "stance" for q in record["quotes"])


def test_api_statement_versions_with_fidelity(stance_client):
    body = stance_client.get("/api/statements/Q_ferry").json()
    assert [v["doc_id"] for v in body["versions"]] == ["ferry-1", "ferry-2"]
    assert body["flags"] == {"altered": 1, "original": 1}
    assert body["versions"][1]["fidelity"]["diff"]["changed"] == [["in", "by"]]
    assert stance_client.get("/api/statements/nope").status_code == 404


def test_pages_statement_and_stances(stance_client):
    page = stance_client.get("/statements/Q_ferry").text
    assert "altered" in page and "<del" in page and "<ins" in page
    article = stance_client.get("/articles/ferry-1").text
    stances = article[article.index("<h2>Stances</h2>"):]
    # a stance is labelled and never in quotation marks
    assert "that the fleet will adapt" in stances and "\u201cthat the fleet" not in stances
