"""How the Returns screen draws the tracker's rows: its table, the detail panel, the narrow cells, the overdue marker.

The rows themselves, their statuses, cells, filter, facets and sort are the core's
(``core.workbook.tracker``); what is here is how a terminal shows them: the
styled text of the panel under the table and the cells shortened when the
table is narrow.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ...core.text import plural
from ...core.workbook.tracker import COLUMNS, PROGRESS_MEANING, STATUS_MEANING, ReturnRow, stamp
from ..common.row_table import Column, RowTable


def overdue_marker(row: ReturnRow) -> str:
    return "!" if row.overdue else ""


def short_stamp(value: str) -> str:
    """'2026-11-20 focal.point' as '11-20 focal.point' when the table is narrow."""
    return value[5:] if len(value) >= 10 and value[4] == "-" else value


def short_date(value: str) -> str:
    return value[5:] if len(value) == 10 else value


def short_file(value: str) -> str:
    return value.removeprefix("twintui-return-")


def detail(row: ReturnRow | None, today: dt.date) -> Text:
    """The panel under the table: everything about the row under the cursor, in full."""
    if row is None:
        return Text("No return matches. c clears the filters; x exports a state's return.", style="dim")
    t = row.tracked
    head = Text.assemble((f"{row.state}", "bold"), f" {row.state_name}" if row.state_name else "",
                         f" · {row.quarter} · due {row.due.isoformat()} · ")
    if row.status == "overdue":
        late = (today - row.due).days
        head.append(f"! OVERDUE, {plural(late, 'day')} late", style="bold")
    else:
        head.append(f"{row.status}: {STATUS_MEANING[row.status]}")
    lines = [head]
    if t.exported_at:
        sent = Text.assemble(("Exported ", "bold"), f"{stamp(t.exported_at)} by {t.exported_by}")
        if t.export_id:
            sent.append(f" · export {t.export_id}")
        lines.append(sent)
    else:
        lines.append(Text.assemble(("Exported ", "bold"), "not yet (x exports it)"))
    if t.received_at:
        back = Text.assemble(("Received ", "bold"), f"{stamp(t.received_at)} by {t.received_by}")
        if t.received_file:
            back.append(f" · {t.received_file}")
        if t.received_sha256:
            back.append(f" · sha256 {t.received_sha256[:12]}…")
        back.append(f" · applied {t.applied_new or 0} new, {t.applied_changed or 0} changed")
        lines.append(back)
    else:
        lines.append(Text.assemble(("Received ", "bold"), "not yet (i imports the file the state sent back)"))
    lines.append(progress_line(row))
    # Last: a long path wraps, and the panel shows a few lines only.
    if t.exported_at and row.export_path is not None:
        lines.append(Text.assemble("Written to ", (str(row.export_path), "underline")))
    return Text("\n").join(lines)


def progress_line(row: ReturnRow) -> Text:
    """Whether the arrangements with an MoU in force reported progress for the quarter, and which did not."""
    status, progress = row.progress_status, row.progress
    line = Text.assemble(("Progress ", "bold"))
    if progress is None or status == "none owed":
        return line.append(PROGRESS_MEANING["none owed"])
    if status == "reported":
        return line.append(f"reported: {', '.join(progress.reported)}")
    missing = progress.missing
    line.append(f"{status}: ", style="bold")
    line.append(f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} not reported {row.quarter}")
    if progress.reported:
        line.append(f" ({len(progress.reported)} of {len(progress.expected)} did)")
    return line


TABLE_COLUMNS = [
    Column("state", "State", 5),
    Column("quarter", "Quarter", 9),
    Column("due", "Due", 10, narrow=short_date, narrow_width=5),
    Column("exported", "Exported", 22, narrow=short_stamp, narrow_width=13),
    Column("received", "Received", 22, narrow=short_stamp, narrow_width=13),
    # The file is in the panel below in full: at 80 columns its room goes to whether progress was reported.
    Column("file", "File", 0, narrow=short_file, hide_below=100),
    Column("applied", "Applied", 7),
    Column("progress", "Progress", 8),
    Column("status", "Status", 8),
]
assert [c.key for c in TABLE_COLUMNS] == [key for key, _ in COLUMNS]


TABLE_HELP = ("One row per state and quarter. '!' and OVERDUE mark a return not back 30 days after its quarter "
              "ended; Applied counts the records the import added (+) and changed (~). up/down move, enter exports "
              "the return of the row under the cursor, a click on a header sorts by that column.")


class ReturnsTable(RowTable):
    """The tracker's rows: enter exports the row's return (there is nothing else to open)."""

    HELP = TABLE_HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Export row", id="returns.table.export",
                tooltip="Export the return of the row under the cursor (state and quarter filled in)"),
    ]
