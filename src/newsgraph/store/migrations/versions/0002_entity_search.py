"""Full-text search over entity names (the search page lists the people and organisations it finds).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from newsgraph.store import dialects

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    dialects.for_connection(bind).create_entity_search(bind)


def downgrade() -> None:
    bind = op.get_bind()
    dialects.for_connection(bind).drop_entity_search(bind)
