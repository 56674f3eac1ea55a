"""sources in the database: how to poll each one, who added it, paused and removed flags

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    "feed_url",
    "parser",
    "interval",
    "timezone",
    "selectors",
    "origin",
    "paused",
    "removed_at",
    "added_by",
    "added_at",
)


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_url", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("parser", sa.String(length=40), server_default="generic", nullable=False))
        batch_op.add_column(sa.Column("interval", sa.Integer(), server_default="600", nullable=False))
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("selectors", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.String(length=10), server_default="file", nullable=False))
        batch_op.add_column(sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("added_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("added_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
