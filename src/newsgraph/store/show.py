"""`newsgraph show`: an entity or a story as rich tables in the terminal (all text escaped)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _clip(value: Any, n: int = 200) -> str:
    text = str(value or "")
    return escape(text if len(text) <= n else text[: n - 1] + "…")


def render_entity(console: Console, entity: dict[str, Any], limit: int) -> None:
    console.print(f"[bold]{escape(entity['name'])}[/bold] [dim]{entity['label']} · {entity['id']} · "
                  f"{entity['article_count']} articles · {entity['quote_count']} quotes[/dim]")
    if entity["roles"]:
        console.print("roles: " + ", ".join(f"{escape(r['role'])} ({r['count']})" for r in entity["roles"][:limit]))
    table = Table("date", "quote", "cue", "article", title="Quotes by date", expand=True)
    for q in entity["quotes"][:limit]:
        table.add_row(q["published"] or "", _clip(q["text"]), _clip(q["cue"]), _clip(q["title"] or q["doc_id"], 60))
    console.print(table)
    if entity["posts"]:
        posts = Table("platform", "handle", "date", "text", title="Posts", expand=True)
        for p in entity["posts"][:limit]:
            posts.add_row(p["platform"], _clip(p["handle"]), p["date"] or "", _clip(p["text"]))
        console.print(posts)


def render_story(console: Console, story: dict[str, Any], limit: int) -> None:
    """The story's summary, as `/api/stories/{id}` gives it: entities, dated events, key quotes, posts, coverage."""
    span = story["first_published"] or "?"
    if story["last_published"] and story["last_published"] != story["first_published"]:
        span += f" – {story['last_published']}"
    if story.get("undated_count"):
        span += f" · {story['undated_count']} undated"  # the span is the dated members' alone
    title = escape(story["title"] or story["id"])
    if story.get("title_source") == "lead":
        title += " [dim](first sentence: no headline)[/dim]"
    console.print(f"[bold]{title}[/bold] [dim]{story['id']} · {story['article_count']} articles · {span}[/dim]")
    if story["entities"]:
        console.print("who and what: " + ", ".join(
            f"{escape(e['name'])} [dim]({e['label']}, {e['articles']})[/dim]" for e in story["entities"][:limit]))
    if story["timeline"]:
        events = Table("date", "event", "articles", title="Timeline of events", expand=True)
        for e in story["timeline"][:limit]:
            events.add_row(e["date"], _clip(e["snippet"] or e["text"]), str(e["article_count"]))
        console.print(events)
    if story["quotes"]:
        quotes = Table("speaker", "quote", "articles", "date", title="Key quotes", expand=True)
        for q in story["quotes"][:limit]:
            quotes.add_row(_clip(q["speaker"], 40), _clip(q["text"]), str(q.get("citations", 1)),
                           q["published"] or "")
        console.print(quotes)
    if story["posts"]:
        posts = Table("platform", "handle", "text", "articles", title="Posts", expand=True)
        for p in story["posts"][:limit]:
            posts.add_row(p["platform"], _clip(p["handle"]), _clip(p["text"]), str(p.get("story_citations", "")))
        console.print(posts)
    coverage = Table("date", "outlet", "title", title="Coverage", expand=True)
    for a in story["articles"][:limit]:
        coverage.add_row(a["published"] or "", _clip(a["outlet"], 40), _clip(a["title"] or a.get("lead") or a["doc_id"], 120))
    console.print(coverage)
