"""The records of reported progress: what a quarter's return says of each objective, activity and the spending.

The guidelines ask for a monitoring plan and for review "at key milestones"; states report every
quarter. Each quarter's return carries, for one arrangement:

- ``ObjectiveProgress`` per objective of section 3 (id ``O2-2026-Q3``): the value the indicator had
  reached by the quarter's end, the state's own status (on track, delayed, achieved, dropped), the
  date a milestone was done, and a comment;
- ``ActivityProgress`` per activity of the implementation plan, section 5 (id ``A4-2026-Q3``): its
  state (not started, in progress, done, dropped) and the date it was done;
- ``Spending`` (id ``S-2026-Q3``): the amount spent to date.

Objectives and activities are named by their number in the MoU's sections (the version in force:
see ``twintui.core.progress``). The id is made of the number and the quarter, so a quarter's row
has one record, which a second return for the same quarter updates (a conflict, like any other, if
the register changed meanwhile), and a row of the Progress sheet finds its record without a lookup.

A value is judged against the objective's baseline by the record itself (its ``problems``), so
an objective's ``baseline`` and ``target`` are copied into the record when it is made (the
export pre-fills them): the record says what the value was measured against, even after a later
MoU version changes the target. The verdicts (where will it land?) are not stored: they follow
from the records and the MoU, in ``twintui.core.progress``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from . import vocab
from .fields import Field, Problem
from .records import Record

M = TypeVar("M")  # a stored MoU version: its document, or a row of it


def _not_in_the_future(name: str, day: dt.date | None, what: str) -> list[Problem]:
    today = dt.date.today()
    if day is not None and day > today:
        return [Problem(name, day, f"{what} {day.isoformat()} is in the future (today is {today.isoformat()})")]
    return []


def in_force(memos: Iterable[M], field: Callable[[Any, str], Any] = dict.get) -> dict[str, M]:
    """Arrangement id → the stored MoU version in force (the latest signed, else the latest).

    The one rule for which version progress is reported against: the progress verdicts and the
    return's Progress sheet both ask it (it reads stored documents, so it needs no MoU model).
    ``field(memo, name)`` reads one of their fields: ``getattr`` for rows (``Store.rows``)."""
    best: dict[str, M] = {}
    for doc in memos:
        key = str(field(doc, "arrangement"))
        known = best.get(key)
        rank = (field(doc, "status") == "signed", field(doc, "version") or 0)
        if known is None or rank > (field(known, "status") == "signed", field(known, "version") or 0):
            best[key] = doc
    return best


# Every reported record's arrangement and quarter (the same columns on every part of the Progress sheet).
ARRANGEMENT = Field("arrangement", "Record ID", "#meta+id", required=True)
QUARTER = Field("quarter", "Quarter", "#date+quarter", "quarter", required=True, help="e.g. 2026-Q3")


@dataclass(kw_only=True)
class _Reported(Record):
    """What every progress record has: its arrangement, its quarter and an id made of them."""

    PARENT: ClassVar[str | None] = "arrangement"
    # The id's letter and the field holding the number it is followed by (none: one record a quarter).
    LETTER: ClassVar[str]
    NUMBER: ClassVar[str | None] = None

    arrangement: str = ""
    quarter: str = ""

    def expected_id(self) -> str:
        number = getattr(self, self.NUMBER) if self.NUMBER else ""
        return f"{self.LETTER}{number}-{self.quarter}"

    def __post_init__(self) -> None:
        if not self.id and self.quarter:  # the natural id: a quarter's row has one record
            self.id = self.expected_id()

    def problems(self) -> list[Problem]:
        problems = super().problems()
        if self.id and self.quarter and self.id != self.expected_id():
            problems.append(Problem("quarter", self.quarter, f"the record {self.id} must have the id "
                                                             f"{self.expected_id()} (its number and quarter)"))
        return problems


@dataclass(kw_only=True)
class ObjectiveProgress(_Reported):
    """What a quarter's return says of one objective of the MoU (section 3, by its number)."""

    TABLE: ClassVar[str] = "objective_progress"
    LETTER: ClassVar[str] = "O"
    NUMBER: ClassVar[str | None] = "objective"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        ARRANGEMENT,
        Field("objective", "Objective", "#meta+objective", "whole", minimum=1, required=True,
              help="The objective's number in section 3 of the MoU"),
        QUARTER,
        Field("baseline", "Baseline", "#indicator+baseline", "number",
              help="The indicator's baseline in the MoU (filled in from it)"),
        Field("target", "Target", "#indicator+target", "number",
              help="The indicator's target value in the MoU (filled in from it)"),
        Field("value", "Value reached", "#indicator+value", "number",
              help="The indicator's value at the end of the quarter"),
        Field("status", "Status", "#status+progress", "choice", vocab.OBJECTIVE_STATUSES,
              help="on track, delayed, achieved or dropped"),
        Field("done_on", "Done on", "#date+done", "date", help="For a milestone: the day it was done"),
        Field("comment", "Comment", "#description+progress", max_length=2000,
              help="What happened; required when the value falls back past the baseline"),
    )

    objective: int = 1
    baseline: float | None = None
    target: float | None = None
    value: float | None = None
    status: str | None = None
    done_on: dt.date | None = None
    comment: str = ""

    @property
    def falling(self) -> bool:
        """The target is below the baseline (fewer days to decide a dossier): lower is better."""
        return self.target is not None and self.baseline is not None and self.target < self.baseline

    @property
    def behind_baseline(self) -> bool:
        """The value is worse than where the objective started: below the baseline (above it, falling)."""
        if self.value is None or self.baseline is None:
            return False
        return self.value > self.baseline if self.falling else self.value < self.baseline

    def problems(self) -> list[Problem]:
        problems = super().problems()
        if self.behind_baseline and not self.comment.strip():
            side = "above" if self.falling else "below"
            shown = self.field("value").display
            problems.append(Problem("comment", self.comment, f"the value {shown(self.value)} is {side} the baseline "
                                                             f"{shown(self.baseline)}: say why in the comment"))
        problems += _not_in_the_future("done_on", self.done_on, "the done date")
        if self.done_on is not None and self.status in ("on track", "delayed"):
            problems.append(Problem("status", self.status, f"a done date goes with the status achieved, not "
                                                           f"{self.status}", "warning"))
        return problems


@dataclass(kw_only=True)
class ActivityProgress(_Reported):
    """What a quarter's return says of one activity of the implementation plan (section 5, by its number)."""

    TABLE: ClassVar[str] = "activity_progress"
    LETTER: ClassVar[str] = "A"
    NUMBER: ClassVar[str | None] = "activity"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        ARRANGEMENT,
        Field("activity", "Activity", "#meta+activity", "whole", minimum=1, required=True,
              help="The activity's number in section 5 of the MoU"),
        QUARTER,
        Field("state", "State", "#status+activity", "choice", vocab.ACTIVITY_STATES, required=True,
              help="not started, in progress, done or dropped"),
        Field("done_on", "Done on", "#date+done", "date", help="The day the activity was done"),
        Field("comment", "Comment", "#description+progress", max_length=2000),
    )

    activity: int = 1
    state: str = "not started"
    done_on: dt.date | None = None
    comment: str = ""

    def problems(self) -> list[Problem]:
        problems = super().problems()
        problems += _not_in_the_future("done_on", self.done_on, "the done date")
        if self.done_on is not None and self.state != "done":
            problems.append(Problem("state", self.state, f"a done date goes with the state done, not {self.state}",
                                    "warning"))
        if self.state == "done" and self.done_on is None:
            problems.append(Problem("done_on", None, "give the day the activity was done", "warning"))
        return problems


@dataclass(kw_only=True)
class Spending(_Reported):
    """What a quarter's return says the arrangement has spent of its funds, to the quarter's end."""

    TABLE: ClassVar[str] = "spending"
    LETTER: ClassVar[str] = "S"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        ARRANGEMENT,
        QUARTER,
        Field("spent", "Spent to date", "#value+spent", "number", minimum=0, required=True,
              help="Everything spent since the start, to the end of the quarter"),
        Field("currency", "Currency", "#currency", "currency", help="ISO 4217 code, e.g. EUR"),
        Field("comment", "Comment", "#description+progress", max_length=2000),
    )

    spent: float | None = None
    currency: str | None = None
    comment: str = ""

    def problems(self) -> list[Problem]:
        problems = super().problems()
        if self.spent is not None and not self.currency:
            problems.append(Problem("currency", self.currency, "give the currency of the amount spent", "warning"))
        return problems
