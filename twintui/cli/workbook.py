"""`twintui template`, `twintui export` and `twintui import`: the quarterly return (SPEC §3, §4).

``import`` prints a preview of every file (new, changed field by field,
unchanged, conflicts, errors with their cells, missing records), then stops
(``--dry-run``, or no terminal to ask on), asks, or applies (``--yes``). Exit
codes: 0 previewed or applied, 1 errors or conflicts (nothing written), 2 a
file that is not a return (of this register, as exported) or bad usage. Every
value from a file or the register goes through ``printable``: a control
character in it is shown as an escape, never sent to the terminal. ``--json``
prints one object in every case, a refused file included.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import ConflictError, TwintuiError
from ..core.text import clip, plural, printable, quoted
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Command, open_desk, open_store

if TYPE_CHECKING:
    from ..core.workbook import ExportResult, FilePreview, Preview, ReturnFileError

_WIDTH = 70  # values longer than this are cut in the preview


def register(command: Command) -> None:
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
    from ..service.desk import Desk

    # The blank return is the same for every store and reads none: made here, even when --server names a
    # service that is down (a store is never opened for it).
    path = Desk(lambda: open_store(args)).template(args.output)
    print(f"template: the blank quarterly return is in {path}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ..core.workbook import due_date

    if args.state and not args.quarter:
        raise TwintuiError("export --state needs --quarter YYYY-Qn (the quarter of the return)")
    if args.all and args.quarter:
        raise TwintuiError("export --all writes the whole register; --quarter goes with --state")
    desk = open_desk(args, create=False)
    if args.all:
        result = desk.export_register(args.output, progress=_progress_printer())
        print(f"export: the whole register, {_counts(result)}, is in {result.path}")
        return EXIT_OK
    result = desk.export_return(args.state, args.quarter, args.output, progress=_progress_printer())
    print(f"export: {result.state}'s return for {result.quarter} ({_counts(result)}) is in {result.path}; "
          f"export id {result.export_id}, due back by {due_date(result.quarter or '').isoformat()}")
    return EXIT_OK


def _counts(result: ExportResult) -> str:
    counts = (f"{plural(result.arrangements, 'arrangement')}, {plural(result.partners, 'partner')} and "
              f"{plural(result.risks, 'risk')}")
    if result.progress:
        counts += f"; {plural(result.progress, 'Progress row')}"
    return counts


def run_import(args: argparse.Namespace) -> int:
    if not args.json:
        return _run_import(args)
    try:
        return _run_import(args)
    except TwintuiError as error:
        # --json prints one object whatever happens: a store that cannot be opened, a refused write.
        print(json.dumps({"applied": False, "files": [], "error": error.message}, ensure_ascii=False, indent=2))
        print(f"twintui: {printable(error.message)}", file=sys.stderr)
        return error.exit_code


def _run_import(args: argparse.Namespace) -> int:
    from ..core.workbook import ReturnFileError

    progress = None if args.json else _progress_printer()
    desk = open_desk(args)  # through the store service, the files' bytes are checked and previewed there
    files, unreadable = [], []
    for name in args.files:
        try:
            files.append(desk.read_return(name))
        except ReturnFileError as error:
            unreadable.append(error)
    if unreadable and not args.json:
        for error in unreadable:
            print(f"twintui: {printable(str(error))}; nothing was imported", file=sys.stderr)
        return EXIT_USAGE
    result = desk.preview(files, progress=progress)
    if unreadable:  # --json: the files that could be read are previewed too, so a script sees them all
        return _finish(args, result, False, EXIT_USAGE, "; ".join(f"{e}" for e in unreadable) +
                       "; nothing was imported", unreadable)
    if not args.json:
        print("\n".join(preview_lines(result)))
    if any(f.not_a_return for f in result.files):
        return _finish(args, result, False, EXIT_USAGE, "nothing was written: a file is not a return this register "
                       "issued as it was exported (see above)")
    if not result.ok:
        return _finish(args, result, False, EXIT_FAILED, "nothing was written: fix the errors and conflicts in "
                       f"{_the_files(result)} (or export a fresh return) and import again")
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
        applied = desk.apply(result, progress=progress)
    except ConflictError as error:
        return _finish(args, result, False, EXIT_FAILED, f"{error.message}; the register changed since the "
                       "preview: run the import again")
    if applied.txn is None:
        were = "was" if len(result.files) == 1 else "were"
        return _finish(args, result, False, EXIT_OK, f"nothing to apply: {_the_files(result)} {were} received "
                       "before, and every row is as the register has it")
    return _finish(args, result, True, EXIT_OK, f"applied: {applied.described()}")


def _the_files(result: Preview) -> str:
    return "the file" if len(result.files) == 1 else "the files"


def _finish(args: argparse.Namespace, result: Preview, applied: bool, code: int, message: str,
            unreadable: Sequence[ReturnFileError] = ()) -> int:
    if not args.json:
        print(message)
        return code
    data = result.to_json(applied)
    if unreadable:
        refused = {str(e.path): e for e in unreadable}
        read = {str(f["path"]): f for f in data["files"]}
        data["files"] = [read.get(str(Path(name))) or _refused_entry(refused[str(Path(name))]) for name in args.files]
    print(json.dumps(data, ensure_ascii=False, indent=2))
    if code != EXIT_OK:
        print(f"twintui: {printable(message)}", file=sys.stderr)  # stdout stays one JSON object
    return code


def _refused_entry(error: ReturnFileError) -> dict[str, Any]:
    """A file that is not a return, in the JSON: the published keys, empty, and why (SPEC §4)."""
    import hashlib

    try:
        digest: str | None = hashlib.sha256(error.path.read_bytes()).hexdigest() if error.path.is_file() else None
    except OSError:
        digest = None
    return {"path": str(error.path), "sha256": digest, "new": 0, "changed": 0, "unchanged": 0, "conflicts": 0,
            "errors": [], "refused": error.reason, "warnings": [], "changes": [], "second_submission": None}


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
    from ..core.workbook.layout import PROGRESS

    meta = file.file.meta
    export = f", export {meta.export_id} of {meta.exported_at[:10]}" if meta.export_id else ""
    lines = [printable(f"{file.file.path} ({meta.describe()}{export}; sha256 {file.file.sha256[:12]}…)")]
    if (first := file.second_submission) is not None:
        lines.append(f"  second submission of this return: first received on {str(first.get('at', ''))[:10]} "
                     f"by {first.get('by', '')} ({_cut(first.get('file', ''))}); the rows it created are compared "
                     "with those records, never added again, and only what differs is applied")
    for row in file.rows:
        # An invalid row is listed with the changes it asks for; its errors follow, cell by cell.
        where = f"{row.sheet} row {row.row}"
        label = f"{_cut(row.key)} ({where})" if row.key else where
        lines.append(f"  {row.status:<9} {label}: {_cut(row.title)}")
        if row.note:
            lines.append(f"              {_cut(row.note, 200)}")
        if row.status == "conflict":
            lines += [f"              {c.column}: register {_quoted(c.old)} | file {_quoted(c.new)}"
                      for c in row.changes]
        elif row.status in ("changed", "invalid") or (row.status == "new" and row.sheet == PROGRESS):
            # A new Progress row is a quarter's report: shown against the one before it.
            lines += [f"              {c.column}: {_cut(c.old) or '(blank)'} → {_cut(c.new) or '(blank)'}"
                      for c in row.changes]
    lines += [f"  error     {_cut(str(p), 200)}" for p in file.errors]
    lines += [f"  warning   {_cut(str(p), 200)}" for p in file.warnings]
    lines += [f"  missing   {_cut(m.key)}: {_cut(m.title)} (not in the file; kept in the register)"
              for m in file.missing]
    counts = [f"{len(file.new)} new", f"{len(file.changed)} changed", f"{file.unchanged} unchanged",
              plural(len(file.conflicts), "conflict"), plural(len(file.errors), "error"),
              plural(len(file.warnings), "warning"),
              f"{len(file.missing)} missing"]
    lines.append("  " + ", ".join(counts))
    return lines


def _cut(text: object, width: int = _WIDTH) -> str:
    """A value on one line for a terminal: clipped, its control characters shown as escapes."""
    return printable(clip(str(text), width))


def _quoted(text: str) -> str:
    return quoted(text, _WIDTH) if text else "(blank)"
