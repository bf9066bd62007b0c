"""The linker's snapshot in the store: an ingest restores it instead of replaying every stored record."""

from __future__ import annotations

import copy
import json
import pickle
import random
from pathlib import Path

import pytest
from sqlalchemy import select, update

from newsgraph.config import Settings, load_settings
from newsgraph.records import Entity, Quote, Record
from newsgraph.store import linkstate
from newsgraph.store.ingest import ingest, restore_linker
from newsgraph.store.schema import link_state, stories

# Five events, each with its own words and people; articles of one event share most of them. Words are
# made up here, so that the stories depend on nothing but this file.
EVENTS = {
    "flood": ("river dam levee rain evacuation sandbags crest overflow", ["Mara Quell", "Tobin Ash"]),
    "strike": ("union wages picket walkout contract bargaining factory shift", ["Ines Varro", "Dax Molen"]),
    "eclipse": ("moon shadow totality telescope corona observers sky path", ["Pell Orrin", "Suki Braam"]),
    "election": ("ballot votes turnout precinct candidate recount polls district", ["Ada Krest", "Nils Oduya"]),
    "wildfire": ("blaze acres containment firefighters smoke embers canyon winds", ["Rhea Tamsin", "Col Vey"]),
}
FILLER = ["said", "the", "report", "today", "officials", "local", "residents", "week", "statement", "city", "region"]


def _records(n: int, seed: int = 7) -> list[Record]:
    """`n` articles in input order: events come in bursts and return, so stories split and settle late."""
    rng = random.Random(seed)
    names = list(EVENTS)
    out = []
    for i in range(n):
        event = names[(i // 3 + (i % 3 == 2)) % len(names)] if i % 7 else names[rng.randrange(len(names))]
        words, people = EVENTS[event]
        vocab = words.split()
        body = " ".join(rng.choice(vocab) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(60))
        speaker = people[i % 2]
        quote = f"the {vocab[i % 8]} and the {vocab[(i + 3) % 8]} will be watched closely by all of us here"
        text = f"{speaker} spoke about the {vocab[0]}. {body}. \"{quote}\" {speaker} said."
        start = text.index(quote)
        entities = [Entity(id=f"local:{k}", name=p, label="PERSON", mentions=[[text.index(p), text.index(p) + len(p)]])
                    for k, p in enumerate(people) if p in text]
        quotes = [Quote(text=quote, start=start, end=start + len(quote), direct=True, speaker=speaker,
                        speaker_id="local:0" if speaker == people[0] else "local:1", cue="said")]
        out.append(Record(doc_id=f"a{i:03d}", source="test", title=f"{vocab[0].title()} {vocab[1]} update {i}",
                          url=f"https://example.org/{i}", outlet="Test Times",
                          published=f"2024-05-{1 + i // 6:02d}", text=text, entities=entities, quotes=quotes))
    return out


QUAKE = ["quake", "tremor", "magnitude", "rubble", "rescue", "aftershock", "epicenter", "collapse"]
COAST = ["harbor", "pier", "fishermen", "boats", "coastal", "ferry", "dock", "lighthouse"]
HILLS = ["mountain", "village", "school", "pass", "valley", "shepherd", "slope", "monastery"]


def _siblings(seed: int = 0) -> list[Record]:
    """Six articles on a quake on the coast, then six on a quake in the hills: the first of those joins the
    coast's story, and leaves it (a split) once the next ones arrive."""
    rng = random.Random(seed)
    out = []
    for i in range(12):
        own = COAST if i < 6 else HILLS
        body = " ".join(rng.choice(QUAKE) if rng.random() < 0.45 else rng.choice(own) for _ in range(50))
        out.append(Record(doc_id=f"q{i:02d}", source="test", title=f"{own[0]} {QUAKE[0]} {i}", url=None,
                          outlet="Test Times", published="2024-06-01", text=body))
    return out


class ServeRecords:
    """An extractor that gives back records written beforehand (the linking, not the model, is under test)."""

    def __init__(self, records: list[Record]) -> None:
        self.by_id = {r.doc_id: r for r in records}

    def extract_batch(self, articles):
        return [copy.deepcopy(self.by_id[a.doc_id]) for a in articles]


def _inputs(folder: Path, name: str, records: list[Record]) -> str:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps({"id": r.doc_id, "title": r.title, "text": r.text, "url": r.url,
                                        "published": r.published}) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def save_every_time(monkeypatch):
    """Snapshots saved at every checkpoint here (by default only after linkstate.SAVE_AFTER articles)."""
    monkeypatch.setattr(linkstate, "SAVE_AFTER", 0)


@pytest.fixture(scope="module")
def link_settings() -> Settings:
    # a short lag, so that undecided records straddle the boundary between two ingests
    return load_settings(environ={"NEWSGRAPH_LINK__STORIES__LAG": "4", "NEWSGRAPH_LINK__STORIES__SPLIT_MIN": "2"})


def _content(store) -> tuple[list[str], list[tuple]]:
    with store.engine.connect() as conn:
        rows = sorted(tuple(r) for r in conn.execute(select(*[c for c in stories.c if c.name != "summary"])))
    return sorted(json.dumps(r, sort_keys=True) for r in store.queries.records()), rows


def _ingest(store, settings, path, records) -> None:
    ingest([path], settings, store, extractor=ServeRecords(records))


@pytest.fixture
def second_store(request, tmp_path):
    from newsgraph.store import open_store

    kind = request.node.callspec.params["store"]
    opened = open_store(tmp_path / "second.db" if kind == "sqlite" else request.getfixturevalue("pg_schemas")())
    yield opened
    opened.close()


@pytest.mark.parametrize("save_after", [0, 50], ids=["saved", "replayed"])
@pytest.mark.parametrize(("make", "cut"), [(lambda: _records(40), 23), (_siblings, 7)], ids=["bursts", "split"])
def test_linkstate_ingest_a_then_b_equals_one_run(store, second_store, link_settings, tmp_path, make, cut,
                                                  save_after, monkeypatch):
    monkeypatch.setattr(linkstate, "SAVE_AFTER", save_after)  # 50: A is too small to save, B replays it
    records = make()
    whole = _inputs(tmp_path, "ab", records)
    first, then = _inputs(tmp_path, "a", records[:cut]), _inputs(tmp_path, "b", records[cut:])
    _ingest(second_store, link_settings, whole, records)
    _ingest(store, link_settings, first, records)
    restored = restore_linker(store, link_settings)
    assert (restored.restored, restored.replayed) == ((True, 0) if save_after == 0 else (False, cut))
    _ingest(store, link_settings, then, records)
    assert _content(store) == _content(second_store)
    if cut == 7:  # the last article of the first ingest left its first story in the second
        assert store.queries.article("q06")["story_id"] == store.queries.article("q07")["story_id"]
        assert store.queries.article("q06")["story_id"] != store.queries.article("q00")["story_id"]


def test_linkstate_old_snapshot_is_replayed_once_then_saved(store, link_settings, tmp_path):
    records = _records(12)
    _ingest(store, link_settings, _inputs(tmp_path, "a", records), records)
    with store.engine.begin() as conn:  # as a store written by another version of the linker leaves it
        conn.execute(update(link_state).where(link_state.c.name == linkstate.STATE_KEY)
                     .values(state={"format": 0, "fingerprint": "older", "position": 12}))
    before = _content(store)
    again = restore_linker(store, link_settings)
    assert (again.restored, again.replayed) == (False, 12)
    once_more = restore_linker(store, link_settings)
    assert (once_more.restored, once_more.replayed) == (True, 0)
    assert _content(store) == before


def test_linkstate_records_stored_after_the_snapshot_are_replayed(store, link_settings, tmp_path):
    records = _records(15)
    _ingest(store, link_settings, _inputs(tmp_path, "a", records[:10]), records)
    for record in records[10:]:  # a run killed after these writes, before its next checkpoint
        store.writer.write(copy.deepcopy(record))
    restored = restore_linker(store, link_settings)
    assert (restored.restored, restored.replayed) == (True, 5)
    assert restore_linker(store, link_settings).replayed == 0  # the replay was saved


def test_linkstate_a_snapshot_that_names_other_code_is_refused(store, link_settings, tmp_path):
    records = _records(6)
    _ingest(store, link_settings, _inputs(tmp_path, "a", records), records)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (Path.touch, (marker,))

    data = pickle.dumps((linkstate.FORMAT, {"identities": {"x": Evil()}}))
    with pytest.raises(linkstate.SnapshotError):
        linkstate.load(linkstate.Linker(), data)
    with store.engine.begin() as conn:
        conn.execute(update(link_state).where(link_state.c.name == linkstate.STATE_KEY).values(data=data))
    restored = restore_linker(store, link_settings)  # refused, and replayed instead
    assert not marker.exists()
    assert (restored.restored, restored.replayed) == (False, 6)


def test_linkstate_snapshot_round_trip_keeps_linking_identical(link_settings):
    from newsgraph.link import Linker

    records = _records(30)
    one, two = Linker.from_settings(link_settings), Linker.from_settings(link_settings)
    out_one = [r for rec in copy.deepcopy(records) for r in one.link(rec)]
    out_two = [r for rec in copy.deepcopy(records[:17]) for r in two.link(rec)]
    two = linkstate.load(Linker.from_settings(link_settings), linkstate.dump(two))
    out_two += [r for rec in copy.deepcopy(records[17:]) for r in two.link(rec)]
    out_one += one.flush()
    out_two += two.flush()
    assert [r.to_dict() for r in out_one] == [r.to_dict() for r in out_two]
    assert linkstate.fingerprint(one) == linkstate.fingerprint(two)


def test_linkstate_api_ingest_restores_the_snapshot(store, link_settings, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app
    from newsgraph.extract import pipeline

    records = _siblings()
    _ingest(store, link_settings, _inputs(tmp_path, "a", records[:7]), records)
    monkeypatch.setattr(pipeline, "ArticleExtractor", lambda _settings: ServeRecords(records))
    read = []
    replay = store.queries.records
    monkeypatch.setattr(store.queries, "records", lambda *a, **k: (read.append(1), replay(*a, **k))[1])
    app = create_app(store, allow_write=True, token="t", settings=link_settings)
    with TestClient(app) as client:
        for record in records[7:9]:
            response = client.post("/api/articles", json={"id": record.doc_id, "text": record.text,
                                                          "title": record.title},
                                   headers={"Authorization": "Bearer t"})
            assert response.status_code == 201, response.text
    assert read == []  # the snapshot was restored: no stored record was read again
    assert {store.queries.article(r.doc_id)["doc_id"] for r in records[:9]} == {r.doc_id for r in records[:9]}


def test_linkstate_articles_another_writer_stores_meanwhile_are_taken_in(store, link_settings, tmp_path):
    records = _records(14)
    _ingest(store, link_settings, _inputs(tmp_path, "a", records[:10]), records)
    linker = restore_linker(store, link_settings)
    store.writer.write(copy.deepcopy(records[10]))  # another process (a watch, the API) stores an article
    for record in copy.deepcopy(records[11:13]):
        linker.link(record)
        store.writer.write(record)
    linker.checkpoint()
    assert linker.replayed == 1  # the other writer's article, linked before the save
    again = restore_linker(store, link_settings)
    assert (again.restored, again.replayed) == (True, 0)
    assert {r.doc_id for r in records[10:13]} <= set(again.linker.story_linker.by_doc)


def test_linkstate_one_article_into_a_big_store_leaves_the_snapshot_alone(store, link_settings, tmp_path,
                                                                         monkeypatch):
    records = _records(12)
    _ingest(store, link_settings, _inputs(tmp_path, "a", records[:11]), records)
    saved = linkstate.read_meta(store)
    monkeypatch.setattr(linkstate, "SAVE_AFTER", 50)
    _ingest(store, link_settings, _inputs(tmp_path, "b", records[11:]), records)
    assert linkstate.read_meta(store) == saved  # not written again for one article
    again = restore_linker(store, link_settings)
    assert (again.restored, again.replayed) == (True, 1)  # ... which the next run replays


def test_linkstate_packed_parts_restore_again_untouched_and_link_identically(link_settings):
    """Centroids, statement shingles and postings are saved packed and unpacked when first used; a snapshot
    of a restored linker, saved before or after it linked, links as the linker that never stopped."""
    from newsgraph.link import Linker

    records = _records(40)
    one = Linker.from_settings(link_settings)
    out_one = [r for rec in copy.deepcopy(records) for r in one.link(rec)] + one.flush()
    two = Linker.from_settings(link_settings)
    out_two = [r for rec in copy.deepcopy(records[:15]) for r in two.link(rec)]
    two = linkstate.load(Linker.from_settings(link_settings), linkstate.dump(two))
    # saved again untouched: what is still packed is written as it was read
    two = linkstate.load(Linker.from_settings(link_settings), linkstate.dump(two))
    out_two += [r for rec in copy.deepcopy(records[15:28]) for r in two.link(rec)]
    two = linkstate.load(Linker.from_settings(link_settings), linkstate.dump(two))  # some unpacked, some not
    out_two += [r for rec in copy.deepcopy(records[28:]) for r in two.link(rec)] + two.flush()
    assert [r.to_dict() for r in out_one] == [r.to_dict() for r in out_two]
    assert dict(two.propagator.postings) == one.propagator.postings
    assert {k: s.shingles for k, s in two.propagator.statements.items()} == \
        {k: s.shingles for k, s in one.propagator.statements.items()}
    assert {k: s.centroid for k, s in two.story_linker.active.items()} == \
        {k: s.centroid for k, s in one.story_linker.active.items()}


def test_linkstate_restored_postings_behave_as_a_dict():
    postings = linkstate._unpack_postings(linkstate._pack_postings({"b c": ["Q1", "Q2"], "a b": ["Q2"], "c d": []}))
    assert len(postings) == 3 and "a b" in postings and "x" not in postings
    assert postings.get("a b") == ["Q2"] and postings.get("x", ()) == ()
    postings.setdefault("a b", []).append("Q3")
    assert postings["a b"] == ["Q2", "Q3"]  # the list made once, then the same list
    del postings["b c"]
    assert "b c" not in postings and len(postings) == 2
    with pytest.raises(KeyError):
        postings["b c"]
    postings["e f"] = ["Q4"]
    assert dict(postings.items()) == {"a b": ["Q2", "Q3"], "c d": [], "e f": ["Q4"]}
    again = linkstate._unpack_postings(linkstate._pack_postings(postings))
    assert dict(again) == {"a b": ["Q2", "Q3"], "c d": [], "e f": ["Q4"]}
