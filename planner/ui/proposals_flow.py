"""File > Review proposals: each decision is an undoable command on the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.commands import Command
from planner.commands.proposals import AcceptProposal, DeclineProposal
from planner.queries.lookups import theme_choices
from planner.queries.proposals import ProposalRow, proposal_rows
from planner.ui.messages import show_error
from planner.ui.proposals_view import ReviewProposalsDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.ui.document import PlanDocument
    from planner.ui.window_api import PlanWindow


class ProposalsReview:
    """Connects the review dialog to the plan: fresh rows in, decisions out."""

    def __init__(self, dialog: ReviewProposalsDialog, document: PlanDocument) -> None:
        self.dialog = dialog
        self.document = document
        dialog.accept_requested.connect(self.accept)
        dialog.decline_requested.connect(self.decline)
        dialog.show_decided_changed.connect(lambda _shown: self.refresh())
        document.changed.connect(self._changed)
        self.refresh()

    def _changed(self, _applied: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        decided = self.dialog.show_decided.isChecked()

        def query(session: Session, plan_id: int) -> list[ProposalRow]:
            return proposal_rows(session, plan_id, decided=decided)

        self.dialog.set_rows(self.document.read(query))

    def _run(self, command: Command, failure: str) -> bool:
        applied = self.document.try_execute(
            command, lambda error: show_error(self.dialog, error, failure)
        )
        if applied is None:
            return False
        self.dialog.say(f"{applied.description}. Edit > Undo takes it back.")
        return True

    def accept(self, proposal_id: int, theme_id: object) -> bool:
        theme = theme_id if isinstance(theme_id, int) else None
        return self._run(AcceptProposal(proposal_id, theme), "The proposal was not accepted")

    def decline(self, proposal_id: int) -> bool:
        return self._run(DeclineProposal(proposal_id), "The proposal was not declined")

    def close(self) -> None:
        self.document.changed.disconnect(self._changed)


def run_dialog(dialog: ReviewProposalsDialog) -> None:
    dialog.exec()


def review_proposals(window: PlanWindow) -> None:
    document = window.document
    if document is None:
        return
    dialog = ReviewProposalsDialog(
        window.widget, themes=document.read(theme_choices), read_only=document.read_only
    )
    review = ProposalsReview(dialog, document)
    try:
        run_dialog(dialog)
    finally:
        review.close()
        dialog.deleteLater()
