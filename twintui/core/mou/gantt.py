"""A text Gantt chart of the implementation plan, in any width, readable without colour.

One row per activity (its bar from start to end), the MoU period above them,
years and quarters on top. Parts of a bar outside the MoU period are drawn
with a different character and the row is flagged with '!', so a plan that
overruns shows without colour (NO_COLOR, 16-colour terminals, print).
"""

from __future__ import annotations

import datetime as dt

from ..text import clip
from .model import Sections

INSIDE = "█"
OUTSIDE = "▒"
PERIOD = "─"
TODAY = "▾"


def chart(sections: Sections, width: int = 76, today: dt.date | None = None) -> list[str]:
    """The chart as lines of exactly ``width`` characters (at least 30)."""
    width = max(width, 30)
    activities = sections.activities
    dates = [d for a in activities for d in (a.start, a.end) if d] + [d for d in (sections.start, sections.end) if d]
    if not activities:
        return ["No activities in the implementation plan yet.".ljust(width)]
    if not dates:
        return ["The activities have no dates yet: give each a start and an end.".ljust(width)]
    low, high = min(dates), max(dates)
    low = dt.date(low.year, (low.month - 1) // 3 * 3 + 1, 1)  # from the start of its quarter
    span = max((high - low).days + 1, 1)
    label_width = min(26, max(12, width // 3))
    bars = width - label_width - 3  # a space, the bars, a space, the flag
    bars = max(bars, 8)

    def column(day: dt.date) -> int:
        return min(max((day - low).days * bars // span, 0), bars - 1)

    def line(label: str, cells: list[str], flag: str = " ") -> str:
        return f"{clip(label, label_width).ljust(label_width)} {''.join(cells)} {flag}"[:width].ljust(width)

    # Years and quarter ticks.
    years = [" "] * bars
    ticks = [" "] * bars
    year = low.year
    while dt.date(year, 1, 1) <= high:
        for quarter in range(4):
            day = dt.date(year, 3 * quarter + 1, 1)
            if low <= day <= high:
                ticks[column(day)] = "|" if quarter == 0 else "·"
        first = max(dt.date(year, 1, 1), low)
        at = column(first)
        label = str(year) if bars - at >= 4 else ""
        if label and all(c == " " for c in years[at: at + 5]):
            years[at: at + len(label)] = list(label)
        year += 1
    if today and low <= today <= high:
        ticks[column(today)] = TODAY
    rows = [line("", years), line("", ticks)]

    start, end = sections.start, sections.end
    if start or end:
        cells = [" "] * bars
        a = column(start) if start else 0
        b = column(end) if end else bars - 1
        for i in range(a, b + 1):
            cells[i] = PERIOD
        cells[a], cells[b] = "├", "┤"
        rows.append(line("MoU period", cells))

    for number, activity in enumerate(activities, 1):
        label = f"{number} {activity.what or '(no name)'}"
        if not (activity.start and activity.end) or activity.end < activity.start:
            note = "(no dates)" if not (activity.start and activity.end) else "(ends before it starts)"
            rows.append(line(label, list(note.ljust(bars)[:bars]), "!"))
            continue
        cells = [" "] * bars
        flagged = False
        day_of_cell = [low + dt.timedelta(days=i * span // bars) for i in range(bars)]
        for i in range(column(activity.start), column(activity.end) + 1):
            outside = (start is not None and day_of_cell[i] < start and activity.start < start) or \
                      (end is not None and i >= column(end) + 1 and activity.end > end)
            cells[i] = OUTSIDE if outside else INSIDE
            flagged = flagged or outside
        outside_period = (start is not None and activity.start < start) or (end is not None and activity.end > end)
        missing = not activity.who.strip() or not activity.milestone.strip()
        rows.append(line(label, cells, "!" if outside_period or missing or flagged else " "))
    rows += legend(width)
    return rows


def legend(width: int) -> list[str]:
    """The key to the chart's characters, wrapped to ``width``."""
    items = [f"{INSIDE} activity", f"{OUTSIDE} outside the MoU period", f"├{PERIOD}┤ MoU period", f"{TODAY} today",
             "! check the activity"]
    lines, current = [], ""
    for item in items:
        if current and len(current) + 2 + len(item) > width:
            lines.append(current.ljust(width))
            current = item
        else:
            current = f"{current}  {item}" if current else item
    lines.append(current[:width].ljust(width))
    return lines
