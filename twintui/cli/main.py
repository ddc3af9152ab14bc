"""The ``twintui`` command line (SPEC §4).

Every command takes ``--db PATH``. Errors a user can fix are printed as one
line on stderr with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..core.errors import TwintuiError
from . import common, compare, mou, progress, records, reports, serve, server, setup_service, workbook
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Run,
    add_db,
    open_desk,
    open_store,
)

# Command groups in modules of their own; each has ``register(command)``. They import their heavy
# libraries (openpyxl, jinja2, docx) inside ``run``, so that the command line starts fast.
COMMAND_GROUPS = (workbook, compare, mou, progress, server, serve, setup_service, reports, records)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and one clear line (it does by default, kept explicit)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="twintui", description="The Twinning Register and its tools, in a terminal.")
    parser.add_argument("--version", action="version", version=f"twintui {__version__}")
    add_db(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, run: Run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        # SUPPRESS: a --db given before the command is not overwritten by the sub-parser's default.
        add_db(sub, argparse.SUPPRESS)
        sub.set_defaults(run=run)
        return sub

    demo = command("demo", "fill a store with the guidelines' examples (and --size synthetic arrangements)", run_demo)
    demo.add_argument("--size", type=_count, default=0, metavar="N", help="add N synthetic arrangements")
    demo.add_argument("--force", action="store_true", help="replace the records of a non-empty store (after a backup)")

    command("check", "integrity check of the store and its audit log", run_check)
    command("ui", "open the terminal UI (the same as no command)", run_ui)
    for group in COMMAND_GROUPS:
        group.register(command)
    return parser


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0 or number > 1_000_000:
        raise argparse.ArgumentTypeError(f"{number} is out of range (0 to 1000000)")
    return number


def run_demo(args: argparse.Namespace) -> int:
    from ..core import demo
    from ..core.model import Arrangement

    store = open_store(args)
    replaced = bool(store.docs(Arrangement))
    tx = demo.fill(store, size=args.size, force=args.force)
    made = sorted(r.id for r in tx.saved if isinstance(r, Arrangement))
    print(f"demo: {len(made)} arrangements with their partners and risks in {store.path}")
    if replaced and made:
        # Ids are never given twice (the audit log keeps the old ones): the demo is numbered on from them.
        print(f"demo: the records replaced keep their ids in the audit log, so the demo's are new ({made[0]} …); "
              "for the numbering of the README's examples (TW-NOR-0001) use a new store: "
              "twintui --db NEW.json demo")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    report = open_desk(args).check()
    print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_FAILED


def run_ui(args: argparse.Namespace) -> int:
    store = open_store(args)  # a store that cannot be opened fails here, before the screen is taken
    from ..tui.app import TwintuiApp

    TwintuiApp(store).run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    code = _main(argv)
    if argv is None and common.holding():  # the program itself (tests call main with arguments): end it now
        common.exit_now(code)
    return code


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", run_ui)
    try:
        return run(args)
    except TwintuiError as error:
        print(f"twintui: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("twintui: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - last resort: a bug must not dump a traceback on a user
        log = _crash_log()
        print(f"twintui: internal error: {type(error).__name__}: {error}. Details were written to {log}; "
              "please send that file to the maintainers.", file=sys.stderr)
        return 70


def _crash_log() -> Path:
    import platformdirs

    from ..core import files

    folder = Path(platformdirs.user_state_dir("twintui", appauthor=False))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / "crash.log"
        files.append(path, (traceback.format_exc() + "\n").encode("utf-8", "replace"))  # 0600, never via a link
        return path
    except (OSError, TwintuiError):
        return Path("(could not write a crash log)")


if __name__ == "__main__":
    sys.exit(main())
