"""Amplification chains (issue 8): origin, reshares, reactions, reach and coverage, in a run and in the store.

The fixture folder tests/fixtures/amplification holds four hand-written articles about one story:
whale-1 cites a photographer's Instagram video (and its views on day one); whale-2 embeds a biologist's
tweet sharing that video, a reply to him, and the video's views a day later; whale-3 has a senator
retweeting the biologist and one of the coast guard's two posts; whale-4 embeds both coast guard posts,
made the same day.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.link.amplification import PostGraph
from newsgraph.link.posts import PostLinker
from newsgraph.records import Record, SocialPost

FOLDER = Path(__file__).parent.parent / "fixtures" / "amplification"


def record(doc_id: str, published: str, outlet: str, posts: list[SocialPost]) -> Record:
    rec = Record(doc_id=doc_id, source=doc_id, title=f"About {doc_id}", url=None, outlet=outlet,
                 published=published, text="")
    rec.social_posts = posts
    return rec


def post(platform: str = "twitter", **kw) -> SocialPost:
    return SocialPost(id=None, platform=platform, **kw)


def whale_records() -> list[Record]:
    """The fixture folder's posts as the extractor gives them (what test_amplification_pipeline checks)."""
    calder = {"platform": "instagram", "author": "Iris Calder"}
    reyes = {"author": "Omar Reyes", "date": "2023-04-03"}
    guard = {"author": "Marrow Coast Guard", "handle": "marrowcg", "date": "2023-04-02", "embedded": True}
    return [
        record("whale-1", "2023-04-03", "Harbour Gazette", [post(**calder, date="2023-04-02",
                                                                 metrics={"views": 52000})]),
        record("whale-2", "2023-04-04", "Coastal Post", [
            post(**reyes, handle="omar_reyes_sea", text="Everyone who helped deserves our thanks.", embedded=True,
                 reshares="local:2"),
            post(author="June Harper", handle="juneharper", date="2023-04-03", embedded=True,
                 text="Omar, thank you for sharing this.", tone=0.87, reacts_to="local:0"),
            post(**calder, metrics={"views": 410000})]),
        record("whale-3", "2023-04-05", "Daily Ledger", [
            post(**reyes), post(author="Paula Grant", date="2023-04-04", reshares="local:0"),
            post(**guard, text="Volunteers, please stay off the sandbanks until the tide turns.")]),
        record("whale-4", "2023-04-05", "Harbour Gazette", [
            post(**guard, text="Crews are on the beach with a stranded calf. Please keep your distance."),
            post(**guard, text="Volunteers, please stay off the sandbanks until the tide turns.")]),
    ]


@pytest.fixture
def linked() -> tuple[PostLinker, list[Record]]:
    linker = PostLinker()
    records = whale_records()
    for rec in records:
        linker.link(rec)
    return linker, records


def test_amplification_reshare_chain_across_three_articles(linked):
    linker, (w1, w2, w3, _) = linked
    calder, reyes, grant = w1.social_posts[0], w2.social_posts[0], w3.social_posts[1]
    assert w2.social_posts[2].id == calder.id  # "shared Calder's video": the original w1 cites
    assert w3.social_posts[0].id == reyes.id
    assert (reyes.reshares, grant.reshares) == (calder.id, reyes.id)
    view = linker.view(grant.id)
    assert view["origin"] == calder.id
    assert [(n["author"], n["depth"], n["parent"]) for n in view["chain"]] == [
        ("Iris Calder", 0, None), ("Omar Reyes", 1, calder.id), ("Paula Grant", 2, reyes.id)]
    assert [n["current"] for n in view["chain"]] == [False, False, True]


def test_amplification_reaction_embedded_as_a_tweet(linked):
    linker, (_, w2, _, _) = linked
    reyes, reply = w2.social_posts[0], w2.social_posts[1]
    view = linker.view(reyes.id)
    assert [(r["handle"], r["reacts_to"], r["tone"]) for r in view["reactions"]] == [("juneharper", reyes.id, 0.87)]
    assert reply.id not in [n["id"] for n in view["chain"]]  # a reply answers the chain, it is no part of it


def test_amplification_metric_reported_twice_with_dates(linked):
    linker, (w1, *_) = linked
    reach = linker.view(w1.social_posts[0].id)["reach"]
    assert [(r["reported"], r["outlet"], r["metrics"]) for r in reach] == [
        ("2023-04-03", "Harbour Gazette", {"views": 52000}), ("2023-04-04", "Coastal Post", {"views": 410000})]


def test_amplification_coverage_is_a_timeline_of_outlets(linked):
    linker, (w1, *_) = linked
    coverage = linker.view(w1.social_posts[0].id)["coverage"]
    assert [(c["published"], c["outlet"], c["doc_id"]) for c in coverage] == [
        ("2023-04-03", "Harbour Gazette", "whale-1"), ("2023-04-04", "Coastal Post", "whale-2"),
        ("2023-04-04", "Coastal Post", "whale-2"), ("2023-04-05", "Daily Ledger", "whale-3"),
        ("2023-04-05", "Daily Ledger", "whale-3")]


def test_amplification_same_author_same_day_posts_stay_apart(linked):
    linker, (_, _, w3, w4) = linked
    first, second = w4.social_posts
    assert first.id != second.id
    assert w3.social_posts[2].id == second.id  # the same words in another article: the same post
    # a later mention of "the coast guard's tweet on Sunday" cannot tell which of the two it is
    mention = record("whale-5", "2023-04-06", "Bay Times", [post(author="Marrow Coast Guard", handle="marrowcg",
                                                                 date="2023-04-02")])
    linker.link(mention)
    assert mention.social_posts[0].id not in (first.id, second.id)


def test_amplification_partial_quote_finds_the_full_post():
    linker = PostLinker()
    full = record("a", "2023-01-02", "A", [post(handle="cityhall", text="Roads are closed tonight. Please stay home "
                                                "and keep warm.", date="2023-01-01", embedded=True)])
    part = record("b", "2023-01-03", "B", [post(handle="cityhall", text="Please stay home and keep warm.")])
    linker.link(full)
    linker.link(part)
    assert part.social_posts[0].id == full.social_posts[0].id


def test_amplification_replayed_records_keep_their_ids_and_teach_keys(linked):
    """Records read back from the store carry run-wide ids: a fresh linker learns them (restore_linker)."""
    _, records = linked
    again = PostLinker()
    for rec in records:
        again.link(Record.from_dict(rec.to_dict()))
    later = record("whale-6", "2023-04-07", "Bay Times", [post(author="Omar Reyes", date="2023-04-03")])
    again.link(later)
    assert later.social_posts[0].id == records[1].social_posts[0].id
    assert again.view(later.social_posts[0].id)["origin"] == records[0].social_posts[0].id


def test_amplification_state_round_trips_through_json(linked):
    linker, records = linked
    restored = PostLinker()
    restored.from_state(json.loads(json.dumps(linker.to_state())))
    assert restored.view(records[2].social_posts[1].id) == linker.view(records[2].social_posts[1].id)
    later = record("whale-6", "2023-04-07", "Bay Times", [post(author="Omar Reyes", date="2023-04-03")])
    restored.link(later)
    assert later.social_posts[0].id == records[1].social_posts[0].id


def test_amplification_graph_survives_a_cycle():
    graph = PostGraph()
    graph.add_post({"id": "A", "platform": "twitter", "reshares": "B"})
    graph.add_post({"id": "B", "platform": "twitter", "reshares": "A"})
    assert graph.origin("A") == "B"
    assert {n["id"] for n in graph.chain("A")} <= {"A", "B"}


def test_amplification_graph_fills_gaps_and_keeps_the_largest_metric():
    graph = PostGraph()
    graph.add_post({"id": "A", "platform": "twitter", "metrics": {"views": 10}})
    graph.add_post({"id": "A", "platform": "twitter", "author": "Ana", "text": "Hello there", "metrics": {"views": 5}})
    assert graph.posts["A"]["author"] == "Ana" and graph.posts["A"]["metrics"] == {"views": 10}
    assert graph.view("missing")["chain"] == []


# ---- through the real pipeline: the fixture folder extracted, linked, and stored

@pytest.fixture(scope="module")
def extractor(settings):
    from newsgraph.extract.pipeline import ArticleExtractor

    return ArticleExtractor(settings)


def _by_author(records: list[dict]) -> dict[str, dict]:
    """Each author's post as the first article to cite it gives it."""
    found: dict[str, dict] = {}
    for r in records:
        for p in r["social_posts"]:
            found.setdefault(p["author"] or p["handle"], p)
    return found


@pytest.mark.model
def test_amplification_pipeline_over_the_fixture_folder(settings, extractor):
    import io

    from newsgraph.batch import run_extract

    out = io.StringIO()
    run_extract([str(FOLDER)], settings, out, extractor=extractor)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["doc_id"] for r in records] == ["whale-1", "whale-2", "whale-3", "whale-4"]
    posts = _by_author(records)
    calder, reyes, reply, grant = (posts[n] for n in ("Iris Calder", "Omar Reyes", "June Harper", "Paula Grant"))
    assert reyes["reshares"] == calder["id"] and grant["reshares"] == reyes["id"]
    assert reply["reacts_to"] == reyes["id"] and reply["embedded"] and reply["tone"] > 0
    assert [p["metrics"] for r in records for p in r["social_posts"] if p["id"] == calder["id"]] == [
        {"views": 52000}, {"views": 410000}]
    guard = [p["id"] for p in records[3]["social_posts"]]
    assert len(set(guard)) == 2 and records[2]["social_posts"][-1]["id"] == guard[1]


@pytest.mark.model
def test_amplification_through_the_store(store, settings, extractor):
    """Ingested in two runs (so the second carries on from the store), on SQLite and on PostgreSQL."""
    from newsgraph.store.ingest import ingest

    files = sorted(FOLDER.glob("*.jsonl"))
    ingest([str(f) for f in files[:2]], settings, store, extractor=extractor)
    ingest([str(f) for f in files[2:]], settings, store, extractor=extractor)
    items = store.queries.posts(limit=50)["items"]
    assert len(items) == 6  # Calder, Reyes, Harper, Grant, and the coast guard's two posts of the same day
    assert len([p for p in items if p["handle"] == "marrowcg"]) == 2
    found = {p["author"]: p for p in items}
    detail = store.queries.post(found["Paula Grant"]["id"])
    assert detail["origin"] == found["Iris Calder"]["id"]
    assert [(n["author"], n["depth"]) for n in detail["chain"]] == [
        ("Iris Calder", 0), ("Omar Reyes", 1), ("Paula Grant", 2)]
    assert [(r["handle"], r["reacts_to"]) for r in detail["reactions"]] == [("juneharper", found["Omar Reyes"]["id"])]
    assert detail["reactions"][0]["tone"] > 0
    assert [(c["outlet"], c["published"]) for c in detail["coverage"] if c["post_id"] == found["Omar Reyes"]["id"]] \
        == [("Coastal Post", "2023-04-04"), ("Daily Ledger", "2023-04-05")]
    reach = store.queries.post(found["Iris Calder"]["id"])["reach"]
    assert [(r["reported"], r["metrics"]["views"]) for r in reach] == [("2023-04-03", 52000), ("2023-04-04", 410000)]
