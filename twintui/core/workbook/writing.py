"""The quarterly return's workbook as written: its sheets, styles, drop-downs, protection and _meta.

openpyxl writes in write-only mode (it streams rows, so 10,000 arrangements take seconds and
little memory). Every text cell is written as text: a title such as ``=HYPERLINK(...)`` or ``+1``
is stored as a string with Excel's quote prefix, never as a live formula (CWE-1236). The file is
written to a temporary name beside the target and renamed, so a failed export leaves no
half-written workbook; the blank template is written with fixed times (the same bytes each time).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .. import files
from ..errors import TwintuiError
from ..model import Arrangement, Partner, Risk, coerce
from ..text import spreadsheet_text
from . import instructions, layout, printing
from .layout import LAYOUTS, META, VOCABULARIES, Column
from .progress_layout import COLUMNS as PROGRESS_COLUMNS

if TYPE_CHECKING:
    from .progress_export import ProgressRow
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Progress = Callable[[str, int, int], None]  # (stage, done, total)

# The blank template carries fixed times, so generating it twice gives the same bytes.
PINNED_TIME = dt.datetime(2026, 1, 1)
LOCKED_FILL, HEADER_FILL = "D9D9D9", "DDEBF7"


@dataclass
class Content:
    """What goes into one workbook."""

    kind: str  # template, state or register
    state: str = ""
    quarter: str = ""
    export_id: str = ""
    exported_at: str = ""
    exported_by: str = ""
    arrangements: list[Arrangement] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    progress: list[ProgressRow] = field(default_factory=list)
    records_digest: str = ""  # of the _meta record list, set when the workbook is built



def check_target(path: Path) -> None:
    """Refuse, before anything is built or recorded, a name a workbook cannot be written to."""
    if path.suffix.lower() != ".xlsx":
        raise TwintuiError(f"{path}: a return is an .xlsx workbook; give a file name ending in .xlsx")
    if path.is_dir():
        raise TwintuiError(f"{path} is a folder; give the name of the .xlsx file to write")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TwintuiError(f"cannot write {path}: the folder {folder} does not exist")


def save(content: Content, path: Path, *, pinned: bool = False, progress: Progress | None = None) -> Path:
    check_target(path)
    with files.replacing(path) as out:  # a temporary file renamed into place, never through a link
        write_to(content, out, pinned=pinned, progress=progress)
    return path


def workbook_bytes(content: Content, *, pinned: bool = False, progress: Progress | None = None) -> bytes:
    """The workbook as bytes (what the store service sends back for its client to write)."""
    out = io.BytesIO()
    write_to(content, out, pinned=pinned, progress=progress)
    return out.getvalue()


def write_to(content: Content, out: BinaryIO, *, pinned: bool = False, progress: Progress | None = None) -> None:
    from openpyxl.writer.excel import ExcelWriter

    archive_cls = _PinnedZip if pinned else zipfile.ZipFile
    workbook = _build(content, pinned, progress)
    with archive_cls(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()


class _PinnedZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time, so the same workbook gives the same bytes."""

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        with open(filename, "rb") as handle:
            self.writestr(arcname or os.path.basename(filename), handle.read(), compress_type, compresslevel)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=PINNED_TIME.timetuple()[:6])
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def _build(content: Content, pinned: bool, progress: Progress | None) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.defined_name import DefinedName

    workbook = Workbook(write_only=True)
    when = PINNED_TIME if pinned else dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props = workbook.properties
    props.creator = props.lastModifiedBy = "twintui" if pinned else (content.exported_by or "twintui")
    props.created = props.modified = when
    props.title = "Twinning Register quarterly return"
    props.subject = _subject(content)
    workbook.custom_doc_props.append(StringProperty(name=layout.PROPERTY_VERSION, value=str(layout.TEMPLATE_VERSION)))
    workbook.custom_doc_props.append(StringProperty(name=layout.PROPERTY_EXPORT_ID, value=content.export_id))

    styles = _Styles(workbook)
    instructions.write(workbook.create_sheet(layout.INSTRUCTIONS), content.kind, content.state, content.quarter,
                       content.exported_at, content.exported_by, styles, _protect)
    titles = {a.id: a.title for a in content.arrangements}
    meta_rows: list[list[Any]] = []
    total = len(content.arrangements) + len(content.partners) + len(content.risks) + len(content.progress)
    done = 0
    cell_class = _cell_class()
    for sheet_layout, records in ((LAYOUTS[layout.REGISTER], content.arrangements),
                                  (LAYOUTS[layout.PARTNERS], content.partners),
                                  (LAYOUTS[layout.RISKS], content.risks)):
        sheet = workbook.create_sheet(sheet_layout.name)
        _data_sheet(sheet, sheet_layout.name, sheet_layout.columns, styles)
        protos = [styles.data(column, filled=True) for column in sheet_layout.columns]
        widths = [column.width for column in sheet_layout.columns]
        for number, record in enumerate(records, start=layout.FIRST_DATA_ROW):
            values = layout.row_values(sheet_layout, record, titles.get(getattr(record, "arrangement", ""), ""))
            printing.set_height(sheet, number, printing.height(values, widths))
            sheet.append(_cells(sheet, values, protos, cell_class))
            meta_rows.append([sheet_layout.table, record.key, record.rev, record.content_hash(),
                              layout.cells_digest([layout.read_back(v) for v in values])])
            done += 1
            if progress is not None and done % 1000 == 0:
                progress("writing", done, total)
    done = _progress(workbook.create_sheet(layout.PROGRESS), content.progress, styles, meta_rows, cell_class,
                     lambda done: progress("writing", done, total) if progress is not None else None, done)
    content.records_digest = layout.records_digest(meta_rows)  # type: ignore[arg-type]
    _lists(workbook, styles)
    for vocabulary, letter in zip(VOCABULARIES, _letters(len(VOCABULARIES)), strict=True):
        ref = f"{layout.LISTS}!${letter}$2:${letter}${len(vocabulary.entries) + 1}"
        workbook.defined_names[vocabulary.name] = DefinedName(vocabulary.name, attr_text=ref)
    _meta(workbook, content, meta_rows)
    if progress is not None:
        progress("writing", total, total)
    return workbook


def _subject(content: Content) -> str:
    if content.kind == "state":
        return f"{coerce.country_name(content.state)} ({content.state}), {content.quarter}"
    return "the whole register" if content.kind == "register" else "blank template"


def _letters(count: int) -> list[str]:
    return [layout.column_letter(index) for index in range(count)]


class _Styles:
    """Cell styles, made once per workbook and copied to each cell (cheap in openpyxl)."""

    def __init__(self, workbook: Workbook):
        self._sheet = workbook.create_sheet("scratch")  # style arrays are made on a scratch cell, then dropped
        workbook.remove(self._sheet)
        self._cache: dict[tuple[Any, ...], Any] = {}

    def make(self, *, bold: bool = False, italic: bool = False, colour: str | None = None, fill: str | None = None,
             locked: bool = True, number_format: str = "General", wrap: bool = False, size: float | None = None,
             top: bool = False) -> Any:
        from openpyxl.cell import Cell
        from openpyxl.styles import Alignment, Font, PatternFill, Protection

        key = (bold, italic, colour, fill, locked, number_format, wrap, size, top)
        if key not in self._cache:
            cell = Cell(self._sheet, row=1, column=1)
            if bold or italic or colour or size:
                cell.font = Font(bold=bold, italic=italic, color=colour, size=size)
            if fill:
                cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            if not locked:
                cell.protection = Protection(locked=False)
            if wrap or top:
                cell.alignment = Alignment(wrap_text=wrap or None, vertical="top")
            cell.number_format = number_format
            self._cache[key] = cell._style  # the style array openpyxl shares between cells
        return self._cache[key]

    def data(self, column: layout.Column, filled: bool = False) -> Any:
        """A data cell of ``column``; child-sheet links are locked once filled by twintui."""
        locked = column.locked or (filled and column.key == "arrangement")
        return self.make(fill=LOCKED_FILL if locked else None, locked=locked, number_format=column.number_format,
                         wrap=column.wraps, top=True)

    def cell(self, sheet: WriteOnlyWorksheet, value: Any, style: Any) -> Any:
        from openpyxl.cell import Cell

        cell = Cell(sheet, row=1, column=1, style_array=style)
        _set_text_safe(cell, value)
        return cell


def _set_text_safe(cell: Any, value: Any) -> None:
    spreadsheet_text(cell, value)  # what a user typed stays text, never a live formula


def _cell_class() -> type:
    from openpyxl.cell import Cell

    class DataCell(Cell):
        """A cell with a cheap repr: openpyxl's write-only append formats one for every styled cell."""

        __slots__ = ()

        def __repr__(self) -> str:
            return "<DataCell>"

    return DataCell


def _cells(sheet: WriteOnlyWorksheet, values: list[Any], protos: list[Any], cell_class: type) -> list[Any]:
    row = []
    for value, proto in zip(values, protos, strict=True):
        if value is None:
            row.append(None)  # no cell: the column's style (unlocked, formatted) applies
            continue
        cell = cell_class(sheet, row=1, column=1, style_array=proto)
        _set_text_safe(cell, value)
        row.append(cell)
    return row


def _progress(sheet: WriteOnlyWorksheet, rows: list[ProgressRow], styles: _Styles, meta_rows: list[list[Any]],
              cell_class: type, report: Callable[[int], object], done: int) -> int:
    """The Progress sheet: a row's cells of the other kinds of record are locked and grey, even when empty."""
    _data_sheet(sheet, layout.PROGRESS, PROGRESS_COLUMNS, styles)
    open_styles = [styles.data(column, filled=True) for column in PROGRESS_COLUMNS]
    closed = [styles.data(Column(c.key, c.header, c.hxl, c.field, locked=True), filled=True)
              for c in PROGRESS_COLUMNS]
    widths = [column.width for column in PROGRESS_COLUMNS]
    for number, row in enumerate(rows, start=layout.FIRST_DATA_ROW):
        values = row.values()
        writable = row.open_columns()
        cells = []
        for column, value, mine, locked in zip(PROGRESS_COLUMNS, values, open_styles, closed, strict=True):
            is_open = column.key in writable
            if value is None and is_open:
                cells.append(None)  # the column's style: open, formatted
                continue
            cell = cell_class(sheet, row=1, column=1, style_array=mine if is_open else locked)
            _set_text_safe(cell, value)
            cells.append(cell)
        printing.set_height(sheet, number, printing.height(values, widths))
        sheet.append(cells)
        record = row.record
        meta_rows.append([record.TABLE, record.key, record.rev, record.content_hash(),
                          layout.cells_digest([layout.read_back(v) for v in values])])
        done += 1
        if done % 1000 == 0:
            report(done)
    return done


def _data_sheet(sheet: WriteOnlyWorksheet, name: str, columns: tuple[Column, ...], styles: _Styles) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.dimensions import ColumnDimension

    letters = _letters(len(columns))
    for column, letter in zip(columns, letters, strict=True):
        # Rows a user adds take the column's style: unlocked (unless an id column) and formatted.
        sheet.column_dimensions[letter] = ColumnDimension(sheet, index=letter, width=column.width,
                                                          style=styles.data(column))
        validation = _validation(DataValidation, column)
        if validation is not None:
            validation.add(f"{letter}{layout.FIRST_DATA_ROW}:{letter}{layout.LAST_ROW}")
            sheet.data_validations.append(validation)
    sheet.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    _protect(sheet)
    # The Register's 22 columns fitted to one page's width would print at a quarter of their size:
    # two pages wide, each starting with the Record ID, keep it readable.
    # The Progress sheet's 18 likewise: each page starts with the ids (Record ID, and Progress ID).
    wide = name in (layout.REGISTER, layout.PROGRESS)
    printing.page_setup(sheet, title_rows=f"{layout.HEADER_ROW}:{layout.HXL_ROW}", pages_wide=2 if wide else 1,
                        title_columns=("A:A" if name == layout.REGISTER else "A:B") if wide else None)
    widths = [c.width for c in columns]
    header = [styles.cell(sheet, c.header, styles.make(bold=True, fill=LOCKED_FILL if c.locked else HEADER_FILL,
                                                        wrap=True)) for c in columns]
    tags = [styles.cell(sheet, c.hxl, styles.make(italic=True, colour="808080", wrap=True, size=8))
            for c in columns]
    # Each row as tall as its longest wrapped name, so a header never runs into the hashtags below it.
    printing.set_height(sheet, layout.HEADER_ROW, printing.height([c.header for c in columns], widths))
    printing.set_height(sheet, layout.HXL_ROW, printing.height([c.hxl for c in columns],
                                                               [w * printing.SMALL for w in widths]))
    sheet.append(header)
    sheet.append(tags)


def _validation(DataValidation: Any, column: layout.Column) -> Any:
    """A drop-down for vocabulary columns, range checks for numbers and dates; None for free text."""
    label = column.header
    vocabulary = column.vocabulary
    if vocabulary is not None:
        several = column.kind == "choices"
        return DataValidation(
            type="list", formula1=vocabulary.name, allow_blank=True, showErrorMessage=True,
            showInputMessage=True, errorStyle="information" if several else "stop",
            errorTitle=label, promptTitle=label[:32],
            error=("Several entries: separate them with '; '" if several
                   else f"Pick one of the entries in the list ({vocabulary.title} on the Lists sheet)"),
            prompt=(column.help or f"One of the {vocabulary.title.lower()} in the list")[:255],
        )
    if column.kind in ("whole", "number") and column.field is not None and column.field.minimum is not None:
        low, high = column.field.minimum, column.field.maximum
        operator, formula2 = ("between", f"{high:g}") if high is not None else ("greaterThanOrEqual", None)
        return DataValidation(
            type="whole" if column.kind == "whole" else "decimal", operator=operator, formula1=f"{low:g}",
            formula2=formula2, allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle=label,
            error=f"A number from {low:g}" + (f" to {high:g}" if high is not None else " up"),
        )
    if column.kind == "date":
        return DataValidation(
            type="date", operator="greaterThan", formula1="1", allow_blank=True, showErrorMessage=True,
            errorStyle="warning", errorTitle=label, error="Write a date, e.g. 2026-07-31 or 31/07/2026",
        )
    return None


def _protect(sheet: WriteOnlyWorksheet) -> None:
    """Locked cells cannot be typed in; sizing columns, adding rows and sorting stay allowed.

    No password: the protection keeps ids from being overwritten by accident, it is
    not a security boundary (a return is checked on import either way).
    """
    protection = sheet.protection
    protection.sheet = True
    # In the file format True means "forbidden".
    protection.formatColumns = protection.formatRows = False
    protection.insertRows = protection.deleteRows = False
    protection.sort = protection.autoFilter = False


def _lists(workbook: Workbook, styles: _Styles) -> None:
    sheet = workbook.create_sheet(layout.LISTS)
    for vocabulary, letter in zip(VOCABULARIES, _letters(len(VOCABULARIES)), strict=True):
        sheet.column_dimensions[letter].width = max(14, min(48, max(len(e) for e in vocabulary.entries) + 2))
    _protect(sheet)
    printing.page_setup(sheet, title_rows="1:1")
    bold = styles.make(bold=True)
    sheet.append([styles.cell(sheet, v.title, bold) for v in VOCABULARIES])
    for index in range(max(len(v.entries) for v in VOCABULARIES)):
        sheet.append([styles.cell(sheet, v.entries[index], styles.make()) if index < len(v.entries) else None
                      for v in VOCABULARIES])


def _meta(workbook: Workbook, content: Content, records: Iterable[list[Any]]) -> None:
    sheet = workbook.create_sheet(META)
    sheet.sheet_state = "hidden"
    _protect(sheet)
    pairs = [["key", "value"], *([key, _meta_value(content, key)] for key in layout.META_KEYS)]
    rows = iter([list(layout.META_RECORD_HEADERS), *records])
    for pair in pairs:
        sheet.append([*pair, None, *next(rows, [])])
    for row in rows:
        sheet.append([None, None, None, *row])


def _meta_value(content: Content, key: str) -> str:
    if key == "app":
        return layout.APP
    if key == "template_version":
        return str(layout.TEMPLATE_VERSION)
    return str(getattr(content, key))
