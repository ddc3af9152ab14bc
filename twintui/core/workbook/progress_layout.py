"""The Progress sheet's layout: one table for the three kinds of progress record, a row each.

The sheet is one table, not three stacked ones, so that it keeps one header row and one HXL row
(sorting, filtering and HXL tools see one table) and a focal point reads an arrangement's rows
together: its objectives, then its plan's activities, then its spending. The three records share
their arrangement, quarter, done date and comment (the same fields and hashtags); what only one kind
has gets its own column, and a row's cells of the other kinds are locked and grey.

Which record a row is comes from its Progress ID (``O2-2026-Q3``, ``A4-2026-Q3``, ``S-2026-Q3``),
else from the number it gives in Objective or Activity, else it is the spending.
"""

from __future__ import annotations

from typing import Any

from ..model import Record, coerce
from ..model.progress import ARRANGEMENT, QUARTER, ActivityProgress, ObjectiveProgress, Spending
from .layout import Column

OBJECTIVE, ACTIVITY, SPENDING = ObjectiveProgress, ActivityProgress, Spending
KINDS: tuple[type[Record], ...] = (ObjectiveProgress, ActivityProgress, Spending)
BY_LETTER: dict[str, type[Record]] = {cls.LETTER: cls for cls in KINDS}  # type: ignore[attr-defined]


def _of(cls: type[Record], name: str, *, locked: bool = False, help: str = "") -> Column:
    spec = cls.field(name)
    return Column(name, spec.label, spec.hxl, spec, locked=locked, help=help or spec.help)


# Bookkeeping and what the MoU says are locked. What a focal point reads and writes comes first (it
# prints on the first page, after the ids); the rest of the bookkeeping follows the comment.
_ARRANGEMENT = Column("arrangement", ARRANGEMENT.label, ARRANGEMENT.hxl, ARRANGEMENT, locked=True,
                      help="The arrangement (filled by twintui)")
COLUMNS: tuple[Column, ...] = (
    _ARRANGEMENT,
    Column("id", "Progress ID", "#meta+id+progress", locked=True,
           help="Filled by twintui: O for an objective, A for an activity, S for the spending, then the quarter"),
    Column("what", "What", "#description+item", locked=True,
           help="The objective and its indicator, or the activity and its end date, as the MoU in force says"),
    Column("last", "Values from", "#date+quarter+last", locked=True,
           help="The quarter whose report the row was pre-filled with (blank: never reported)"),
    _of(ObjectiveProgress, "baseline", locked=True),
    _of(ObjectiveProgress, "target", locked=True),
    _of(ObjectiveProgress, "value"),
    _of(ObjectiveProgress, "status"),
    _of(ActivityProgress, "state"),
    _of(ActivityProgress, "done_on", help="The day the milestone or activity was done (not in the future)"),
    _of(Spending, "spent"),
    _of(Spending, "currency"),
    _of(ObjectiveProgress, "comment", help="What happened; required when a value falls back past the baseline"),
    Column("parent_title", "Arrangement title", "#activity+name", locked=True, help="For reading; not imported"),
    Column("quarter", QUARTER.label, QUARTER.hxl, QUARTER, locked=True, help="The quarter this return reports on"),
    _of(ObjectiveProgress, "objective", locked=True),
    _of(ActivityProgress, "activity", locked=True),
    Column("rev", "Revision", "#meta+rev", locked=True, help="Filled by twintui; blank until the quarter is reported"),
)
KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)

# The columns a row of each kind fills in (the rest of its cells are locked); the baseline and target
# are the MoU's, copied into the record.
OPEN: dict[type[Record], frozenset[str]] = {
    ObjectiveProgress: frozenset({"value", "status", "done_on", "comment"}),
    ActivityProgress: frozenset({"state", "done_on", "comment"}),
    Spending: frozenset({"spent", "currency", "comment"}),
}
SHOWN: dict[type[Record], frozenset[str]] = {  # what a row of each kind may hold at all
    ObjectiveProgress: OPEN[ObjectiveProgress] | {"objective", "baseline", "target"},
    ActivityProgress: OPEN[ActivityProgress] | {"activity"},
    Spending: OPEN[Spending],
}


def kind_of(own_id: str, objective: Any, activity: Any) -> type[Record] | None:
    """The record class of a row (None: its Progress ID names no kind)."""
    if own_id:
        return BY_LETTER.get(own_id[:1].upper())
    if not coerce.is_blank(objective):
        return ObjectiveProgress
    if not coerce.is_blank(activity):
        return ActivityProgress
    return Spending


def kind_name(cls: type[Record]) -> str:
    return {ObjectiveProgress: "objective", ActivityProgress: "activity", Spending: "spending"}[cls]
