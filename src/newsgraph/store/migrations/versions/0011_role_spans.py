"""Roles say where they were read: `roles.start` and `roles.end`, the span of the role's words in its article;
entities count the names and labels records gave them: `entities.votes`.

Roles stored before this revision keep null spans (the record that gave them had none); an entity stored
before it counts its stored name and label once.

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
    if "votes" not in {c["name"] for c in inspect(op.get_bind()).get_columns("entities")}:
        op.add_column("entities", sa.Column("votes", sa.JSON))


def downgrade() -> None:
    if "votes" in {c["name"] for c in inspect(op.get_bind()).get_columns("entities")}:
        with op.batch_alter_table("entities") as batch:
            batch.drop_column("votes")
    have = {c["name"] for c in inspect(op.get_bind()).get_columns("roles")}
    with op.batch_alter_table("roles") as batch:
        for name in ("start", "end"):
            if name in have:
                batch.drop_column(name)
