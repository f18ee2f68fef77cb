"""Alembic migrations build exactly the models' schema; older plans are upgraded safely."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, select

from planner.io.sample import write_sample
from planner.store import schema
from planner.store.backups import KEEP_BACKUPS, backup_folder, list_backups, make_backup
from planner.store.models import Base
from planner.store.planfile import PlanFile
from planner.store.schema import APPLICATION_ID, SCHEMA_VERSION, head_revision
from planner.store.sqlite_file import inspect_plan


def alembic_config(connection: object | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


OLDER_REVISIONS = revisions_oldest_first()[:-1]


def engine_for(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}")


def schema_differences(path: Path) -> list[object]:
    engine = engine_for(path)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def pragma(path: Path, name: str) -> object:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


def stored_revision(path: Path) -> list[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
    finally:
        connection.close()


def describe_schema(path: Path) -> dict[str, object]:
    """Tables, columns, foreign keys, indexes (with partial WHERE) and CHECKs, by name."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            (name, sql)
            for name, sql in connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE type='table' "
                "AND name NOT IN ('alembic_version') AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        described: dict[str, object] = {}
        for table, sql in tables:
            columns = [
                (row[1], row[2].upper(), row[3], row[5])
                for row in connection.execute(f"PRAGMA table_info('{table}')")
            ]
            foreign_keys = sorted(
                (row[2], row[3], row[4], row[6])
                for row in connection.execute(f"PRAGMA foreign_key_list('{table}')")
            )
            indexes = []
            for row in connection.execute(f"PRAGMA index_list('{table}')"):
                name, unique, origin, partial = row[1], row[2], row[3], row[4]
                index_columns = [
                    info[2] for info in connection.execute(f"PRAGMA index_info('{name}')")
                ]
                label = name if origin == "c" else origin  # autoindex names are arbitrary
                indexes.append((label, unique, partial, tuple(index_columns)))
            checks = sorted(
                line.strip().rstrip(",") for line in sql.splitlines() if "CHECK" in line.upper()
            )
            described[table] = (columns, foreign_keys, sorted(indexes), checks)
        partial_where = sorted(
            sql.split(" WHERE ", 1)[1].strip()
            for (sql,) in connection.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND sql LIKE '% WHERE %'"
            )
        )
        described["partial index conditions"] = partial_where
        return described
    finally:
        connection.close()


@pytest.fixture
def migrated_from_empty(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "fresh.plan"
    engine = engine_for(path)
    with engine.begin() as connection:
        schema.upgrade(connection)
    engine.dispose()
    yield path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# ----- the revisions --------------------------------------------------------------------


def test_schema_version_is_the_head_revision_number() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, "migrations must form one line, not branches"
    assert int(head_revision()) == SCHEMA_VERSION


def test_revisions_are_numbered_one_after_another() -> None:
    numbers = [int(revision) for revision in revisions_oldest_first()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_migrations_create_exactly_the_models_schema(migrated_from_empty: Path) -> None:
    assert schema_differences(migrated_from_empty) == []


def test_migrations_match_create_all_including_checks_and_partial_indexes(
    migrated_from_empty: Path, tmp_path: Path
) -> None:
    """compare_metadata does not see CHECKs or partial indexes on SQLite; compare those too."""
    reference = tmp_path / "create_all.db"
    engine = engine_for(reference)
    Base.metadata.create_all(engine)
    engine.dispose()
    assert describe_schema(migrated_from_empty) == describe_schema(reference)


def test_fresh_file_is_stamped_as_a_plan_at_head(migrated_from_empty: Path) -> None:
    assert stored_revision(migrated_from_empty) == [head_revision()]
    assert pragma(migrated_from_empty, "application_id") == APPLICATION_ID
    assert pragma(migrated_from_empty, "user_version") == SCHEMA_VERSION


def test_sample_plan_is_at_the_head_revision(template: Path) -> None:
    assert stored_revision(template) == [head_revision()]
    assert pragma(template, "user_version") == SCHEMA_VERSION
    assert schema_differences(template) == []


def test_downgrade_to_base_and_upgrade_again(migrated_from_empty: Path) -> None:
    engine = engine_for(migrated_from_empty)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        connection_ = sqlite3.connect(migrated_from_empty)
        left = [
            name
            for (name,) in connection_.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        connection_.close()
        assert set(left) <= {"alembic_version"}
        with engine.begin() as connection:
            schema.upgrade(connection)
    finally:
        engine.dispose()
    assert schema_differences(migrated_from_empty) == []
    assert stored_revision(migrated_from_empty) == [head_revision()]


def test_upgrading_a_plan_at_head_changes_nothing(tmp_path: Path, template: Path) -> None:
    path = tmp_path / "again.plan"
    shutil.copyfile(template, path)
    before = describe_schema(path)
    engine = engine_for(path)
    with engine.begin() as connection:
        schema.upgrade(connection)
    engine.dispose()
    assert describe_schema(path) == before
    assert stored_revision(path) == [head_revision()]


# ----- opening an older plan ---------------------------------------------------------------


def lower_user_version(path: Path, version: int) -> None:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()


@pytest.fixture(scope="module")
def older_template(tmp_path_factory: pytest.TempPathFactory, template: Path) -> Path:
    """The sample, taken back to the previous file format by the migrations."""
    path = tmp_path_factory.mktemp("older") / "older.plan"
    build_at_revision(template, path, f"{SCHEMA_VERSION - 1:04d}")
    return path


@pytest.fixture
def older_plan(tmp_path: Path, older_template: Path) -> Path:
    """A private copy of the sample in the previous file format."""
    path = tmp_path / "docs" / "older.plan"
    path.parent.mkdir()
    shutil.copyfile(older_template, path)
    return path


def test_a_newer_schema_labelled_as_an_older_format_is_refused(
    tmp_path: Path, template: Path
) -> None:
    from planner.errors import UnexpectedSchemaError

    path = tmp_path / "relabelled.plan"
    shutil.copyfile(template, path)
    lower_user_version(path, SCHEMA_VERSION - 1)
    before = fingerprint(path)
    with pytest.raises(UnexpectedSchemaError, match="which no Strategy Planner plan has"):
        PlanFile.open(path)
    assert fingerprint(path) == before


def test_older_plan_is_upgraded_in_the_working_copy_only(older_plan: Path, data_dir: Path) -> None:
    before = fingerprint(older_plan)
    plan_file = PlanFile.open(older_plan)
    try:
        assert plan_file.migrated_from == SCHEMA_VERSION - 1
        assert plan_file.is_dirty  # the upgrade is a change the user must save
        assert pragma(plan_file.working_path, "user_version") == SCHEMA_VERSION
        assert stored_revision(plan_file.working_path) == [head_revision()]
        assert schema_differences(plan_file.working_path) == []
        assert fingerprint(older_plan) == before
        assert pragma(older_plan, "user_version") == SCHEMA_VERSION - 1
        assert list_backups(data_dir, older_plan) == []
    finally:
        plan_file.close(discard=True)
    assert fingerprint(older_plan) == before


def test_saving_an_upgraded_plan_keeps_a_backup_of_the_original(
    older_plan: Path, data_dir: Path
) -> None:
    original_bytes = older_plan.read_bytes()
    with PlanFile.open(older_plan) as plan_file:
        plan_file.save()
        assert not plan_file.is_dirty
        assert plan_file.migrated_from is None
    assert pragma(older_plan, "user_version") == SCHEMA_VERSION
    assert stored_revision(older_plan) == [head_revision()]
    backups = list_backups(data_dir, older_plan)
    assert len(backups) == 1
    backup = backups[0]
    assert backup.parent == backup_folder(data_dir, older_plan)
    assert backup.is_relative_to(data_dir / "backups")
    assert f"before-migration-from-v{SCHEMA_VERSION - 1}" in backup.name
    assert backup.read_bytes() == original_bytes
    # a second save has nothing left to migrate, so no second backup
    with PlanFile.open(older_plan) as plan_file:
        assert plan_file.migrated_from is None
        plan_file.save()
    assert len(list_backups(data_dir, older_plan)) == 1


def test_read_only_open_of_an_older_plan_changes_nothing(older_plan: Path, data_dir: Path) -> None:
    before = fingerprint(older_plan)
    with PlanFile.open(older_plan, read_only=True) as plan_file:
        assert pragma(plan_file.working_path, "user_version") == SCHEMA_VERSION
    assert fingerprint(older_plan) == before
    assert list_backups(data_dir, older_plan) == []


def test_save_as_of_an_upgraded_plan_leaves_the_original(older_plan: Path, data_dir: Path) -> None:
    before = fingerprint(older_plan)
    newer = older_plan.with_name("upgraded.plan")
    with PlanFile.open(older_plan) as plan_file:
        plan_file.save_as(newer)
    assert fingerprint(older_plan) == before
    assert pragma(newer, "user_version") == SCHEMA_VERSION
    assert schema_differences(newer) == []


def build_at_revision(template: Path, target: Path, revision: str) -> None:
    """A real older plan: the sample taken back down to `revision` by the migrations."""
    shutil.copyfile(template, target)
    engine = engine_for(target)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
            connection.exec_driver_sql(f"PRAGMA user_version = {int(revision)}")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "revision",
    OLDER_REVISIONS
    or [
        pytest.param(
            None,
            marks=pytest.mark.skip(
                reason=f"only one revision ({head_revision()}) exists: there is no older file "
                "format to migrate from yet; this runs once a second revision is added"
            ),
        )
    ],
)
def test_plan_at_an_older_revision_is_migrated_on_open(
    revision: str, tmp_path: Path, template: Path, data_dir: Path
) -> None:
    path = tmp_path / f"at-{revision}.plan"
    build_at_revision(template, path, revision)
    assert stored_revision(path) == [revision]
    before = fingerprint(path)
    with PlanFile.open(path) as plan_file:
        assert plan_file.migrated_from == int(revision)
        assert stored_revision(plan_file.working_path) == [head_revision()]
        assert schema_differences(plan_file.working_path) == []
        assert fingerprint(path) == before
        plan_file.save()
    assert stored_revision(path) == [head_revision()]
    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert len(list_backups(data_dir, path)) == 1


# ----- backups ------------------------------------------------------------------------------


def test_only_the_newest_backups_are_kept(tmp_path: Path, data_dir: Path) -> None:
    plan = tmp_path / "plan.plan"
    made = []
    for number in range(KEEP_BACKUPS + 3):
        plan.write_text(f"version {number}", "utf-8")
        made.append(make_backup(data_dir, plan, f"test-{number:02d}"))
    kept = list_backups(data_dir, plan)
    assert len(kept) == KEEP_BACKUPS
    assert kept == sorted(made, reverse=True)[:KEEP_BACKUPS]
    assert kept[0].read_text("utf-8") == f"version {KEEP_BACKUPS + 2}"


# ----- plan files made by each released file format ---------------------------------

RELEASED = sorted((Path(__file__).parent / "data" / "plans").glob("schema-v*.plan"))


@pytest.mark.parametrize("released", RELEASED, ids=[path.stem for path in RELEASED])
def test_plan_made_by_a_released_version_opens_migrates_and_checks(
    released: Path, tmp_path: Path, data_dir: Path
) -> None:
    """Every kept file format opens, is upgraded in the working copy, saves and checks clean."""
    from planner.cli import main
    from planner.queries import plan_counts
    from planner.store.models import JournalEntry

    copy = tmp_path / released.name
    shutil.copyfile(released, copy)
    original = copy.read_bytes()
    version = int(released.stem.split("-v")[1])
    assert inspect_plan(copy) == version
    with PlanFile.open(copy, data_dir=data_dir) as plan_file:
        assert plan_file.is_dirty == (version < SCHEMA_VERSION)
        assert copy.read_bytes() == original  # upgraded only in the working copy
        with plan_file.Session() as session:
            counts = plan_counts(session, plan_file.plan_id)
            assert counts.actions >= 25 and counts.milestones >= 60
            journal = session.scalars(select(JournalEntry)).all()
            assert journal, "the kept file has change history"
            assert all(entry.action_id is not None for entry in journal)
        plan_file.save()
    assert inspect_plan(copy) == SCHEMA_VERSION
    assert main(["check", str(copy)]) == 0
    if version < SCHEMA_VERSION:
        backups = list((data_dir / "backups").rglob("*.plan"))
        assert [backup.read_bytes() for backup in backups] == [original]


def test_every_file_format_before_the_newest_is_kept() -> None:
    kept = {int(path.stem.split("-v")[1]) for path in RELEASED}
    assert kept == set(range(1, SCHEMA_VERSION)) | ({SCHEMA_VERSION} & kept)


def test_the_kept_schema_shapes_are_what_the_migrations_make() -> None:
    """Opening a plan checks its schema against shapes kept in the package; after adding a
    migration, run `python -m planner.store.schema_check` to record the new one."""
    from planner.store import schema
    from planner.store.schema_check import _kept_shapes, migrated_shape

    kept = _kept_shapes()
    assert sorted(kept) == list(range(1, schema.SCHEMA_VERSION + 1)), (
        "planner/store/schema_shapes.json is out of date: run "
        "`python -m planner.store.schema_check`"
    )
    for version in kept:
        assert kept[version] == migrated_shape(version), f"file format {version} differs"
