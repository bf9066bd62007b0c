"""Running a dialect's list of DDL statements (search indexes, triggers), shared by sqlite.py and postgres.py."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection


def execute_all(conn: Connection, statements: Iterable[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))
