"""The records newsgraph reads and writes; `Record` mirrors ../shared/CONTRACT.md field for field."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Article:
    """One article as the ingest step read it, before any extraction."""

    doc_id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    # where `published` came from: given (the input's own field or date line), html (the page's metadata),
    # url (a date in the address), text (a dateline or the article's own dates); None when it is unknown
    published_source: str | None = None
    authors: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    # The page's markup, kept for extractors that read embeds (tweets live in <blockquote>s).
    html: str | None = None
    kind: str = "text"  # the reader that produced it: text, html, jsonl, csv, warc, feed


@dataclass
class Entity:
    id: str | None
    name: str
    label: str
    mentions: list[list[int]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    # where each role was read in the article: `role_spans[i]` is [start, end] of the words of `roles[i]`
    role_spans: list[list[int]] = field(default_factory=list)
    # where a place is, from the offline gazetteer (newsgraph_geocode, off by default):
    # {name, country, lat, lon, geonameid, kind}
    geo: dict[str, Any] | None = None


@dataclass
class Quote:
    text: str
    start: int | None
    end: int | None
    direct: bool
    speaker: str | None = None
    speaker_id: str | None = None
    speaker_span: list[int] | None = None
    cue: str | None = None
    anonymous: bool = False
    spans: list[list[int]] | None = None
    post_id: str | None = None  # the social post whose text this quote is
    statement_id: str | None = None  # the same words quoted across articles share it (link/propagation.py)
    resolved_from: str | None = None  # doc_id of the article that named this quote's otherwise unnamed speaker
    tone: float | None = None  # lexicon tone of the quoted words, -1 .. 1 (set by newsgraph_tone)
    # speech: "direct" (in quote marks) or "reported" ("said that ...", "according to ..."); kept in Record.stances,
    # never among the quotes: "stance" (a belief, wish, fear, plan or perception: "believes the plan will fail",
    # "her support for ..."), "question" (a question put to someone: "asked whether ..."), "unsaid" (speech
    # denied, withheld or hypothetical: "did not say whether ...", "declined to say", "would argue"), "topic" (whom
    # or what speech was about, none of its words: "urged [supporters]", "called on [Democrats]")
    kind: str | None = None
    # for a quotation also quoted elsewhere in the run: {flag: verbatim | altered | truncated | misattributed |
    # translation, original: the post id or doc_id of the version compared with, diff: {dropped, added, changed}}
    fidelity: dict[str, Any] | None = None


SPEECH_KINDS = ("direct", "reported")


def is_speech(kind: str | None) -> bool:
    """Whether a quote of this kind is speech (a record of before kinds existed counts as speech)."""
    return kind is None or kind in SPEECH_KINDS


@dataclass
class SocialPost:
    id: str | None
    platform: str
    author: str | None = None
    handle: str | None = None
    date: str | None = None
    text: str | None = None
    url: str | None = None
    embedded: bool = False
    metrics: dict[str, int] = field(default_factory=dict)
    reshares: str | None = None
    reacts_to: str | None = None
    start: int | None = None  # where the post stands in the article text, when it does
    end: int | None = None
    tone: float | None = None  # tone of the post's own words, -1 .. 1 (a reaction's stance; newsgraph_social)


@dataclass
class DateMention:
    text: str
    start: int
    end: int
    value: str | None


@dataclass
class Amount:
    text: str
    start: int
    end: int
    value: float | int | None
    object: str | None = None
    # a range ("between 10 and 20 people", "five to seven"): `value` is its low end, `value_to` its high end
    value_to: float | int | None = None
    approx: str | None = None
    source: str | None = None  # who the sentence gives as the source ("according to UN refugee agency")


@dataclass
class Record:
    """The output record of `newsgraph extract`, one per article."""

    doc_id: str
    source: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    text: str
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)  # speech only: direct quotations and reported speech
    stances: list[Quote] = field(default_factory=list)  # what a source believes, wants, fears, plans or perceives
    social_posts: list[SocialPost] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    tone: float = 0.0
    story_id: str | None = None
    errors: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    published_source: str | None = None  # given | url | html | text: where `published` came from (extract/published.py)

    @classmethod
    def from_article(cls, article: Article) -> Record:
        return cls(
            doc_id=article.doc_id,
            source=article.source,
            title=article.title,
            url=article.url,
            outlet=article.outlet,
            published=article.published,
            text=article.text,
            published_source=article.published_source or ("given" if article.published else None),
            authors=list(article.authors),
            meta=dict(article.meta),
        )

    def to_dict(self) -> dict[str, Any]:
        """A deep copy in plain dicts and lists, as `dataclasses.asdict` gives (a record is written once per
        article, on the one process that links: asdict's generic walk cost more than writing the JSON)."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        data = dict(data)
        kinds = {"entities": Entity, "quotes": Quote, "stances": Quote, "social_posts": SocialPost,
                 "dates": DateMention, "amounts": Amount}
        for key, kind in kinds.items():
            data[key] = [kind(**item) for item in data.get(key) or []]
        # records written before stances had a list of their own kept them among the quotes
        if not all(is_speech(q.kind) for q in data["quotes"]):
            data["stances"] = [q for q in data["quotes"] if not is_speech(q.kind)] + data["stances"]
            data["quotes"] = [q for q in data["quotes"] if is_speech(q.kind)]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    names = _FIELDS.get(kind)
    if names is None and hasattr(kind, "__dataclass_fields__"):
        names = _FIELDS[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if kind is tuple:
        return tuple(_plain(v) for v in value)
    return copy.deepcopy(value)
