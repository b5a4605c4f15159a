"""Checks a file must pass before openpyxl is allowed to parse it.

An .xlsx is a zip of XML. A hostile one can expand to gigabytes (zip bomb),
define entities that expand exponentially or read local files (XML bombs,
external entities), or claim a million rows. Each is refused here, from the
container's directory and a byte scan of each XML part, in well under a
second and before any row is read. So is a zip that holds a part twice
(Excel, LibreOffice and openpyxl would each read a different copy: OPC part
names are compared without case). openpyxl itself must parse through
defusedxml; `require_defusedxml()` refuses to import anything otherwise.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.domain.quoting import shown

MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_MEMBER_RATIO = 200
RATIO_CHECK_FROM = 1024 * 1024
CHUNK_BYTES = 1024 * 1024
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old-format (.xls) or password-protected workbook"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3", "a database file"),
    (b"<?xml", "an XML file"),
    (b"<html", "a web page"),
    (b"<!DOCTYPE html", "a web page"),
)
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeWorkbookError(PlannerError):
    """The file is not a workbook, or is one that could harm the machine."""


def require_defusedxml() -> None:
    """openpyxl falls back to the standard parser silently; refuse to run without defusedxml."""
    import openpyxl
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    try:
        import defusedxml  # noqa: F401
    except ImportError:
        raise UnsafeWorkbookError(
            "the defusedxml package is missing; it is required to read "
            "workbooks safely (reinstall the planner)"
        ) from None
    # The stubs leave out openpyxl's re-exported parsers; what matters is where they come from.
    parsers = (getattr(functions, "iterparse", None), getattr(_reader, "iterparse", None))
    if not getattr(openpyxl, "DEFUSEDXML", False) or not all(
        getattr(p, "__module__", "").startswith("defusedxml") for p in parsers
    ):
        raise UnsafeWorkbookError(
            "openpyxl is not using defusedxml (is OPENPYXL_DEFUSEDXML "
            "set to False?); workbooks cannot be read safely"
        )


def inspect_workbook(path: Path) -> None:
    """Raise UnsafeWorkbookError with one line if `path` must not be opened as a workbook."""
    name = path.name
    if not path.exists():
        raise UnsafeWorkbookError(f"{path} does not exist")
    if path.is_dir():
        raise UnsafeWorkbookError(f"{path} is a folder, not a workbook")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise UnsafeWorkbookError(f"cannot read {path}: {exc.strerror}") from None
    if not head:
        raise UnsafeWorkbookError(f"{name} is empty (0 bytes), not an Excel workbook")
    if not head.startswith(b"PK"):
        what = next((w for sig, w in _SIGNATURES if head.lower().startswith(sig.lower())), None)
        raise UnsafeWorkbookError(
            f"{name} is {what or 'not an Excel workbook'}"
            f"{', not an Excel workbook (.xlsx)' if what else ' (.xlsx)'}"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, name)
    except zipfile.BadZipFile:
        raise UnsafeWorkbookError(
            f"{name} is a damaged or incomplete file, not a readable Excel workbook"
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise UnsafeWorkbookError(f"{name} cannot be read as a workbook ({exc})") from None


def _check_archive(archive: zipfile.ZipFile, name: str) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnsafeWorkbookError(
            f"{name} holds {len(members):,} parts; a workbook has far "
            f"fewer (at most {MAX_MEMBERS:,} accepted)"
        )
    names: set[str] = set()
    for member in members:
        if member.filename.casefold() in names:
            raise UnsafeWorkbookError(
                f"{name} holds the part {shown(member.filename)} twice; a workbook never "
                "does (which copy a program reads differs), so it is refused"
            )
        names.add(member.filename.casefold())
    if not all(part.casefold() in names for part in REQUIRED_PARTS):
        raise UnsafeWorkbookError(f"{name} is a zip file but not an Excel workbook (.xlsx)")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UnsafeWorkbookError(f"{name} is encrypted; save it without a password")
        total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeWorkbookError(
                f"{name} expands to more than "
                f"{MAX_TOTAL_BYTES // 2**20} MB; refused as a possible "
                "zip bomb"
            )
        if member.file_size > RATIO_CHECK_FROM and member.file_size > MAX_MEMBER_RATIO * max(
            member.compress_size, 1
        ):
            raise UnsafeWorkbookError(
                f"{name}: part {shown(member.filename)} is compressed "
                f"{member.file_size // max(member.compress_size, 1):,} to 1; "
                "refused as a possible zip bomb"
            )
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")) and _declares_dtd(archive, member):
            raise UnsafeWorkbookError(
                f"{name}: part {shown(member.filename)} declares XML "
                "entities (a DTD), which workbooks never need; "
                "refused as unsafe"
            )


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Search the whole part: comments can push a DTD arbitrarily far from the start."""
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(CHUNK_BYTES):
            if _DTD.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False
