"""Progress from the store: for each arrangement, the verdict on every objective, its plan and its spending.

The objectives and the plan are those of the MoU in force: the latest signed version, else the
latest version (a draft being worked to before it is signed). Progress records name objectives and
activities by their number in it. Arrangements with neither an MoU nor any reported progress have
nothing to say and are left out.

Read from the stored documents as they are (the store checked their shape), not through record
objects, and the quarterly values as rows of only the fields the verdicts read (``ObjectiveReturn``,
``Store.rows``): a register of 10,000 arrangements holds about 120,000 of them, and the whole answer
is meant to come in under a second (``bench/progress_bench.py`` measures it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import msgspec

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


class ArrangementRow(msgspec.Struct, frozen=True, gc=False):
    """An arrangement as stored, only the fields its progress reads (``Store.rows``)."""

    id: Any = None  # required (the store checked it)
    reporting_state: Any = None
    title: Any = None
    funding_amount: Any = None
    currency: Any = None
    start: Any = None
    end: Any = None


class MemorandumRow(msgspec.Struct, frozen=True, gc=False):
    """An MoU version as stored, only what progress reads of it: its objectives, plan and funds as stored."""

    arrangement: Any = None
    version: Any = None
    status: Any = None
    objectives: Any = None  # section 3: {"objectives": [...], ...}
    plan: Any = None  # section 5: {"activities": [...]}
    funding: Any = None  # section 7


class ObjectiveReturn(msgspec.Struct, frozen=True, gc=False):
    """What one quarter's return said of one objective (an ``ObjectiveProgress`` as stored): only the fields
    the verdicts read, each as stored. A register has 100,000s: read as these (``Store.rows``), not as
    whole documents, they take a third of the time and memory to read."""

    arrangement: Any = None
    objective: Any = None  # required, a whole number (the store checked it)
    quarter: Any = None  # required
    value: Any = None
    status: Any = None
    done_on: Any = None
    comment: Any = None
    updated_at: Any = None


def _by_objective(reported: Iterable[ObjectiveReturn]) -> dict[str, dict[int, list[ObjectiveReturn]]]:
    """Returns by arrangement, then by objective number, in one pass (a register has 100,000s)."""
    grouped: dict[str, dict[int, list[ObjectiveReturn]]] = {}
    for one in reported:
        arrangement = one.arrangement
        by_number = grouped.get(arrangement)
        if by_number is None:
            by_number = grouped[arrangement] = {}
        number = one.objective
        same = by_number.get(number)
        if same is None:
            by_number[number] = [one]
        else:
            same.append(one)
    return grouped


# A Reading made without its Python-level __new__ (100,000s of them: the same tuple, in two thirds of the time).
_reading = partial(tuple.__new__, Reading)


_FREE_TEXT = verdicts.Outlook("free text", "an indicator in words is not counted: make it a number or a milestone "
                                           "in the MoU to get a verdict")


def _outlook(arrangement: str, state: str, number: int, objective: Objective, returns: list[ObjectiveReturn],
             as_of: dt.date, now: str) -> ObjectiveOutlook:
    """The verdict on one objective from its quarters' returns (``now``: the quarter of ``as_of``)."""
    # One pass (a register has 100,000s of these returns): per quarter up to ``now`` the value reported
    # last, as ``values.by_quarter`` keeps it, and whether any return says the objective was dropped.
    kept: dict[str, Reading] = {}
    dropping = False
    for one in returns:
        quarter = one.quarter
        if quarter > now:
            continue
        reported = one.updated_at or ""
        value = one.value
        if value is not None:
            known = kept.get(quarter)
            if known is None or reported >= known[2]:
                kept[quarter] = _reading((quarter, value, reported))
        if one.status == "dropped":
            dropping = True
    values = [kept[q] for q in sorted(kept)]
    done_on = goal = None
    kind = objective.kind
    latest = _latest(returns, now) if dropping else None
    if latest is not None and latest.status == "dropped":
        outlook = verdicts.dropped(latest.quarter, latest.comment or "")
    elif kind == "number":
        goal = verdicts.goal(objective)
        outlook = verdicts.judged(goal, values, as_of) if goal is not None else verdicts.NO_TARGET
    elif kind == "milestone":
        reports = [verdicts.Report(r.quarter, r.status, date_or_none(r.done_on), r.updated_at or "")
                   for r in returns if r.quarter <= now]
        done_on = min((r.done_on for r in reports if r.done_on is not None), default=None)
        outlook = verdicts.milestone(objective, reports, as_of)
    else:
        outlook = _FREE_TEXT
    return ObjectiveOutlook(arrangement, state, number, objective, values, done_on, outlook, goal)


def _latest(returns: list[ObjectiveReturn], now: str) -> ObjectiveReturn | None:
    """The latest return up to ``now``: of the latest quarter, the one reported last (of two at the same
    moment, the later in the list)."""
    latest: ObjectiveReturn | None = None
    latest_quarter = latest_reported = ""
    for one in returns:
        quarter = one.quarter
        if quarter > now:
            continue
        reported = one.updated_at or ""
        if quarter > latest_quarter or (quarter == latest_quarter and reported >= latest_reported):
            latest, latest_quarter, latest_reported = one, quarter, reported
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
    arrangements = [a for a in store.rows(Arrangement, ArrangementRow) if state is None or a.reporting_state == state]
    if not arrangements:
        return []
    memos = in_force(store.rows(Memorandum, MemorandumRow), getattr)
    values = _by_objective(store.rows(ObjectiveProgress, ObjectiveReturn))
    activities = _by_arrangement(store.docs(ActivityProgress))
    spent = _by_arrangement(store.docs(Spending))
    now = coerce.quarter_of(as_of)
    if kept is not None and kept.as_of != as_of:
        kept.as_of, kept.by_id = as_of, {}
    known = kept.by_id if kept is not None else {}
    seen: dict[str, tuple[tuple[Any, ...], ArrangementProgress]] = {}
    out, worked_out = [], 0
    for doc in sorted(arrangements, key=lambda a: a.id):
        key = doc.id
        memo = memos.get(key)
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
    memo = in_force(msgspec.convert(docs[Memorandum], list[MemorandumRow]), getattr).get(arrangement_id)
    if memo is None and not (docs[ObjectiveProgress] or docs[ActivityProgress] or docs[Spending]):
        return None
    as_of = as_of or dt.date.today()
    returns = msgspec.convert(docs[ObjectiveProgress], list[ObjectiveReturn])
    return _arrangement(msgspec.convert(found.to_doc(), ArrangementRow), memo,
                        _by_objective(returns).get(arrangement_id, {}), docs[ActivityProgress], docs[Spending], as_of,
                        coerce.quarter_of(as_of))


def _arrangement(doc: ArrangementRow, memo: MemorandumRow | None, by_objective: dict[int, list[ObjectiveReturn]],
                 activities: list[dict[str, Any]], spent: list[dict[str, Any]], as_of: dt.date,
                 now: str) -> ArrangementProgress:
    """One arrangement's progress as of ``as_of`` (``now``: its quarter)."""
    key, state = doc.id, doc.reporting_state or ""
    aims = ((memo.objectives if memo else None) or {}).get("objectives") or []
    steps = ((memo.plan if memo else None) or {}).get("activities") or []
    money = (memo.funding if memo else None) or {}
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
            amount if amount is not None else doc.funding_amount,
            money.get("currency") or doc.currency or next((d.get("currency") or "" for d in spent), ""),
            date_or_none(money.get("available_from")) or date_or_none(doc.start),
            date_or_none(money.get("available_until")) or date_or_none(doc.end), as_of)
    label = f"version {memo.version} ({memo.status})" if memo else ""
    return ArrangementProgress(key, doc.title or "", state, label, objectives,
                               plan.states(plan_items, reported, as_of) if plan_items else [], burn)
