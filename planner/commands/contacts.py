"""Partner bodies' contacts: which one a round's workbook is addressed to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands.base import Command, Context
from planner.commands.changes import RowChange
from planner.commands.edits import EditRecord
from planner.commands.tables import table
from planner.errors import ValidationError


class MakeRoundContact(Command):
    """Make one contact its partner body's round contact, in place of any other."""

    def __init__(self, contact_id: int) -> None:
        self.contact_id = contact_id
        self.description = "Change the round contact"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        contacts = table("partner_contact")
        found = session.execute(
            select(contacts.c.partner_id, contacts.c.name).where(contacts.c.id == self.contact_id)
        ).first()
        if found is None:
            raise ValidationError("round_contact", "That contact is no longer in the plan.")
        partner_id, name = found
        self.description = f"Make {name} the round contact"
        changes: list[RowChange] = []
        others = session.scalars(
            select(contacts.c.id).where(
                contacts.c.partner_id == partner_id,
                contacts.c.round_contact.is_(True),
                contacts.c.id != self.contact_id,
            )
        )
        for other in list(others):
            changes.extend(
                EditRecord("partner_contact", other, {"round_contact": False}).apply(
                    session, context
                )
            )
        changes.extend(
            EditRecord("partner_contact", self.contact_id, {"round_contact": True}).apply(
                session, context
            )
        )
        return changes
