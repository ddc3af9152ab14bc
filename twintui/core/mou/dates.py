"""Dates as a memorandum writes and reads them: ISO in the store, a due date that may be a quarter
or a year, months of a period (and a date some months on), and the long form a signed document uses."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ..model import coerce


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def parse_date(value: Any) -> dt.date | None:
    """A typed date; None when blank (raises ValueError with a user message otherwise).

    A bare number is refused: in a form it is a typo, never a spreadsheet serial.
    """
    if isinstance(value, str) and value.strip().isdigit():
        raise ValueError(f"'{value.strip()}' is not a date; write it as 2026-07-31 or 31/07/2026")
    return coerce.date(value)


def date_or_none(value: Any) -> dt.date | None:
    # Stored documents were checked when saved; a hand-edited bad date reads as blank.
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:  # how the store writes a date: read fast (a register's progress holds 100,000s)
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    try:
        return coerce.date(value)
    except ValueError:
        return None


_QUARTER = re.compile(r"\d{4}-Q[1-4]")


@lru_cache(maxsize=4096)
def due_date(value: str) -> dt.date | None:
    """The last day an objective may be met: a date, the last day of a quarter ('2027-Q2') or of a year.

    Cached: every verdict on an objective asks it, and a register has few distinct due dates.
    """
    if coerce.is_blank(value):
        return None
    raw = coerce.text(value)
    if re.fullmatch(r"(19|20)\d\d", raw):
        return dt.date(int(raw), 12, 31)
    if _QUARTER.fullmatch(raw):
        return coerce.quarter_bounds(raw)[1]
    try:
        return parse_date(raw)
    except ValueError:
        pass
    try:
        quarter = coerce.quarter(raw)
    except ValueError:
        raise ValueError(f"'{raw}' is not a date or a quarter; write 2027-06-30 or 2027-Q2") from None
    assert quarter is not None
    return coerce.quarter_bounds(quarter)[1]


def last_day(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Aug + 6 = 28/29 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return min(dt.date(year, month, 1) + dt.timedelta(days=day.day - 1), last_day(year, month))


def months_between(start: dt.date, end: dt.date) -> int:
    """Months from start to end inclusive, a part month counting as one (1 Jan-31 Dec is 12)."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month + (after.day > start.day)
    return max(months, 0)


def long_date(day: dt.date | None) -> str:
    """'31 December 2027' (how a signed document writes a date)."""
    return f"{day.day} {day.strftime('%B')} {day.year}" if day else ""
