"""Issue 19: the lists' sort orders, new filters and CSV downloads, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.mark.parametrize(("path", "key", "expected"), [
    ("/api/articles?sort=oldest", "published", ["2024-02-20", "2024-03-05", "2024-03-06", "2024-03-07"]),
    ("/api/articles?sort=newest", "published", ["2024-03-07", "2024-03-06", "2024-03-05", "2024-02-20"]),
    ("/api/articles?sort=outlet&outlet=Harbour+Times", "doc_id", ["ferry-1", "library-1"]),
    ("/api/articles?q=ferry", "doc_id", ["ferry-2", "ferry-1"]),
    ("/api/stories?sort=oldest", "id", ["S_library", "S_ferry"]),
    ("/api/stories?min_articles=2", "id", ["S_ferry"]),
    ("/api/stories?until=2024-02", "id", ["S_library"]),
    ("/api/quotes?outlet=Coast+Daily&sort=speaker", "speaker", ["Lena Ortiz", "Sam Reed"]),
])
def test_lists_sort_and_filter(client, path, key, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert [item[key] for item in response.json()["items"]] == expected


def test_lists_unknown_sort_is_refused(client):
    assert client.get("/api/articles?sort=bogus").status_code == 422
    page = client.get("/articles?sort=bogus")
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")


def test_lists_csv_streams_every_row_with_a_header(client):
    response = client.get("/api/quotes.csv?sort=oldest")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == client.get("/api/quotes?limit=1").json()["total"]
    assert {"quote_id", "text", "speaker", "doc_id", "published"} <= set(rows[0])
    empty = client.get("/api/articles.csv?outlet=nowhere")
    assert empty.text.strip().split(",")[0] == "doc_id"  # the header alone


def test_lists_csv_cell_cannot_run_as_a_formula():
    from newsgraph.store.export import csv_lines

    text = "".join(csv_lines([{"a": "=HYPERLINK(1)", "b": -0.5}], ["a", "b"]))
    assert text.splitlines()[1] == "'=HYPERLINK(1),-0.5"


def test_lists_search_quote_hits_are_highlighted_and_paged(client):
    html = client.get("/search?q=fishing+fleet").text
    assert "<mark>fishing</mark> <mark>fleet</mark>" in html  # FTS5 highlight / ts_headline, as <mark>
    body = client.get("/api/search?q=asked&limit=1").json()
    assert body["quotes"]["total"] >= 2
    first = body["quotes"]["items"][0]
    assert first["highlight"] == first["text"]  # the JSON twin: plain text
    second = client.get("/api/search?q=asked&limit=1&quote_offset=1").json()["quotes"]
    assert second["offset"] == 1 and second["items"][0]["quote_id"] != first["quote_id"]
    page = client.get("/search?q=asked&limit=1").text
    assert 'href="/search?q=asked&amp;limit=1&amp;quote_offset=1"' in page


def test_lists_outlet_page_and_quote_permalink(client):
    outlet = client.get("/api/outlets/Harbour Times").json()
    assert outlet["article_count"] == 2 and [m["month"] for m in outlet["per_month"]] == ["2024-02", "2024-03"]
    assert {s["id"] for s in outlet["speakers"]} >= {"E_ortiz", "E_reed"}
    quote_id = client.get("/api/quotes?speaker_id=E_reed&outlet=Harbour+Times").json()["items"][0]["quote_id"]
    one = client.get(f"/api/quotes/{quote_id}").json()
    lo, hi = one["context"]["mark"]
    assert one["context"]["text"][lo:hi] == one["text"]
    assert client.get("/quotes/999999").status_code == 404
