"""The JSON API under /api/: one suite, run against SQLite and PostgreSQL (the `store` fixture)."""

from __future__ import annotations

import pytest


def test_api_stories(client):
    body = client.get("/api/stories").json()
    assert body["total"] == 2
    assert body["items"][0]["id"] == "S_ferry"
    story = client.get("/api/stories/S_ferry").json()
    assert [a["doc_id"] for a in story["articles"]] == ["ferry-1", "unsafe-1", "ferry-2"]
    assert client.get("/api/stories/nope").status_code == 404


def test_api_articles(client, store_records):
    body = client.get("/api/articles", params={"story_id": "S_ferry", "since": "2024-03-06"}).json()
    assert {a["doc_id"] for a in body["items"]} == {"ferry-2", "unsafe-1"}
    assert client.get("/api/articles/ferry-1").json() == store_records[0].to_dict()
    assert client.get("/api/articles/nope").status_code == 404


def test_api_entities(client):
    people = client.get("/api/entities", params={"label": "PERSON"}).json()
    assert people["items"][0]["id"] == "E_ortiz"
    ortiz = client.get("/api/entities/E_ortiz").json()
    assert ortiz["roles"][0]["role"] == "mayor"
    assert len(ortiz["quotes"]) == 3
    assert ortiz["posts"][0]["handle"] == "lenaortiz"


@pytest.mark.parametrize(("params", "total"), [
    ({"speaker_id": "E_ortiz"}, 3),
    ({"story_id": "S_ferry", "q": "asked"}, 1),
    ({"since": "2024-03-01", "until": "2024-03-05"}, 3),
    ({"kind": "direct"}, 7),
    ({"kind": "stance"}, 0),
])
def test_api_quotes_filters(client, params, total):
    assert client.get("/api/quotes", params=params).json()["total"] == total


def test_api_posts(client):
    assert client.get("/api/posts", params={"platform": "Twitter", "handle": "@lenaortiz"}).json()["total"] == 1
    post = client.get("/api/posts/P_ortiz1").json()
    assert {a["doc_id"] for a in post["articles"]} == {"ferry-1", "ferry-2"}


def test_api_post_detail_has_chain_reactions_coverage(client):
    """Issue 8: a post cited by two articles and shared by nobody is a chain of one, covered twice."""
    post = client.get("/api/posts/P_ortiz1").json()
    assert post["origin"] == "P_ortiz1"
    assert [(n["id"], n["depth"], n["current"]) for n in post["chain"]] == [("P_ortiz1", 0, True)]
    assert post["reactions"] == []
    assert [(c["doc_id"], c["published"]) for c in post["coverage"]] == [("ferry-1", "2024-03-05"),
                                                                         ("ferry-2", "2024-03-07")]
    assert post["reach"] == [{"reported": "2024-03-05", "doc_id": "ferry-1", "outlet": post["coverage"][0]["outlet"],
                              "metrics": {"likes": 120}}]


def test_api_search(client):
    found = client.get("/api/search", params={"q": "ferry"}).json()
    assert found["articles"]["total"] >= 2
    assert "\ue000" not in found["articles"]["items"][0]["snippet"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"since": "yesterday"},
                                    {"kind": "rumour"}])
def test_api_bad_parameters_are_422(client, params):
    assert client.get("/api/quotes", params=params).status_code == 422


def test_api_openapi_lists_every_resource(client):
    paths = client.get("/openapi.json").json()["paths"]
    for name in ("articles", "stories", "entities", "quotes", "posts", "search"):
        assert f"/api/{name}" in paths


@pytest.mark.parametrize(("page", "twin"), [
    ("/", "/api/stories"),
    ("/stories/S_ferry", "/api/stories/S_ferry"),
    ("/articles/ferry-1", "/api/articles/ferry-1"),
    ("/entities/E_ortiz", "/api/entities/E_ortiz"),
    ("/entities", "/api/entities"),
    ("/quotes", "/api/quotes"),
    ("/posts", "/api/posts"),
    ("/posts/P_ortiz1", "/api/posts/P_ortiz1"),
    ("/search?q=ferry", "/api/search?q=ferry"),  # the twin keeps the page's query
    ("/articles", "/api/articles"),
])
def test_api_every_page_has_a_json_twin(client, page, twin):
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f'href="{twin}"' in response.text
    assert client.get(twin).status_code == 200


def test_api_missing_page_is_html_404(client):
    response = client.get("/entities/nope")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_api_story_summary(client):
    story = client.get("/api/stories/S_ferry").json()
    assert story["title"] in {a["title"] for a in story["articles"]}  # the most central headline
    assert story["title_source"] == "headline"
    assert (story["first_published"], story["last_published"]) == ("2024-03-05", "2024-03-07")
    assert {"E_ortiz", "E_reed"} <= {e["id"] for e in story["entities"][:2]}
    assert {q["speaker_id"] for q in story["quotes"]} >= {"E_ortiz", "E_reed"}
    assert all(q["citations"] >= 1 for q in story["quotes"])
    assert story["posts"][0]["id"] == "P_ortiz1"
    assert [(e["date"], e["text"]) for e in story["timeline"]] == [("2024-03-05", "Tuesday"), ("2024-03-08", "Friday")]
    assert story["timeline"][0]["articles"][0]["doc_id"] == "ferry-1"
    assert [d["date"] for d in story["publication"]] == [c["date"] for c in story["coverage"]]
    listed = client.get("/api/stories").json()["items"][0]
    assert listed["title"] == story["title"]
    assert listed["entities"][0]["id"] == story["entities"][0]["id"]
