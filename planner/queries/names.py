"""Partner bodies, people and themes named by a user (on the command line or in a box):
found in the plan, or refused in one sentence that offers the nearest names.

A name matches a partner body's name or short name, or a person's name, ignoring case
and surrounding spaces. When nothing matches, the sentence suggests names the typed one
begins, is part of or is close to (difflib); when none is close, it lists the plan's
names if there are few, and otherwise says where to see them. Themes are numbered, so an
unknown number is answered with the numbers the plan has.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import NotFoundError
from planner.store.models import Partner, Person, Theme

SUGGESTIONS = 3  # at most this many "did you mean" names
LIST_AT_MOST = 12  # a plan with more names than this is not listed in the sentence
CLOSE_ENOUGH = 0.7  # difflib's similarity ratio for a name to count as close
VERY_CLOSE = 0.85  # a name this close is offered alone (with any as close)


@dataclass(frozen=True)
class Named:
    """One record that can be named: its id, the name shown, and every name it answers to."""

    id: int
    name: str
    aliases: tuple[str, ...]


def partner_ids(session: Session, plan_id: int, name: str) -> list[int]:
    """The partner bodies called `name` (by name or short name), or NotFoundError."""
    rows = session.execute(
        select(Partner.id, Partner.name, Partner.short_name)
        .where(Partner.plan_id == plan_id)
        .order_by(Partner.name)
    )
    known = [Named(id_, full, (full, short or "")) for id_, full, short in rows]
    return _find(name, known, "partner body", "partner bodies", "the Partner bodies tab")


def person_ids(session: Session, plan_id: int, name: str) -> list[int]:
    """The people called `name`, or NotFoundError."""
    return _find(name, _people(session, plan_id), "person", "people", "the People tab")


def theme_id(session: Session, plan_id: int, number: int) -> int:
    """The theme numbered `number`, or NotFoundError naming the numbers the plan has."""
    rows = session.execute(
        select(Theme.id, Theme.number).where(Theme.plan_id == plan_id).order_by(Theme.number)
    ).all()
    for id_, theme_number in rows:
        if theme_number == number:
            return int(id_)
    numbers = [int(theme_number) for _id, theme_number in rows]
    raise NotFoundError(f"There is no theme {number} in this plan; {_theme_numbers(numbers)}")


def check_person_name(session: Session, plan_id: int, name: str) -> None:
    """Accept a name that is a person in the plan, or that is close to none (someone
    outside the plan); refuse a near miss of a person's name as the likely slip it is."""
    typed = name.strip()
    if not typed:
        return
    known = _people(session, plan_id)
    if _matches(typed, known) or not _nearest(typed, known):
        return
    _find(typed, known, "person", "people", "the People tab")


def _people(session: Session, plan_id: int) -> list[Named]:
    rows = session.execute(
        select(Person.id, Person.name).where(Person.plan_id == plan_id).order_by(Person.name)
    )
    return [Named(id_, full, (full,)) for id_, full in rows]


def _find(typed: str, known: Sequence[Named], kind: str, kinds: str, where: str) -> list[int]:
    found = _matches(typed, known)
    if found:
        return found
    sentence = f"There is no {kind} called '{typed.strip()}' in this plan."
    nearest = _nearest(typed, known)
    if nearest:
        raise NotFoundError(f"{sentence} Did you mean {_either(nearest)}?")
    if not known:
        raise NotFoundError(f"{sentence} It has no {kinds} yet.")
    if len(known) <= LIST_AT_MOST:
        names = _all_of(f"'{record.name}'" for record in known)
        raise NotFoundError(f"{sentence} Its {kinds} are {names}.")
    raise NotFoundError(f"{sentence} It has {len(known)} {kinds}; {where} in the app lists them.")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _matches(typed: str, known: Sequence[Named]) -> list[int]:
    wanted = _key(typed)
    return [record.id for record in known if wanted in {_key(a) for a in record.aliases if a}]


def _nearest(typed: str, known: Sequence[Named]) -> list[str]:
    """Names the typed text begins or is part of (a word or more of it), then those
    difflib finds close, best first; each record once."""
    wanted = _key(typed)
    if not wanted:
        return []
    by_alias: dict[str, Named] = {}
    for record in known:
        for alias in record.aliases:
            if alias:
                by_alias.setdefault(_key(alias), record)
    ordered: list[Named] = []
    if len(wanted) >= 2:
        ordered += [r for a, r in by_alias.items() if a.startswith(wanted)]
    if len(wanted) >= 3:
        ordered += [r for a, r in by_alias.items() if wanted in a or a in wanted.split()]
    ordered += [by_alias[alias] for alias in _close(wanted, list(by_alias))]
    names: list[str] = []
    for record in ordered:
        if record.name not in names:
            names.append(record.name)
    return names[:SUGGESTIONS]


def _close(wanted: str, aliases: list[str]) -> list[str]:
    """difflib's close matches, best first, each name judged whole and by as many of its
    first words as were typed ('Northshire Polce' is close to 'Northshire Police / Office
    of the PCC'); only the very close ones when there are any, so a slip of a letter or
    two is not offered beside distant names."""
    words = len(wanted.split())
    scored = []
    for alias in aliases:
        start = " ".join(alias.split()[:words])
        ratio = max(_ratio(wanted, alias), _ratio(wanted, start))
        if ratio >= CLOSE_ENOUGH:
            scored.append((ratio, alias))
    scored.sort(key=lambda pair: -pair[0])
    if scored and scored[0][0] >= VERY_CLOSE:
        scored = [pair for pair in scored if pair[0] >= VERY_CLOSE]
    return [alias for _ratio_, alias in scored[:SUGGESTIONS]]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _either(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _all_of(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _theme_numbers(numbers: list[int]) -> str:
    if not numbers:
        return "it has no themes yet."
    if len(numbers) == 1:
        return f"its only theme is {numbers[0]}."
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"its themes are {numbers[0]} to {numbers[-1]}."
    return f"its themes are {_all_of(str(n) for n in numbers)}."
