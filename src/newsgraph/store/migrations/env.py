"""Alembic environment for the store; run through newsgraph.store.migrate(), which hands over a connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from newsgraph.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata,
                      render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # the `alembic` command line, with sqlalchemy.url set in its config
    with create_engine(config.get_main_option("sqlalchemy.url")).begin() as conn:
        _run(conn)
