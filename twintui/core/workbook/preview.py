"""Comparing returned workbooks with the store: what an import would change, and what is wrong.

For every row of Register, Partners and Risks the preview says whether it is a
new record, a change (field by field, register value → file value), unchanged,
a conflict (the register changed since the export and the file changes it too)
or invalid (each problem with its cell, e.g. ``Register!F7``). Records of the
return's scope that are not in the file are listed as missing; they are never
deleted.

A row whose cells hash to what the export wrote (the ``cells hash`` in _meta)
was not touched and is unchanged without being parsed: that keeps a
10,000-row return within twice the time of parsing it. Any other row is compared
cell by cell with the stored record; only the cells that differ are parsed and
validated against the model, so spreadsheet quirks (dates as serial numbers,
TRUE for yes, 3.0 for 3) in cells nobody edited never show up as changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..model import Arrangement, Field, Problem, Record, build, coerce
from ..store import Store
from . import layout
from .layout import ColumnMatch, SheetLayout
from .read import MetaRecord, ReturnFile
from .returns import QuarterlyReturn

Progress = Callable[[str, int, int], None]  # (stage, done, total)

NEW, CHANGED, UNCHANGED, CONFLICT, INVALID = "new", "changed", "unchanged", "conflict", "invalid"
# Stands for the id of a new arrangement while its partners and risks are checked.
NEW_PARENT = "(new arrangement)"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One problem in a returned file, where a user can find and fix it."""

    sheet: str
    cell: str  # Register!F7, or Register!7:7 for a whole row, Register!1:1 for the headers
    column: str
    value: Any
    message: str
    severity: str = "error"  # errors block the import; warnings are shown

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "cell": self.cell, "column": self.column,
                "value": layout.json_value(self.value), "message": self.message}

    def __str__(self) -> str:
        shown = f" {layout.json_value(self.value)!r}" if self.value not in ("", None) else ""
        where = f"{self.cell} {self.column}{shown}".strip()
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field an import changes: the register's value and the file's, as displayed."""

    field: str
    column: str
    old: str
    new: str


@dataclass(eq=False)
class RowChange:
    """One row of a returned file that is not unchanged."""

    status: str  # new, changed, conflict or invalid
    table: str  # arrangements, partners, risks
    sheet: str
    row: int
    key: str  # the record's key; '' for a new record
    title: str  # what the row is about, for a person reading the preview
    changes: list[FieldChange] = field(default_factory=list)  # conflicts: register value → file value
    problems: list[CellProblem] = field(default_factory=list)
    record: Record | None = None  # what apply saves (new and changed rows)
    parent: RowChange | None = None  # a new partner's or risk's new arrangement
    note: str = ""  # why a row is a conflict

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.row}:{self.row}"

    @property
    def errors(self) -> list[CellProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[CellProblem]:
        return [p for p in self.problems if not p.is_error]


@dataclass(frozen=True, slots=True)
class MissingRecord:
    """A record in the return's scope that the file does not have (kept in the register)."""

    table: str
    key: str
    title: str


@dataclass(eq=False)
class FilePreview:
    file: ReturnFile
    rows: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[CellProblem] = field(default_factory=list)  # about the file or a sheet, not one row
    missing: list[MissingRecord] = field(default_factory=list)

    def _with(self, status: str) -> list[RowChange]:
        return [r for r in self.rows if r.status == status]

    @property
    def new(self) -> list[RowChange]:
        return self._with(NEW)

    @property
    def changed(self) -> list[RowChange]:
        return self._with(CHANGED)

    @property
    def conflicts(self) -> list[RowChange]:
        return self._with(CONFLICT)

    @property
    def invalid(self) -> list[RowChange]:
        return self._with(INVALID)

    @property
    def errors(self) -> list[CellProblem]:
        return [p for p in self.problems if p.is_error] + [p for r in self.rows for p in r.errors]

    @property
    def warnings(self) -> list[CellProblem]:
        return [p for p in self.problems if not p.is_error] + [p for r in self.rows for p in r.warnings]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts

    def to_json(self) -> dict[str, Any]:
        """The file's entry in ``twintui import --json`` (SPEC §4)."""
        return {
            "path": str(self.file.path), "sha256": self.file.sha256, "new": len(self.new),
            "changed": len(self.changed), "unchanged": self.unchanged, "conflicts": len(self.conflicts),
            "errors": [p.to_json() for p in self.errors],
        }


@dataclass(eq=False)
class Preview:
    files: list[FilePreview]

    @property
    def ok(self) -> bool:
        """Whether it can be applied: no errors and no conflicts in any file."""
        return all(f.ok for f in self.files)

    @property
    def has_changes(self) -> bool:
        return any(r.status in (NEW, CHANGED) for f in self.files for r in f.rows)

    def to_json(self, applied: bool = False) -> dict[str, Any]:
        return {"applied": applied, "files": [f.to_json() for f in self.files]}


def preview(store: Store, files: Iterable[ReturnFile], progress: Progress | None = None) -> Preview:
    """Compare every file with the store (read only; nothing is written)."""
    from .. import access

    files = list(files)
    snapshot = _Snapshot(store)
    # A focal point imports only their states' returns (the store refuses the rest anyway, at apply).
    snapshot.access = who = access.current(store)
    total = sum(sheet.height for f in files for sheet in f.sheets.values())
    counter = _Counter(progress, total)
    previews = []
    # Files already applied, by content: applying one again would add its new rows a second time.
    received = {r.received_sha256: r for r in store.all(QuarterlyReturn) if r.received_sha256}
    for number, file in enumerate(files):
        twin = next((f for f in files[:number] if f.sha256 == file.sha256), None)
        if twin is not None:
            # The same file twice would add its new records twice.
            previews.append(FilePreview(file, problems=[CellProblem(
                "", "", "", "", f"the same file as {twin.path} (identical content); give each return once")]))
            continue
        if (earlier := received.get(file.sha256)) is not None:
            previews.append(FilePreview(file, problems=[CellProblem(
                "", "", "", "", f"this file was already imported on {earlier.received_at[:10]} by "
                f"{earlier.received_by} (return {earlier.id}); importing it again would add its new rows twice. "
                "Export a fresh return to make further changes")]))
            continue
        if (refusal := _refused(who, file)) is not None:
            previews.append(FilePreview(file, problems=[CellProblem("", "", "", "", refusal)]))
            continue
        previews.append(_FileComparison(snapshot, file, counter).run())
    counter.finish()
    return Preview(previews)


def _refused(who: Any, file: ReturnFile) -> str | None:
    """Why the user may not import this file at all (a read-only user, another state's return)."""
    if who.single_user:
        return None
    if who.read_only:
        return f"{who.user} may not import returns ({who.describe()}); nothing was written"
    state = file.meta.state
    if file.meta.kind == "state" and state and not who.can_edit_state(state):
        return (f"this is {state}'s return and {who.user} does not answer for {state} ({who.describe()}); "
                "nothing was written")
    return None


class _Counter:
    """Reports progress every few thousand rows (a callback per row would cost more than the row)."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def step(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % 2000 == 0:
            self.progress("comparing", self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress("comparing", self.total, self.total)


class _Snapshot:
    """The store's records by key, read once for all files, and which file changes which record."""

    def __init__(self, store: Store):
        # (state, normalised title) -> id of the stored arrangements, for spotting a row added twice.
        self.titles: dict[tuple[Any, str], str] | None = None
        self.docs: dict[str, dict[str, dict[str, Any]]] = {}
        self.children: dict[str, dict[str, list[str]]] = {}
        for sheet_layout in layout.SHEETS:
            cls = sheet_layout.cls
            by_key: dict[str, dict[str, Any]] = {}
            if cls.PARENT:
                under: dict[str, list[str]] = defaultdict(list)
                for doc in store.docs(cls):
                    key = f"{doc.get(cls.PARENT)}/{doc.get('id')}"
                    by_key[key] = doc
                    under[str(doc.get(cls.PARENT))].append(key)
                self.children[cls.TABLE] = under
            else:
                by_key = {doc.get("id"): doc for doc in store.docs(cls)}
            self.docs[cls.TABLE] = by_key
        self.claimed: dict[tuple[str, str], ReturnFile] = {}  # (table, key) -> the file that changes it
        self.access: Any = None  # twintui.core.access.Access of the importing user

    def record(self, cls: type[Record], key: str) -> Record | None:
        doc = self.docs[cls.TABLE].get(key)
        return None if doc is None else cls.from_doc(doc)


@dataclass(eq=False)
class _Title:
    """An arrangement a partner or risk row can name in 'Arrangement title'."""

    id: str = ""
    row: RowChange | None = None  # a new arrangement


class _FileComparison:
    def __init__(self, snapshot: _Snapshot, file: ReturnFile, counter: _Counter):
        self.snapshot, self.file, self.counter = snapshot, file, counter
        self.meta = file.meta
        self.result = FilePreview(file)
        self.seen: dict[str, dict[str, int]] = defaultdict(dict)  # table -> key -> row
        self.titles: dict[str, list[_Title]] = defaultdict(list)

    def run(self) -> FilePreview:
        for sheet_layout in layout.SHEETS:
            self._sheet(sheet_layout)
        self._missing()
        return self.result

    # -- sheets ----------------------------------------------------------------
    def _sheet(self, sheet_layout: SheetLayout) -> None:
        data = self.file.sheets[sheet_layout.name]
        match = layout.match_columns(sheet_layout, data.headers, data.hxl)
        if not self._check_columns(sheet_layout, data.headers, match):
            return
        rows = _Rows(self, sheet_layout, match)
        for number, cells in data.rows():
            rows.row(number, cells)
            self.counter.step()

    def _check_columns(self, sheet_layout: SheetLayout, headers: list[Any], match: ColumnMatch) -> bool:
        name = sheet_layout.name
        problems = self.result.problems
        for index, label in match.unknown:
            problems.append(CellProblem(name, f"{name}!{layout.column_letter(index)}1", label, "",
                                        "not a column of the return; ignored", "warning"))
        for index, label in match.duplicates:
            problems.append(CellProblem(name, f"{name}!{layout.column_letter(index)}1", label, "",
                                        "a second column for the same field; ignored", "warning"))
        if not match.has_hxl:
            problems.append(CellProblem(name, f"{name}!2:2", "", "", "row 2 holds no HXL hashtags; "
                                        "data is read from row 2", "warning"))
        essential = {"id"} | ({"arrangement"} if sheet_layout.cls.PARENT else set())
        lost = [c for c in match.missing if c.key in essential]
        if lost:
            for column in lost:
                problems.append(CellProblem(name, f"{name}!1:1", column.header, "",
                                            f"the {column.header} column ({column.hxl}) is missing; "
                                            "restore it from the exported file"))
            return False
        for column in match.missing:
            if column.field is not None:
                problems.append(CellProblem(name, f"{name}!1:1", column.header, "",
                                            f"the {column.header} column is missing; its values are left as they "
                                            "are in the register", "warning"))
        return True

    def _missing(self) -> None:
        docs = self.snapshot.docs
        arrangements = docs[Arrangement.TABLE]
        present = self.seen[Arrangement.TABLE]
        if self.meta.kind == "state":
            scope = [k for k, d in arrangements.items() if d.get("reporting_state") == self.meta.state]
        elif self.meta.kind == "register":
            scope = list(arrangements)
        else:
            scope = []
        missing = self.result.missing
        for key in scope:
            if key not in present:
                missing.append(MissingRecord(Arrangement.TABLE, key, str(arrangements[key].get("title", ""))))
        for sheet_layout in layout.SHEETS[1:]:
            table = sheet_layout.table
            seen = self.seen[table]
            title_field = _title_field(sheet_layout.cls)
            for arrangement_id in present:
                for key in self.snapshot.children[table].get(arrangement_id, ()):
                    if key not in seen:
                        missing.append(MissingRecord(table, key, str(docs[table][key].get(title_field, ""))))


def _title_field(cls: type[Record]) -> str:
    return {"arrangements": "title", "partners": "name", "risks": "description"}.get(cls.TABLE, "id")


class _Rows:
    """The rows of one sheet of one file."""

    def __init__(self, comparison: _FileComparison, sheet_layout: SheetLayout, match: ColumnMatch):
        self.c = comparison
        self.cls = sheet_layout.cls
        self.table = sheet_layout.table
        self.name = sheet_layout.name
        self.positions = match.positions
        self.canonical = match.canonical(sheet_layout)
        self.fields: list[tuple[Field, int]] = [
            (column.field, match.positions[column.key]) for column in sheet_layout.columns
            if column.field is not None and column.key in match.positions
        ]
        self.id_at = match.positions["id"]
        self.title_at = match.positions.get("parent_title" if sheet_layout.cls.PARENT else "title")
        self.headers = {column.key: column.header for column in sheet_layout.columns}
        self.meta_records = comparison.meta.records

    def get(self, cells: list[Any], key: str) -> Any:
        index = self.positions.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    # -- one row ---------------------------------------------------------------
    def row(self, number: int, cells: list[Any]) -> None:
        own_id = cells[self.id_at] if self.id_at < len(cells) else ""
        own_id = own_id.strip() if isinstance(own_id, str) else coerce.text(own_id)
        if not own_id:
            if all(coerce.is_blank(cells[i]) for i in self.positions.values() if i < len(cells)):
                return
            self._new(number, cells)
            return
        link = ""
        if self.cls.PARENT:
            link = coerce.text(self.get(cells, "arrangement"))
            key = f"{link}/{own_id}"
            if not link:
                self._add(INVALID, number, "", cells, problems=[self._problem(
                    number, "arrangement", "", f"give the Record ID of the arrangement {own_id} belongs to")])
                return
        else:
            key = own_id
            self._remember_title(cells, own_id)
        seen = self.c.seen[self.table]
        if key in seen:
            self._add(INVALID, number, key, cells, problems=[self._problem(
                number, "id", own_id, f"{key} is also in row {seen[key]}; give each record one row")])
            return
        seen[key] = number
        if self._untouched(key, cells):
            self.c.result.unchanged += 1
            return
        self._existing(number, cells, key, own_id, link)

    def _untouched(self, key: str, cells: list[Any]) -> bool:
        """The fast path: the row's cells are exactly what the export wrote, and the record still exists."""
        meta = self.meta_records.get((self.table, key))
        if meta is None or self.canonical is None or key not in self.c.snapshot.docs[self.table]:
            return False
        try:
            return layout.cells_digest([cells[i] for i in self.canonical]) == meta.cells_hash
        except (TypeError, IndexError, orjson.JSONEncodeError):
            return False  # a cell type the export never writes (a time of day): compare the slow way

    def _remember_title(self, cells: list[Any], arrangement_id: str) -> None:
        if self.title_at is not None and self.title_at < len(cells):
            title = _norm_title(cells[self.title_at])
            if title:
                self.c.titles[title].append(_Title(id=arrangement_id))

    def _existing(self, number: int, cells: list[Any], key: str, own_id: str, link: str) -> None:
        cls = self.cls
        base = self.c.snapshot.record(cls, key)
        meta = self.meta_records.get((self.table, key))
        if base is None:
            self._unknown(number, cells, key, own_id, link, meta)
            return
        touched = {f.name: cells[i] for f, i in self.fields
                   if i < len(cells) and not _same(cells[i], layout.cell_value(f, getattr(base, f.name)))}
        if not touched:
            self.c.result.unchanged += 1
            return
        record, problems = build(cls, touched, base)
        cell_problems = self._problems(number, cells, problems) + self._scope(number, cells, record)
        differences = record.differences(base)
        if any(p.is_error for p in cell_problems):
            # Shown with the changes it asks for (those that parse), so the fix is made knowing them.
            self._add(INVALID, number, key, cells, problems=cell_problems, record=record,
                      changes=[self._change(name, old, new) for name, (old, new) in differences.items()])
            return
        if not differences:
            self.c.result.unchanged += 1
            return
        changes = [self._change(name, old, new) for name, (old, new) in differences.items()]
        exported_rev = meta.rev if meta is not None else coerce.whole(_or_none(self.get(cells, "rev")))
        register_changed = exported_rev is not None and base.rev != exported_rev and (
            meta is None or base.content_hash() != meta.content_hash)
        if register_changed:
            everything = {f.name: cells[i] for f, i in self.fields if i < len(cells)}
            as_exported = build(cls, everything, base)[0]
            if meta is not None and as_exported.content_hash() == meta.content_hash:
                self.c.result.unchanged += 1  # the file holds the exported version; the register's is newer
                return
            who = f"{base.updated_by} on {base.updated_at[:10]}" if base.updated_by else "someone"
            self._add(CONFLICT, number, key, cells, changes=changes, problems=cell_problems,
                      note=f"changed in the register by {who} (revision {exported_rev} → {base.rev}) since this "
                           "return was exported, and changed in the file too")
            return
        claimed = self.c.snapshot.claimed.get((self.table, key))
        if claimed is not None and claimed is not self.c.file:
            self._add(CONFLICT, number, key, cells, changes=changes, problems=cell_problems,
                      note=f"also changed by {claimed.name} in this import")
            return
        self.c.snapshot.claimed[(self.table, key)] = self.c.file
        self._add(CHANGED, number, key, cells, changes=changes, problems=cell_problems, record=record)

    def _unknown(self, number: int, cells: list[Any], key: str, own_id: str, link: str,
                 meta: MetaRecord | None) -> None:
        what = self.cls.__name__.lower()
        if meta is not None:
            # Deleted from the register since the export: fine if the file left the row as exported.
            everything = {f.name: cells[i] for f, i in self.fields if i < len(cells)}
            if build(self.cls, everything, self.cls(id=own_id))[0].content_hash() == meta.content_hash:
                self.c.result.problems.append(self._row_problem(
                    number, f"{key} was deleted from the register since this return was exported; row skipped",
                    "warning"))
                return
            self._add(CONFLICT, number, key, cells, note=f"{key} was deleted from the register since this return "
                      "was exported, and the file changes it (clear its ID to add it again as a new record)")
            return
        if self.cls.PARENT and link not in self.c.snapshot.docs[Arrangement.TABLE]:
            self._add(INVALID, number, key, cells, problems=[self._problem(
                number, "arrangement", link, f"there is no arrangement {link} in the register")])
            return
        self._add(INVALID, number, key, cells, problems=[self._problem(
            number, "id", own_id, f"there is no {what} {key} in the register; leave the ID blank to add a new {what}")])

    def _new(self, number: int, cells: list[Any]) -> None:
        cls, meta = self.cls, self.c.meta
        raw = {f.name: cells[i] for f, i in self.fields if i < len(cells)}
        problems: list[CellProblem] = []
        parent: RowChange | None = None
        if cls is Arrangement:
            if meta.state and coerce.is_blank(raw.get("reporting_state")):
                raw["reporting_state"] = meta.state  # a state's return: new rows are that state's
            if meta.quarter and coerce.is_blank(raw.get("reported_quarter")):
                raw["reported_quarter"] = meta.quarter
        else:
            link, parent, problems = self._parent(number, cells)
            raw["arrangement"] = link or NEW_PARENT
        record, found = build(cls, raw)
        problems += self._problems(number, cells, found) + self._scope(number, cells, record)
        if cls is Arrangement and (twin := self._same_title(record)):
            problems.append(self._problem(number, "title", record.title,
                                          f"{twin} in the register has this title already: if this row is that "
                                          "arrangement, put its Record ID in column A instead of adding it again",
                                          "warning"))
        status = INVALID if any(p.is_error for p in problems) else NEW
        if parent is not None and parent.status == INVALID:
            # Not an error of this row: the arrangement's errors already block the import.
            problems.append(self._row_problem(number, f"its arrangement (Register row {parent.row}) has errors",
                                              "warning"))
        row = self._add(status, number, "", cells, problems=problems, record=record,
                        changes=[self._change(n, None, v) for n, (_, v) in record.differences(None).items()])
        row.parent = parent
        if cls is Arrangement:
            title = _norm_title(raw.get("title"))
            if title:
                self.c.titles[title].append(_Title(row=row))

    def _same_title(self, record: Record) -> str | None:
        """The id of a stored arrangement of the same state with the same title, if any."""
        snapshot = self.c.snapshot
        if snapshot.titles is None:  # built on the first new row, once for all files
            snapshot.titles = {(doc.get("reporting_state"), _norm_title(doc.get("title"))): str(doc["id"])
                               for doc in snapshot.docs[Arrangement.TABLE].values()}
        return snapshot.titles.get((getattr(record, "reporting_state", None), _norm_title(getattr(record, "title", ""))))

    def _parent(self, number: int, cells: list[Any]) -> tuple[str, RowChange | None, list[CellProblem]]:
        """The arrangement a new partner or risk belongs to: by Record ID, or by a title in Register."""
        link = coerce.text(self.get(cells, "arrangement"))
        if link:
            if link not in self.c.snapshot.docs[Arrangement.TABLE]:
                return link, None, [self._problem(number, "arrangement", link,
                                                  f"there is no arrangement {link} in the register")]
            return link, None, []
        title = self.get(cells, "parent_title")
        if coerce.is_blank(title):
            return "", None, [self._problem(number, "arrangement", "", "give the Record ID of the arrangement, or "
                                            "the Title of a new one (as in Register) in 'Arrangement title'")]
        found = self.c.titles.get(_norm_title(title), [])
        if not found:
            return "", None, [self._problem(number, "parent_title", title,
                                            "no arrangement in the Register sheet has this title")]
        if len(found) > 1:
            return "", None, [self._problem(number, "parent_title", title, "several arrangements in the Register "
                                            "sheet have this title; give the Record ID instead")]
        return found[0].id, found[0].row, []

    def _scope(self, number: int, cells: list[Any], record: Record) -> list[CellProblem]:
        """A state's return adds and changes only that state's arrangements; a user, only their states'."""
        state = self.c.meta.state
        if not state or self.c.meta.kind != "state":
            return self._answerable(number, cells, record)
        if isinstance(record, Arrangement):
            if record.reporting_state and record.reporting_state != state:
                return [self._problem(number, "reporting_state", self.get(cells, "reporting_state") or
                                      record.reporting_state,
                                      f"this is {state}'s return; it cannot add or move arrangements of "
                                      f"{record.reporting_state}")]
            return []
        link = getattr(record, "arrangement", "")
        parent = self.c.snapshot.docs[Arrangement.TABLE].get(link)
        if parent is not None and parent.get("reporting_state") != state:
            return [self._problem(number, "arrangement", link,
                                  f"{link} is an arrangement of {parent.get('reporting_state')}, not of {state}")]
        return []

    def _answerable(self, number: int, cells: list[Any], record: Record) -> list[CellProblem]:
        """A register (or template) file: each row only of a state the user answers for."""
        who = self.c.snapshot.access
        if who is None or who.single_user:
            return []
        if isinstance(record, Arrangement):
            state, key = record.reporting_state, "reporting_state"
            before = self.c.snapshot.docs[Arrangement.TABLE].get(record.id) if record.id else None
            states = {state, before.get("reporting_state") if before else state}
        else:
            key = "arrangement"
            parent = self.c.snapshot.docs[Arrangement.TABLE].get(getattr(record, "arrangement", ""))
            if parent is None:
                return []  # a new arrangement's row: checked on its own row
            states = {parent.get("reporting_state")}
        other = sorted(s for s in states if s and not who.can_edit_state(s))
        if not other:
            return []
        return [self._problem(number, key, self.get(cells, key) or other[0],
                              f"{who.user} does not answer for {', '.join(other)} ({who.describe()})")]

    # -- building the preview's entries ------------------------------------------
    def _add(self, status: str, number: int, key: str, cells: list[Any], *, changes: list[FieldChange] | None = None,
             problems: list[CellProblem] | None = None, record: Record | None = None, note: str = "") -> RowChange:
        row = RowChange(status, self.table, self.name, number, key, self._describe(cells, record),
                        changes or [], problems or [], record if status in (NEW, CHANGED) else None, note=note)
        self.c.result.rows.append(row)
        return row

    def _describe(self, cells: list[Any], record: Record | None) -> str:
        name = _title_field(self.cls)
        value = getattr(record, name, "") if record is not None else ""
        return coerce.text(value or self.get(cells, name))[:80]

    def _change(self, name: str, old: Any, new: Any) -> FieldChange:
        spec = self.cls.field(name)
        return FieldChange(name, spec.label, _display(spec, old), _display(spec, new))

    def _problems(self, number: int, cells: list[Any], problems: list[Problem]) -> list[CellProblem]:
        out = []
        for problem in problems:
            key = problem.field if problem.field in self.positions else None
            value = self.get(cells, key) if key else problem.value
            if key is None:
                out.append(self._row_problem(number, problem.message, problem.severity, problem.field, value))
            else:
                out.append(self._problem(number, key, value, problem.message, problem.severity))
        return out

    def _problem(self, number: int, key: str, value: Any, message: str, severity: str = "error") -> CellProblem:
        index = self.positions.get(key)
        if index is None:
            return self._row_problem(number, message, severity, key, value)
        return CellProblem(self.name, f"{self.name}!{layout.column_letter(index)}{number}",
                           self.headers.get(key, key), value, message, severity)

    def _row_problem(self, number: int, message: str, severity: str = "error", key: str = "",
                     value: Any = "") -> CellProblem:
        header = self.headers.get(key, key)
        return CellProblem(self.name, f"{self.name}!{number}:{number}", header, value, message, severity)


def _display(spec: Field, value: Any) -> str:
    """A stored (JSON) value as people read it."""
    return spec.display(spec.from_doc(value)) if value is not None else ""


def _norm_title(value: Any) -> str:
    return " ".join(coerce.text(value).split()).casefold()


def _or_none(value: Any) -> Any:
    return None if coerce.is_blank(value) else value


def _norm(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _same(cell: Any, expected: Any) -> bool:
    """Whether a cell still holds what the export would write, up to what spreadsheets do to cells."""
    return cell == expected or _norm(cell) == _norm(expected)
