"""The returns tracker as the Returns screen lists it (core.workbook.tracker): cells, search, facets, sort."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from twintui.core.workbook import QuarterlyReturn, ReturnStatus
from twintui.core.workbook.tracker import ReturnRow, Tracker, TrackerFilter, facet_counts, query

DUE = dt.date(2026, 10, 30)


def status(state: str, quarter: str = "2026-Q3", **tracked: object) -> ReturnStatus:
    flags = {key: tracked.pop(key) for key in ("overdue", "reported") if key in tracked}
    return ReturnStatus(QuarterlyReturn(id=f"{state}-{quarter}", state=state, quarter=quarter, **tracked),
                        DUE, **flags)  # type: ignore[arg-type]


OVERDUE = status("NOR", overdue=True)
SENT = status("SWE", exported_at="2026-10-02T08:15:00+00:00", exported_by="focal.point", export_id="EXP-0007")
RECEIVED = status("CAN", exported_at="2026-10-01T08:00:00+00:00", exported_by="focal.point",
                  received_at="2026-10-20T09:30:00+00:00", received_by="maintainer",
                  received_file="twintui-return-CAN-2026-Q3.xlsx", applied_new=1, applied_changed=2)
OLDER = status("NOR", "2026-Q2", received_at="2026-07-20T09:30:00+00:00", applied_new=0, applied_changed=0)
NAMES = {"NOR": "Norway", "SWE": "Sweden", "CAN": "Canada"}


def rows() -> list[ReturnRow]:
    tracker = Tracker()
    tracker.load([OVERDUE, SENT, RECEIVED, OLDER], NAMES)
    return tracker.rows


def test_a_row_is_its_status_with_the_state_name() -> None:
    row = ReturnRow.of(RECEIVED, "Canada")
    assert (row.state, row.quarter, row.status, row.due, row.tracked) == ("CAN", "2026-Q3", "received", DUE,
                                                                          RECEIVED.tracked)
    assert row.key == ("CAN", "2026-Q3") and row.state_name == "Canada" and row.export_path is None


def test_cells_say_when_who_and_what_was_applied() -> None:
    late, sent, back, older = rows()
    assert [late.cell(key) for key in ("state", "quarter", "due", "exported", "received", "file", "applied",
                                       "status")] == ["NOR", "2026-Q3", "2026-10-30", "", "", "", "", "OVERDUE"]
    assert sent.cell("exported") == "2026-10-02 focal.point" and sent.cell("status") == "sent"
    assert back.cell("received") == "2026-10-20 maintainer" and back.cell("applied") == "+1 ~2"
    assert back.cell("file") == "twintui-return-CAN-2026-Q3.xlsx"
    assert older.cell("applied") == "+0 ~0"  # nothing applied is not "not back yet"


def test_search_reads_names_people_files_and_export_ids() -> None:
    found = {text: [row.key for row in query(rows(), TrackerFilter(text=text))]
             for text in ("norway", "FOCAL", "exp-0007", "CAN-2026")}
    assert found == {"norway": [("NOR", "2026-Q3"), ("NOR", "2026-Q2")],
                     "FOCAL": [("CAN", "2026-Q3"), ("SWE", "2026-Q3")],
                     "exp-0007": [("SWE", "2026-Q3")],
                     "CAN-2026": [("CAN", "2026-Q3")]}


def test_facets_narrow_and_count_what_the_other_choices_leave() -> None:
    wanted = TrackerFilter(quarters=frozenset({"2026-Q3"}), statuses=frozenset({"overdue", "sent"}))
    assert [row.state for row in query(rows(), wanted)] == ["NOR", "SWE"]
    counts = facet_counts(rows(), wanted)
    assert counts["statuses"] == {"overdue": 1, "sent": 1, "received": 1}  # as if no status were chosen
    assert counts["quarters"] == {"2026-Q3": 2}  # 2026-Q2's one row is received, not a chosen status
    assert counts["states"] == {"NOR": 1, "SWE": 1}
    assert wanted.describe() == "Status: overdue, sent · Quarter: 2026-Q3"
    assert TrackerFilter().describe() == ""


def test_sorting_puts_the_most_urgent_first_and_breaks_ties_newest_quarter_then_state() -> None:
    assert [row.key for row in query(rows(), TrackerFilter())] == [
        ("CAN", "2026-Q3"), ("NOR", "2026-Q3"), ("SWE", "2026-Q3"), ("NOR", "2026-Q2")]
    by_status = query(rows(), TrackerFilter(), sort="status", descending=False)
    assert [row.status for row in by_status] == ["overdue", "sent", "received", "received"]
    assert [row.key for row in by_status][2:] == [("CAN", "2026-Q3"), ("NOR", "2026-Q2")]
    by_applied = query(rows(), TrackerFilter(), sort="applied")
    assert by_applied[0].state == "CAN"


def test_an_export_of_this_session_stays_on_its_row_across_loads(tmp_path: Path) -> None:
    tracker = Tracker()
    tracker.load([OVERDUE, SENT], NAMES)
    path = tmp_path / "twintui-return-NOR-2026-Q3.xlsx"
    tracker.exported("NOR", "2026-Q3", path)
    assert [row.export_path for row in tracker.rows] == [path, None]
    tracker.load([SENT, OVERDUE], {})
    assert [(row.state, row.state_name, row.export_path) for row in tracker.rows] == [("SWE", "", None),
                                                                                      ("NOR", "", path)]
    assert len(tracker) == 2


def test_progress_reported_has_a_cell_a_facet_and_a_search_word() -> None:
    from twintui.core.progress.standing import Reporting

    progress = {("NOR", "2026-Q3"): Reporting(("TW-NOR-0001",), ()),
                ("CAN", "2026-Q3"): Reporting(("TW-CAN-0001", "TW-CAN-0002"), ("TW-CAN-0001",)),
                ("NOR", "2026-Q2"): Reporting(("TW-NOR-0001",), ("TW-NOR-0001",))}
    tracker = Tracker()
    tracker.load([OVERDUE, SENT, RECEIVED, OLDER], NAMES, progress)
    cells = {row.key: row.cell("progress") for row in tracker.rows}
    # Sweden is not in the answer (no arrangement of it owes progress): blank, "none owed" in the facet.
    assert cells == {("NOR", "2026-Q3"): "missing", ("SWE", "2026-Q3"): "", ("CAN", "2026-Q3"): "1 of 2",
                     ("NOR", "2026-Q2"): "reported"}
    assert facet_counts(tracker.rows, TrackerFilter())["progress"] == {"missing": 1, "partly": 1, "reported": 1,
                                                                       "none owed": 1}
    owing = query(tracker.rows, TrackerFilter(progress=frozenset({"missing", "partly"})))
    assert [row.key for row in owing] == [("CAN", "2026-Q3"), ("NOR", "2026-Q3")]
    assert [row.key for row in query(tracker.rows, TrackerFilter(text="progress missing"))] == [("NOR", "2026-Q3")]
    # Sorted by it, what to chase first: missing, then partly, reported, none owed.
    assert [row.cell("progress") for row in query(tracker.rows, TrackerFilter(), "progress", False)] == \
        ["missing", "1 of 2", "reported", ""]
