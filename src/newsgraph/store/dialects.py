"""The one place that picks SQLite or PostgreSQL behaviour for a database URL or connection."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from sqlalchemy.engine import Connection, make_url

from . import postgres, sqlite

DIALECTS: dict[str, ModuleType] = {"sqlite": sqlite, "postgresql": postgres}
# Connections a store keeps (POOL_SIZE) and may open beyond them: the server runs at most this many requests
# at once (api/app.py), each on one connection, so that no request waits for one.
POOL_SIZE, POOL_OVERFLOW = 16, 16


def normalise_url(url: str | Path) -> str:
    """A path means a SQLite file; postgresql:// gets the psycopg 3 driver."""
    url = str(url)
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def pool_kwargs(url: str) -> dict[str, int]:
    if ":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite:/", "sqlite://"):
        return {}  # one connection per thread, no queue to size
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, "pool_timeout": 30}


def for_name(name: str) -> ModuleType:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unsupported database {name!r}; supported: {', '.join(DIALECTS)}") from None


def for_connection(conn: Connection) -> ModuleType:
    return for_name(conn.dialect.name)
