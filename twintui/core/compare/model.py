"""The matrix records: a comparison's factors (rows), candidates (columns) and cells (scores, notes).

An organisation weighs candidate partners (columns) against factors (rows, the
guidelines' ten by default). Edits check their input and raise ``ValueError``;
``to_doc``/``from_doc`` give the plain document the store and the files keep.
Unknown is not zero: a blank cell is an unknown score, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..model import META_FIELDS, Bookkeeping
from ..model.vocab import DEFAULT_FACTORS
from .checks import DEFAULT_WEIGHT, check_minimum, check_name, check_score, check_weight, name_taken


@dataclass
class Factor:
    """A row of the matrix: what candidates are weighed on, and how much it counts."""

    name: str
    weight: float = DEFAULT_WEIGHT
    must_have_min: int | None = None


@dataclass
class Candidate:
    """A column: a possible partner, from the register (partner_ref) or typed new."""

    name: str
    partner_ref: str | None = None


@dataclass
class Cell:
    """One candidate's score on one factor; None means not known yet (not zero)."""

    score: int | None = None
    note: str = ""


@dataclass
class Comparison(Bookkeeping):
    """A named comparison made by one organisation (SPEC §2 "Comparison"), with the store's bookkeeping."""

    name: str
    organisation: str = ""
    learning_gap: str = ""
    end_goal: str = ""
    factors: list[Factor] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    # Keyed by (factor name, candidate name); a missing key is an empty cell.
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    @classmethod
    def new(
        cls,
        name: str,
        organisation: str = "",
        learning_gap: str = "",
        end_goal: str = "",
        candidates: Iterable[str | Candidate] = (),
    ) -> Comparison:
        """A comparison with the guidelines' ten factors at the default weight."""
        comparison = cls(
            name=check_name(name, "comparison"),
            organisation=organisation,
            learning_gap=learning_gap,
            end_goal=end_goal,
            factors=[Factor(f) for f in DEFAULT_FACTORS],
        )
        for candidate in candidates:
            if isinstance(candidate, Candidate):
                comparison.add_candidate(candidate.name, candidate.partner_ref)
            else:
                comparison.add_candidate(candidate)
        return comparison

    # -- look-ups ---------------------------------------------------------

    def factor(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise ValueError(f"unknown factor: {name!r}")

    def candidate(self, name: str) -> Candidate:
        for c in self.candidates:
            if c.name == name:
                return c
        raise ValueError(f"unknown candidate: {name!r}")

    def factor_index(self, name: str) -> int:
        return self.factors.index(self.factor(name))

    def cell(self, factor: str, candidate: str) -> Cell:
        """The cell, or an empty one (not stored) when nothing was entered."""
        self.factor(factor)
        self.candidate(candidate)
        return self.cells.get((factor, candidate), Cell())

    def score(self, factor: str, candidate: str) -> int | None:
        return self.cell(factor, candidate).score

    # -- factors ----------------------------------------------------------

    def _ensure_new_name(self, name: str, existing: Iterable[str], what: str, allow: str | None = None) -> None:
        if name_taken(name, (other for other in existing if other != allow)):
            raise ValueError(f"{what} name already used: {name!r}")

    def add_factor(
        self,
        name: str,
        weight: float = DEFAULT_WEIGHT,
        must_have_min: int | None = None,
        index: int | None = None,
    ) -> Factor:
        """Add a factor at the end (or at `index`)."""
        name = check_name(name, "factor")
        self._ensure_new_name(name, (f.name for f in self.factors), "factor")
        new = Factor(name, check_weight(weight), check_minimum(must_have_min))
        if index is None:
            self.factors.append(new)
        else:
            self._check_index(index, len(self.factors) + 1, "factor position")
            self.factors.insert(index, new)
        return new

    def rename_factor(self, old: str, new: str) -> None:
        """Rename a factor; its cells follow it."""
        f = self.factor(old)
        new = check_name(new, "factor")
        self._ensure_new_name(new, (x.name for x in self.factors), "factor", allow=old)
        if new == old:
            return
        f.name = new
        self.cells = {(new if fk == old else fk, ck): cell for (fk, ck), cell in self.cells.items()}

    def remove_factor(self, name: str) -> None:
        self.factors.remove(self.factor(name))
        self.cells = {k: v for k, v in self.cells.items() if k[0] != name}

    def move_factor(self, name: str, index: int) -> None:
        """Move a factor to position `index` (0-based) of the rows."""
        f = self.factor(name)
        self._check_index(index, len(self.factors), "factor position")
        self.factors.remove(f)
        self.factors.insert(index, f)

    def set_weight(self, factor: str, weight: float) -> None:
        self.factor(factor).weight = check_weight(weight)

    def set_must_have(self, factor: str, minimum: int | None) -> None:
        """Set (or clear with None) the minimum score a candidate needs on `factor`."""
        self.factor(factor).must_have_min = check_minimum(minimum)

    @staticmethod
    def _check_index(index: Any, size: int, what: str) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
            raise ValueError(f"{what} must be from 0 to {size - 1}, got {index!r}")

    # -- candidates -------------------------------------------------------

    def add_candidate(self, name: str, partner_ref: str | None = None) -> Candidate:
        name = check_name(name, "candidate")
        self._ensure_new_name(name, (c.name for c in self.candidates), "candidate")
        if partner_ref is not None and not isinstance(partner_ref, str):
            raise ValueError(f"partner reference must be text or none, got {partner_ref!r}")
        new = Candidate(name, partner_ref or None)
        self.candidates.append(new)
        return new

    def rename_candidate(self, old: str, new: str) -> None:
        """Rename a candidate; its cells follow it."""
        c = self.candidate(old)
        new = check_name(new, "candidate")
        self._ensure_new_name(new, (x.name for x in self.candidates), "candidate", allow=old)
        if new == old:
            return
        c.name = new
        self.cells = {(fk, new if ck == old else ck): cell for (fk, ck), cell in self.cells.items()}

    def remove_candidate(self, name: str) -> None:
        self.candidates.remove(self.candidate(name))
        self.cells = {k: v for k, v in self.cells.items() if k[1] != name}

    def move_candidate(self, name: str, index: int) -> None:
        """Move a candidate to position `index` (0-based) of the columns."""
        c = self.candidate(name)
        self._check_index(index, len(self.candidates), "candidate position")
        self.candidates.remove(c)
        self.candidates.insert(index, c)

    # -- cells ------------------------------------------------------------

    def _put(self, factor: str, candidate: str, cell: Cell) -> None:
        # Empty cells are not stored, so the saved document stays small.
        if cell.score is None and not cell.note:
            self.cells.pop((factor, candidate), None)
        else:
            self.cells[(factor, candidate)] = cell

    def set_score(self, factor: str, candidate: str, score: int | None) -> None:
        """Set a score 0..5, or None to make it unknown again."""
        current = self.cell(factor, candidate)
        self._put(factor, candidate, Cell(check_score(score), current.note))

    def set_note(self, factor: str, candidate: str, note: str) -> None:
        if not isinstance(note, str):
            raise ValueError(f"note must be text, got {note!r}")
        current = self.cell(factor, candidate)
        self._put(factor, candidate, Cell(current.score, note))

    # -- documents --------------------------------------------------------

    def to_doc(self) -> dict[str, Any]:
        """A plain JSON-serialisable dict; `from_doc` reads it back exactly."""
        f_order = {f.name: i for i, f in enumerate(self.factors)}
        c_order = {c.name: i for i, c in enumerate(self.candidates)}
        big = len(f_order) + len(c_order)
        # Cells in row, then column order, for readable diffs; strays last.
        keys = sorted(
            self.cells,
            key=lambda k: (f_order.get(k[0], big), c_order.get(k[1], big)),
        )
        return {
            **{name: getattr(self, name) for name in META_FIELDS},  # the bookkeeping first, as a record's document
            "name": self.name,
            "organisation": self.organisation,
            "learning_gap": self.learning_gap,
            "end_goal": self.end_goal,
            "factors": [
                {"name": f.name, "weight": f.weight, "must_have_min": f.must_have_min} for f in self.factors
            ],
            "candidates": [{"name": c.name, "partner_ref": c.partner_ref} for c in self.candidates],
            "cells": [
                {"factor": fk, "candidate": ck, "score": self.cells[(fk, ck)].score, "note": self.cells[(fk, ck)].note}
                for fk, ck in keys
            ],
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Comparison:
        """Read a document back. Raises ValueError only when its shape is unreadable;
        values are taken as they are, so run `validate()` on data from outside."""
        if not isinstance(doc, Mapping):
            raise ValueError(f"comparison document must be an object, got {type(doc).__name__}")
        if "name" not in doc:
            raise ValueError("comparison document has no 'name'")

        def rows(key: str) -> list[Mapping[str, Any]]:
            value = doc.get(key, [])
            if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
                raise ValueError(f"comparison {key!r} must be a list of objects")
            for i, r in enumerate(value):
                for needed in ("name",) if key != "cells" else ("factor", "candidate"):
                    if needed not in r:
                        raise ValueError(f"comparison {key!r} entry {i + 1} has no {needed!r}")
            return value

        return cls(
            name=doc["name"],
            organisation=doc.get("organisation", ""),
            learning_gap=doc.get("learning_gap", ""),
            end_goal=doc.get("end_goal", ""),
            factors=[
                Factor(r["name"], r.get("weight", DEFAULT_WEIGHT), r.get("must_have_min")) for r in rows("factors")
            ],
            candidates=[Candidate(r["name"], r.get("partner_ref")) for r in rows("candidates")],
            cells={(r["factor"], r["candidate"]): Cell(r.get("score"), r.get("note", "")) for r in rows("cells")},
            **{f.name: doc.get(f.name, f.default) for f in fields(Bookkeeping)},
        )
