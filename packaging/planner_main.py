"""The bundled program's entry point: the same as `python -m planner`."""

import sys

from planner.cli import main

sys.exit(main())
