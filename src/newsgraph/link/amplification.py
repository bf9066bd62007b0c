"""Amplification: a post's origin, the chain of reshares that spread it, the reactions to it, and its coverage.

One structure serves the run (link/posts.py feeds it record by record) and the store (store/queries.py
fills it with the rows around one post): posts with their `reshares` and `reacts_to` edges, and every
article that cited each post, with the metrics that article reported. `PostGraph.view(post_id)` is what
`/api/posts/{id}` returns beside the post itself.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

# What a chain node or a reaction shows of a post (the post page renders these).
NODE_FIELDS = ("id", "platform", "author", "handle", "date", "text", "url", "embedded", "metrics", "reshares",
               "reacts_to", "tone")
CITATION_FIELDS = ("doc_id", "title", "outlet", "published", "url", "embedded")
UNDATED = "9999"  # sorts undated citations after dated ones


def _day(value: str | None) -> str:
    return value or UNDATED


class PostGraph:
    """Posts and their edges, with the articles citing each; bounded walks, so a cycle or a huge tree is safe.

    `max_nodes` caps the chain and the reactions a view returns (a viral post may have thousands).
    """

    def __init__(self, max_nodes: int = 200) -> None:
        self.max_nodes = max_nodes
        self.posts: dict[str, dict[str, Any]] = {}
        self.citations: dict[str, list[dict[str, Any]]] = defaultdict(list)

    # ---- filling
    def add_post(self, post: dict[str, Any]) -> None:
        """A post as one article gives it: later articles fill what earlier ones left out."""
        post_id = post.get("id")
        if not post_id:
            return
        known = self.posts.get(post_id)
        if known is None:
            self.posts[post_id] = {f: post.get(f) for f in NODE_FIELDS}
            self.posts[post_id]["metrics"] = dict(post.get("metrics") or {})
            return
        for f in NODE_FIELDS:
            if f == "metrics":
                for name, value in (post.get("metrics") or {}).items():
                    known["metrics"][name] = max(value, known["metrics"].get(name, value))
            elif f == "text":
                if post.get("text") and len(post["text"]) > len(known.get("text") or ""):
                    known["text"] = post["text"]
            elif f == "embedded":
                known["embedded"] = bool(known.get("embedded") or post.get("embedded"))
            elif known.get(f) in (None, "") and post.get(f) not in (None, ""):
                known[f] = post[f]

    def add_citation(self, post_id: str, citation: dict[str, Any]) -> None:
        """One article citing the post: {doc_id, title, outlet, published, url, embedded, metrics}."""
        cited = self.citations[post_id]
        if any(c.get("doc_id") == citation.get("doc_id") for c in cited):
            return  # the same article naming the post twice is one citation
        cited.append(citation)

    # ---- walking
    def children(self) -> dict[str, list[str]]:
        """post id -> the posts resharing it, oldest first."""
        out: dict[str, list[str]] = defaultdict(list)
        for post_id, post in self.posts.items():
            parent = post.get("reshares")
            if parent and parent != post_id:
                out[parent].append(post_id)
        for ids in out.values():
            ids.sort(key=lambda i: (_day(self.posts[i].get("date")), i))
        return out

    def origin(self, post_id: str) -> str:
        """The first post of the reshares that lead to this one (itself when it shares nothing)."""
        seen = {post_id}
        current = post_id
        while True:
            parent = (self.posts.get(current) or {}).get("reshares")
            if not parent or parent in seen or parent not in self.posts or len(seen) > self.max_nodes:
                return current
            seen.add(parent)
            current = parent

    def chain(self, post_id: str) -> list[dict[str, Any]]:
        """The reshare tree around the post, from its origin down: each node with its `depth` and `parent`.

        Depth first, so the list reads as an indented tree; each node also says when articles first cited it.
        """
        root = self.origin(post_id)
        children = self.children()
        out: list[dict[str, Any]] = []
        stack: list[tuple[str, int, str | None]] = [(root, 0, None)]
        seen: set[str] = set()
        while stack and len(out) < self.max_nodes:
            node_id, depth, parent = stack.pop()
            if node_id in seen or node_id not in self.posts:
                continue
            seen.add(node_id)
            out.append({**self._node(node_id), "depth": depth, "parent": parent, "current": node_id == post_id})
            for child in reversed(children.get(node_id, [])):
                stack.append((child, depth + 1, node_id))
        return out

    def reactions(self, ids: list[str]) -> list[dict[str, Any]]:
        """Posts answering any of `ids` (replies, comments), oldest first, with their tone."""
        wanted = set(ids)
        found = [self._node(i) for i, p in self.posts.items() if p.get("reacts_to") in wanted and i not in wanted]
        found.sort(key=lambda n: (_day(n.get("date")), n.get("first_cited") or UNDATED, n["id"]))
        return found[: self.max_nodes]

    def coverage(self, ids: list[str]) -> list[dict[str, Any]]:
        """Every article citing any of `ids`: outlet and day, in publication order (a timeline)."""
        rows = []
        for post_id in ids:
            for c in self.citations.get(post_id, []):
                rows.append({**{f: c.get(f) for f in CITATION_FIELDS}, "post_id": post_id})
        rows.sort(key=lambda r: (_day(r.get("published")), r.get("doc_id") or "", r["post_id"]))
        return rows

    def reach(self, post_id: str) -> list[dict[str, Any]]:
        """The metrics articles reported for the post, each with the day it was reported: reach over time."""
        rows = [{"reported": c.get("published"), "doc_id": c.get("doc_id"), "outlet": c.get("outlet"),
                 "metrics": dict(c["metrics"])}
                for c in self.citations.get(post_id, []) if c.get("metrics")]
        rows.sort(key=lambda r: (_day(r["reported"]), r["doc_id"] or ""))
        return rows

    def view(self, post_id: str) -> dict[str, Any]:
        """What the post page shows: origin, chain, reactions, coverage and reach of one post."""
        chain = self.chain(post_id) if post_id in self.posts else []
        ids = [n["id"] for n in chain] or [post_id]
        return {"origin": chain[0]["id"] if chain else post_id, "chain": chain, "reactions": self.reactions(ids),
                "coverage": self.coverage(ids), "reach": self.reach(post_id)}

    def _node(self, post_id: str) -> dict[str, Any]:
        post = self.posts[post_id]
        cited = [c.get("published") for c in self.citations.get(post_id, []) if c.get("published")]
        return {**post, "metrics": dict(post.get("metrics") or {}), "first_cited": min(cited) if cited else None,
                "citation_count": len(self.citations.get(post_id, []))}

    # ---- state (kept between ingest runs)
    def to_state(self) -> dict[str, Any]:
        return {"posts": self.posts, "citations": dict(self.citations)}

    def from_state(self, state: dict[str, Any]) -> None:
        self.posts = {k: dict(v) for k, v in (state.get("posts") or {}).items()}
        self.citations = defaultdict(list, {k: list(v) for k, v in (state.get("citations") or {}).items()})
