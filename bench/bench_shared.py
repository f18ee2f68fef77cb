"""A shared plan under load: 20 officers editing the large plan at once on PostgreSQL.

Starts a throwaway PostgreSQL server on a loopback port (skipped, with a note, where none
can be started), publishes the large plan, and lets 20 officers (threads, each with its
own connection and database account, as 20 copies of the app would: processes) edit actions for a
minute, an edit every second or so each (20 edits a second in all): half of them on
a few busy actions, so they collide. Each officer is its own process, as each copy of the
app is; on a small machine their work shares its cores with the server's, so the latency
measured is an upper bound on what each officer would see. Each officer keeps the
versions it last saw, as a window does, and refreshes when refused or every 5 s.

Checks that no update is lost: every committed edit is in the change journal under its
officer's name, and each action's journal is one unbroken chain (every edit replaced the
value the one before it wrote), ending at the value the action holds. Prints the p95
and median edit latency (committed or refused), the throughput and the refusals.

    BENCH_SHARED_SECONDS=10 python bench/run.py --only shared    (a shorter run)
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from benchlib import REPO_DIR, Context, Result, progress, timed

OFFICERS = int(os.environ.get("BENCH_SHARED_OFFICERS", "20"))
SECONDS = float(os.environ.get("BENCH_SHARED_SECONDS", "60"))
HOT_ACTIONS = 40  # the busy actions half of all edits go to
REFRESH_EVERY = 5.0  # seconds, as the window checks
THINK = (0.5, 1.5)  # seconds between one officer's edits: a busy officer, not a robot
TARGET_P95_MS = 100.0


@dataclass
class Officer:
    name: str
    url: str
    committed: list[tuple[int, str]] = field(default_factory=list)  # (action id, title)
    latencies: list[float] = field(default_factory=list)
    refused: int = 0
    refreshes: int = 0
    error: str = ""


def _work(
    officer: Officer,
    action_ids: list[int],
    opened: Any,
    seconds: float,
    seed: int,
    results: Any,
) -> None:
    """One officer's minute, in its own process; puts the officer's record on `results`."""
    try:
        _edit(officer, action_ids, opened, seconds, seed)
    finally:
        results.put(officer)


def _edit(officer: Officer, action_ids: list[int], opened: Any, seconds: float, seed: int) -> None:
    from planner.commands import EditRecord, runner_for
    from planner.commands.concurrency import EditorVersions
    from planner.errors import ConflictError
    from planner.store.shared import SharedPlan

    rng = random.Random(seed)
    try:
        with SharedPlan.open(officer.url) as plan:
            versions = EditorVersions(track_seen=True)
            runner = runner_for(plan, versions=versions)

            def refresh() -> None:
                with plan.Session() as session:
                    versions.refresh(session, plan.plan_id)
                officer.refreshes += 1

            refresh()
            # one untimed edit first, as a window has made before it is busy (the
            # statements are compiled once per process)
            warm_up = action_ids[-1 - seed % HOT_ACTIONS]
            title = f"Opened by {officer.name}"
            try:
                runner.execute(EditRecord("action", warm_up, {"title": title}))
                officer.committed.append((warm_up, title))
            except ConflictError:
                refresh()
            opened.wait()  # everyone has the plan open: the minute starts now
            stop_at = time.monotonic() + seconds
            refreshed_at = time.monotonic()
            count = 0
            while time.monotonic() < stop_at:
                pool = action_ids[:HOT_ACTIONS] if rng.random() < 0.5 else action_ids
                target = rng.choice(pool)
                count += 1
                title = f"Edited by {officer.name} ({count})"
                started = time.perf_counter()
                try:
                    runner.execute(EditRecord("action", target, {"title": title}))
                    officer.committed.append((target, title))
                except ConflictError:
                    officer.refused += 1
                    refresh()
                    refreshed_at = time.monotonic()
                finally:
                    officer.latencies.append(time.perf_counter() - started)
                if time.monotonic() - refreshed_at > REFRESH_EVERY:
                    refresh()
                    refreshed_at = time.monotonic()
                time.sleep(rng.uniform(*THINK))
    except Exception as error:  # reported in the results, not lost in a process
        officer.error = f"{type(error).__name__}: {error}"
        opened.abort()


def _lost_updates(url: str, officers: list[Officer], plan_id: int) -> list[str]:
    """Every way an update could have been lost, as sentences (empty: none were)."""
    from sqlalchemy import select

    from planner.store.models import Action, JournalEntry
    from planner.store.shared import SharedPlan

    problems: list[str] = []
    with SharedPlan.open(url) as plan, plan.Session() as session:
        titles = dict(
            session.execute(select(Action.id, Action.title).where(Action.plan_id == plan_id)).all()
        )
        chains: dict[int, list[JournalEntry]] = {}
        for entry in session.scalars(
            select(JournalEntry)
            .where(
                JournalEntry.plan_id == plan_id,
                JournalEntry.entity == "action",
                JournalEntry.field == "title",
            )
            .order_by(JournalEntry.id)
        ):
            chains.setdefault(entry.entity_id, []).append(entry)
    journalled = {(e.who, e.entity_id, e.new_value) for es in chains.values() for e in es}
    for officer in officers:
        for action_id, title in officer.committed:
            if (officer.name, action_id, title) not in journalled:
                problems.append(f"{officer.name}'s edit '{title}' is not in the journal")
    for action_id, entries in chains.items():
        for before, after in itertools.pairwise(entries):
            if after.old_value != before.new_value:
                problems.append(
                    f"action {action_id}: '{after.new_value}' replaced '{after.old_value}', "
                    f"not '{before.new_value}' (a lost update)"
                )
        if titles.get(action_id) != entries[-1].new_value:
            problems.append(f"action {action_id} does not hold its last committed title")
    return problems


def run(ctx: Context) -> list[Result]:
    sys.path.insert(0, str(REPO_DIR / "tests"))
    from pg_server import start_server

    try:
        server = start_server(tcp=True)
    except RuntimeError as error:
        ctx.notes.append(f"shared: skipped, {error}")
        progress(f"shared: skipped ({error})")
        return []
    try:
        return _run(ctx, server)
    finally:
        server.stop()


def _run(ctx: Context, server: Any) -> list[Result]:
    from sqlalchemy import select

    from planner.store.models import Action
    from planner.store.shared import SharedPlan
    from planner.store.transfer import publish

    server.execute("CREATE DATABASE plans")
    path = ctx.large_plan()
    progress(f"publishing the large plan ({ctx.actions} actions) ...")
    listing = None

    def do_publish() -> None:
        nonlocal listing
        listing = publish(path, server.url("plans"))

    publish_seconds = timed(do_publish)
    assert listing is not None
    officers = []
    for number in range(1, OFFICERS + 1):
        role = f"officer_{number}"
        server.execute(f"CREATE ROLE {role} LOGIN")
        server.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            database="plans",
        )
        officers.append(Officer(role, server.url("plans", user=role, plan=str(listing.id))))
    with SharedPlan.open(officers[0].url) as plan, plan.Session() as session:
        action_ids = list(
            session.scalars(
                select(Action.id).where(Action.plan_id == listing.id).order_by(Action.id)
            )
        )
    random.Random(ctx.seed).shuffle(action_ids)
    progress(f"{OFFICERS} officers editing for {SECONDS:.0f} s ...")
    spawn = multiprocessing.get_context("spawn")
    opened = spawn.Barrier(OFFICERS)
    results = spawn.Queue()
    processes = [
        spawn.Process(
            target=_work, args=(officer, action_ids, opened, SECONDS, ctx.seed + n, results)
        )
        for n, officer in enumerate(officers)
    ]
    for process in processes:
        process.start()
    officers = [results.get(timeout=SECONDS + 300) for _ in processes]
    for process in processes:
        process.join()
    errors = [f"{o.name}: {o.error}" for o in officers if o.error]
    progress("checking that no update was lost ...")
    lost = _lost_updates(officers[0].url, officers, listing.id)
    latencies = sorted(ms * 1000 for o in officers for ms in o.latencies)
    committed = sum(len(o.committed) for o in officers)
    refused = sum(o.refused for o in officers)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    problem = "; ".join(errors + lost[:5])
    if len(lost) > 5:
        problem += f"; and {len(lost) - 5} more"
    ctx.notes.append(
        f"shared: {OFFICERS} officers for {SECONDS:.0f} s on loopback: {committed} edits "
        f"committed, {refused} refused as conflicts (none lost: {not lost}), "
        f"{sum(o.refreshes for o in officers)} refreshes"
    )
    return [
        Result(
            f"shared: edit latency p95 ({OFFICERS} officers)",
            p95,
            "ms",
            statistics.median(latencies) if latencies else None,
            "median edit",
            TARGET_P95_MS,
            error=problem,
        ),
        Result("shared: edits committed per second", committed / SECONDS, "/s"),
        Result("shared: edits refused (conflicts)", float(refused), "edits"),
        Result("shared: lost updates", float(len(lost)), "edits", target=1.0),
        Result(f"shared: publish {ctx.actions} actions", publish_seconds, "s"),
    ]
