"""The words of the change history, on plain journal entries (no Qt, no plan file)."""

from __future__ import annotations

from datetime import datetime

from planner.queries.detail import HistoryEntry
from planner.store.models import CREATED, DELETED
from planner.ui.details.history_wording import HistoryNames, history_value, word_entry

AT = datetime(2014, 1, 15, 9, 5)
NAMES = HistoryNames(
    rag={"R": "R Red", "A": "A Amber"},
    people={7: "Gareth Lloyd"},
    themes={3: "3. Strategic Commissioning & Shared Services"},
    partners={2: "Eastvale District Council"},
)


def entry(
    field: str,
    old: str | None = None,
    new: str | None = None,
    *,
    entity: str = "action",
    subject: str = "Action 4.2",
    source: str = "edit",
) -> HistoryEntry:
    return HistoryEntry(
        id=1,
        at=AT,
        who="Ruth Calloway",
        entity=entity,
        entity_id=42,
        subject=subject,
        field=field,
        old_value=old,
        new_value=new,
        source=source,
    )


def test_a_created_record_is_added() -> None:
    wording = word_entry(entry(CREATED, entity="milestone", subject="Milestone 'Go live'"), NAMES)
    assert wording.when == "15/01/2014 09:05"
    assert wording.change == "Added"
    assert wording.tooltip == "Milestone 'Go live'\nAdded\n15/01/2014 09:05 by Ruth Calloway"


def test_a_deleted_record_is_removed() -> None:
    assert word_entry(entry(DELETED, entity="action_person"), NAMES).change == "Removed"


def test_a_changed_field_is_named_by_its_label_with_old_and_new_values() -> None:
    wording = word_entry(entry("title", "Old title", "New title"), NAMES)
    assert wording.change == "Title: Old title → New title"
    assert wording.tooltip == (
        "Action 4.2\nTitle: Old title → New title\n15/01/2014 09:05 by Ruth Calloway"
    )


def test_a_field_the_kind_does_not_know_is_named_from_its_name() -> None:
    assert word_entry(entry("some_field", "x", "y"), NAMES).change == "Some field: x → y"


def test_dates_are_shown_the_uk_way() -> None:
    change = word_entry(entry("due", "2014-04-01", "2014-05-01"), NAMES).change
    assert change == "Due: 01/04/2014 → 01/05/2014"
    assert history_value("milestone", "completed_on", "2013-12-20 00:00:00", NAMES) == "20/12/2013"
    assert history_value("action", "start", "not a date", NAMES) == "not a date"


def test_a_blank_value() -> None:
    assert word_entry(entry("due", None, "2014-05-01"), NAMES).change == "Due: (blank) → 01/05/2014"
    assert history_value("action", "title", "", NAMES) == "(blank)"


def test_rag_codes_are_named_by_the_plan() -> None:
    assert word_entry(entry("rag", "R", "A"), NAMES).change == "RAG: R Red → A Amber"
    assert history_value("action", "rag", "X", NAMES) == "X"  # not one of the plan's


def test_status_roles_and_percent_in_words() -> None:
    assert history_value("action", "status", "in_progress", NAMES) == "In progress"
    assert history_value("action", "status", "lost", NAMES) == "lost"
    assert history_value("action_person", "role", "A", NAMES) == "Accountable (lead officer)"
    assert history_value("action_person", "role", "R", NAMES) == "Responsible"
    assert history_value("action_partner", "role", "lead", NAMES) == "Lead partner"
    assert history_value("action", "percent", "45", NAMES) == "45%"


def test_ids_are_turned_into_names() -> None:
    change = word_entry(entry("owner_id", None, "7", entity="milestone"), NAMES).change
    assert change == "Owner: (blank) → Gareth Lloyd"
    assert history_value("progress_update", "author_id", "8", NAMES) == "8"  # not known
    assert history_value("action", "theme_id", "3", NAMES) == (
        "3. Strategic Commissioning & Shared Services"
    )
    assert history_value("action_partner", "partner_id", "2", NAMES) == (
        "Eastvale District Council"
    )


def test_long_text_is_shortened_at_the_end_of_a_word() -> None:
    assert history_value("action", "description", "x" * 80, NAMES) == "x" * 80
    # one word too long to fit is cut where it must be: 79 characters and the ellipsis
    assert history_value("action", "description", "x" * 81, NAMES) == "x" * 79 + "…"
    # otherwise the last whole word ends it, with no space before the ellipsis
    words = "a" * 76 + " " + "b" * 10
    assert history_value("action", "description", words, NAMES) == "a" * 76 + "…"
    said = history_value("action", "description", "word " * 30, NAMES)
    assert said == "word " * 15 + "word…" and len(said) == 80
    sentence = "The partnership board agreed the revised timetable for the shared service desk"
    longer = sentence + " at its meeting in March."
    assert history_value("action", "description", longer, NAMES) == sentence + "…"


def test_a_change_from_elsewhere_says_where_from() -> None:
    wording = word_entry(entry("percent", "40", "55", source="returns: northshire.xlsx"), NAMES)
    assert wording.change == "% complete: 40% → 55% (returns)"
    assert wording.tooltip.endswith(
        "% complete: 40% → 55%\n15/01/2014 09:05 by Ruth Calloway\nFrom: returns: northshire.xlsx"
    )
