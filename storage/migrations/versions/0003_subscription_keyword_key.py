"""index keyword rules by their first lemma

A keyword subscription of any length is found from the article's words through its first lemma;
the full-keyword index could only find keywords that happen to be one word.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keyword_key", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_subscriptions_keyword_key"), ["keyword_key"], unique=False)
    first_word = (
        "split_part(keyword, ' ', 1)"
        if op.get_bind().dialect.name == "postgresql"
        else "CASE WHEN instr(keyword, ' ') > 0 THEN substr(keyword, 1, instr(keyword, ' ') - 1) ELSE keyword END"
    )
    op.execute(f"UPDATE subscriptions SET keyword_key = {first_word} WHERE keyword IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_keyword_key"))
        batch_op.drop_column("keyword_key")
