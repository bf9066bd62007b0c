"""newsgraph watch: its sources (schedule, validators, failures) and the article URLs it has seen.

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from newsgraph.store.schema import watch_sources, watch_urls

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # store/schema.py declares them, so a store built by 0001 today has them already
    existing = set(inspect(bind).get_table_names())
    for table in (watch_sources, watch_urls):
        if table.name not in existing:
            table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    existing = set(inspect(bind).get_table_names())
    for table in (watch_urls, watch_sources):
        if table.name in existing:
            table.drop(bind)
