"""What every command group shares: the exit codes, ``--db``, actions under a command, opening the store.

Exit codes (SPEC §4): 0 done, 1 the check failed or the record is not there, 2 bad usage, a file
that cannot be written or a store that cannot be opened.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..core.store import Store, resolve_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Run = Callable[[argparse.Namespace], int]
# ``command(name, help, run)`` adds a sub-command (with --db) and returns its parser.
Command = Callable[[str, str, Run], argparse.ArgumentParser]


def add_db(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db", metavar="PATH", default=default,
        help="the store file (default: $TWINTUI_DB, else the user data folder)",
    )


def actions_of(parent: argparse.ArgumentParser, dest: str) -> Command:
    """For a command with actions (``compare list``, ``mou render``): a function that adds one,
    with --db, so ``twintui --db X compare list`` and ``twintui compare list --db X`` both work."""
    actions = parent.add_subparsers(dest=dest, metavar="ACTION", parser_class=type(parent))

    def action(name: str, help: str, run: Run) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help, description=help)
        # SUPPRESS: a --db given before the command is not overwritten by the sub-parser's default.
        add_db(sub, argparse.SUPPRESS)
        sub.set_defaults(run=run)
        return sub

    return action


def store_path(args: argparse.Namespace) -> Path:
    return resolve_path(getattr(args, "db", None))


def open_store(args: argparse.Namespace, create: bool = True) -> Store:
    return Store.open(store_path(args), create=create)
