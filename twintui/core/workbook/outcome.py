"""What a preview of returned workbooks found, file by file: rows new, changed, conflicting or invalid.

``preview`` makes these; ``apply`` writes what they hold; the command line, its
``--json`` and the Returns screen show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Record
from ..model.returns import ReturnExport
from .cells import CellProblem
from .read import ReturnFile

NEW, CHANGED, UNCHANGED, CONFLICT, INVALID = "new", "changed", "unchanged", "conflict", "invalid"


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
    refused: str = ""  # why the file was not compared at all ('' when it was)
    not_a_return: bool = False  # refused as no return of this register (exit code 2)
    export: ReturnExport | None = None  # the export it comes from, as read for this preview

    @property
    def second_submission(self) -> dict[str, Any] | None:
        """The first submission of this return, when it was received before (then this file is a second one)."""
        return self.export.first_submission if self.export is not None else None

    @property
    def writes(self) -> bool:
        """Whether applying it writes anything: rows to save, or a copy of the return not received before."""
        if self.new or self.changed:
            return True
        earlier = (self.export.submissions or []) if self.export is not None else []
        return not any(s.get("sha256") == self.file.sha256 for s in earlier)

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
        """The file's entry in ``twintui import --json`` (SPEC §4; the keys after ``errors`` came later)."""
        return {
            "path": str(self.file.path), "sha256": self.file.sha256, "new": len(self.new),
            "changed": len(self.changed), "unchanged": self.unchanged, "conflicts": len(self.conflicts),
            "errors": [p.to_json() for p in self.errors],
            "refused": self.refused or None,
            "warnings": [p.to_json() for p in self.warnings],
            "changes": [{"record": row.key or None, "sheet": row.sheet, "row": row.row, "status": row.status,
                         "field": change.field, "column": change.column, "old": change.old, "new": change.new}
                        for row in self.rows for change in row.changes],
            "second_submission": self.second_submission,
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

    @property
    def writes(self) -> bool:
        """Whether applying it writes anything (not when every file is a copy received before, unchanged)."""
        return any(f.writes for f in self.files)

    def to_json(self, applied: bool = False) -> dict[str, Any]:
        return {"applied": applied, "files": [f.to_json() for f in self.files]}
