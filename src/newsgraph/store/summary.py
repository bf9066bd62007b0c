"""Story summaries: title, key entities, key quotes, posts and dated events, recomputed from a story's stored rows.

The writer calls `summarise` for every story an article joins or leaves, inside that article's transaction,
so `stories.title` and `stories.summary` always describe the story's current members, whatever order the
articles came in and whichever run (plain, partitioned, a second ingest) wrote them. Only the story's own
rows are read, in bounded amounts (the first `TITLE_MEMBERS` members for the title, capped lists otherwise).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..link.stories import StoryConfig
from ..link.terms import ENTITY_LABELS, background_idf, tokens
from .schema import IS_SPEECH, articles, dates, entities, mentions, post_citations, quotes

KEY_ENTITIES = 15  # entities kept per story, most mentioned across members first
KEY_QUOTES = 20  # grouped quotes kept (the API shows `quote_limit` of them)
KEY_POSTS = 20
EVENTS = 40  # dated events kept: the most mentioned, then shown in date order
EVENT_ARTICLES = 5  # articles listed under one event (the count says how many mention it)
TITLE_MEMBERS = 100  # members whose headlines compete for the title
LEAD_CHARS = 1500  # the start of each member's text that feeds the title centroid
LEAD_TITLE = 80  # a title made from an article's first sentence is cut here, at a word boundary
SNIPPET_CHARS = 240  # the sentence around a date mention, cut to this many characters around the date
TITLE_REPEAT = StoryConfig.title_repeat  # a headline's words count this many times, as when linking

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
# a sentence ends at . ! ? (and any closing quote or bracket) before white space, or at a line break
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n+")
# ... but not the period of an abbreviation: an initial ("J."), an acronym ("U.S."), a title or a month
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|"
                           r"Prof|Rev|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")


def _ends(text: str, lo: int = 0, hi: int | None = None):
    """Sentence ends in text[lo:hi], as matches of `_SENTENCE_END`."""
    for match in _SENTENCE_END.finditer(text, lo, len(text) if hi is None else hi):
        if match.group().startswith(".") and _ABBREVIATION.search(text, max(0, match.start() - 8), match.start() + 1):
            continue
        yield match


@dataclass
class Member:
    """One article of a story, as far as its title is concerned."""

    doc_id: str
    title: str | None
    lead: str
    published: str | None = None
    vector: dict[str, float] = field(default_factory=dict)


def _idf(term: str) -> float:
    """The background IDF the story linker starts from (link/terms.py), with its settings."""
    cfg = StoryConfig
    return background_idf(term, cfg.prior_table, cfg.prior_doc_words, cfg.prior_docs)


def _unit(counts: Counter) -> dict[str, float]:
    vec = {t: (1.0 + math.log(c)) * _idf(t) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


# Members' texts do not change between the writes of one run, and every write re-reads the same members:
# their vectors are computed once per process (a few thousand: the members of the stories being written).
@lru_cache(maxsize=2048)
def _member_vector(title: str, text: str) -> dict[str, float]:
    counts = Counter(tokens(text))
    for _ in range(TITLE_REPEAT):
        counts.update(tokens(title))
    return _unit(counts)


@lru_cache(maxsize=4096)
def _title_vector(title: str) -> dict[str, float]:
    return _unit(Counter(tokens(title)))


def central_title(members: list[Member]) -> int | None:
    """Index of the most central headline: the one closest to the centroid of all members' words.

    Each member is a unit TF-IDF vector over its headline (repeated) and the start of its text; the headline
    whose own vector has the largest dot product with their sum wins, the earliest member on ties.
    """
    centroid: Counter = Counter()
    for member in members:
        member.vector = _member_vector(member.title or "", member.lead)
        centroid.update(member.vector)
    best, best_score = None, -1.0
    for i, member in enumerate(members):
        if not member.title:
            continue
        score = sum(w * centroid.get(t, 0.0) for t, w in _title_vector(member.title).items())
        if score > best_score + 1e-12:
            best, best_score = i, score
    return best


def cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def lead(text: str | None, limit: int = LEAD_TITLE) -> str | None:
    """The first sentence of an article's text, cut at `limit` characters: a title for untitled articles."""
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or not any(ch.isalnum() for ch in line):
            continue
        end = next(_ends(line + " "), None)
        return cut(line[: end.start() + len(end.group().rstrip())] if end else line, limit)
    return None


def sentence_around(text: str, start: int, end: int, limit: int = SNIPPET_CHARS) -> tuple[str, int, int]:
    """The sentence holding text[start:end], cut to about `limit` characters around it.

    Returns (snippet, mark start, mark end): where the mention is inside the snippet.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    begin = 0
    for match in _ends(text, 0, start):
        begin = match.end()
    stop = len(text)
    found = next(_ends(text, end), None)
    if found:  # the sentence keeps its final punctuation and closing quotes, not the white space after
        stop = found.start() + len(found.group().rstrip())
    # too long: keep a window around the mention, cut at spaces, marked with ellipses
    if stop - begin > limit:
        room = max(0, limit - (end - start)) // 2
        lo, hi = max(begin, start - room), min(stop, end + room)
        if lo > begin:
            space = text.find(" ", lo, start)
            lo = space + 1 if space != -1 else lo
        if hi < stop:
            space = text.rfind(" ", end, hi)
            hi = space if space != -1 else hi
        prefix = "\u2026" if lo > begin else ""
        suffix = "\u2026" if hi < stop else ""
        snippet = prefix + text[lo:hi] + suffix
        return snippet, start - lo + len(prefix), end - lo + len(prefix)
    # leading white space goes; the mark moves with it
    while begin < start and text[begin].isspace():
        begin += 1
    return text[begin:stop], start - begin, end - begin


def _quote_key(row: dict) -> str:
    """What makes two quotes the same statement: the propagated statement id, else the first words."""
    statement = (row.get("extra") or {}).get("statement_id")
    return "s:" + statement if statement else _text_key(row["text"] or "")


@lru_cache(maxsize=1 << 14)
def _text_key(text: str) -> str:
    words = tokens(text)
    if len(words) >= 5:
        return "q:" + " ".join(words[:12])
    return "t:" + " ".join(text.lower().split())


def _title(conn: Connection, story_id: str) -> tuple[str | None, str | None]:
    members = [Member(doc_id=r.doc_id, title=(r.title or "").strip() or None, lead=r.lead or "",
                      published=r.published)
               for r in conn.execute(
                   select(articles.c.doc_id, articles.c.title, articles.c.published,
                          func.substr(articles.c.text, 1, LEAD_CHARS).label("lead"))
                   .where(articles.c.story_id == story_id)
                   .order_by(articles.c.published.nulls_last(), articles.c.id).limit(TITLE_MEMBERS))]
    if not members:
        return None, None
    best = central_title(members)
    if best is not None:
        return members[best].title, "headline"
    for member in members:  # no member has a headline: the first one's opening sentence, never a bare id
        text = lead(member.lead)
        if text:
            return text, "lead"
    return members[0].doc_id, "doc_id"


def _entities(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    n_articles = func.count(func.distinct(mentions.c.article_id))
    n_mentions = func.count(mentions.c.id)
    rows = conn.execute(
        select(entities.c.id, entities.c.name, entities.c.label, n_articles.label("articles"),
               n_mentions.label("mentions"))
        .join(mentions, mentions.c.entity_id == entities.c.id)
        .join(articles, articles.c.id == mentions.c.article_id)
        .where(articles.c.story_id == story_id, entities.c.label.in_(sorted(ENTITY_LABELS)))
        .group_by(entities.c.id, entities.c.name, entities.c.label)
        .order_by(n_articles.desc(), n_mentions.desc(), entities.c.name).limit(KEY_ENTITIES)).mappings()
    return [dict(r) for r in rows]


def _quotes(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(quotes.c.id.label("quote_id"), quotes.c.text, quotes.c.direct, quotes.c.speaker,
               quotes.c.speaker_id, quotes.c.cue, quotes.c.published, quotes.c.extra, quotes.c.article_id,
               articles.c.doc_id, articles.c.title, articles.c.outlet,
               func.coalesce(entities.c.quote_count, 0).label("speaker_quotes"))
        .join(articles, articles.c.id == quotes.c.article_id)
        .outerjoin(entities, entities.c.id == quotes.c.speaker_id)
        .where(quotes.c.story_id == story_id, quotes.c.speaker.is_not(None), quotes.c.speaker != "",
               quotes.c.anonymous.is_(False), IS_SPEECH)
        .order_by(quotes.c.published.nulls_last(), quotes.c.id)).mappings()
    groups: dict[str, dict[str, Any]] = {}
    cited: dict[str, set[int]] = {}
    for row in rows:
        key = _quote_key(row)
        cited.setdefault(key, set()).add(row["article_id"])
        best = groups.get(key)
        # the first to report it stands for the group; one that names the speaker's entity is better
        if best is None or (not best["speaker_id"] and row["speaker_id"]):
            groups[key] = dict(row)
    out = []
    for key, row in groups.items():
        row["citations"] = len(cited[key])
        out.append(row)
    # most cited first; then direct quotes, by speakers quoted most, longer ones first
    out.sort(key=lambda r: (-r["citations"], not r["direct"], -r["speaker_quotes"], -len(r["text"] or ""),
                            r["quote_id"]))
    return [{k: v for k, v in r.items() if k not in ("extra", "article_id", "speaker_quotes")}
            for r in out[:KEY_QUOTES]]


def _posts(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    n = func.count(func.distinct(post_citations.c.article_id))
    rows = conn.execute(
        select(post_citations.c.post_id, n.label("citations"))
        .join(articles, articles.c.id == post_citations.c.article_id)
        .where(articles.c.story_id == story_id)
        .group_by(post_citations.c.post_id).order_by(n.desc(), post_citations.c.post_id).limit(KEY_POSTS))
    return [{"id": post_id, "citations": count} for post_id, count in rows]


def _events(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    """The day-level dates the members mention, each with the sentence that first mentions it."""
    rows = conn.execute(
        select(dates.c.value, dates.c.text, dates.c.start, dates.c.end, articles.c.id, articles.c.doc_id,
               articles.c.title, articles.c.outlet, articles.c.published)
        .join(articles, articles.c.id == dates.c.article_id)
        .where(articles.c.story_id == story_id, dates.c.value.is_not(None))
        .order_by(articles.c.published.nulls_last(), articles.c.id, dates.c.idx)).mappings()
    days: dict[str, dict[str, Any]] = {}
    for row in rows:
        if not _DAY.match(row["value"] or ""):
            continue  # a month, year or week is not one event day
        day = row["value"][:10]
        event = days.get(day)
        if event is None:
            event = days[day] = {"date": day, "first": dict(row), "articles": {}}
        if row["doc_id"] not in event["articles"]:
            event["articles"][row["doc_id"]] = {k: row[k] for k in ("doc_id", "title", "outlet", "published")}
    kept = sorted(days.values(), key=lambda e: (-len(e["articles"]), e["date"]))[:EVENTS]
    texts = {}
    wanted = sorted({e["first"]["id"] for e in kept})
    for i in range(0, len(wanted), 200):
        texts.update((r.id, r.text) for r in conn.execute(
            select(articles.c.id, articles.c.text).where(articles.c.id.in_(wanted[i:i + 200]))))
    out = []
    for event in sorted(kept, key=lambda e: e["date"]):
        first = event["first"]
        snippet, lo, hi = sentence_around(texts.get(first["id"], ""), first["start"], first["end"])
        members = list(event["articles"].values())
        out.append({"date": event["date"], "text": first["text"], "snippet": snippet, "mark": [lo, hi],
                    "doc_id": first["doc_id"], "article_count": len(members), "articles": members[:EVENT_ARTICLES]})
    return out


def summarise(conn: Connection, story_id: str) -> tuple[str | None, dict[str, Any]]:
    """(title, summary) of one story from its stored members: what `stories.title` and `.summary` hold."""
    title, source = _title(conn, story_id)
    return title, {"title_source": source, "entities": _entities(conn, story_id),
                   "quotes": _quotes(conn, story_id), "posts": _posts(conn, story_id),
                   "events": _events(conn, story_id)}
