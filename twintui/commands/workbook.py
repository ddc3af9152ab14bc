"""`twintui template`, `twintui export` and `twintui import`: the quarterly return (SPEC §3, §4).

``import`` prints a preview of every file (new, changed field by field,
unchanged, conflicts, errors with their cells, missing records), then stops
(``--dry-run``, or no terminal to ask on), asks, or applies (``--yes``). Exit
codes: 0 previewed or applied, 1 errors or conflicts (nothing written), 2 a
file that is not a return or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core.errors import ConflictError, TwintuiError

# Importing it registers the returns tracker's record type, so the store (and `twintui
# check`) knows the table. It is light: openpyxl and python-calamine load when a file is used.
from ..core.workbook import returns as _returns  # noqa: F401

if TYPE_CHECKING:
    from ..core.workbook import ExportResult, FilePreview, Preview

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_WIDTH = 70  # values longer than this are cut in the preview


def register(command: Callable[..., Any]) -> None:
    """Add this module's sub-commands to the parser."""
    template = command("template", "write the blank quarterly return template", run_template)
    template.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="the workbook to write")

    export = command("export", "write a state's quarterly return (or the whole register) as a workbook", run_export)
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--state", metavar="ISO3", help="the reporting state (code or name)")
    which.add_argument("--all", action="store_true", help="the whole register")
    export.add_argument("--quarter", metavar="YYYY-Qn", help="the quarter of the return (with --state)")
    export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="the workbook to write")

    imports = command("import", "preview, and apply, returned workbooks", run_import)
    imports.add_argument("files", nargs="+", metavar="FILE.xlsx", help="returned workbooks (all or none applied)")
    mode = imports.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="preview only; write nothing")
    mode.add_argument("--yes", action="store_true", help="apply without asking when there are no errors")
    imports.add_argument("--json", action="store_true", help="print one JSON object instead of the preview")


def run_template(args: argparse.Namespace) -> int:
    from ..core.workbook import write_template

    path = write_template(args.output)
    print(f"template: the blank quarterly return is in {path}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ..cli import open_store
    from ..core.workbook import due_date, export_register, export_return

    if args.state and not args.quarter:
        raise TwintuiError("export --state needs --quarter YYYY-Qn (the quarter of the return)")
    if args.all and args.quarter:
        raise TwintuiError("export --all writes the whole register; --quarter goes with --state")
    store = open_store(args, create=False)
    if args.all:
        result = export_register(store, args.output, progress=_progress_printer())
        print(f"export: the whole register, {_counts(result)}, is in {result.path}")
        return EXIT_OK
    result = export_return(store, args.state, args.quarter, args.output, progress=_progress_printer())
    print(f"export: {result.state}'s return for {result.quarter} ({_counts(result)}) is in {result.path}; "
          f"export id {result.export_id}, due back by {due_date(result.quarter or '').isoformat()}")
    return EXIT_OK


def _counts(result: ExportResult) -> str:
    return f"{result.arrangements} arrangements, {result.partners} partners and {result.risks} risks"


def run_import(args: argparse.Namespace) -> int:
    from ..cli import open_store
    from ..core.workbook import ReturnFileError, apply, preview, read_return

    progress = None if args.json else _progress_printer()
    files, unreadable = [], []
    for name in args.files:
        try:
            files.append(read_return(name))
        except ReturnFileError as error:
            unreadable.append(error)
    if unreadable:
        for error in unreadable:
            print(f"twintui: {error}; nothing was imported", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args)
    result = preview(store, files, progress=progress)
    if not args.json:
        print("\n".join(preview_lines(result)))
    if not result.ok:
        return _finish(args, result, False, EXIT_FAILED, "nothing was written: fix the errors and conflicts in "
                       "the file(s) (or export a fresh return) and import again")
    if args.dry_run:
        return _finish(args, result, False, EXIT_OK, "dry run: nothing was written")
    if not args.yes:
        if args.json or not sys.stdin.isatty():
            return _finish(args, result, False, EXIT_OK, "preview only: run again with --yes to apply")
        try:
            answer = input("Apply these changes? [y/N] ").strip().casefold()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes"):
            return _finish(args, result, False, EXIT_OK, "nothing was written")
    try:
        applied = apply(store, result, progress=progress)
    except ConflictError as error:
        return _finish(args, result, False, EXIT_FAILED, f"{error.message}; the register changed since the "
                       "preview: run the import again")
    received = f"; marked received: {', '.join(applied.received)}" if applied.received else ""
    return _finish(args, result, True, EXIT_OK, f"applied: {len(applied.created)} new and {len(applied.changed)} "
                   f"changed record(s) in one write (a backup was taken first){received}")


def _finish(args: argparse.Namespace, result: Preview, applied: bool, code: int, message: str) -> int:
    if not args.json:
        print(message)
        return code
    print(json.dumps(result.to_json(applied), ensure_ascii=False, indent=2))
    if code != EXIT_OK:
        print(f"twintui: {message}", file=sys.stderr)  # stdout stays one JSON object
    return code


def _progress_printer() -> Callable[[str, int, int], None] | None:
    """A progress line on a terminal's stderr (nothing when stderr is a file or a pipe)."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{stage}: {done:,} of {total:,}", end=end, file=sys.stderr, flush=True)

    return show


# -- the preview as text -----------------------------------------------------------

def preview_lines(result: Preview) -> list[str]:
    lines: list[str] = []
    for file in result.files:
        lines += _file_lines(file)
    return lines


def _file_lines(file: FilePreview) -> list[str]:
    meta = file.file.meta
    export = f", export {meta.export_id} of {meta.exported_at[:10]}" if meta.export_id else ""
    lines = [f"{file.file.path} ({meta.describe()}{export}; sha256 {file.file.sha256[:12]}…)"]
    for row in file.rows:
        # An invalid row is listed with the changes it asks for; its errors follow, cell by cell.
        where = f"{row.sheet} row {row.row}"
        label = f"{row.key} ({where})" if row.key else where
        lines.append(f"  {row.status:<9} {label}: {_cut(row.title)}")
        if row.note:
            lines.append(f"              {row.note}")
        if row.status == "conflict":
            lines += [f"              {c.column}: register {_cut(c.old)!r} | file {_cut(c.new)!r}" for c in row.changes]
        elif row.status in ("changed", "invalid"):
            lines += [f"              {c.column}: {_cut(c.old) or '(blank)'} → {_cut(c.new) or '(blank)'}"
                      for c in row.changes]
    lines += [f"  error     {_cut(str(p), 200)}" for p in file.errors]
    lines += [f"  warning   {_cut(str(p), 200)}" for p in file.warnings]
    lines += [f"  missing   {m.key}: {_cut(m.title)} (not in the file; kept in the register)" for m in file.missing]
    counts = [f"{len(file.new)} new", f"{len(file.changed)} changed", f"{file.unchanged} unchanged",
              f"{len(file.conflicts)} conflict(s)", f"{len(file.errors)} error(s)", f"{len(file.warnings)} warning(s)",
              f"{len(file.missing)} missing"]
    lines.append("  " + ", ".join(counts))
    return lines


def _cut(text: str, width: int = _WIDTH) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
