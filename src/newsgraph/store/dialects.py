"""The one place that picks SQLite or PostgreSQL behaviour for a database URL or connection."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from sqlalchemy.engine import Connection, make_url

from . import postgres, sqlite

DIALECTS: dict[str, ModuleType] = {"sqlite": sqlite, "postgresql": postgres}


def normalise_url(url: str | Path) -> str:
    """A path means a SQLite file; postgresql:// gets the psycopg 3 driver."""
    url = str(url)
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def for_name(name: str) -> ModuleType:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unsupported database {name!r}; supported: {', '.join(DIALECTS)}") from None


def for_connection(conn: Connection) -> ModuleType:
    return for_name(conn.dialect.name)
