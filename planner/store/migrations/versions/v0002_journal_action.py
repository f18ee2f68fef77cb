"""journal entries remember the action they belong to

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Tables whose rows carry the action they belong to.
CHILD_TABLES = ("action_person", "action_partner", "milestone", "progress_update")


def upgrade() -> None:
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_journal_action_id"), ["action_id"], unique=False)
    op.execute("UPDATE journal SET action_id = entity_id WHERE entity = 'action'")
    for table in CHILD_TABLES:
        op.execute(
            f"UPDATE journal SET action_id = (SELECT action_id FROM {table} "
            f"WHERE {table}.id = journal.entity_id) WHERE entity = '{table}'"
        )


def downgrade() -> None:
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_action_id"))
        batch_op.drop_column("action_id")
