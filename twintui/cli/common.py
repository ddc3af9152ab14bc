"""What every command group shares: the exit codes, ``--db`` and ``--server``, actions under a command,
opening the store.

Exit codes (SPEC §4): 0 done, 1 the check failed or the record is not there, 2 bad usage, a file
that cannot be written or a store that cannot be opened.

Which store: ``--server SOCKET`` (or ``$TWINTUI_SERVER``) is the store service's, reached through its
socket (``twintui.service``); ``--db PATH`` (or ``$TWINTUI_DB``, else the user data folder) is a file
opened directly. An option beats an environment variable, and ``TWINTUI_SERVER`` beats
``TWINTUI_DB``: so ``--db mine.json`` still opens one's own store where the profile sets a server.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import TwintuiError
from ..core.store import Store, resolve_path

if TYPE_CHECKING:
    from ..service.desk import Desk

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SERVER_ENV = "TWINTUI_SERVER"

Run = Callable[[argparse.Namespace], int]
# ``command(name, help, run)`` adds a sub-command (with --db) and returns its parser.
Command = Callable[[str, str, Run], argparse.ArgumentParser]


# What a command read and answered, kept to the end of the process (``hold_to_exit``).
_HELD: list[Any] = []


def hold_to_exit(*objects: Any) -> None:
    """Keep ``objects`` (a register as read, the answers made from it) until the process ends, and let the
    program end without freeing them: Python would free a large register's 100,000s of documents one by one
    on the way out (a tenth of a second), for memory the system takes back at once (``exit_now``)."""
    _HELD[:] = objects


def holding() -> bool:
    return bool(_HELD)


def exit_now(code: int) -> None:
    """End the program with ``code`` as Python would, but without freeing what it holds: the output flushed
    and the exit handlers run (coverage's among them), then ``os._exit``."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more can be said
            pass
    atexit._run_exitfuncs()
    os._exit(code)


def parsed_by(rule: str, example: str) -> Callable[[str], Any]:
    """An argparse type that reads a value by the core's rule ``core.model.coerce.<rule>`` (imported when a
    value is read, not at start-up): its ValueError is said as argparse says a bad value, a blank as
    "give …, e.g. ``example``"."""

    def read(value: str) -> Any:
        from ..core.model import coerce

        try:
            parsed = getattr(coerce, rule)(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        if parsed is None:
            raise argparse.ArgumentTypeError(f"give a {rule}, e.g. {example}")
        return parsed

    read.__name__ = rule  # argparse names the type in what it says
    return read


def add_db(parser: argparse.ArgumentParser, default: object) -> None:
    """``--db`` and ``--server``: which store the command works on."""
    parser.add_argument(
        "--db", metavar="PATH", default=default,
        help="the store file (default: $TWINTUI_DB, else the user data folder)",
    )
    parser.add_argument(
        "--server", metavar="SOCKET", default=default,
        help=f"the store service's socket (default: ${SERVER_ENV}); the service opens the store",
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


def server_of(args: argparse.Namespace) -> str | None:
    """The store service's socket the command goes through; None: a store file is opened directly."""
    server, db = getattr(args, "server", None), getattr(args, "db", None)
    if server and db:
        raise TwintuiError("give --db (a store file) or --server (the store service's socket), not both")
    if server or db:
        return server or None
    return os.environ.get(SERVER_ENV) or None


def store_path(args: argparse.Namespace) -> Path:
    """The store file of a command that opens one directly (``--db``, ``$TWINTUI_DB`` or the default)."""
    return resolve_path(getattr(args, "db", None))


def open_store(args: argparse.Namespace, create: bool = True) -> Store:
    """The store of the command: the service's (``--server``), else the file (``create``: start a new one)."""
    if socket := server_of(args):
        from ..service.remote import RemoteStore

        return RemoteStore.open(socket)
    return Store.open(store_path(args), create=create)


def open_desk(args: argparse.Namespace, create: bool = True) -> Desk:
    """What the command does with files and administration (``twintui.service.desk``): through the store
    service (``--server``), else on the store file, which is opened when first needed (a check opens none)."""
    if socket := server_of(args):
        from ..service.remote_desk import ServiceDesk

        return ServiceDesk.at(socket)
    from ..service.desk import Desk

    path = store_path(args)
    return Desk(lambda: Store.open(path, create=create), path)
