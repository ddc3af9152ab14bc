"""Reading a returned workbook: refuse bad files cheaply (``archive``), then parse with python-calamine.

The sheets that ``archive`` found holding a formula or an error value are parsed again for their
formula cells (see ``parts``), since python-calamine reads a formula without a calculated value,
and an error value, as an empty cell.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import coerce
from . import layout
from .archive import (
    ReturnFileError,
    check_archive,
    check_name,
    check_size,
    document_properties,
    formulas_in,
    open_zip,
    read_bytes,
)
from .parts import FormulaCell, WorkbookParts

Progress = Callable[[str, int, int], None]  # (stage, done, total)

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
    return return_of(target, read_bytes(target))


def return_of(path: Path, data: bytes) -> ReturnFile:
    """A returned workbook from its bytes, checked as ``read_return`` checks a file: its name, its size, then
    everything inside. ``path`` only names it (the store service is sent the bytes; it never opens a path)."""
    target = Path(path)
    check_name(target)
    check_size(target, len(data))
    digest = hashlib.sha256(data).hexdigest()
    with open_zip(target, data) as archive:
        parts, flagged = check_archive(target, archive)
        formulas = formulas_in(target, archive, parts, flagged)
        properties = document_properties(target, archive)
    return _parse(target, data, digest, parts, formulas, properties)


def _parse(path: Path, data: bytes, digest: str, parts: WorkbookParts,
           formulas: dict[str, dict[tuple[int, int], FormulaCell]], properties: dict[str, str]) -> ReturnFile:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = _read_meta(path, workbook.get_sheet_by_name(layout.META))
        present = set(workbook.sheet_names)
        sheets = {name: _sheet(workbook.get_sheet_by_name(name), formulas.get(name, {}))
                  for name in (*layout.DATA_SHEETS, *layout.OPTIONAL_SHEETS)
                  if name in layout.DATA_SHEETS or name in present}
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
