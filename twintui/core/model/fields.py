"""Field descriptions shared by the records, the workbook and the forms.

One ``Field`` says, for one attribute of a record, its Excel header, its HXL
hashtag, what kind of value it holds and which vocabulary it draws on. The
workbook's columns, the import's column matching, the forms' widgets and the
parsers below are all driven from these tuples, so a field is described once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import coerce


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field: what the user sees next to the field or cell."""

    field: str
    value: Any
    message: str
    severity: str = "error"  # "error" blocks saving; "warning" is shown and saved

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str  # the Excel header and the form label
    hxl: str
    # text, date, bool, number, whole, quarter, email, choice, choices, country, currency, or
    # data: a JSON structure kept as it is (a comparison's matrix, a memorandum's sections)
    kind: str = "text"
    vocabulary: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def parse(self, value: Any) -> Any:
        """The typed value of ``value`` (raises ValueError with a user-facing message)."""
        kind = self.kind
        if kind == "text":
            return coerce.text(value)
        if kind == "data":
            return value
        if kind == "choice":
            return coerce.choice(value, self.vocabulary)
        if kind == "choices":
            return coerce.choices(value, self.vocabulary)
        if kind == "country":
            return coerce.country_code(value)
        result = _PARSERS[kind](value)
        if result is not None and kind in ("number", "whole"):
            if self.minimum is not None and result < self.minimum:
                raise ValueError(f"{coerce.text(value)} is below the minimum {self.minimum:g}")
            if self.maximum is not None and result > self.maximum:
                raise ValueError(f"{coerce.text(value)} is above the maximum {self.maximum:g}")
        return result

    def empty(self) -> Any:
        # A data field's empty value is None, like every other field that is not text or a list.
        return [] if self.kind == "choices" else ("" if self.kind == "text" else None)

    def to_doc(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list) and self.kind != "data":
            return list(value)
        return value

    def from_doc(self, value: Any) -> Any:
        if value is None:
            return self.empty()
        if self.kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if self.kind == "choices":
            return list(value)
        return value

    def display(self, value: Any) -> str:
        """How the value reads in a table cell, a document or a spreadsheet cell."""
        if value is None:
            return ""
        if self.kind == "choices":
            return "; ".join(value)
        if self.kind == "bool":
            return "yes" if value else "no"
        if self.kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            # 3500000 and 3600000.5 read alike: '3,500,000' and '3,600,000.5'
            if float(value).is_integer():
                return f"{int(value):,}"
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        return coerce.text(value)


_PARSERS = {
    "date": coerce.date,
    "bool": coerce.boolean,
    "number": coerce.number,
    "whole": coerce.whole,
    "quarter": coerce.quarter,
    "email": coerce.email,
    "currency": coerce.currency,
}


def parse_fields(fields: tuple[Field, ...], raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Parse every field present in ``raw``; collect every problem instead of stopping at the first."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in fields:
        if field.name not in raw:
            continue
        try:
            values[field.name] = field.parse(raw[field.name])
        except ValueError as error:
            problems.append(Problem(field.name, raw[field.name], str(error)))
    return values, problems


def check_fields(fields: tuple[Field, ...], record: Any) -> list[Problem]:
    """Rules every field carries itself: required, length, vocabulary, range."""
    problems: list[Problem] = []
    for field in fields:
        value = getattr(record, field.name)
        blank = value is None or value == "" or value == []
        if blank:
            if field.required:
                problems.append(Problem(field.name, value, f"{field.label} is required"))
            continue
        if field.max_length is not None and isinstance(value, str) and len(value) > field.max_length:
            problems.append(
                Problem(field.name, value, f"{field.label} is {len(value)} characters long; at most {field.max_length}")
            )
        if field.kind in ("choice", "choices", "number", "whole", "email", "quarter", "country", "currency"):
            # Values set in code (not parsed) are checked against the same rules.
            try:
                parsed = field.parse(value)
            except ValueError as error:
                problems.append(Problem(field.name, value, str(error)))
                continue
            if parsed != value:
                problems.append(Problem(field.name, value, f"{field.label} should be written {field.display(parsed)!r}"))
    return problems
