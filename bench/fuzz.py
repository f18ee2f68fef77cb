"""A longer fuzz run than the suite's: mutated plans and workbooks, new seeds each run.

python bench/fuzz.py [CASES]   (default 500 of each kind)
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    cases = sys.argv[1] if len(sys.argv) > 1 else "500"
    seed = str(random.randrange(1 << 30))
    print(f"Fuzzing with {cases} cases of each kind, seed {seed}", flush=True)
    env = {
        **os.environ,
        "PLANNER_FUZZ_CASES": cases,
        "PLANNER_FUZZ_SEED": seed,
        "QT_QPA_PLATFORM": "offscreen",
    }
    command = [sys.executable, "-m", "pytest", "-q", "-x", "tests/core/test_fuzz.py"]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
