"""The Progress sheet of one returned file compared with the store, row by row (see ``preview``).

A row names its record by arrangement and Progress ID (``TW-NOR-0001`` / ``O2-2026-Q3``), and the
export writes one for the return's quarter whether or not that quarter was reported yet. So, unlike a
Register row without an ID, a row is new when its record is not stored, and:

- a row whose cells hash to what the export wrote is unchanged (an untouched row reports nothing);
  so is one whose values are the export's after a spreadsheet's re-save (3.0 for 3, dates as dates);
- a row of a record stored since the export (a second return for the quarter, or the register's own
  edit) that the file changes too is a conflict, as is one whose stored record changed meanwhile;
- the rest is new or a change, shown against the values the row was pre-filled with.

Each row is checked against the register: its arrangement is of the return's state, its objective or
activity is in the MoU in force, its quarter is the return's; and against the record's own rules
(a value past the baseline needs a comment, a done date cannot be in the future). What a cell may
hold that must not be taken as it is (formulas, merged ranges, control characters) is checked with
``cells``, as on the other sheets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from ..model import Arrangement, Record, build, coerce
from ..model.progress import ActivityProgress, ObjectiveProgress, Spending
from ..text import clip
from . import cells as cell_rules
from . import layout
from .cells import CellProblem
from .entries import RowEntries
from .layout import ColumnMatch
from .outcome import CHANGED, CONFLICT, INVALID, NEW
from .progress_export import Plan, Reported, by_item, mou_figures, plans, prefilled
from .progress_layout import COLUMNS, KEYS, SHOWN, kind_name, kind_of

if TYPE_CHECKING:
    from ..store import Store
    from .preview import FileComparison

TABLES = tuple(cls.TABLE for cls in (ObjectiveProgress, ActivityProgress, Spending))


@dataclass
class ProgressSnapshot:
    """What every file's Progress rows are checked against, read once per import."""

    plans: dict[str, Plan]
    reported: dict[type[Record], Reported] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store) -> ProgressSnapshot:
        every = {str(d["id"]) for d in store.docs(Arrangement)}
        return cls(plans(store), {kind: by_item(store.docs(kind), every)
                                  for kind in (ObjectiveProgress, ActivityProgress, Spending)})


class ProgressRows(RowEntries):
    """The rows of one file's Progress sheet."""

    def __init__(self, comparison: FileComparison, match: ColumnMatch, snapshot: ProgressSnapshot):
        self.c = comparison
        self.progress = snapshot
        self.name = layout.PROGRESS
        self.cls: type[Record] = ObjectiveProgress
        self.table = self.cls.TABLE
        self.positions = match.positions
        self.canonical = None if match.missing else [match.positions[k] for k in KEYS]
        self.headers = {column.key: column.header for column in COLUMNS}
        self.data = comparison.file.sheets[layout.PROGRESS]
        self.dates = [self.positions[c.key] for c in COLUMNS if c.kind == "date" and c.key in self.positions] \
            if comparison.file.date1904 else []
        self.merged = cell_rules.merged_rows(self.data, self.positions, self.headers, ("id", "arrangement"))
        comparison.result.problems.extend(self.merged.problems)

    def get(self, cells: list[Any], key: str) -> Any:
        index = self.positions.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    def _describe(self, cells: list[Any], record: Record | None) -> str:
        number = getattr(record, getattr(self.cls, "NUMBER", None) or "", None) if record is not None else None
        what = kind_name(self.cls) + (f" {number}" if number else "")
        about = coerce.text(self.get(cells, "what"))
        return clip(what + (f": {about}" if about else ""), 80)

    # -- one row ---------------------------------------------------------------
    def row(self, number: int, cells: list[Any]) -> None:
        if number in self.merged.rows:
            return
        if all(coerce.is_blank(cells[i]) for i in self.positions.values() if i < len(cells)):
            return
        for index in self.dates:
            if index < len(cells):
                cells[index] = cell_rules.from_1904(cells[index])
        own_id = coerce.text(self.get(cells, "id"))
        link = coerce.text(self.get(cells, "arrangement"))
        cls = kind_of(own_id, self.get(cells, "objective"), self.get(cells, "activity"))
        if cls is None:
            self.cls, self.table = ObjectiveProgress, ObjectiveProgress.TABLE
            self._add(INVALID, number, "", cells, problems=[self._problem(
                number, "id", own_id, "not a Progress ID: it starts with O (objective), A (activity) or S (spending)")])
            return
        self.cls, self.table = cls, cls.TABLE
        formulas = cell_rules.formula_problems(self.data, number, self.positions, self.headers) \
            if self.data.formulas else []
        if own_id and link and not formulas and self._untouched(f"{link}/{own_id}", cells):
            self.c.result.unchanged += 1
            return
        skip = {index for index, problem in formulas if problem.is_error}
        notes = [problem for _, problem in formulas]
        raw = self._raw(cells, cls, skip)
        if coerce.is_blank(raw.get("quarter")) and self.c.meta.quarter:
            raw["quarter"] = self.c.meta.quarter
        candidate, found = build(cls, raw, cls(id=own_id))
        key = candidate.key
        if not self._first_row_of(number, key, cells):
            return
        problems = notes + self._problems(number, cells, found) + self._hidden(number, raw) \
            + self._scope(number, cells, candidate) + self._not_applying(number, cells, cls)
        base = self.c.snapshot.record(cls, key)
        if base is None:
            self._new(number, cells, candidate, problems)
        else:
            self._existing(number, cells, candidate, base, problems, skip)

    def _raw(self, cells: list[Any], cls: type[Record], skip: set[int]) -> dict[str, Any]:
        """The row's cells of the fields its kind has (a cell of another kind's column is not read)."""
        wanted = SHOWN[cls] | {"arrangement", "quarter"}
        return {f.name: cells[self.positions[f.name]] for f in cls.FIELDS
                if f.name in wanted and f.name in self.positions and self.positions[f.name] < len(cells)
                and self.positions[f.name] not in skip}

    def _untouched(self, key: str, cells: list[Any]) -> bool:
        meta = self.c.meta_records.get((self.table, key))
        if meta is None or self.canonical is None or not meta.cells_hash:
            return False
        try:
            return layout.cells_digest([cells[i] if i < len(cells) else "" for i in self.canonical]) == meta.cells_hash
        except (TypeError, orjson.JSONEncodeError):
            return False

    def _first_row_of(self, number: int, key: str, cells: list[Any]) -> bool:
        seen = self.c.seen[self.table]
        if key in seen:
            self._add(INVALID, number, key, cells, problems=[self._row_problem(
                number, f"{clip(key, 40)} is also in row {seen[key]}; give each objective, activity and the "
                        "spending one row")])
            return False
        seen[key] = number
        return True

    def _new(self, number: int, cells: list[Any], record: Record, problems: list[CellProblem]) -> None:
        meta = self.c.meta_records.get((self.table, record.key))
        if meta is not None and meta.rev:
            # Reported before the export and deleted since: fine if the file left it as exported.
            if record.content_hash() == meta.content_hash:
                self.c.result.problems.append(self._row_problem(
                    number, f"{record.key} was deleted from the register since this return was exported; row "
                            "skipped", "warning"))
                return
            self._add(CONFLICT, number, record.key, cells, problems=problems, note=(
                f"{record.key} was deleted from the register since this return was exported, and the file "
                "changes it"))
            return
        if meta is not None and not any(p.is_error for p in problems) and record.content_hash() == meta.content_hash:
            self.c.result.unchanged += 1  # the values as exported, after a spreadsheet's re-save
            return
        before = self._prefill(record)
        changes = [self._change(name, old, new) for name, (old, new) in record.differences(before).items()]
        if any(p.is_error for p in problems):
            self._add(INVALID, number, record.key, cells, problems=problems, changes=changes)
            return
        if (conflict := self._claimed(record)) is not None:
            self._add(CONFLICT, number, record.key, cells, changes=changes, problems=problems, note=conflict)
            return
        self._add(NEW, number, record.key, cells, changes=changes, problems=problems, record=record)

    def _existing(self, number: int, cells: list[Any], candidate: Record, base: Record,
                  problems: list[CellProblem], skip: set[int]) -> None:
        cls, key = self.cls, base.key
        raw = self._raw(cells, cls, skip)
        touched = {name: value for name, value in raw.items()
                   if not cell_rules.same_value(value, layout.cell_value(cls.field(name), getattr(base, name)))}
        if not touched and not any(p.is_error for p in problems):
            self.c.result.unchanged += 1
            return
        record = build(cls, touched, base)[0]
        differences = record.differences(base)
        changes = [self._change(name, old, new) for name, (old, new) in differences.items()]
        if any(p.is_error for p in problems):
            self._add(INVALID, number, key, cells, problems=problems, changes=changes)
            return
        if not differences:
            self.c.result.unchanged += 1
            return
        meta = self.c.meta_records.get((self.table, key))
        exported_rev = meta.rev if meta is not None else coerce.whole(_or_none(self.get(cells, "rev")))
        if exported_rev is not None and base.rev != exported_rev and (
                meta is None or base.content_hash() != meta.content_hash):
            if meta is not None and candidate.content_hash() == meta.content_hash:
                self.c.result.unchanged += 1  # the file holds what was exported; the register's is newer
                return
            who = f"{base.updated_by} on {base.updated_at[:10]}" if base.updated_by else "someone"
            since = "reported" if not exported_rev else f"changed (revision {exported_rev} → {base.rev})"
            self._add(CONFLICT, number, key, cells, changes=changes, problems=problems,
                      note=f"{since} in the register by {who} since this return was exported, and changed in "
                           "the file too")
            return
        if (conflict := self._claimed(record)) is not None:
            self._add(CONFLICT, number, key, cells, changes=changes, problems=problems, note=conflict)
            return
        self._add(CHANGED, number, key, cells, changes=changes, problems=problems, record=record)

    def _claimed(self, record: Record) -> str | None:
        claimed = self.c.snapshot.claimed.get((self.table, record.key))
        if claimed is not None and claimed is not self.c.file:
            return f"also reported by {claimed.name} in this import"
        self.c.snapshot.claimed[(self.table, record.key)] = self.c.file
        return None

    def _prefill(self, record: Record) -> Record | None:
        """What the export would pre-fill this row with now: the changes of a new row are shown against it."""
        link = getattr(record, "arrangement", "")
        doc = self.c.snapshot.docs[Arrangement.TABLE].get(link)
        plan = self.progress.plans.get(link)
        if doc is None or plan is None:
            return None
        number = getattr(record, getattr(type(record), "NUMBER", None) or "", 0) or 0
        return prefilled(Arrangement.from_doc(doc), plan, type(record), number, getattr(record, "quarter", ""),
                         self.progress.reported[type(record)]).record

    # -- what the register says of the row ----------------------------------------
    def _scope(self, number: int, cells: list[Any], record: Record) -> list[CellProblem]:
        link = getattr(record, "arrangement", "")
        if not link:
            return []  # required: the record's own problem says so
        parent = self.c.snapshot.docs[Arrangement.TABLE].get(link)
        if parent is None:
            return [self._problem(number, "arrangement", link, f"there is no arrangement {clip(link, 40)} in the "
                                                               "register")]
        meta, state = self.c.meta, parent.get("reporting_state")
        if meta.kind == "state" and state != meta.state:
            return [self._problem(number, "arrangement", link, f"{link} is an arrangement of {state}, not of "
                                                               f"{meta.state}")]
        who = self.c.snapshot.access
        if meta.kind != "state" and who is not None and not who.single_user and not who.can_edit_state(state):
            return [self._problem(number, "arrangement", link,
                                  f"{who.user} does not answer for {state} ({who.describe()})")]
        return self._quarter(number, cells, record) + self._in_the_mou(number, cells, record)

    def _quarter(self, number: int, cells: list[Any], record: Record) -> list[CellProblem]:
        quarter, meta = getattr(record, "quarter", ""), self.c.meta
        if not quarter:
            return []
        if meta.kind == "state" and quarter != meta.quarter:
            return [self._problem(number, "quarter", self.get(cells, "quarter") or quarter,
                                  f"this is the return for {meta.quarter}; {quarter} is reported in its own return")]
        if coerce.quarter_bounds(quarter)[0] > dt.date.today():
            return [self._problem(number, "quarter", self.get(cells, "quarter") or quarter,
                                  f"{quarter} has not begun; report a quarter once it has")]
        return []

    def _in_the_mou(self, number: int, cells: list[Any], record: Record) -> list[CellProblem]:
        """An objective or activity the MoU in force has; an objective's baseline and target as it says."""
        if isinstance(record, Spending):
            return []
        link = record.arrangement  # type: ignore[attr-defined]
        plan = self.progress.plans.get(link)
        key, items, what = (("objective", plan.objectives if plan else [], "objectives")
                            if isinstance(record, ObjectiveProgress) else
                            ("activity", plan.activities if plan else [], "activities in its plan"))
        which = getattr(record, key)
        if plan is None:
            return [self._problem(number, key, self.get(cells, key) or which,
                                  f"{link} has no MoU, so no {kind_name(type(record))} {which} to report on")]
        if not 1 <= which <= len(items):
            return [self._problem(number, key, self.get(cells, key) or which,
                                  f"the MoU of {link} has {len(items)} {what}; there is no {key} {which}")]
        if not isinstance(record, ObjectiveProgress):
            return []
        out = []
        for name, value in mou_figures(plan, which).items():
            if getattr(record, name) != value:
                shown = "none" if value is None else f"{value:g}"
                out.append(self._problem(number, name, self.get(cells, name),
                                         f"the MoU in force says {shown}; the value imported is the file's",
                                         "warning"))
        return out

    def _not_applying(self, number: int, cells: list[Any], cls: type[Record]) -> list[CellProblem]:
        """A cell of a column that is not this row's kind's: not imported, and said so."""
        mine = SHOWN[cls] | {"arrangement", "quarter", "id", "rev", "parent_title", "what", "last"}
        return [self._problem(number, column.key, self.get(cells, column.key),
                              f"does not apply to {kind_name(cls)} rows; not imported", "warning")
                for column in COLUMNS if column.key not in mine and not coerce.is_blank(self.get(cells, column.key))]


def _or_none(value: Any) -> Any:
    return None if coerce.is_blank(value) else value
