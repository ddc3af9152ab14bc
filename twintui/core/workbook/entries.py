"""The preview's entries for the rows of one sheet: what a row is (new, changed, invalid…), the
fields it changes as people read them, and each problem named by its cell (``Register!N3``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Field, Problem, Record, coerce
from . import cells as cell_rules
from . import layout
from .cells import CellProblem
from .outcome import CHANGED, NEW, FieldChange, RowChange

if TYPE_CHECKING:
    from .preview import FileComparison


def title_field(cls: type[Record]) -> str:
    return {"arrangements": "title", "partners": "name", "risks": "description"}.get(cls.TABLE, "id")


class RowEntries:
    """What ``SheetRows`` adds to the preview (a mixin: the rows' state is the sheet's)."""

    c: FileComparison
    cls: type[Record]
    table: str
    name: str
    positions: dict[str, int]
    headers: dict[str, str]

    if TYPE_CHECKING:
        def get(self, cells: list[Any], key: str) -> Any: ...  # SheetRows: a cell by its column key

    def _add(self, status: str, number: int, key: str, cells: list[Any], *, changes: list[FieldChange] | None = None,
             problems: list[CellProblem] | None = None, record: Record | None = None, note: str = "") -> RowChange:
        row = RowChange(status, self.table, self.name, number, key, self._describe(cells, record),
                        changes or [], problems or [], record if status in (NEW, CHANGED) else None, note=note)
        self.c.result.rows.append(row)
        return row

    def _describe(self, cells: list[Any], record: Record | None) -> str:
        name = title_field(self.cls)
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

    def _hidden(self, number: int, values: dict[str, Any]) -> list[CellProblem]:
        """Control characters and bidi overrides in the text cells taken from the file."""
        found = []
        for name, value in values.items():
            if name in self.positions and (why := cell_rules.hidden_text(self.cls.field(name), value)):
                found.append(self._problem(number, name, value, why))
        return found

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
