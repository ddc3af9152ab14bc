"""One sheet of one returned file compared with the store, row by row (see ``preview``).

Each row is the fast path (its cells hash to what the export wrote: unchanged),
an existing record compared cell by cell, a new record, or, in a second
submission, a row an earlier copy created (that record, never a new one). What
a cell may hold that must not be taken as it is (formulas, merged ranges,
control characters, 1904 serial dates) is checked with ``cells``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from ..model import Arrangement, Field, Record, build, coerce
from ..text import clip
from . import cells as cell_rules
from . import layout
from .cells import CellProblem
from .entries import RowEntries, title_field
from .layout import ColumnMatch, SheetLayout
from .outcome import CHANGED, CONFLICT, INVALID, NEW, RowChange
from .read import MetaRecord
from .submissions import row_name

if TYPE_CHECKING:
    from .preview import FileComparison

# Stands for the id of a new arrangement while its partners and risks are checked.
NEW_PARENT = "(new arrangement)"


@dataclass(eq=False)
class Title:
    """An arrangement a partner or risk row can name in 'Arrangement title'."""

    id: str = ""
    row: RowChange | None = None  # a new arrangement


class SheetRows(RowEntries):
    """The rows of one sheet of one file."""

    def __init__(self, comparison: FileComparison, sheet_layout: SheetLayout, match: ColumnMatch):
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
        self.meta_records = comparison.meta_records
        self.skip: set[int] = set()  # columns of this row left out: formula cells without a value
        self.data = comparison.file.sheets[sheet_layout.name]
        self.dates = [i for f, i in self.fields if f.kind == "date"] if comparison.file.date1904 else []
        self.merged = cell_rules.merged_rows(self.data, self.positions, self.headers,
                                             ("id", "arrangement") if self.cls.PARENT else ("id",))
        comparison.result.problems.extend(self.merged.problems)
        # A second submission: "Register!7" -> (record key, row name) of the rows earlier copies created.
        prefix = f"{self.name}!"
        self.created = {where: entry for where, entry in comparison.baseline.created.items()
                        if where.startswith(prefix)}
        self.created_by_name: dict[str, list[str]] = defaultdict(list)
        for key, name in self.created.values():
            self.created_by_name[name].append(key)

    def get(self, cells: list[Any], key: str) -> Any:
        index = self.positions.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    def row(self, number: int, cells: list[Any]) -> None:
        if number in self.merged.rows:
            self._merged(number, cells)
            return
        for index in self.dates:
            if index < len(cells):
                cells[index] = cell_rules.from_1904(cells[index])
        found = cell_rules.formula_problems(self.data, number, self.positions, self.headers) \
            if self.data.formulas else []
        if not found:
            self._row(number, cells)
            return
        # A formula cell without a value, or with an error, is left out (the register keeps its value)
        # and blocks the row; the rest of the row is compared as usual, so its other changes show.
        notes = [problem for _, problem in found]
        self.skip = {index for index, problem in found if problem.is_error}
        result = self.c.result
        added, unchanged = len(result.rows), result.unchanged
        self._row(number, cells)
        self.skip = set()
        row = result.rows[-1] if len(result.rows) > added else None
        if row is None and any(p.is_error for p in notes):
            result.unchanged = unchanged
            row = self._add(INVALID, number, self._key_of(cells), cells)
        if row is None:
            result.problems.extend(notes)  # calculated values the register already has
            return
        row.problems.extend(notes)
        if any(p.is_error for p in notes):
            row.status, row.record = INVALID, None

    def _row(self, number: int, cells: list[Any]) -> None:
        own_id = self._own_id(cells)
        if not own_id:
            if all(coerce.is_blank(cells[i]) for i in self.positions.values() if i < len(cells)):
                return
            if (made := self._created(number, cells)) is not None:
                self._made_before(number, cells, made)
            else:
                self._new(number, cells)
            return
        link = ""
        if self.cls.PARENT:
            link = coerce.text(self.get(cells, "arrangement"))
            key = f"{link}/{own_id}"
            if not link:
                self._add(INVALID, number, "", cells, problems=[self._problem(
                    number, "arrangement", "", f"give the Record ID of the arrangement {clip(own_id, 40)} belongs to")])
                return
        else:
            key = own_id
            self._remember_title(cells, own_id)
        if not self._first_row_of(number, key, own_id, cells):
            return
        if self._untouched(key, cells):
            self.c.result.unchanged += 1
            return
        self._existing(number, cells, key, own_id, link)

    def _own_id(self, cells: list[Any]) -> str:
        own_id = cells[self.id_at] if self.id_at < len(cells) else ""
        return own_id.strip() if isinstance(own_id, str) else coerce.text(own_id)

    def _first_row_of(self, number: int, key: str, own_id: str, cells: list[Any]) -> bool:
        """Note the row of a record; a second row for the same record is an error."""
        seen = self.c.seen[self.table]
        if key in seen:
            self._add(INVALID, number, key, cells, problems=[self._problem(
                number, "id", own_id, f"{clip(key, 40)} is also in row {seen[key]}; give each record one row")])
            return False
        seen[key] = number
        return True

    def _merged(self, number: int, cells: list[Any]) -> None:
        """A row under a merged range is not read (the range's error says so); its record is not missing."""
        own_id = self._own_id(cells)
        link = coerce.text(self.get(cells, "arrangement")) if self.cls.PARENT else ""
        if own_id and (link or not self.cls.PARENT):
            self.c.seen[self.table].setdefault(f"{link}/{own_id}" if self.cls.PARENT else own_id, number)
        if self.merged.hides_keys:
            self.c.unsure.add(self.table)

    def _key_of(self, cells: list[Any]) -> str:
        own_id = self._own_id(cells)
        if own_id and self.cls.PARENT:
            return f"{coerce.text(self.get(cells, 'arrangement'))}/{own_id}"
        return own_id

    def _created(self, number: int, cells: list[Any]) -> str | None:
        """The record an earlier copy of this return created from this row (same place and name), if any."""
        if not self.created:
            return None
        name = row_name(self.get(cells, title_field(self.cls)))
        here = self.created.get(f"{self.name}!{number}")
        if here is not None and here[1] == name:
            return here[0]
        # Rows may have moved (sorted, or one inserted above): the one record of that name not seen yet.
        seen = self.c.seen[self.table]
        left = [key for key in self.created_by_name.get(name, ()) if key not in seen]
        return left[0] if len(left) == 1 else None

    def _made_before(self, number: int, cells: list[Any], key: str) -> None:
        """A row an earlier copy created: that record, compared as if exported with what the copy saved."""
        cells = list(cells)
        own_id = key.rsplit("/", 1)[-1]
        link = key.rsplit("/", 1)[0] if self.cls.PARENT else ""
        defaults = {"arrangement": link} if self.cls.PARENT else {
            "reporting_state": self.c.meta.state, "reported_quarter": self.c.meta.quarter}
        for name, value in defaults.items():
            index = self.positions.get(name)
            if value and index is not None and index < len(cells) and coerce.is_blank(cells[index]):
                cells[index] = value
        if self.cls is Arrangement:
            self._remember_title(cells, key)
        if not self._first_row_of(number, key, own_id, cells):
            return
        if key not in self.c.snapshot.docs[self.table]:
            first = self.c.result.second_submission or {}
            self.c.result.problems.append(self._row_problem(
                number, f"row skipped: {key}, which the submission of {str(first.get('at', ''))[:10]} created from "
                "this row, is no longer in the register (deleted, or gone with a restore); to add it again, "
                "send it in a fresh return", "warning"))
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
                self.c.titles[title].append(Title(id=arrangement_id))

    def _existing(self, number: int, cells: list[Any], key: str, own_id: str, link: str) -> None:
        cls = self.cls
        base = self.c.snapshot.record(cls, key)
        meta = self.meta_records.get((self.table, key))
        if base is None:
            self._unknown(number, cells, key, own_id, link, meta)
            return
        touched = {f.name: cells[i] for f, i in self.fields if i < len(cells) and i not in self.skip
                   and not cell_rules.same_value(cells[i], layout.cell_value(f, getattr(base, f.name)))}
        if not touched:
            self.c.result.unchanged += 1
            return
        record, problems = build(cls, touched, base)
        cell_problems = (self._problems(number, cells, problems) + self._hidden(number, touched)
                         + self._scope(number, cells, record))
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
                number, "arrangement", link, f"there is no arrangement {clip(link, 40)} in the register")])
            return
        self._add(INVALID, number, key, cells, problems=[self._problem(
            number, "id", own_id,
            f"there is no {what} {clip(key, 40)} in the register; leave the ID blank to add a new {what}")])

    def _new(self, number: int, cells: list[Any]) -> None:
        cls, meta = self.cls, self.c.meta
        raw = {f.name: cells[i] for f, i in self.fields if i < len(cells) and i not in self.skip}
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
        problems += self._problems(number, cells, found) + self._hidden(number, raw) + \
            self._scope(number, cells, record)
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
                self.c.titles[title].append(Title(row=row))

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
                                                  f"there is no arrangement {clip(link, 40)} in the register")]
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


def _norm_title(value: Any) -> str:
    return " ".join(coerce.text(value).split()).casefold()


def _or_none(value: Any) -> Any:
    return None if coerce.is_blank(value) else value
