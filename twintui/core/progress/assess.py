"""Progress from the store: for each arrangement, the verdict on every objective, its plan and its spending.

The objectives and the plan are those of the MoU in force: the latest signed version, else the
latest version (a draft being worked to before it is signed). Progress records name objectives and
activities by their number in it. Arrangements with neither an MoU nor any reported progress have
nothing to say and are left out.

Read from the stored documents as they are (the store checked their shape), not through record
objects: a register of 10,000 arrangements holds about 120,000 quarterly values, and the whole
answer is meant to come in under a second (``bench/progress_bench.py`` measures it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ..model import Arrangement, coerce
from ..model.progress import ActivityProgress, ObjectiveProgress, Spending, in_force
from ..mou.dates import date_or_none
from ..mou.model import Memorandum
from ..mou.parts import Activity, Objective, activity_from, number_or_none, objective_from
from . import plan, spending, verdicts
from .values import Reading

if TYPE_CHECKING:
    from ..store import Store


@dataclass(slots=True)  # made by the 10,000s: not frozen (five times faster to make)
class ObjectiveOutlook:
    """One objective of an arrangement's MoU, its values by quarter and its verdict."""

    arrangement: str
    state: str
    number: int
    objective: Objective
    values: list[Reading]
    done_on: dt.date | None
    outlook: verdicts.Outlook
    goal: verdicts.Goal | None = None  # a counted objective's target, as its verdict worked it out

    @property
    def verdict(self) -> str:
        return self.outlook.verdict

    def to_json(self) -> dict[str, Any]:
        """The objective as ``twintui progress --json`` says it, its dates as ``datetime.date``: orjson writes
        them as ISO text (as the command does; ``json.dumps`` would refuse them)."""
        o, outlook, goal = self.objective, self.outlook, self.goal
        kind = o.kind
        number = kind == "number"
        projection = outlook.projection
        if goal is not None:  # worked out once for every objective with the same target (``verdicts.goal``)
            target_text, by = goal.target_text, goal.by
        else:
            target_text, by = o.target_text(), o.by if kind != "text" else None
        return {
            "arrangement": self.arrangement, "state": self.state, "objective": self.number, "text": o.text,
            "kind": kind, "indicator": o.indicator, "unit": o.unit or None,
            "baseline": o.baseline if number else None, "target": o.target_value if number else None,
            "target_text": target_text, "target_date": by,
            "values": {q: v for q, v, _ in self.values}, "done_on": self.done_on,
            "projection": projection.to_json() if projection else None,
            "verdict": outlook.verdict, "reason": outlook.reason,
        }


@dataclass(slots=True)
class ArrangementProgress:
    """An arrangement's progress: its objectives' verdicts, its plan as reported, its spending."""

    id: str
    title: str
    state: str
    mou: str  # 'version 2 (signed)', or '' without an MoU
    objectives: list[ObjectiveOutlook] = field(default_factory=list)
    activities: list[plan.ActivityState] = field(default_factory=list)
    spending: spending.Burn | None = None


def _by_arrangement(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        grouped[str(doc.get("arrangement"))].append(doc)
    return grouped


def _by_objective(docs: Iterable[dict[str, Any]]) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """Progress documents by arrangement, then by objective number, in one pass (a register has 100,000s)."""
    grouped: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for doc in docs:
        arrangement = str(doc.get("arrangement"))
        by_number = grouped.get(arrangement)
        if by_number is None:
            by_number = grouped[arrangement] = {}
        number = doc["objective"]  # required, a whole number (the store checked it)
        same = by_number.get(number)
        if same is None:
            by_number[number] = [doc]
        else:
            same.append(doc)
    return grouped


# A Reading made without its Python-level __new__ (100,000s of them: the same tuple, in two thirds of the time).
_reading = partial(tuple.__new__, Reading)


_FREE_TEXT = verdicts.Outlook("free text", "an indicator in words is not counted: make it a number or a milestone "
                                           "in the MoU to get a verdict")


def _outlook(arrangement: str, state: str, number: int, objective: Objective, docs: list[dict[str, Any]],
             as_of: dt.date, now: str) -> ObjectiveOutlook:
    """The verdict on one objective from its progress documents (``now``: the quarter of ``as_of``)."""
    # One pass (a register has 100,000s of these documents): per quarter up to ``now`` the value reported
    # last, as ``values.by_quarter`` keeps it, and whether any return says the objective was dropped.
    kept: dict[str, Reading] = {}
    dropping = False
    for doc in docs:
        quarter = doc["quarter"]
        if quarter > now:
            continue
        reported = doc.get("updated_at") or ""
        value = doc.get("value")
        if value is not None:
            known = kept.get(quarter)
            if known is None or reported >= known[2]:
                kept[quarter] = _reading((quarter, value, reported))
        if doc.get("status") == "dropped":
            dropping = True
    values = [kept[q] for q in sorted(kept)]
    done_on = goal = None
    kind = objective.kind
    latest = _latest(docs, now) if dropping else None
    if latest is not None and latest.get("status") == "dropped":
        outlook = verdicts.dropped(latest["quarter"], latest.get("comment") or "")
    elif kind == "number":
        goal = verdicts.goal(objective)
        outlook = verdicts.judged(goal, values, as_of) if goal is not None else verdicts.NO_TARGET
    elif kind == "milestone":
        reports = [verdicts.Report(d["quarter"], d.get("status"), date_or_none(d.get("done_on")),
                                   d.get("updated_at") or "") for d in docs if d["quarter"] <= now]
        done_on = min((r.done_on for r in reports if r.done_on is not None), default=None)
        outlook = verdicts.milestone(objective, reports, as_of)
    else:
        outlook = _FREE_TEXT
    return ObjectiveOutlook(arrangement, state, number, objective, values, done_on, outlook, goal)


def _latest(docs: list[dict[str, Any]], now: str) -> dict[str, Any] | None:
    """The latest return up to ``now``: of the latest quarter, the one reported last (of two at the same
    moment, the later in the list)."""
    latest: dict[str, Any] | None = None
    latest_quarter = latest_reported = ""
    for doc in docs:
        quarter = doc["quarter"]
        if quarter > now:
            continue
        reported = doc.get("updated_at") or ""
        if quarter > latest_quarter or (quarter == latest_quarter and reported >= latest_reported):
            latest, latest_quarter, latest_reported = doc, quarter, reported
    return latest


class Kept:
    """Each arrangement's progress as ``assess`` last worked it out, with the documents it was worked out from.

    For a reader that assesses the same register again and again as commits change it (the store
    service): an arrangement whose documents are the same as last time (after a commit, nearly all of
    them) is not worked out again. The same means equal documents, found at once when they are the
    very same objects (a stored document is never changed in place: a commit stores a new one). One
    day of the verdicts at a time: another ``as_of`` starts afresh.
    """

    def __init__(self) -> None:
        self.as_of: dt.date | None = None
        self.by_id: dict[str, tuple[tuple[Any, ...], ArrangementProgress]] = {}
        self.worked_out = 0  # arrangements worked out (not found kept) by the last ``assess``
        self.json: dict[str, tuple[ArrangementProgress, bytes]] = {}  # each one's objectives as JSON (``listing``)


def assess(store: Store, state: str | None = None, as_of: dt.date | None = None,
           kept: Kept | None = None) -> list[ArrangementProgress]:
    """Every arrangement's progress (of ``state`` only, when given), as of ``as_of`` (default: today), by id;
    ``kept``: what an earlier call on this store worked out, to reuse where nothing changed (``Kept``)."""
    as_of = as_of or dt.date.today()
    arrangements = [d for d in store.docs(Arrangement) if state is None or d.get("reporting_state") == state]
    if not arrangements:
        return []
    memos = in_force(store.docs(Memorandum))
    values = _by_objective(store.docs(ObjectiveProgress))
    activities = _by_arrangement(store.docs(ActivityProgress))
    spent = _by_arrangement(store.docs(Spending))
    now = coerce.quarter_of(as_of)
    if kept is not None and kept.as_of != as_of:
        kept.as_of, kept.by_id = as_of, {}
    known = kept.by_id if kept is not None else {}
    seen: dict[str, tuple[tuple[Any, ...], ArrangementProgress]] = {}
    out, worked_out = [], 0
    for doc in sorted(arrangements, key=lambda d: d["id"]):
        key, memo = doc["id"], memos.get(doc["id"])
        if memo is None and key not in values and key not in activities and key not in spent:
            continue
        inputs = (doc, memo, values.get(key, {}), activities.get(key, []), spent.get(key, []))
        before = known.get(key)
        if before is not None and before[0] == inputs:
            made = before[1]
        else:
            made, worked_out = _arrangement(*inputs, as_of, now), worked_out + 1
        if kept is not None:
            seen[key] = (inputs, made)
        out.append(made)
    if kept is not None:
        kept.worked_out = worked_out
        # A state's pass keeps the other states' arrangements; a whole pass keeps only those still there.
        kept.by_id = {**known, **seen} if state is not None else seen
    return out


def assess_one(store: Store, arrangement_id: str, as_of: dt.date | None = None) -> ArrangementProgress | None:
    """One arrangement's progress, as ``assess`` says it, from its own documents only (found through the
    store's index by arrangement: opening a record costs the same on any size of register); None without
    an MoU or any reported progress."""
    found = store.get(Arrangement, arrangement_id)
    if found is None:
        return None
    docs = {cls: [record.to_doc() for record in store.children(cls, arrangement_id)]
            for cls in (Memorandum, ObjectiveProgress, ActivityProgress, Spending)}
    memo = in_force(docs[Memorandum]).get(arrangement_id)
    if memo is None and not (docs[ObjectiveProgress] or docs[ActivityProgress] or docs[Spending]):
        return None
    as_of = as_of or dt.date.today()
    return _arrangement(found.to_doc(), memo, _by_objective(docs[ObjectiveProgress]).get(arrangement_id, {}),
                        docs[ActivityProgress], docs[Spending], as_of, coerce.quarter_of(as_of))


def _arrangement(doc: dict[str, Any], memo: dict[str, Any] | None, by_objective: dict[int, list[dict[str, Any]]],
                 activities: list[dict[str, Any]], spent: list[dict[str, Any]], as_of: dt.date,
                 now: str) -> ArrangementProgress:
    """One arrangement's progress as of ``as_of`` (``now``: its quarter)."""
    key, state = doc["id"], doc.get("reporting_state") or ""
    aims = ((memo or {}).get("objectives") or {}).get("objectives") or []
    steps = ((memo or {}).get("plan") or {}).get("activities") or []
    money = (memo or {}).get("funding") or {}
    objectives = [_outlook(key, state, n, objective_from(item), by_objective.get(n, []), as_of, now)
                  for n, item in enumerate(aims, 1)]
    plan_items: list[Activity] = [activity_from(item) for item in steps]
    reported = [plan.Reported(d.get("activity") or 0, d["quarter"], d.get("state") or "not started",
                              date_or_none(d.get("done_on")), d.get("updated_at") or "") for d in activities] \
        if plan_items else []
    burn = None
    if spent:  # the funds of section 7, else the register's (amount, currency, the arrangement's dates)
        amount = number_or_none(money.get("amount"))
        burn = spending.burn(
            [Reading(d["quarter"], d.get("spent") or 0.0, d.get("updated_at") or "") for d in spent],
            amount if amount is not None else doc.get("funding_amount"),
            money.get("currency") or doc.get("currency") or next((d.get("currency") or "" for d in spent), ""),
            date_or_none(money.get("available_from")) or date_or_none(doc.get("start")),
            date_or_none(money.get("available_until")) or date_or_none(doc.get("end")), as_of)
    label = f"version {memo.get('version')} ({memo.get('status')})" if memo else ""
    return ArrangementProgress(key, doc.get("title") or "", state, label, objectives,
                               plan.states(plan_items, reported, as_of) if plan_items else [], burn)
