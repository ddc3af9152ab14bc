"""The register's summary panel: how many of the listed arrangements have each status and area.

It shows ``core.reports.summary.SummaryCounts`` of the rows the current filter lists (issue 9),
so narrowing the register by an area or a state answers "how many, in what
state" without leaving the list. Text markers only: it reads without colour.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from ...core.reports.summary import SummaryCounts
from ...core.text import clip


class SummaryPanel(Static):
    """Counts by status on one line, then the areas in two columns (one when narrow)."""

    HELP: ClassVar[str] = ("What the list shows now, counted: arrangements by status, then by resettlement area "
                           "(an arrangement counts once for each area it names). It follows the filter and the "
                           "facets; i hides it.")
    DEFAULT_CSS = """
    SummaryPanel {
        display: none;
        height: auto;
        max-height: 10;
        padding: 0 1;
        border-top: solid $panel;
    }
    """

    counts: SummaryCounts | None = None
    described = ""

    def show_counts(self, counts: SummaryCounts, described: str = "") -> None:
        self.counts, self.described = counts, described
        self.update(render_counts(counts, max(20, (self.size.width or self.app.size.width) - 2), described))

    def on_resize(self) -> None:
        if self.counts is not None:
            self.update(render_counts(self.counts, max(20, self.size.width - 2), self.described))


def render_counts(counts: SummaryCounts, width: int, described: str = "") -> Text:
    """The panel's text for ``width`` columns."""
    text = Text(no_wrap=False)
    text.append(f"{counts.total:,}", style="bold")
    text.append(" listed" + (f" ({described})" if described else ""))
    statuses = [(name, n) for name, n in counts.by_status.items() if n]
    if statuses:
        text.append(" · by status: ")
        text.append(" · ".join(f"{name} {n:,}" for name, n in statuses))
    areas = [(name, n) for name, n in counts.by_area.items() if n]
    if counts.without_area:
        areas.append(("(no area)", counts.without_area))
    if not areas:
        return text
    text.append("\nby area:", style="bold")
    number = max(len(f"{n:,}") for _, n in areas)
    columns = 2 if width >= 60 else 1
    column_width = width // columns
    # The counts stay aligned: only the name is clipped, to what the count and two spaces leave.
    cells = [f"{n:>{number},}  {clip(name, column_width - 3 - number)}" for name, n in areas]
    rows = (len(cells) + columns - 1) // columns
    for row in range(rows):
        line = " ".join(cells[row + col * rows].ljust(column_width - 1)
                        for col in range(columns) if row + col * rows < len(cells))
        text.append("\n" + line.rstrip())
    return text

