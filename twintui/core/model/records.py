"""The records of the Twinning Register: Arrangement, Partner and Risk (SPEC §2).

Each record class lists its ``FIELDS`` once; documents in the store, workbook
columns and form widgets follow from them. Every record also carries a
stable ``id``, a ``rev`` bumped by the store on every change, and who created
and last changed it.

Each record class also says its own problems (``problems()``: the field rules, then the
guidelines' rules for that record), so validating a record needs nothing but the record:
no table of validators that a feature's module fills in when it happens to be imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import orjson

from . import vocab
from .fields import Field, Problem, check_fields

@dataclass(kw_only=True)
class Bookkeeping:
    """What the store keeps on everything it holds: identity, revision and who touched it when.

    Records inherit it, and so does a comparison's model (``core.compare``), which the store
    keeps through a record of its own.
    """

    id: str = ""
    rev: int = 0
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""


META_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Bookkeeping))


@dataclass(kw_only=True)
class Record(Bookkeeping):
    """What every stored record has: the bookkeeping, its table and its fields."""

    TABLE: ClassVar[str]
    FIELDS: ClassVar[tuple[Field, ...]]
    # Fields that, with ``id``, identify a record (a partner's arrangement).
    PARENT: ClassVar[str | None] = None
    # A record of what happened outside the store (a return sent, a return received): a restore
    # keeps such records as they are, as it keeps the id counters (see Store.restore).
    KEPT_ON_RESTORE: ClassVar[bool] = False

    @property
    def key(self) -> str:
        """Unique within the table: the id, prefixed by the parent's id for child records."""
        if self.PARENT:
            return f"{getattr(self, self.PARENT)}/{self.id}"
        return self.id

    @classmethod
    def field(cls, name: str) -> Field:
        for candidate in cls.FIELDS:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def problems(self) -> list[Problem]:
        """Every problem at once, never raising on user input: the field rules here, a record's own after them."""
        return check_fields(self.FIELDS, self)

    def content(self) -> dict[str, Any]:
        """The user's fields as JSON values, without the bookkeeping."""
        return {f.name: f.to_doc(getattr(self, f.name)) for f in self.FIELDS}

    def content_hash(self) -> str:
        """A short hash of the content: how a return knows whether a record changed."""
        raw = orjson.dumps(self.content(), option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(raw).hexdigest()[:16]

    def to_doc(self) -> dict[str, Any]:
        doc = {name: getattr(self, name) for name in META_FIELDS}
        doc.update(self.content())
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        values: dict[str, Any] = {name: doc.get(name, default) for name, default in _META_DEFAULTS.items()}
        for f in cls.FIELDS:
            values[f.name] = f.from_doc(doc.get(f.name))
        return cls(**values)

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)

    def differences(self, other: Record | None) -> dict[str, tuple[Any, Any]]:
        """Field → (other's value, this value) for every user field that differs."""
        mine = self.content()
        theirs = other.content() if other is not None else {f.name: f.to_doc(f.empty()) for f in self.FIELDS}
        return {name: (theirs.get(name), value) for name, value in mine.items() if theirs.get(name) != value}


_META_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Bookkeeping)}


@dataclass(kw_only=True)
class Arrangement(Record):
    """One twinning arrangement: one row of the Twinning Register."""

    TABLE: ClassVar[str] = "arrangements"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("reporting_state", "Reporting state", "#country+code+reporting", "country", required=True,
              help="ISO 3166-1 alpha-3 code of the state reporting this arrangement (a country name is accepted)"),
        Field("title", "Title", "#activity+name", required=True, max_length=200,
              help="Short name of the arrangement, at most 200 characters"),
        Field("status", "Status", "#status", "choice", vocab.STATUSES, required=True),
        Field("activity_types", "Activity types", "#activity+type", "choices", vocab.ACTIVITY_TYPES,
              help="One or more activity types, separated by '; '"),
        Field("areas", "Resettlement areas", "#sector", "choices", vocab.AREAS,
              help="One or more resettlement areas, separated by '; '"),
        Field("learning_gap", "Learning / skills gap", "#description+gap",
              help="The area of resettlement to develop, the timeframe and the ideal end goal"),
        Field("objectives", "Objectives", "#description+objectives",
              help="At least one objective must strengthen resettlement capacity"),
        Field("outcomes", "Expected outcomes", "#description+outcomes"),
        Field("start", "Start date", "#date+start", "date", help="e.g. 2026-07-31"),
        Field("end", "End date", "#date+end", "date", help="On or after the start date"),
        Field("virtual", "Virtual twinning", "#indicator+virtual", "bool",
              help="yes if the twinning runs by teleconference or e-mail"),
        Field("funding_source", "Funding source", "#org+funder", help="e.g. national budget, ERF Community Action"),
        Field("funding_amount", "Funding amount", "#value+funding", "number", minimum=0),
        Field("currency", "Currency", "#currency", "currency", help="ISO 4217 code, e.g. EUR"),
        Field("best_practices", "Best practices", "#description+practice"),
        Field("lessons_learned", "Lessons learned", "#description+lessons"),
        Field("contact_name", "Contact name", "#contact+name"),
        Field("contact_email", "Contact e-mail", "#contact+email", "email"),
        Field("contact_phone", "Contact phone", "#contact+phone"),
        Field("reported_quarter", "Reported quarter", "#date+reported", "quarter",
              help="The quarter this entry was last reported, e.g. 2026-Q3"),
    )

    reporting_state: str = ""
    title: str = ""
    status: str = "planned"
    activity_types: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    learning_gap: str = ""
    objectives: str = ""
    outcomes: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    virtual: bool | None = None
    funding_source: str = ""
    funding_amount: float | None = None
    currency: str | None = None
    best_practices: str = ""
    lessons_learned: str = ""
    contact_name: str = ""
    contact_email: str | None = None
    contact_phone: str = ""
    reported_quarter: str | None = None

    def problems(self) -> list[Problem]:
        problems = super().problems()
        if self.start and self.end and self.end < self.start:
            problems.append(Problem("end", self.end, f"the end date {self.end} is before the start date {self.start}"))
        if self.status in ("active", "completed") and self.start is None:
            problems.append(Problem("start", None, f"an arrangement that is {self.status} needs a start date",
                                    "warning"))
        if self.status == "completed" and self.end is None:
            problems.append(Problem("end", None, "a completed arrangement needs an end date", "warning"))
        if self.funding_amount is not None and not self.currency:
            problems.append(Problem("currency", self.currency, "give the currency of the funding amount", "warning"))
        if self.activity_types == ["visit"] and not aims_at_capacity(self.objectives):
            problems.append(Problem(
                "activity_types", self.activity_types,
                "a familiarisation visit alone is not a twinning activity: add an objective that strengthens "
                "resettlement capacity, or further activities",
                "warning",
            ))
        elif self.objectives and not aims_at_capacity(self.objectives):
            problems.append(Problem(
                "objectives", self.objectives,
                "no objective names the resettlement capacity it strengthens (selection, integration, programme, ...)",
                "warning",
            ))
        return problems


_CAPACITY = re.compile(r"\b(" + "|".join(vocab.CAPACITY_TERMS) + r")", re.I)


def aims_at_capacity(objectives: str) -> bool:
    """Whether the objectives name some part of resettlement capacity."""
    return bool(_CAPACITY.search(objectives or ""))


@dataclass(kw_only=True)
class Partner(Record):
    """A state, NGO or organisation taking part in an arrangement (id ``P-<n>`` within it)."""

    TABLE: ClassVar[str] = "partners"
    PARENT: ClassVar[str | None] = "arrangement"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("arrangement", "Record ID", "#meta+id", required=True),
        Field("name", "Partner name", "#org+name", required=True, max_length=200),
        Field("type", "Partner type", "#org+type", "choice", vocab.PARTNER_TYPES, required=True),
        Field("country", "Country", "#country+code", "country"),
        Field("role", "Role", "#org+role", "choice", vocab.PARTNER_ROLES),
        Field("state_category", "State category", "#org+category", "choice", vocab.STATE_CATEGORIES,
              help="established, emerging or observer; blank for organisations that are not states"),
        Field("address", "Address", "#contact+address"),
        Field("contact", "Contact", "#contact+partner", help="Name, e-mail and phone of the partner's contact"),
    )

    arrangement: str = ""
    name: str = ""
    type: str = "state"
    country: str | None = None
    role: str | None = None
    state_category: str | None = None
    address: str = ""
    contact: str = ""

    def problems(self) -> list[Problem]:
        problems = super().problems()
        if self.state_category and self.type != "state":
            problems.append(Problem("state_category", self.state_category,
                                    "a state category applies only to partners of type 'state'", "warning"))
        if self.type == "state" and not self.country:
            problems.append(Problem("country", self.country, "a state partner needs its country", "warning"))
        return problems


@dataclass(kw_only=True)
class Risk(Record):
    """One entry of an arrangement's risk register (id ``R-<n>`` within it)."""

    TABLE: ClassVar[str] = "risks"
    PARENT: ClassVar[str | None] = "arrangement"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("arrangement", "Record ID", "#meta+id", required=True),
        Field("description", "Risk", "#description+risk", required=True, max_length=500),
        Field("category", "Category", "#risk+category", "choice", vocab.RISK_CATEGORIES, required=True),
        Field("likelihood", "Likelihood", "#risk+likelihood", "whole", minimum=1, maximum=5, required=True,
              help="1 (rare) to 5 (almost certain)"),
        Field("impact", "Impact", "#risk+impact", "whole", minimum=1, maximum=5, required=True,
              help="1 (negligible) to 5 (severe)"),
        Field("residual_likelihood", "Residual likelihood", "#risk+likelihood+residual", "whole", minimum=1, maximum=5,
              help="Likelihood once the mitigation is in place"),
        Field("residual_impact", "Residual impact", "#risk+impact+residual", "whole", minimum=1, maximum=5,
              help="Impact once the mitigation is in place"),
        Field("treatment", "Treatment", "#risk+treatment", "choice", vocab.RISK_TREATMENTS),
        Field("mitigation", "Mitigation", "#description+mitigation"),
        Field("owner", "Owner", "#contact+owner"),
        Field("status", "Risk status", "#status+risk", "choice", vocab.RISK_STATUSES, required=True),
        Field("next_review", "Next review", "#date+review", "date"),
    )

    arrangement: str = ""
    description: str = ""
    category: str = "other"
    likelihood: int = 1
    impact: int = 1
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    treatment: str | None = None
    mitigation: str = ""
    owner: str = ""
    status: str = "open"
    next_review: dt.date | None = None

    @property
    def score(self) -> int:
        return (self.likelihood or 0) * (self.impact or 0)

    @property
    def band(self) -> str:
        return vocab.band_for(self.score)

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact

    @property
    def residual_band(self) -> str | None:
        score = self.residual_score
        return None if score is None else vocab.band_for(score)

    def problems(self) -> list[Problem]:
        problems = super().problems()
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            missing = "residual_impact" if self.residual_impact is None else "residual_likelihood"
            problems.append(Problem(missing, None, "give both residual likelihood and residual impact, or neither"))
        residual = self.residual_score
        if residual is not None and residual > self.score:
            problems.append(Problem("residual_likelihood", self.residual_likelihood,
                                    f"the residual score {residual} is above the inherent score {self.score}: "
                                    "mitigation should not make a risk worse", "warning"))
        if self.status == "open" and not self.owner:
            problems.append(Problem("owner", self.owner, "an open risk needs an owner", "warning"))
        return problems

    def overdue(self, today: dt.date) -> bool:
        return self.status == "open" and self.next_review is not None and self.next_review < today

