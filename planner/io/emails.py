"""Email drafts for an update round: one .eml beside each workbook, addressed to the
round contact, with the workbook attached; Outlook opens a file marked X-Unsent as a
draft ready to send, and other mail programs open it as a message to forward."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from planner.domain.dates import format_long, format_uk
from planner.errors import PlannerError

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# The covering email, as an officer edits it: a "Subject:" line, a blank line, the body.
# Words in braces are filled in for each recipient.
STANDARD_TEMPLATE = """Subject: {plan}: {round} (please return by {return_by})

Dear {contact},

Please find attached the {body} workbook for the {round} of {plan}. It holds just \
the actions we are asking you to update.

On the Actions sheet, please bring each action up to date: its status, RAG rating, \
% complete and a short progress note saying what has happened and what comes next. \
On the Milestones sheet, please give the date each milestone was completed, or a note \
if one will be late. The Read me sheet explains each column.

Please save the workbook, keeping its name, and send it back to me by {return_by} by \
replying to this email with it attached.

If anything is unclear, please contact me at {sender_email}.

Thank you,

{sender}
"""

PLACEHOLDERS = {
    "plan": "the plan's title",
    "round": "the round's name, e.g. Q3 2013/14 update",
    "return_by": "the return-by date, e.g. 31 Jan 2014",
    "contact": "the round contact's name (or the body's, when it has no contact)",
    "body": "the partner body (or the lead officer's organisation)",
    "sender": "your name",
    "sender_email": "your email address",
    "workbook": "the workbook's file name",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Addressee:
    """Who one round workbook goes to."""

    contact: str
    body: str
    email: str


@dataclass(frozen=True)
class Draft:
    """One round workbook's covering email, ready to write."""

    addressee: Addressee
    subject: str
    body: str
    workbook: Path


@dataclass(frozen=True)
class DraftsWritten:
    files: list[Path]
    no_email: list[str]  # recipients with no email address: their workbooks go by hand


def one_line(text: str) -> str:
    """Text fit for an email header: no line breaks or control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


def split_template(template: str) -> tuple[str, str]:
    """(subject, body) of an edited template; a template without a Subject: line keeps
    the standard subject."""
    text = (template or STANDARD_TEMPLATE).replace("\r\n", "\n").strip("\n")
    first, _, rest = text.partition("\n")
    if first.casefold().startswith("subject:"):
        return first.split(":", 1)[1].strip(), rest.lstrip("\n")
    standard_subject, _ = split_template(STANDARD_TEMPLATE)
    return standard_subject, text


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each known {placeholder} filled in; other braces are left alone."""
    return _PLACEHOLDER.sub(lambda found: values.get(found[1], found[0]), text)


def check_template(template: str) -> None:
    """Refuses a template naming a placeholder that does not exist, in one sentence."""
    unknown = sorted({name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise PlannerError(
            f"The email template uses {', '.join('{' + n + '}' for n in unknown)}, "
            f"which is not filled in; use {known}."
        )


def compose(
    template: str,
    *,
    plan: str,
    round_name: str,
    return_by: date | None,
    addressee: Addressee,
    sender: str,
    sender_email: str,
    workbook: Path,
    reminder: str = "",
) -> Draft:
    """The covering email for one recipient; with `reminder`, that sentence opens it."""
    subject, body = split_template(template)
    values = {
        "plan": plan,
        "round": round_name,
        "return_by": format_long(return_by) if return_by else "the date agreed",
        "contact": addressee.contact or addressee.body or "colleague",
        "body": addressee.body or addressee.contact,
        "sender": sender,
        "sender_email": sender_email or "this email address",
        "workbook": workbook.name,
    }
    subject = one_line(fill(subject, values))
    body = fill(body, values).rstrip() + "\n"
    if reminder:
        subject = f"Reminder: {subject}"
        greeting, _, rest = body.partition("\n\n")
        body = f"{greeting}\n\n{reminder}\n\n{rest}" if rest else f"{reminder}\n\n{body}"
    return Draft(addressee, subject, body, workbook)


def _address(name: str, email: str) -> Address | None:
    if not email:
        return None
    try:
        return Address(display_name=one_line(name), addr_spec=one_line(email))
    except (ValueError, IndexError):
        return None


def message(draft: Draft, sender: str = "", sender_email: str = "") -> EmailMessage:
    """The draft as an email message with the workbook attached, marked unsent."""
    to = _address(draft.addressee.contact or draft.addressee.body, draft.addressee.email)
    if to is None:
        raise PlannerError(
            f"{draft.addressee.body or draft.addressee.contact} has no email address."
        )
    email = EmailMessage(policy=SMTP)
    email["To"] = to
    author = _address(sender, sender_email)
    if author is not None:
        email["From"] = author
    email["Subject"] = draft.subject
    email["Date"] = formatdate(localtime=True)
    email["Message-ID"] = make_msgid(domain="strategy-planner.invalid")
    email["X-Unsent"] = "1"
    email.set_content(draft.body)
    try:
        workbook = draft.workbook.read_bytes()
    except OSError as error:
        raise PlannerError(
            f"The workbook {draft.workbook.name} could not be read ({error.strerror})."
        ) from None
    email.add_attachment(
        workbook, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=draft.workbook.name
    )
    return email


def write_drafts(
    drafts: list[Draft], *, sender: str = "", sender_email: str = "", suffix: str = ""
) -> DraftsWritten:
    """An .eml beside each workbook for every draft with an email address; the others
    are listed, never skipped silently. Either every draft is written or none is."""
    written: list[Path] = []
    no_email: list[str] = []
    try:
        for draft in drafts:
            if _address(draft.addressee.contact, draft.addressee.email) is None:
                no_email.append(
                    ", ".join(
                        part for part in (draft.addressee.contact, draft.addressee.body) if part
                    )
                )
                continue
            target = draft.workbook.with_name(f"{draft.workbook.stem}{suffix}.eml")
            data = message(draft, sender, sender_email).as_bytes()
            partial = target.with_name(f".{target.name}.partial")
            partial.write_bytes(data)
            partial.replace(target)
            written.append(target)
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        raise PlannerError(
            f"The email drafts could not be written to {drafts[0].workbook.parent} "
            f"({error.strerror or error})."
        ) from None
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return DraftsWritten(written, no_email)


def due_sentence(return_by: date | None, today: date) -> str:
    """The opening line of a reminder: how late, or how long is left."""
    if return_by is None:
        return "This is a reminder that we are still waiting for your workbook, attached again."
    days = (today - return_by).days
    if days > 0:
        return (
            f"This is a reminder that your workbook, attached again, was due back on "
            f"{format_uk(return_by)} ({days:,} day{'s' if days != 1 else ''} ago) and has not "
            "reached us yet."
        )
    left = -days
    when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
    return (
        f"This is a reminder that your workbook, attached again, is due back by "
        f"{format_uk(return_by)} ({when})."
    )
