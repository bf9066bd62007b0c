"""Following a store: /api/events gives the articles stored after a cursor; the story list marks what is new."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from newsgraph.api import create_app


def test_events_follow_the_articles_stored_after_a_cursor(filled_store, store_records):
    with TestClient(create_app(filled_store)) as client:
        first = client.get("/api/events").json()
        assert [e["doc_id"] for e in first["items"]] == [r.doc_id for r in store_records]
        assert client.get("/api/events", params={"after": first["next"]}).json() == {"items": [],
                                                                                     "next": first["next"]}
        filled_store.writer.write(dataclasses.replace(store_records[0], doc_id="late-1"))
        later = client.get("/api/events", params={"after": first["next"]}).json()
        assert [(e["doc_id"], e["kind"]) for e in later["items"]] == [("late-1", "article")]
        assert later["items"][0]["story_id"] == store_records[0].story_id


def test_events_story_list_marks_what_is_new_since_a_cursor(filled_store, store_records):
    with TestClient(create_app(filled_store)) as client:
        page = client.get("/stories").text
        cursor = page.split("/stories?new_since=")[1].split('"')[0]
        filled_store.writer.write(dataclasses.replace(store_records[0], doc_id="late-1"))
        marked = client.get("/stories", params={"new_since": cursor}).text
        assert "1 new article</strong>" in marked and 'class="new-mark">1 new<' in marked
