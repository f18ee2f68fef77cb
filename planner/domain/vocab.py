"""Statuses, roles, sectors and RAG ratings, with the labels officers read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LabelledEnum(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def from_text(cls, text: str) -> LabelledEnum | None:
        """Match a stored value or a label, ignoring case and spacing."""
        wanted = " ".join(text.replace("_", " ").split()).casefold()
        for member in cls:
            if wanted in (member.value.replace("_", " ").casefold(), member.label.casefold()):
                return member
        return None


class Status(LabelledEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class RaciRole(LabelledEnum):
    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"

    @property
    def described(self) -> str:
        """The label as a choice shows it: the Accountable person is the lead officer."""
        return f"{self.label} (lead officer)" if self is RaciRole.ACCOUNTABLE else self.label

    @classmethod
    def in_raci_order(cls) -> tuple[RaciRole, ...]:
        """Accountable first, then Responsible, Consulted, Informed."""
        return (cls.ACCOUNTABLE, cls.RESPONSIBLE, cls.CONSULTED, cls.INFORMED)


class PartnerRole(LabelledEnum):
    LEAD = "lead"
    DELIVERY = "delivery"
    CONSULTED = "consulted"
    FUNDER = "funder"


class Sector(LabelledEnum):
    LOCAL_GOVERNMENT = "local_government"
    EMERGENCY_SERVICES = "emergency_services"
    HEALTH = "health"
    EDUCATION = "education"
    CIVIL_SOCIETY = "civil_society"
    CENTRAL_GOVERNMENT = "central_government"
    PRIVATE_SECTOR = "private_sector"


class ReturnRule(LabelledEnum):
    """Who may change an action's status, RAG, % complete and dates in a returned copy."""

    OWNERS = "owners"
    ANYONE = "anyone"


class ProposalState(LabelledEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


_LABELS: dict[StrEnum, str] = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.COMPLETED: "Completed",
    Status.ON_HOLD: "On hold",
    Status.CANCELLED: "Cancelled",
    RaciRole.RESPONSIBLE: "Responsible",
    RaciRole.ACCOUNTABLE: "Accountable",
    RaciRole.CONSULTED: "Consulted",
    RaciRole.INFORMED: "Informed",
    PartnerRole.LEAD: "Lead partner",
    PartnerRole.DELIVERY: "Delivery partner",
    PartnerRole.CONSULTED: "Consulted",
    PartnerRole.FUNDER: "Funder",
    Sector.LOCAL_GOVERNMENT: "Local government",
    Sector.EMERGENCY_SERVICES: "Emergency services",
    Sector.HEALTH: "Health",
    Sector.EDUCATION: "Education",
    Sector.CIVIL_SOCIETY: "Civil society",
    Sector.CENTRAL_GOVERNMENT: "Central government",
    Sector.PRIVATE_SECTOR: "Private sector",
    ReturnRule.OWNERS: "The lead officer and lead partner body only",
    ReturnRule.ANYONE: "Anyone the workbook is sent to",
    ProposalState.PENDING: "Waiting for review",
    ProposalState.ACCEPTED: "Accepted",
    ProposalState.DECLINED: "Declined",
}


def register_labels(labels: dict[StrEnum, str]) -> None:
    """Give the members of an enum defined elsewhere in the domain their labels."""
    _LABELS.update(labels)


@dataclass(frozen=True)
class RagDefinition:
    code: str
    name: str
    colour: str
    meaning: str


DEFAULT_RAG_DEFINITIONS: tuple[RagDefinition, ...] = (
    RagDefinition(
        "R", "Red", "#C0392B", "Off track: needs escalation and a decision from the board."
    ),
    RagDefinition("A", "Amber", "#E67E22", "At risk: issues being managed by the lead officer."),
    RagDefinition("G", "Green", "#27AE60", "On track to deliver on time."),
    RagDefinition("B", "Blue", "#2E86C1", "Complete: delivered and signed off."),
)
