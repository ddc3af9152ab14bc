"""The Progress sheet's rows as exported: per arrangement, its MoU's objectives, its plan's activities and
its spending, each for the quarter being returned, pre-filled with what was reported last.

A row is the record of the return's quarter: the stored one when that quarter was reported already
(a second return for it), else a new one carrying the last quarter's value, status, state, done date
and amount spent, and the MoU's baseline and target. Its comment starts blank: last quarter's
comment explained last quarter. An untouched row reports nothing (the import leaves it unchanged);
the ``last`` column says which quarter its values are from.

Read from the stored documents (the MoU's objectives as the store keeps them): the workbook does not
load the MoU feature, only the record of which version is in force (``model.progress.in_force``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Arrangement, Record, coerce
from ..model.progress import ActivityProgress, ObjectiveProgress, Spending, in_force
from . import layout
from .progress_layout import COLUMNS, OPEN, SHOWN

if TYPE_CHECKING:
    from ..store import Store

MEMORANDA = "memoranda"  # the MoU's table (its model lives in the MoU feature)


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One row of the Progress sheet: the record it stands for and what the sheet shows beside it."""

    record: Record  # rev 0: the quarter is not reported yet (the record would be new)
    title: str  # the arrangement's
    what: str
    last: str  # the quarter the values are from ('' never reported)

    def values(self) -> list[Any]:
        shown = SHOWN[type(self.record)]
        out = []
        for column in COLUMNS:
            key = column.key
            if key == "parent_title":
                value: Any = self.title
            elif key == "what":
                value = self.what
            elif key == "last":
                value = self.last
            elif key == "rev":
                value = self.record.rev or None
            elif column.field is None or key in ("id", "arrangement", "quarter") or key in shown:
                value = getattr(self.record, key)
            else:
                value = None
            out.append(layout.cell_value(column.field, value))
        return out

    def open_columns(self) -> frozenset[str]:
        return OPEN[type(self.record)]


@dataclass(frozen=True, slots=True)
class Plan:
    """What the MoU in force of one arrangement asks to report on (stored documents)."""

    objectives: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    funding: dict[str, Any]


def plans(store: Store) -> dict[str, Plan]:
    """Arrangement id → the objectives, activities and funding of its MoU in force."""
    from ..store.tables import TABLES

    out = {}
    for key, memo in in_force(store.docs(TABLES[MEMORANDA])).items():
        out[key] = Plan(list(((memo.get("objectives") or {}).get("objectives")) or []),
                        list(((memo.get("plan") or {}).get("activities")) or []), dict(memo.get("funding") or {}))
    return out


def progress_rows(store: Store, arrangements: Sequence[Arrangement], quarter: str) -> list[ProgressRow]:
    """The rows of the Progress sheet for ``arrangements`` (in their order) and the quarter returned."""
    wanted = {a.id for a in arrangements}
    found = plans(store)
    reported = {cls: by_item(store.docs(cls), wanted) for cls in (ObjectiveProgress, ActivityProgress, Spending)}
    rows = []
    for arrangement in arrangements:
        plan = found.get(arrangement.id)
        if plan is None:
            continue  # no MoU: no objectives to report on
        rows += [prefilled(arrangement, plan, ObjectiveProgress, n, quarter, reported[ObjectiveProgress])
                 for n in range(1, len(plan.objectives) + 1)]
        rows += [prefilled(arrangement, plan, ActivityProgress, n, quarter, reported[ActivityProgress])
                 for n in range(1, len(plan.activities) + 1)]
        rows.append(prefilled(arrangement, plan, Spending, 0, quarter, reported[Spending]))
    return rows


Reported = dict[tuple[str, int], list[dict[str, Any]]]


def by_item(docs: Iterable[dict[str, Any]], wanted: set[str]) -> Reported:
    """(arrangement, objective or activity number; 0 for spending) → its stored documents."""
    grouped: Reported = defaultdict(list)
    for doc in docs:
        if doc.get("arrangement") in wanted:
            grouped[(doc["arrangement"], int(doc.get("objective") or doc.get("activity") or 0))].append(doc)
    return grouped


def prefilled(arrangement: Arrangement, plan: Plan, cls: type[Record], number: int, quarter: str,
              reported: Reported) -> ProgressRow:
    """The record of one item for ``quarter``: the stored one, else one with the last reported values."""
    docs = [d for d in reported.get((arrangement.id, number), ()) if str(d.get("quarter")) <= quarter]
    latest = max(docs, key=lambda d: (d["quarter"], d.get("updated_at") or ""), default=None)
    what = describe(cls, number, plan, arrangement)
    if latest is not None and latest["quarter"] == quarter:
        return ProgressRow(cls.from_doc(latest), arrangement.title, what, quarter)
    fields: dict[str, Any] = {"arrangement": arrangement.id, "quarter": quarter}
    if cls is ObjectiveProgress:
        fields["objective"] = number
        fields.update(mou_figures(plan, number))
        carried = ("value", "status", "done_on")
    elif cls is ActivityProgress:
        fields["activity"] = number
        carried = ("state", "done_on")
    else:
        fields["currency"] = plan.funding.get("currency") or arrangement.currency
        carried = ("spent", "currency")
    record = cls(**fields)
    if latest is not None:
        before = cls.from_doc(latest)
        record = record.replace(**{name: getattr(before, name) for name in carried
                                   if getattr(before, name) not in (None, "")})
    return ProgressRow(record, arrangement.title, what, latest["quarter"] if latest is not None else "")


def mou_figures(plan: Plan, number: int) -> dict[str, float | None]:
    """An objective's baseline and target as the MoU in force counts them (none for words or a milestone)."""
    item = plan.objectives[number - 1] if 0 < number <= len(plan.objectives) else {}
    if not isinstance(item, dict) or item.get("kind") != "number":
        return {"baseline": None, "target": None}
    return {"baseline": _number(item.get("baseline")), "target": _number(item.get("target_value"))}


def _number(value: Any) -> float | None:
    try:
        return coerce.number(value)
    except ValueError:
        return None


def describe(cls: type[Record], number: int, plan: Plan, arrangement: Arrangement) -> str:
    """What a row is about, for the focal point: the objective and its indicator, the activity, the funds."""
    if cls is Spending:
        money = plan.funding
        amount, currency = _number(money.get("amount")), money.get("currency") or arrangement.currency or ""
        if amount is None:
            amount = arrangement.funding_amount
        funds = f"; funds {currency} {amount:,.0f}".replace("  ", " ") if amount else ""
        period = (f" available {money.get('available_from')} to {money.get('available_until')}"
                  if money.get("available_from") and money.get("available_until") else "")
        return f"Spent to date{funds}{period}"
    items = plan.objectives if cls is ObjectiveProgress else plan.activities
    item = items[number - 1] if 0 < number <= len(items) and isinstance(items[number - 1], dict) else {}
    if cls is ActivityProgress:
        end = f" (ends {item['end']})" if item.get("end") else ""
        return f"{coerce.text(item.get('what'))}{end}"
    text = coerce.text(item.get("text"))
    indicator, unit = coerce.text(item.get("indicator")), coerce.text(item.get("unit"))
    kind = item.get("kind") or "text"
    by = item.get("target_date") or item.get("due") or ""
    if kind == "number":
        measure = f"{indicator} ({unit})" if unit and indicator else indicator or unit
        gauge = f"counted: {measure}" + (f", by {by}" if by else "")
    elif kind == "milestone":
        gauge = f"milestone: {indicator or 'done'}" + (f", by {by}" if by else "") + "; give the day it was done"
    else:
        words = "; ".join(x for x in (indicator, coerce.text(item.get("target"))) if x)
        gauge = f"in words: {words}" if words else ""
    return f"{text} [{gauge}]" if gauge else text
