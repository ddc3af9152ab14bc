"""The report's quarterly return compliance: which states owed which returns, and how each was answered.

``quarter`` (default: the last quarter that has ended) chooses the eight quarters of the
compliance tables; a return is due 30 days after its quarter ends (``workbook.returns.due_date``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from .. import reporting
from ..model import coerce
from ..model.returns import QuarterlyReturn
from ..workbook.returns import due_date
from .model import COUNT, SHARE, Table

if TYPE_CHECKING:
    import pandas as pd

COMPLIANCE_QUARTERS = 8
# Compliance of one state's return for one quarter.
ON_TIME, LATE, MISSING, NOT_DUE = "on time", "late", "missing", "not yet due"


def quarters_ending(quarter: str, count: int = COMPLIANCE_QUARTERS) -> list[str]:
    """``count`` quarters ending with ``quarter``, oldest first."""
    number = int(quarter[:4]) * 4 + int(quarter[-1]) - 1
    return [f"{n // 4}-Q{n % 4 + 1}" for n in range(number - count + 1, number + 1)]


def compliance_status(received_at: str, quarter: str, today: dt.date) -> tuple[str, int | None]:
    """(on time | late | missing | not yet due, days late) of one return, by the 30-day due rule."""
    due = due_date(quarter)
    if received_at:
        received = dt.date.fromisoformat(received_at[:10])
        return (ON_TIME, None) if received <= due else (LATE, (received - due).days)
    return (MISSING, None) if today > due else (NOT_DUE, None)


def expected_states(frame: pd.DataFrame, quarters: list[str], today: dt.date) -> dict[str, set[str]]:
    """Quarter → the states expected to send its return (without the tracker's own states).

    A state is expected for a quarter when one of its arrangements ran during it, by
    ``core.reporting.runs_in`` (the rule of the Register and the Returns screen): not
    cancelled, started on or before the quarter's last day (without a start date: active
    or suspended) and not ended before its first.
    """
    kept = frame[(frame["status"] != "cancelled") & (frame["reporting_state"] != "")]
    start, end = kept["start"].fillna(""), kept["end"].fillna("")
    running = kept["status"].isin(reporting.RUNNING)
    expected: dict[str, set[str]] = {}
    for quarter in quarters:
        first, last = (d.isoformat() for d in coerce.quarter_bounds(quarter))
        started = ((start != "") & (start <= last)) | ((start == "") & running)
        ran = started & ((end == "") | (end >= first))
        expected[quarter] = set(kept.loc[ran, "reporting_state"])
    return expected


def compliance_tables(store: Any, frame: pd.DataFrame, quarters: list[str], today: dt.date,
                      names: dict[str, str]) -> list[Table]:
    """The summary per state ("Returns compliance") and the state × quarter grid ("Returns by quarter")."""
    import pandas as pd

    tracked = {(d.get("state"), d.get("quarter")): d for d in store.docs(QuarterlyReturn)
               if d.get("quarter") in quarters}
    expected = expected_states(frame, quarters, today)
    for state, quarter in tracked:
        expected[quarter].add(state)
    states = sorted(set().union(*expected.values()))
    grid, rows = [], []
    for state in states:
        counts = Counter()
        cells = []
        for quarter in quarters:
            if state not in expected[quarter]:
                cells.append("")
                continue
            status, late_by = compliance_status((tracked.get((state, quarter)) or {}).get("received_at") or "",
                                                quarter, today)
            counts[status] += 1
            cells.append(f"late ({late_by} d)" if status == LATE else status)
        due = counts[ON_TIME] + counts[LATE] + counts[MISSING]
        rows.append([state, names.get(state) or coerce.country_name(state), due, counts[ON_TIME], counts[LATE],
                     counts[MISSING], counts[NOT_DUE], counts[ON_TIME] / due if due else None])
        grid.append([state, *cells])
    summary = pd.DataFrame(rows, columns=["State", "Name", "Due", "On time", "Late", "Missing", "Not yet due",
                                          "On-time rate"])
    if len(summary):
        totals = summary[["Due", "On time", "Late", "Missing", "Not yet due"]].sum()
        summary.loc[len(summary)] = ["Total", "all states", *totals.tolist(),
                                     totals["On time"] / totals["Due"] if totals["Due"] else None]
    first, last = quarters[0], quarters[-1]
    rule = (f"A return is due {due_date(last).isoformat()} for {last}: 30 days after the quarter ends. "
            "A state is expected when it was sent the return or one of its arrangements ran in the quarter.")
    return [
        Table.of("Returns compliance", f"Quarterly return compliance per state, {first} to {last}", rule, summary,
                 {c: COUNT for c in ("Due", "On time", "Late", "Missing", "Not yet due")} | {"On-time rate": SHARE},
                 {"State": 8, "Name": 24}, total_row=len(summary) > 0),
        Table.of("Returns by quarter", f"Quarterly returns per state and quarter, {first} to {last}",
                 "on time, late (days after the due date), missing, not yet due; blank: not expected.",
                 pd.DataFrame(grid, columns=["State", *quarters]), {}, {"State": 8} | {q: 14 for q in quarters}),
    ]
