"""A plan kept in a PostgreSQL database, which several officers' copies open at once.

There is no working copy and no Save: every change is committed to the server as it is
made, through the same commands as a plan file. Several plans can live in one database.
The server, not the app, decides who may change a plan: an account with read-only grants
opens every plan read-only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from planner import APP_NAME
from planner.errors import NewerVersionError, NotFoundError, SaveError, ServerError
from planner.store import schema
from planner.store.models import Action, JournalEntry, Plan
from planner.store.shared_location import SharedLocation

CONNECT_TIMEOUT = 10  # seconds


class PasswordNeeded(ServerError):
    """The server asks for a password that the user's password file does not hold."""


@dataclass(frozen=True)
class PlanListing:
    """One plan in a shared database, as the Open shared plan dialog lists it."""

    id: int
    title: str
    organisation: str
    status_date: date
    actions: int


def _connect_failure(error: BaseException, location: SharedLocation) -> ServerError:
    text_ = str(getattr(error, "orig", error)).strip()
    lowered = text_.lower()
    where = location.describe()
    if "no password supplied" in lowered:
        return PasswordNeeded(f"The server for {where} asks for a password.")
    if "password authentication failed" in lowered:
        return PasswordNeeded(f"The password for {where} was not accepted.")
    if "does not exist" in lowered and "database" in lowered:
        return ServerError(f"There is no database '{where.rsplit('/', 1)[-1]}' on that server.")
    if "role" in lowered and "does not exist" in lowered:
        return ServerError(f"The server has no account for {where.split('@')[0]}.")
    unreachable = ("timeout", "could not connect", "connection refused", "no such file")
    if any(reason in lowered for reason in unreachable):
        return ServerError(
            f"The server for {where} could not be reached. Check the address and your "
            "network connection, then try again."
        )
    first_line = text_.splitlines()[0] if text_ else type(error).__name__
    return ServerError(f"Could not connect to {where}: {first_line}")


def make_engine(location: SharedLocation, password: str | None = None) -> Engine:
    """An engine that connects through libpq with the URL as given (so ~/.pgpass,
    PGPASSFILE, sslmode and Unix sockets work as in psql)."""
    import psycopg

    options: dict[str, Any] = {
        "application_name": APP_NAME,
        "connect_timeout": CONNECT_TIMEOUT,
    }
    if password:
        options["password"] = password

    def connect() -> Any:
        return psycopg.connect(location.url, **options)

    return create_engine(
        "postgresql+psycopg://", creator=connect, pool_pre_ping=True, pool_size=2, max_overflow=4
    )


class SharedDatabase:
    """A connection to a database that holds (or will hold) shared plans."""

    def __init__(self, location: SharedLocation, password: str | None = None) -> None:
        self.location = location
        self.engine = make_engine(location, password)
        self.Session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        try:
            with self.engine.connect() as connection:
                self.user = str(connection.scalar(text("SELECT current_user")))
        except DBAPIError as error:
            self.engine.dispose()
            raise _connect_failure(error, location) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> SharedDatabase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ----- the schema -------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The plan format the database holds, or None when it holds no plan tables."""
        with self.engine.connect() as connection:
            exists = connection.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
            if not exists:
                return None
            found = connection.scalar(text("SELECT max(version_num) FROM alembic_version"))
        return int(found) if found else None

    def require_current_schema(self) -> None:
        version = self.schema_version()
        where = self.location.describe()
        if version is None:
            raise ServerError(
                f"{where} holds no shared plans yet. An administrator prepares it with "
                f"'planner shared init URL', or publishes a plan with 'planner publish'."
            )
        if version > schema.SCHEMA_VERSION:
            raise NewerVersionError(
                f"The plans in {where} were made by a newer version of {APP_NAME} "
                f"(format {version}); update this program to open them."
            )
        if version < schema.SCHEMA_VERSION:
            raise ServerError(
                f"The plans in {where} are in an older format ({version}). An administrator "
                f"upgrades them with 'planner shared init URL' (everyone keeps working)."
            )

    def init(self) -> tuple[int | None, int]:
        """Create the plan tables, or upgrade them to this program's format; returns the
        format before and after. Needs an account that may create tables."""
        before = self.schema_version()
        try:
            with self.engine.begin() as connection:
                schema.upgrade(connection)
        except ProgrammingError as error:
            if "permission denied" in str(error.orig).lower():
                raise ServerError(
                    f"Your account ({self.user}) may not create tables in "
                    f"{self.location.describe()}; ask the database's administrator."
                ) from None
            raise
        return before, schema.SCHEMA_VERSION

    # ----- plans ------------------------------------------------------------------------

    def plans(self) -> list[PlanListing]:
        self.require_current_schema()
        counts = (
            select(Action.plan_id, func.count(Action.id).label("n"))
            .group_by(Action.plan_id)
            .subquery()
        )
        with self.Session() as session:
            rows = session.execute(
                select(
                    Plan.id,
                    Plan.title,
                    Plan.organisation,
                    Plan.status_date,
                    func.coalesce(counts.c.n, 0),
                )
                .outerjoin(counts, counts.c.plan_id == Plan.id)
                .order_by(Plan.title, Plan.id)
            ).all()
        return [PlanListing(int(r[0]), r[1], r[2], r[3], int(r[4])) for r in rows]

    def find_plan(self, wanted: str | None) -> PlanListing:
        """The plan an id or title names (a title may be shortened if still unique)."""
        plans = self.plans()
        where = self.location.describe()
        if not plans:
            raise NotFoundError(f"{where} holds no plans yet; publish one with 'planner publish'.")
        names = "; ".join(f"{plan.id}: {plan.title}" for plan in plans)
        if wanted is None:
            if len(plans) == 1:
                return plans[0]
            raise NotFoundError(
                f"{where} holds {len(plans)} plans; say which with ?plan=ID or #TITLE ({names})."
            )
        if wanted.isdigit():
            found = [plan for plan in plans if plan.id == int(wanted)]
        else:
            key = wanted.casefold()
            found = [plan for plan in plans if plan.title.casefold() == key] or [
                plan for plan in plans if key in plan.title.casefold()
            ]
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFoundError(f"{where} holds no plan '{wanted}' ({names}).")
        raise NotFoundError(f"More than one plan in {where} matches '{wanted}' ({names}).")

    def can_write(self) -> bool:
        """True when this account may change plans (the grants an editor has)."""
        with self.engine.connect() as connection:
            return bool(
                connection.scalar(
                    text(
                        "SELECT has_table_privilege('action', 'UPDATE') "
                        "AND has_table_privilege('journal', 'INSERT')"
                    )
                )
            )


class SharedPlan:
    """One plan in a shared database, open: what a plan file offers, without a file."""

    is_dirty = False
    migrated_from: int | None = None
    lock = None

    def __init__(
        self, database: SharedDatabase, listing: PlanListing, *, read_only: bool = False
    ) -> None:
        self.database = database
        self.location = database.location.with_plan(listing.id)
        self.plan_id = listing.id
        self.title = listing.title
        self.engine = database.engine
        self.Session = database.Session
        self.database_user = database.user
        self.read_only_by_grant = not database.can_write()
        self.read_only = read_only or self.read_only_by_grant
        # where exports and reports are suggested, and the name a downloaded copy gets
        self.path = Path.home() / f"{_file_name(listing.title)}.plan"
        self.data_dir = Path(os.devnull)

    @classmethod
    def open(
        cls,
        location: SharedLocation | str,
        *,
        password: str | None = None,
        read_only: bool = False,
    ) -> SharedPlan:
        if isinstance(location, str):
            location = SharedLocation.parse(location)
        database = SharedDatabase(location, password)
        try:
            listing = database.find_plan(location.plan)
            return cls(database, listing, read_only=read_only)
        except BaseException:
            database.close()
            raise

    @property
    def read_only_reason(self) -> str:
        if self.read_only_by_grant:
            return (
                f"your account ({self.database_user}) on the plan's database may read it but "
                "not change it. Ask the database's administrator if you need to edit."
            )
        return "this plan was opened read-only."

    def describe(self) -> str:
        return f"{self.title} (shared, {self.database.location.describe()})"

    # ----- what a plan file offers ------------------------------------------------------

    def mark_dirty(self) -> None:
        """Nothing to do: every change is already on the server."""

    def mark_dirty_for_write(self) -> Callable[[], None] | None:
        return None

    def changed_on_disk(self) -> bool:
        return False

    def save(self, **_options: Any) -> None:
        raise SaveError("A shared plan is saved on the server as you edit; there is no Save.")

    def save_as(self, _path: str | os.PathLike[str]) -> None:
        raise SaveError("To keep a copy for offline work, use Download a copy.")

    def change_mark(self) -> tuple[int, int]:
        """Changes so far (count and newest journal entry): differs once anyone changes
        the plan, cheaply, so a window can tell when to refresh."""
        with self.Session() as session:
            count, newest = session.execute(
                select(
                    func.count(JournalEntry.id), func.coalesce(func.max(JournalEntry.id), 0)
                ).where(JournalEntry.plan_id == self.plan_id)
            ).one()
        return int(count), int(newest)

    def close(self, *, discard: bool = False) -> None:
        self.database.close()

    def __enter__(self) -> SharedPlan:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _file_name(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_()&," else " " for c in title)
    return " ".join(cleaned.split())[:80] or "Shared plan"
