"""What a cell means, read as people type it: dates day first in any common UK form or
as Excel serial numbers, statuses and RAG ratings by their everyday synonyms, and
percentages as 50, "50%" or 0.5.

Nothing is guessed. A value is read with confidence, read with a doubt for the officer
to check (a two-digit year), offered as a choice (a cell naming two ratings), taken as
not answered ("TBC") or reported as unreadable with the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.domain import RagDefinition, Status
from planner.domain.dates import format_uk, read_typed_date

EARLIEST_SERIAL_DATE = date(1990, 1, 1)
LATEST_SERIAL_DATE = date(2099, 12, 31)

NOT_ANSWERED = frozenset({"tbc", "tbd", "tba", "na", "n/a", "n a", "unknown", "not known"})
STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.COMPLETED: (
        "complete",
        "completed",
        "done",
        "finished",
        "closed",
        "delivered",
        "achieved",
    ),
    Status.IN_PROGRESS: (
        "ongoing",
        "on going",
        "underway",
        "under way",
        "on track",
        "started",
        "in hand",
        "progressing",
        "wip",
        "work in progress",
    ),
    Status.NOT_STARTED: ("planned", "not yet started", "yet to start", "to do", "not begun"),
    Status.ON_HOLD: ("paused", "deferred", "suspended", "postponed", "parked", "hold"),
    Status.CANCELLED: ("withdrawn", "canceled", "abandoned", "dropped", "stopped"),
}
RAG_COLOUR_WORDS: dict[str, tuple[str, ...]] = {
    "green": ("g", "on track", "on target"),
    "amber": ("a", "at risk"),
    "red": ("r", "off track", "off target"),
    "blue": ("b", "complete", "completed", "done", "finished", "delivered", "closed"),
    "grey": ("gray", "not started"),
}
TWO_RATINGS = re.compile(r"\s*(?:/|\\|-|–|—|&|\+|,|\bto\b|\bor\b|\band\b)\s*")


def words(text: object) -> str:
    """Text compared as words: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[\W_]+", " ", str(text).casefold()).split())


def cell_text(value: Any) -> str:
    """A cell's value as the person typing it saw it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_uk(value.date())
    if isinstance(value, date):
        return format_uk(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = getattr(value, "text", None)  # an array formula
    return str(text if isinstance(text, str) else value)


def _plain(kind: str, value: Any, number_format: str) -> CellReading | None:
    """The reading of a clean cell, worked out without its typed text (only a problem,
    a doubt or a choice shows that): text in a text column, a real date in a date column,
    a whole number from 0 to 100 in a % column. None for anything else."""
    if value is None:
        return EMPTY_READING
    if kind in ("text", "wrap", "id") and isinstance(value, str):
        if not value.strip():
            return CellReading(typed=value)
        return CellReading(value.rstrip() if kind == "wrap" else value.strip(), value)
    if kind == "date" and isinstance(value, datetime):
        return CellReading(value.date())
    if kind == "number" and _is_number(value):
        return CellReading(float(value))
    if kind == "money" and type(value) is int and value >= 0:
        return CellReading(value)
    if kind == "percent" and type(value) is int and 1 < value <= 100 and "%" not in number_format:
        return CellReading(value)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class CellReading:
    """What one cell says. `value` holds only what was read; `problem` says why the cell
    was not read ("is not a date"), `doubt` why a value read needs checking, `choices`
    the values a cell naming more than one offers."""

    value: Any = None
    typed: str = ""
    problem: str = ""
    doubt: str = ""
    choices: tuple[Any, ...] = ()
    not_answered: bool = False

    @property
    def message(self) -> str:
        """The problem as one clause, naming the value: "'soon' is not a date"."""
        return f"'{self.typed}' {self.problem}"


EMPTY_READING = CellReading()


class CellReader:
    """Reads one cell's value into the plan's terms for a column of a given kind
    (text, wrap, date, percent, status, rag, id)."""

    def __init__(self, rags: tuple[RagDefinition, ...], epoch: datetime | None = None) -> None:
        from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

        self.rags = rags
        self.epoch = epoch or CALENDAR_WINDOWS_1900
        self._rag_words = self._rag_vocabulary(rags)

    def read(
        self,
        kind: str,
        value: Any,
        *,
        formula: bool = False,
        error: bool = False,
        number_format: str = "",
    ) -> CellReading:
        if not (formula or error):
            quick = _plain(kind, value, number_format)
            if quick is not None:
                return quick
        typed = cell_text(value)
        if formula:
            return CellReading(
                typed=typed, problem="is a formula, which is never worked out; type the value"
            )
        if error:
            return CellReading(typed=typed, problem="is an error in Excel, not a value")
        if value is None or (isinstance(value, str) and not value.strip()):
            return CellReading(typed=typed)
        if kind == "number":
            return read_number(value, typed)
        if kind == "money":
            return read_pounds(value, typed)
        if kind == "date":
            return self._date(value, typed)
        if kind == "percent":
            return self._percent(value, typed, number_format)
        if kind in ("status", "rag") and self._not_answered(typed):
            return CellReading(typed=typed, not_answered=True)
        if kind == "rag":
            return self._rag(typed)
        if kind == "status":
            return self._status(typed)
        return CellReading(typed.rstrip() if kind == "wrap" else typed.strip(), typed)

    @staticmethod
    def _not_answered(typed: str) -> bool:
        text = typed.strip().casefold()
        return text in NOT_ANSWERED or bool(re.fullmatch(r"[-–—?.\s/]+", text))

    def _date(self, value: Any, typed: str) -> CellReading:
        if isinstance(value, datetime):
            return CellReading(value.date(), typed)
        if isinstance(value, date):
            return CellReading(value, typed)
        if _is_number(value):
            return self._serial_date(value, typed)
        if isinstance(value, str) and (found := read_typed_date(value)) is not None:
            return CellReading(found.value, typed, doubt=found.doubt)
        if isinstance(value, time | timedelta):
            return CellReading(typed=typed, problem="is a time, not a date")
        return CellReading(typed=typed, problem="is not a date")

    def _serial_date(self, value: float, typed: str) -> CellReading:
        from openpyxl.utils.datetime import from_excel, to_excel

        low = to_excel(EARLIEST_SERIAL_DATE, self.epoch)  # type: ignore[no-untyped-call]  # openpyxl ships no types
        high = to_excel(LATEST_SERIAL_DATE, self.epoch)  # type: ignore[no-untyped-call]  # openpyxl ships no types
        if not low <= value <= high:
            return CellReading(typed=typed, problem="is not a date")
        moment = from_excel(value, self.epoch)
        return CellReading(moment.date() if isinstance(moment, datetime) else moment, typed)

    @staticmethod
    def _percent(value: Any, typed: str, number_format: str) -> CellReading:
        number: float | None = None
        if _is_number(value):
            number = float(value)
            if "%" in number_format or 0 < number < 1:
                number *= 100  # typed as 50% in Excel (stored 0.5), or as a fraction
        elif isinstance(value, str):
            found = re.fullmatch(
                r"\s*(\d+(?:\.\d+)?)\s*(%|percent|per cent)?\s*", value, re.IGNORECASE
            )
            if found:
                number = float(found[1])
                if not found[2] and 0 < number < 1:
                    number *= 100
        if number is None or not -1e-6 <= number <= 100 + 1e-6:
            return CellReading(typed=typed, problem="is not a percentage from 0 to 100")
        if abs(number - round(number)) > 1e-6:
            return CellReading(typed=typed, problem="is not a whole percentage")
        return CellReading(round(number), typed)

    @staticmethod
    def _status(typed: str) -> CellReading:
        found = Status.from_text(typed)
        if found is None:
            wanted = words(typed)
            found = next(
                (status for status, names in STATUS_WORDS.items() if wanted in names), None
            )
        if found is None:
            choices = ", ".join(status.label for status in Status)
            return CellReading(typed=typed, problem=f"is not a status (use one of: {choices})")
        return CellReading(found.value, typed)

    @staticmethod
    def _rag_vocabulary(rags: tuple[RagDefinition, ...]) -> dict[str, str]:
        """Every way of naming one of the plan's RAG ratings -> its code."""
        vocabulary: dict[str, str] = {}
        for rag in rags:
            colour = rag.name.casefold()
            for word in (*RAG_COLOUR_WORDS.get(colour, ()), colour):
                vocabulary.setdefault(words(word), rag.code)
        for rag in rags:  # the plan's own codes and names win over any synonym
            for word in (rag.code, rag.name, f"{rag.code} {rag.name}"):
                vocabulary[words(word)] = rag.code
        return vocabulary

    def _rag(self, typed: str) -> CellReading:
        wanted = words(typed)
        code = self._rag_words.get(wanted)
        if code is not None:
            return CellReading(code, typed)
        parts = [part for part in TWO_RATINGS.split(typed.strip().casefold()) if part]
        if len(parts) == 2:
            codes = [self._rag_words.get(words(part)) for part in parts]
            if codes[0] is not None and codes[1] is not None:
                if codes[0] == codes[1]:
                    return CellReading(codes[0], typed)
                return CellReading(typed=typed, choices=(codes[0], codes[1]))
        names = ", ".join(rag.name for rag in self.rags)
        return CellReading(typed=typed, problem=f"is not a RAG rating (use {names})")


NUMBER_TEXT = re.compile(r"\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)\s*%?\s*")


def read_number(value: Any, typed: str) -> CellReading:
    """A measure's figure: a number, or text such as '1,234.5' or '72.5%' (the % sign is
    the unit's, so 72.5% reads as 72.5)."""
    if _is_number(value):
        return CellReading(float(value), typed)
    found = NUMBER_TEXT.fullmatch(typed) if isinstance(value, str) else None
    if found is None:
        if isinstance(value, str) and CellReader._not_answered(typed):
            return CellReading(typed=typed, not_answered=True)
        return CellReading(typed=typed, problem="is not a number")
    return CellReading(float(found[1].replace(",", "")), typed)


def read_pounds(value: Any, typed: str) -> CellReading:
    """An amount in whole pounds, 0 or more: 212000, '£212,000' or '£212k'."""
    from decimal import Decimal

    from planner.domain.money import PoundsError, parse_pounds

    if isinstance(value, str) and CellReader._not_answered(typed):
        return CellReading(typed=typed, not_answered=True)
    try:
        amount = Decimal(str(value)) if _is_number(value) else parse_pounds(typed)
    except (PoundsError, ArithmeticError, ValueError):
        return CellReading(typed=typed, problem="is not an amount in pounds")
    if amount < 0:
        return CellReading(typed=typed, problem="is less than nothing; type 0 or more pounds")
    if amount != amount.to_integral_value():
        return CellReading(typed=typed, problem="is not whole pounds")
    return CellReading(int(amount), typed)
