"""Writing records: one transaction each, re-ingesting is a no-op, a changed article replaces its rows."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select

from newsgraph.records import Record
from newsgraph.store.schema import articles, mentions, quotes, social_posts, stories


def _count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_writer_round_trip_gives_back_the_record(filled_store, store_records):
    for record in store_records:
        assert filled_store.queries.article(record.doc_id) == Record.from_dict(record.to_dict()).to_dict()


def test_writer_reingest_is_a_noop(filled_store, store_records):
    before = {t.name: _count(filled_store, t) for t in (articles, mentions, quotes, social_posts)}
    assert [filled_store.writer.write(r) for r in store_records] == [False] * len(store_records)
    assert {t.name: _count(filled_store, t) for t in (articles, mentions, quotes, social_posts)} == before


def test_writer_changed_article_replaces_its_rows(filled_store, store_records):
    first = store_records[0]
    changed = dataclasses.replace(first, text=first.text + " More.", quotes=first.quotes[:1])
    assert filled_store.writer.write(changed) is True
    stored = filled_store.queries.article(first.doc_id)
    assert stored["text"].endswith("More.")
    assert len(stored["quotes"]) == 1
    assert _count(filled_store, articles) == len(store_records)


def test_writer_counts_follow_the_articles(filled_store):
    ortiz = filled_store.queries.entity("E_ortiz")
    assert ortiz["article_count"] == 2
    assert ortiz["quote_count"] == 3
    story = filled_store.queries.story("S_ferry")
    assert story["article_count"] == 3
    assert (story["first_published"], story["last_published"]) == ("2024-03-05", "2024-03-07")
    post = filled_store.queries.post("P_ortiz1")
    assert post["citation_count"] == 2
    assert post["metrics"] == {"likes": 120}  # what one article gave is kept when another leaves it out


def test_writer_story_moves_when_an_article_changes_story(filled_store, store_records):
    moved = dataclasses.replace(store_records[2], text=store_records[2].text + "!", story_id="S_ferry")
    filled_store.writer.write(moved)
    assert filled_store.queries.story("S_library") is None
    assert filled_store.queries.story("S_ferry")["article_count"] == 4
    assert _count(filled_store, stories) == 1


def test_writer_keeps_nul_free_text_on_every_database(store, store_records):
    record = dataclasses.replace(store_records[2], doc_id="nul", text="a\x00b " + store_records[2].text)
    store.writer.write(record)
    assert store.queries.article("nul") is not None
