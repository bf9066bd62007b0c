"""Indexes for walking reshare chains and reactions (`/api/posts/{id}`: chain, reactions, coverage).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# name -> column of social_posts; store/schema.py declares the same, so a new store has them from 0001
INDEXES = {"ix_social_posts_reshares": "reshares", "ix_social_posts_reacts_to": "reacts_to"}


def upgrade() -> None:
    existing = {ix["name"] for ix in inspect(op.get_bind()).get_indexes("social_posts")}
    for name, column in INDEXES.items():
        if name not in existing:
            op.create_index(name, "social_posts", [column])


def downgrade() -> None:
    existing = {ix["name"] for ix in inspect(op.get_bind()).get_indexes("social_posts")}
    for name in INDEXES:
        if name in existing:
            op.drop_index(name, table_name="social_posts")
