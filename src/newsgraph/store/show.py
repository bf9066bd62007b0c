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
    console.print(f"[bold]{escape(story['title'] or story['id'])}[/bold] [dim]{story['id']} · "
                  f"{story['article_count']} articles · {story['first_published'] or '?'} – "
                  f"{story['last_published'] or '?'}[/dim]")
    timeline = Table("date", "outlet", "title", title="Timeline", expand=True)
    for a in story["articles"][:limit]:
        timeline.add_row(a["published"] or "", _clip(a["outlet"], 40), _clip(a["title"] or a["doc_id"], 120))
    console.print(timeline)
    quotes = Table("speaker", "quote", "date", title="Key quotes", expand=True)
    for q in story["key_quotes"][:limit]:
        quotes.add_row(_clip(q["speaker"], 40), _clip(q["text"]), q["published"] or "")
    console.print(quotes)
    if story["posts"]:
        posts = Table("platform", "handle", "text", title="Posts", expand=True)
        for p in story["posts"][:limit]:
            posts.add_row(p["platform"], _clip(p["handle"]), _clip(p["text"]))
        console.print(posts)
