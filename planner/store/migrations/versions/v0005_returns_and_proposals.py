"""returns and proposals: each merged return with the values it sent, proposals waiting
for review, who may change what in a return, and who wrote a merged update

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of the plan table would cascade deletes on SQLite
    op.add_column(
        "plan",
        sa.Column("return_rule", sa.String(length=20), server_default="owners", nullable=False),
    )
    op.add_column("journal", sa.Column("return_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_journal_return_id"), "journal", ["return_id"], unique=False)
    # nothing refers to progress updates, so copying that table in a batch deletes nothing
    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("author_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("partner_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_progress_update_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_progress_update_partner_id_partner"),
            "partner",
            ["partner_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "merged_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.String(length=64), nullable=False),
        sa.Column("round_uid", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("returned_by", sa.String(length=200), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("merged_by", sa.String(length=200), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_merged_return_partner_id_partner"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_merged_return_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_merged_return_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merged_return")),
        sa.UniqueConstraint("uid", name=op.f("uq_merged_return_uid")),
    )
    with op.batch_alter_table("merged_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merged_return_export_id"), ["export_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_merged_return_fingerprint"), ["fingerprint"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_merged_return_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_merged_return_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_merged_return_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "returned_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("made_uid", sa.String(length=32), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["merged_return.id"],
            name=op.f("fk_returned_value_return_id_merged_return"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returned_value")),
    )
    with op.batch_alter_table("returned_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_returned_value_record_uid"), ["record_uid"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_returned_value_return_id"), ["return_id"], unique=False
        )

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("lead_name", sa.String(length=200), nullable=False),
        sa.Column("lead_person_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_person_id"],
            ["person.id"],
            name=op.f("fk_proposal_lead_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_proposal_partner_id_partner"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_proposal_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["merged_return.id"],
            name=op.f("fk_proposal_return_id_merged_return"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
        sa.UniqueConstraint("uid", name=op.f("uq_proposal_uid")),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_lead_person_id"), ["lead_person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_return_id"), ["return_id"], unique=False)


def downgrade() -> None:
    op.drop_table("proposal")
    op.drop_table("returned_value")
    op.drop_table("merged_return")
    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_progress_update_partner_id_partner"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_progress_update_partner_id"))
        batch_op.drop_column("partner_id")
        batch_op.drop_column("author_name")
    op.drop_index(op.f("ix_journal_return_id"), table_name="journal")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_column("return_id")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("return_rule")
