"""Reading the store: every page and API endpoint is one method here, returning plain JSON-ready dicts."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any
from urllib.parse import quote as quote_path

from sqlalchemy import and_, case, func, or_, select, text, true
from sqlalchemy.engine import Connection, Engine

from ..link.amplification import PostGraph
from ..records import is_speech
from .schema import (
    IS_SPEECH,
    QUOTE_KIND,
    amounts,
    articles,
    dates,
    entities,
    mentions,
    post_citations,
    quotes,
    roles,
    social_posts,
    stories,
)
from .sqlite import MAX_TERMS
from .summary import lead, summarise

ARTICLE_SUMMARY = (articles.c.doc_id, articles.c.title, articles.c.outlet, articles.c.published,
                   articles.c.published_source, articles.c.url, articles.c.story_id, articles.c.tone)
QUOTE_FIELDS = ("text", "start", "end", "direct", "speaker", "speaker_id", "speaker_span", "cue", "anonymous",
                "spans", "post_id")
LIST_ENTITIES = 4  # key entities per story in the story list
OUTLET_RECENT = 1000  # an outlet page's "quoted most": among its latest this many articles
GRAPH_EDGES = 300  # edges of a graph on a page: past this, the heaviest
POST_FIELDS = ("id", "platform", "author", "handle", "date", "text", "url", "embedded", "metrics", "reshares",
               "reacts_to", "citation_count")


# Sort orders of the lists by name, the first the default (issue 19): the pages offer them, the API takes them.
SORTS: dict[str, dict[str, tuple]] = {
    "articles": {
        "newest": (articles.c.published.desc().nulls_last(), articles.c.doc_id),
        "oldest": (articles.c.published.asc().nulls_last(), articles.c.doc_id),
        "outlet": (articles.c.outlet.asc().nulls_last(), articles.c.published.desc().nulls_last(), articles.c.doc_id),
        "title": (articles.c.title.asc().nulls_last(), articles.c.doc_id),
    },
    "quotes": {
        "newest": (quotes.c.published.desc().nulls_last(), articles.c.doc_id, quotes.c.idx),
        "oldest": (quotes.c.published.asc().nulls_last(), articles.c.doc_id, quotes.c.idx),
        "speaker": (quotes.c.speaker.asc().nulls_last(), quotes.c.published.desc().nulls_last(), articles.c.doc_id,
                    quotes.c.idx),
    },
    "posts": {
        "cited": (social_posts.c.citation_count.desc(), social_posts.c.date.desc().nulls_last(), social_posts.c.id),
        "newest": (social_posts.c.date.desc().nulls_last(), social_posts.c.id),
        "oldest": (social_posts.c.date.asc().nulls_last(), social_posts.c.id),
    },
    "stories": {
        "size": (stories.c.article_count.desc(), stories.c.last_published.desc().nulls_last(), stories.c.id),
        "newest": (stories.c.last_published.desc().nulls_last(), stories.c.article_count.desc(), stories.c.id),
        "oldest": (stories.c.first_published.asc().nulls_last(), stories.c.article_count.desc(), stories.c.id),
    },
    "entities": {
        "articles": (entities.c.article_count.desc(), entities.c.quote_count.desc(), entities.c.name),
        "quotes": (entities.c.quote_count.desc(), entities.c.article_count.desc(), entities.c.name),
        "name": (entities.c.name, entities.c.id),
    },
}


def _order(kind: str, sort: str | None) -> tuple:
    orders = SORTS[kind]
    return orders.get(sort or "", next(iter(orders.values())))


def page(items: list[dict], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# what a reader is shown of an entity (its vote counts stay in the store: writer.py)
ENTITY_COLUMNS = [c for c in entities.c if c.name != "votes"]


def role_url(doc_id: str, start: int | None, end: int | None) -> str:
    """The article page with the role's words marked (`?at=START-END`), or the article page alone."""
    base = f"/articles/{quote_path(doc_id, safe='')}"
    return f"{base}?at={start}-{end}" if start is not None and end is not None else base


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Queries:
    """Every read of the store. Each method reads on one connection: its own, or the one `bound` to a request
    (the server), so that a request holds one connection from its first read to its end, whatever it calls."""

    def __init__(self, engine: Engine, dialect: ModuleType) -> None:
        self.engine = engine
        self.dialect = dialect
        self._conn: Connection | None = None

    def bound(self, conn: Connection) -> Queries:
        """These queries, all run on `conn` (which the caller opens and closes)."""
        bound = copy.copy(self)
        bound._conn = conn
        return bound

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        with self.engine.connect() as conn:
            yield conn

    # ---- stories
    STORY_COLUMNS = (stories.c.id, stories.c.title, stories.c.article_count, stories.c.undated_count,
                     stories.c.first_published, stories.c.last_published)

    def _stories_select(self, since: str | None = None, until: str | None = None, q: str | None = None,
                        min_articles: int | None = None, sort: str | None = None):
        """Stories that overlap [since, until], whose title holds `q`, of at least `min_articles` articles."""
        where = []
        if since:
            where.append(stories.c.last_published >= since)
        if until:
            where.append(stories.c.first_published <= _until(until))
        if q:
            where.append(stories.c.title.ilike(_like(q), escape="\\"))
        if min_articles:
            where.append(stories.c.article_count >= min_articles)
        cond = and_(true(), *where)
        return select(*self.STORY_COLUMNS).where(cond).order_by(*_order("stories", sort)), cond, {}

    def stories(self, limit: int = 20, offset: int = 0, *, since: str | None = None, until: str | None = None,
                q: str | None = None, min_articles: int | None = None, sort: str | None = None) -> dict[str, Any]:
        stmt, cond, _ = self._stories_select(since, until, q, min_articles, sort)
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(stories).where(cond)).scalar_one()
            rows = conn.execute(stmt.add_columns(stories.c.summary).limit(limit).offset(offset)).mappings().all()
            coverage = self._coverage(conn, [r["id"] for r in rows])
        items = []
        for r in rows:
            summary = r["summary"] or {}
            # the list shows who a story is about: its few most mentioned entities
            items.append({**{k: v for k, v in r.items() if k != "summary"},
                          "title_source": summary.get("title_source"),
                          "entities": [{k: e[k] for k in ("id", "name", "label")}
                                       for e in (summary.get("entities") or [])[:LIST_ENTITIES]],
                          "coverage": coverage.get(r["id"], [])})
        return page(items, total, limit, offset)

    @staticmethod
    def _coverage(conn: Connection, story_ids: list[str]) -> dict[str, list[dict]]:
        """Articles per publication day, per story: the sparkline of the story list."""
        out: dict[str, list[dict]] = defaultdict(list)
        if not story_ids:
            return out
        rows = conn.execute(select(articles.c.story_id, articles.c.published, func.count())
                            .where(articles.c.story_id.in_(story_ids), articles.c.published.is_not(None))
                            .group_by(articles.c.story_id, articles.c.published)
                            .order_by(articles.c.story_id, articles.c.published))
        for story_id, day, count in rows:
            out[story_id].append({"date": day, "count": count})
        return out

    def story(self, story_id: str, quote_limit: int = 20) -> dict[str, Any] | None:
        """One story's summary (store/summary.py, kept by the writer) with its members and current rows.

        `timeline` is the dated events the articles mention; `publication` the articles by publication day.
        """
        with self._connect() as conn:
            row = conn.execute(select(*self.STORY_COLUMNS, stories.c.summary)
                               .where(stories.c.id == story_id)).mappings().first()
            if row is None:
                return None
            summary = row["summary"] or summarise(conn, story_id)[1]
            arts = []
            for r in conn.execute(select(*ARTICLE_SUMMARY, func.substr(articles.c.text, 1, 400).label("start"))
                                  .where(articles.c.story_id == story_id)
                                  .order_by(articles.c.published.nulls_last(), articles.c.doc_id)).mappings():
                # an article without a headline is shown by its first sentence, not by its file name
                arts.append({**{k: v for k, v in r.items() if k != "start"},
                             **({} if r["title"] else {"lead": lead(r["start"])})})
            # names, labels and posts as they are now: other stories' articles may have changed them since
            people = summary.get("entities") or []
            current = {r.id: r for r in conn.execute(select(entities.c.id, entities.c.name, entities.c.label)
                                                     .where(entities.c.id.in_([e["id"] for e in people])))}
            people = [{**e, "name": current[e["id"]].name, "label": current[e["id"]].label}
                      for e in people if e["id"] in current]
            cited = {p["id"]: p["citations"] for p in summary.get("posts") or []}
            posts = {r["id"]: {**dict(r), "story_citations": cited[r["id"]]} for r in conn.execute(
                select(*[social_posts.c[f] for f in POST_FIELDS]).where(social_posts.c.id.in_(list(cited))))
                .mappings()}
            coverage = self._coverage(conn, [story_id]).get(story_id, [])
        days: dict[str, list[dict]] = defaultdict(list)
        for art in arts:
            days[art["published"] or "undated"].append(art)
        key_quotes = [{**q, "story_id": story_id} for q in (summary.get("quotes") or [])[:quote_limit]]
        return {**{k: v for k, v in row.items() if k != "summary"}, "title_source": summary.get("title_source"), "coverage": coverage,
                "articles": arts, "timeline": summary.get("events") or [],
                "publication": [{"date": d, "articles": a} for d, a in days.items()],
                "quotes": key_quotes, "posts": [posts[p] for p in cited if p in posts], "entities": people}

    # ---- articles
    def _articles_select(self, story_id: str | None = None, outlet: str | None = None, since: str | None = None,
                         until: str | None = None, q: str | None = None, sort: str | None = None):
        where = []
        if story_id:
            where.append(articles.c.story_id == story_id)
        if outlet:
            where.append(articles.c.outlet == outlet)
        if since:
            where.append(articles.c.published >= since)
        if until:
            where.append(articles.c.published <= _until(until))
        if q:  # words of the title (the search page searches the text)
            where.append(articles.c.title.ilike(_like(q), escape="\\"))
        cond = and_(true(), *where)
        return select(*ARTICLE_SUMMARY).where(cond).order_by(*_order("articles", sort)), cond, {}

    def articles(self, limit: int = 20, offset: int = 0, story_id: str | None = None, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, *, q: str | None = None,
                 sort: str | None = None) -> dict[str, Any]:
        stmt, cond, _ = self._articles_select(story_id, outlet, since, until, q, sort)
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(articles).where(cond)).scalar_one()
            items = [dict(r) for r in conn.execute(stmt.limit(limit).offset(offset)).mappings()]
        return page(items, total, limit, offset)

    def outlets(self, limit: int = 500) -> list[dict[str, Any]]:
        """Outlets with their article counts, most articles first."""
        n = func.count().label("article_count")
        with self._connect() as conn:
            rows = conn.execute(select(articles.c.outlet, n, func.min(articles.c.published).label("first_published"),
                                       func.max(articles.c.published).label("last_published"))
                                .where(articles.c.outlet.is_not(None)).group_by(articles.c.outlet)
                                .order_by(n.desc(), articles.c.outlet).limit(limit)).mappings()
            return [dict(r) for r in rows]

    def article(self, doc_id: str) -> dict[str, Any] | None:
        """The contract record of one article, as `newsgraph extract` wrote it (plus its story's title)."""
        with self._connect() as conn:
            row = conn.execute(select(articles).where(articles.c.doc_id == doc_id)).mappings().first()
            if row is None:
                return None
            return self._record(conn, row)

    def records(self, batch: int = 200, *, after: int = 0, upto: int | None = None):
        """Every stored record in ingest order, for export; or those with `after` < articles.id <= `upto`."""
        last = after
        while True:
            with self._connect() as conn:
                query = select(articles).where(articles.c.id > last)
                if upto is not None:
                    query = query.where(articles.c.id <= upto)
                rows = conn.execute(query.order_by(articles.c.id).limit(batch)).mappings().all()
                if not rows:
                    return
                out = [self._record(conn, row) for row in rows]
            last = rows[-1]["id"]
            yield from out

    def _record(self, conn: Connection, row) -> dict[str, Any]:
        aid = row["id"]
        ents: dict[int, dict] = {}
        for m in conn.execute(select(mentions.c.idx, mentions.c.entity_id, mentions.c.name, entities.c.label,
                                     mentions.c.start, mentions.c.end, mentions.c.extra)
                              .join(entities, entities.c.id == mentions.c.entity_id)
                              .where(mentions.c.article_id == aid).order_by(mentions.c.idx, mentions.c.start)):
            entity = ents.setdefault(m.idx, {"id": m.entity_id, "name": m.name, "label": m.label,
                                             "mentions": [], "roles": [], "role_spans": [], **(m.extra or {})})
            if m.start >= 0:
                entity["mentions"].append([m.start, m.end])
        by_id = {e["id"]: e for e in ents.values()}
        for r in conn.execute(select(roles.c.entity_id, roles.c.role, roles.c.start, roles.c.end)
                              .where(roles.c.article_id == aid).order_by(roles.c.id)):
            if r.entity_id in by_id:
                by_id[r.entity_id]["roles"].append(r.role)
                if r.start is not None:
                    by_id[r.entity_id]["role_spans"].append([r.start, r.end])
        for e in by_id.values():
            if len(e["role_spans"]) != len(e["roles"]):
                e["role_spans"] = []  # roles stored before spans were: the record had none
        quote_rows = conn.execute(select(quotes).where(quotes.c.article_id == aid).order_by(quotes.c.idx)).mappings()
        said = [{**{f: q[f] for f in QUOTE_FIELDS}, **(q["extra"] or {})} for q in quote_rows]
        posts = [dict(r.record) for r in conn.execute(
            select(post_citations.c.record).where(post_citations.c.article_id == aid).order_by(post_citations.c.idx))]
        date_rows = conn.execute(select(dates.c.text, dates.c.start, dates.c.end, dates.c.value, dates.c.extra)
                                 .where(dates.c.article_id == aid).order_by(dates.c.idx)).mappings()
        amount_rows = conn.execute(select(amounts.c.text, amounts.c.start, amounts.c.end, amounts.c.value,
                                          amounts.c.object, amounts.c.approx, amounts.c.extra)
                                   .where(amounts.c.article_id == aid).order_by(amounts.c.idx)).mappings()
        return {
            "doc_id": row["doc_id"], "source": row["source"], "title": row["title"], "url": row["url"],
            "outlet": row["outlet"], "published": row["published"], "published_source": row["published_source"],
            "text": row["text"],
            "entities": [ents[i] for i in sorted(ents)],
            "quotes": [q for q in said if is_speech(q.get("kind"))],
            "stances": [q for q in said if not is_speech(q.get("kind"))],
            "social_posts": posts,
            "dates": [_merge(d) for d in date_rows],
            "amounts": [{**_merge(a), "value": _number(a["value"])} for a in amount_rows],
            "tone": row["tone"], "story_id": row["story_id"], "errors": list(row["errors"] or []),
            "authors": list(row["authors"] or []), "meta": dict(row["meta"] or {}),
            **(row["extra"] or {}),
        }

    # ---- entities
    def _entities_select(self, label: str | None = None, q: str | None = None, sort: str | None = None):
        where = []
        if label:
            where.append(entities.c.label == label)
        if q:
            where.append(entities.c.name.ilike(_like(q), escape="\\"))
        cond = and_(true(), *where)
        return select(*ENTITY_COLUMNS).where(cond).order_by(*_order("entities", sort)), cond, {}

    def entities(self, limit: int = 50, offset: int = 0, label: str | None = None,
                 q: str | None = None, *, sort: str | None = None) -> dict[str, Any]:
        stmt, cond, _ = self._entities_select(label, q, sort)
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(entities).where(cond)).scalar_one()
            items = [dict(r) for r in conn.execute(stmt.limit(limit).offset(offset)).mappings()]
        return page(items, total, limit, offset)

    def entity(self, entity_id: str, quote_limit: int = 100) -> dict[str, Any] | None:
        with self._connect() as conn:
            row = conn.execute(select(*ENTITY_COLUMNS).where(entities.c.id == entity_id)).mappings().first()
            if row is None:
                return None
            role_rows = [dict(r) for r in conn.execute(  # read here: the connection is gone after the block
                select(roles.c.role, func.count().label("count")).where(roles.c.entity_id == entity_id)
                .group_by(roles.c.role).order_by(func.count().desc(), roles.c.role).limit(50)).mappings()]
            # where each role was read: its first article (in store order) and the span of its words there
            sources: dict[str, dict[str, Any]] = {}
            for r in conn.execute(
                    select(roles.c.role, roles.c.start, roles.c.end, articles.c.doc_id)
                    .join(articles, articles.c.id == roles.c.article_id)
                    .where(roles.c.entity_id == entity_id, roles.c.role.in_([r["role"] for r in role_rows]))
                    .order_by(roles.c.id)):
                sources.setdefault(r.role, {"doc_id": r.doc_id, "start": r.start, "end": r.end,
                                            "url": role_url(r.doc_id, r.start, r.end)})
            for r in role_rows:
                r["source"] = sources.get(r["role"])
            entity_quotes = self._quote_rows(conn, and_(quotes.c.speaker_id == entity_id, IS_SPEECH), quote_limit, 0)
            entity_stances = self._quote_rows(conn, and_(quotes.c.speaker_id == entity_id, ~IS_SPEECH),
                                              quote_limit, 0)
            name = row["name"]
            posts = [dict(r) for r in conn.execute(
                select(*[social_posts.c[f] for f in POST_FIELDS])
                .where(or_(func.lower(social_posts.c.author) == name.lower(),
                           social_posts.c.id.in_(select(quotes.c.post_id).where(
                               quotes.c.speaker_id == entity_id, quotes.c.post_id.is_not(None)))))
                .order_by(social_posts.c.date.desc().nulls_last(), social_posts.c.id).limit(50)).mappings()]
            recent = [dict(r) for r in conn.execute(
                select(*ARTICLE_SUMMARY).where(articles.c.id.in_(
                    select(mentions.c.article_id).where(mentions.c.entity_id == entity_id)))
                .order_by(articles.c.published.desc().nulls_last(), articles.c.doc_id).limit(50)).mappings()]
        return {**dict(row), "roles": role_rows, "quotes": entity_quotes,
                "stances": entity_stances, "posts": posts, "articles": recent}

    # ---- quotes
    def _quotes_select(self, speaker_id: str | None = None, speaker: str | None = None,
                       story_id: str | None = None, since: str | None = None, until: str | None = None,
                       q: str | None = None, kind: str | None = None, sort: str | None = None,
                       outlet: str | None = None):
        """(select, condition, bind parameters), or None when the words `q` can match nothing."""
        where = []
        params: dict[str, Any] = {}
        # speech unless stances are asked for by kind: a stance is never listed as a quotation
        where.append(kind == QUOTE_KIND if kind else IS_SPEECH)
        if speaker_id:
            where.append(quotes.c.speaker_id == speaker_id)
        if speaker:
            where.append(quotes.c.speaker.ilike(_like(speaker), escape="\\"))
        if story_id:
            where.append(quotes.c.story_id == story_id)
        if since:
            where.append(quotes.c.published >= since)
        if until:
            where.append(quotes.c.published <= _until(until))
        if outlet:
            where.append(quotes.c.article_id.in_(select(articles.c.id).where(articles.c.outlet == outlet)))
        if q is not None:
            fragment = self.dialect.search_quote_ids(None, q)
            if fragment is None:
                return None
            where.append(quotes.c.id.in_(text(fragment)))
            params = self.dialect.quote_params(q)
        cond = and_(true(), *where)
        return self._quote_select(cond, _order("quotes", sort)), cond, params

    def quotes(self, limit: int = 50, offset: int = 0, speaker_id: str | None = None, speaker: str | None = None,
               story_id: str | None = None, since: str | None = None, until: str | None = None,
               q: str | None = None, kind: str | None = None, *, sort: str | None = None,
               outlet: str | None = None) -> dict[str, Any]:
        built = self._quotes_select(speaker_id, speaker, story_id, since, until, q, kind, sort, outlet)
        if built is None:
            return page([], 0, limit, offset)
        stmt, cond, params = built
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(quotes).where(cond), params).scalar_one()
            items = self._with_leads(conn, [dict(r) for r in conn.execute(stmt.limit(limit).offset(offset), params).mappings()])
        return page(items, total, limit, offset)

    @staticmethod
    def _quote_rows(conn: Connection, cond, limit: int, offset: int, *, key: bool = False,
                    params: dict | None = None) -> list[dict]:
        order = [quotes.c.published.desc().nulls_last(), articles.c.doc_id, quotes.c.idx]
        if key:  # key quotes: direct quotes by named speakers who are quoted most
            order = [quotes.c.direct.desc(), entities.c.quote_count.desc().nulls_last(),
                     func.length(quotes.c.text).desc(), quotes.c.id]
        stmt = Queries._quote_select(cond, order).limit(limit).offset(offset)
        return Queries._with_leads(conn, [dict(r) for r in conn.execute(stmt, params or {}).mappings()])

    @staticmethod
    def _with_leads(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows of untitled articles get the article's first sentence as `lead`, to be shown for a title."""
        untitled = {r["doc_id"] for r in rows if not r.get("title") and r.get("doc_id")}
        if untitled:
            starts = dict(conn.execute(select(articles.c.doc_id, func.substr(articles.c.text, 1, 400))
                                       .where(articles.c.doc_id.in_(untitled))).all())
            for r in rows:
                if r.get("doc_id") in untitled:
                    r["lead"] = lead(starts.get(r["doc_id"]))
        return rows

    @staticmethod
    def _quote_select(cond, order):
        return (select(quotes.c.id.label("quote_id"), *[quotes.c[f] for f in QUOTE_FIELDS],
                       QUOTE_KIND.label("kind"), quotes.c.extra["statement_id"].as_string().label("statement_id"),
                       quotes.c.extra["fidelity"].label("fidelity"),
                       quotes.c.published, quotes.c.story_id, articles.c.doc_id, articles.c.title,
                       articles.c.outlet)
                .join(articles, articles.c.id == quotes.c.article_id)
                .outerjoin(entities, entities.c.id == quotes.c.speaker_id)
                .where(cond).order_by(*order))

    def statement(self, statement_id: str, limit: int = 200) -> dict[str, Any] | None:
        """A statement quoted in several places: its versions, oldest first, each with its fidelity flag and
        word diff against the original (the post's own text, else the earliest version)."""
        with self._connect() as conn:
            rows = self._quote_rows(conn, quotes.c.extra["statement_id"].as_string() == statement_id, limit, 0)
            if not rows:
                return None
            rows.sort(key=lambda r: (r["published"] or "9999", r["doc_id"], r["quote_id"]))
            originals = {(r.get("fidelity") or {}).get("original") for r in rows} - {None}
            post = None
            for ref in originals:
                found = conn.execute(select(*[social_posts.c[f] for f in POST_FIELDS])
                                     .where(social_posts.c.id == ref)).mappings().first()
                if found is not None:
                    post = dict(found)
        return {"id": statement_id, "versions": rows, "original_post": post,
                "flags": dict(sorted(Counter((r.get("fidelity") or {}).get("flag") or "original"
                                             for r in rows).items()))}

    # ---- posts
    def _posts_select(self, platform: str | None = None, handle: str | None = None, since: str | None = None,
                      until: str | None = None, sort: str | None = None):
        where = []
        if platform:
            where.append(social_posts.c.platform == platform.lower())
        if handle:
            where.append(func.lower(social_posts.c.handle) == handle.lstrip("@").lower())
        if since:
            where.append(social_posts.c.date >= since)
        if until:  # a post's date may carry a time: compare its day
            where.append(func.substr(social_posts.c.date, 1, 10) <= _until(until))
        cond = and_(true(), *where)
        stmt = select(*[social_posts.c[f] for f in POST_FIELDS]).where(cond).order_by(*_order("posts", sort))
        return stmt, cond, {}

    def posts(self, limit: int = 50, offset: int = 0, platform: str | None = None,
              handle: str | None = None, *, since: str | None = None, until: str | None = None,
              sort: str | None = None) -> dict[str, Any]:
        stmt, cond, _ = self._posts_select(platform, handle, since, until, sort)
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(social_posts).where(cond)).scalar_one()
            items = [dict(r) for r in conn.execute(stmt.limit(limit).offset(offset)).mappings()]
        return page(items, total, limit, offset)

    def platforms(self) -> list[str]:
        with self._connect() as conn:
            return [p for p in conn.execute(select(social_posts.c.platform).distinct()
                                            .order_by(social_posts.c.platform)).scalars() if p]

    def post(self, post_id: str) -> dict[str, Any] | None:
        with self._connect() as conn:
            row = conn.execute(select(*[social_posts.c[f] for f in POST_FIELDS])
                               .where(social_posts.c.id == post_id)).mappings().first()
            if row is None:
                return None
            citing = self._with_leads(conn, [dict(r) for r in conn.execute(
                select(*ARTICLE_SUMMARY, post_citations.c.embedded)
                .join(post_citations, post_citations.c.article_id == articles.c.id)
                .where(post_citations.c.post_id == post_id)
                .order_by(articles.c.published.nulls_last(), articles.c.doc_id).limit(100)).mappings()])
            related = [dict(r) for r in conn.execute(
                select(social_posts.c.id, social_posts.c.platform, social_posts.c.handle, social_posts.c.author)
                .where(or_(social_posts.c.reshares == post_id, social_posts.c.reacts_to == post_id))
                .limit(50)).mappings()]
            graph = self._post_graph(conn, post_id)
        return {**dict(row), "articles": citing, "responses": related, **graph.view(post_id)}

    @staticmethod
    def _post_graph(conn: Connection, post_id: str, max_nodes: int = 200) -> PostGraph:
        """The posts around one post, across the whole store: up its reshares to the origin, down every
        reshare of that origin, the reactions to any of them, and every article citing them."""
        graph = PostGraph(max_nodes)
        seen, current = {post_id}, post_id
        ids = [post_id]
        while len(seen) < max_nodes:
            parent = conn.execute(select(social_posts.c.reshares).where(social_posts.c.id == current)).scalar()
            if not parent or parent in seen:
                break
            seen.add(parent)
            ids.append(parent)
            current = parent
        frontier = [current]
        while frontier and len(seen) < max_nodes:
            found = conn.execute(select(social_posts.c.id).where(social_posts.c.reshares.in_(frontier))
                                 .order_by(social_posts.c.id).limit(max_nodes)).scalars().all()
            frontier = [i for i in found if i not in seen]
            seen.update(frontier)
            ids += frontier
        ids += [i for i in conn.execute(select(social_posts.c.id).where(social_posts.c.reacts_to.in_(ids))
                                        .order_by(social_posts.c.id).limit(max_nodes)).scalars() if i not in seen]
        for row in conn.execute(select(*[social_posts.c[f] for f in POST_FIELDS])
                                .where(social_posts.c.id.in_(ids))).mappings():
            graph.add_post(dict(row))
        for c in conn.execute(select(post_citations.c.post_id, post_citations.c.embedded, post_citations.c.record,
                                     articles.c.doc_id, articles.c.title, articles.c.outlet, articles.c.published,
                                     articles.c.url)
                              .join(articles, articles.c.id == post_citations.c.article_id)
                              .where(post_citations.c.post_id.in_(ids))
                              .order_by(articles.c.published.nulls_last(), articles.c.doc_id)).mappings():
            record = c["record"] if isinstance(c["record"], dict) else {}
            node = graph.posts.get(c["post_id"])
            if node is not None and node.get("tone") is None and record.get("tone") is not None:
                node["tone"] = record["tone"]  # the tone the extractor gave the post's words
            graph.add_citation(c["post_id"], {"doc_id": c["doc_id"], "title": c["title"], "outlet": c["outlet"],
                                              "published": c["published"], "url": c["url"],
                                              "embedded": bool(c["embedded"]),
                                              "metrics": dict(record.get("metrics") or {})})
        return graph

    # ---- search
    def search(self, q: str, limit: int = 20, offset: int = 0, quote_offset: int | None = None) -> dict[str, Any]:
        """Articles and quotes matching every word of `q` (most relevant first), and entities so named. Quotes
        page on `quote_offset` (default: `offset`); each carries `highlight`, its text with the words marked."""
        q = " ".join(q.split()[:MAX_TERMS])  # the cost limit: a word more is a pass more over its hits
        quote_offset = offset if quote_offset is None else quote_offset
        with self._connect() as conn:
            arts, total = self.dialect.search_articles(conn, q, limit, offset)
            arts = self._with_leads(conn, [dict(a) for a in arts])
            quote_ids, quote_total = self.dialect.search_quotes(conn, q, limit, quote_offset)
            found_quotes = self._quote_rows(conn, quotes.c.id.in_(quote_ids), limit, 0) if quote_ids else []
            rank = {qid: i for i, qid in enumerate(quote_ids)}
            found_quotes.sort(key=lambda row: rank[row["quote_id"]])
            marked = self.dialect.highlight_quotes(conn, q, quote_ids) if quote_ids else {}
            for row in found_quotes:
                row["highlight"] = marked.get(row["quote_id"])
            entity_ids = self.dialect.search_entities(conn, q, 10)
            found_entities = [dict(r) for r in conn.execute(
                select(*ENTITY_COLUMNS).where(entities.c.id.in_(entity_ids))).mappings()] if entity_ids else []
            found_entities.sort(key=lambda row: entity_ids.index(row["id"]))
        return {"q": q, "articles": page(arts, total, limit, offset),
                "quotes": page(found_quotes, quote_total, limit, quote_offset),
                "entities": page(found_entities, len(found_entities), 10, 0)}

    # ---- one quote, outlets, charts (issue 19)
    def quote(self, quote_id: int) -> dict[str, Any] | None:
        """One quote (any kind) with the sentence around it, for its permalink page: its row, `context` (the
        sentence, and where the quote lies in it) and the other versions of its statement."""
        from .summary import sentence_around

        with self._connect() as conn:
            rows = self._quote_rows(conn, quotes.c.id == quote_id, 1, 0)
            if not rows:
                return None
            row = rows[0]
            body = conn.execute(select(articles.c.text).where(articles.c.doc_id == row["doc_id"])).scalar() or ""
            others = []
            if row.get("statement_id"):
                others = [r for r in self._quote_rows(
                    conn, quotes.c.extra["statement_id"].as_string() == row["statement_id"], 50, 0)
                    if r["quote_id"] != quote_id]
        context = None
        start, end = row.get("start"), row.get("end")
        if start is not None and end is not None and 0 <= start < end <= len(body):
            snippet, lo, hi = sentence_around(body, start, end, limit=600)
            context = {"text": snippet, "mark": [lo, hi]}
        return {**row, "context": context, "versions": others}

    def outlet(self, name: str) -> dict[str, Any] | None:
        """One outlet: its article count and span, articles per month, its most quoted speakers."""
        with self._connect() as conn:
            n = func.count().label("count")
            head = conn.execute(select(n, func.min(articles.c.published).label("first_published"),
                                       func.max(articles.c.published).label("last_published"))
                                .where(articles.c.outlet == name)).mappings().first()
            if not head or not head["count"]:
                return None
            months = self.bound(conn).outlet_months(name)
            # who it quotes now: in its latest articles (a page's cost must not grow with the outlet's archive)
            latest = (select(articles.c.id).where(articles.c.outlet == name)
                      .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
                      .limit(OUTLET_RECENT))
            speakers = [dict(r) for r in conn.execute(
                select(quotes.c.speaker_id.label("id"), entities.c.name, func.count().label("count"))
                .join(articles, articles.c.id == quotes.c.article_id)
                .join(entities, entities.c.id == quotes.c.speaker_id)
                .where(quotes.c.article_id.in_(latest), IS_SPEECH)
                .group_by(quotes.c.speaker_id, entities.c.name).order_by(func.count().desc(), entities.c.name)
                .limit(20)).mappings()]
        return {"outlet": name, "article_count": head["count"], "first_published": head["first_published"],
                "last_published": head["last_published"], "per_month": months, "speakers": speakers}

    def outlet_months(self, name: str) -> list[dict[str, Any]]:
        """An outlet's articles per month of publication (its chart)."""
        month = func.substr(articles.c.published, 1, 7)
        with self._connect() as conn:
            return [{"month": m, "count": c} for m, c in conn.execute(
                select(month, func.count()).where(articles.c.outlet == name, articles.c.published.is_not(None))
                .group_by(month).order_by(month))]

    def story_coverage(self, story_id: str) -> list[dict[str, Any]] | None:
        """A story's articles per publication day (its chart); None for no such story."""
        with self._connect() as conn:
            if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first() is None:
                return None
            return self._coverage(conn, [story_id]).get(story_id, [])

    def quotes_per_month(self, speaker_id: str) -> list[dict[str, Any]]:
        """A speaker's quotes (speech) per month of publication."""
        month = func.substr(quotes.c.published, 1, 7)
        with self._connect() as conn:
            return [{"month": m, "count": c} for m, c in conn.execute(
                select(month, func.count()).where(quotes.c.speaker_id == speaker_id, IS_SPEECH,
                                                  quotes.c.published.is_not(None))
                .group_by(month).order_by(month))]

    # ---- graphs (issue 19): who quotes whom, who reshares whom
    def quote_edges(self, story_id: str | None = None, entity_id: str | None = None,
                    limit: int = GRAPH_EDGES) -> list[dict[str, Any]]:
        """Outlet -> speaker edges weighted by the quotes (speech) an outlet's articles give the speaker: in one
        story, or around one person (every quote in the articles that quote them), or the whole store."""
        n = func.count().label("count")
        stmt = (select(articles.c.outlet, quotes.c.speaker_id, entities.c.name.label("speaker"), n)
                .join(articles, articles.c.id == quotes.c.article_id)
                .join(entities, entities.c.id == quotes.c.speaker_id)
                .where(IS_SPEECH, articles.c.outlet.is_not(None)))
        if story_id:
            stmt = stmt.where(quotes.c.story_id == story_id)
        if entity_id:
            stmt = stmt.where(quotes.c.article_id.in_(
                select(quotes.c.article_id).where(quotes.c.speaker_id == entity_id)))
        stmt = stmt.group_by(articles.c.outlet, quotes.c.speaker_id, entities.c.name).order_by(
            n.desc(), articles.c.outlet, quotes.c.speaker_id).limit(limit)
        with self._connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def entity_name(self, entity_id: str) -> str | None:
        with self._connect() as conn:
            return conn.execute(select(entities.c.name).where(entities.c.id == entity_id)).scalar()

    def reshare_edges(self, story_id: str | None = None, entity_id: str | None = None,
                      limit: int = GRAPH_EDGES) -> list[dict[str, Any]]:
        """Post -> post edges (`reshares` or `answers`) between posts of the store, each end with its author and
        handle: among the posts a story's articles cite (and the posts those reshare or answer), around the
        posts of one person, or the whole store."""
        source, target = social_posts.alias("source"), social_posts.alias("target")
        kind = case((source.c.reshares == target.c.id, "reshares"), else_="answers")
        stmt = (select(source.c.id.label("source"), source.c.author.label("source_author"),
                       source.c.handle.label("source_handle"), source.c.platform,
                       target.c.id.label("target"), target.c.author.label("target_author"),
                       target.c.handle.label("target_handle"), kind.label("kind"))
                .join(target, or_(source.c.reshares == target.c.id, source.c.reacts_to == target.c.id)))
        if story_id:
            cited = select(post_citations.c.post_id).join(articles, articles.c.id == post_citations.c.article_id) \
                .where(articles.c.story_id == story_id)
            stmt = stmt.where(or_(source.c.id.in_(cited), target.c.id.in_(cited)))
        if entity_id:
            name = self.entity_name(entity_id)
            if name is None:
                return []
            stmt = stmt.where(or_(func.lower(source.c.author) == name.lower(),
                                  func.lower(target.c.author) == name.lower()))
        with self._connect() as conn:
            return [dict(r) for r in conn.execute(stmt.order_by(source.c.id, target.c.id).limit(limit)).mappings()]

    # ---- downloads
    def stream(self, name: str, /, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every row of a list (articles, quotes, posts, stories, entities) under its filters and sort, with no
        pager, read from the database as it is consumed: constant memory whatever the number of rows. Runs on
        its own connection, so that a response streams it after the request's connection is gone."""
        built = getattr(self, f"_{name}_select")(**filters)
        if built is None:
            return
        stmt, _, params = built
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt, params)
            for row in result.mappings():
                yield dict(row)

    def columns(self, name: str) -> list[str]:
        """The columns of a list's rows, in order (a download's header)."""
        return list(getattr(self, f"_{name}_select")()[0].selected_columns.keys())

    def resolve(self, query: str) -> tuple[str, str] | None:
        """A story or entity id for `newsgraph show`: an exact id, else the best entity by name."""
        with self._connect() as conn:
            if conn.execute(select(stories.c.id).where(stories.c.id == query)).first():
                return "story", query
            if conn.execute(select(entities.c.id).where(entities.c.id == query)).first():
                return "entity", query
            row = conn.execute(select(entities.c.id).where(entities.c.name.ilike(_like(query), escape="\\"))
                               .order_by((func.lower(entities.c.name) == query.lower()).desc(),
                                         entities.c.article_count.desc()).limit(1)).first()
            if row:
                return "entity", row.id
        return None

    def counts(self) -> dict[str, int]:
        tables = {"articles": articles, "stories": stories, "entities": entities, "quotes": quotes,
                  "social_posts": social_posts}
        with self._connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(t)).scalar_one() for name, t in tables.items()}


def _merge(row) -> dict[str, Any]:
    data = dict(row)
    return {**{k: v for k, v in data.items() if k != "extra"}, **(data.get("extra") or {})}


def _number(value: float | None) -> float | int | None:
    if value is not None and float(value).is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _until(value: str) -> str:
    """A partial date as the last day it covers, for comparing with YYYY-MM-DD text."""
    return {4: value + "-12-31", 7: value + "-31"}.get(len(value), value)
