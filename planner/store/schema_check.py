"""A plan's schema must be exactly the one the migrations made for its file format.

A file with extra triggers, views or tables (or missing ones) is refused before any of
its data is read through the ORM: nothing stored in a file decides what runs."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from pathlib import Path

from planner.store import schema

# SQLite's own tables, which any database may hold.
SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}

# The expected shapes, kept in the package so that opening a plan need not import Alembic
# and run every migration in memory; a test checks them against the migrations.
KEPT_SHAPES = Path(__file__).with_name("schema_shapes.json")

# (type, name, table) -> what must match: column names and types for a table, the SQL
# for an index (autoindexes have none).
Shape = dict[tuple[str, str, str], tuple[str, ...]]


def read_shape(connection: sqlite3.Connection) -> Shape:
    shape: Shape = {}
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        name, table = str(name), str(table)
        if kind == "table" and name in SQLITE_TABLES:
            continue
        if kind == "table":
            columns = connection.execute(
                "SELECT name, upper(type), pk FROM pragma_table_info(?)", (name,)
            ).fetchall()
            shape[(kind, name, table)] = tuple(f"{c} {t} {pk}" for c, t, pk in columns)
        elif kind == "index":
            shape[(kind, name, table)] = (" ".join(str(sql or "").split()).lower(),)
        else:
            shape[(str(kind), name, table)] = ()
    return shape


@lru_cache(maxsize=8)
def expected_shape(version: int) -> Shape:
    """The schema the migrations make for file format `version`."""
    kept = _kept_shapes().get(version)
    return kept if kept is not None else migrated_shape(version)


@lru_cache(maxsize=1)
def _kept_shapes() -> dict[int, Shape]:
    try:
        stored = json.loads(KEPT_SHAPES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        int(version): {(kind, name, table): tuple(what) for kind, name, table, what in rows}
        for version, rows in stored.items()
    }


def write_kept_shapes() -> None:
    """Record the shape of every file format, after adding a migration."""
    stored = {
        str(version): [[*key, list(what)] for key, what in sorted(migrated_shape(version).items())]
        for version in range(1, schema.SCHEMA_VERSION + 1)
    }
    KEPT_SHAPES.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")


def migrated_shape(version: int) -> Shape:
    """The schema the migrations make for file format `version`, built in memory."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, f"{version:04d}")
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            return read_shape(raw)
    finally:
        engine.dispose()


def schema_differences(connection: sqlite3.Connection, version: int) -> list[str]:
    """What in the file's schema is not what a plan of `version` holds; empty if sound."""
    found = read_shape(connection)
    wanted = expected_shape(version)
    differences: list[str] = []
    for key in sorted(found.keys() - wanted.keys()):
        differences.append(f"an unexpected {key[0]} '{key[1]}'")
    for key in sorted(wanted.keys() - found.keys()):
        differences.append(f"no {key[0]} '{key[1]}'")
    for key in sorted(found.keys() & wanted.keys()):
        if found[key] != wanted[key]:
            differences.append(f"a different {key[0]} '{key[1]}'")
    return differences


if __name__ == "__main__":
    write_kept_shapes()
    print(f"Wrote {KEPT_SHAPES}")
