"""partner contacts: named contacts at each partner body, one its round contact, who each
round workbook was addressed to, and the plan's covering email for a round

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("round_contact", sa.Boolean(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_partner_contact_partner_id_partner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_contact")),
        sa.UniqueConstraint("uid", name=op.f("uq_partner_contact_uid")),
    )
    op.create_index(
        op.f("ix_partner_contact_partner_id"), "partner_contact", ["partner_id"], unique=False
    )
    # plain ADD COLUMNs: nothing is copied, so nothing cascades
    op.add_column("plan", sa.Column("round_email", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "round_recipient",
        sa.Column("contact", sa.String(length=200), server_default="", nullable=False),
    )
    op.add_column(
        "round_recipient",
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("round_recipient", schema=None) as batch_op:
        batch_op.drop_column("email")
        batch_op.drop_column("contact")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("round_email")
    op.drop_index(op.f("ix_partner_contact_partner_id"), table_name="partner_contact")
    op.drop_table("partner_contact")
