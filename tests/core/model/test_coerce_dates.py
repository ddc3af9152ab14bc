"""Dates typed as ISO text read as strptime's %Y-%m-%d read them, without strptime (whose first use loads its
locale machinery at every command's start): the same date, or the same refusal."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from twintui.core.model import coerce


def by_strptime(raw: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


CASES = ["2026-11-01", " 2026-11-01 ", "2024-02-29", "2023-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
         "2026-01-00", "0000-01-01", "0001-01-01", "9999-12-31", "1900-02-29", "2000-02-29", "２０２６-１１-０１"]


@pytest.mark.parametrize("raw", CASES)
def test_an_iso_date_reads_as_strptime_reads_it(raw: str) -> None:
    expected = by_strptime(raw)
    if expected is None:
        with pytest.raises(ValueError):
            coerce.date(raw)
    else:
        assert coerce.date(raw) == expected


def test_any_date_of_the_calendar_reads_back() -> None:
    rng = random.Random(4)
    for _ in range(2000):
        day = dt.date.fromordinal(rng.randint(1, dt.date.max.toordinal()))
        assert coerce.date(day.isoformat()) == day == by_strptime(day.isoformat())


def test_the_other_forms_still_read() -> None:
    assert coerce.date("31/07/2026") == coerce.date("31.07.2026") == coerce.date("2026/07/31") == dt.date(2026, 7, 31)
    assert coerce.date("2026-07-31T10:00:00") == coerce.date("2026-07-31 10:00:00") == dt.date(2026, 7, 31)
    assert coerce.date("46000") == dt.date(2025, 12, 9)
    with pytest.raises(ValueError, match="is not a date"):
        coerce.date("20260731")
