"""Opening a workbook file safely: what kind of file it is, whether it is safe to unpack,
and the workbook inside it, whatever dialect of the format it was saved in.

Excel opens some files openpyxl does not: "Strict Open XML" workbooks (the same parts
under other namespaces) and zips whose paths use backslashes. Both are put right in
memory, never on disk, before openpyxl sees them. Every refusal is one sentence saying
what is wrong and what to do."""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_EXPANSION = 150  # unpacked size over packed size
WORKBOOK_PART = "xl/workbook.xml"

TRANSITIONAL = "http://schemas.openxmlformats.org/"
STRICT = b"http://purl.oclc.org/ooxml/"
# Strict namespaces and relationship types, most specific first, with their
# transitional equivalents (ISO/IEC 29500-1 and -4).
STRICT_TO_TRANSITIONAL: tuple[tuple[bytes, bytes], ...] = tuple(
    (b"http://purl.oclc.org/ooxml/" + strict.encode(), (TRANSITIONAL + transitional).encode())
    for strict, transitional in (
        (
            "officeDocument/relationships/extendedProperties",
            "officeDocument/2006/relationships/extended-properties",
        ),
        (
            "officeDocument/relationships/customProperties",
            "officeDocument/2006/relationships/custom-properties",
        ),
        ("officeDocument/relationships", "officeDocument/2006/relationships"),
        ("officeDocument/extendedProperties", "officeDocument/2006/extended-properties"),
        ("officeDocument/customProperties", "officeDocument/2006/custom-properties"),
        ("officeDocument/docPropsVTypes", "officeDocument/2006/docPropsVTypes"),
        ("officeDocument/sharedTypes", "officeDocument/2006/sharedTypes"),
        ("officeDocument/characteristics", "officeDocument/2006/characteristics"),
        ("officeDocument/bibliography", "officeDocument/2006/bibliography"),
        ("officeDocument/customXml", "officeDocument/2006/customXml"),
        ("officeDocument/math", "officeDocument/2006/math"),
        ("spreadsheetml/main", "spreadsheetml/2006/main"),
        ("drawingml/", "drawingml/2006/"),
        ("schemaLibrary/main", "schemaLibrary/2006/main"),
    )
)
STRICT_CONFORMANCE = b' conformance="strict"'

_log = logging.getLogger(__name__)


class WorkbookError(PlannerError):
    """A workbook that cannot be read safely, said in one sentence."""


def safe_xml_in_use() -> bool:
    """True when openpyxl parses workbooks through defusedxml (no entity expansion)."""
    from openpyxl.xml import DEFUSEDXML

    return bool(DEFUSEDXML)


def require_safe_xml() -> None:
    if not safe_xml_in_use():
        raise WorkbookError(
            "Workbooks cannot be read safely on this computer (the defusedxml library is "
            "missing), so none will be opened. Reinstall Strategy Planner."
        )


def quoted_name(path: Path) -> str:
    return f"'{path.name}'"


def damaged(path: Path) -> WorkbookError:
    return WorkbookError(
        f"{quoted_name(path)} is damaged or not a workbook this program can read; open it "
        'in Excel, save it as "Excel Workbook (.xlsx)" and try again.'
    )


def not_a_workbook(path: Path) -> WorkbookError:
    return WorkbookError(
        f"{quoted_name(path)} is not an Excel workbook (.xlsx); if it opens in Excel, save it "
        'from there as "Excel Workbook (.xlsx)" and try again.'
    )


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_UNPACKED_BYTES:
            raise WorkbookError(
                f"{quoted_name(path)} is {size / 1e6:,.0f} MB, far more than a plan's "
                "workbook needs, so it is not opened."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise WorkbookError(f"There is no file {quoted_name(path)}.") from None
    except IsADirectoryError:
        raise WorkbookError(f"{quoted_name(path)} is a folder, not a workbook.") from None
    except OSError as error:
        raise WorkbookError(
            f"{quoted_name(path)} could not be read: {error.strerror or error}."
        ) from None


def _check_signature(path: Path, data: bytes) -> None:
    if data.startswith(OLE_SIGNATURE):
        raise WorkbookError(
            f"{quoted_name(path)} is password-protected or an old-style .xls file; save it as "
            "an Excel workbook (.xlsx) without a password and try again."
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise not_a_workbook(path)


def _part_names(path: Path, archive: zipfile.ZipFile, packed: int) -> list[str]:
    """The archive's part names as Excel reads them (forward slashes); refuses a zip
    bomb from its declared sizes, before anything is unpacked. (A part damaged inside
    fails its checksum when it is read.)"""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES or unpacked / max(packed, 1) > MAX_EXPANSION:
        raise WorkbookError(
            f"{quoted_name(path)} unpacks to {unpacked / 1e6:,.0f} MB, far more than a "
            "returned plan needs, so it is not opened."
        )
    return [info.filename.replace("\\", "/").lstrip("/") for info in archive.infolist()]


def _check_parts(path: Path, names: list[str]) -> None:
    if WORKBOOK_PART not in names:
        raise not_a_workbook(path)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookError(
            f"{quoted_name(path)} contains macros, so it is not opened. Save it as a plain Excel "
            "workbook (.xlsx) and try again."
        )


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def as_transitional(xml: bytes) -> bytes:
    """A Strict Open XML part rewritten with the transitional namespaces and
    relationship types openpyxl knows; the same content otherwise."""
    if STRICT not in xml:
        return xml
    for strict, transitional in STRICT_TO_TRANSITIONAL:
        xml = xml.replace(strict, transitional)
    return xml.replace(STRICT_CONFORMANCE, b"")


def _repacked(archive: zipfile.ZipFile, strict: bool) -> bytes:
    """The archive rebuilt in memory with forward-slash paths and, for a Strict
    workbook, transitional namespaces. Parts are stored, not compressed again."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as repacked:
        for info in archive.infolist():
            name = info.filename.replace("\\", "/").lstrip("/")
            if name in seen or name.endswith("/"):
                continue
            seen.add(name)
            data = archive.read(info)
            if strict and _is_xml_part(name):
                data = as_transitional(data)
            repacked.writestr(name, data)
    return buffer.getvalue()


def checked_workbook_bytes(path: Path) -> bytes:
    """The file's bytes when it is a plain, modest xlsx; refuses anything else in one
    sentence before any XML is parsed."""
    data = _read_bytes(path)
    _check_signature(path, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = _part_names(path, archive, len(data))
    except WorkbookError:
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError...: all mean a damaged file
        raise WorkbookError(
            f"{quoted_name(path)} is damaged: it cannot be opened as a workbook; ask for it to "
            "be sent again."
        ) from None
    _check_parts(path, names)
    return data


def check_container(path: Path) -> None:
    """Refuse files that are not a plain, modest xlsx before any XML is parsed."""
    checked_workbook_bytes(path)


def readable_package(path: Path, data: bytes) -> tuple[bytes, bool]:
    """The package openpyxl can read (backslash paths and Strict namespaces put right)
    and whether it was a Strict Open XML workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            backslashes = any("\\" in info.filename for info in infos)
            workbook = next(
                info
                for info in infos
                if info.filename.replace("\\", "/").lstrip("/") == WORKBOOK_PART
            )
            with archive.open(workbook) as part:
                strict = STRICT in part.read(4096)
            if not backslashes and not strict:
                return data, False
            return _repacked(archive, strict), strict
    except Exception:
        raise damaged(path) from None


@dataclass
class OpenedWorkbook:
    """A workbook open for reading, with the facts about its file."""

    path: Path
    workbook: Any  # openpyxl's read-only Workbook
    fingerprint: str  # sha256 of the file's bytes
    strict: bool  # saved as Strict Open XML


@contextmanager
def open_workbook(path: Path) -> Iterator[OpenedWorkbook]:
    """Open a workbook for reading, read-only, formulas as typed, no external links.

    Library warnings are kept off the terminal, and anything that goes wrong while the
    workbook is read (damaged XML surfaces only as a sheet is read) becomes one
    sentence; a PlannerError raised by the reader passes through as it is."""
    from openpyxl import load_workbook

    require_safe_xml()
    data = checked_workbook_bytes(path)
    package, strict = readable_package(path, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(
                io.BytesIO(package), read_only=True, data_only=False, keep_links=False
            )
        except Exception:  # openpyxl raises many kinds for damaged or hostile XML
            _log.info("%s could not be opened as a workbook", path.name, exc_info=True)
            raise damaged(path) from None
        try:
            yield OpenedWorkbook(path, workbook, hashlib.sha256(data).hexdigest(), strict)
        except PlannerError:
            raise
        except Exception:
            _log.info("%s could not be read as a workbook", path.name, exc_info=True)
            raise damaged(path) from None
        finally:
            workbook.close()
