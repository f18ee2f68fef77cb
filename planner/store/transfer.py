"""Copy a plan between a plan file and a shared database: publish and download.

Publishing gives every row a new id from the database's own sequences (other plans hold
the file's ids already) and keeps every uid, so workbooks exported from either copy
merge into the other. Downloading keeps the database's ids. The change journal goes with
the plan; entries about records that no longer exist keep their old id, negated, so they
never point at another record.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from planner.errors import PlannerError
from planner.store.models import (
    CONTENT_MODELS,
    DOWNLOADED,
    JournalEntry,
    Plan,
    RagDefinitionRow,
)
from planner.store.plan_rows import plan_versions
from planner.store.planfile import PlanFile
from planner.store.shared import PlanListing, SharedDatabase, SharedPlan
from planner.store.shared_location import SharedLocation

Rows = dict[str, list[dict[str, Any]]]
CHUNK = 5000  # ids per IN (...) list


def _tables() -> list[Table]:
    return [model.__table__ for model in CONTENT_MODELS]  # type: ignore[misc]  # __table__ is a Table on every mapped model


def _read_plan(session: Session, plan_id: int) -> tuple[Rows, list[dict[str, Any]]]:
    """Every content row of one plan, by table (parents first), and its journal."""
    wanted: dict[str, set[int]] = {}
    for kind, row_id in plan_versions(session, plan_id):
        wanted.setdefault(kind, set()).add(row_id)
    rows: Rows = {}
    for tbl in _tables():
        ids = sorted(wanted.get(tbl.name, set()))
        rows[tbl.name] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found = session.execute(select(tbl).where(tbl.c.id.in_(chunk)).order_by(tbl.c.id))
            rows[tbl.name].extend(dict(row) for row in found.mappings())
    journal = JournalEntry.__table__
    entries = [
        dict(row)
        for row in session.execute(
            select(journal).where(journal.c.plan_id == plan_id).order_by(journal.c.id)
        ).mappings()
    ]
    return rows, entries


def _references(tbl: Table) -> dict[str, str]:
    """Column -> table it points at."""
    return {
        column.name: next(iter(column.foreign_keys)).column.table.name
        for column in tbl.c
        if column.foreign_keys
    }


def _remap(rows: Rows, new_ids: dict[str, dict[int, int]]) -> Rows:
    mapped: Rows = {}
    for tbl in _tables():
        references = _references(tbl)
        out = []
        for row in rows[tbl.name]:
            row = {**row, "id": new_ids[tbl.name][row["id"]]}
            for column, target in references.items():
                if row.get(column) is not None:
                    row[column] = new_ids[target][row[column]]
            out.append(row)
        mapped[tbl.name] = out
    return mapped


def _remap_journal(
    entries: Iterable[dict[str, Any]], new_ids: dict[str, dict[int, int]], plan_id: int
) -> list[dict[str, Any]]:
    actions = new_ids.get("action", {})
    returns = new_ids.get("merged_return", {})
    out = []
    for entry in entries:
        ids = new_ids.get(entry["entity"], {})
        entity_id = ids.get(entry["entity_id"], -abs(entry["entity_id"]))
        action_id = entry.get("action_id")
        if action_id is not None:
            action_id = actions.get(action_id, -abs(action_id))
        return_id = entry.get("return_id")
        if return_id is not None:
            return_id = returns.get(return_id, -abs(return_id))
        out.append(
            {
                **{key: value for key, value in entry.items() if key != "id"},
                "plan_id": plan_id,
                "entity_id": entity_id,
                "action_id": action_id,
                "return_id": return_id,
            }
        )
    return out


def _insert_all(session: Session, rows: Rows, journal: list[dict[str, Any]]) -> None:
    for tbl in _tables():
        if rows[tbl.name]:
            session.execute(insert(tbl), rows[tbl.name])
    if journal:
        session.execute(insert(JournalEntry), journal)


# ----- publish ----------------------------------------------------------------------------


def _new_ids(session: Session, table_name: str, count: int) -> list[int]:
    if count == 0:
        return []
    return list(
        session.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": f'"{table_name}"', "n": count},
        )
    )


def publish(
    plan_path: str | os.PathLike[str],
    location: SharedLocation | str,
    *,
    password: str | None = None,
    title: str | None = None,
) -> PlanListing:
    """Copy the plan file at `plan_path` into the shared database (creating the plan
    tables if the database has none); returns the new shared plan."""
    if isinstance(location, str):
        location = SharedLocation.parse(location)
    with PlanFile.open(plan_path, read_only=True) as plan_file, plan_file.Session() as source:
        rows, journal = _read_plan(source, plan_file.plan_id)
    plan_row = rows["plan"][0]
    if title:
        plan_row["title"] = title.strip()
    with SharedDatabase(location, password) as database:
        if database.schema_version() is None:
            database.init()
        database.require_current_schema()
        with database.Session.begin() as session:
            taken = session.scalar(select(Plan.id).where(Plan.uid == plan_row["uid"]))
            if taken is not None:
                raise PlannerError(
                    f"This plan is already in {location.describe()} (plan {taken}). Open it "
                    "there, or download it to work on a copy."
                )
            new_ids = {
                tbl.name: dict(
                    zip(
                        [row["id"] for row in rows[tbl.name]],
                        _new_ids(session, tbl.name, len(rows[tbl.name])),
                        strict=True,
                    )
                )
                for tbl in _tables()
            }
            plan_id = new_ids["plan"][plan_row["id"]]
            _insert_all(session, _remap(rows, new_ids), _remap_journal(journal, new_ids, plan_id))
        return database.find_plan(str(plan_id))


# ----- download ---------------------------------------------------------------------------


def download(
    location: SharedLocation | str,
    out: str | os.PathLike[str],
    *,
    password: str | None = None,
    overwrite: bool = False,
    data_dir: Path | None = None,
) -> PlanFile:
    """Copy a shared plan into a new plan file at `out`, saved, and return it open. The
    file's journal records when it was taken, so its changes can be sent back."""
    with SharedPlan.open(location, password=password, read_only=True) as shared:
        return download_from(shared, out, overwrite=overwrite, data_dir=data_dir)


def download_from(
    shared: SharedPlan,
    out: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    data_dir: Path | None = None,
) -> PlanFile:
    """`download`, from a shared plan already open."""
    with shared.Session() as session:
        taken_at = session.scalar(text("SELECT LOCALTIMESTAMP"))
        rows, journal = _read_plan(session, shared.plan_id)
    source = shared.location.text
    plan_row = rows["plan"][0]

    def fill(session: Session, plan_id: int) -> None:
        session.execute(delete(RagDefinitionRow))  # the new file's defaults; the plan's own follow
        session.execute(
            update(Plan)
            .where(Plan.id == plan_id)
            .values(**{k: v for k, v in plan_row.items() if k != "id"})
        )
        new_ids = {tbl.name: {row["id"]: row["id"] for row in rows[tbl.name]} for tbl in _tables()}
        new_ids["plan"] = {plan_row["id"]: plan_id}
        mapped = _remap(rows, new_ids)
        mapped["plan"] = []
        entries = _remap_journal(journal, new_ids, plan_id)
        entries.append(
            {
                "plan_id": plan_id,
                "at": taken_at if isinstance(taken_at, datetime) else datetime.now(),
                "who": shared.database_user,
                "entity": "plan",
                "entity_id": plan_id,
                "field": DOWNLOADED,
                "old_value": None,
                "new_value": source,
                "source": "download",
                "action_id": None,
            }
        )
        _insert_all(session, mapped, entries)

    return PlanFile.create(
        out, title=plan_row["title"], overwrite=overwrite, data_dir=data_dir, fill=fill
    )


def downloaded_at(session: Session, plan_id: int) -> datetime | None:
    """When this plan file was downloaded from a shared plan, if it was."""
    journal = JournalEntry.__table__
    return session.scalar(
        select(journal.c.at)
        .where(journal.c.plan_id == plan_id, journal.c.field == DOWNLOADED)
        .order_by(journal.c.id.desc())
        .limit(1)
    )
