"""`twintui compare list | show NAME | export NAME -o FILE.xlsx`: partner comparisons on the command line.

Exit codes as everywhere: 0 done, 1 the comparison is not there (or the file
cannot be written), 2 bad usage or a store that cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Importing it registers the comparison record type, so the store (and `twintui check`)
# knows the table. It is pure Python and light: no openpyxl until an export runs.
from ..core import comparisons
from ..core.errors import TwintuiError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(command: Callable[..., Any]) -> None:
    """Add `compare` and its actions to the parser."""
    compare = command("compare", "partner comparisons: list them, show one, export one to Excel", _usage)
    from ..cli import actions_of  # (the cli imports this module: no import at the top)

    action = actions_of(compare, "compare_action")

    listing = action("list", "the comparisons in the store", run_list)
    listing.add_argument("--json", action="store_true", help="a JSON list of objects with 'name' and more")

    show = action("show", "the matrix of one comparison: scores, totals, ranks, sensitivity", run_show)
    show.add_argument("name", metavar="NAME", help="the comparison's name (case aside) or its id (COM-0001)")
    show.add_argument("--json", action="store_true", help="the matrix as JSON (a stable shape for scripts)")

    export = action("export", "write the matrix to an Excel workbook with live formulas for the totals",
                    run_export)
    export.add_argument("name", metavar="NAME", help="the comparison's name (case aside) or its id")
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
    from ..cli import open_store

    return open_store(args, create=False)


def run_list(args: argparse.Namespace) -> int:
    unreadable: list[str] = []
    found = comparisons.load_all(_store(args), unreadable)
    if args.json:
        print(json.dumps([comparisons.summary(c) for c in found], ensure_ascii=False, indent=2))
    else:
        print(comparisons.list_text(found))
    for problem in unreadable:
        print(f"twintui: a stored comparison cannot be read and was left out: {problem} "
              "(run twintui check)", file=sys.stderr)
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    comparison = comparisons.find(_store(args), args.name)
    if args.json:
        print(json.dumps(comparisons.to_json(comparison), ensure_ascii=False, indent=2))
    else:
        print(comparisons.show_text(comparison))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    comparison = comparisons.find(_store(args), args.name)
    path: Path = args.output
    try:
        comparisons.export_xlsx(comparison, path)
    except OSError as error:
        raise _WriteError(f"cannot write {path}: {error.strerror or error}") from None
    print(f"compare: wrote {comparison.name!r} to {path} (totals, coverage and ranks are live formulas)")
    return EXIT_OK


class _WriteError(TwintuiError):
    exit_code = EXIT_FAILED
