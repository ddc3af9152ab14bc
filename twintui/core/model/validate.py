"""Validation of whole records: field rules plus the guidelines' own rules, and building a record from raw text.

Validation never raises on user input; it returns every ``Problem`` at once so a
form can mark each field and an import can name each cell. The rules are the
record's own (``Record.problems``, overridden by each record class): a table of
validators here, filled in by the MoU and comparison modules at import, knew a
record's rules only when its module had been imported, so none is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from .fields import Problem, parse_fields
from .records import Record

R = TypeVar("R", bound=Record)


def validate(record: Record) -> list[Problem]:
    """Every problem of ``record``: its fields' rules and its own (``Record.problems``)."""
    return record.problems()


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
