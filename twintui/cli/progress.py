"""`twintui progress`: where every objective will land, from the values the quarterly returns reported.

    twintui progress [--state ISO3] [--as-of DATE] [--json]

The verdicts are the core's (``twintui.core.progress``: the rule is in its ``verdicts`` module and
the README). Text fits 80 columns and reads without colour: ``!`` marks what needs acting on (off
track, late). ``--json`` is a stable list of objects, one per objective of an MoU in force. Both are
made by ``core.progress.listing``: from the store file, or by the store service (``--server``), which
holds the shared register in memory and works the verdicts out there.

Exit codes: 0 shown, 1 the state has no arrangement in the register, 2 bad usage (a state that is
not a country, a date that is not one) or a store that cannot be opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .common import EXIT_OK, Command, hold_to_exit, open_desk, parsed_by

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

    # One pass that builds a verdict per objective (30,000 on a large register) and exits: it makes no
    # garbage cycles worth collecting, and every collection would walk the whole register as read.
    gc.disable()
    desk = open_desk(args, create=False)
    found: list[object] = []
    made = desk.progress_bytes(args.state, args.as_of or dt.date.today(), "json" if args.json else "text",
                               found.append)
    hold_to_exit(desk, found, made)
    if args.json:
        sys.stdout.buffer.write(made.data)
    else:
        sys.stdout.write(made.data.decode())
    return EXIT_OK
