"""what the plan is for: outcomes linked to themes and actions, measures with targets
and actuals by period, benefits by financial year, and each action's budget and funding;
the plan's tolerances for measures and spend

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_outcome_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
        sa.UniqueConstraint("uid", name=op.f("uq_outcome_uid")),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "benefit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_benefit_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_benefit_partner_id_partner"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit")),
        sa.UniqueConstraint("uid", name=op.f("uq_benefit_uid")),
    )
    with op.batch_alter_table("benefit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benefit_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_benefit_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("spent", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_budget_line_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line")),
        sa.UniqueConstraint("action_id", "year", name=op.f("uq_budget_line_action_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_budget_line_uid")),
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_action_id"), ["action_id"], unique=False)

    op.create_table(
        "funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_funding_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_funding_partner_id_partner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding")),
        sa.UniqueConstraint("action_id", "partner_id", "year", name=op.f("uq_funding_action_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_funding_uid")),
    )
    with op.batch_alter_table("funding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funding_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_funding_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("better", sa.String(length=10), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_on", sa.Date(), nullable=True),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_measure_action_id_action"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_measure_outcome_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["person.id"],
            name=op.f("fk_measure_owner_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_measure_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["partner.id"],
            name=op.f("fk_measure_source_id_partner"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
        sa.UniqueConstraint("uid", name=op.f("uq_measure_uid")),
    )
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_outcome_id"), ["outcome_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_source_id"), ["source_id"], unique=False)

    op.create_table(
        "outcome_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "(theme_id IS NULL) <> (action_id IS NULL)",
            name=op.f("ck_outcome_link_theme_or_action"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_outcome_link_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_outcome_link_outcome_id_outcome"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_outcome_link_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_link")),
        sa.UniqueConstraint(
            "outcome_id", "theme_id", "action_id", name=op.f("uq_outcome_link_outcome_id")
        ),
    )
    with op.batch_alter_table("outcome_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_link_action_id"), ["action_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outcome_link_outcome_id"), ["outcome_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outcome_link_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "benefit_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("benefit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=True),
        sa.Column("realised", sa.Integer(), nullable=True),
        sa.Column("validated_by_id", sa.Integer(), nullable=True),
        sa.Column("validated_on", sa.Date(), nullable=True),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["benefit_id"],
            ["benefit.id"],
            name=op.f("fk_benefit_value_benefit_id_benefit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["validated_by_id"],
            ["person.id"],
            name=op.f("fk_benefit_value_validated_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_value")),
        sa.UniqueConstraint("benefit_id", "year", name=op.f("uq_benefit_value_benefit_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_benefit_value_uid")),
    )
    with op.batch_alter_table("benefit_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benefit_value_benefit_id"), ["benefit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_benefit_value_validated_by_id"), ["validated_by_id"], unique=False
        )

    op.create_table(
        "measure_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("commentary", sa.Text(), nullable=False),
        sa.Column("data_quality", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "quarter >= 0 AND quarter <= 4", name=op.f("ck_measure_value_quarter_range")
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_measure_value_measure_id_measure"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_value")),
        sa.UniqueConstraint(
            "measure_id", "year", "quarter", name=op.f("uq_measure_value_measure_id")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_measure_value_uid")),
    )
    with op.batch_alter_table("measure_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_value_measure_id"), ["measure_id"], unique=False
        )

    # plain ADD COLUMNs: nothing is copied, so nothing cascades
    op.add_column(
        "plan",
        sa.Column("measure_tolerance", sa.Float(), server_default=sa.text("5"), nullable=False),
    )
    op.add_column(
        "plan",
        sa.Column("spend_tolerance", sa.Float(), server_default=sa.text("10"), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("spend_tolerance")
        batch_op.drop_column("measure_tolerance")

    with op.batch_alter_table("measure_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_value_measure_id"))

    op.drop_table("measure_value")
    with op.batch_alter_table("benefit_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_value_validated_by_id"))
        batch_op.drop_index(batch_op.f("ix_benefit_value_benefit_id"))

    op.drop_table("benefit_value")
    with op.batch_alter_table("outcome_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_link_theme_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_link_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_link_action_id"))

    op.drop_table("outcome_link")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_source_id"))
        batch_op.drop_index(batch_op.f("ix_measure_plan_id"))
        batch_op.drop_index(batch_op.f("ix_measure_owner_id"))
        batch_op.drop_index(batch_op.f("ix_measure_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_measure_action_id"))

    op.drop_table("measure")
    with op.batch_alter_table("funding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_partner_id"))
        batch_op.drop_index(batch_op.f("ix_funding_action_id"))

    op.drop_table("funding")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_line_action_id"))

    op.drop_table("budget_line")
    with op.batch_alter_table("benefit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_partner_id"))
        batch_op.drop_index(batch_op.f("ix_benefit_action_id"))

    op.drop_table("benefit")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_plan_id"))

    op.drop_table("outcome")
