"""`twintui compare list | show NAME | export NAME -o FILE.xlsx`: partner comparisons on the command line.

Exit codes as everywhere: 0 done, 1 the comparison is not there, 2 bad usage, a file that
cannot be written or a store that cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The comparison's core is imported by the actions that use it: every command's start-up pays this module's imports.
from ..core.text import printable
from .common import EXIT_OK, EXIT_USAGE, Command, actions_of, open_desk, open_store


def register(command: Command) -> None:
    """Add `compare` and its actions to the parser."""
    compare = command("compare", "partner comparisons: list them, show one, export one to Excel", _usage)
    action = actions_of(compare, "compare_action")

    listing = action("list", "the comparisons in the store", run_list)
    listing.add_argument("--json", action="store_true", help="a JSON list of objects with 'name' and more")

    show = action("show", "the matrix of one comparison: scores, totals, ranks, sensitivity", run_show)
    show.add_argument("name", metavar="NAME",
                      help="the comparison's name (case, spacing and punctuation aside) or its id (COM-0001)")
    show.add_argument("--json", action="store_true", help="the matrix as JSON (a stable shape for scripts)")

    export = action("export", "write the matrix to an Excel workbook with live formulas for the totals",
                    run_export)
    export.add_argument("name", metavar="NAME",
                        help="the comparison's name (case, spacing and punctuation aside) or its id")
    export.add_argument("-o", "--output", metavar="FILE.xlsx", required=True, type=_xlsx_path,
                        help="the workbook to write (replaced if it exists)")


def _xlsx_path(value: str) -> Path:
    path = Path(value)
    if path.suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(f"'{value}' does not end in .xlsx")
    return path


def _usage(args: argparse.Namespace) -> int:
    print("twintui compare: say what to do: list, show NAME or export NAME -o FILE.xlsx "
          "(twintui compare --help)", file=sys.stderr)
    return EXIT_USAGE


def _store(args: argparse.Namespace):  # a Store; the CLI opens it lazily

    return open_store(args, create=False)


def run_list(args: argparse.Namespace) -> int:
    from ..core.compare import json_shape, records, wording

    unreadable: list[str] = []
    found = records.load_all(_store(args), unreadable)
    if args.json:
        print(json.dumps([json_shape.summary(c) for c in found], ensure_ascii=False, indent=2))
    else:
        print(wording.list_text(found))
    for problem in unreadable:
        print(f"twintui: a stored comparison cannot be read and was left out: {problem} "
              "(run twintui check)", file=sys.stderr)
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    from ..core.compare import json_shape, records, wording

    comparison = records.find(_store(args), args.name)
    if args.json:
        print(json.dumps(json_shape.to_json(comparison), ensure_ascii=False, indent=2))
    else:
        print(wording.show_text(comparison))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    path: Path = args.output
    made = open_desk(args, create=False).comparison(args.name, path)
    print(f"compare: wrote {printable(made.about['name'])!r} to {path} (totals, coverage and ranks are live "
          "formulas)")
    return EXIT_OK
