#!/usr/bin/env python3
"""Set up and run Strategy Planner from source with nothing but Python 3.11+.

python3 build_app.py run [ARGS...]    set up .venv, start the app (on the sample plan)
python3 build_app.py test [PYTEST ARGS...]   set up .venv, run the whole test suite headless
python3 build_app.py bundle [--force]  build the one-folder application in dist/ (PyInstaller)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MINIMUM_PYTHON = (3, 11)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_environment(extras: str) -> Path:
    """Create .venv if missing and install the project (editable) with `extras`."""
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit(f"Strategy Planner needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer.")
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode())
    stamp = VENV / f".installed-{extras or 'app'}"
    if not stamp.exists() or stamp.read_text() != fingerprint.hexdigest():
        print("Installing Strategy Planner and its libraries ...", flush=True)
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--editable", target], check=True
        )
        stamp.write_text(fingerprint.hexdigest())
    return python


def run(args: list[str]) -> int:
    python = ensure_environment("")
    return subprocess.call([str(python), "-m", "planner", *args])


def test(args: list[str]) -> int:
    python = ensure_environment("test")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT, env=env)


def bundle(args: list[str]) -> int:
    python = ensure_environment("bundle")
    return subprocess.call([str(python), str(ROOT / "packaging" / "build_bundle.py"), *args])


def main() -> int:
    commands = {"run": run, "test": test, "bundle": bundle}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
