"""The quarterly return workbook's layout (SPEC §3), described once for writing and reading.

Which sheets there are, which columns each data sheet has (from the records'
``FIELDS``), which vocabularies feed the drop-downs, how a record value is
written into a cell, and how a column found in a returned file is matched back
to its field (by HXL hashtag or header, ignoring case, spaces and order).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..model import Arrangement, Field, Partner, Record, Risk, vocab

# Bumped when a change to the layout would make older twintui misread a new file.
# 2 (issue 18): the Progress sheet. A twintui of version 1 reads the other sheets and ignores it, so it
# would mark a return received while dropping the progress it reports: it must refuse the file instead.
TEMPLATE_VERSION = 2
APP = "twintui"

INSTRUCTIONS, REGISTER, PARTNERS, RISKS, LISTS, META = "Instructions", "Register", "Partners", "Risks", "Lists", "_meta"
PROGRESS = "Progress"
SHEET_ORDER: tuple[str, ...] = (INSTRUCTIONS, REGISTER, PARTNERS, RISKS, PROGRESS, LISTS, META)
# The sheets an import reads; a file without one of them is not a return.
REQUIRED_SHEETS: tuple[str, ...] = (REGISTER, PARTNERS, RISKS, META)
DATA_SHEETS: tuple[str, ...] = (REGISTER, PARTNERS, RISKS)  # one row per record
# Read when the file has them: returns exported before the Progress sheet existed still import.
OPTIONAL_SHEETS: tuple[str, ...] = (PROGRESS,)

HEADER_ROW, HXL_ROW, FIRST_DATA_ROW = 1, 2, 3
LAST_ROW = 1_048_576  # Excel's last row: drop-downs and formats cover every row a user may fill

# Custom document properties (strings: LibreOffice turns integer properties into floats).
PROPERTY_VERSION = "twintui template version"
PROPERTY_EXPORT_ID = "twintui export id"

# Free-text fields that may run past 255 characters: they keep the General format,
# because Excel shows a Text-formatted cell that long as ####.
LONG_TEXT = frozenset({
    "learning_gap", "objectives", "outcomes", "best_practices", "lessons_learned", "description", "mitigation",
    "comment", "what",
})
YES_NO: tuple[str, ...] = ("yes", "no")


@dataclass(frozen=True, slots=True)
class VocabularyList:
    """One column of the Lists sheet and the defined name drop-downs refer to."""

    name: str  # defined name, e.g. list_status
    title: str
    entries: tuple[str, ...]


YES_NO_LIST = VocabularyList("list_yes_no", "Yes / no", YES_NO)
VOCABULARIES: tuple[VocabularyList, ...] = (
    VocabularyList("list_status", "Status", vocab.STATUSES),
    VocabularyList("list_activity_types", "Activity types", vocab.ACTIVITY_TYPES),
    VocabularyList("list_areas", "Resettlement areas", vocab.AREAS),
    YES_NO_LIST,
    VocabularyList("list_partner_types", "Partner types", vocab.PARTNER_TYPES),
    VocabularyList("list_partner_roles", "Partner roles", vocab.PARTNER_ROLES),
    VocabularyList("list_state_categories", "State categories", vocab.STATE_CATEGORIES),
    VocabularyList("list_risk_categories", "Risk categories", vocab.RISK_CATEGORIES),
    VocabularyList("list_risk_treatments", "Risk treatments", vocab.RISK_TREATMENTS),
    VocabularyList("list_risk_statuses", "Risk statuses", vocab.RISK_STATUSES),
    VocabularyList("list_objective_statuses", "Objective statuses", vocab.OBJECTIVE_STATUSES),
    VocabularyList("list_activity_states", "Activity states", vocab.ACTIVITY_STATES),
)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a data sheet: a record field, or bookkeeping (id, revision, parent title)."""

    key: str  # the record attribute, or "parent_title"
    header: str
    hxl: str
    field: Field | None = None  # None for id, rev and parent_title
    locked: bool = False  # filled by twintui; the user cannot type in it
    help: str = ""

    @property
    def kind(self) -> str:
        return self.field.kind if self.field else ("whole" if self.key == "rev" else "text")

    @property
    def width(self) -> float:
        if self.key in ("id", "arrangement"):
            return 14
        if self.key in ("rev", "last"):  # the Progress sheet's "Values from" holds a quarter
            return 9 if self.key == "rev" else 11
        if self.key in LONG_TEXT:
            return 48
        if self.key in ("title", "parent_title", "name"):
            return 40
        return {"date": 12, "bool": 10, "number": 14, "whole": 10, "quarter": 10, "currency": 9, "country": 10,
                "choice": 18, "choices": 36, "email": 28}.get(self.kind, 22)

    @property
    def number_format(self) -> str:
        """Dates as dates; short text as Text, so Excel keeps what is typed (no dates, numbers or formulas)."""
        if self.kind == "date":
            return "yyyy-mm-dd"
        if self.kind in ("number", "whole", "bool", "choices") or self.key in LONG_TEXT:
            return "General"
        return "@"

    @property
    def wraps(self) -> bool:
        """Whether its cells wrap (and grow their row) rather than run into the next column: text does."""
        return self.key not in ("id", "rev") and self.kind in ("text", "choices", "choice", "email")

    @property
    def vocabulary(self) -> VocabularyList | None:
        if self.kind == "bool":
            return YES_NO_LIST
        if self.field is None or not self.field.vocabulary:
            return None
        return next((v for v in VOCABULARIES if v.entries == self.field.vocabulary), None)


@dataclass(frozen=True, slots=True)
class SheetLayout:
    name: str
    cls: type[Record]
    columns: tuple[Column, ...]
    id_column: str  # header of the column holding the record's own id

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def table(self) -> str:
        return self.cls.TABLE


def _field_columns(cls: type[Record], skip: Iterable[str] = ()) -> tuple[Column, ...]:
    return tuple(Column(f.name, f.label, f.hxl, f, help=f.help) for f in cls.FIELDS if f.name not in skip)


def _child_layout(name: str, cls: type[Record], id_header: str, id_hxl: str, what: str) -> SheetLayout:
    link = cls.field("arrangement")
    return SheetLayout(name, cls, (
        Column("arrangement", link.label, link.hxl, link,
               help=f"Record ID of the arrangement this {what} belongs to; blank for a new arrangement"),
        Column("parent_title", "Arrangement title", "#activity+name",
               help="For a new arrangement (no Record ID yet): its Title exactly as in the Register sheet"),
        Column("id", id_header, id_hxl, locked=True, help=f"Filled by twintui; blank for a new {what}"),
        Column("rev", "Revision", "#meta+rev", locked=True, help="Filled by twintui"),
        *_field_columns(cls, skip=("arrangement",)),
    ), id_header)


SHEETS: tuple[SheetLayout, ...] = (
    SheetLayout(REGISTER, Arrangement, (
        Column("id", "Record ID", "#meta+id", locked=True, help="Filled by twintui; leave blank for a new arrangement"),
        Column("rev", "Revision", "#meta+rev", locked=True, help="Filled by twintui"),
        *_field_columns(Arrangement),
    ), "Record ID"),
    _child_layout(PARTNERS, Partner, "Partner ID", "#meta+id+partner", "partner"),
    _child_layout(RISKS, Risk, "Risk ID", "#meta+id+risk", "risk"),
)
LAYOUTS: dict[str, SheetLayout] = {s.name: s for s in SHEETS}

# The _meta sheet: key/value pairs in columns A:B, one row per exported record in D:H.
META_KEYS: tuple[str, ...] = ("app", "template_version", "kind", "state", "quarter", "export_id", "exported_at",
                              "exported_by")
META_RECORD_HEADERS: tuple[str, ...] = ("table", "record", "revision", "content hash", "cells hash")
META_RECORD_COLUMN = 3  # zero-based: column D


# Control characters XML 1.0 cannot hold (openpyxl refuses them): a vertical tab or a bell
# pasted from a word processor is left out of the cell. The same set as openpyxl's
# ILLEGAL_CHARACTERS_RE, kept here so that reading a return never loads openpyxl.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_value(field: Field | None, value: Any) -> Any:
    """What a record value is written as: text, a number or a date; None leaves the cell empty."""
    if value is None or value == "" or value == []:
        return None
    kind = field.kind if field else ""
    if kind == "choices":
        return "; ".join(value)
    if kind == "bool":
        return "yes" if value else "no"
    if isinstance(value, str):
        return _NOT_IN_XML.sub("", value)
    return value


def row_values(layout: SheetLayout, record: Record, parent_title: str = "") -> list[Any]:
    """A record's cells in the sheet's column order."""
    values = []
    for column in layout.columns:
        if column.key == "parent_title":
            values.append(cell_value(None, parent_title))
        elif column.field is None:
            values.append(cell_value(None, getattr(record, column.key)))
        else:
            values.append(cell_value(column.field, getattr(record, column.key)))
    return values


def read_back(value: Any) -> Any:
    """A written value as python-calamine returns it: numbers as floats, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def cells_digest(values: Sequence[Any]) -> str:
    """A short hash of a row's cells as read back; equal to the export's means the row is untouched."""
    return hashlib.sha256(orjson.dumps(values)).hexdigest()[:16]


def records_digest(rows: Iterable[tuple[str, str, int, str, str]]) -> str:
    """A hash of _meta's list of exported records (table, key, revision, content and cells hash), in any order.

    The register keeps it with the export, so an edited list (a revision raised to hide a
    conflict) is told from the one the export wrote.
    """
    canonical = sorted([str(table), str(key), int(rev), str(content), str(cells)]
                       for table, key, rev, content, cells in rows)
    return hashlib.sha256(orjson.dumps(canonical)).hexdigest()[:32]


# -- matching a returned file's columns --------------------------------------------

def normal_header(text: Any) -> str:
    return "".join(str(text).split()).casefold() if text is not None else ""


def normal_hxl(text: Any) -> str:
    """'#Meta +ID' and '#meta+id' are the same tag; attribute order does not matter either."""
    raw = "".join(str(text).split()).casefold() if text is not None else ""
    if not raw.startswith("#"):
        return ""
    tag, *attributes = raw.split("+")
    return "+".join([tag, *sorted({a for a in attributes if a})])


def is_hxl_row(values: Sequence[Any]) -> bool:
    """Whether a row holds HXL hashtags (a user may have deleted that row)."""
    tags = [v for v in values if isinstance(v, str) and v.strip()]
    return bool(tags) and sum(v.strip().startswith("#") for v in tags) * 2 >= len(tags)


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """Where a layout's columns are in a returned sheet."""

    positions: dict[str, int]  # column key -> zero-based index in the file
    unknown: tuple[tuple[int, str], ...]  # (index, header) of columns twintui does not know
    duplicates: tuple[tuple[int, str], ...]  # (index, header) of a second column for the same field
    missing: tuple[Column, ...]
    has_hxl: bool

    def canonical(self, layout: SheetLayout) -> list[int] | None:
        """File positions in the layout's column order, when every column is there."""
        if self.missing:
            return None
        return [self.positions[c.key] for c in layout.columns]


def match_columns(layout: SheetLayout, headers: Sequence[Any], hxl: Sequence[Any] | None) -> ColumnMatch:
    by_hxl = {normal_hxl(c.hxl): c for c in layout.columns}
    by_header = {normal_header(c.header): c for c in layout.columns}
    positions: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    duplicates: list[tuple[int, str]] = []
    width = max(len(headers), len(hxl or ()))
    for index in range(width):
        header = headers[index] if index < len(headers) else ""
        tag = hxl[index] if hxl is not None and index < len(hxl) else ""
        column = by_hxl.get(normal_hxl(tag)) or by_header.get(normal_header(header))
        label = str(header).strip() or str(tag).strip()
        if column is None:
            if label:
                unknown.append((index, label))
        elif column.key in positions:
            duplicates.append((index, label))
        else:
            positions[column.key] = index
    missing = tuple(c for c in layout.columns if c.key not in positions)
    return ColumnMatch(positions, tuple(unknown), tuple(duplicates), missing, hxl is not None)


def column_letter(index: int) -> str:
    """Spreadsheet letters of a zero-based column index (0 → A, 27 → AB)."""
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def json_value(value: Any) -> Any:
    """A cell value as JSON: dates as ISO text, the rest as read."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value
