"""What every benchmark shares: the run's context, one result row, and timing helpers."""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent

# Tables holding no plan content, left out of row counts.
NOT_CONTENT = ("alembic_version", "journal")


@dataclass
class Context:
    """One run of the benchmarks: sizes, folders and the large plan they share."""

    actions: int
    seed: int
    workdir: Path  # plans and scratch files
    data_dir: Path  # PLANNER_DATA_DIR for this run: working copies, backups
    python: str = sys.executable
    plan_path: Path | None = None  # set by the create benchmark, or made on demand
    notes: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """The environment for subprocesses: this run's data folder, nothing of the user's."""
        env = dict(os.environ)
        env["PLANNER_DATA_DIR"] = str(self.data_dir)
        return env

    def large_plan(self) -> Path:
        """The large plan; written now when no benchmark has made it."""
        if self.plan_path is None:
            from make_large_plan import make_large_plan

            path = self.workdir / f"large-{self.actions}.plan"
            progress(f"writing the large plan ({self.actions} actions) ...")
            make_large_plan(path, self.actions, seed=self.seed, force=True, data_dir=self.data_dir)
            self.plan_path = path
        return self.plan_path


@dataclass
class Result:
    """One row of the table. `value`, `floor` and `target` are in `unit`."""

    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_is: str = ""
    target: float | None = None  # pass when value < target
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.target is None:
            return "-"
        return "PASS" if self.value < self.target else "FAIL"


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_seconds(fn: Callable[[], object], runs: int, *, warmup: int = 0) -> float:
    """The median of `runs` timed calls of `fn`, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn) for _ in range(runs))


def run_command(command: Sequence[str], ctx: Context) -> subprocess.CompletedProcess[str]:
    """Run a command with this run's environment; raise with its output if it fails."""
    done = subprocess.run(
        list(command), env=ctx.env(), cwd=REPO_DIR, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, command))} exited {done.returncode}: "
            f"{(done.stderr or done.stdout).strip()[-500:]}"
        )
    return done


def command_seconds(command: Sequence[str], ctx: Context) -> float:
    """Wall time of one run of a command (it must exit 0)."""
    return timed(lambda: run_command(command, ctx))


def planner_command() -> list[str]:
    """How to run the `planner` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


def content_rows(path: Path) -> dict[str, int]:
    """Rows per plan table in a plan file, read with plain sqlite3."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name not in NOT_CONTENT and not name.startswith("sqlite_")
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
        }
    finally:
        connection.close()


def view_rebuilds(
    ctx: Context, script: str, runs: int, *, name: str, floor_is: str, target_ms: float
) -> list[Result]:
    """Run `script` (given the plan, the data folder and `runs`) offscreen in its own
    process; it prints {view: [seconds, floor seconds]} as JSON on its last line."""
    import json

    env = ctx.env()
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script, str(ctx.large_plan()), str(ctx.data_dir), str(runs)],
        env=env,
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-500:])
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Result(
            f"{name}: {view}",
            seconds * 1000,
            "ms",
            floor=floor * 1000,
            floor_is=floor_is,
            target=target_ms,
        )
        for view, (seconds, floor) in found.items()
    ]
