"""Roles say where they were read: `roles.start` and `roles.end`, the span of the role's words in its article.

Roles stored before this revision keep null spans (the record that gave them had none).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import inspect

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # store/schema.py declares the columns, so a store built by 0001 today has them already
    have = {c["name"] for c in inspect(op.get_bind()).get_columns("roles")}
    for name in ("start", "end"):
        if name not in have:
            op.add_column("roles", sa.Column(name, sa.Integer))


def downgrade() -> None:
    have = {c["name"] for c in inspect(op.get_bind()).get_columns("roles")}
    with op.batch_alter_table("roles") as batch:
        for name in ("start", "end"):
            if name in have:
                batch.drop_column(name)
