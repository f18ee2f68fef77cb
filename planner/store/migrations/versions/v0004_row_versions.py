"""row versions: every content row counts its changes, for editing a shared plan safely

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERSIONED = (
    "plan",
    "rag_definition",
    "theme",
    "partner",
    "person",
    "action",
    "action_person",
    "action_partner",
    "milestone",
    "progress_update",
    "baseline_change",
    "update_round",
    "round_recipient",
)


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of the plan table would cascade deletes on SQLite
    for table in VERSIONED:
        op.add_column(
            table,
            sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        )


def downgrade() -> None:
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_version")
