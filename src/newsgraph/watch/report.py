"""`newsgraph status --db`: what the watch has done, per source: last and next poll, errors, articles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.markup import escape


def _when(value: float | None, now: float) -> str:
    if not value:
        return "-"
    stamp = datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S")
    delta = value - now
    ago = f"in {delta:.0f}s" if delta >= 0 else f"{-delta:.0f}s ago"
    return f"{stamp} ({ago})"


def render(console: Console, report: dict[str, Any]) -> None:
    """One block per source (lines, not a table: URLs are long and terminals narrow)."""
    now = report["now"]
    if not report["sources"]:
        console.print("no sources: run newsgraph watch SOURCE... --db STORE")
    for s in report["sources"]:
        console.print(f"[bold]{escape(s['url'])}[/bold] ({s['kind'] or 'not polled yet'})"
                      + (f", named by {escape(s['parent'])}" if s["parent"] else ""))
        console.print(f"  last poll {_when(s['last_poll'], now)}, next poll {_when(s['next_poll'], now)}, "
                      f"every {s['interval']:.0f}s, {s['polls']} polls")
        console.print(f"  {s['found']} article URLs found, {s['articles']} stored, {s['errors']} failed; "
                      f"{s['failures']} failed polls in a row")
        if s["last_error"]:
            console.print(f"  last error: {escape(s['last_error'])}")
    counts = report["urls"]
    console.print("article URLs: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("done", "queued", "failed")))
    if report["errors"]:
        console.print("latest page errors:")
        for e in report["errors"]:
            console.print(f"  [{e['status']}] {escape(e['error'] or '')}")
