"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary folder,
started with pg_ctl on a Unix socket there (and, on request, a free loopback port),
removed afterwards.

initdb and postgres refuse to run as root; as root the server runs as the `postgres`
system user (Debian's package makes it) through runuser. `find_server()` says why no
server can be started, for a clear skip message.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"


def _binary_folders() -> list[Path]:
    folders = [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    folders.append(Path("/usr/local/bin"))
    folders += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    return folders


def _find(name: str) -> Path | None:
    for folder in _binary_folders():
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_server() -> tuple[Path, Path, str | None] | str:
    """(initdb, pg_ctl, user to run them as) or the reason no server can be started."""
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    if initdb is None or pg_ctl is None:
        return "PostgreSQL's initdb and pg_ctl were not found (install the postgresql package)"
    if os.geteuid() != 0:
        return initdb, pg_ctl, None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "running as root and there is no 'postgres' user to run the server as"
    if shutil.which("runuser") is None:
        return "running as root and runuser is not available to start the server"
    return initdb, pg_ctl, "postgres"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    tcp: bool
    pg_ctl: Path
    run_as: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str = "postgres", user: str = SUPERUSER, **query: str) -> str:
        """A postgresql:// URL for `database`, over the socket (or loopback TCP)."""
        extra = "".join(f"&{key}={value}" for key, value in query.items())
        if self.tcp:
            return f"postgresql://{user}@127.0.0.1:{self.port}/{database}?x=1{extra}".replace(
                "?x=1&", "?"
            ).removesuffix("?x=1")
        return f"postgresql://{user}@/{database}?host={self.socket_dir}&port={self.port}{extra}"

    def conninfo(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        host = "127.0.0.1" if self.tcp else str(self.socket_dir)
        return f"host={host} port={self.port} dbname={database} user={user}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run SQL as the superuser (autocommit: CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(self.conninfo(database), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement.encode())  # type: ignore[arg-type]

    def stop(self) -> None:
        _run(
            [str(self.pg_ctl), "stop", "-D", str(self.data), "-m", "immediate", "-s"],
            self.run_as,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(command: list[str], user: str | None, *, check: bool = True) -> None:
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(
        command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120
    )


def start_server(*, tcp: bool = False) -> Server:
    """Start a new, empty cluster; raises RuntimeError with the reason if it cannot."""
    found = find_server()
    if isinstance(found, str):
        raise RuntimeError(found)
    initdb, pg_ctl, run_as = found
    folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    folder.chmod(0o755)
    if run_as is not None:
        entry = pwd.getpwnam(run_as)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    server = Server(folder, port, tcp, pg_ctl, run_as)
    listen = "127.0.0.1" if tcp else ""
    options = (
        f"-k {folder} -p {port} -c listen_addresses='{listen}' -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
    )
    try:
        _run(
            [
                str(initdb),
                "-D",
                str(server.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            run_as,
        )
        _run(
            [
                str(pg_ctl),
                "start",
                "-D",
                str(server.data),
                "-w",
                "-s",
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
            ],
            run_as,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log = folder / "server.log"
        detail = ""
        if isinstance(error, subprocess.CalledProcessError) and error.stderr:
            detail = error.stderr.decode(errors="replace").strip()
        elif log.exists():
            detail = log.read_text(errors="replace").strip()[-500:]
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"a PostgreSQL server could not be started: {detail or error}") from None
    return server


_ROLES = itertools.count(1)


def make_role(pg_server: Server, database_url: str, *, editor: bool) -> str:
    """A new login role with an editor's or a reader's grants on the database."""
    role = f"{'editor' if editor else 'reader'}_{next(_ROLES)}"
    database = database_url.split("?")[0].rsplit("/", 1)[1]
    grants = (
        [
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ]
        if editor
        else [f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"]
    )
    pg_server.execute(f"CREATE ROLE {role} LOGIN")
    pg_server.execute(*grants, database=database)
    return str(pg_server.url(database, user=role))
