"""update rounds

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "update_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("recipients", sa.String(length=20), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("return_by", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_update_round_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_round")),
        sa.UniqueConstraint("uid", name=op.f("uq_update_round_uid")),
    )
    with op.batch_alter_table("update_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_update_round_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "round_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("returned_by", sa.String(length=200), nullable=False),
        sa.Column("returned_file", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_round_recipient_partner_id_partner"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_round_recipient_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["update_round.id"],
            name=op.f("fk_round_recipient_round_id_update_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_recipient")),
    )
    with op.batch_alter_table("round_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_recipient_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_round_recipient_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_round_recipient_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_recipient_round_id"))
        batch_op.drop_index(batch_op.f("ix_round_recipient_person_id"))
        batch_op.drop_index(batch_op.f("ix_round_recipient_partner_id"))

    op.drop_table("round_recipient")
    with op.batch_alter_table("update_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_update_round_plan_id"))

    op.drop_table("update_round")
