"""Indexes for the UI's lists and charts (issue 19): articles by outlet and date, quotes by speaker's name.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = (("ix_articles_outlet", "articles", ["outlet", "published"]), ("ix_quotes_speaker_name", "quotes", ["speaker"]))


def upgrade() -> None:
    bind = op.get_bind()
    for name, table, columns in INDEXES:
        # store/schema.py declares them, so a store built by 0001 today has them already
        if name not in {ix["name"] for ix in inspect(bind).get_indexes(table)}:
            op.create_index(name, table, columns)


def downgrade() -> None:
    bind = op.get_bind()
    for name, table, _ in INDEXES:
        if name in {ix["name"] for ix in inspect(bind).get_indexes(table)}:
            op.drop_index(name, table_name=table)
