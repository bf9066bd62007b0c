"""Online story clustering: hand-written records, no model."""

from __future__ import annotations

import pytest

from newsgraph.link.stories import StoryConfig, StoryLinker, tokens
from newsgraph.records import DateMention, Entity, Quote, Record


def rec(doc_id: str, title: str, text: str, published: str | None = None,
        ents: list[tuple[str, str]] = (), dates: list[str] = ()) -> Record:
    r = Record(doc_id=doc_id, source="test", title=title, url=None, outlet=None, published=published, text=text)
    r.entities = [Entity(id=f"E{name}", name=name, label=label, mentions=[[0, 1]]) for name, label in ents]
    r.dates = [DateMention(text=d, start=0, end=1, value=d) for d in dates]
    return r


QUAKE = "A strong earthquake struck the coastal province of Velora, collapsing homes and killing dozens of villagers."
QUAKE2 = "Rescuers searched collapsed homes in Velora after the earthquake killed dozens of villagers on the coast."
AID = "Aid convoys reached the province of Velora with tents, water and medicine for families left homeless."
FINAL = "The Harbor Hawks won the national basketball final after a late three-pointer by their captain."
FINAL2 = "A late three-pointer gave the Harbor Hawks the basketball final; their captain scored the winning shot."


def test_stories_tokens_drop_stop_words_and_short_words() -> None:
    assert tokens("The quake hit Velora at 6 am, it said") == ["quake", "hit", "velora", "said"]


def test_stories_same_event_shares_a_story_other_event_apart() -> None:
    linker = StoryLinker()
    records = [rec("a", "Quake hits Velora", QUAKE, ents=[("Velora", "GPE")]),
               rec("b", "Harbor Hawks win final", FINAL, ents=[("Harbor Hawks", "ORG")]),
               rec("c", "Velora quake toll rises", QUAKE2, ents=[("Velora", "GPE")]),
               rec("d", "Hawks take the title", FINAL2, ents=[("Harbor Hawks", "ORG")])]
    for r in records:
        linker.link(r)
    ids = [r.story_id for r in records]
    assert ids[0] == ids[2] and ids[1] == ids[3] and ids[0] != ids[1]
    assert all(i and i.startswith("S") for i in ids)


def test_stories_ids_are_stable_across_runs() -> None:
    def run() -> list[str | None]:
        linker = StoryLinker()
        records = [rec("a", "Quake hits Velora", QUAKE), rec("c", "Velora quake toll rises", QUAKE2)]
        for r in records:
            linker.link(r)
        return [r.story_id for r in records]

    assert run() == run()


def test_stories_time_gap_keeps_similar_events_apart() -> None:
    linker = StoryLinker()
    first = rec("a", "Quake hits Velora", QUAKE, published="2020-01-01")
    later = rec("b", "Velora quake toll rises", QUAKE2, published="2021-06-01")
    linker.link(first)
    linker.link(later)
    assert first.story_id != later.story_id


def test_stories_expire_from_the_active_window() -> None:
    linker = StoryLinker(StoryConfig(window_days=7, lag=0))  # undecided stories stay
    linker.link(rec("a", "Quake hits Velora", QUAKE, published="2020-01-01"))
    linker.link(rec("b", "Hawks win", FINAL, published="2020-03-01"))
    assert [s.id for s in linker.active.values()] == [linker.by_doc["b"]]


def test_stories_duplicate_joins_its_original() -> None:
    linker = StoryLinker()
    a = rec("a", "Quake hits Velora", QUAKE)
    b = rec("b", "Hawks win", FINAL)
    b.meta["duplicate_of"] = "a"
    linker.link(a)
    linker.link(b)
    assert a.story_id == b.story_id


def test_issue_18_dated_article_never_stretches_a_story_beyond_its_span() -> None:
    import datetime as dt

    linker = StoryLinker(StoryConfig(lag=0))
    # one article every three days, each within the time grace of the last: a chain the gap alone never breaks
    days = [(dt.date(2020, 1, 1) + dt.timedelta(days=3 * i)).isoformat() for i in range(12)]
    records = [rec(str(i), "Quake hits Velora", QUAKE, day) for i, day in enumerate(days)]
    for r in records:
        linker.link(r)
    assert len({r.story_id for r in records[:11]}) == 1  # 30 days
    assert records[11].story_id != records[0].story_id  # 33 days


def test_issue_18_undated_article_joins_a_dated_story_only_on_strong_evidence() -> None:
    linker = StoryLinker(StoryConfig(lag=0))
    dated = rec("a", "Quake hits Velora", QUAKE, "2020-01-01")
    dated.quotes = [Quote(text="Rescuers pulled twelve survivors from collapsed fishing houses near the harbour", start=0, end=1, direct=True)]
    same_words = rec("b", "Aid reaches Velora", AID)  # similar (0.33), not a rewrite
    quoting = rec("c", "Aid reaches Velora", AID)
    quoting.quotes = [Quote(text="Rescuers pulled twelve survivors from collapsed fishing houses near the harbour", start=0, end=1, direct=True)]
    linker.link(dated)
    linker.link(same_words)
    assert same_words.story_id != dated.story_id
    linker = StoryLinker(StoryConfig(lag=0))
    linker.link(dated)
    linker.link(quoting)
    assert quoting.story_id == dated.story_id


def test_issue_18_in_a_dated_stream_undated_articles_join_only_close_rewrites() -> None:
    linker = StoryLinker(StoryConfig(lag=0))
    linker.link(rec("x", "Hawks win", FINAL, "2020-01-01"))  # the stream has dates
    a, b, c = rec("a", "Quake hits Velora", QUAKE), rec("b", "Aid reaches Velora", AID), \
        rec("c", "Velora quake toll rises", QUAKE2)
    for r in (a, b, c):
        linker.link(r)
    assert b.story_id != a.story_id  # similar words, no date, nothing shared: apart
    assert c.story_id == a.story_id  # as close as a rewrite (0.58)


def test_issue_18_undated_article_joins_only_recent_stories() -> None:
    def run(fillers: int) -> bool:
        linker = StoryLinker(StoryConfig(lag=0, undated_window=3))
        first = rec("a", "Quake hits Velora", QUAKE, "2020-01-01")
        linker.link(first)
        for i in range(fillers):
            linker.link(rec(f"f{i}", "Hawks win", f"{FINAL} Game {i} report.", "2020-01-02"))
        copy = rec("b", "Velora quake toll rises", QUAKE2)  # undated, words as close as a rewrite
        linker.link(copy)
        return copy.story_id == first.story_id

    assert run(2) and not run(3)


def test_issue_18_undated_articles_still_make_a_story_together() -> None:
    linker = StoryLinker(StoryConfig(lag=0))
    a, b = rec("a", "Quake hits Velora", QUAKE), rec("b", "Velora quake toll rises", QUAKE2)
    linker.link(a)
    linker.link(b)
    assert a.story_id == b.story_id


def test_issue_18_text_dates_do_not_place_an_article_in_time() -> None:
    linker = StoryLinker(StoryConfig(lag=0))
    dated = rec("a", "Quake hits Velora", QUAKE, "2020-01-01")
    guessed = rec("b", "Aid reaches Velora", AID, "2020-01-02")
    guessed.published_source = "text"
    linker.link(dated)
    linker.link(guessed)
    assert linker._when(guessed) is None and guessed.story_id != dated.story_id


@pytest.mark.parametrize("n", [50])
def test_stories_candidates_are_bounded(n: int) -> None:
    cfg = StoryConfig(candidates=4, posting_cap=8)
    linker = StoryLinker(cfg)
    for i in range(n):
        linker.link(rec(str(i), f"Event {i}", f"word{i}x alpha{i}y beta{i}z shared common story text"))
    assert all(len(p) <= 8 for p in linker.postings.values())
    vec = linker._weigh(linker.features(rec("q", "", "shared common story text")))
    assert len(linker._candidates(vec, set(), linker._top(vec))) <= 4


def _posts(*ids: str, embedded: bool = False) -> list:
    from newsgraph.records import SocialPost
    return [SocialPost(id=i, platform="twitter", author=i, handle=i, embedded=embedded) for i in ids]


def test_stories_article_built_on_other_posts_starts_its_own_story() -> None:
    # these hand-written texts are far closer than two real articles: a stronger factor shows the rule
    linker = StoryLinker(StoryConfig(disjoint_factor=0.2))
    a = rec("a", "Quake hits Velora", QUAKE)
    a.social_posts = _posts("P1", "P2", embedded=True)
    b = rec("b", "Velora quake toll rises", QUAKE2)
    b.social_posts = _posts("P3", "P4")
    c = rec("c", "Velora quake toll rises", QUAKE2)
    c.social_posts = _posts("P1", "P5")
    for r in (a, b):
        linker.link(r)
    assert b.story_id != a.story_id  # cites posts, none of the story's embedded ones
    linker = StoryLinker(StoryConfig(disjoint_factor=0.2))
    for r in (a, c):
        linker.link(r)
    assert c.story_id == a.story_id  # shares one of them


def test_stories_settings_come_from_the_link_section() -> None:
    from newsgraph.config import load_settings
    from newsgraph.errors import ConfigError
    from newsgraph.link import Linker

    settings = load_settings(environ={"NEWSGRAPH_LINK__STORIES__THRESHOLD": "0.5"})
    linker = Linker.from_settings(settings)
    assert linker.story_linker.config.threshold == 0.5
    assert linker.story_linker.config.title_repeat == StoryConfig().title_repeat
    assert Linker.from_settings(load_settings(environ={})).story_linker.config == StoryConfig()
    settings.link["stories"]["thresold"] = 0.3
    with pytest.raises(ConfigError, match="link.stories.thresold"):
        Linker.from_settings(settings)


# two earthquakes told in the same words, told apart only by place: the first article of the second one is
# as close to the first story as its own articles are
VELORA = ["A strong earthquake struck Velora province on Monday, collapsing homes and a school; rescuers pulled "
          "survivors from rubble.",
          "Rescuers in Velora province dug through rubble of collapsed homes and a school after Monday's strong "
          "earthquake.",
          "The earthquake that struck Velora province collapsed a school and homes; rescuers searched the rubble "
          "for survivors.",
          "Survivors of the Velora earthquake slept outside as rescuers cleared rubble from the collapsed school "
          "and homes.",
          "Velora province mourned victims of the strong earthquake; rescuers said the collapsed school held most "
          "survivors."]
MARRIN = ["A strong earthquake struck Marrin island on Friday, collapsing homes; rescuers pulled survivors from "
          "rubble near the harbour.",
          "Rescuers on Marrin island dug through rubble of collapsed homes near the harbour after Friday's strong "
          "earthquake.",
          "The earthquake that struck Marrin island collapsed homes by the harbour; rescuers searched the rubble "
          "for survivors.",
          "Survivors of the Marrin island earthquake slept by the harbour as rescuers cleared rubble from "
          "collapsed homes.",
          "Marrin island mourned victims of the strong earthquake; rescuers said the harbour homes held most "
          "survivors."]


def _two_quakes() -> list[Record]:
    return ([rec(f"v{i}", "Velora earthquake", t) for i, t in enumerate(VELORA)]
            + [rec(f"m{i}", "Marrin earthquake", t) for i, t in enumerate(MARRIN)])


def _run(linker: StoryLinker, records: list[Record]) -> list[tuple[str, str | None]]:
    """(doc_id, story_id) of each record as it comes back, settled."""
    out = []
    for r in records:
        out += [(s.doc_id, s.story_id) for s in linker.link(r)]
    return out + [(s.doc_id, s.story_id) for s in linker.flush()]


def test_stories_sibling_event_splits_off_within_the_lag() -> None:
    at_once = dict(_run(StoryLinker(StoryConfig(lag=0)), _two_quakes()))
    assert len(set(at_once.values())) == 1  # decided at once, the second quake joins the first
    lagged = dict(_run(StoryLinker(StoryConfig(lag=32)), _two_quakes()))
    assert len({lagged[f"v{i}"] for i in range(5)}) == 1 and len({lagged[f"m{i}"] for i in range(5)}) == 1
    assert lagged["v0"] != lagged["m0"]


def test_stories_records_come_back_settled_in_input_order() -> None:
    linker = StoryLinker(StoryConfig(lag=2))
    records = _two_quakes()[:5]
    returned = [[r.doc_id for r in linker.link(r)] for r in records]
    assert returned == [[], [], ["v0"], ["v1"], ["v2"]]
    assert [r.doc_id for r in linker.flush()] == ["v3", "v4"]
    assert linker.flush() == []


def test_stories_settled_records_keep_their_story() -> None:
    # a short lag: some records settle before the split; those never change afterwards
    linker = StoryLinker(StoryConfig(lag=4))
    records = _two_quakes()
    seen = _run(linker, records)
    assert [d for d, _ in seen] == [r.doc_id for r in records]
    assert seen == [(r.doc_id, r.story_id) for r in records]


def test_stories_sizes_follow_a_split() -> None:
    linker = StoryLinker()
    records = _two_quakes()
    _run(linker, records)
    members: dict[str, list[str]] = {}
    for r in records:
        members.setdefault(r.story_id, []).append(r.doc_id)
    assert sorted(members.values()) == [[f"m{i}" for i in range(5)], [f"v{i}" for i in range(5)]]
    assert sorted(s.size for s in linker.active.values()) == [5, 5]


def test_stories_linker_hands_back_settled_records() -> None:
    from newsgraph.link import Linker

    linker = Linker(stories=StoryConfig(lag=3))
    records = _two_quakes()
    out = [r for record in records for r in linker.link(record)]
    assert len(out) == len(records) - 3
    out += linker.flush()
    assert [r.doc_id for r in out] == [r.doc_id for r in records]


def test_stories_entity_terms_are_the_article_s_own_words() -> None:
    # the run-wide name of an identity changes as the run grows ("Palin", later "Sarah Palin"); an article's
    # vector holds the entity as the article writes it, so that its story does not depend on what came before
    r = Record(doc_id="a", source="test", title="Vote", url=None, outlet=None, published=None,
               text="Governor Palin spoke at the harbour on Monday.")
    r.entities = [Entity(id="E1", name="Sarah Palin", label="PERSON", mentions=[[9, 14]])]
    features = StoryLinker().features(r)
    assert "e:palin" in features and "e:sarah palin" not in features


def test_stories_shared_keys_kept_per_story_are_bounded() -> None:
    """A story followed for long keeps the keys its newest articles shared, not every key it ever had; what
    it counts of the posts cited stays the distinct posts while nothing was dropped."""
    linker = StoryLinker(StoryConfig(max_keys=6, lag=0))
    records = []
    for i in range(8):
        r = rec(f"a{i}", "Quake hits Velora", QUAKE)
        if i:
            r.meta["duplicate_of"] = "a0"
        r.social_posts = _posts(f"P{i}a", f"P{i}b")
        linker.link(r)
        records.append(r)
        if i == 2:
            (state,) = linker.active.values()
            assert state.posts_cited == 6 and len(state.keys) == 6
    assert len({r.story_id for r in records}) == 1
    (state,) = linker.active.values()
    assert list(state.keys) == [f"p:P{i}{s}" for i in (5, 6, 7) for s in "ab"]
