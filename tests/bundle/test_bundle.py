"""The standalone application: built once with PyInstaller, then run as an officer would.

The build is kept in dist/ and reused while the sources, libraries and Python are
unchanged (packaging/build_bundle.py decides), so only the first run pays for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (the test extra has it)")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import build_bundle  # noqa: E402

pytestmark = [pytest.mark.bundle, pytest.mark.slow]

LINUX = sys.platform.startswith("linux")
SIZE_TARGET_MB = 150  # the Linux folder


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The built bundle's dist folder (built now unless up to date)."""
    if LINUX and shutil.which("objdump") is None:
        pytest.skip("PyInstaller needs objdump on Linux (Debian's binutils), not installed")
    dist = ROOT / "dist"
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build_bundle.py"), "--dist", str(dist)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert f"Strategy Planner bundle: {build_bundle.bundle_folder(dist)}" in done.stdout
    assert "Size: " in done.stdout
    return dist


def run(bundle: Path, data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the bundled program like a user would: no Python, no source tree, no venv."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_PLUGIN", "LD_LIBRARY"))
    }
    env.update(QT_QPA_PLATFORM="offscreen", PLANNER_DATA_DIR=str(data_dir))
    return subprocess.run(
        [str(build_bundle.cli_executable(bundle)), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=data_dir.parent,
    )


def test_the_bundle_says_its_version(bundle: Path, data_dir: Path) -> None:
    done = run(bundle, data_dir, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Strategy Planner 0.1.0"


def test_the_bundle_passes_its_self_test(bundle: Path, data_dir: Path) -> None:
    done = run(bundle, data_dir, "--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All checks passed." in done.stdout
    assert "openpyxl reads workbooks through defusedxml" in done.stdout
    # It worked on the resources inside the bundle, not on this source tree.
    assert f"resources in {ROOT / 'resources'}" not in done.stdout


def test_the_bundled_command_line_works_headless(
    bundle: Path, data_dir: Path, tmp_path: Path
) -> None:
    plan, workbook = tmp_path / "northshire.plan", tmp_path / "Northshire plan.xlsx"

    done = run(bundle, data_dir, "sample", plan)
    assert done.returncode == 0, done.stderr
    assert plan.exists()

    done = run(bundle, data_dir, "info", plan)
    assert done.returncode == 0, done.stderr
    assert "Northshire" in done.stdout and "actions 27" in done.stdout

    done = run(bundle, data_dir, "export", plan, workbook, "--partner", "Northshire College")
    assert done.returncode == 0, done.stderr
    assert workbook.exists() and done.stdout.startswith("Exported ")

    done = run(bundle, data_dir, "import", plan, workbook, "--from", "Sarah Whitfield")
    assert done.returncode == 0, done.stderr
    assert "No changes to merge: nothing new in this return." in done.stdout
    assert "the plan is unchanged" in done.stdout

    # A problem the user caused is one line on stderr and exit status 2.
    done = run(bundle, data_dir, "info", workbook)
    assert done.returncode == 2
    assert done.stderr.startswith("planner: ") and done.stderr.count("\n") == 1

    report = tmp_path / "report.pdf"
    done = run(bundle, data_dir, "report", plan, report)
    assert done.returncode == 0, done.stderr
    assert report.read_bytes().startswith(b"%PDF")


def test_the_bundle_holds_the_resources_and_migrations(bundle: Path) -> None:
    folder = build_bundle.bundle_folder(bundle)
    inside = {path.relative_to(folder).as_posix() for path in folder.rglob("*")}

    def has(suffix: str) -> bool:
        return any(name.endswith(suffix) for name in inside)

    for needed in (
        "resources/sample/northshire.json",
        "resources/guide/user-guide.md",
        "resources/icons/app.svg",
        "planner/store/migrations/env.py",
        "planner/store/migrations/versions/v0001_create_the_plan_schema.py",
    ):
        assert has(needed), needed
    assert not has("resources/screenshots/main-window.png")


@pytest.mark.skipif(not LINUX, reason="the size target and library check are for Linux")
def test_the_linux_bundle_is_small_and_complete(bundle: Path) -> None:
    folder = build_bundle.bundle_folder(bundle)
    size_mb = build_bundle.folder_size(folder) / 1e6
    assert size_mb < SIZE_TARGET_MB, f"{size_mb:.1f} MB"

    libraries = [p for p in folder.rglob("*.so*") if p.is_file()]
    names = {p.name for p in libraries}
    for unused in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Pdf.so.6", "libQt6Network.so.6"):
        assert unused not in names
    assert not list(folder.rglob("translations/*.qm"))
    for needed in ("libqxcb.so", "libqoffscreen.so", "libqsvgicon.so", "libqsvg.so"):
        assert needed in names

    # Every library and plugin left in finds what it links to, inside the folder or on
    # any Linux desktop (ldd resolves against the bundle the way the program does).
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not available")
    internal = next(p for p in folder.iterdir() if p.name == "_internal")
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing = {}
    for library in libraries:
        listed = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, env=env, check=False
        ).stdout
        lost = [
            line.split()[0]
            for line in listed.splitlines()
            # libwayland-* come with every Wayland desktop (and this machine may lack them).
            if "not found" in line and not line.strip().startswith("libwayland-")
        ]
        if lost:
            missing[library.relative_to(folder).as_posix()] = lost
    assert not missing


@pytest.mark.skipif(not LINUX, reason="the desktop entry is for Linux")
def test_the_linux_bundle_carries_its_desktop_entry_and_file_type(bundle: Path) -> None:
    linux = build_bundle.bundle_folder(bundle) / "linux"
    desktop = (linux / "strategy-planner.desktop").read_text(encoding="utf-8")
    assert "MimeType=application/x-strategy-plan;" in desktop
    assert "Exec=StrategyPlanner %f" in desktop
    mime = (linux / "strategy-planner-mime.xml").read_text(encoding="utf-8")
    assert '<glob pattern="*.plan"/>' in mime
    assert (linux / "icons" / "app-256.png").exists()
    assert os.access(linux / "install.sh", os.X_OK)
