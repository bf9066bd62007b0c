"""Post identity across a run: one id per post, local references swapped, citations and reach kept."""

from __future__ import annotations

from newsgraph.link.posts import PostLinker
from newsgraph.records import Quote, Record, SocialPost


def record(doc_id: str, posts: list[SocialPost], published: str | None = None, quotes=None) -> Record:
    rec = Record(doc_id=doc_id, source=doc_id, title=None, url=None, outlet=None, published=published, text="")
    rec.social_posts = posts
    rec.quotes = quotes or []
    return rec


def tweet(**kw) -> SocialPost:
    return SocialPost(id=None, **{"platform": "twitter", **kw})


def test_posts_same_status_url_one_id():
    linker = PostLinker()
    a = record("a", [tweet(handle="LenaPark", url="https://twitter.com/LenaPark/status/123?s=20", embedded=True)])
    b = record("b", [tweet(handle="lenapark", url="https://x.com/LenaPark/status/123")])
    linker.link(a)
    linker.link(b)
    assert a.social_posts[0].id == b.social_posts[0].id
    assert linker.citations[a.social_posts[0].id] == ["a", "b"]


def test_posts_flattened_text_same_post_across_articles():
    linker = PostLinker()
    text = "We did it. The bridge will be built!"
    a = record("a", [tweet(handle="LenaPark", text=text, date="2021-08-13", embedded=True)])
    b = record("b", [tweet(handle="LenaPark", text=text + " pic.twitter.com/Ab12", date="2021-08-13", embedded=True)])
    linker.link(a)
    linker.link(b)
    assert a.social_posts[0].id == b.social_posts[0].id


def test_posts_mention_finds_the_embedded_post_of_that_day():
    linker = PostLinker()
    a = record("a", [tweet(handle="AnaRuiz", author="Ana Ruiz", text="Look.", date="2021-08-13", embedded=True)])
    b = record("b", [tweet(author="Ana Ruiz", date="2021-08-13", metrics={"views": 1700000})], published="2021-08-16")
    linker.link(a)
    linker.link(b)
    assert a.social_posts[0].id == b.social_posts[0].id
    assert linker.reach[a.social_posts[0].id] == [{"doc_id": "b", "reported": "2021-08-16",
                                                   "metrics": {"views": 1700000}}]


def test_posts_undated_mentions_stay_apart_across_articles():
    linker = PostLinker()
    a = record("a", [tweet(author="Ana Ruiz")])
    b = record("b", [tweet(author="Ana Ruiz")])
    linker.link(a)
    linker.link(b)
    assert a.social_posts[0].id != b.social_posts[0].id


def test_issue_8_two_posts_same_author_same_day_keep_two_ids():
    linker = PostLinker()
    rec = record("a", [tweet(handle="cityhall", text="First update: roads are closed.", date="2022-05-02"),
                       tweet(handle="cityhall", text="Second update: roads are open.", date="2022-05-02")])
    linker.link(rec)
    assert rec.social_posts[0].id != rec.social_posts[1].id


def test_posts_local_references_swapped():
    linker = PostLinker()
    quote = Quote(text="Look.", start=0, end=5, direct=True, post_id="local:1")
    rec = record("a", [SocialPost(id=None, platform="instagram", author="Ana Ruiz"),
                       tweet(author="Ben Cole", text="Look.", reshares="local:0"),
                       tweet(handle="max_k", text="So sad", reacts_to="local:1")], quotes=[quote])
    linker.link(rec)
    ids = [p.id for p in rec.social_posts]
    assert rec.social_posts[1].reshares == ids[0]
    assert rec.social_posts[2].reacts_to == ids[1]
    assert quote.post_id == ids[1]
    assert not any(i.startswith("local:") for i in ids)


def test_posts_ids_stable_across_runs():
    def run():
        linker = PostLinker()
        rec = record("a", [tweet(handle="LenaPark", text="Hello there friends", date="2021-01-01"),
                           SocialPost(id=None, platform="youtube", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")])
        linker.link(rec)
        return [p.id for p in rec.social_posts]

    assert run() == run()


def test_issue_8_reshare_chain_across_three_articles():
    """The origin, its reshare, and a reaction to the reshare, each cited by a different article."""
    linker = PostLinker()
    a = record("a", [SocialPost(id=None, platform="instagram", author="Ana Ruiz", date="2021-08-15")])
    b = record("b", [SocialPost(id=None, platform="instagram", author="Ana Ruiz", date="2021-08-15"),
                     tweet(handle="BenCole", author="Ben Cole", text="Watch this.", date="2021-08-15",
                           reshares="local:0")])
    c = record("c", [tweet(handle="BenCole", author="Ben Cole", text="Watch this.", date="2021-08-15"),
                     tweet(handle="max_k", text="Ben, this is awful.", date="2021-08-16", reacts_to="local:0")])
    for rec in (a, b, c):
        linker.link(rec)
    origin, reshare, reaction = a.social_posts[0], b.social_posts[1], c.social_posts[1]
    assert b.social_posts[0].id == origin.id
    assert reshare.reshares == origin.id
    assert c.social_posts[0].id == reshare.id
    assert reaction.reacts_to == reshare.id
    assert linker.citations[origin.id] == ["a", "b"]
    assert linker.citations[reshare.id] == ["b", "c"]


def test_issue_8_metric_reported_twice_keeps_both_reports():
    linker = PostLinker()
    url = "https://www.instagram.com/p/CXyZ123abc/"
    a = record("a", [SocialPost(id=None, platform="instagram", url=url, metrics={"views": 200000})], "2022-03-08")
    b = record("b", [SocialPost(id=None, platform="instagram", url=url, metrics={"views": 1500000})], "2022-03-10")
    linker.link(a)
    linker.link(b)
    reports = linker.reach[a.social_posts[0].id]
    assert [(r["reported"], r["metrics"]["views"]) for r in reports] == [("2022-03-08", 200000), ("2022-03-10", 1500000)]


def test_posts_index_is_bounded_and_forgets_the_least_recently_seen() -> None:
    linker = PostLinker(max_posts=3)
    ids = []
    for i in range(5):
        r = record(f"d{i}", [tweet(author=f"Writer {i}", text=f"Post number {i} about the harbour vote today",
                                   date="2021-08-13")])
        linker.link(r)
        ids.append(r.social_posts[0].id)
    assert list(linker.seen) == ids[2:]
    assert set(linker.citations) == set(ids[2:]) and set(linker.graph.posts) == set(ids[2:])
    assert all(v in ids[2:] for v in linker.by_key.values())
    assert sum(len(v) for v in linker.texts.values()) == 3
    # a forgotten post seen again gets the same id (made from its first key), and is remembered again
    again = record("d9", [tweet(author="Writer 0", text="Post number 0 about the harbour vote today",
                                date="2021-08-13")])
    linker.link(again)
    assert again.social_posts[0].id == ids[0]
    assert list(linker.seen)[-1] == ids[0] and len(linker.seen) == 3
