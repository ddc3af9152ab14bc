"""The Progress panel of an arrangement's record: where each objective will land, the plan, the spending.

The answers are the core's (``core.progress``: the verdicts, the projection, the burn rate; the gauges
in ``core.progress.gauge``); this draws them as styled text. The verdict is a word, with '!' before the
ones to act on (off track, late) as ``twintui progress`` prints them, and bold: nothing rests on colour.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ...core.mou.parts import figure
from ...core.progress import VERDICTS, ArrangementProgress, ObjectiveOutlook
from ...core.progress.gauge import bar, sparkline, toward
from ...core.progress.plan import summary
from ...core.progress import ACT_ON
from ...core.progress.spending import Burn
from ...core.text import clip

BAR = 10  # cells: a tenth of the way per cell
BOLD, DIM = "bold", "dim"


def hanging(lead: Text, lines: list[Text]) -> Table:
    """``lines`` beside ``lead``, a long line wrapping under itself rather than under the lead."""
    grid = Table.grid()
    grid.add_column(width=max(1, lead.cell_len), no_wrap=True)
    grid.add_column(ratio=1)
    for n, line in enumerate(lines):
        grid.add_row(lead if n == 0 else Text(""), line)
    return grid


def title(progress: ArrangementProgress | None) -> str:
    """The section's title: 'Progress (4 objectives, 1 off track, 1 late)'."""
    if progress is None or not progress.objectives:
        return "Progress"
    counts = Counter(o.verdict for o in progress.objectives)
    worry = [f"{counts[v]} {v}" for v in VERDICTS if v in ACT_ON and counts[v]]
    n = len(progress.objectives)
    return f"Progress ({n} objective{'s' if n != 1 else ''}{''.join(', ' + w for w in worry)})"


def progress_text(progress: ArrangementProgress | None, as_of: dt.date) -> RenderableType:
    if progress is None:
        return Text("No MoU with objectives and no progress reported yet: the objectives are counted once an "
                    "MoU (screen 3) gives them an indicator, and the quarterly return's Progress sheet their "
                    "values.", style=DIM)
    counts = Counter(o.verdict for o in progress.objectives)
    head = Text(f"MoU {progress.mou}" if progress.mou else "No MoU in force", style=BOLD)
    head.append(f" · as of {as_of.isoformat()}", style="")
    worry = [f"{counts[v]} {v}" for v in VERDICTS if v in ACT_ON and counts[v]]
    if worry:
        head.append(" · " + ", ".join(worry) + " (!)", style=BOLD)
    blocks: list[RenderableType] = [head]
    blocks += [objective_block(item) for item in progress.objectives]
    if progress.activities:
        blocks += [Text(""), hanging(Text("Activities: ", style=BOLD), [Text(summary(progress.activities))])]
        for state in progress.activities:
            done = f" {state.done_on.isoformat()}" if state.done_on else ""
            line = Text(f"{state.state}{done}")
            if state.late:
                end = state.activity.end.isoformat() if state.activity.end else ""
                line.append(f" ! late (ended {end})", style=BOLD)
            line.append(f"  {clip(' '.join(state.activity.what.split()), 200)}")
            blocks.append(hanging(Text(f"  {state.number:>2} "), [line]))
    if progress.spending is not None:
        blocks += [Text(""), *spending_blocks(progress.spending)]
    return Group(*blocks)


def objective_block(item: ObjectiveOutlook) -> Table:
    """The verdict and the indicator; for a number its bar, the latest against the target and the values
    as a sparkline; then the reason (the projection)."""
    o, verdict = item.objective, item.verdict
    acting = verdict in ACT_ON
    lead = Text(f"{item.number:>2} ")
    lead.append("!" if acting else " ", style=BOLD)
    head = Text(f"{verdict:<15}", style=BOLD if acting else "")
    head.append(" " + (o.indicator or o.text), style="")
    lines = [head]
    unit = f" {o.unit}" if o.unit else ""
    if o.kind == "number" and o.target_value is not None:
        baseline = o.baseline or 0.0
        latest = item.values[-1].value if item.values else None
        share = toward(latest, baseline, o.target_value) if latest is not None else None
        gauge = Text(bar(share, BAR))
        gauge.append(f" {share:>4.0%}" if share is not None else "    –")
        reached = f"{figure(latest)} of " if latest is not None else "target "
        gauge.append(f"  {reached}{figure(o.target_value)}{unit} (from {figure(baseline)})")
        if item.values:
            spark = sparkline([r.value for r in item.values], low=baseline, high=o.target_value)
            values = " · ".join(f"{r.quarter} {figure(r.value)}" for r in item.values)
            lines += [gauge, Text(f"{spark} {values}")]
        else:
            lines.append(gauge)
    elif o.kind == "milestone":
        due = o.by.isoformat() if o.by else "no date"
        done = f", done {item.done_on.isoformat()}" if item.done_on else ""
        lines.append(Text(f"milestone due {due}{done}"))
    lines.append(Text(item.outlook.reason, style=DIM if not acting else ""))
    return hanging(lead, lines)


def spending_blocks(burn: Burn) -> list[RenderableType]:
    """The burn rate in words, and the share spent beside the share of the period gone, as two bars."""
    blocks: list[RenderableType] = [hanging(Text("Spending: ", style=BOLD), [Text(burn.text())])]
    for label, share in (("spent", burn.share_spent), ("period", burn.share_elapsed)):
        if share is not None:
            blocks.append(Text(f"  {label:<8}{bar(share, BAR)} {share:>4.0%}"))
    return blocks
