"""Comparisons in the store: the record, load, find, save and delete.

The store keeps a comparison like any other record: an id (``COM-0001``), a
revision bumped on every save, the audit log, and a ``ConflictError`` carrying
both versions when someone else saved first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import NotFoundError, ValidationError
from ..model import META_FIELDS, Field, Problem, Record
from ..text import name_key
from .checks import NAME_LENGTH
from .model import Comparison
from .validate import validate

# The audit log's names for changes made here.
SOURCE_SCREEN = "screen:compare"


@dataclass(kw_only=True)
class ComparisonRecord(Record):
    """A comparison as the store keeps it: the text fields, then factors, candidates and cells as data."""

    TABLE: ClassVar[str] = "comparisons"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("name", "Comparison", "#meta+name", required=True, max_length=NAME_LENGTH,
              help="A name that tells this comparison from the others, e.g. 'Partner for the 2027 programme'"),
        Field("organisation", "Organisation", "#org+name", max_length=200,
              help="The organisation that is choosing a partner"),
        Field("learning_gap", "Learning / skills gap", "#description+gap",
              help="Which area (advocacy, settlement and integration support, technical expertise) and timeframe"),
        Field("end_goal", "End goal", "#description+goal",
              help="e.g. set up a resettlement programme in country X within 18 months"),
        # Kept as documents, one field each, so the audit log says which part changed.
        Field("factors", "Factors", "#meta+factors", "data"),
        Field("candidates", "Candidates", "#meta+candidates", "data"),
        Field("cells", "Scores and notes", "#meta+cells", "data"),
    )

    name: str = ""
    organisation: str = ""
    learning_gap: str = ""
    end_goal: str = ""
    factors: list[dict[str, Any]] | None = field(default_factory=list)
    candidates: list[dict[str, Any]] | None = field(default_factory=list)
    cells: list[dict[str, Any]] | None = field(default_factory=list)

    @classmethod
    def of(cls, comparison: Comparison) -> ComparisonRecord:
        doc = comparison.to_doc()
        return cls(**{k: doc[k] for k in (*META_FIELDS, "name", "organisation", "learning_gap", "end_goal",
                                           "factors", "candidates", "cells")})

    def comparison(self) -> Comparison:
        """The matrix model of this record (raises ValueError when the stored shape is unreadable)."""
        doc = self.to_doc()
        for key in ("factors", "candidates", "cells"):
            doc[key] = doc.get(key) or []
        return Comparison.from_doc(doc)

    def problems(self) -> list[Problem]:
        """Field rules plus the matrix's own: what the store checks before every save."""
        problems = super().problems()
        try:
            comparison = self.comparison()
        except ValueError as error:
            return [*problems, Problem("factors", None, str(error))]
        for message in validate(comparison):
            if message.startswith("comparison:"):
                continue  # name and bookkeeping: the field rules above and the store cover them
            where = "cells" if message.startswith("cell") else "candidates" if message.startswith("candidate") \
                else "factors"
            problems.append(Problem(where, None, message))
        return problems


def content(comparison: Comparison) -> dict[str, Any]:
    """What the user made: the document without id, revision and who-when (what "unsaved" compares)."""
    doc = comparison.to_doc()
    for key in META_FIELDS:
        doc.pop(key, None)
    return doc


def copy(comparison: Comparison) -> Comparison:
    """An independent copy (a worker saves the copy while the screen goes on editing)."""
    return Comparison.from_doc(comparison.to_doc())


def load_all(store: Any, unreadable: list[str] | None = None) -> list[Comparison]:
    """Every comparison in the store, by name (case aside).

    A stored document that cannot be read is left out (``twintui check`` names it);
    its id and the reason go to ``unreadable`` when given.
    """
    found = []
    for doc in store.docs(ComparisonRecord):
        try:
            found.append(ComparisonRecord.from_doc(doc).comparison())
        except (ValueError, TypeError) as error:
            if unreadable is not None:
                unreadable.append(f"{doc.get('id', '?')}: {error}")
    return sorted(found, key=lambda c: (name_key(c.name), c.id))


def load(store: Any, comparison_id: str) -> Comparison:
    record = store.get(ComparisonRecord, comparison_id)
    if record is None:
        raise NotFoundError(f"there is no comparison {comparison_id} in the store (deleted by someone?)")
    return record.comparison()


def find(store: Any, name: str) -> Comparison:
    """The comparison called ``name`` (case, spacing and punctuation aside) or with that id (case aside)."""
    every = load_all(store)
    wanted = name_key(name)
    hits = [c for c in every if name_key(c.name) == wanted] or \
        [c for c in every if c.id.casefold() == name.strip().casefold()]
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = ", ".join(c.id for c in hits)
        raise NotFoundError(f"{len(hits)} comparisons are named {name!r} ({listed}); give the id instead")
    names = ", ".join(repr(c.name) for c in every)
    known = f"the comparisons are: {names}" if every else "there are no comparisons yet"
    raise NotFoundError(f"there is no comparison named {name!r}; {known}")


def check_name_free(store: Any, comparison: Comparison) -> None:
    """Names are how people (and ``twintui compare show NAME``) find a comparison: one per name."""
    wanted = name_key(comparison.name)
    for doc in store.docs(ComparisonRecord):
        if doc.get("id") != comparison.id and name_key(str(doc.get("name", ""))) == wanted:
            raise ValidationError(ComparisonRecord.of(comparison), [Problem(
                "name", comparison.name, f"another comparison is already called {doc.get('name')!r}")])


def save(store: Any, comparison: Comparison, source: str = SOURCE_SCREEN) -> Comparison:
    """Save (create when it has no id); returns it as stored, with its id and new revision.

    Raises ConflictError (both versions) when someone saved or deleted it since
    it was read, ValidationError when it is not sound or its name is taken.
    """
    check_name_free(store, comparison)
    stored = store.save(ComparisonRecord.of(comparison), source)
    return stored.comparison()


def delete(store: Any, comparison: Comparison, source: str = SOURCE_SCREEN) -> None:
    """Delete the comparison at the revision it was read (a newer one raises ConflictError)."""
    store.delete(ComparisonRecord.of(comparison), source)


def of_conflict(record: Record | None) -> Comparison | None:
    """A ``ConflictError``'s mine/theirs as comparisons."""
    if record is None:
        return None
    assert isinstance(record, ComparisonRecord)
    return record.comparison()
