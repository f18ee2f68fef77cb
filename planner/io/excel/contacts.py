"""Partner bodies' contacts as the Partners sheet lists them under each body in its key,
one line each, and read back from a returned or re-imported workbook:

    Round contact: Ian Marsden (Vice Principal (Resources)), ian.marsden@college.ac.uk,
    tel. 01632 960881   (on one line)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.queries.directory import ContactRow

ROUND_LABEL = "Round contact"
OTHER_LABEL = "Contact"
INDENT = "    "

_LINE = re.compile(
    rf"^\s*(?P<label>{ROUND_LABEL}|{OTHER_LABEL}): (?P<rest>.*?)"
    r"(?:, (?P<email>[^\s,]+@[^\s,]+))?(?:, tel\. (?P<phone>[^,]+))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReadContact:
    name: str
    role: str
    email: str
    phone: str
    round_contact: bool


def contact_line(contact: ContactRow) -> str:
    """One contact as a line of the Partners sheet's key."""
    label = ROUND_LABEL if contact.round_contact else OTHER_LABEL
    text = f"{INDENT}{label}: {contact.name}"
    if contact.role:
        text += f" ({contact.role})"
    if contact.email:
        text += f", {contact.email}"
    if contact.phone:
        text += f", tel. {contact.phone}"
    return text


def read_contact_line(text: str) -> ReadContact | None:
    """A contact from a line of the key, or None when the line is not one."""
    found = _LINE.match(text)
    if found is None:
        return None
    name, role = _name_and_role(found["rest"].strip())
    if not name:
        return None
    return ReadContact(
        name=name,
        role=role,
        email=(found["email"] or "").strip(),
        phone=(found["phone"] or "").strip(),
        round_contact=found["label"].casefold() == ROUND_LABEL.casefold(),
    )


def _name_and_role(text: str) -> tuple[str, str]:
    """'Ian Marsden (Vice Principal (Resources))' -> name and role, brackets balanced."""
    if not text.endswith(")"):
        return text, ""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                name = text[:index].strip()
                return (name, text[index + 1 : -1].strip()) if name else (text, "")
    return text, ""
