"""Post identity across articles: every mention of the same social media post shares one id."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

from ..data import load_table
from ..records import Record, SocialPost
from .ids import stable_id

LOCAL_ID_PREFIX = "local:"
_WORDS = re.compile(r"\w+")


def _norm_text(text: str | None, words: int = 25) -> str:
    """The first words of a post, case, accents and punctuation aside: the same post quoted twice matches."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"(?:https?://|pic\.twitter\.com/)\S+", " ", text)
    return " ".join(_WORDS.findall(text)[:words])


def _norm_name(name: str | None) -> str:
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", name or "").lower()))


class PostLinker:
    """Gives every post a run-wide id and swaps the article-local "local:N" references for it.

    The same post is: the same canonical post URL (a status URL, an Instagram permalink, ...); or the same
    platform + handle/author + text; a post known only by a mention (no text, no URL) is the post the run
    already knows from that platform, author and day. Ids come from the first sighting's key, so the same
    input gives the same ids run after run. `citations` maps each id to the doc_ids that cite it, and
    `reach` to the metrics reported for it with the date of the article that reported them.
    """

    def __init__(self, platforms: str = "platforms.json") -> None:
        table: dict[str, Any] = load_table(platforms)
        self.post_urls = {name: re.compile(spec["post_url"]) for name, spec in table.items() if spec.get("post_url")}
        self.by_key: dict[str, str] = {}
        self.citations: dict[str, list[str]] = defaultdict(list)
        self.reach: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def canonical_url(self, post: SocialPost) -> str | None:
        """platform:id for a post URL the table knows (so twitter.com and x.com, ?s=20 and not, agree)."""
        if not post.url:
            return None
        pattern = self.post_urls.get(post.platform)
        m = pattern.search(post.url) if pattern is not None else None
        if m is not None and m.groupdict().get("id"):
            return f"{post.platform}:{m.group('id')}"
        return None

    def keys(self, post: SocialPost, doc_id: str = "") -> list[str]:
        """Every key this post can be recognised by, strongest first."""
        keys = []
        url = self.canonical_url(post)
        if url:
            keys.append("url|" + url)
        who = [("h|" + post.handle.lower()) if post.handle else None,
               ("a|" + _norm_name(post.author)) if post.author else None]
        body = _norm_text(post.text)
        for person in filter(None, who):
            if body:
                keys.append(f"text|{post.platform}|{person}|{body}")
        if post.url and not url:
            keys.append("link|" + post.url.split("?")[0].rstrip("/").lower())
        if not body and not url:
            for person in filter(None, who):
                # undated and textless: only this article can tell which post it is
                keys.append(f"day|{post.platform}|{person}|{post.date}" if post.date
                            else f"doc|{doc_id}|{post.platform}|{person}")
        return keys

    def _day_keys(self, post: SocialPost) -> list[str]:
        who = [("h|" + post.handle.lower()) if post.handle else None,
               ("a|" + _norm_name(post.author)) if post.author else None]
        return [f"day|{post.platform}|{person}|{post.date or ''}" for person in who if person]

    def post_id(self, post: SocialPost, doc_id: str = "") -> str:
        keys = self.keys(post, doc_id)
        found = next((self.by_key[k] for k in keys if k in self.by_key), None)
        if found is None:
            found = stable_id("P", *(keys[:1] or [post.platform, post.author, post.text, post.date]))
        for k in keys:
            self.by_key.setdefault(k, found)
        # a later mention of the same author's post that day (no text, no URL) finds this one
        if post.date:
            for k in self._day_keys(post):
                self.by_key.setdefault(k, found)
        return found

    def link(self, record: Record) -> None:
        local: dict[str, str] = {}
        for i, post in enumerate(record.social_posts):
            if post.id is None or post.id.startswith(LOCAL_ID_PREFIX):
                post.id = self.post_id(post, record.doc_id)
            local[f"{LOCAL_ID_PREFIX}{i}"] = post.id
            cited = self.citations[post.id]
            if not cited or cited[-1] != record.doc_id:  # records come one at a time, in order
                cited.append(record.doc_id)
            if post.metrics:
                self.reach[post.id].append({"doc_id": record.doc_id, "reported": record.published,
                                            "metrics": dict(post.metrics)})
        for post in record.social_posts:
            post.reshares = local.get(post.reshares, post.reshares) if post.reshares else None
            post.reacts_to = local.get(post.reacts_to, post.reacts_to) if post.reacts_to else None
        for quote in record.quotes:
            post_id = getattr(quote, "post_id", None)
            if post_id in local:
                quote.post_id = local[post_id]
