"""The linker's snapshot: `link_state.data`, so that an ingest restores the linker instead of replaying the store.

Stores written before this revision have no snapshot: their next ingest replays them once and saves one.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import inspect

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # store/schema.py declares the column, so a store built by 0001 today has it already
    if "data" not in {c["name"] for c in inspect(op.get_bind()).get_columns("link_state")}:
        op.add_column("link_state", sa.Column("data", sa.LargeBinary))


def downgrade() -> None:
    if "data" in {c["name"] for c in inspect(op.get_bind()).get_columns("link_state")}:
        with op.batch_alter_table("link_state") as batch:
            batch.drop_column("data")
