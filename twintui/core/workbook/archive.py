"""A returned workbook checked from the outside in, before anything is parsed.

Its name, its size, its first bytes, the zip directory (entry count, declared sizes,
compression ratios, encryption, macros), the sheet list in ``workbook.xml`` (parsed with
defusedxml), and a streaming scan of each sheet's XML for cells beyond the row and column caps
(python-calamine allocates the whole rectangle up to the farthest cell, so two cells far apart
would exhaust memory). Each refusal is one ``ReturnFileError`` line naming the file (and the
sheet, never the part inside the zip); nothing is written. The same scan notes the sheets that
hold a formula or an error value.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .. import files
from ..errors import TwintuiError
from . import layout
from .parts import (
    FORMULA_OR_ERROR,
    FormulaCell,
    WorkbookParts,
    custom_properties,
    formula_cells,
    workbook_parts,
)

MAX_FILE_BYTES = 50 * 1024 * 1024  # a 10,000-arrangement register is about 4 MB
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # the 10,000-arrangement register unpacks to about 62 MB
MAX_ENTRY_RATIO = 100  # Apache POI's limit: XML that shrinks more than 100:1 is a zip bomb
MAX_ENTRIES = 1000
MAX_ROWS = 99_999  # rows of one sheet; a row number of six digits is refused
MAX_COLUMNS = 52  # columns A to AZ
_CHUNK = 1 << 20

# A cell or row reference past the caps: three letters, two letters from BA, or a six-digit row.
# The leading ' r="' is a literal, so the scan runs at memchr speed between cells.
_BEYOND_CAPS = re.compile(rb' r="(?:(?:[A-Z]{3}|[B-Z][A-Z])\d|[A-Z]{0,3}\d{6})')
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_SUFFIX_HINTS = {
    ".xlsm": "a macro-enabled workbook (.xlsm); save it as an Excel workbook (.xlsx) without macros",
    ".xls": "an old Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx)",
    ".xlsb": "a binary Excel workbook (.xlsb); save it as an Excel workbook (.xlsx)",
    ".csv": "a CSV file; returns are .xlsx workbooks (the Register sheet alone loses partners, risks and _meta)",
    ".ods": "an OpenDocument spreadsheet (.ods); in LibreOffice use File > Save As > Excel 2007-365 (.xlsx)",
}


class ReturnFileError(TwintuiError):
    """A file that cannot be read as a quarterly return (exit code 2, nothing written)."""

    exit_code = 2

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def check_name(path: Path) -> None:
    """Refuse a file whose name says it is no .xlsx workbook, with what it is and what to do."""
    suffix = path.suffix.lower()
    if suffix in _SUFFIX_HINTS:
        raise ReturnFileError(path, f"is {_SUFFIX_HINTS[suffix]}")
    if suffix != ".xlsx":
        raise ReturnFileError(path, "is not an .xlsx workbook; a return is the .xlsx file twintui exported")


def check_size(path: Path, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReturnFileError(path, f"is {size / 2**20:.0f} MB; a return is at most {MAX_FILE_BYTES // 2**20} MB")


def read_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path``, after the checks of its name and size (of a regular file only)."""
    check_name(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ReturnFileError(path, "is a folder, not a workbook")
        check_size(path, size)
        # Opened without blocking and checked to be a regular file: a FIFO would wait forever.
        data = files.read_bytes(path, limit=MAX_FILE_BYTES)
    except FileNotFoundError:
        raise ReturnFileError(path, "no such file") from None
    except files.FileError as error:
        raise ReturnFileError(path, error.message.removeprefix(f"{path} ")) from None
    except OSError as error:
        raise ReturnFileError(path, f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReturnFileError(path, f"is larger than {MAX_FILE_BYTES // 2**20} MB")
    return data


def open_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    if not data:
        raise ReturnFileError(path, "is empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReturnFileError(path, "is an old .xls workbook or a password-protected one; save it as .xlsx "
                                    "without a password")
    if not data.startswith(b"PK"):
        raise ReturnFileError(path, "is not an .xlsx workbook (it is not a zip file)")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ReturnFileError(path, "is truncated or damaged (its zip directory cannot be read); "
                                    "ask for the file again") from None


def check_archive(path: Path, archive: zipfile.ZipFile) -> tuple[WorkbookParts, set[str]]:
    """Refuse a zip directory or sheet XML beyond the caps, and a workbook without a return's sheets.

    Returns what workbook.xml says and the parts that hold a formula or an error value.
    """
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ReturnFileError(path, f"holds {len(entries)} parts; a workbook has a few dozen (refused)")
    names = {entry.filename for entry in entries}
    if "xl/vbaProject.bin" in names:
        raise ReturnFileError(path, "contains macros; save it as an Excel workbook (.xlsx) without macros")
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and b"opendocument" in _read_capped(path, archive, archive.getinfo("mimetype"), 200):
            raise ReturnFileError(path, "is an OpenDocument spreadsheet (.ods) with an .xlsx name; in LibreOffice "
                                        "use File > Save As > Excel 2007-365 (.xlsx)")
        raise ReturnFileError(path, "is a zip file but not an .xlsx workbook (no xl/workbook.xml)")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ReturnFileError(path, "is encrypted; save it without a password")
        total += entry.file_size
        if entry.file_size > _CHUNK and entry.file_size > MAX_ENTRY_RATIO * max(entry.compress_size, 1):
            raise ReturnFileError(path, f"is a zip bomb: {entry.filename} expands "
                                        f"{entry.file_size // max(entry.compress_size, 1)} times (refused)")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ReturnFileError(path, f"would expand to {total / 2**20:.0f} MB; at most "
                                    f"{MAX_UNCOMPRESSED_BYTES // 2**20} MB (refused)")
    sheet_names, parts = _workbook(path, archive, names)
    missing = [name for name in layout.REQUIRED_SHEETS if name not in sheet_names]
    if layout.META in missing:
        raise ReturnFileError(path, "is not a twintui return (it has no _meta sheet); fill in the template from "
                                    "'twintui template' or a return from 'twintui export'")
    if missing:
        sheets = "the sheet" if len(missing) == 1 else "the sheets"
        raise ReturnFileError(path, f"is missing {sheets} {', '.join(missing)}; a return keeps all its sheets")
    flagged = set()
    for entry in entries:
        if entry.filename.startswith("xl/worksheets/") or entry.filename == "xl/sharedStrings.xml":
            if _scan(path, archive, entry, _part_name(parts, entry.filename)):
                flagged.add(entry.filename)
    return parts, flagged


def _part_name(parts: WorkbookParts, part: str) -> str:
    """How a refusal names a part: its sheet ("the Register sheet"), never xl/worksheets/sheet2.xml."""
    if sheet := parts.sheet_of(part):
        return f"the {sheet} sheet"
    if part == "xl/sharedStrings.xml":
        return "the workbook's shared text"
    return f"a part that is not a listed sheet ({part})"


def _workbook(path: Path, archive: zipfile.ZipFile, names: set[str]) -> tuple[list[str], WorkbookParts]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    rels = "xl/_rels/workbook.xml.rels"
    try:
        return workbook_parts(_read_capped(path, archive, archive.getinfo("xl/workbook.xml"), _CHUNK),
                              _read_capped(path, archive, archive.getinfo(rels), _CHUNK) if rels in names else None)
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        raise ReturnFileError(path, "is damaged: its workbook.xml cannot be read") from None


def formulas_in(path: Path, archive: zipfile.ZipFile, parts: WorkbookParts,
              flagged: set[str]) -> dict[str, dict[tuple[int, int], FormulaCell]]:
    """The formula and error cells of the data sheets whose XML holds any (the scan flagged them)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    found = {}
    for part, sheet in parts.sheet_parts.items():
        if part in flagged and (sheet in layout.DATA_SHEETS or sheet in layout.OPTIONAL_SHEETS):
            try:
                found[sheet] = formula_cells(lambda part=part: archive.open(part), parts.recalculate)
            except (DefusedXmlException, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError):
                raise ReturnFileError(path, f"is damaged: the {sheet} sheet's XML cannot be read") from None
    return found


def document_properties(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    if "docProps/custom.xml" not in archive.NameToInfo:
        return {}
    try:
        return custom_properties(_read_capped(path, archive, archive.getinfo("docProps/custom.xml"), _CHUNK))
    except (DefusedXmlException, ElementTree.ParseError):
        return {}  # the properties are a second copy of what _meta says; _meta is read on its own


def _read_capped(path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, cap: int) -> bytes:
    try:
        with archive.open(entry) as handle:
            data = handle.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ReturnFileError(path, f"is damaged ({entry.filename} cannot be unpacked)") from None
    if len(data) > cap:
        raise ReturnFileError(path, f"{entry.filename} is larger than it should be (refused)")
    return data


def _scan(path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, where: str) -> bool:
    """Stream one part, refusing cells beyond the caps and DTDs; whether it holds a formula or an error value.

    zipfile never inflates more than the size the directory declares, and checks the
    CRC at the end: a directory that lies about a bomb's size ends as a damaged part.
    """
    tail = b""
    flagged = False
    try:
        with archive.open(entry) as handle:
            while chunk := handle.read(_CHUNK):
                window = tail + chunk
                if _DOCTYPE.search(window):
                    raise ReturnFileError(path, f"{where} declares a DTD or entities (refused)")
                if _BEYOND_CAPS.search(window):
                    raise ReturnFileError(
                        path, f"has cells beyond row {MAX_ROWS:,} or column {layout.column_letter(MAX_COLUMNS - 1)}"
                              f" in {where}; a return is far smaller (refused)")
                flagged = flagged or FORMULA_OR_ERROR.search(window) is not None
                tail = chunk[-32:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ReturnFileError(path, f"is damaged or a zip bomb ({where} cannot be unpacked)") from None
    return flagged
