"""`twintui progress`: where every objective will land, from the values the quarterly returns reported.

    twintui progress [--state ISO3] [--as-of DATE] [--json]

The verdicts are the core's (``twintui.core.progress``: the rule is in its ``verdicts`` module and
the README). Text fits 80 columns and reads without colour: ``!`` marks what needs acting on (off
track, late). ``--json`` is a stable list of objects, one per objective of an MoU in force.

Exit codes: 0 shown, 1 the state has no arrangement in the register, 2 bad usage (a state that is
not a country, a date that is not one) or a store that cannot be opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from collections import Counter
from typing import TYPE_CHECKING

from ..core.text import plural, printable
from .common import EXIT_FAILED, EXIT_OK, Command, hold_to_exit, open_store, parsed_by

if TYPE_CHECKING:
    from ..core.progress import ArrangementProgress, ObjectiveOutlook

WIDTH = 80
JSON_KEYS = ("arrangement", "state", "objective", "text", "kind", "indicator", "unit", "baseline", "target",
             "target_text", "target_date", "values", "done_on", "projection", "verdict", "reason")


def register(command: Command) -> None:
    """Add ``progress`` to the parser."""
    progress = command("progress", "where every MoU objective will land: the verdicts from the quarterly values "
                                   "(achieved, on track, at risk, off track; milestones done, due, late), the "
                                   "plan's activities and the spending", run_progress)
    progress.add_argument("--state", type=parsed_by("country", "NOR"), metavar="ISO3",
                          help="only this reporting state's arrangements (code or name)")
    progress.add_argument("--as-of", type=parsed_by("date", "2026-11-01"), metavar="DATE", dest="as_of",
                          help="the day of the verdicts (default: today); returns of later quarters are left out")
    progress.add_argument("--json", action="store_true",
                          help='a JSON list, one object per objective: {"' + '", "'.join(JSON_KEYS) + '"}')


def run_progress(args: argparse.Namespace) -> int:
    import gc

    from ..core.model import Arrangement
    from ..core.progress import assess

    # One pass that builds a verdict per objective (30,000 on a large register) and exits: it makes no
    # garbage cycles worth collecting, and every collection would walk the whole register as read.
    gc.disable()
    store = open_store(args, create=False)
    as_of = args.as_of or dt.date.today()
    found = assess(store, args.state, as_of)
    if args.state and not found and not any(d.get("reporting_state") == args.state for d in store.docs(Arrangement)):
        print(f"twintui: there is no arrangement of {args.state} in {store.path}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        import orjson

        rows = [o.to_json() for a in found for o in a.objectives]
        sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        hold_to_exit(store, found, rows)
        return EXIT_OK
    print("\n".join(printable(line) for line in lines(found, as_of, args.state)))
    hold_to_exit(store, found)
    return EXIT_OK


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]


def lines(found: list[ArrangementProgress], as_of: dt.date, state: str | None = None) -> list[str]:
    """The verdicts as text, 80 columns wide."""
    from ..core.progress import VERDICTS, plan

    objectives = [o for a in found for o in a.objectives]
    counts = Counter(o.verdict for o in objectives)
    where = f" of {state}" if state else ""
    out = [f"Progress as of {as_of.isoformat()}{where}: {plural(len(objectives), 'objective')} in "
           f"{plural(len(found), 'arrangement')}"]
    if not found:
        return [*out, "", "No arrangement has an MoU or reported progress yet."]
    out += _wrap(", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v]), "", "")
    for arrangement in found:
        out += ["", *_wrap(f"{arrangement.id}  {arrangement.title}", "", " " * 13)]
        out.append(f"  MoU {arrangement.mou}" if arrangement.mou else "  no MoU: objectives are not known")
        for item in arrangement.objectives:
            out += _objective(item)
        if arrangement.spending is not None:
            out += _wrap(arrangement.spending.text(), "  Spending: ", " " * 12)
        if arrangement.activities:
            out += _wrap(plan.summary(arrangement.activities), "  Plan: ", " " * 8)
    return [*out, "", *_wrap("! marks what to act on. A trend is the least-squares line through the values at "
                               "each quarter's end; at risk: it reaches the target within two quarters after its "
                               "date (README: Progress).", "", "")]


def _objective(item: ObjectiveOutlook) -> list[str]:
    from ..core.mou.model import figure
    from ..core.progress import ACT_ON

    objective = item.objective
    mark = "!" if item.verdict in ACT_ON else " "
    head = f"  {item.number:>2} {mark}{item.verdict:<16} "
    indent = " " * len(head)
    said = objective.indicator or objective.text
    out = _wrap(said, head, indent)
    if item.values:
        values = " · ".join(f"{r.quarter} {figure(r.value)}" for r in item.values)
        out += _wrap(f"{values}; target {objective.target_text()}", indent, indent)
    elif objective.kind != "text":
        out += _wrap(f"target {objective.target_text()}", indent, indent)
    out += _wrap(item.outlook.reason, indent, indent)
    return out

