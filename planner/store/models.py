"""The plan as tables: SQLAlchemy 2 typed ORM, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uid() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Tables whose rows carry a row version: the plan's content, which officers edit.
VERSIONED = (
    "plan",
    "rag_definition",
    "theme",
    "partner",
    "partner_contact",
    "person",
    "action",
    "action_person",
    "action_partner",
    "milestone",
    "progress_update",
    "baseline_change",
    "update_round",
    "round_recipient",
    "merged_return",
    "returned_value",
    "proposal",
    "outcome",
    "outcome_link",
    "measure",
    "measure_value",
    "benefit",
    "benefit_value",
    "budget_line",
    "funding",
)


def row_version_column() -> Mapped[int]:
    """How many times the row has been written: every change raises it by one, and a
    change is made only if the row still has the version the editor last saw."""
    return mapped_column(Integer, default=1, server_default=text("1"), sort_order=100)


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    title: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    status_date: Mapped[date] = mapped_column(Date)
    protective_marking: Mapped[str] = mapped_column(String(60), default="OFFICIAL")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    # who may change an action's progress and dates in a returned copy: "owners" or "anyone"
    return_rule: Mapped[str] = mapped_column(
        String(20), default="owners", server_default=text("'owners'"), sort_order=101
    )
    # the covering email of a round's workbooks, as the officer edited it ("" for the standard)
    round_email: Mapped[str] = mapped_column(
        Text, default="", server_default=text("''"), sort_order=102
    )
    # how far short of its target a measure may fall and still be within tolerance (%)
    measure_tolerance: Mapped[float] = mapped_column(
        Float, default=5.0, server_default=text("5"), sort_order=103
    )
    # how far from its profile an action's spend may be before it is flagged (% of budget)
    spend_tolerance: Mapped[float] = mapped_column(
        Float, default=10.0, server_default=text("10"), sort_order=104
    )

    themes: Mapped[list[Theme]] = relationship(
        back_populates="plan", order_by="Theme.number", viewonly=True
    )
    rag_definitions: Mapped[list[RagDefinitionRow]] = relationship(
        order_by="RagDefinitionRow.position", viewonly=True
    )


class RagDefinitionRow(Base):
    __tablename__ = "rag_definition"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(9))
    meaning: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Theme(Base):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))

    plan: Mapped[Plan] = relationship(back_populates="themes", viewonly=True)
    actions: Mapped[list[Action]] = relationship(
        back_populates="theme", order_by="Action.position", viewonly=True
    )


class Partner(Base):
    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40), default="")
    sector: Mapped[str] = mapped_column(String(30))


class PartnerContact(Base):
    """A named contact at a partner body; one of them is the body's round contact, to
    whom its update round workbook is addressed."""

    __tablename__ = "partner_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    round_contact: Mapped[bool] = mapped_column(Boolean, default=False)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(200), default="")

    organisation: Mapped[Partner | None] = relationship(viewonly=True)


class Action(Base):
    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("plan_id", "ref"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    ref: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    baseline_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    rag: Mapped[str | None] = mapped_column(String(4))
    percent: Mapped[int] = mapped_column(Integer, default=0)

    theme: Mapped[Theme] = relationship(back_populates="actions", viewonly=True)
    people: Mapped[list[ActionPerson]] = relationship(viewonly=True, order_by="ActionPerson.id")
    partners: Mapped[list[ActionPartner]] = relationship(viewonly=True, order_by="ActionPartner.id")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="action", viewonly=True, order_by="(Milestone.due, Milestone.id)"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        viewonly=True, order_by="(ProgressUpdate.as_at, ProgressUpdate.id)"
    )


class ActionPerson(Base):
    __tablename__ = "action_person"
    __table_args__ = (
        UniqueConstraint("action_id", "person_id"),
        Index(
            "uq_action_person_one_lead",
            "action_id",
            unique=True,
            # PostgreSQL's copy of this index has the same condition, made by the
            # migrations: naming it here would load the PostgreSQL dialect at every start.
            sqlite_where=text("role = 'A'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(1))

    person: Mapped[Person] = relationship(viewonly=True)


class ActionPartner(Base):
    __tablename__ = "action_partner"
    __table_args__ = (UniqueConstraint("action_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    partner: Mapped[Partner] = relationship(viewonly=True)


class Milestone(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[date | None] = mapped_column(Date, index=True)
    baseline_due: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[Action] = relationship(back_populates="milestones", viewonly=True)
    owner: Mapped[Person | None] = relationship(viewonly=True)


class ProgressUpdate(Base):
    __tablename__ = "progress_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    as_at: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    rag: Mapped[str | None] = mapped_column(String(4))
    percent: Mapped[int] = mapped_column(Integer, default=0)
    commentary: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    # who wrote it when not a person of the plan, e.g. the name given in a returned copy
    author_name: Mapped[str] = mapped_column(
        String(200), default="", server_default=text("''"), sort_order=101
    )
    # the partner body that sent it, for updates merged from a returned copy
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True, sort_order=102
    )

    author: Mapped[Person | None] = relationship(viewonly=True)


class BaselineChange(Base):
    """A re-baselining: the old agreed date, the new one, why and on whose authority."""

    __tablename__ = "baseline_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True
    )
    old_due: Mapped[date | None] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(200))
    decision_ref: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)


# The journal's field for a whole record added, removed, or a local copy taken of the plan.
CREATED = "(created)"
DELETED = "(deleted)"
DOWNLOADED = "(downloaded)"


class JournalEntry(Base):
    """One changed field (or a created or deleted record) and where the change came from."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    who: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="edit")
    # The action the change belongs to, kept even after that record is deleted.
    action_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The merged return the change came from (kept after that record is deleted).
    return_id: Mapped[int | None] = mapped_column(Integer, index=True)

    __table_args__ = (Index("ix_journal_entity", "entity", "entity_id"),)


class UpdateRound(Base):
    """A round of updates: the plan sent to each recipient, to be returned by a date."""

    __tablename__ = "update_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    recipients: Mapped[str] = mapped_column(String(20))  # "partner" or "lead"
    as_at: Mapped[date] = mapped_column(Date)
    return_by: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date] = mapped_column(Date)
    folder: Mapped[str] = mapped_column(Text, default="")


class RoundRecipient(Base):
    """One workbook sent in a round, and whether it has come back."""

    __tablename__ = "round_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    round_id: Mapped[int] = mapped_column(
        ForeignKey("update_round.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(300))
    returned_on: Mapped[date | None] = mapped_column(Date)
    returned_by: Mapped[str] = mapped_column(String(200), default="")
    returned_file: Mapped[str] = mapped_column(String(300), default="")
    # Who the workbook was addressed to, as the round started.
    contact: Mapped[str] = mapped_column(
        String(200), default="", server_default=text("''"), sort_order=101
    )
    email: Mapped[str] = mapped_column(
        String(200), default="", server_default=text("''"), sort_order=102
    )


class MergedReturn(Base):
    """A returned copy merged into the plan: which export it answers, who sent it, and
    who merged it when. A file merged once is known again by its fingerprint."""

    __tablename__ = "merged_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    export_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    round_uid: Mapped[str] = mapped_column(String(32), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(300), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    returned_by: Mapped[str] = mapped_column(String(200), default="")
    exported_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    merged_at: Mapped[datetime] = mapped_column(DateTime)
    merged_by: Mapped[str] = mapped_column(String(200), default="")
    warnings: Mapped[str] = mapped_column(Text, default="")


class ReturnedValue(Base):
    """One value a merged return sent for a field, and what became of it."""

    __tablename__ = "returned_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    return_id: Mapped[int] = mapped_column(
        ForeignKey("merged_return.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(40))
    record_uid: Mapped[str] = mapped_column(String(32), index=True)
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[str | None] = mapped_column(Text)
    # the field's value in the plan when the return was merged
    previous: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20))
    # the record the value made, e.g. the progress update a returned commentary became
    made_uid: Mapped[str] = mapped_column(String(32), default="")


class Proposal(Base):
    """A new action or milestone proposed in a returned copy, waiting for review."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("merged_return.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # "action" or "milestone"
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="{}")  # the row's values, as JSON
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True
    )
    proposed_by: Mapped[str] = mapped_column(String(200), default="")
    proposed_on: Mapped[date] = mapped_column(Date)
    lead_name: Mapped[str] = mapped_column(String(200), default="")
    lead_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    record_uid: Mapped[str] = mapped_column(String(32), default="")


# ----- what the plan is for: outcomes, measures, benefits and money ----------------
# Financial years are kept as the calendar year they start in (2013 for 2013/14); a
# quarter is 1 to 4, or 0 for a figure of the whole year. Money is in whole pounds.


class Outcome(Base):
    """An intended result of the strategy, served by themes and actions."""

    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")


class OutcomeLink(Base):
    """A theme or an action that serves an outcome (exactly one of the two)."""

    __tablename__ = "outcome_link"
    __table_args__ = (
        UniqueConstraint("outcome_id", "theme_id", "action_id"),
        CheckConstraint("(theme_id IS NULL) <> (action_id IS NULL)", name="theme_or_action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcome.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), index=True
    )


class Measure(Base):
    """An indicator of an outcome, with a baseline and a target for each period."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome.id", ondelete="SET NULL"), index=True
    )
    # the action whose work the measure shows, if one does
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="number")
    better: Mapped[str] = mapped_column(String(10), default="higher")
    frequency: Mapped[str] = mapped_column(String(20), default="quarterly")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True
    )
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_on: Mapped[date | None] = mapped_column(Date)


class MeasureValue(Base):
    """A measure's target and actual for one period, with what the owner said of it."""

    __tablename__ = "measure_value"
    __table_args__ = (
        UniqueConstraint("measure_id", "year", "quarter"),
        CheckConstraint("quarter >= 0 AND quarter <= 4", name="quarter_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer, default=0)
    target: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    commentary: Mapped[str] = mapped_column(Text, default="")
    data_quality: Mapped[str] = mapped_column(Text, default="")


class Benefit(Base):
    """A benefit an action brings, to a partner body."""

    __tablename__ = "benefit"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="SET NULL"), index=True
    )
    evidence: Mapped[str] = mapped_column(Text, default="")


class BenefitValue(Base):
    """A benefit's planned and realised value in one financial year, and who validated
    the realised value (a section 151 officer, say) and when."""

    __tablename__ = "benefit_value"
    __table_args__ = (UniqueConstraint("benefit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    benefit_id: Mapped[int] = mapped_column(
        ForeignKey("benefit.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    planned: Mapped[int | None] = mapped_column(Integer)
    realised: Mapped[int | None] = mapped_column(Integer)
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    validated_on: Mapped[date | None] = mapped_column(Date)


class BudgetLine(Base):
    """An action's budget for one financial year and what it has spent of it so far."""

    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("action_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    budget: Mapped[int] = mapped_column(Integer, default=0)
    spent: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class Funding(Base):
    """A partner body's contribution to an action's budget in one financial year."""

    __tablename__ = "funding"
    __table_args__ = (UniqueConstraint("action_id", "partner_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_version: Mapped[int] = row_version_column()
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer, default=0)


# Tables holding the plan itself, parents before children (the journal is not plan content).
CONTENT_MODELS: tuple[type[Base], ...] = (
    Plan,
    RagDefinitionRow,
    Theme,
    Partner,
    PartnerContact,
    Person,
    Action,
    ActionPerson,
    ActionPartner,
    Milestone,
    ProgressUpdate,
    BaselineChange,
    UpdateRound,
    RoundRecipient,
    MergedReturn,
    ReturnedValue,
    Proposal,
    Outcome,
    OutcomeLink,
    Measure,
    MeasureValue,
    Benefit,
    BenefitValue,
    BudgetLine,
    Funding,
)
