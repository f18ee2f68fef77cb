"""Schema versions and migrations: Alembic revisions numbered 0001, 0002, ..."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

# SQLite header fields that mark a file as a plan and give its schema version.
APPLICATION_ID = 0x53504C4E  # "SPLN"
SCHEMA_VERSION = 7  # the newest revision, as a number; equals PRAGMA user_version

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def upgrade(connection: Connection) -> None:
    """Bring the schema on `connection` to the newest revision (creates it when empty)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
