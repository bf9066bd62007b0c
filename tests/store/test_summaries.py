"""Story summaries in the store: title, key entities and quotes, posts and dated events follow the members."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from alembic import command
from rich.console import Console
from sqlalchemy import func, insert, inspect, null, select, text, update

from newsgraph.records import Record
from newsgraph.store import Store, alembic_config
from newsgraph.store.schema import articles, dates, stories
from newsgraph.store.show import render_story
from newsgraph.store.summary import Member, central_title, cut, lead, sentence_around

RECORDS = Path(__file__).parents[1] / "fixtures" / "store" / "summaries" / "records.jsonl"


@pytest.fixture(scope="module")
def records() -> list[Record]:
    """A bridge closure told by three articles (a propagated quote, a post, dates) and two untitled notes."""
    return [Record.from_dict(json.loads(line)) for line in RECORDS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def summarised(store, records):
    for record in records:
        store.writer.write(record)
    return store


# ---- the parts, without a database

@pytest.mark.parametrize(("given", "expected"), [
    ("Water main bursts downtown\n\nCrews worked all night.", "Water main bursts downtown"),
    ("  \n\nCrews worked all night. Roads reopened at dawn.", "Crews worked all night."),
    ('Dr. Amal Haddad said "it was close." Then she left.', 'Dr. Amal Haddad said "it was close."'),
    ("A storm hit the bay area on Tuesday night and knocked out power to some forty thousand homes and shops.",
     "A storm hit the bay area on Tuesday night and knocked out power to some forty…"),
    ("", None),
    ("---\n\n", None),
])
def test_summary_lead_is_the_first_sentence_cut_at_a_word(given, expected):
    assert lead(given) == expected


def test_summary_cut_keeps_short_text_and_marks_a_cut():
    assert cut("two  words", 80) == "two words"
    assert len(cut("word " * 40, 80)) <= 80
    assert cut("word " * 40, 80).endswith("…")


@pytest.mark.parametrize(("text", "mention", "expected"), [
    ("First one. The vote is on Friday, said Gov. Ames. Last one.", "Friday", "The vote is on Friday, said Gov. Ames."),
    ("Headline\nThey met on Monday\nNext line.", "Monday", "They met on Monday"),
    ('He said "we start on May 2." Then silence.', "May 2", 'He said "we start on May 2."'),
])
def test_summary_sentence_around_a_date(text, mention, expected):
    start = text.index(mention)
    snippet, lo, hi = sentence_around(text, start, start + len(mention))
    assert snippet == expected
    assert snippet[lo:hi] == mention


def test_summary_sentence_around_is_cut_around_the_date_when_long():
    text = "word " * 100 + "on 3 June " + "word " * 100
    start = text.index("3 June")
    snippet, lo, hi = sentence_around(text, start, start + 6, limit=60)
    assert snippet[lo:hi] == "3 June"
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 62


def test_summary_central_title_is_the_headline_closest_to_all_members():
    members = [Member("a", "Weekly roundup", "Our weekly roundup of city news: the harbour ferry vote and more."),
               Member("b", "Harbour ferry vote passes", "The council voted for the harbour ferry line."),
               Member("c", None, "The harbour ferry vote passed on Tuesday."),
               Member("d", "Fishing fleet protest planned", "Fishers plan a protest against the harbour ferry.")]
    assert central_title(members) == 1
    assert central_title([Member("x", None, "No headline here.")]) is None


# ---- in the store, on SQLite and PostgreSQL

def test_summary_title_is_recomputed_as_articles_join(store, records):
    store.writer.write(records[0])
    assert store.queries.story("S_bridge")["title"] == "Council meeting notes"  # the only headline so far
    store.writer.write(records[1])
    store.writer.write(records[2])
    story = store.queries.story("S_bridge")
    assert story["title"] == "Elm Street bridge to close for repairs"
    assert story["title_source"] == "headline"
    assert (story["first_published"], story["last_published"]) == ("2024-05-07", "2024-05-10")
    assert store.queries.stories()["items"][0]["title"] == story["title"]


def test_summary_untitled_story_is_named_by_its_first_lead_never_its_id(summarised):
    story = summarised.queries.story("S_pine")
    assert story["title"] == "Residents of Pine Hill reported a strong smell of gas on Sunday evening, and…"
    assert story["title_source"] == "lead"
    assert [a["lead"] for a in story["articles"]][1] == "Gas leak in Pine Hill fixed."
    listed = {s["id"]: s for s in summarised.queries.stories()["items"]}
    assert listed["S_pine"]["title"] == story["title"]
    assert listed["S_pine"]["title_source"] == "lead"


def test_summary_timeline_is_the_dated_events_in_date_order(summarised):
    events = summarised.queries.story("S_bridge")["timeline"]
    # "in June" (a month) is no event day; two articles mention both May 6 and May 20
    assert [(e["date"], e["article_count"]) for e in events] == [
        ("2024-05-03", 1), ("2024-05-06", 2), ("2024-05-20", 2)]
    may6 = events[1]
    assert may6["snippet"] == "The Westford council met on Monday."
    assert may6["snippet"][may6["mark"][0]:may6["mark"][1]] == "Monday" == may6["text"]
    assert [a["doc_id"] for a in may6["articles"]] == ["bridge-1", "bridge-2"]
    # a value with a time of day is an event on that day
    assert [e["date"] for e in summarised.queries.story("S_pine")["timeline"]] == ["2024-05-12", "2024-05-13"]


def test_summary_key_entities_quotes_posts(summarised):
    story = summarised.queries.story("S_bridge")
    people = [(e["id"], e["articles"]) for e in story["entities"]]
    assert people[:2] == [("E_elm", 3), ("E_nair", 3)]
    assert "E_money" not in {e["id"] for e in story["entities"]}  # amounts are not who a story is about
    quotes = story["quotes"]
    # the statement two articles carry comes first, though shorter; the anonymous neighbour is no key quote
    assert [(q["speaker_id"], q["citations"]) for q in quotes] == [("E_nair", 2), ("E_vale", 1)]
    assert quotes[0]["doc_id"] == "bridge-1"  # the first article to carry it stands for it
    assert [(p["id"], p["story_citations"]) for p in story["posts"]] == [("P_city", 2)]
    assert story["posts"][0]["handle"] == "westfordcity"


def test_summary_follows_an_article_that_changes(summarised, records):
    changed = dataclasses.replace(records[2], text=records[2].text + " More.", dates=[], quotes=[])
    summarised.writer.write(changed)
    story = summarised.queries.story("S_bridge")
    assert [e["date"] for e in story["timeline"]] == ["2024-05-06", "2024-05-20"]
    assert [q["speaker_id"] for q in story["quotes"]] == ["E_nair"]
    moved = dataclasses.replace(records[1], text=records[1].text + " Moved.", story_id="S_pine")
    summarised.writer.write(moved)
    assert summarised.queries.story("S_bridge")["title"] == "Drivers face detours as Elm Street bridge closes"
    pine = summarised.queries.story("S_pine")
    assert pine["title"] == "Elm Street bridge to close for repairs"  # a headline beats a lead
    assert pine["title_source"] == "headline"


def test_summary_show_prints_the_summary(summarised):
    console = Console(record=True, width=160)
    render_story(console, summarised.queries.story("S_bridge"), 10)
    out = console.export_text()
    for part in ("Elm Street bridge to close for repairs", "Timeline of events", "2024-05-03",
                 "Signs went up last Friday.", "Priya Nair", "westfordcity", "Coverage"):
        assert part in out
    console = Console(record=True, width=160)
    render_story(console, summarised.queries.story("S_pine"), 10)
    out = console.export_text()
    assert "Residents of Pine Hill" in out and "S_pine" in out
    assert "Gas leak in Pine Hill fixed." in out  # untitled articles by their first sentence


def _at_0004(url: str) -> Store:
    """A store migrated to 0004 whose stories have no summary column yet, as stores made before 0005."""
    opened = Store(url)
    with opened.engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        conn.execute(text("ALTER TABLE stories DROP COLUMN summary"))
    return opened


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_summary_migration_0005_adds_and_backfills(kind, tmp_path, request, records):
    url = str(tmp_path / "old.db") if kind == "sqlite" else request.getfixturevalue("pg_schemas")()
    old = _at_0004(url)
    # rows as the writer before 0005 left them: the first article's title, or none
    with old.engine.begin() as conn:
        for record in records:
            article_id = conn.execute(insert(articles).values(
                doc_id=record.doc_id, content_hash="x", source="", title=record.title, published=record.published,
                text=record.text, story_id=record.story_id, ingested_at="2024-05-14T00:00:00")).inserted_primary_key[0]
            for i, d in enumerate(record.dates):
                conn.execute(insert(dates).values(article_id=article_id, idx=i, text=d.text, start=d.start,
                                                  end=d.end, value=d.value))
        conn.execute(text("INSERT INTO stories (id, title, article_count) VALUES "
                          "('S_bridge', 'Council meeting notes', 3), ('S_pine', NULL, 2)"))
    old.migrate()
    assert "summary" in {c["name"] for c in inspect(old.engine).get_columns("stories")}
    with old.engine.connect() as conn:
        assert old.revision_of(conn) == old.head()
        titles = dict(conn.execute(select(stories.c.id, stories.c.title)).all())
    assert titles == {"S_bridge": "Elm Street bridge to close for repairs",
                      "S_pine": "Residents of Pine Hill reported a strong smell of gas on Sunday evening, and…"}
    assert [e["date"] for e in old.queries.story("S_bridge")["timeline"]] == ["2024-05-03", "2024-05-06",
                                                                               "2024-05-20"]
    with old.engine.begin() as conn:  # a summary the writer has not filled is computed when read
        conn.execute(update(stories).values(summary=null()))
        assert conn.execute(select(func.count()).where(stories.c.summary.is_(None))).scalar_one() == 2
    assert old.queries.story("S_pine")["title_source"] == "lead"
    with old.engine.begin() as conn:  # and back: 0005 goes down without touching the rest
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    assert "summary" not in {c["name"] for c in inspect(old.engine).get_columns("stories")}
    old.migrate()
    assert old.queries.story("S_bridge")["title"] == "Elm Street bridge to close for repairs"
    old.close()


# ---- issue 18: undated members are counted, never given a date

def _dated(doc_id: str, published: str | None, source: str | None) -> Record:
    return Record(doc_id=doc_id, source="test", title=f"Ferry strike {doc_id}", url=None, outlet="Gazette",
                  published=published, published_source=source, story_id="S_strike",
                  text="Ferry crews walked out over pay; the harbour was quiet.")


def test_issue_18_story_spans_dated_members_and_counts_undated(store):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    for record in (_dated("a", "2024-05-04", "given"), _dated("b", "2024-05-06", "url"), _dated("c", None, None),
                   _dated("d", None, None)):
        store.writer.write(record)
    story = store.queries.story("S_strike")
    assert (story["article_count"], story["undated_count"]) == (4, 2)
    assert (story["first_published"], story["last_published"]) == ("2024-05-04", "2024-05-06")
    assert [a["published"] for a in story["articles"]] == ["2024-05-04", "2024-05-06", None, None]
    assert store.queries.article("b")["published_source"] == "url"
    assert store.queries.article("c")["published"] is None
    with TestClient(create_app(store)) as client:
        page = client.get("/stories/S_strike").text
        assert "4 articles" in page and "2 undated" in page and "(from the address)" in page
        assert client.get("/api/stories/S_strike").json()["undated_count"] == 2
        assert client.get("/api/articles/b").json()["published_source"] == "url"
