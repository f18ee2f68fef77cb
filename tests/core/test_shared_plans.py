"""Shared plans on a PostgreSQL server: publish and download, several plans in one
database, two officers editing at once, read-only accounts, and the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pg_server import make_role
from sqlalchemy import select

from planner.cli import main
from planner.commands import EditRecord, runner_for
from planner.commands.concurrency import EditorVersions, plan_versions
from planner.commands.runner import CommandRunner, ReadOnlyError
from planner.errors import ConflictError, NotFoundError, ServerError
from planner.queries import plan_counts
from planner.store.models import Action, JournalEntry, Plan
from planner.store.planfile import PlanFile
from planner.store.shared import SharedDatabase, SharedPlan
from planner.store.shared_location import SharedLocation
from planner.store.transfer import DOWNLOADED, download, publish


def action_id(plan: Any, ref: str) -> int:
    with plan.Session() as session:
        found = session.scalar(
            select(Action.id).where(Action.plan_id == plan.plan_id, Action.ref == ref)
        )
        return int(found)


def action(plan: Any, ref: str) -> Action:
    with plan.Session() as session:
        found = session.scalar(
            select(Action).where(Action.plan_id == plan.plan_id, Action.ref == ref)
        )
        assert found is not None
        return found


def officer(plan: SharedPlan) -> CommandRunner:
    """A runner as a window has one: it knows the plan as it last saw it."""
    versions = EditorVersions(track_seen=True)
    with plan.Session() as session:
        versions.replace_seen(plan_versions(session, plan.plan_id))
    return runner_for(plan, versions=versions)


# ----- addresses -----------------------------------------------------------------------


def test_a_url_names_the_plan_by_id_or_title() -> None:
    by_id = SharedLocation.parse("postgresql://alice@db.example.org:5432/plans?plan=3")
    assert by_id.url == "postgresql://alice@db.example.org:5432/plans" and by_id.plan == "3"
    by_title = SharedLocation.parse("postgresql://alice:secret@db/plans#Northshire%202026")
    assert by_title.plan == "Northshire 2026"
    assert "secret" not in by_title.text and "secret" not in by_title.describe()
    assert by_title.describe() == "alice@db/plans"
    socket = SharedLocation.parse("postgresql://bob@/plans?host=/run/postgresql&plan=2")
    assert socket.plan == "2" and "host=" in socket.url and "plan=" not in socket.url


# ----- publish and download ------------------------------------------------------------


def test_publish_then_download_round_trips_the_plan(
    sample_path: Path, shared_url: str, tmp_path: Path
) -> None:
    listing = publish(sample_path, shared_url)
    assert listing.actions == 27
    out = tmp_path / "offline.plan"
    with PlanFile.open(sample_path, read_only=True) as original, original.Session() as session:
        counts = plan_counts(session, original.plan_id)
        uid = session.scalar(select(Plan.uid))
        journal = len(session.scalars(select(JournalEntry)).all())
    location = SharedLocation.parse(shared_url).with_plan(listing.id)
    with SharedPlan.open(location) as shared, shared.Session() as session:
        assert plan_counts(session, shared.plan_id) == counts
        assert session.scalar(select(Plan.uid).where(Plan.id == shared.plan_id)) == uid
    with download(shared_url, out) as copy, copy.Session() as session:
        assert plan_counts(session, copy.plan_id) == counts
        assert session.scalar(select(Plan.uid)) == uid
        entries = session.scalars(select(JournalEntry)).all()
        assert len(entries) == journal + 1
        assert entries[-1].field == DOWNLOADED
    assert out.exists()


def test_several_plans_live_in_one_database(
    sample_path: Path, shared_url: str, tmp_path: Path
) -> None:
    from planner.io.sample import write_sample

    first = publish(sample_path, shared_url)
    other = tmp_path / "other.plan"
    write_sample(other).close()  # a new sample is a different plan (new uids)
    second = publish(other, shared_url, title="Eastshire Digital Plan")
    assert first.id != second.id
    with SharedDatabase(SharedLocation.parse(shared_url)) as database:
        assert database.plans()[0].title == "Eastshire Digital Plan"
        assert database.find_plan("eastshire").id == second.id
        assert database.find_plan(str(first.id)).id == first.id
        with pytest.raises(NotFoundError, match="holds 2 plans"):
            database.find_plan(None)
    with SharedPlan.open(f"{shared_url}#Eastshire") as eastshire:
        runner = runner_for(eastshire)
        runner.execute(EditRecord("action", action_id(eastshire, "1.1"), {"percent": 77}))
    with SharedPlan.open(SharedLocation.parse(shared_url).with_plan(first.id)) as northshire:
        assert action(northshire, "1.1").percent != 77


def test_publishing_the_same_plan_twice_is_refused(sample_path: Path, shared_url: str) -> None:
    from planner.errors import PlannerError

    publish(sample_path, shared_url)
    with pytest.raises(PlannerError, match="already in"):
        publish(sample_path, shared_url)


# ----- two officers at once ----------------------------------------------------------------


def test_the_second_edit_of_the_same_record_is_refused_with_who_and_when(
    shared_sample_url: str,
) -> None:
    with SharedPlan.open(shared_sample_url) as first, SharedPlan.open(shared_sample_url) as second:
        ruth, sam = officer(first), officer(second)
        target = action_id(first, "2.2")
        ruth.execute(EditRecord("action", target, {"percent": 61}))
        with pytest.raises(ConflictError) as refused:
            sam.execute(EditRecord("action", target, {"percent": 62}))
        message = str(refused.value)
        assert "Action 2.2 was changed by postgres at " in message
        assert "not made" in message
        assert action(first, "2.2").percent == 61  # nobody's committed edit is lost
        # another record is still Sam's to change, and after a refresh so is this one
        sam.execute(EditRecord("action", action_id(second, "2.3"), {"percent": 12}))
        with second.Session() as session:
            sam.versions.replace_seen(plan_versions(session, second.plan_id))
        sam.execute(EditRecord("action", target, {"percent": 62}))
        assert action(first, "2.2").percent == 62


def test_undo_over_someone_elses_newer_edit_is_refused(shared_sample_url: str) -> None:
    with SharedPlan.open(shared_sample_url) as first, SharedPlan.open(shared_sample_url) as second:
        ruth, sam = officer(first), officer(second)
        target = action_id(first, "3.1")
        mine = ruth.execute(EditRecord("action", target, {"rag": "A"}))
        with second.Session() as session:
            sam.versions.replace_seen(plan_versions(session, second.plan_id))
        sam.execute(EditRecord("action", target, {"percent": 44}))
        with pytest.raises(ConflictError, match="changed by postgres"):
            ruth.undo(mine)
        assert (action(first, "3.1").rag, action(first, "3.1").percent) == ("A", 44)
        # undo with nobody else in between still works, several steps deep
        one = ruth.execute(EditRecord("action", action_id(first, "3.2"), {"percent": 10}))
        two = ruth.execute(EditRecord("action", action_id(first, "3.2"), {"percent": 20}))
        ruth.undo(two)
        ruth.undo(one)


def test_a_write_racing_another_is_refused_not_lost(
    shared_sample_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version check is in the UPDATE itself: an edit that read the row just before
    someone else committed is refused, even without a window's seen versions."""
    import planner.commands.changes as changes

    with SharedPlan.open(shared_sample_url) as first, SharedPlan.open(shared_sample_url) as second:
        target = action_id(first, "4.1")
        other = runner_for(second)
        real_read = changes.read_row
        reads = {"action": 0}

        def read_then_race(session: Any, table_name: str, row_id: int) -> Any:
            found = real_read(session, table_name, row_id)
            if table_name == "action" and row_id == target:
                reads["action"] += 1
                if reads["action"] == 2:  # update_row's own read: the other edit lands now
                    other.execute(EditRecord("action", target, {"percent": 34}))
            return found

        monkeypatch.setattr(changes, "read_row", read_then_race)
        with pytest.raises(ConflictError, match="changed by postgres"):
            runner_for(first).execute(EditRecord("action", target, {"title": "Raced"}))
        monkeypatch.setattr(changes, "read_row", real_read)
        found = action(first, "4.1")
        assert found.percent == 34 and found.title != "Raced"


def test_the_journal_records_the_database_user(pg_server: Any, shared_sample_url: str) -> None:
    url = make_role(pg_server, shared_sample_url, editor=True)
    with SharedPlan.open(url) as plan:
        assert not plan.read_only
        runner = runner_for(plan, who="Somebody Else")
        runner.execute(EditRecord("action", action_id(plan, "1.2"), {"percent": 15}))
        with plan.Session() as session:
            entry = session.scalars(select(JournalEntry).order_by(JournalEntry.id.desc())).first()
    assert entry is not None and entry.who == url.split("://")[1].split("@")[0]


def test_an_account_with_read_only_grants_gets_a_read_only_plan(
    pg_server: Any, shared_sample_url: str
) -> None:
    url = make_role(pg_server, shared_sample_url, editor=False)
    with SharedPlan.open(url) as plan:
        assert plan.read_only
        assert "may read it but not change it" in plan.read_only_reason
        with pytest.raises(ReadOnlyError):
            runner_for(plan).execute(EditRecord("action", action_id(plan, "1.2"), {"percent": 5}))
        plan.read_only = False  # even so, the server refuses
        with pytest.raises(ServerError, match="may only read"):
            runner_for(plan).execute(EditRecord("action", action_id(plan, "1.2"), {"percent": 5}))


# ----- the command line ----------------------------------------------------------------


def test_every_command_takes_a_url(
    shared_sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", shared_sample_url]) == 0
    assert "Planting the Flag in Northshire" in capsys.readouterr().out
    assert main(["check", shared_sample_url]) == 0
    assert "no problems found" in capsys.readouterr().out
    workbook = tmp_path / "all.xlsx"
    assert main(["export", shared_sample_url, str(workbook)]) == 0
    assert workbook.exists()
    assert main(["shared", "list", shared_sample_url]) == 0
    assert "27 actions" in capsys.readouterr().out
    assert main(["round", "status", shared_sample_url]) == 0


def test_cli_publish_init_and_download(
    sample_path: Path, shared_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shared", "init", shared_url]) == 0
    assert "Created the plan tables" in capsys.readouterr().out
    assert main(["shared", "init", shared_url]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["publish", str(sample_path), shared_url, "--title", "Northshire shared"]) == 0
    assert "Open it with: planner" in capsys.readouterr().out
    out = tmp_path / "offline.plan"
    assert main(["download", shared_url, "Northshire shared", str(out)]) == 0
    assert out.exists()
    assert main(["download", shared_url, "No such plan", str(tmp_path / "x.plan")]) == 2
    assert "holds no plan 'No such plan'" in capsys.readouterr().err


def test_offline_changes_go_back_through_an_excel_return(
    shared_sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Download, change offline; meanwhile someone changes another field on the server;
    the offline changes merge back without undoing theirs."""
    out = tmp_path / "offline.plan"
    assert main(["download", shared_sample_url, str(out)]) == 0
    with PlanFile.open(out) as offline:
        runner_for(offline).execute(
            EditRecord("action", action_id(offline, "1.1"), {"percent": 95, "status": "on_hold"})
        )
        offline.save()
    with SharedPlan.open(shared_sample_url) as shared:
        runner_for(shared).execute(
            EditRecord("action", action_id(shared, "1.2"), {"due": date(2016, 3, 31)})
        )
    back = tmp_path / "back.xlsx"
    assert main(["export", str(out), str(back), "--since-download"]) == 0
    assert main(["import", shared_sample_url, str(back), "--apply"]) == 0
    assert "committed it to the shared plan" in capsys.readouterr().out
    with SharedPlan.open(shared_sample_url) as shared:
        assert (action(shared, "1.1").percent, action(shared, "1.1").status) == (95, "on_hold")
        assert action(shared, "1.2").due == date(2016, 3, 31)
    assert main(["export", str(out), str(tmp_path / "x.xlsx"), "--since-download"]) == 0
    plain = tmp_path / "plain.plan"
    PlanFile.open_copy(out, plain).close()


def test_merged_returns_and_proposals_travel_with_a_published_and_downloaded_plan(
    sample_path: Path, shared_url: str, tmp_path: Path
) -> None:
    from returns_helpers import canonical, edit_copy, export_slice, merge

    from planner.store.models import MergedReturn

    college = export_slice(sample_path, tmp_path / "College.xlsx", partner="Northshire College")
    returned = edit_copy(
        college,
        tmp_path / "College returned.xlsx",
        {("Actions", "6.1", "Latest update"): "Wi-Fi live in all four college sites."},
        [("Actions", {"Theme": "6. Digital Access & Inclusion", "Action": "Open days"})],
    )
    with PlanFile.open(sample_path) as plan_file:
        merge(plan_file, returned, "Ian Marsden")
        plan_file.save()
        before = canonical(plan_file)
    listing = publish(sample_path, shared_url)
    with download(shared_url, tmp_path / "offline.plan") as copy:
        assert canonical(copy) == before
        with copy.Session() as session:
            merged = session.scalars(select(MergedReturn)).one()
            tagged = session.scalars(
                select(JournalEntry).where(JournalEntry.return_id.is_not(None))
            ).all()
    assert merged.file_name == "College returned.xlsx"
    assert tagged and {entry.return_id for entry in tagged} == {merged.id}
    assert listing.actions == 27  # the proposal is not an action of the plan
