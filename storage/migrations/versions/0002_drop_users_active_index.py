"""drop the index on users.active

Nearly every user is active, so the index selects almost everything; SQLite's planner still
preferred it over the primary key for `id IN (...) AND active`, turning the per-article user
look-up of matching into a scan of all users.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_active")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_active", ["active"], unique=False)
