"""The first schema: every table of store/schema.py, plus each dialect's full-text search.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from newsgraph.store import dialects
from newsgraph.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The first revision builds from the schema module; later revisions alter it step by step with op.*.
    bind = op.get_bind()
    metadata.create_all(bind)
    dialects.for_connection(bind).create_search(bind)


def downgrade() -> None:
    bind = op.get_bind()
    dialects.for_connection(bind).drop_search(bind)
    metadata.drop_all(bind)
