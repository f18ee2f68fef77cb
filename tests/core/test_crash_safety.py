"""Crash safety, tested by killing: a separate process edits and saves a plan at full
speed and is killed with SIGKILL at random moments, hundreds of times. After every kill
the plan file must pass `planner check` and be either the previous save or the new one
in full, every edit the process reported as committed must be where reopening the plan
finds it, and reopening must offer the unsaved edits back.

The editing processes are forked from one long-lived helper process that has already
imported the program, so each round costs milliseconds rather than a Python start-up.
PLANNER_CRASH_KILLS sets the number of kills (default 200)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from planner.cli import main
from planner.errors import RecoveryAvailable
from planner.store.lock import lock_path, read_lock
from planner.store.planfile import PlanFile, find_recovery

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork to start editors fast"),
]

KILLS = int(os.environ.get("PLANNER_CRASH_KILLS", "200"))
SEED = int(os.environ.get("PLANNER_CRASH_SEED", "20240314"))

# The helper: imports everything once, then forks one editor per "go" line. An editor
# reports each step as one JSON line written with a single os.write (never cut short).
HELPER = textwrap.dedent(
    """
    import json, os, random, sys
    from sqlalchemy import text
    from planner.commands import CreateRecord, EditRecord, runner_for
    from planner.store.planfile import PlanFile, find_recovery

    def say(*parts):
        os.write(1, (json.dumps(parts) + "\\n").encode())

    def edit(plan, seed, seq):
        rng = random.Random(seed)
        recovery = "recover" if find_recovery(plan) else "discard"
        plan_file = PlanFile.open(plan, recovery=recovery)
        runner = runner_for(plan_file, who="Crash Test")
        with plan_file.Session() as session:
            actions = [row[0] for row in session.execute(text("SELECT id FROM action"))]
            milestones = [row[0] for row in session.execute(text("SELECT id FROM milestone"))]
        say("R")
        undoable = []
        while True:
            roll = rng.random()
            if roll < 0.12:
                say("SB", seq)
                plan_file.save()
                say("SD", seq)
                continue
            seq += 1
            if roll < 0.22 and undoable:
                applied, key, before = undoable.pop()
                say("B", seq, key, before)
                runner.undo(applied)
            elif roll < 0.30:
                key, value = f"t:{1000 + seq}", f"theme {seq}"
                say("B", seq, key, value)
                runner.execute(CreateRecord("theme", {"number": 1000 + seq, "title": value}))
            else:
                table, field, ids = rng.choice(
                    [("action", "title", actions), ("milestone", "note", milestones)]
                )
                row_id = rng.choice(ids)
                key, value = f"{table[0]}:{row_id}", f"edit {seq}"
                say("B", seq, key, value)
                applied = runner.execute(EditRecord(table, row_id, {field: value}))
                undoable.append((applied, key, applied.changes[0].before[field]))
            say("C", seq)

    print("ready", flush=True)
    for line in sys.stdin:
        plan, seed, seq = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                edit(plan, int(seed), int(seq))
            except BaseException as error:
                say("E", repr(error))
            os._exit(3)
        say("P", pid)
        _, status = os.waitpid(pid, 0)
        say("X", pid, status)
    """
)

State = dict[str, str]


def read_state(connection: Any) -> State:
    """Every value the editors change: action titles, milestone notes, theme titles."""
    state: State = {}
    for prefix, sql in (
        ("a", "SELECT id, title FROM action"),
        ("m", "SELECT id, note FROM milestone"),
        ("t", "SELECT number, title FROM theme"),
    ):
        for key, value in connection.execute(text(sql) if hasattr(connection, "scalar") else sql):
            state[f"{prefix}:{key}"] = value
    return state


def saved_state(plan: Path) -> State:
    connection = sqlite3.connect(f"file:{plan}?mode=ro", uri=True)
    try:
        return read_state(connection)
    finally:
        connection.close()


class Checker:
    """`planner check` on the plan file, run once for each distinct content."""

    def __init__(self) -> None:
        self.passed: set[str] = set()
        self.runs = 0

    def check(self, plan: Path) -> None:
        digest = hashlib.sha256(plan.read_bytes()).hexdigest()
        if digest in self.passed:
            return
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["check", str(plan)])
        assert code == 0, out.getvalue()
        self.runs += 1
        self.passed.add(digest)


def with_pending(state: State, pending: tuple[str, str] | None) -> State:
    if pending is None:
        return state
    return {**state, pending[0]: pending[1]}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Where the plan and the data folder live: in memory when the system offers it.
    A SIGKILL loses nothing the kernel was given, so syncing to a disk adds only time."""
    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else None
    root = base or tmp_path
    (root / "docs").mkdir()
    (root / "user-data").mkdir()
    monkeypatch.setenv("PLANNER_DATA_DIR", str(root / "user-data"))
    yield root
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def helper(folder: Path) -> Any:
    process = subprocess.Popen(
        [sys.executable, "-c", HELPER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),  # carries PLANNER_DATA_DIR
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline() == "ready\n"
    yield process
    process.stdin.close()
    process.wait(timeout=30)


def test_killing_the_program_at_random_moments_loses_and_breaks_nothing(
    helper: Any, sample_path: Path, folder: Path
) -> None:
    plan = folder / "docs" / "northshire.plan"
    shutil.copyfile(sample_path, plan)
    rng = random.Random(SEED)
    checker = Checker()
    model = saved = saved_state(plan)  # what the user has edited / last saved
    seq = 0
    kills = recoveries = saves = kills_while_saving = 0
    started = time.monotonic()

    while kills < KILLS:
        helper.stdin.write(f"{plan} {rng.randrange(1 << 30)} {seq}\n")
        helper.stdin.flush()
        # a quarter of the kills land while the plan is being opened (and recovered),
        # the rest while it is being edited and saved
        while_opening = rng.random() < 0.25
        delay = rng.uniform(0.0, 0.03) if while_opening else rng.uniform(0.0, 0.04)
        pending: tuple[str, str] | None = None
        saving: State | None = None
        timer: threading.Timer | None = None
        pid = 0
        while True:
            message = json.loads(helper.stdout.readline())
            kind = message[0]
            if kind == "P":
                pid = message[1]
            if (kind == "P" and while_opening) or (kind == "R" and not while_opening):
                timer = threading.Timer(delay, os.kill, (pid, signal.SIGKILL))
                timer.start()
            elif kind == "B":
                pending = (message[2], message[3])
                seq = message[1]
            elif kind == "C":
                model, pending = with_pending(model, pending), None
            elif kind == "SB":
                saving = dict(model)
            elif kind == "SD":
                assert saving is not None
                saved, saving = saving, None
                saves += 1
            elif kind == "E":
                if timer is not None:
                    timer.cancel()
                pytest.fail(f"the editor failed: {message[1]}")
            elif kind == "X":
                assert os.WIFSIGNALED(message[2]) and os.WTERMSIG(message[2]) == signal.SIGKILL
                kills += 1
                break
        kills_while_saving += saving is not None
        # ----- the plan file: sound, and the previous save or the new one in full
        checker.check(plan)
        on_disk = saved_state(plan)
        assert on_disk == saved or (saving is not None and on_disk == saving)
        saved = on_disk
        # ----- the lock of the killed program is left, naming a program no longer running
        holder = read_lock(plan)
        assert holder is None or holder.is_stale(lock_path(plan))
        # ----- every reported edit is where reopening finds it, and is offered back
        if find_recovery(plan) is None:
            assert model == on_disk or with_pending(model, pending) == on_disk
            model = on_disk
        else:
            recoveries += 1
            with pytest.raises(RecoveryAvailable):
                PlanFile.open(plan)
            recovered = PlanFile.open(plan, recovery="recover")
            try:
                with recovered.Session() as session:
                    found = read_state(session)
            finally:
                recovered.close()
            assert found == model or found == with_pending(model, pending)
            model = found
        assert time.monotonic() - started < 300, f"only {kills} kills in 300 s"

    # ----- finally: reopen, save, close: all there, nothing left over beside the plan
    recovery = "recover" if find_recovery(plan) else "discard"
    with PlanFile.open(plan, recovery=recovery) as plan_file:
        plan_file.save()
    assert saved_state(plan) == model
    checker.check(plan)
    assert sorted(os.listdir(plan.parent)) == [plan.name]
    assert kills >= KILLS and saves > 0 and recoveries > 0 and kills_while_saving > 0
    print(
        f"{kills} kills ({kills_while_saving} while saving), {saves} saves completed, "
        f"{recoveries} recoveries, {seq} edits, "
        f"{checker.runs} checks in {time.monotonic() - started:.1f} s"
    )
