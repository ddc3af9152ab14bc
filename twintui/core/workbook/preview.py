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

Before that, each file's _meta is checked against the export the register
recorded (``submissions``), and a return already received is compared as a
second submission: its rows that the first one created are those records, never
new ones. What a cell may hold that must not be taken as it is (formulas, error
values, merged ranges, control characters, 1904 serial dates) is in ``cells``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ..model import Arrangement, Record
from ..model.returns import ReturnExport
from ..store import Store
from ..store.policy import Access
from ..store.tables import TABLES as TABLE_CLASSES
from . import layout
from .cells import CellProblem
from .entries import title_field
from .layout import ColumnMatch, SheetLayout
from .outcome import FilePreview, MissingRecord, Preview
from .read import MetaRecord, ReturnFile
from .progress_import import TABLES as PROGRESS_TABLES
from .progress_import import ProgressRows, ProgressSnapshot
from .progress_layout import COLUMNS as PROGRESS_COLUMNS
from .rows import SheetRows, Title
from .submissions import Baseline, recorded_export

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def preview(store: Store, files: Iterable[ReturnFile], progress: Progress | None = None) -> Preview:
    """Compare every file with the store (read only; nothing is written)."""
    files = list(files)
    snapshot = _Snapshot(store)
    # A focal point imports only their states' returns (the store refuses the rest anyway, at apply).
    snapshot.access = who = store.access()
    total = sum(sheet.height for f in files for sheet in f.sheets.values())
    counter = _Counter(progress, total)
    previews = []
    for number, file in enumerate(files):
        earlier = files[:number]
        # Two copies of one return in one import would add its new records twice.
        if (twin := next((f for f in earlier if f.sha256 == file.sha256), None)) is not None:
            previews.append(_refusal(file, f"the same file as {twin.path} (identical content); give each return "
                                           "once"))
            continue
        if file.meta.export_id and (twin := next((f for f in earlier if f.meta.export_id == file.meta.export_id),
                                                 None)) is not None:
            previews.append(_refusal(file, f"a second copy of the return in {twin.path} (export id "
                                           f"{file.meta.export_id}); import one of them"))
            continue
        export, refusal = recorded_export(store, file)
        if refusal:
            previews.append(_refusal(file, refusal, not_a_return=True))
            continue
        if (refusal := _refused(who, file)) is not None:
            previews.append(_refusal(file, refusal))
            continue
        previews.append(FileComparison(snapshot, file, counter, export).run())
    counter.finish()
    return Preview(previews)


def _refusal(file: ReturnFile, reason: str, not_a_return: bool = False) -> FilePreview:
    """A file that is not compared at all: the reason is its one error."""
    return FilePreview(file, problems=[CellProblem("", "", "", "", reason)], refused=reason, not_a_return=not_a_return)


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
        self.store = store
        self.progress: ProgressSnapshot | None = None  # read on the first file with a Progress sheet
        self.claimed: dict[tuple[str, str], ReturnFile] = {}  # (table, key) -> the file that changes it
        self.access: Access | None = None  # of the importing user

    def progress_of(self) -> ProgressSnapshot:
        if self.progress is None:
            for table in PROGRESS_TABLES:
                cls = TABLE_CLASSES[table]
                self.docs[table] = {f"{doc.get('arrangement')}/{doc.get('id')}": doc for doc in self.store.docs(cls)}
            self.progress = ProgressSnapshot.of(self.store)
        return self.progress

    def record(self, cls: type[Record], key: str) -> Record | None:
        doc = self.docs[cls.TABLE].get(key)
        return None if doc is None else cls.from_doc(doc)


class FileComparison:
    def __init__(self, snapshot: _Snapshot, file: ReturnFile, counter: _Counter, export: ReturnExport | None):
        self.snapshot, self.file, self.counter = snapshot, file, counter
        self.meta = file.meta
        self.result = FilePreview(file, export=export)
        self.seen: dict[str, dict[str, int]] = defaultdict(dict)  # table -> key -> row
        self.titles: dict[str, list[Title]] = defaultdict(list)
        self.unsure: set[str] = set()  # tables whose rows' records cannot all be told (merged ID cells)
        # A second submission is compared with what the earlier ones left, not with the export.
        self.baseline = Baseline.of(export)
        self.meta_records = file.meta.records if not self.baseline.saved else {
            **file.meta.records,
            **{key: MetaRecord(rev, content_hash, "") for key, (rev, content_hash) in self.baseline.saved.items()}}

    def run(self) -> FilePreview:
        for sheet_layout in layout.SHEETS:
            self._sheet(sheet_layout)
        if layout.PROGRESS in self.file.sheets:  # an older return has none
            self._progress()
        self._missing()
        return self.result

    def _progress(self) -> None:
        data = self.file.sheets[layout.PROGRESS]
        match = layout.match_columns(layout.SheetLayout(layout.PROGRESS, Record, PROGRESS_COLUMNS, "Progress ID"),
                                     data.headers, data.hxl)
        if not self._check_columns(layout.PROGRESS, {"id", "arrangement"}, match):
            return
        rows = ProgressRows(self, match, self.snapshot.progress_of())
        for number, cells in data.rows():
            rows.row(number, cells)
            self.counter.step()

    # -- sheets ----------------------------------------------------------------
    def _sheet(self, sheet_layout: SheetLayout) -> None:
        data = self.file.sheets[sheet_layout.name]
        match = layout.match_columns(sheet_layout, data.headers, data.hxl)
        essential = {"id"} | ({"arrangement"} if sheet_layout.cls.PARENT else set())
        if not self._check_columns(sheet_layout.name, essential, match):
            return
        rows = SheetRows(self, sheet_layout, match)
        for number, cells in data.rows():
            rows.row(number, cells)
            self.counter.step()

    def _check_columns(self, name: str, essential: set[str], match: ColumnMatch) -> bool:
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
        if Arrangement.TABLE in self.unsure:
            scope = []
        for key in scope:
            if key not in present:
                missing.append(MissingRecord(Arrangement.TABLE, key, str(arrangements[key].get("title", ""))))
        for sheet_layout in layout.SHEETS[1:]:
            table = sheet_layout.table
            if table in self.unsure:
                continue
            seen = self.seen[table]
            named = title_field(sheet_layout.cls)
            for arrangement_id in present:
                for key in self.snapshot.children[table].get(arrangement_id, ()):
                    if key not in seen:
                        missing.append(MissingRecord(table, key, str(docs[table][key].get(named, ""))))


