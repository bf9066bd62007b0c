"""Response shapes for the OpenAPI schema; fields the store adds later pass through (extra="allow")."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(Open, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Coverage(Open):
    date: str
    count: int


class StoryEntityRef(Open):
    id: str
    name: str
    label: str


class StorySummary(Open):
    """`title` is the story's most central headline, or its first article's lead (`title_source`: "lead")."""

    id: str
    title: str | None = None
    title_source: str | None = None
    article_count: int
    undated_count: int = 0  # members with no publication date: first/last_published span the others
    first_published: str | None = None
    last_published: str | None = None
    coverage: list[Coverage] = []
    entities: list[StoryEntityRef] = []


class ArticleSummary(Open):
    doc_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_source: str | None = None  # given, html, url or text (extract/published.py)
    url: str | None = None
    story_id: str | None = None
    tone: float | None = None
    lead: str | None = None  # in a story's articles: the first sentence of one that has no title


class QuoteRow(Open):
    quote_id: int
    text: str
    start: int | None = None
    end: int | None = None
    direct: bool
    speaker: str | None = None
    speaker_id: str | None = None
    cue: str | None = None
    anonymous: bool = False
    kind: str | None = None  # direct, reported; stance, question, unsaid, topic (not speech)
    statement_id: str | None = None  # the same words quoted elsewhere share it (GET /api/statements/{id})
    fidelity: dict[str, Any] | None = None  # {flag, original, diff} against the statement's original
    published: str | None = None
    story_id: str | None = None
    doc_id: str
    title: str | None = None
    outlet: str | None = None


class Post(Open):
    id: str
    platform: str
    author: str | None = None
    handle: str | None = None
    date: str | None = None
    text: str | None = None
    url: str | None = None
    embedded: bool = False
    metrics: dict[str, Any] = {}
    reshares: str | None = None
    reacts_to: str | None = None
    citation_count: int = 0


class EntitySummary(Open):
    id: str
    name: str
    label: str
    article_count: int = 0
    quote_count: int = 0


class RoleSource(Open):
    """Where a role was read: the article and the span of the role's words in its text."""

    doc_id: str
    start: int | None = None
    end: int | None = None
    url: str | None = None  # the article page, the role's words marked: /articles/{doc_id}?at=START-END


class RoleCount(Open):
    role: str
    count: int
    source: RoleSource | None = None


class StoryEntity(StoryEntityRef):
    articles: int
    mentions: int = 0


class TimelineDay(Open):
    date: str
    articles: list[ArticleSummary]


class EventArticle(Open):
    doc_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class StoryEvent(Open):
    """A day the story's articles mention: the first sentence that mentions it (`mark`: where the date is
    in `snippet`), and the articles mentioning it (`article_count` in all, the first few listed)."""

    date: str
    text: str | None = None
    snippet: str | None = None
    mark: list[int] = []
    doc_id: str | None = None
    article_count: int
    articles: list[EventArticle] = []


class StoryQuote(QuoteRow):
    """A key quote: `citations` is how many of the story's articles carry the same statement."""

    citations: int = 1


class StoryPost(Post):
    story_citations: int = 0


class Story(StorySummary):
    articles: list[ArticleSummary]
    timeline: list[StoryEvent]
    publication: list[TimelineDay]
    quotes: list[StoryQuote]
    posts: list[StoryPost]
    entities: list[StoryEntity]  # type: ignore[assignment]


class Statement(Open):
    """One statement quoted in several places: its versions side by side, each flagged verbatim, altered,
    truncated, misattributed or translation against the original."""

    id: str
    versions: list[QuoteRow]
    original_post: dict[str, Any] | None = None
    flags: dict[str, int] = {}


class Entity(EntitySummary):
    roles: list[RoleCount]
    quotes: list[QuoteRow]  # speech only
    stances: list[QuoteRow] = []  # what they are said to believe, want, fear or plan: never quotations
    posts: list[Post]
    articles: list[ArticleSummary]


class CitingArticle(ArticleSummary):
    embedded: bool = False


class ChainPost(Post):
    """A post of a reshare chain or a reaction: `depth` and `parent` place it in the tree."""

    tone: float | None = None
    depth: int = 0
    parent: str | None = None
    current: bool = False
    first_cited: str | None = None


class PostCoverage(Open):
    """One article citing a post of the chain, and when."""

    doc_id: str
    post_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    embedded: bool = False


class Reach(Open):
    """Metrics one article reported for the post, with the day it was reported."""

    reported: str | None = None
    doc_id: str | None = None
    outlet: str | None = None
    metrics: dict[str, Any] = {}


class PostDetail(Post):
    articles: list[CitingArticle]
    responses: list[dict[str, Any]]
    origin: str | None = None
    chain: list[ChainPost] = []
    reactions: list[ChainPost] = []
    coverage: list[PostCoverage] = []
    reach: list[Reach] = []


class ArticleRecord(Open):
    """The contract record (../shared/CONTRACT.md), field for field."""

    doc_id: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_source: str | None = None  # given, html, url or text: where `published` came from
    text: str
    entities: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    stances: list[dict[str, Any]] = []
    social_posts: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    amounts: list[dict[str, Any]]
    tone: float
    story_id: str | None = None
    errors: list[Any]


class SearchHit(Open):
    doc_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    story_id: str | None = None
    snippet: str | None = None


class SearchResults(Open):
    q: str
    articles: Page[SearchHit]
    quotes: Page[QuoteRow]
    entities: Page[EntitySummary]


class Ingested(Open):
    doc_id: str
    story_id: str | None = None
    written: bool


class QuoteContext(Open):
    text: str
    mark: list[int]


class QuoteDetail(QuoteRow):
    """One quote with the sentence it stands in and the other versions of its statement."""

    context: QuoteContext | None = None
    versions: list[QuoteRow] = []


class OutletSummary(Open):
    outlet: str
    article_count: int
    first_published: str | None = None
    last_published: str | None = None


class MonthCount(Open):
    month: str
    count: int


class Outlet(OutletSummary):
    per_month: list[MonthCount] = []
    speakers: list[dict[str, Any]] = []
