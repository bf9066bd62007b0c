"""The web UI: Jinja templates rendered on the server (autoescaped), with the helpers they use."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from ..store.sqlite import MARK_END, MARK_START

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SAFE_SCHEMES = ("http", "https")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links reach an href; `javascript:`, `data:` and the like are dropped."""
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def segment(value: object) -> str:
    """A value as one URL path segment (or query value): `/` is encoded too, so that a doc_id such as `../x`
    stays one segment the browser leaves alone instead of a path it normalises away."""
    return quote(str(value), safe="")


def marked(snippet: str | None) -> Markup:
    """A search snippet: its text escaped, then the store's hit markers turned into <mark>."""
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def plain(snippet: str | None) -> str:
    return (snippet or "").replace(MARK_START, "").replace(MARK_END, "")


def parse_at(value: str | None, length: int) -> tuple[int, int] | None:
    """`?at=START-END` (character offsets, as every quote, date and role of a record gives them) as a span of a
    text `length` long; None when it is malformed or out of the text."""
    if not value:
        return None
    head, sep, tail = value.partition("-")
    if not sep or not head.isdigit() or not tail.isdigit():
        return None
    start, end = int(head), int(tail)
    return (start, end) if 0 <= start < end <= length else None


def segments(text: str, quotes: list[dict], at: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    """The article text cut into runs, each either plain or inside one quote (overlaps: first one wins); a run
    inside the span `at` (the sentence a link points to) says so, the first of them with `first_at`."""
    spans = []
    for i, q in enumerate(quotes):
        parts = q.get("spans") or ([[q["start"], q["end"]]] if q.get("start") is not None else [])
        for part in parts:
            try:
                start, end = int(part[0]), int(part[1])
            except (TypeError, ValueError, IndexError):
                continue
            if 0 <= start < end <= len(text):
                spans.append((start, end, i))
    spans.sort()
    runs: list[tuple[int, int, int | None]] = []
    pos = 0
    for start, end, i in spans:
        if start < pos:
            continue
        if start > pos:
            runs.append((pos, start, None))
        runs.append((start, end, i))
        pos = end
    if pos < len(text):
        runs.append((pos, len(text), None))
    cuts = set(at) if at else set()
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for start, end, i in runs:
        points = sorted({start, end} | {c for c in cuts if start < c < end})
        for lo, hi in zip(points, points[1:], strict=False):
            run: dict[str, Any] = {"text": text[lo:hi], "quote": quotes[i] if i is not None else None}
            if i is not None:
                run["n"] = i
                run["first"] = i not in seen  # an interrupted quote's id is on its first part only
                seen.add(i)
            if at and at[0] <= lo and hi <= at[1]:
                run["at"] = True
                run["first_at"] = not any(r.get("at") for r in out)
            out.append(run)
    return out


def sparkline(coverage: list[dict], width: int = 120, height: int = 24) -> str:
    """SVG polyline points for articles per day (a day per point, gaps as zero)."""
    if not coverage:
        return ""
    from datetime import date, timedelta

    counts: dict[date, int] = {}
    for item in coverage:
        try:
            counts[date.fromisoformat(item["date"])] = int(item["count"])
        except (TypeError, ValueError):
            continue
    if not counts:
        return ""
    first, last = min(counts), max(counts)
    days = min((last - first).days + 1, 366)
    values = [counts.get(first + timedelta(days=d), 0) for d in range(days)]
    top = max(values) or 1
    if len(values) == 1:
        values = values * 2
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values))


def _lead(text: str | None) -> str | None:
    from ..store.summary import lead

    return lead(text)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))  # autoescape is on for .html
    env = templates.env
    env.autoescape = True  # every template, whatever its name
    env.filters["safe_url"] = safe_url
    env.filters["urlencode"] = segment  # every link segment and query value in the templates
    env.filters["marked"] = marked
    env.filters["plain"] = plain
    env.globals["segments"] = segments
    env.globals["sparkline"] = sparkline
    env.globals["with_query"] = with_query
    env.globals["parse_at"] = parse_at
    env.filters["zip"] = lambda left, right: list(zip(left, right, strict=False))
    env.filters["lead"] = _lead
    env.globals["pager_words"] = pager_words
    return templates


# The pager's words for each sort order: "older" only where the list runs from new to old.
PAGER_WORDS = {"newest": ("newer", "older"), "oldest": ("older", "newer")}
PAGER_DEFAULT = ("previous", "next")


def pager_words(sort: str | None, default: str) -> tuple[str, str]:
    return PAGER_WORDS.get(sort or default, PAGER_DEFAULT)


def with_query(request: Any, path: str | None = None, drop: tuple[str, ...] = (), **changes: Any) -> str:
    """The page's own address with some query parameters changed (None or "" removes one, offset 0 too) and
    the rest kept as they are: every filter survives the pager, and no parameter is ever repeated."""
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in changes and k not in drop and v != ""]
    for key, value in changes.items():
        if value is not None and value != "" and not (key.endswith("offset") and value == 0):
            params.append((key, str(value)))
    query = urlencode(params)
    return (path or request.url.path) + ("?" + query if query else "")
