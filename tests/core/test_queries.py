"""Read-only questions of a plan: which actions match a filter, table rows, summaries.

Expected answers are worked out independently in Python from the plan's rows (the
"oracle" helpers below) and compared with what the queries return.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from planner.commands import CommandRunner, EditRecord, MoveTheme
from planner.queries import (
    ActionFilter,
    action_rows,
    filter_actions,
    milestone_rows,
    plan_counts,
    plan_summary,
)
from planner.queries.search import action_texts, matching_actions
from planner.store.models import CONTENT_MODELS
from planner.store.planfile import PlanFile

STATUS_DATE = date(2013, 12, 31)
CLOSED = {"completed", "cancelled"}


# ----- helpers: the plan's rows, and expected answers worked out in Python ------------


def rows(plan_file: PlanFile, table_name: str, **where: Any) -> list[dict[str, Any]]:
    model = next(m for m in CONTENT_MODELS if m.__tablename__ == table_name)
    tbl = model.__table__
    query = select(tbl).order_by(tbl.c.id)
    for name, value in where.items():
        query = query.where(tbl.c[name].is_(None) if value is None else tbl.c[name] == value)
    with plan_file.Session() as session:
        return [dict(found) for found in session.execute(query).mappings()]


def plan_order(plan_file: PlanFile) -> list[int]:
    """All action ids in the order the plan shows them: theme number, then position."""
    numbers = {t["id"]: t["number"] for t in rows(plan_file, "theme")}
    actions = rows(plan_file, "action")
    return [
        a["id"]
        for a in sorted(actions, key=lambda a: (numbers[a["theme_id"]], a["position"], a["id"]))
    ]


def ids_where(plan_file: PlanFile, keep: Any) -> list[int]:
    """Action ids, in plan order, for which keep(action row) is true."""
    by_id = {a["id"]: a for a in rows(plan_file, "action")}
    return [aid for aid in plan_order(plan_file) if keep(by_id[aid])]


def searchable(plan_file: PlanFile) -> dict[int, str]:
    """Per action: ref, title, description, milestone titles and notes, update commentary."""
    texts: dict[int, list[str]] = {
        a["id"]: [a["ref"], a["title"], a["description"]] for a in rows(plan_file, "action")
    }
    for m in rows(plan_file, "milestone"):
        texts[m["action_id"]] += [m["title"], m["note"]]
    for u in rows(plan_file, "progress_update"):
        texts[u["action_id"]].append(u["commentary"])
    return {aid: "\n".join(parts).casefold() for aid, parts in texts.items()}


def overdue_oracle(plan_file: PlanFile, status_date: date) -> list[int]:
    late_milestone = {
        m["action_id"]
        for m in rows(plan_file, "milestone")
        if m["completed_on"] is None and m["due"] is not None and m["due"] < status_date
    }
    return ids_where(
        plan_file,
        lambda a: (
            (a["due"] is not None and a["due"] < status_date and a["status"] not in CLOSED)
            or a["id"] in late_milestone
        ),
    )


def find(plan_file: PlanFile, wanted: ActionFilter) -> list[int]:
    with plan_file.Session() as session:
        return filter_actions(session, plan_file.plan_id, wanted)


def typed(plan_file: PlanFile, text: str) -> list[int]:
    """The filter box's answer (words read once into memory), in plan order."""
    with plan_file.Session() as session:
        found = matching_actions(action_texts(session, plan_file.plan_id), text)
    return [aid for aid in plan_order(plan_file) if aid in found]


def action_id(plan_file: PlanFile, ref: str) -> int:
    (found,) = rows(plan_file, "action", ref=ref)
    return int(found["id"])


def refs(plan_file: PlanFile, ids: list[int]) -> list[str]:
    by_id = {a["id"]: a["ref"] for a in rows(plan_file, "action")}
    return [by_id[aid] for aid in ids]


def theme_id(plan_file: PlanFile, number: int) -> int:
    (found,) = rows(plan_file, "theme", number=number)
    return int(found["id"])


def person_id(plan_file: PlanFile, name: str) -> int:
    (found,) = rows(plan_file, "person", name=name)
    return int(found["id"])


def partner_id(plan_file: PlanFile, name: str) -> int:
    (found,) = rows(plan_file, "partner", name=name)
    return int(found["id"])


# ----- the sample is what the queries are tested against --------------------------------


def test_sample_status_date_is_the_end_of_2013(sample_plan: PlanFile) -> None:
    (plan,) = rows(sample_plan, "plan")
    assert plan["status_date"] == STATUS_DATE


def test_plan_counts_on_the_sample(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        counts = plan_counts(session, sample_plan.plan_id)
    assert counts.themes == 7
    assert counts.actions >= 25
    assert counts.partners == 10
    assert counts.people >= 10
    assert counts.milestones >= 60
    assert counts.actions == len(rows(sample_plan, "action"))
    assert counts.people == len(rows(sample_plan, "person"))
    assert counts.milestones == len(rows(sample_plan, "milestone"))
    assert counts.updates == len(rows(sample_plan, "progress_update"))
    assert counts.person_links == len(rows(sample_plan, "action_person"))
    assert counts.partner_links == len(rows(sample_plan, "action_partner"))
    shown = counts.as_dict()
    expected = {
        "themes": 7,
        "actions": counts.actions,
        "milestones": counts.milestones,
        "people": counts.people,
        "partners": 10,
    }
    assert {key: shown[key] for key in expected} == expected


# ----- filter_actions ---------------------------------------------------------------------


def test_empty_filter_gives_every_action_in_plan_order(sample_plan: PlanFile) -> None:
    found = find(sample_plan, ActionFilter())
    assert found == plan_order(sample_plan)
    assert refs(sample_plan, found)[:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert find(sample_plan, ActionFilter(text="   ")) == found


@pytest.mark.parametrize(
    "text", ["psn", "Openreach", "G-Cloud", "CCG", "caldicott", "library", "4.2", "board"]
)
def test_text_filter_matches_what_the_oracle_finds(sample_plan: PlanFile, text: str) -> None:
    texts = searchable(sample_plan)
    expected = [aid for aid in plan_order(sample_plan) if text.casefold() in texts[aid]]
    assert expected, f"the sample should mention {text!r}"
    assert find(sample_plan, ActionFilter(text=text)) == expected
    assert find(sample_plan, ActionFilter(text=f"  {text.upper()}  ")) == expected
    assert typed(sample_plan, text) == expected
    assert typed(sample_plan, f"  {text.upper()}  ") == expected


def test_text_filter_finds_progress_commentary(sample_plan: PlanFile) -> None:
    # "Openreach" appears only in the progress commentary of action 4.1
    assert refs(sample_plan, find(sample_plan, ActionFilter(text="openreach"))) == ["4.1"]


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("action", "ref"),
        ("action", "title"),
        ("action", "description"),
        ("milestone", "note"),
        ("milestone", "title"),
        ("progress_update", "commentary"),
    ],
)
def test_text_filter_searches_each_field(
    sample_plan: PlanFile, runner: CommandRunner, table: str, field: str
) -> None:
    target = action_id(sample_plan, "5.3")
    record = target if table == "action" else rows(sample_plan, table, action_id=target)[0]["id"]
    assert find(sample_plan, ActionFilter(text="zanzibar")) == []
    with sample_plan.Session() as session:
        texts = action_texts(session, sample_plan.plan_id)
    runner.execute(EditRecord(table, record, {field: "ZANZIBAR-7"}))
    assert find(sample_plan, ActionFilter(text="zanzibar")) == [target]
    assert find(sample_plan, ActionFilter(text="Zanzibar-7")) == [target]
    assert find(sample_plan, ActionFilter(text="zanzibar-8")) == []
    assert typed(sample_plan, "Zanzibar-7") == [target]
    assert typed(sample_plan, "zanzibar-8") == []
    # the words of the changed action alone, read again, bring the rest up to date
    assert matching_actions(texts, "zanzibar") == set()
    with sample_plan.Session() as session:
        texts.update(action_texts(session, sample_plan.plan_id, [target]))
    assert texts == typed_texts(sample_plan)
    assert matching_actions(texts, "zanzibar") == {target}


def test_text_filter_does_not_search_other_plans_fields(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    runner.execute(
        EditRecord("person", person_id(sample_plan, "Helen Ashworth"), {"job_title": "Zanzibar"})
    )
    runner.execute(EditRecord("theme", theme_id(sample_plan, 1), {"title": "Zanzibar"}))
    assert find(sample_plan, ActionFilter(text="zanzibar")) == []
    assert typed(sample_plan, "zanzibar") == []


def test_theme_filter(sample_plan: PlanFile) -> None:
    three = theme_id(sample_plan, 3)
    found = find(sample_plan, ActionFilter(theme_ids=frozenset({three})))
    assert refs(sample_plan, found) == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    both = find(sample_plan, ActionFilter(theme_ids=frozenset({three, theme_id(sample_plan, 6)})))
    assert refs(sample_plan, both) == ["3.1", "3.2", "3.3", "3.4", "3.5", "6.1", "6.2", "6.3"]


def test_results_follow_the_theme_order(sample_plan: PlanFile, runner: CommandRunner) -> None:
    runner.execute(MoveTheme(theme_id(sample_plan, 6), 1))
    found = find(sample_plan, ActionFilter(theme_ids=frozenset({theme_id(sample_plan, 1)})))
    assert refs(sample_plan, found) == ["6.1", "6.2", "6.3"]
    assert refs(sample_plan, find(sample_plan, ActionFilter()))[:4] == ["6.1", "6.2", "6.3", "1.1"]


def test_person_filter_finds_every_action_they_have_a_role_on(sample_plan: PlanFile) -> None:
    pid = person_id(sample_plan, "David Pennington")
    linked = {link["action_id"] for link in rows(sample_plan, "action_person", person_id=pid)}
    found = find(sample_plan, ActionFilter(person_id=pid))
    assert found == ids_where(sample_plan, lambda a: a["id"] in linked)
    assert len(found) == 13
    assert find(sample_plan, ActionFilter(person_id=99999)) == []


def test_partner_filter(sample_plan: PlanFile) -> None:
    cvs = partner_id(sample_plan, "Northshire CVS")
    linked = {link["action_id"] for link in rows(sample_plan, "action_partner", partner_id=cvs)}
    found = find(sample_plan, ActionFilter(partner_id=cvs))
    assert linked
    assert found == ids_where(sample_plan, lambda a: a["id"] in linked)
    assert "6.1" in refs(sample_plan, found)  # the library digital inclusion hubs


@pytest.mark.parametrize(
    "statuses",
    [{"completed"}, {"not_started"}, {"on_hold"}, {"in_progress", "on_hold"}, {"cancelled"}],
)
def test_status_filter(sample_plan: PlanFile, statuses: set[str]) -> None:
    found = find(sample_plan, ActionFilter(statuses=frozenset(statuses)))
    assert found == ids_where(sample_plan, lambda a: a["status"] in statuses)


def test_status_filter_counts_on_the_sample(sample_plan: PlanFile) -> None:
    completed = find(sample_plan, ActionFilter(statuses=frozenset({"completed"})))
    assert refs(sample_plan, completed) == ["1.1", "1.2", "3.1", "3.2", "4.5", "5.1", "5.2"]
    not_started = find(sample_plan, ActionFilter(statuses=frozenset({"not_started"})))
    assert refs(sample_plan, not_started) == ["3.5", "6.3", "7.3"]


@pytest.mark.parametrize(
    "rags",
    [{"R"}, {"A"}, {"G"}, {"B"}, {None}, {"R", None}, {"R", "A"}, {"P"}],
)
def test_rag_filter(sample_plan: PlanFile, rags: set[str | None]) -> None:
    found = find(sample_plan, ActionFilter(rags=frozenset(rags)))
    assert found == ids_where(sample_plan, lambda a: a["rag"] in rags)


def test_rag_filter_none_means_unrated(sample_plan: PlanFile, runner: CommandRunner) -> None:
    unrated = find(sample_plan, ActionFilter(rags=frozenset({None})))
    assert refs(sample_plan, unrated) == ["3.5", "6.3", "7.3"]
    red = find(sample_plan, ActionFilter(rags=frozenset({"R"})))
    assert refs(sample_plan, red) == ["3.4", "4.2", "6.2"]
    red_or_unrated = find(sample_plan, ActionFilter(rags=frozenset({"R", None})))
    assert refs(sample_plan, red_or_unrated) == ["3.4", "3.5", "4.2", "6.2", "6.3", "7.3"]
    runner.execute(EditRecord("action", action_id(sample_plan, "3.5"), {"rag": "G"}))
    assert refs(sample_plan, find(sample_plan, ActionFilter(rags=frozenset({None})))) == [
        "6.3",
        "7.3",
    ]


def test_overdue_filter_relative_to_the_status_date(sample_plan: PlanFile) -> None:
    found = find(sample_plan, ActionFilter(overdue_only=True))
    assert found == overdue_oracle(sample_plan, STATUS_DATE)
    assert found, "the sample should have overdue work at 31/12/2013"
    assert len(found) < len(plan_order(sample_plan))
    completed_without_late = ids_where(sample_plan, lambda a: a["status"] in CLOSED)
    late_milestone_actions = {
        m["action_id"]
        for m in rows(sample_plan, "milestone")
        if m["completed_on"] is None and m["due"] < STATUS_DATE
    }
    for aid in completed_without_late:
        if aid not in late_milestone_actions:
            assert aid not in found


def test_overdue_moves_with_the_status_date(sample_plan: PlanFile, runner: CommandRunner) -> None:
    plan_id = sample_plan.plan_id
    runner.execute(EditRecord("plan", plan_id, {"status_date": date(2011, 4, 1)}))
    assert find(sample_plan, ActionFilter(overdue_only=True)) == []
    runner.execute(EditRecord("plan", plan_id, {"status_date": date(2016, 1, 1)}))
    late = find(sample_plan, ActionFilter(overdue_only=True))
    assert late == overdue_oracle(sample_plan, date(2016, 1, 1))
    open_actions = ids_where(sample_plan, lambda a: a["status"] not in CLOSED)
    assert set(open_actions) <= set(late)


def test_an_action_stops_being_overdue_when_its_late_milestones_are_done(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    late = [
        m
        for m in rows(sample_plan, "milestone")
        if m["completed_on"] is None and m["due"] < STATUS_DATE
    ]
    by_action = Counter(m["action_id"] for m in late)
    actions = {a["id"]: a for a in rows(sample_plan, "action")}
    # an action late only because of its milestones
    aid = next(
        aid
        for aid in by_action
        if actions[aid]["due"] is None or actions[aid]["due"] >= STATUS_DATE
    )
    assert aid in find(sample_plan, ActionFilter(overdue_only=True))
    for m in late:
        if m["action_id"] == aid:
            runner.execute(EditRecord("milestone", m["id"], {"completed_on": date(2013, 12, 20)}))
    assert aid not in find(sample_plan, ActionFilter(overdue_only=True))


def test_combined_filters_are_the_intersection(sample_plan: PlanFile) -> None:
    pid = person_id(sample_plan, "David Pennington")
    four = theme_id(sample_plan, 4)
    parts = [
        ActionFilter(theme_ids=frozenset({four})),
        ActionFilter(person_id=pid),
        ActionFilter(statuses=frozenset({"in_progress"})),
        ActionFilter(rags=frozenset({"R", "A"})),
        ActionFilter(overdue_only=True),
    ]
    combined = ActionFilter(
        theme_ids=frozenset({four}),
        person_id=pid,
        statuses=frozenset({"in_progress"}),
        rags=frozenset({"R", "A"}),
        overdue_only=True,
    )
    expected = set(plan_order(sample_plan))
    for part in parts:
        expected &= set(find(sample_plan, part))
    found = find(sample_plan, combined)
    assert found == [aid for aid in plan_order(sample_plan) if aid in expected]
    assert set(found) < set(find(sample_plan, parts[0]))


def test_combined_text_and_status(sample_plan: PlanFile) -> None:
    texts = searchable(sample_plan)
    found = find(sample_plan, ActionFilter(text="psn", statuses=frozenset({"in_progress"})))
    expected = ids_where(
        sample_plan, lambda a: "psn" in texts[a["id"]] and a["status"] == "in_progress"
    )
    assert found == expected
    assert "4.2" in refs(sample_plan, found)
    none = ActionFilter(text="psn", statuses=frozenset({"completed"}), rags=frozenset({"R"}))
    assert find(sample_plan, none) == []


@pytest.mark.parametrize("text", ["%", "_", "1_1", "\\", "100%"])
def test_text_filter_treats_wildcard_characters_literally(sample_plan: PlanFile, text: str) -> None:
    texts = searchable(sample_plan)
    expected = [aid for aid in plan_order(sample_plan) if text.casefold() in texts[aid]]
    assert find(sample_plan, ActionFilter(text=text)) == expected
    assert typed(sample_plan, text) == expected
    assert len(expected) < len(texts)


def test_text_filter_finds_a_literal_percent_sign(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    target = action_id(sample_plan, "7.2")
    runner.execute(EditRecord("action", target, {"title": "Apprentices: 100% placed_ok"}))
    assert find(sample_plan, ActionFilter(text="100% placed_ok")) == [target]
    assert find(sample_plan, ActionFilter(text="100%_placed")) == []
    assert typed(sample_plan, "100% placed_ok") == [target]
    assert typed(sample_plan, "100%_placed") == []


def test_the_words_read_for_typing_are_those_the_filter_searches(
    sample_plan: PlanFile,
) -> None:
    assert typed_texts(sample_plan) == searchable(sample_plan)


def typed_texts(plan_file: PlanFile) -> dict[int, str]:
    with plan_file.Session() as session:
        return action_texts(session, plan_file.plan_id)


# ----- action_rows ----------------------------------------------------------------------


def test_action_rows_for_an_action_in_progress(sample_plan: PlanFile) -> None:
    aid = action_id(sample_plan, "1.3")
    with sample_plan.Session() as session:
        (found,) = action_rows(session, sample_plan.plan_id, [aid])
    assert found.id == aid
    assert found.ref == "1.3"
    assert found.title == "Refresh partnership governance for the new police and NHS bodies"
    assert (found.theme_number, found.theme_title) == (1, "Leadership & Governance")
    assert found.lead_officer == "Helen Ashworth"
    assert found.other_people == [
        ("David Pennington", "R"),
        ("Stephen Rowley", "C"),
        ("Dr Elizabeth Moorcroft", "C"),
    ]
    partners = found.partners.split(", ")
    assert partners[0] == "NCC"  # the lead partner comes first
    assert sorted(partners) == sorted(["NCC", "Police/OPCC", "NHS Northshire", "NAS"])
    assert found.next_milestone == "Memorandum of understanding signed by all ten partners"
    assert found.next_milestone_due == date(2014, 3, 31)
    assert (found.status, found.rag, found.percent) == ("in_progress", "G", 85)
    assert found.latest_update.startswith("Memorandum signed by eight of ten partners")
    assert found.overdue is False
    assert found.overdue_milestones == 0
    assert (found.start, found.due, found.baseline_due) == (
        date(2012, 9, 3),
        date(2014, 3, 31),
        date(2014, 3, 31),
    )


def test_action_rows_for_a_completed_action(sample_plan: PlanFile) -> None:
    aid = action_id(sample_plan, "1.1")
    with sample_plan.Session() as session:
        (found,) = action_rows(session, sample_plan.plan_id, [aid])
    assert found.next_milestone == ""
    assert found.next_milestone_due is None
    assert found.overdue is False
    assert (found.status, found.rag, found.percent) == ("completed", "B", 100)


def test_action_rows_match_the_plan_for_every_action(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        table = action_rows(session, sample_plan.plan_id)
    assert [r.id for r in table] == plan_order(sample_plan)
    people = {p["id"]: p["name"] for p in rows(sample_plan, "person")}
    leads = {
        link["action_id"]: people[link["person_id"]]
        for link in rows(sample_plan, "action_person", role="A")
    }
    overdue = set(overdue_oracle(sample_plan, STATUS_DATE))
    milestones = rows(sample_plan, "milestone")
    updates = rows(sample_plan, "progress_update")
    partners = {p["id"]: p["short_name"] or p["name"] for p in rows(sample_plan, "partner")}
    for r in table:
        assert r.lead_officer == leads.get(r.id, ""), r.ref
        assert r.overdue == (r.id in overdue), r.ref
        open_ones = sorted(
            (m["due"], m["id"], m["title"])
            for m in milestones
            if m["action_id"] == r.id and m["completed_on"] is None
        )
        if open_ones:
            assert (r.next_milestone_due, r.next_milestone) == (open_ones[0][0], open_ones[0][2])
        else:
            assert (r.next_milestone_due, r.next_milestone) == (None, "")
        assert r.overdue_milestones == sum(1 for due, _, _ in open_ones if due < STATUS_DATE)
        own = sorted((u["as_at"], u["id"]) for u in updates if u["action_id"] == r.id)
        newest = next((u for u in updates if own and u["id"] == own[-1][1]), None)
        assert r.latest_update == (newest["commentary"] if newest else ""), r.ref
        linked = sorted(
            partners[link["partner_id"]]
            for link in rows(sample_plan, "action_partner", action_id=r.id)
        )
        assert sorted(r.partners.split(", ") if r.partners else []) == linked, r.ref
    assert all(r.lead_officer for r in table), "every sample action has a lead officer"
    assert any(r.overdue for r in table) and not all(r.overdue for r in table)


def test_action_rows_for_chosen_ids_keep_plan_order(sample_plan: PlanFile) -> None:
    wanted = [action_id(sample_plan, ref) for ref in ("7.1", "2.2", "4.2")]
    with sample_plan.Session() as session:
        found = action_rows(session, sample_plan.plan_id, wanted)
    assert [r.ref for r in found] == ["2.2", "4.2", "7.1"]
    with sample_plan.Session() as session:
        assert action_rows(session, sample_plan.plan_id, []) == []


def test_action_rows_show_a_lead_officer_change(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    (lead,) = rows(sample_plan, "action_person", action_id=aid, role="A")
    runner.execute(EditRecord("action_person", lead["id"], {"role": "I"}))
    with sample_plan.Session() as session:
        (found,) = action_rows(session, sample_plan.plan_id, [aid])
    assert found.lead_officer == ""
    assert ("Helen Ashworth", "I") in found.other_people


def test_action_overdue_by_its_own_due_date(sample_plan: PlanFile, runner: CommandRunner) -> None:
    aid = action_id(sample_plan, "1.3")
    runner.execute(EditRecord("action", aid, {"due": date(2013, 12, 1)}))
    with sample_plan.Session() as session:
        (found,) = action_rows(session, sample_plan.plan_id, [aid])
    assert found.overdue is True
    assert found.overdue_milestones == 0
    runner.execute(EditRecord("action", aid, {"status": "completed"}))
    with sample_plan.Session() as session:
        (found,) = action_rows(session, sample_plan.plan_id, [aid])
    assert found.overdue is False


# ----- plan_summary and milestone_rows --------------------------------------------------


def test_plan_summary_headline(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        summary = plan_summary(session, sample_plan.plan_id)
    (plan,) = rows(sample_plan, "plan")
    assert summary.title == plan["title"]
    assert summary.organisation == "Northshire County Council"
    assert summary.status_date == STATUS_DATE
    assert summary.rag_codes == ["R", "A", "G", "B"]
    assert summary.counts.themes == 7


def test_rag_counts_by_theme_sum_to_the_action_count(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        summary = plan_summary(session, sample_plan.plan_id)
    assert [rc.label.split(". ", 1)[0] for rc in summary.rag_by_theme] == [
        str(n) for n in range(1, 8)
    ]
    assert sum(rc.total for rc in summary.rag_by_theme) == summary.counts.actions
    actions = rows(sample_plan, "action")
    for rc in summary.rag_by_theme:
        expected = Counter(a["rag"] for a in actions if a["theme_id"] == rc.id)
        assert rc.counts == dict(expected), rc.label
    three = next(rc for rc in summary.rag_by_theme if rc.id == theme_id(sample_plan, 3))
    assert three.label == "3. Strategic Commissioning & Shared Services"
    assert three.counts == {"B": 2, "G": 1, "R": 1, None: 1}
    assert three.total == 5


def test_rag_counts_by_partner(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        summary = plan_summary(session, sample_plan.plan_id)
    assert len(summary.rag_by_partner) == 10
    assert [rc.label for rc in summary.rag_by_partner] == sorted(
        p["name"] for p in rows(sample_plan, "partner")
    )
    actions = {a["id"]: a for a in rows(sample_plan, "action")}
    for rc in summary.rag_by_partner:
        linked = rows(sample_plan, "action_partner", partner_id=rc.id)
        assert rc.total == len(linked), rc.label
        assert rc.counts == dict(Counter(actions[link["action_id"]]["rag"] for link in linked))


def test_overdue_milestones_in_the_summary(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        summary = plan_summary(session, sample_plan.plan_id)
    overdue = summary.overdue_milestones
    assert overdue
    for m in overdue:
        assert m.due is not None and m.due < STATUS_DATE, m.title
        assert m.completed_on is None, m.title
        assert m.overdue is True
    expected = {
        m["id"]
        for m in rows(sample_plan, "milestone")
        if m["completed_on"] is None and m["due"] < STATUS_DATE
    }
    assert {m.id for m in overdue} == expected
    assert [m.due for m in overdue] == sorted(m.due for m in overdue)


def test_due_soon_milestones_are_within_90_days_after_the_status_date(
    sample_plan: PlanFile,
) -> None:
    with sample_plan.Session() as session:
        summary = plan_summary(session, sample_plan.plan_id)
    soon = summary.due_soon_milestones
    limit = STATUS_DATE + timedelta(days=90)
    assert soon
    for m in soon:
        assert m.due is not None and STATUS_DATE <= m.due <= limit, m.title
        assert m.completed_on is None
        assert m.overdue is False
    expected = {
        m["id"]
        for m in rows(sample_plan, "milestone")
        if m["completed_on"] is None and STATUS_DATE <= m["due"] <= limit
    }
    assert {m.id for m in soon} == expected
    assert not {m.id for m in soon} & {m.id for m in summary.overdue_milestones}


def test_summary_follows_changes(sample_plan: PlanFile, runner: CommandRunner) -> None:
    with sample_plan.Session() as session:
        before = plan_summary(session, sample_plan.plan_id)
    late = before.overdue_milestones[0]
    runner.execute(EditRecord("milestone", late.id, {"completed_on": date(2013, 12, 30)}))
    runner.execute(EditRecord("action", action_id(sample_plan, "3.5"), {"rag": "R"}))
    with sample_plan.Session() as session:
        after = plan_summary(session, sample_plan.plan_id)
    assert late.id not in {m.id for m in after.overdue_milestones}
    assert len(after.overdue_milestones) == len(before.overdue_milestones) - 1
    three = next(rc for rc in after.rag_by_theme if rc.id == theme_id(sample_plan, 3))
    assert three.counts == {"B": 2, "G": 1, "R": 2}


def test_milestone_rows_filters(sample_plan: PlanFile) -> None:
    aid = action_id(sample_plan, "4.2")
    with sample_plan.Session() as session:
        all_of_action = milestone_rows(session, sample_plan.plan_id, action_ids=[aid])
        open_of_action = milestone_rows(
            session, sample_plan.plan_id, action_ids=[aid], open_only=True
        )
        in_march = milestone_rows(
            session, sample_plan.plan_id, due_from=date(2014, 3, 1), due_to=date(2014, 3, 31)
        )
    assert [m.title for m in all_of_action] == [
        "IT health check by CHECK-approved supplier",
        "Remediation action plan submitted to the Cabinet Office PSN team",
        "Code of Connection submission to the Cabinet Office",
        "PSN compliance certificate in place (Cabinet Office deadline 1 Apr 2014)",
    ]
    assert all(m.action_ref == "4.2" for m in all_of_action)
    assert [m.owner for m in all_of_action] == [
        "David Pennington",
        "David Pennington",
        "David Pennington",
        "Ruth Calloway",
    ]
    assert len(open_of_action) == 3
    assert [m.overdue for m in open_of_action] == [True, False, False]
    assert in_march
    assert all(date(2014, 3, 1) <= m.due <= date(2014, 3, 31) for m in in_march if m.due)
