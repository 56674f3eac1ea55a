"""weekly summary and surge opt-ins, the surges found, the summaries sent

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_summary", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("surge_alerts", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "surges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("usual", sa.Float(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surges")),
        sa.UniqueConstraint("key", "day", name=op.f("uq_surges_key_day")),
    )
    op.create_index(op.f("ix_surges_day"), "surges", ["day"], unique=False)
    op.create_table(
        "summaries_sent",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_summaries_sent_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "week_start", name=op.f("pk_summaries_sent")),
    )


def downgrade() -> None:
    op.drop_table("summaries_sent")
    op.drop_index(op.f("ix_surges_day"), table_name="surges")
    op.drop_table("surges")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("surge_alerts")
        batch_op.drop_column("weekly_summary")
