"""Every `planner ...` command line the README and the user guide show is run, as written,
in a temporary folder, and must exit 0; the synopsis lines must match the program.

The lines are read from the documents each time (nothing here lists them): lines starting
`planner ` in fenced blocks, and inline code starting `planner `. They run in document
order in one folder per document, so later examples use the files earlier ones wrote
(the README's own examples start with `planner sample northshire.plan`; the guide's run
after that command). Only the working directory is substituted.

What a line is decides what happens to it:
- a synopsis line (it holds a placeholder the parser declares, such as PLAN, OUT.xlsx,
  NAME or DD/MM/YYYY, or [ ] | ...): every command and option it names must exist;
- a mention (`planner check`, `planner download`: a command with no arguments): the
  command must exist;
- the desktop app (`planner`, `planner FILE.plan`): only --self-test and --screenshot
  are run (offscreen, in their own process); anything else would open a window;
- a shared plan's command (a postgresql:// address, or --since-download): run against a
  throwaway PostgreSQL server, the address's host and database replaced by the server's
  (the database holds the published sample), or skipped with the reason;
- anything else runs in-process through planner.cli.main.
"""

from __future__ import annotations

import argparse
import glob
import itertools
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from planner.cli import EXAMPLES, MAIN_EXAMPLES, _parser, main

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GUIDE = ROOT / "resources" / "guide" / "user-guide.md"
DOCUMENTS = {"README": README, "user guide": GUIDE}

# The desktop app's FILE argument: the app's own parser names it, the subcommands' does not.
APP_METAVARS = {"FILE.plan", "URL"}


@dataclass(frozen=True)
class Line:
    text: str  # the command as the document shows it (continuations joined)
    where: str  # "README.md:150" for messages
    fenced: bool


def command_lines(path: Path) -> list[Line]:
    """The `planner ...` lines of a document in order: from fenced blocks (not SQL), a
    synopsis row's description (after two or more spaces) left off and its continuation
    lines joined; and inline code."""
    found: list[tuple[int, Line]] = []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    in_block = False
    language = ""
    fenced_lines: set[int] = set()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_block = not in_block
            language = stripped[3:].strip() if in_block else ""
            continue
        if not in_block:
            continue
        fenced_lines.add(number)
        if language and language not in ("sh", "shell", "bash", "console"):
            continue
        if (
            stripped.startswith("planner ")
            or stripped == "planner"
            or stripped.startswith("planner  ")
        ):
            command = re.split(r"\s{2,}", stripped)[0]
            found.append((number, Line(command, f"{path.name}:{number}", True)))
        elif found and found[-1][1].fenced and raw.startswith(" ") and stripped[:1] in "[-":
            # a synopsis row carried on to the next line, under the description column
            number0, previous = found[-1]
            if number0 == number - 1 or _continues(lines, number0, number):
                joined = previous.text + " " + re.split(r"\s{2,}", stripped)[0]
                found[-1] = (number0, Line(joined, previous.where, True))
    # inline code, with the fenced blocks (fences included) blanked out first
    prose = "\n".join(
        "" if number in fenced_lines or raw.strip().startswith("```") else raw
        for number, raw in enumerate(lines, start=1)
    )
    for match in re.finditer(r"`([^`]+)`", prose):
        number = prose.count("\n", 0, match.start()) + 1
        code = " ".join(match.group(1).split())
        if code == "planner" or code.startswith("planner "):
            found.append((number, Line(code, f"{path.name}:{number}", False)))
    found.sort(key=lambda pair: pair[0])
    return [line for _number, line in found]


def _continues(lines: list[str], first: int, last: int) -> bool:
    """Whether every line between a synopsis row and `last` continues that row."""
    return all(lines[i - 1].startswith(" ") for i in range(first + 1, last + 1))


# ----- what the parser declares ----------------------------------------------------------


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def all_parsers() -> Iterator[tuple[str, argparse.ArgumentParser]]:
    pending = [("", _parser())]
    while pending:
        path, parser = pending.pop()
        yield path, parser
        pending += [(f"{path} {name}".strip(), sub) for name, sub in subparsers(parser).items()]


def metavars() -> set[str]:
    names = set(APP_METAVARS)
    for _path, parser in all_parsers():
        for action in parser._actions:
            if isinstance(action.metavar, str):
                names.update(action.metavar.replace("[", " ").replace("]", " ").split())
            elif action.option_strings and action.nargs != 0:
                names.add(action.dest.upper())
    return names


PLACEHOLDERS = metavars()


def is_placeholder(token: str) -> bool:
    if any(mark in token for mark in "[]|") or token.endswith("..."):
        return True
    return token in PLACEHOLDERS


def resolve(tokens: list[str]) -> tuple[list[str], argparse.ArgumentParser]:
    """The command path the tokens name (e.g. ['round', 'start']) and its parser."""
    parser = _parser()
    path: list[str] = []
    for token in tokens[1:]:
        choices = subparsers(parser)
        if token not in choices:
            break
        path.append(token)
        parser = choices[token]
    return path, parser


def option_strings(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def check_synopsis(line: Line) -> None:
    tokens = shlex.split(line.text)
    path, parser = resolve(tokens)
    first = tokens[1] if len(tokens) > 1 else ""
    if not path and first and not first.startswith(("-", "[")):
        assert is_placeholder(first), f"{line.where}: no command '{first}' in: {line.text}"
    options = option_strings(parser)  # without a command: the app's, on the top-level parser
    for option in re.findall(r"(?<![\w-])--?[a-z][a-z-]*", line.text):
        assert option in options, (
            f"{line.where}: 'planner {' '.join(path)}' has no option {option} "
            f"(the line reads: {line.text})"
        )


# ----- running a line --------------------------------------------------------------------


def needs_server(tokens: list[str]) -> bool:
    return any(t.startswith("postgresql://") for t in tokens) or "--since-download" in tokens


_DATABASES = itertools.count(1)


class Server:
    """The test PostgreSQL server, started on first need; each database a document names
    becomes one of the server's, holding the published sample plan."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request
        self.server: Any = None
        self.unavailable = ""
        self.databases: dict[str, str] = {}

    def available(self) -> bool:
        if self.server is None and not self.unavailable:
            try:
                self.server = self.request.getfixturevalue("pg_server")
                self.template = self.request.getfixturevalue("shared_sample_template")
            except pytest.skip.Exception as skipped:
                self.unavailable = str(skipped) or "no PostgreSQL server"
        return self.server is not None

    def substitute(self, url: str) -> str:
        """The address with the test server's host and database, its user, plan and
        other settings kept."""
        parts = urlsplit(url)
        user = parts.username or "postgres"
        named = parts.path.lstrip("/") or "postgres"
        if named not in self.databases:
            plain = re.sub(r"\W", "_", named)
            database = f"docs_{next(_DATABASES)}_{plain}"
            self.server.execute(f"CREATE DATABASE {database} TEMPLATE {self.template}")
            self.databases[named] = database
        self.server.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"'{user}') THEN CREATE ROLE \"{user}\" LOGIN SUPERUSER; END IF; END $$"
        )
        address = str(self.server.url(self.databases[named], user=user))
        if parts.query:
            address += ("&" if "?" in address else "?") + parts.query
        if parts.fragment:
            address += "#" + parts.fragment
        return address


def expand(tokens: list[str], folder: Path) -> list[str]:
    """What a shell would do with a wildcard argument (`"Q3 round"/*.xlsx`)."""
    out: list[str] = []
    for token in tokens:
        if "*" in token and not token.startswith("postgresql://"):
            matches = sorted(glob.glob(token, root_dir=folder))
            out += matches or [token]
        else:
            out.append(token)
    return out


@dataclass
class Outcome:
    ran: list[str]
    checked: list[str]
    skipped: list[str]


def run_document(
    name: str,
    folder: Path,
    server: Server,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    outcome = Outcome([], [], [])
    for line in command_lines(DOCUMENTS[name]):
        tokens = shlex.split(line.text)
        path = resolve(tokens)[0]
        if any(is_placeholder(token) for token in tokens[1:]):
            check_synopsis(line)
            outcome.checked.append(line.text)
            continue
        if not path and tokens[1:] != ["--version"]:
            run_app_line(line, tokens, folder, outcome)
            continue
        if len(tokens) == 1 + len(path):
            outcome.checked.append(line.text)  # a mention of the command: it exists
            continue
        if needs_server(tokens):
            if not server.available():
                outcome.skipped.append(f"{line.where}: {line.text} ({server.unavailable})")
                continue
            tokens = [server.substitute(t) if t.startswith("postgresql://") else t for t in tokens]
        argv = expand(tokens[1:], folder)
        capsys.readouterr()
        try:
            status = main(argv)
        except SystemExit as exit_:  # --version, --help
            status = int(exit_.code or 0)
        said = capsys.readouterr()
        assert status == 0, (
            f"{line.where}: `{line.text}` exited {status}\nstdout:\n{said.out}\nstderr:\n{said.err}"
        )
        assert "Traceback" not in said.err, said.err
        outcome.ran.append(line.text)
    return outcome


def run_app_line(line: Line, tokens: list[str], folder: Path, outcome: Outcome) -> None:
    """`planner --self-test` and `planner FILE --screenshot OUT.png` run offscreen, in
    their own process; a line that would open the app's window is only checked."""
    if "--self-test" not in tokens and "--screenshot" not in tokens:
        assert all(not t.startswith("-") or t in ("--version", "--help") for t in tokens), line
        outcome.checked.append(line.text)
        return
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "planner", *tokens[1:]],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{line.where}: `{line.text}`\n{result.stdout}{result.stderr}"
    outcome.ran.append(line.text)


# ----- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_documented_command_runs_as_written(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PLANNER_USER", "Helen Ashworth")
    if name != "README":  # the guide takes the sample plan as given
        assert main(["sample", "northshire.plan"]) == 0
    outcome = run_document(name, folder, Server(request), capsys)
    assert outcome.ran, f"no runnable `planner ...` line found in the {name}"
    with capsys.disabled():
        print(
            f"\n{name}: {len(outcome.ran)} commands ran, {len(outcome.checked)} synopsis "
            f"lines and mentions checked, {len(outcome.skipped)} skipped"
            + "".join(f"\n  skipped {reason}" for reason in outcome.skipped)
        )


def test_the_synopsis_table_names_every_command_and_only_real_options() -> None:
    table = [line for line in command_lines(README) if line.fenced]
    for line in table:
        if any(is_placeholder(t) for t in shlex.split(line.text)[1:]):
            check_synopsis(line)
    listed = {" ".join(resolve(shlex.split(line.text))[0]) for line in table}
    commands = {path for path, parser in all_parsers() if path and not subparsers(parser)}
    assert commands <= listed, f"commands missing from the README's table: {commands - listed}"


def test_the_readme_lists_the_app_options_as_help_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert "planner --self-test" in shown
    assert "[--screenshot OUT.png]" in shown
    assert re.search(r"--self-test\s+check that this copy works", shown)
    assert re.search(r"--screenshot OUT\.png\s+open the app", shown)
    table = {line.text for line in command_lines(README) if line.fenced}
    assert "planner --self-test" in table
    assert "planner FILE.plan --screenshot OUT.png" in table
    for line in ("planner --self-test", "planner FILE.plan --screenshot OUT.png"):
        check_synopsis(Line(line, "README.md", True))


@pytest.mark.parametrize("command", ["", *sorted({key for key in EXAMPLES})])
def test_help_shows_examples_that_the_program_accepts(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command.split(), "--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    examples = list(EXAMPLES[command]) if command else list(MAIN_EXAMPLES)
    assert shown.count("\nExamples:\n") == 1
    section = shown.split("\nExamples:\n", 1)[1]
    for example in examples:
        assert f"  {example}\n" in section, example  # one line each, as typed
        tokens = shlex.split(example)
        path, _ = resolve(tokens)
        assert " ".join(path).startswith(command), example
        if path:  # the program's parser takes it as it stands
            _parser().parse_args(tokens[1:])
        else:
            assert tokens[1:2] in (["--self-test"], ["northshire.plan"]), example


def test_every_command_with_a_help_page_has_examples() -> None:
    for path, _command in all_parsers():
        if path and (path == "round" or not path.startswith("round ")):
            assert path in EXAMPLES, f"'planner {path} --help' shows no examples"
