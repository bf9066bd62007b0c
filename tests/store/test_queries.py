"""Reading the store: filters, pagination and full-text search behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest


def test_queries_stories_biggest_first_with_coverage(read_store):
    page = read_store.queries.stories()
    assert [s["id"] for s in page["items"]] == ["S_ferry", "S_library"]
    assert page["items"][0]["coverage"] == [{"date": "2024-03-05", "count": 1}, {"date": "2024-03-06", "count": 1},
                                            {"date": "2024-03-07", "count": 1}]


def test_queries_story_has_timeline_quotes_posts(read_store):
    story = read_store.queries.story("S_ferry")
    assert [day["date"] for day in story["publication"]] == ["2024-03-05", "2024-03-06", "2024-03-07"]
    assert [event["date"] for event in story["timeline"]] == ["2024-03-05", "2024-03-08"]
    assert {q["speaker_id"] for q in story["quotes"]} >= {"E_ortiz", "E_reed"}
    assert "P_ortiz1" in {p["id"] for p in story["posts"]}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"speaker_id": "E_reed"}, 2),
    ({"speaker": "ortiz"}, 3),
    ({"story_id": "S_library"}, 1),
    ({"since": "2024-03-06"}, 3),
    ({"until": "2024-03"}, 7),
    ({"until": "2024-02-28"}, 1),
    ({"q": "fishing fleet"}, 1),
    ({"q": "FERRY"}, 1),
    ({"q": "!!! ("}, 0),
    ({"q": "nothingmatchesthis"}, 0),
])
def test_queries_quote_filters(read_store, filters, expected):
    assert read_store.queries.quotes(**filters)["total"] == expected


def test_queries_pagination(read_store):
    first = read_store.queries.quotes(limit=2, offset=0)
    second = read_store.queries.quotes(limit=2, offset=2)
    assert first["total"] == second["total"] == 7
    assert not {q["quote_id"] for q in first["items"]} & {q["quote_id"] for q in second["items"]}


@pytest.mark.parametrize("query", ["ferry", "commutes", "Ferry line", "ferry OR", '"unbalanced', "a:b*"])
def test_queries_search_never_fails(read_store, query):
    found = read_store.queries.search(query)
    assert found["articles"]["total"] >= 0


def test_queries_search_finds_words_in_titles_and_text(read_store):
    assert {a["doc_id"] for a in read_store.queries.search("ferry")["articles"]["items"]} >= {"ferry-1", "ferry-2"}
    assert [a["doc_id"] for a in read_store.queries.search("library opening")["articles"]["items"]] == ["library-1"]
    assert read_store.queries.search("ortiz")["entities"]["items"][0]["id"] == "E_ortiz"


def test_queries_entity_page_data(read_store):
    ortiz = read_store.queries.entity("E_ortiz")
    # a role says where it was read: the first article giving it, the span of its words, a link marking them
    assert ortiz["roles"] == [{"role": "mayor", "count": 2, "source": {
        "doc_id": "ferry-1", "start": 41, "end": 46, "url": "/articles/ferry-1?at=41-46"}}]
    assert [q["published"] for q in ortiz["quotes"]] == sorted((q["published"] for q in ortiz["quotes"]), reverse=True)
    assert [p["id"] for p in ortiz["posts"]] == ["P_ortiz1"]


def test_queries_resolve_ids_and_names(read_store):
    assert read_store.queries.resolve("S_ferry") == ("story", "S_ferry")
    assert read_store.queries.resolve("sam reed") == ("entity", "E_reed")
    assert read_store.queries.resolve("nobody at all") is None


def test_queries_missing_rows_are_none(read_store):
    q = read_store.queries
    assert q.article("nope") is q.story("nope") is q.entity("nope") is q.post("nope") is None


def test_queries_untitled_article_is_named_by_its_first_sentence(tmp_path):
    # quote rows and search hits of an article without a headline carry its first sentence as `lead`, so that
    # no list shows a doc_id for a title (issue 19)
    from newsgraph.records import Quote, Record
    from newsgraph.store import open_store

    text = "The harbour ferry will stop in May. \u201cWe have no money left,\u201d said the harbour master."
    record = Record(doc_id="untitled-1", source="test", title=None, url=None, outlet="Harbour News",
                    published="2021-05-01", text=text)
    start = text.index("We have")
    record.quotes = [Quote(text="We have no money left", start=start, end=start + 21, direct=True, kind="direct",
                           speaker="the harbour master", anonymous=True)]
    store = open_store(tmp_path / "untitled.db")
    try:
        store.writer.write(record)
        [row] = store.queries.quotes()["items"]
        assert row["lead"] == "The harbour ferry will stop in May."
        [hit] = store.queries.search("ferry")["articles"]["items"]
        assert hit["lead"] == "The harbour ferry will stop in May."
    finally:
        store.close()
