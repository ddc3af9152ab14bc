"""Reading a returned workbook: refuse bad files cheaply, then parse with python-calamine.

Before anything is parsed the file is checked from the outside in: its name,
its size, its first bytes, the zip directory (entry count, declared sizes,
compression ratios, encryption, macros), the sheet list in ``workbook.xml``
(parsed with defusedxml), and a streaming scan of each sheet's XML for cells
beyond the row and column caps (python-calamine allocates the whole rectangle
up to the farthest cell, so two cells far apart would exhaust memory). Each
refusal is one ``ReturnFileError`` line naming the file (and the sheet, never
the part inside the zip); nothing is written.

The same scan notes the sheets that hold a formula or an error value; only those
are parsed again for their formula cells (see ``parts``), since python-calamine
reads a formula without a calculated value, and an error value, as an empty cell.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..errors import TwintuiError
from ..model import coerce
from . import layout
from .parts import FORMULA_OR_ERROR, FormulaCell, WorkbookParts, custom_properties, formula_cells, workbook_parts

Progress = Callable[[str, int, int], None]  # (stage, done, total)

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


@dataclass(frozen=True, slots=True)
class MetaRecord:
    """What the return's _meta says about one exported record."""

    rev: int
    content_hash: str
    cells_hash: str


@dataclass(frozen=True, slots=True)
class ReturnMeta:
    template_version: int
    kind: str  # template, state or register
    state: str
    quarter: str
    export_id: str
    exported_at: str
    exported_by: str
    records: dict[tuple[str, str], MetaRecord] = field(default_factory=dict, repr=False)  # (table, key) ->

    def describe(self) -> str:
        if self.kind == "state":
            return f"return of {self.state} for {self.quarter}"
        return "whole-register export" if self.kind == "register" else "blank template"


@dataclass(frozen=True, slots=True)
class SheetData:
    """One data sheet as read: its header rows and a way to go through its data rows."""

    name: str
    headers: list[Any]
    hxl: list[Any] | None
    first_row: int  # spreadsheet number of the first data row
    _sheet: Any = field(repr=False)  # python-calamine's sheet: cells stay in Rust until iterated
    height: int = 0
    # python-calamine's rows start at the first column that holds anything; cell
    # references count from column A, so rows are padded back to it.
    offset: int = 0
    # (row number, zero-based column) -> the formula or error value in that cell
    formulas: dict[tuple[int, int], FormulaCell] = field(default_factory=dict, repr=False)
    # merged ranges as ((first row, first column), (last row, last column)), rows from 1, columns from 0
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(spreadsheet row number, cells from column A) of every data row."""
        skip, pad = self.first_row - 1, [""] * self.offset
        for number, row in enumerate(self._sheet.iter_rows(), start=1):
            if number > skip:
                yield number, (pad + row if pad else row)


@dataclass(frozen=True, slots=True)
class ReturnFile:
    """A returned workbook that passed every check, ready for ``preview``."""

    path: Path
    sha256: str
    size: int
    meta: ReturnMeta
    sheets: dict[str, SheetData] = field(repr=False)
    date1904: bool = False  # the workbook counts serial dates from 1904-01-01
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties

    @property
    def name(self) -> str:
        return self.path.name


def read_returns(paths: Sequence[str | os.PathLike[str]], progress: Progress | None = None) -> list[ReturnFile]:
    """Check and read every file; the first one that is not a return raises ``ReturnFileError``."""
    files = []
    for number, path in enumerate(paths):
        if progress is not None:
            progress("reading", number, len(paths))
        files.append(read_return(path))
    if progress is not None:
        progress("reading", len(paths), len(paths))
    return files


def read_return(path: str | os.PathLike[str]) -> ReturnFile:
    """One returned workbook, checked (see the module's docstring) and parsed."""
    target = Path(path)
    data = _read_bytes(target)
    digest = hashlib.sha256(data).hexdigest()
    with _open_zip(target, data) as archive:
        parts, flagged = _check_archive(target, archive)
        formulas = _formulas(target, archive, parts, flagged)
        properties = _properties(target, archive)
    return _parse(target, data, digest, parts, formulas, properties)


# -- checks before parsing ---------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    suffix = path.suffix.lower()
    if suffix in _SUFFIX_HINTS:
        raise ReturnFileError(path, f"is {_SUFFIX_HINTS[suffix]}")
    if suffix != ".xlsx":
        raise ReturnFileError(path, "is not an .xlsx workbook; a return is the .xlsx file twintui exported")
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ReturnFileError(path, "is a folder, not a workbook")
        if size > MAX_FILE_BYTES:
            raise ReturnFileError(path, f"is {size / 2**20:.0f} MB; a return is at most {MAX_FILE_BYTES // 2**20} MB")
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


def _open_zip(path: Path, data: bytes) -> zipfile.ZipFile:
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


def _check_archive(path: Path, archive: zipfile.ZipFile) -> tuple[WorkbookParts, set[str]]:
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


def _formulas(path: Path, archive: zipfile.ZipFile, parts: WorkbookParts,
              flagged: set[str]) -> dict[str, dict[tuple[int, int], FormulaCell]]:
    """The formula and error cells of the data sheets whose XML holds any (the scan flagged them)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    found = {}
    for part, sheet in parts.sheet_parts.items():
        if part in flagged and sheet in layout.DATA_SHEETS:
            try:
                found[sheet] = formula_cells(lambda part=part: archive.open(part), parts.recalculate)
            except (DefusedXmlException, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError):
                raise ReturnFileError(path, f"is damaged: the {sheet} sheet's XML cannot be read") from None
    return found


def _properties(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
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


# -- parsing -----------------------------------------------------------------------

def _parse(path: Path, data: bytes, digest: str, parts: WorkbookParts,
           formulas: dict[str, dict[tuple[int, int], FormulaCell]], properties: dict[str, str]) -> ReturnFile:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = _read_meta(path, workbook.get_sheet_by_name(layout.META))
        sheets = {name: _sheet(workbook.get_sheet_by_name(name), formulas.get(name, {}))
                  for name in layout.DATA_SHEETS}
    except python_calamine.WorksheetNotFound as error:
        raise ReturnFileError(path, f"is damaged: the {error} sheet is listed but its content is missing") from None
    except python_calamine.XmlError:
        raise ReturnFileError(path, "is damaged: a sheet's XML is cut off or malformed") from None
    except (python_calamine.CalamineError, ValueError, KeyError, TypeError) as error:
        raise ReturnFileError(path, f"is damaged and cannot be read ({_first_line(error)})") from None
    return ReturnFile(path, digest, len(data), meta, sheets, parts.date1904, properties)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def _sheet(sheet: Any, formulas: dict[tuple[int, int], FormulaCell]) -> SheetData:
    offset = sheet.start[1] if sheet.start else 0
    pad = [""] * offset
    merged = tuple(((first[0] + 1, first[1]), (last[0] + 1, last[1]))
                   for first, last in (sheet.merged_cell_ranges or ()))
    rows = sheet.iter_rows()
    headers = pad + list(next(rows, []))
    second = next(rows, None)
    if second is not None and layout.is_hxl_row(second):
        return SheetData(sheet.name, headers, pad + list(second), layout.FIRST_DATA_ROW, sheet, sheet.height, offset,
                         formulas, merged)
    return SheetData(sheet.name, headers, None, layout.HXL_ROW, sheet, sheet.height, offset, formulas, merged)


def _read_meta(path: Path, sheet: Any) -> ReturnMeta:
    pairs: dict[str, str] = {}
    records: dict[tuple[str, str], MetaRecord] = {}
    column = layout.META_RECORD_COLUMN
    pad = [""] * (sheet.start[1] if sheet.start else 0)
    for number, row in enumerate(sheet.iter_rows()):
        row = pad + row if pad else row
        if row and row[0] != "" and len(row) > 1:
            pairs[coerce.text(row[0])] = coerce.text(row[1])
        if number == 0 or len(row) < column + 5 or row[column] == "":
            continue
        try:
            rev = int(row[column + 2])
        except (TypeError, ValueError):
            continue
        records[(str(row[column]), str(row[column + 1]))] = MetaRecord(rev, str(row[column + 3]),
                                                                        str(row[column + 4]))
    if pairs.get("app") != layout.APP:
        raise ReturnFileError(path, "is not a twintui return (its _meta sheet does not say twintui)")
    try:
        version = int(float(pairs.get("template_version", "")))
    except ValueError:
        raise ReturnFileError(path, "is damaged: its _meta sheet has no template version") from None
    if version > layout.TEMPLATE_VERSION:
        raise ReturnFileError(path, f"was made by a newer twintui (template version {version}; this one reads up to "
                                    f"{layout.TEMPLATE_VERSION}); upgrade twintui")
    kind = pairs.get("kind", "template")
    state, quarter = pairs.get("state", ""), pairs.get("quarter", "")
    if kind == "state":
        try:
            state = coerce.country(state)
            quarter = coerce.quarter(quarter) or ""
        except ValueError:
            raise ReturnFileError(path, "is damaged: its _meta sheet names no valid state and quarter") from None
        if not quarter:
            raise ReturnFileError(path, "is damaged: its _meta sheet names no quarter")
    return ReturnMeta(version, kind, state, quarter, pairs.get("export_id", ""), pairs.get("exported_at", ""),
                      pairs.get("exported_by", ""), records)
