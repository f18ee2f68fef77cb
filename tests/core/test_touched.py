"""Every command says what it touched: the actions, milestones, people and partner
bodies, and whether the plan's structure changed. The window refreshes from this."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from planner.commands import (
    AddProgressUpdate,
    Command,
    CommandRunner,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    MoveTheme,
    Rebaseline,
    SetLeadOfficer,
)
from planner.commands.touched import Touched
from planner.store.models import (
    Action,
    ActionPartner,
    Milestone,
    Partner,
    PartnerContact,
    Person,
    Theme,
)
from planner.store.planfile import PlanFile


def _id(plan: PlanFile, model: Any, **where: Any) -> int:
    with plan.Session() as session:
        query = select(model.id)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.scalars(query.order_by(model.id)).first())


def _touches(runner: CommandRunner, command: Command) -> Touched:
    applied = runner.execute(command)
    undone = runner.undo(applied)
    assert undone.touches == applied.touches  # undo touches the same records
    return applied.touches


def test_a_milestone_date_touches_its_action_and_milestone_only(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    milestone = _id(sample_plan, Milestone)
    with sample_plan.Session() as session:
        owner = session.get_one(Milestone, milestone).action_id
    touches = _touches(runner, EditRecord("milestone", milestone, {"due": date(2014, 5, 1)}))
    assert touches.actions == {owner}
    assert touches.milestones == {milestone}
    assert not touches.people and not touches.partners
    assert not touches.structure
    assert not touches.reaches_every_action


def test_links_updates_and_baselines_touch_their_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    action = _id(sample_plan, Action, ref="3.4")
    person = _id(sample_plan, Person, name="Ruth Calloway")
    with sample_plan.Session() as session:
        linked = select(ActionPartner.partner_id).where(ActionPartner.action_id == action)
        partner = session.scalars(select(Partner.id).where(Partner.id.not_in(linked))).first()
    assert partner is not None
    commands: list[Command] = [
        CreateRecord("action_person", {"action_id": action, "person_id": person, "role": "C"}),
        CreateRecord(
            "action_partner", {"action_id": action, "partner_id": partner, "role": "delivery"}
        ),
        AddProgressUpdate(
            action, {"as_at": date(2014, 1, 31), "commentary": "Going well", "percent": 40}
        ),
        Rebaseline("action", action, date(2015, 3, 31), "Scope widened", "Partnership Board"),
        SetLeadOfficer(action, person),
        EditRecord("action", action, {"title": "Refresh governance", "percent": 35}),
    ]
    for command in commands:
        touches = _touches(runner, command)
        assert touches.actions == {action}, command.description
        assert not touches.structure, command.description
        assert not touches.reaches_every_action, command.description


def test_a_removed_milestone_names_its_action(sample_plan: PlanFile, runner: CommandRunner) -> None:
    milestone = _id(sample_plan, Milestone)
    with sample_plan.Session() as session:
        owner = session.get_one(Milestone, milestone).action_id
    touches = _touches(runner, DeleteRecord("milestone", milestone))
    assert touches.actions == {owner}
    assert touches.milestones == {milestone}
    assert not touches.structure


def test_the_action_list_changing_is_a_change_of_structure(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    action = _id(sample_plan, Action, ref="3.4")
    themes = [_id(sample_plan, Theme, number=n) for n in (1, 2)]
    commands: list[Command] = [
        MoveAction(action, themes[0]),
        MoveTheme(themes[1], 1),
        EditRecord("theme", themes[0], {"title": "Digital by default"}),
        CreateRecord("action", {"theme_id": themes[0], "ref": "1.99", "title": "New work"}),
        EditRecord("plan", sample_plan.plan_id, {"status_date": date(2014, 1, 31)}),
    ]
    for command in commands:
        touches = _touches(runner, command)
        assert touches.structure, command.description
        assert touches.reaches_every_action, command.description


def test_people_and_partner_bodies_are_named(sample_plan: PlanFile, runner: CommandRunner) -> None:
    person = _id(sample_plan, Person, name="Ruth Calloway")
    renamed = _touches(runner, EditRecord("person", person, {"name": "Ruth Galloway"}))
    assert renamed.people == {person}
    assert not renamed.structure  # the same people, one renamed
    assert renamed.reaches_every_action  # every action naming her shows it

    partner = _id(sample_plan, Partner)
    added = _touches(
        runner, CreateRecord("person", {"name": "Sam Ode", "organisation_id": partner})
    )
    assert added.structure  # the list of people changed

    contact = _id(sample_plan, PartnerContact)
    with sample_plan.Session() as session:
        body = session.get_one(PartnerContact, contact).partner_id
    edited = _touches(runner, EditRecord("partner_contact", contact, {"phone": "01632 960000"}))
    assert edited.partners == {body}
    assert edited.actions == frozenset()
