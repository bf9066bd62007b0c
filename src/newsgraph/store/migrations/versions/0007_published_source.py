"""Publication dates' sources and undated story members: `articles.published_source`, `stories.undated_count`.

Articles stored before this revision got their date from their input (or have none): their source is
`given` where they have a date. Each story's undated members are counted.

Revision ID: 0007
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import func, inspect, select, update

from newsgraph.store.schema import articles, stories

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    bind = op.get_bind()
    # store/schema.py declares both, so a store built by 0001 today has them already
    if "published_source" not in _columns("articles"):
        op.add_column("articles", sa.Column("published_source", sa.String(8)))
        bind.execute(update(articles).where(articles.c.published.is_not(None)).values(published_source="given"))
    if "undated_count" not in _columns("stories"):
        op.add_column("stories", sa.Column("undated_count", sa.Integer, nullable=False, server_default="0"))
        undated = (select(func.count()).select_from(articles)
                   .where(articles.c.story_id == stories.c.id, articles.c.published.is_(None)).scalar_subquery())
        bind.execute(update(stories).values(undated_count=undated))


def downgrade() -> None:
    for table, column in (("articles", "published_source"), ("stories", "undated_count")):
        if column in _columns(table):
            with op.batch_alter_table(table) as batch:
                batch.drop_column(column)
