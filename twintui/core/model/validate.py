"""Validation of whole records: field rules plus the guidelines' own rules.

Validators never raise on user input; they return every ``Problem`` at once so a
form can mark each field and an import can name each cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from . import vocab
from .fields import Problem, check_fields, parse_fields
from .records import Arrangement, Partner, Record, Risk

R = TypeVar("R", bound=Record)

_CAPACITY = re.compile(r"\b(" + "|".join(vocab.CAPACITY_TERMS) + r")", re.I)


def aims_at_capacity(objectives: str) -> bool:
    """Whether the objectives name some part of resettlement capacity."""
    return bool(_CAPACITY.search(objectives or ""))


def validate_arrangement(arrangement: Arrangement) -> list[Problem]:
    problems = check_fields(Arrangement.FIELDS, arrangement)
    a = arrangement
    if a.start and a.end and a.end < a.start:
        problems.append(Problem("end", a.end, f"the end date {a.end} is before the start date {a.start}"))
    if a.status in ("active", "completed") and a.start is None:
        problems.append(Problem("start", None, f"an arrangement that is {a.status} needs a start date", "warning"))
    if a.status == "completed" and a.end is None:
        problems.append(Problem("end", None, "a completed arrangement needs an end date", "warning"))
    if a.funding_amount is not None and not a.currency:
        problems.append(Problem("currency", a.currency, "give the currency of the funding amount", "warning"))
    if a.activity_types == ["visit"] and not aims_at_capacity(a.objectives):
        problems.append(Problem(
            "activity_types", a.activity_types,
            "a familiarisation visit alone is not a twinning activity: add an objective that strengthens "
            "resettlement capacity, or further activities",
            "warning",
        ))
    elif a.objectives and not aims_at_capacity(a.objectives):
        problems.append(Problem(
            "objectives", a.objectives,
            "no objective names the resettlement capacity it strengthens (selection, integration, programme, ...)",
            "warning",
        ))
    return problems


def validate_partner(partner: Partner) -> list[Problem]:
    problems = check_fields(Partner.FIELDS, partner)
    if partner.state_category and partner.type != "state":
        problems.append(Problem("state_category", partner.state_category,
                                "a state category applies only to partners of type 'state'", "warning"))
    if partner.type == "state" and not partner.country:
        problems.append(Problem("country", partner.country, "a state partner needs its country", "warning"))
    return problems


def validate_risk(risk: Risk) -> list[Problem]:
    problems = check_fields(Risk.FIELDS, risk)
    if (risk.residual_likelihood is None) != (risk.residual_impact is None):
        missing = "residual_impact" if risk.residual_impact is None else "residual_likelihood"
        problems.append(Problem(missing, None, "give both residual likelihood and residual impact, or neither"))
    residual = risk.residual_score
    if residual is not None and residual > risk.score:
        problems.append(Problem("residual_likelihood", risk.residual_likelihood,
                                f"the residual score {residual} is above the inherent score {risk.score}: "
                                "mitigation should not make a risk worse", "warning"))
    if risk.status == "open" and not risk.owner:
        problems.append(Problem("owner", risk.owner, "an open risk needs an owner", "warning"))
    return problems


VALIDATORS = {Arrangement: validate_arrangement, Partner: validate_partner, Risk: validate_risk}


def validate(record: Record) -> list[Problem]:
    validator = VALIDATORS.get(type(record))
    return validator(record) if validator else check_fields(type(record).FIELDS, record)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def build(cls: type[R], raw: Mapping[str, Any], base: R | None = None) -> tuple[R, list[Problem]]:
    """A record from raw field values (form text, spreadsheet cells), and every problem.

    Fields missing from ``raw`` keep the value they have in ``base``; a field that
    cannot be parsed keeps it too, and its problem is reported.
    """
    values, problems = parse_fields(cls.FIELDS, raw)
    record = (base or cls()).replace(**values)
    bad = {p.field for p in problems}
    problems.extend(p for p in validate(record) if p.field not in bad)
    return record, problems
