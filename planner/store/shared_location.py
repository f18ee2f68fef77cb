"""Where a shared plan is: a postgresql:// URL naming the database and, optionally, the plan.

    postgresql://USER@HOST:PORT/DATABASE?plan=3          the plan with id 3
    postgresql://USER@HOST:PORT/DATABASE#Northshire      the plan with that title
    postgresql://USER@/DATABASE?host=/run/postgresql     over a Unix socket

Everything but `plan` and the #title is libpq's own URL syntax (sslmode=, host=, ...).
A password is never needed in the URL: libpq reads the user's password file (~/.pgpass,
or the file PGPASSFILE names), and the app asks for it otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from planner.errors import PlannerError

SCHEMES = ("postgresql", "postgres")


def is_shared_location(text: object) -> bool:
    """True for a postgresql:// (or postgres://) URL rather than a file path."""
    return isinstance(text, str) and text.split("://", 1)[0].lower() in SCHEMES and "://" in text


@dataclass(frozen=True)
class SharedLocation:
    """A database (as a libpq URL, with no plan in it) and the plan chosen in it, if any."""

    url: str
    plan: str | None = None  # an id (digits) or a title

    @classmethod
    def parse(cls, text: str) -> SharedLocation:
        if not is_shared_location(text):
            raise PlannerError(f"'{text}' is not a postgresql:// address.")
        parts = urlsplit(text.strip())
        query = parse_qsl(parts.query, keep_blank_values=True)
        plan = next((value for key, value in query if key == "plan"), None)
        if parts.fragment:
            plan = unquote(parts.fragment)
        kept = urlencode([(key, value) for key, value in query if key != "plan"])
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, kept, ""))
        return cls(url, plan.strip() if plan and plan.strip() else None)

    def with_plan(self, plan: str | int | None) -> SharedLocation:
        return SharedLocation(self.url, None if plan is None else str(plan))

    @property
    def text(self) -> str:
        """The whole address, with the plan, as a user would type it (no password)."""
        base = self.without_password
        if self.plan is None:
            return base
        if self.plan.isdigit():
            return f"{base}{'&' if '?' in base else '?'}plan={self.plan}"
        return f"{base}#{quote(self.plan)}"

    @property
    def without_password(self) -> str:
        parts = urlsplit(self.url)
        netloc = parts.netloc
        if "@" in netloc:
            credentials, host = netloc.rsplit("@", 1)
            netloc = f"{credentials.split(':', 1)[0]}@{host}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

    def describe(self) -> str:
        """'user@host/database' for window titles and messages."""
        parts = urlsplit(self.url)
        query = dict(parse_qsl(parts.query))
        host = parts.hostname or query.get("host") or "this computer"
        if host.startswith("/"):
            host = "this computer"
        user = unquote(parts.username) if parts.username else query.get("user", "")
        database = unquote(parts.path.lstrip("/")) or query.get("dbname", "") or user
        return f"{user + '@' if user else ''}{host}/{database}"
