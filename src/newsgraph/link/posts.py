"""Post identity across articles: every mention of the same social media post shares one id."""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict, defaultdict
from dataclasses import asdict
from typing import Any

from ..data import load_table
from ..records import Record, SocialPost
from .amplification import PostGraph
from .ids import stable_id

LOCAL_ID_PREFIX = "local:"
# Posts the linker remembers (keys, words, citations, reach, graph), least recently seen dropped first: a post
# quiet for this many other posts' sightings is found again only by its URL or words, like a new one would be
# (its id is made from its first key, so the same post still gets the same id). A run's state stays flat.
MAX_POSTS = 50_000
MAX_CITATIONS = 500  # articles and reach reports kept per post (the first ones: where and how it spread)
_WORDS = re.compile(r"\w+")


def _norm_text(text: str | None, words: int = 25) -> str:
    """The first words of a post, case, accents and punctuation aside: the same post quoted twice matches."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"(?:https?://|pic\.twitter\.com/)\S+", " ", text)
    return " ".join(_WORDS.findall(text)[:words])


def _words(text: str | None, words: int = 80) -> str:
    """A post's words, for finding a partial quote of it ("...," she tweeted) inside the full embed."""
    return _norm_text(text, words)


def _norm_name(name: str | None) -> str:
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", name or "").lower()))


class PostLinker:
    """Gives every post a run-wide id and swaps the article-local "local:N" references for it.

    The same post is: the same canonical post URL (a status URL, an Instagram permalink, ...); or the same
    platform + handle/author + text (one text may quote part of the other); a post known only by a mention
    (no text, no URL) is the post the run already knows from that platform, author and day, unless that
    author posted twice that day (then nothing tells which). An undated, textless post that another post in
    its article reshares or answers ("shared Calder's video") is the one post the run knows by that author on
    that platform, when there is just one. Ids come from the first sighting's key, so the same input gives
    the same ids run after run; posts that already carry a run-wide id (records replayed from the store)
    keep it and teach the linker their keys.

    `citations` maps each id to the doc_ids that cite it, `reach` to the metrics reported for it with the
    date of the article that reported them, and `graph` holds the chains (link/amplification.py).
    """

    def __init__(self, platforms: str = "platforms.json", max_posts: int = MAX_POSTS) -> None:
        table: dict[str, Any] = load_table(platforms)
        self.max_posts = max_posts
        # post id -> what indexes it (by_key keys, (platform|person, words) of `texts`, platform|person of
        # `concrete`), least recently seen first: what to take out when it is dropped
        self.seen: OrderedDict[str, tuple[set[str], set[tuple[str, str]], set[str]]] = OrderedDict()
        self.post_urls = {name: re.compile(spec["post_url"]) for name, spec in table.items() if spec.get("post_url")}
        self.by_key: dict[str, str] = {}
        self.ambiguous: set[str] = set()  # day keys two different posts share
        self.texts: dict[str, dict[str, str]] = defaultdict(dict)  # platform|person -> words -> id
        self.concrete: dict[str, list[str]] = defaultdict(list)  # platform|person -> ids with a date, text or URL
        self.citations: dict[str, list[str]] = defaultdict(list)
        self.reach: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.graph = PostGraph()

    def canonical_url(self, post: SocialPost) -> str | None:
        """platform:id for a post URL the table knows (so twitter.com and x.com, ?s=20 and not, agree)."""
        if not post.url:
            return None
        pattern = self.post_urls.get(post.platform)
        m = pattern.search(post.url) if pattern is not None else None
        if m is not None and m.groupdict().get("id"):
            return f"{post.platform}:{m.group('id')}"
        return None

    @staticmethod
    def _people(post: SocialPost) -> list[str]:
        return [p for p in (("h|" + post.handle.lower()) if post.handle else None,
                            ("a|" + _norm_name(post.author)) if post.author else None) if p]

    def keys(self, post: SocialPost, doc_id: str = "") -> list[str]:
        """Every key this post can be recognised by, strongest first."""
        keys = []
        url = self.canonical_url(post)
        if url:
            keys.append("url|" + url)
        body = _norm_text(post.text)
        for person in self._people(post):
            if body:
                keys.append(f"text|{post.platform}|{person}|{body}")
        if post.url and not url:
            keys.append("link|" + post.url.split("?")[0].rstrip("/").lower())
        if not body and not url:
            for person in self._people(post):
                # undated and textless: only this article can tell which post it is
                keys.append(f"day|{post.platform}|{person}|{post.date}" if post.date
                            else f"doc|{doc_id}|{post.platform}|{person}")
        return keys

    def _day_keys(self, post: SocialPost) -> list[str]:
        return [f"day|{post.platform}|{person}|{post.date or ''}" for person in self._people(post)]

    def _register(self, key: str, post_id: str) -> None:
        self._mark(post_id)[0].add(key)
        known = self.by_key.setdefault(key, post_id)
        if known != post_id and key.startswith("day|"):
            self.ambiguous.add(key)  # the same author posted twice that day: a mention cannot tell which

    def _lookup(self, key: str) -> str | None:
        return None if key in self.ambiguous else self.by_key.get(key)

    def _partial(self, post: SocialPost) -> str | None:
        """The one known post by the same author whose words contain this post's words (or the reverse)."""
        words = _words(post.text)
        if len(words.split()) < 4:
            return None
        found = set()
        for person in self._people(post):
            for other, post_id in self.texts.get(f"{post.platform}|{person}", {}).items():
                if len(other.split()) >= 4 and (f" {words} " in f" {other} " or f" {other} " in f" {words} "):
                    found.add(post_id)
        return found.pop() if len(found) == 1 else None

    def _only_post_by(self, post: SocialPost) -> str | None:
        ids = {i for person in self._people(post) for i in self.concrete.get(f"{post.platform}|{person}", [])}
        return ids.pop() if len(ids) == 1 else None

    def post_id(self, post: SocialPost, doc_id: str = "", referenced: bool = False) -> str:
        keys = self.keys(post, doc_id)
        found = next((i for i in map(self._lookup, keys) if i is not None), None)
        if found is None and post.text and not self.canonical_url(post):
            found = self._partial(post)
        if found is None and referenced and not (post.text or post.url or post.date):
            found = self._only_post_by(post)
        if found is None:
            found = stable_id("P", *(keys[:1] or [post.platform, post.author, post.text, post.date]))
        self.remember(post, found, keys)
        return found

    def remember(self, post: SocialPost, post_id: str, keys: list[str] | None = None) -> None:
        """Index a post under every key it can be found by again."""
        # a replayed post's "doc|" key named no article (and that article is done): it is not kept
        for k in keys if keys is not None else [k for k in self.keys(post) if not k.startswith("doc|")]:
            self._register(k, post_id)
        # a later mention of the same author's post that day (no text, no URL) finds this one
        if post.date:
            for k in self._day_keys(post):
                self._register(k, post_id)
        marks = self._mark(post_id)
        for person in self._people(post):
            if post.text:
                words = _words(post.text)
                self.texts[f"{post.platform}|{person}"].setdefault(words, post_id)
                marks[1].add((f"{post.platform}|{person}", words))
            if (post.text or post.date or post.url) and post_id not in self.concrete[f"{post.platform}|{person}"]:
                self.concrete[f"{post.platform}|{person}"].append(post_id)
                marks[2].add(f"{post.platform}|{person}")
        self._bound()

    def _mark(self, post_id: str) -> tuple[set[str], set[tuple[str, str]], set[str]]:
        marks = self.seen.get(post_id)
        if marks is None:
            marks = self.seen[post_id] = (set(), set(), set())
        else:
            self.seen.move_to_end(post_id)
        return marks

    def _bound(self) -> None:
        """Forget the least recently seen posts beyond `max_posts` (every index that names them)."""
        while len(self.seen) > self.max_posts:
            post_id, (keys, texts, people) = self.seen.popitem(last=False)
            for key in keys:
                if self.by_key.get(key) == post_id:
                    del self.by_key[key]
                    self.ambiguous.discard(key)
            for person, words in texts:
                known = self.texts.get(person)
                if known is not None and known.get(words) == post_id:
                    del known[words]
                    if not known:
                        del self.texts[person]
            for person in people:
                ids = self.concrete.get(person)
                if ids is not None and post_id in ids:
                    ids.remove(post_id)
                    if not ids:
                        del self.concrete[person]
            self.citations.pop(post_id, None)
            self.reach.pop(post_id, None)
            self.graph.posts.pop(post_id, None)
            self.graph.citations.pop(post_id, None)

    def link(self, record: Record) -> None:
        local: dict[str, str] = {}
        referenced = {p.reshares for p in record.social_posts} | {p.reacts_to for p in record.social_posts}
        for i, post in enumerate(record.social_posts):
            name = f"{LOCAL_ID_PREFIX}{i}"
            if post.id is None or post.id.startswith(LOCAL_ID_PREFIX):
                post.id = self.post_id(post, record.doc_id, referenced=name in referenced)
            else:  # a stored record replayed: its id stands, and its keys find it again
                self.remember(post, post.id)
            local[name] = post.id
            cited = self.citations[post.id]
            if (not cited or cited[-1] != record.doc_id) and len(cited) < MAX_CITATIONS:  # one at a time, in order
                cited.append(record.doc_id)
            if post.metrics and len(self.reach[post.id]) < MAX_CITATIONS:
                self.reach[post.id].append({"doc_id": record.doc_id, "reported": record.published,
                                            "metrics": dict(post.metrics)})
        for post in record.social_posts:
            post.reshares = local.get(post.reshares, post.reshares) if post.reshares else None
            post.reacts_to = local.get(post.reacts_to, post.reacts_to) if post.reacts_to else None
            self.graph.add_post({**asdict(post), "reshares": post.reshares if post.reshares != post.id else None,
                                 "reacts_to": post.reacts_to if post.reacts_to != post.id else None})
            if len(self.graph.citations.get(post.id, ())) < MAX_CITATIONS:
                self.graph.add_citation(post.id, {"doc_id": record.doc_id, "title": record.title,
                                                  "outlet": record.outlet, "published": record.published,
                                                  "url": record.url, "embedded": bool(post.embedded),
                                                  "metrics": dict(post.metrics or {})})
        for quote in record.quotes:
            post_id = getattr(quote, "post_id", None)
            if post_id in local:
                quote.post_id = local[post_id]

    def view(self, post_id: str) -> dict[str, Any]:
        """Origin, chain of reshares, reactions, coverage and reach of one post, over the run so far."""
        return self.graph.view(post_id)

    # ---- state kept between ingest runs (JSON)
    def to_state(self) -> dict[str, Any]:
        return {"by_key": self.by_key, "ambiguous": sorted(self.ambiguous), "texts": dict(self.texts),
                "concrete": dict(self.concrete), "citations": dict(self.citations), "reach": dict(self.reach),
                "graph": self.graph.to_state(), "seen": list(self.seen)}

    def from_state(self, state: dict[str, Any]) -> None:
        self.by_key = dict(state.get("by_key") or {})
        self.ambiguous = set(state.get("ambiguous") or [])
        self.texts = defaultdict(dict, {k: dict(v) for k, v in (state.get("texts") or {}).items()})
        self.concrete = defaultdict(list, {k: list(v) for k, v in (state.get("concrete") or {}).items()})
        self.citations = defaultdict(list, {k: list(v) for k, v in (state.get("citations") or {}).items()})
        self.reach = defaultdict(list, {k: list(v) for k, v in (state.get("reach") or {}).items()})
        self.graph.from_state(state.get("graph") or {})
        # what indexes each post is not kept here: rebuilt as the posts are seen again
        self.seen = OrderedDict((post_id, (set(), set(), set())) for post_id in state.get("seen") or [])
