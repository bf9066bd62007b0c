"""Partition writes on PostgreSQL: COPY gives the rows inserts give, and writers running at once lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from newsgraph.records import Entity, Quote, Record, SocialPost
from newsgraph.store import open_store
from newsgraph.store.schema import ARTICLE_CHILDREN, articles, entities, social_posts, stories

PEOPLE = [("E_quill", "Ada Quill", "PERSON"), ("E_marr", "Tomas Marr", "PERSON"), ("E_ives", "Noor Ives", "PERSON"),
          ("E_dock", "Dockside Trust", "ORG"), ("E_vale", "Vale Borough", "GPE")]
# each post as one citation gives it, and as another does: gaps filled, the longer text, metrics merged
POSTS = [
    (SocialPost(id="P_1", platform="twitter", author="Ada Quill", handle=None, text="Berth repairs start",
                metrics={"likes": 4}),
     SocialPost(id="P_1", platform="twitter", author="Ada Quill", handle="adaquill",
                text="Berth repairs start Monday", metrics={"reposts": 2}, embedded=True)),
    (SocialPost(id="P_2", platform="bluesky", author="Dockside Trust", handle="dockside.example", text="Quay shut"),
     SocialPost(id="P_2", platform="bluesky", author=None, handle="dockside.example", text="Quay shut",
                url="https://bsky.example/p/2")),
]


def _record(i: int) -> Record:
    """A made-up article: names, quotes and posts shared with its neighbours, one story of four."""
    people = [PEOPLE[(i + k) % len(PEOPLE)] for k in range(3)]
    text_, found = f"Report {i} from the harbour.", []
    for entity_id, name, label in people:
        # "Quill" alone in some articles: the entity's name is the one most records gave, whichever writer
        # wrote them in whatever order
        shown = name.split()[-1] if entity_id == "E_quill" and i % 3 == 0 else name
        start = len(text_) + 1
        text_ += f" {shown} spoke about berth {i}."
        found.append(Entity(id=entity_id, name=shown, label=label, mentions=[[start, start + len(shown)]],
                            roles=["chair"] if label == "PERSON" and i % 2 else []))
    speaker = found[0] if found[0].label == "PERSON" else found[1]
    quote = Quote(text=f"We will reopen berth {i}", start=0, end=10, direct=True, speaker=speaker.name,
                  speaker_id=speaker.id, speaker_span=speaker.mentions[0], cue="said")
    posts = [POSTS[i % 2][(i // 2) % 2]] if i % 3 else []
    return Record(doc_id=f"harbour-{i}", source="made-up.jsonl", title=f"Harbour report {i}", url=None,
                  outlet="Made-up Gazette", published=f"2024-05-{1 + i % 20:02d}",
                  text=text_ + (" A stray \x00 byte." if i == 5 else ""), entities=found, quotes=[quote],
                  social_posts=posts, tone=0.1 * (i % 3), story_id=f"S_{i % 4}")


RECORDS = [_record(i) for i in range(18)]


def _content(url: str, summaries: bool = True, json_as_text: bool = True) -> dict[str, list]:
    """Every stored row as text, by content: serial ids and ingest times left out, article ids as doc_ids;
    JSON as stored, or (`json_as_text=False`) as values, whatever order the keys were merged in."""
    store = open_store(url, migrate=False)
    out: dict[str, list] = {}
    try:
        with store.engine.connect() as conn:
            def rows(table, skip: set[str], join: bool = False) -> list:
                cols = [f't."{c.name}"{"" if json_as_text or str(c.type) != "JSON" else "::jsonb"}::text'
                        for c in table.columns if c.name not in skip]
                source = f"{table.name} t" + (" JOIN articles a ON a.id = t.article_id" if join else "")
                return sorted(tuple(r) for r in conn.execute(text(
                    f"SELECT {'a.doc_id, ' if join else ''}{', '.join(cols)} FROM {source}")))

            out["articles"] = rows(articles, {"id", "ingested_at"})
            out["entities"] = rows(entities, set())
            out["social_posts"] = rows(social_posts, set())
            out["stories"] = rows(stories, set() if summaries else {"summary"})
            for table in ARTICLE_CHILDREN:
                out[table.name] = rows(table, {"id", "article_id"}, join=True)
    finally:
        store.close()
    return out


def _write(url: str, records: list[Record], size: int, copy: bool | None = None) -> list[bool]:
    store = open_store(url)
    try:
        if copy is not None:
            store.writer.copy = copy
        if size == 0:  # one transaction per article, the plain `newsgraph ingest` path
            return [store.writer.write(r) for r in records]
        return [c for i in range(0, len(records), size)
                for c in store.writer.write_partition(f"part-{i}", records[i:i + size])]
    finally:
        store.close()


def test_writers_copy_gives_the_rows_of_inserts(pg_schemas) -> None:
    by_copy, by_insert, one_by_one = pg_schemas(), pg_schemas(), pg_schemas()
    assert all(_write(by_copy, RECORDS, 5, copy=True))
    assert all(_write(by_insert, RECORDS, 5, copy=False))
    assert all(_write(one_by_one, RECORDS, 0))
    copied = _content(by_copy)
    assert copied == _content(by_insert)  # JSON columns too, as text: COPY dumps them as inserts do
    assert len(copied["mentions"]) == 3 * len(RECORDS) and len(copied["entities"]) == len(PEOPLE)
    assert "\x00" not in repr(copied["articles"])
    # article by article, each story's summary is made from what is stored at the time: a partition makes it
    # once, at its end, so only summaries that speak of other stories' rows may differ
    assert _content(by_copy, summaries=False) == _content(one_by_one, summaries=False)
    posts = {row[0]: row for row in copied["social_posts"]}
    assert posts["P_1"][3] == "adaquill" and posts["P_1"][5] == "Berth repairs start Monday"
    assert json.loads(posts["P_1"][8]) == {"likes": 4, "reposts": 2}
    names = {row[0]: row[1] for row in copied["entities"]}
    assert names["E_quill"] == "Ada Quill"


def test_writers_restarted_partition_writes_nothing_twice(pg_schemas) -> None:
    url = pg_schemas()
    first = _write(url, RECORDS[:10], 4)
    before = _content(url)
    again = _write(url, RECORDS[:10], 4)  # a restarted run: the same partitions again
    assert all(first) and not any(again)
    assert _content(url) == before
    changed = Record.from_dict({**RECORDS[2].to_dict(), "text": RECORDS[2].text + " Updated at noon."})
    assert _write(url, [RECORDS[1], changed, RECORDS[3]], 4) == [False, True, False]
    after = _content(url)
    assert len(after["mentions"]) == len(before["mentions"])  # the changed article's rows replaced, not added
    assert "Updated at noon." in repr([r for r in after["articles"] if r[0] == "harbour-2"])


DRIVER = """
import json, sys, time
from pathlib import Path
from newsgraph.records import Record
from newsgraph.store import open_store

url, path, picks, go = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), Path(sys.argv[4])
records = [Record.from_dict(json.loads(line)) for line in open(path, encoding="utf-8")]
while not go.exists():
    time.sleep(0.01)
store = open_store(url)  # all at once on a new store: one migrates, the others wait for it
for n in range(0, len(picks), 2):
    store.writer.write_partition(f"{sys.argv[5]}-{n}", [records[i] for i in picks[n:n + 2]])
store.close()
"""


def test_writers_at_once_on_one_store(pg_schemas, tmp_path: Path) -> None:
    shared, reference = pg_schemas(), pg_schemas()
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in RECORDS), encoding="utf-8")
    go = tmp_path / "go"
    # overlapping sets, in different orders: articles, entities, posts and stories written by two or three
    picks = [list(range(0, 12)), list(range(17, 5, -1)), [3, 9, 4, 10, 5, 11, 6, 12, 13, 14, 15, 16, 17, 0]]
    assert set().union(*picks) == set(range(len(RECORDS)))
    procs = [subprocess.Popen([sys.executable, "-c", DRIVER, shared, str(path), json.dumps(p), str(go), f"w{n}"],
                              stderr=subprocess.PIPE, text=True, env=os.environ.copy())
             for n, p in enumerate(picks)]
    time.sleep(0.5)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err  # no unique violation, no deadlock
    assert all(_write(reference, RECORDS, 4))
    got, expected = (_content(url, summaries=False, json_as_text=False) for url in (shared, reference))
    for kind in expected:
        assert got[kind] == expected[kind], kind  # nothing twice, nothing lost, counts as one writer's
    assert len(got["articles"]) == len(RECORDS)
