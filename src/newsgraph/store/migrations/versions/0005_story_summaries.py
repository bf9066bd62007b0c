"""Story summaries: `stories.summary` (key entities, quotes, posts, dated events), titles recomputed.

Stories written before this revision are summarised here, and their title becomes the most central headline
(or the first article's lead when no member has one) instead of the first article's title.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import inspect, select, update

from newsgraph.store.schema import stories
from newsgraph.store.summary import summarise

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # store/schema.py declares the column, so a store built by 0001 today has it already
    if "summary" not in {c["name"] for c in inspect(bind).get_columns("stories")}:
        op.add_column("stories", sa.Column("summary", sa.JSON))
    ids = bind.execute(select(stories.c.id).where(stories.c.summary.is_(None)).order_by(stories.c.id)).scalars().all()
    for story_id in ids:
        title, summary = summarise(bind, story_id)
        bind.execute(update(stories).where(stories.c.id == story_id).values(title=title, summary=summary))


def downgrade() -> None:
    if "summary" in {c["name"] for c in inspect(op.get_bind()).get_columns("stories")}:
        with op.batch_alter_table("stories") as batch:
            batch.drop_column("summary")
