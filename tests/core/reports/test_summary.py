"""The register screen's summary counts follow the filter."""

from __future__ import annotations

from twintui.core import reports
from twintui.core.register import Filter, RegisterList
from twintui.core.store import Store

from .examples import TODAY


def test_summary_counts_follow_the_filter(small: Store) -> None:
    rows = RegisterList.from_store(small, TODAY)
    counts = reports.summary_counts(rows.query(Filter()))
    assert counts.total == 5
    assert list(counts.by_status.items()) == [("planned", 1), ("active", 1), ("completed", 2), ("suspended", 0),
                                              ("cancelled", 1)]
    assert counts.by_area["selection missions"] == 3 and counts.by_area["housing"] == 3
    filtered = reports.summary_counts(rows.query(Filter(states=frozenset({"NOR"}))))
    assert filtered.total == 2 and filtered.by_area["housing"] == 1 and filtered.by_status["active"] == 1
    assert filtered.lines()[0] == "2 arrangements: active 1 · completed 1"
