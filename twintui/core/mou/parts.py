"""The parts of a memorandum's sections: objectives (3), roles (4), activities (5), funding (7), evaluation (8).

Each part is a dataclass the editor's forms fill and the checks read; ``*_from`` read one back from
the stored JSON, leniently (a value edited by hand that cannot be read is blank), and ``to_doc``
writes one as JSON (dates as ISO text). ``Sections`` (in ``model``) holds them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, ClassVar

from ..model import coerce, vocab
from .dates import date_or_none, due_date


def _text(value: Any) -> str:
    return value.strip() if type(value) is str else coerce.text(value)  # stored text, fast (as coerce.text)


INDICATOR_KINDS: tuple[str, ...] = vocab.INDICATOR_KINDS  # text, number, milestone


@lru_cache(maxsize=8192)  # a register's verdicts write the same few numbers 100,000s of times
def figure(value: float) -> str:
    """A number as an official writes it: 5, 2.5, 1,200."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass
class Objective:
    """Section 3: one objective with what shows it is met, by when, and who answers for it.

    Its indicator is of one of three kinds: ``text`` (indicator and target in words, as every
    objective was written before there were kinds), ``number`` (counted in ``unit`` from
    ``baseline`` to ``target_value``) or ``milestone`` (done or not by its date). A number or a
    milestone is due by ``target_date``, or the objective's due date when it has none.
    """

    text: str = ""
    indicator: str = ""  # what is counted or observed
    target: str = ""  # the value that means "met", in words (a text indicator)
    due: str = ""  # a date or a quarter (2027-Q2)
    owner: str = ""  # a partner or person from section 4
    resources: str = ""  # what it needs, or why it needs no funds
    kind: str = "text"  # text, number or milestone
    unit: str = ""  # a number: what it counts (missions, officials trained, %)
    baseline: float | None = None  # a number: its value when the work starts (blank counts as 0)
    target_value: float | None = None  # a number: the value that means "met"
    target_date: dt.date | None = None  # a number or milestone: by when (blank: the due date)

    LABELS: ClassVar[dict[str, str]] = {
        "text": "Objective", "indicator": "Indicator", "target": "Target", "due": "Due (date or quarter)",
        "owner": "Owner", "resources": "Resources", "kind": "Indicator kind", "unit": "Unit",
        "baseline": "Baseline", "target_value": "Target value", "target_date": "Target date",
    }

    @property
    def by(self) -> dt.date | None:
        """The date the target or milestone is due: its own, else the objective's due date."""
        if self.target_date is not None:
            return self.target_date
        try:
            return due_date(self.due)
        except ValueError:
            return None

    @property
    def start(self) -> float:
        """Where a number starts: its baseline, 0 when none is given."""
        return self.baseline if self.baseline is not None else 0.0

    @property
    def falling(self) -> bool:
        """A number whose target is below its baseline (fewer days to decide a dossier): lower is better."""
        return self.kind == "number" and self.target_value is not None and self.target_value < self.start

    def target_text(self) -> str:
        """The target as a document writes it: '5 missions (baseline 0)', 'done by 2026-06-30', or the words."""
        if self.kind == "number" and self.target_value is not None:
            unit = f" {self.unit}" if self.unit else ""
            base = f" (baseline {figure(self.baseline)})" if self.baseline is not None else ""
            when = f" by {self.target_date.isoformat()}" if self.target_date else ""
            return f"{figure(self.target_value)}{unit}{base}{when}"
        if self.kind == "milestone":
            return f"done by {self.target_date.isoformat()}" if self.target_date else "done"
        return self.target


@dataclass
class Role:
    """Section 4: who does what, per partner and per person; ``overall`` marks overall responsibility."""

    party: str = ""  # a partner (or a partner drawn in later)
    person: str = ""
    responsibility: str = ""
    overall: bool = False

    LABELS: ClassVar[dict[str, str]] = {
        "party": "Partner", "person": "Person", "responsibility": "Responsibility",
        "overall": "Overall responsibility",
    }


@dataclass
class Activity:
    """Section 5: one activity of the implementation plan."""

    what: str = ""
    who: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    milestone: str = ""  # the outcome or milestone it works towards

    LABELS: ClassVar[dict[str, str]] = {
        "what": "Activity", "who": "Who", "start": "Start", "end": "End", "milestone": "Milestone / outcome",
    }


@dataclass
class Funding:
    """Section 7: the source, amount and period of the funds (if any)."""

    source: str = ""
    amount: float | None = None
    currency: str = ""
    total_cost: float | None = None  # the whole cost, for a call's co-financing ceiling
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    committed: bool | None = None  # the lead organisation commits its own resources
    note: str = ""  # e.g. why no funds are needed

    LABELS: ClassVar[dict[str, str]] = {
        "source": "Source", "amount": "Amount", "currency": "Currency", "total_cost": "Total cost",
        "available_from": "Available from", "available_until": "Available until",
        "committed": "Own resources committed", "note": "Note",
    }

    @property
    def funded(self) -> bool:
        return bool(self.source.strip()) and (self.amount or 0) > 0

    def amount_text(self, amount: float | None = None) -> str:
        value = self.amount if amount is None else amount
        if value is None:
            return ""
        shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        return f"{self.currency} {shown}".strip()


@dataclass
class Evaluation:
    """Section 8: reviews at milestones and at the end, who reports, how findings spread nationally."""

    milestones: str = ""
    final: str = ""
    reporting: str = ""
    dissemination: str = ""

    LABELS: ClassVar[dict[str, str]] = {
        "milestones": "Milestone reviews", "final": "Final evaluation and lessons learned",
        "reporting": "Who reports and evaluates", "dissemination": "National dissemination of findings",
    }


def objective_from(data: Any) -> Objective:
    data = data if isinstance(data, dict) else {}
    kind = _text(data.get("kind")) or "text"
    get = data.get
    return Objective(
        _text(get("text")), _text(get("indicator")), _text(get("target")), _text(get("due")), _text(get("owner")),
        _text(get("resources")), kind if kind in INDICATOR_KINDS else "text", _text(get("unit")),
        number_or_none(get("baseline")), number_or_none(get("target_value")), date_or_none(get("target_date")),
    )


def role_from(data: Any) -> Role:
    data = data if isinstance(data, dict) else {}
    return Role(party=_text(data.get("party")), person=_text(data.get("person")),
                responsibility=_text(data.get("responsibility")), overall=bool(data.get("overall")))


def activity_from(data: Any) -> Activity:
    data = data if isinstance(data, dict) else {}
    return Activity(what=_text(data.get("what")), who=_text(data.get("who")),
                    start=date_or_none(data.get("start")), end=date_or_none(data.get("end")),
                    milestone=_text(data.get("milestone")))


def number_or_none(value: Any) -> float | None:
    if type(value) is int or type(value) is float:  # as stored: fast (the same as coerce.number's)
        return float(value) if abs(value) <= coerce.MAX_NUMBER else None
    try:
        return coerce.number(value)
    except ValueError:
        return None


def to_doc(item: Any) -> dict[str, Any]:
    """A part as JSON: dates as ISO text."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(item).items()}
