"""PostgreSQL: stored tsvector columns (ranking without re-parsing texts); nothing changes on SQLite.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from newsgraph.store import dialects

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    dialects.for_connection(bind).create_stored_vectors(bind)


def downgrade() -> None:
    bind = op.get_bind()
    dialects.for_connection(bind).drop_stored_vectors(bind)
