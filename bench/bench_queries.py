"""Queries the action table runs: filter_actions and action_rows on the large plan."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchlib import Context, Result, median_seconds, progress

FILTER_RUNS = 20
ROWS_RUNS = 5
FILTER_TARGET_MS = 30.0
SEARCH_TEXT = "broadband"  # in some titles, milestone notes and progress commentary


@contextmanager
def _open_session(ctx: Context) -> Iterator[tuple[Any, int]]:
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(ctx.large_plan(), data_dir=ctx.data_dir)
    try:
        with plan_file.Session() as session:
            yield session, plan_file.plan_id
    finally:
        plan_file.close(discard=True)


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _busiest(connection: sqlite3.Connection, table: str, column: str) -> int:
    found = connection.execute(
        f"SELECT {column} FROM {table} GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 1"
    ).fetchone()
    return int(found[0])


def _filters(path: Path) -> dict[str, Any]:
    from planner.queries import ActionFilter

    connection = _raw(path)
    try:
        person = _busiest(connection, "action_person", "person_id")
        partner = _busiest(connection, "action_partner", "partner_id")
        (theme,) = connection.execute(
            "SELECT id FROM theme ORDER BY number LIMIT 1 OFFSET (SELECT count(*) / 2 FROM theme)"
        ).fetchone()
    finally:
        connection.close()
    return {
        f"text '{SEARCH_TEXT}' + RAG R/A": ActionFilter(
            text=SEARCH_TEXT, rags=frozenset({"R", "A"})
        ),
        f"text '{SEARCH_TEXT}'": ActionFilter(text=SEARCH_TEXT),
        "one theme": ActionFilter(theme_ids=frozenset({theme})),
        "busiest person": ActionFilter(person_id=person),
        "busiest partner": ActionFilter(partner_id=partner),
        "overdue only": ActionFilter(overdue_only=True),
        "no filter (all)": ActionFilter(),
    }


def _raw_median_ms(path: Path, sql: list[str], runs: int) -> float:
    connection = _raw(path)
    try:
        return 1000 * median_seconds(
            lambda: [connection.execute(q).fetchall() for q in sql], runs, warmup=1
        )
    finally:
        connection.close()


def run_filters(ctx: Context) -> list[Result]:
    from planner.queries import filter_actions

    path = ctx.large_plan()
    floor = _raw_median_ms(path, ["SELECT id FROM action"], FILTER_RUNS)
    floor_is = "sqlite3 SELECT id FROM action"
    results = []
    with _open_session(ctx) as (session, plan_id):
        for label, wanted in _filters(path).items():
            progress(f"filter_actions: {label} x{FILTER_RUNS} ...")
            found = len(filter_actions(session, plan_id, wanted))
            ms = 1000 * median_seconds(
                lambda w=wanted: filter_actions(session, plan_id, w), FILTER_RUNS, warmup=1
            )
            results.append(
                Result(
                    f"filter: {label} [{found} hits]",
                    ms,
                    "ms",
                    floor,
                    floor_is,
                    FILTER_TARGET_MS,
                )
            )
    worst = max(results, key=lambda r: r.value)
    results.append(
        Result(
            f"filter: worst median ({worst.name.removeprefix('filter: ')})",
            worst.value,
            "ms",
            floor,
            floor_is,
            FILTER_TARGET_MS,
        )
    )
    return results


# What action_rows reads, as plain SQL: the same rows, without building any objects.
# "{only}" narrows each SELECT to one action, as action_rows(ids=[one]) needs.
ROWS_FLOOR_SQL = [
    "SELECT a.*, t.number, t.title FROM action a JOIN theme t ON t.id = a.theme_id "
    "WHERE 1 {only_a} ORDER BY t.number, a.position, a.id",
    "SELECT ap.action_id, p.name, ap.role FROM action_person ap "
    "JOIN person p ON p.id = ap.person_id WHERE 1 {only} ORDER BY ap.id",
    "SELECT ap.action_id, p.name, p.short_name, ap.role FROM action_partner ap "
    "JOIN partner p ON p.id = ap.partner_id WHERE 1 {only} ORDER BY ap.role != 'lead', p.name",
    "SELECT action_id, title, due, completed_on FROM milestone WHERE completed_on IS NULL "
    "{only} ORDER BY due, id",
    "SELECT action_id, commentary FROM progress_update WHERE 1 {only} ORDER BY as_at, id",
]


def _floor_sql(action_id: int | None) -> list[str]:
    only = "" if action_id is None else f"AND action_id = {action_id}"
    only_a = "" if action_id is None else f"AND a.id = {action_id}"
    return [sql.format(only=only, only_a=only_a) for sql in ROWS_FLOOR_SQL]


def run_action_rows(ctx: Context) -> list[Result]:
    """All rows (the table's first load), and one row (what the window re-reads per edit)."""
    from planner.queries import action_rows

    path = ctx.large_plan()
    connection = _raw(path)
    try:
        (middle,) = connection.execute(
            "SELECT id FROM action ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM action)"
        ).fetchone()
    finally:
        connection.close()
    floor_all = _raw_median_ms(path, _floor_sql(None), ROWS_RUNS)
    floor_one = _raw_median_ms(path, _floor_sql(middle), FILTER_RUNS)
    with _open_session(ctx) as (session, plan_id):
        progress(f"action_rows (all) x{ROWS_RUNS} ...")
        found = len(action_rows(session, plan_id))
        all_ms = 1000 * median_seconds(lambda: action_rows(session, plan_id), ROWS_RUNS)
        progress(f"action_rows (one id) x{ROWS_RUNS} ...")
        one_ms = 1000 * median_seconds(
            lambda: action_rows(session, plan_id, [middle]), ROWS_RUNS, warmup=1
        )
    return [
        Result(
            f"action_rows: all [{found} rows]",
            all_ms,
            "ms",
            floor_all,
            "sqlite3: its 5 SELECTs, fetchall",
        ),
        Result(
            "action_rows: one id (re-read after an edit)",
            one_ms,
            "ms",
            floor_one,
            "sqlite3: 5 SELECTs for that action",
        ),
    ]
