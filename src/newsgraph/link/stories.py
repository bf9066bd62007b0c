"""Stories: online clustering of articles about the same event; each article gets its story_id when it is linked.

Every article is turned into one sparse vector: TF-IDF over its title and text words (document frequencies
learnt online, in a fixed-size hashed table), plus its named entities as extra terms. It joins the active
story whose centroid it is most similar to (average-link similarity, discounted by the time gap when both
have dates), or starts a new one. Candidate stories come from inverted postings over each story's top
terms, so the cost per article depends on the posting and candidate caps, never on how many stories
were seen; stories leave the active window when no article joined them for `window_days` (dated
articles) or for `window_articles` articles (undated ones), and their postings go with them.

Stories hold together in time. An article is dated when its publication date was given, or read from
its page or address (`dated_sources`; a date read from the text is not enough). A dated article never
stretches a story's dated members beyond `span_days`; and where the stream has dates at all, an undated
article joins a story (or a dated article an undated story) only on strong evidence: words as close as a
rewrite (`cross_similarity`), or a shared post or quote with close words (`cross_shared`), and only with
a story one of the last `undated_window` articles joined; a copy joins its original before any of this. An undated stream (ECB+) is clustered on its words alone.

Decisions settle with a short lag: the last `lag` articles stay undecided. The first article of a
sibling event (a second earthquake, a second meeting of the same leaders) is often as close to the old
story as its true members are, and joins it; once a few more articles of the new event have arrived,
they are far closer to one another than to the old members, and the story splits: the recent run of
members whose mean similarity to the older ones is below `split_ratio` times the cohesion of either
side becomes a story of its own. Only undecided articles ever move, so a record handed back by `link`
(when it leaves the lag) or by `flush` (end of input) keeps its story_id for good.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..records import Record
from .ids import stable_id
from .terms import ENTITY_LABELS, background, entity_term, tokens


@dataclass
class StoryConfig:
    """The clustering parameters: one configuration, chosen on the dev sets (benchmarks/clusters.py)."""

    # least average-link similarity for an article to join a story; lower than before the span rule (0.19):
    # with members held within span_days, a story can take in more of its coverage without merging across time
    threshold: float = 0.17
    entity_share: float = 0.2  # λ: similarity = (1 - λ) word cosine + λ named-entity cosine
    title_repeat: int = 3  # how many times the title's words count
    window_days: int = 7  # a story whose last article is older than this (by date) leaves the index
    # a story's dated members lie within this many days of one another: a dated article never joins a story
    # it would stretch beyond it, and an undated one joins a story with dated members only on strong
    # evidence (a copy, a shared post or quote), never on words alone
    span_days: int = 30
    # ... or when its words alone are at least this similar to the story's (average link), as close as
    # rewrites of one report are, or when it shares a post or a quote with the story and is cross_shared similar
    # (chosen on NewsWCL50, whose undated articles must join, and the first 704 articles of allsides.jsonl)
    cross_similarity: float = 0.35
    cross_shared: float = 0.25
    # ... and, across that line, only a story that one of the last this many articles joined: nothing else
    # places the undated in time, and a stream arrives roughly in the order of its dates
    undated_window: int = 200
    # which publication dates place an article in time here (`published_source`; extract/published.py): not
    # a date read from the text, often an event's, days or years before publication (on ECB+ dev, counting
    # them, even only to discount similarity by the time gap, costs 0.02 to 0.08 B-cubed F1)
    dated_sources: tuple[str, ...] = ("given", "html", "url")
    window_articles: int = 5000  # ... or that got no article among the last this many undated ones
    time_grace_days: int = 3  # dated article and story this close: no time discount
    time_scale_days: float = 3.0  # beyond the grace, similarity is divided by 1 + (gap - grace) / scale
    index_terms: int = 24  # top terms of an article posted to the inverted index
    posting_cap: int = 64  # story ids kept per posting (the newest)
    candidates: int = 32  # stories scored exactly per article
    centroid_terms: int = 400  # terms kept in a story's centroid
    # shared-quote/post keys kept per story (the most recently cited): a story a watch follows for months
    # would otherwise keep every key its articles ever shared; far more than a story of thousands of
    # articles shares with any one new article
    max_keys: int = 4096
    df_buckets: int = 1 << 20  # size of the hashed document-frequency table
    cohesion: float = 0.0  # ... and at least this share of the story's mean internal similarity
    shared_bonus: float = 0.15  # added when the article shares a quote or post with the story
    # similarity times this when article and story each cite social posts, one of them embeds them,
    # and they share none: a story that grew around embedded posts (a viral video and the replies to it)
    # is about those posts, and an article built on other posts is about something else, however close
    # the words. Quotes alone differ too often between outlets covering one event to count (dev sets),
    # and so do posts only mentioned in passing ("wrote on Twitter") by both sides.
    disjoint_factor: float = 0.5
    disjoint_min: int = 2  # ... at least this many posts on each side, and embedded on one side
    prior_docs: float = 300.0  # weight, in documents, of the background document frequencies
    prior_table: str = "word_freq.tsv"  # word -> Zipf frequency (data/), the background for IDF
    prior_doc_words: int = 400  # typical article length, turning word frequency into document frequency
    lag: int = 32  # articles kept undecided (0: every article settles as soon as it is linked)
    # a story splits when a recent run of its undecided members is, on average, less similar to the older
    # members than this share of the mean similarity within either part (each at least split_min articles)
    split_ratio: float = 0.7
    split_min: int = 3

    def __post_init__(self) -> None:
        self.dated_sources = tuple(self.dated_sources)  # a settings file gives a list


@dataclass
class _State:
    """A story while it is active: its centroid (raw term frequencies summed over unit member vectors)."""

    id: str
    centroid: dict[str, float] = field(default_factory=dict)
    size: int = 0
    norm2: float = 0.0  # squared norm of the idf-weighted centroid when the last member joined
    first: date | None = None
    last: date | None = None
    last_tick: int = 0
    keys: dict[str, None] = field(default_factory=dict)  # shared-quote/post keys, least recently cited first
    posts_cited: int = 0  # distinct posts its articles cite, and embed
    posts_embedded: int = 0
    pending: list[_Pending] = field(default_factory=list)  # its undecided members, in input order
    pairs: float = 0.0  # sum of similarities over pairs of members, each taken when the later one joined


@dataclass
class _Pending:
    """An article inside the lag: its story may still change."""

    record: Record
    state: _State
    tf: dict[str, float]  # its unit vector in tf space (weights / idf when it was linked), as in centroids
    top: list[str]  # its terms posted to the inverted index
    when: date | None
    keys: set[str]


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_TERMS_KEPT = 1 << 18  # terms whose bucket and background frequency are remembered


def shared_keys(record: Record) -> set[str]:
    """What marks the same statement across articles: post ids and normalised quote texts."""
    keys = {"p:" + p.id for p in record.social_posts if p.id}
    for quote in record.quotes:
        if quote.statement_id:
            keys.add("s:" + quote.statement_id)
        else:
            words = tokens(quote.text or "")
            if len(words) >= 5:
                keys.add("q:" + " ".join(words[:12]))
    return keys


def _written(text: str, entity) -> str:
    """The entity as this article writes it at its longest: a story's terms are the articles' own words,
    not a run-wide name that changes as the run grows."""
    words = set(entity.name.lower().split())
    forms = [text[s:e] for s, e in entity.mentions if 0 <= s < e <= len(text)]
    forms = [f for f in forms if words & set(f.lower().split())]  # a mention of this name, not stray offsets
    return max(forms, key=len) if forms else entity.name


class StoryLinker:
    """Online story clustering with bounded state; see the module docstring."""

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
        self.df = np.zeros(self.config.df_buckets, dtype=np.int32)
        self.n_docs = 0
        self.prior: dict[str, float] = {}
        self.prior_default = 0.0
        self._terms: dict[str, tuple[int, float]] = {}
        if self.config.prior_docs:
            self.prior, self.prior_default = background(self.config.prior_table, self.config.prior_doc_words)
        self.tick = 0
        self.latest: date | None = None
        self.active: OrderedDict[str, _State] = OrderedDict()  # least recently joined first
        self.postings: dict[str, deque] = {}
        self.key_index: OrderedDict[str, str] = OrderedDict()  # shared key -> story id
        self.by_doc: dict[str, str] = {}  # doc id -> story id, for duplicates that name their original
        self.by_doc_order: deque[str] = deque()
        self.pending: deque[_Pending] = deque()  # the last `lag` linked articles, undecided

    # ---------------------------------------------------------------- features
    def _term_stats(self, terms) -> list[tuple[int, float]]:
        """Each term's bucket in the df table and its background document count (`prior_docs` x prior)."""
        known = self._terms.get
        return [known(t) or self._learn(t) for t in terms]

    def _learn(self, term: str) -> tuple[int, float]:
        if len(self._terms) >= _TERMS_KEPT:
            self._terms.clear()
        # the same words come back article after article: hashed and looked up once, not per use
        found = self._terms[term] = (zlib.crc32(term.encode("utf-8")) % self.config.df_buckets,
                                     self.config.prior_docs * self.prior.get(term, self.prior_default))
        return found

    def _idfs(self, terms: list[str]) -> dict[str, float]:
        """IDF of each term: online document frequencies smoothed by `prior_docs` background documents."""
        return dict(zip(terms, self._idf_array(terms).tolist(), strict=True))

    def _idf_array(self, terms: list[str]) -> np.ndarray:
        m = self.config.prior_docs
        found = self._term_stats(terms)
        df = self.df[[b for b, _ in found]].astype(np.float64)
        if m:
            df += np.fromiter((p for _, p in found), np.float64, len(terms))
        return np.log((self.n_docs + m + 1) / (df + 1)) + 1.0

    def features(self, record: Record) -> dict[str, float]:
        """Raw (sublinear) term frequencies of words and entity terms; IDF is applied when comparing."""
        counts = Counter(tokens(record.text))
        if record.title:
            title = tokens(record.title)
            for _ in range(self.config.title_repeat):
                counts.update(title)
        for e in record.entities:
            if e.label in ENTITY_LABELS and e.name:
                counts[entity_term(_written(record.text, e))] += max(1, len(e.mentions))
        return {t: 1.0 + math.log(c) for t, c in counts.items()}

    def _weigh(self, tf: dict[str, float], idf: dict[str, float] | None = None) -> dict[str, float]:
        """Unit vector whose dot product is (1 - λ) word cosine + λ entity cosine (λ = entity_share)."""
        idf = idf or self._idfs(list(tf))
        vec = {t: w * idf[t] for t, w in tf.items()}
        share = self.config.entity_share
        ents = {t: w for t, w in vec.items() if t.startswith("e:")}
        words = {t: w for t, w in vec.items() if not t.startswith("e:")}
        out = {}
        for part, weight in ((words, 1.0 - share if ents else 1.0), (ents, share)):
            norm = math.sqrt(sum(w * w for w in part.values())) or 1.0
            scale = math.sqrt(weight) / norm
            out.update((t, w * scale) for t, w in part.items())
        return out

    # ---------------------------------------------------------------- linking
    def link(self, record: Record, terms: dict[str, float] | None = None) -> list[Record]:
        """Give `record` its (tentative) story; return the records that settled, in input order.

        `record.story_id` is set at once; it may still change while the record is among the last `lag`
        linked, and is final in the records returned here or by `flush`. `terms` is `features(record)`
        when it was computed elsewhere.
        """
        cfg = self.config
        self.tick += 1
        self.n_docs += 1
        tf = self.features(record) if terms is None else terms
        self.df[[b for b, _ in self._term_stats(tf)]] += 1  # each term once per document: buckets may collide, rarely
        idf = self._idfs(list(tf))
        vec = self._weigh(tf, idf)
        when = self._when(record)
        if when and (self.latest is None or when > self.latest):
            self.latest = when
        self._expire()
        keys = shared_keys(record)
        cited = (len({p.id for p in record.social_posts if p.id}),
                 len({p.id for p in record.social_posts if p.id and p.embedded}))

        top = self._top(vec)  # what it is found by, and then posted under
        story: _State | None = None
        original = (record.meta or {}).get("duplicate_of")
        if original and self.by_doc.get(original) in self.active:
            story = self.active[self.by_doc[original]]
        else:
            best, best_sim = None, cfg.threshold
            for state in self._candidates(vec, keys, top):
                in_time = self._in_time(state, when)
                if in_time is None:
                    continue
                sim = self._similarity(vec, idf, when, keys, state, cited)
                if in_time and not (sim - cfg.shared_bonus >= cfg.cross_shared and keys & state.keys.keys()) \
                        and sim < cfg.cross_similarity:
                    continue  # without a date to go by: a shared statement and close words, or closer words
                if sim >= best_sim and sim >= cfg.cohesion * self._cohesion(state):
                    best, best_sim = state, sim
            story = best
        if story is None:
            story = _State(id=stable_id("S", record.doc_id))
            self.active[story.id] = story
        item = _Pending(record, story, {t: w / idf[t] for t, w in vec.items()}, top, when, keys)
        story.pending.append(item)
        self._join(story, item, idf)
        story.posts_embedded += cited[1]
        self.pending.append(item)
        if cfg.lag and len(story.pending) >= cfg.split_min:
            self._split(story)
        settled = []
        while len(self.pending) > cfg.lag:
            settled.append(self._settle())
        return settled

    def flush(self) -> list[Record]:
        """Settle every undecided record (end of input, or an interrupted run); returns them in input order."""
        return [self._settle() for _ in range(len(self.pending))]

    def _settle(self) -> Record:
        item = self.pending.popleft()
        item.state.pending.remove(item)
        return item.record

    def _split(self, state: _State) -> None:
        """Split off the recent run of undecided members that is far closer to itself than to the rest.

        Every similarity here is a mean cosine computed from sums of member vectors (today's idf), so the
        test costs O(lag x terms) whatever the story's size: with C the story's centroid and R a run of
        its latest members (all undecided, their vectors kept), C_O = C - C_R and
        mean(O, R) = C_O.C_R / (|O| |R|); within R it is (|C_R|^2 - their own squared norms) / (k (k - 1));
        within O it comes from the story's running sum over member pairs (`pairs`) less the pairs within R
        and across, since O's old vectors are gone and its centroid keeps only its top terms.
        """
        cfg = self.config
        n, m = state.size, cfg.split_min
        if n < 2 * m:
            return
        run = [p for p in state.pending if p.state is state]
        terms = set(state.centroid).union(*(p.tf for p in run))
        idf = self._idfs(list(terms))
        total = {t: c * idf[t] for t, c in state.centroid.items()}
        part: dict[str, float] = {}
        part2 = own = dot = 0.0  # |C_R|^2, members' own squared norms, C.C_R
        best = None
        for k, p in enumerate(reversed(run), 1):
            v = {t: w * idf[t] for t, w in p.tf.items()}
            part2 += 2 * sum(w * part.get(t, 0.0) for t, w in v.items()) + sum(w * w for w in v.values())
            own += sum(w * w for w in v.values())
            dot += sum(w * total.get(t, 0.0) for t, w in v.items())
            for t, w in v.items():
                part[t] = part.get(t, 0.0) + w
            rest = n - k
            if k < m or rest < m:
                continue
            between = (dot - part2) / (k * rest)
            within_r = (part2 - own) / (k * (k - 1))
            # the older members' pairs: all pairs, less those within the run and those across
            pairs_o = state.pairs - (part2 - own) / 2 - (dot - part2)
            within_o = 2 * pairs_o / (rest * (rest - 1))
            floor = min(within_r, within_o)
            if floor > 0 and between < cfg.split_ratio * floor:
                ratio = between / floor
                if best is None or ratio < best[0]:
                    best = (ratio, k, pairs_o)
        if best is None:
            return
        moved = run[len(run) - best[1]:]
        fresh = _State(id=stable_id("S", moved[0].record.doc_id))
        self.active[fresh.id] = fresh
        for p in moved:
            self._leave(state, p)
            p.state = fresh
            fresh.pending.append(p)
            self._join(fresh, p)
        state.pending = [p for p in state.pending if p.state is state]
        state.pairs = best[2]

    def _when(self, record: Record) -> date | None:
        """The article's publication day, when its source places it in time (`dated_sources`)."""
        source = record.published_source or ("given" if record.published else None)
        return _date(record.published) if source in self.config.dated_sources else None

    def _in_time(self, state: _State, when: date | None) -> bool | None:
        """May an article of day `when` (None: undated) join `state`? None: no; False: on its similarity;
        True: only on strong evidence (`cross_similarity`, `cross_shared`).

        Dated article and story: only while the story's dated members stay within `span_days` of it.
        Undated article or story, in a stream where dates are known (some article had one): only on strong
        evidence, a shared post or quote with close words, or words as close as rewrites of one report (a
        copy joins its original before any of this): an undated article that joined on words alone could
        be of any year; and only a story that one of the last `undated_window` articles joined (a stream
        arrives roughly in the order of its dates: the neighbours are what places the undated in time). In a stream with no dates at all, words are all there is.
        """
        if state.first is not None and state.last is not None and when is not None:
            return False if (max(state.last, when) - min(state.first, when)).days <= self.config.span_days else None
        if self.latest is None or state.size == 0:
            return False
        if self.tick - state.last_tick > self.config.undated_window:
            return None
        return True

    def _top(self, vec: dict[str, float]) -> list[str]:
        return [t for t, _ in heapq.nlargest(self.config.index_terms, vec.items(), key=lambda kv: kv[1])]

    def _candidates(self, vec: dict[str, float], keys: set[str], top: list[str]) -> list[_State]:
        """The stories worth scoring: those sharing a key, then those posted under the article's `top` terms."""
        cfg = self.config
        hits: Counter = Counter()
        for key in keys:
            sid = self.key_index.get(key)
            if sid in self.active:
                hits[sid] += 1.0
        for term in top:
            w = vec[term]
            for sid in self.postings.get(term, ()):
                hits[sid] += w
        return [self.active[sid] for sid, _ in hits.most_common(cfg.candidates) if sid in self.active]

    @staticmethod
    def _cohesion(state: _State) -> float:
        """Mean similarity between two members of the story: (|Σ members|² - n) / (n (n - 1))."""
        n = state.size
        return (state.norm2 - n) / (n * (n - 1)) if n > 1 else 0.0

    def _similarity(self, vec: dict[str, float], idf: dict[str, float], when: date | None, keys: set[str],
                    state: _State, cited: tuple[int, int] = (0, 0)) -> float:
        """Average-link similarity: the mean cosine of the article with the story's members."""
        cfg = self.config
        centroid = state.centroid
        dot = 0.0
        for t in vec.keys() & centroid.keys():
            dot += vec[t] * centroid[t] * idf[t]
        # the centroid holds the members' unit vectors divided by the idf of their time: re-weigh with today's
        sim = dot / state.size
        if keys & state.keys.keys():
            sim += cfg.shared_bonus
        elif (min(cited[0], state.posts_cited) >= cfg.disjoint_min
              and max(cited[1], state.posts_embedded) >= cfg.disjoint_min):
            sim *= cfg.disjoint_factor
        if when and state.first and state.last:
            gap = max(0, (state.first - when).days, (when - state.last).days)
            sim /= 1.0 + max(0, gap - cfg.time_grace_days) / cfg.time_scale_days
        return sim

    def _join(self, state: _State, item: _Pending, idf: dict[str, float] | None = None) -> None:
        cfg = self.config
        record, when, keys = item.record, item.when, item.keys
        idf = idf or self._idfs(list(item.tf))
        centroid = state.centroid
        state.pairs += sum(w * idf[t] * centroid.get(t, 0.0) * idf[t] for t, w in item.tf.items())
        # keep unit-vector members as tf-space weights (vec / idf) so that later idf applies afresh
        for t, w in item.tf.items():
            state.centroid[t] = state.centroid.get(t, 0.0) + w
        if len(state.centroid) > 2 * cfg.centroid_terms:
            terms = list(state.centroid)
            weight = np.fromiter(state.centroid.values(), np.float64, len(terms)) * self._idf_array(terms)
            # the heaviest terms, ties in insertion order (a stable sort, as heapq.nlargest)
            kept = {terms[i]: state.centroid[terms[i]]
                    for i in np.argsort(-weight, kind="stable")[:cfg.centroid_terms].tolist()}
            # undecided members keep all their terms: a split takes their exact vectors out again
            for member in state.pending:
                kept.update((t, state.centroid[t]) for t in member.tf)
            state.centroid = kept
        state.size += 1
        if cfg.cohesion:
            now = self._idfs(list(state.centroid))
            state.norm2 = sum((c * now[t]) ** 2 for t, c in state.centroid.items())
        state.last_tick = self.tick
        if when:
            state.first = min(state.first or when, when)
            state.last = max(state.last or when, when)
        self.active.move_to_end(state.id)
        for term in item.top:
            posting = self.postings.get(term)
            if posting is None:
                posting = self.postings[term] = deque(maxlen=cfg.posting_cap)
            if state.id not in posting:
                posting.append(state.id)
        for key in keys:
            self.key_index[key] = state.id
            self.key_index.move_to_end(key)
        for key in sorted(keys):  # sorted: which keys a full story drops never depends on set order
            if state.keys.pop(key, False) is False:  # new to the story (else moved to the newest end)
                state.posts_cited += key.startswith("p:")
            state.keys[key] = None
        while len(state.keys) > cfg.max_keys:
            del state.keys[next(iter(state.keys))]
        while len(self.key_index) > cfg.window_articles * 20:
            self.key_index.popitem(last=False)
        if record.doc_id not in self.by_doc:
            self.by_doc_order.append(record.doc_id)
        self.by_doc[record.doc_id] = state.id
        while len(self.by_doc_order) > cfg.window_articles:
            self.by_doc.pop(self.by_doc_order.popleft(), None)
        record.story_id = state.id

    def _leave(self, state: _State, item: _Pending) -> None:
        """Take an undecided member out of its story (a split): its vector and its count.

        What the story keeps of the member beyond that (time span, shared keys, postings) stays: a
        slightly wider span or a stale posting only costs an exact similarity computed for nothing.
        """
        for t, w in item.tf.items():
            left = state.centroid.get(t, 0.0) - w
            if left > 1e-9:
                state.centroid[t] = left
            else:
                state.centroid.pop(t, None)
        state.size -= 1

    def _expire(self) -> None:
        cfg = self.config
        while self.active:
            sid, state = next(iter(self.active.items()))
            stale = self.tick - state.last_tick > cfg.window_articles
            if state.last and self.latest:
                stale = stale or (self.latest - state.last).days > cfg.window_days
            if not stale or state.pending:  # a story with undecided members may still split
                break
            del self.active[sid]
        # drop postings whose stories are all gone, now and then (bounded: at most the index size)
        if self.tick % 1000 == 0:
            for term in [t for t, p in self.postings.items() if not any(s in self.active for s in p)]:
                del self.postings[term]
