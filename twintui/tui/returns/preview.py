"""What an import would change, file by file, before anything is written; apply or cancel from there.

For each file: what it is (state, quarter, export id), the counts, then the
new rows, the changed ones field by field (register value → file value), the
conflicts with both values and why, every error and warning with its cell
(``Register!F7``) and the records the file left out (kept in the register).
The text is built as styled ``Text``, never markup, since it quotes the users'
own words, and every value from a file or the register goes through
``printable``: a control character in it shows as an escape (``\x1b``), never
reaches the terminal. ``a`` (or ctrl+s) applies after a confirmation, only when
no file has errors or conflicts; escape goes back without writing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from ...core.errors import ConflictError
from ...core.text import clip, plural, printable, quoted
from ...core.workbook.layout import PROGRESS
from ...core.workbook import (
    ApplyResult,
    CellProblem,
    FilePreview,
    Preview,
    RowChange,
)
from ..typed_app import OfTwintui
from ..common.footer import Footer
from ..common.tasks import Tasks, task

MAX_ENTRIES = 200  # rows listed per section of one file; the CLI's --dry-run lists them all
MAX_VALUE = 160  # characters of one value shown


def _cut(value: Any, width: int = MAX_VALUE) -> str:
    """A value on one line, clipped, its control characters shown as escapes."""
    return printable(clip(str(value), width))


def counts(file: FilePreview) -> str:
    parts = [f"{len(file.new):,} new", f"{len(file.changed):,} changed", f"{file.unchanged:,} unchanged",
             plural(len(file.conflicts), "conflict"), plural(len(file.errors), "error")]
    if file.warnings:
        parts.append(plural(len(file.warnings), "warning"))
    if file.missing:
        parts.append(f"{len(file.missing):,} missing")
    return " · ".join(parts)


def _where(row: RowChange) -> str:
    place = f"{row.sheet} row {row.row}"
    return f"{_cut(row.key, 80)} · {place}" if row.key else place


def _problem(problem: CellProblem) -> Text:
    label = "error: " if problem.is_error else "warning: "
    line = Text.assemble((label, "bold"), (problem.cell or problem.sheet or "file", "bold underline"))
    if problem.column:
        line.append(f" {problem.column}")
    if problem.value not in ("", None):
        line.append(f" {quoted(problem.value)}")
    line.append(f": {printable(problem.message)}")
    return line


@dataclass
class FileText:
    """One file's part of the preview: lines with their indent, wrapped with a hanging indent."""

    lines: list[tuple[int, Text]] = field(default_factory=list)

    def add(self, indent: int, text: Text | str, style: str = "") -> None:
        self.lines.append((indent, text if isinstance(text, Text) else Text(text, style=style)))

    def section(self, title: str, count: int) -> None:
        self.add(0, "")
        self.add(0, f"{title} ({count:,})", "bold")

    def more(self, left: int) -> None:
        if left:
            self.add(2, f"… and {left:,} more (twintui import --dry-run FILE lists them all)", "italic")

    @property
    def plain(self) -> str:
        return "\n".join(" " * indent + text.plain for indent, text in self.lines)

    def renderable(self) -> Group:
        # Padding wraps each line inside its indent, so a long value stays under its label.
        return Group(*(Padding(text, (0, 0, 0, indent)) if indent else text for indent, text in self.lines))


def _capped(items: Sequence[Any]) -> tuple[Sequence[Any], int]:
    return items[:MAX_ENTRIES], max(0, len(items) - MAX_ENTRIES)


def file_text(file: FilePreview) -> FileText:
    """One file's part of the preview."""
    meta = file.file.meta
    out = FileText()
    out.add(0, f"▌ {printable(file.file.name)}", "bold reverse")
    about = meta.describe()
    if meta.export_id:
        about += f" · export {meta.export_id}"
        if meta.exported_at:
            about += f" of {meta.exported_at[:10]}"
        if meta.exported_by:
            about += f" by {meta.exported_by}"
    out.add(2, printable(about))
    out.add(2, f"{printable(str(file.file.path))} · sha256 {file.file.sha256[:12]}…", "dim")
    if (first := file.second_submission) is not None:
        out.add(2, Text.assemble(("Second submission", "bold"), (
            f" of this return (first received {str(first.get('at', ''))[:10]} by {_cut(first.get('by', ''), 40)}, "
            f"{_cut(first.get('file', ''), 60)}): its rows are compared with the records the first one created, "
            "never added again; only what differs is applied")))
    out.add(2, counts(file), "bold")
    if file.ok and not file.rows and not file.warnings:
        out.add(2, "✓ every row is unchanged", "bold")

    rows, left = _capped(file.new)
    if rows:
        out.section("New", len(file.new))
        for row in rows:
            out.add(2, f"+ {_where(row)}: {_cut(row.title, 80)}")
            if row.sheet == PROGRESS:  # a quarter's report: what moved since the last one
                for change in row.changes:
                    out.add(6, Text.assemble(f"{change.column}: ", _cut(change.old) or "(blank)", " → ",
                                             (_cut(change.new) or "(blank)", "bold")))
        out.more(left)
    rows, left = _capped(file.changed)
    if rows:
        out.section("Changed: register → file", len(file.changed))
        for row in rows:
            out.add(2, f"~ {_where(row)}: {_cut(row.title, 80)}")
            for change in row.changes:
                out.add(6, Text.assemble(f"{change.column}: ", _cut(change.old) or "(blank)", " → ",
                                         (_cut(change.new) or "(blank)", "bold")))
        out.more(left)
    rows, left = _capped(file.conflicts)
    if rows:
        out.section("Conflicts: the register and the file both changed", len(file.conflicts))
        for row in rows:
            out.add(2, f"≠ {_where(row)}: {_cut(row.title, 80)}", "bold")
            if row.note:
                out.add(6, f"why: {_cut(row.note, 400)}")
            for change in row.changes:
                out.add(6, f"{change.column}: register {_cut(change.old) or '(blank)'!r} | "
                           f"file {_cut(change.new) or '(blank)'!r}")
        out.more(left)
    errors = file.errors
    if errors:
        out.section("Errors: fix these cells in the file", len(errors))
        for problem in file.problems:
            if problem.is_error:
                out.add(2, _problem(problem))
        invalid, left = _capped([row for row in file.rows if row.errors])
        for row in invalid:
            out.add(2, f"✗ {_where(row)}: {_cut(row.title, 80) or '(no title)'}")
            for problem in row.errors:
                out.add(6, _problem(problem))
        out.more(left)
    warnings = file.warnings
    if warnings:
        out.section("Warnings: applied as they are", len(warnings))
        shown, left = _capped(warnings)
        for problem in shown:
            out.add(2, _problem(problem))
        out.more(left)
    missing, left = _capped(file.missing)
    if missing:
        out.section("Missing from the file: kept in the register", len(file.missing))
        for record in missing:
            out.add(2, f"- {_cut(record.key, 80)}: {_cut(record.title, 80)}")
        out.more(left)
    return out


def summary(preview: Preview) -> str:
    files = preview.files
    return (f"Preview of {plural(len(files), 'file')}: {sum(len(f.new) for f in files):,} new · "
            f"{sum(len(f.changed) for f in files):,} changed · {sum(f.unchanged for f in files):,} unchanged · "
            f"{plural(sum(len(f.conflicts) for f in files), 'conflict')} · "
            f"{plural(sum(len(f.errors) for f in files), 'error')}")


def refusal(preview: Preview) -> str:
    """Why the preview cannot be applied ('' when it can)."""
    if preview.ok:
        return ""
    # A file refused as a whole (imported already, another state's, given twice) has nothing to fix in its cells.
    whole = [f"{Path(f.file.path).name}: {p.message}" for f in preview.files for p in f.errors if not p.cell]
    if whole:
        return f"Cannot apply: {'; '.join(whole)}."
    errors = sum(len(f.errors) for f in preview.files)
    conflicts = sum(len(f.conflicts) for f in preview.files)
    parts = [plural(n, word) for n, word in ((errors, "error"), (conflicts, "conflict")) if n]
    fixes = []
    if errors:
        fixes.append("fix the cells listed under Errors in the file")
    if conflicts:
        fixes.append("for conflicts, export a fresh return or make the change in the register")
    how = "; ".join(fixes)
    return f"Cannot apply: {' and '.join(parts)}. {how[0].upper()}{how[1:]}, then import again."


def nothing_to_apply(preview: Preview) -> str:
    """Why applying an acceptable preview would write nothing ('' when it would write, or cannot be applied)."""
    if not preview.ok:
        return ""
    if not preview.writes:
        return "Nothing to apply: this copy was received before, and every row is as the register has it."
    if not preview.has_changes and not received_returns(preview):
        return "Nothing to apply: every row is unchanged."
    return ""


def received_returns(preview: Preview) -> list[str]:
    """The state returns the import marks as received: 'NOR 2026-Q3'."""
    return [f"{f.file.meta.state} {f.file.meta.quarter}" for f in preview.files if f.file.meta.kind == "state"]


class PreviewFile(Static):
    """One file of the preview; ``plain`` is its text without styles."""

    def __init__(self, text: FileText, *, id: str) -> None:
        super().__init__(text.renderable(), id=id, classes="preview-file")
        self.plain = text.plain


class PreviewBody(VerticalScroll):
    """The preview, file by file: up/down and pageup/pagedown scroll it."""

    HELP: ClassVar[str] = ("What the import would change, file by file: new rows (+), changed rows (~) field by field "
                           "as register → file, conflicts (≠) with both values and why, errors and warnings with "
                           "the cell to fix (Register!F7), and records the file left out (kept). up/down and "
                           "pageup/pagedown scroll; a applies (asks first), escape goes back without writing.")


class ImportPreviewScreen(Tasks, OfTwintui, Screen[ApplyResult | None]):
    """The import preview; the result is the ``ApplyResult`` once applied, or None when cancelled."""

    @dataclass
    class Applied(Message):
        result: ApplyResult

    @dataclass
    class Conflict(Message):
        """A record the files change was saved since the preview: nothing was written."""

        conflict: ConflictError

    CSS_PATH = "returns.tcss"
    HELP: ClassVar[str] = PreviewBody.HELP
    AUTO_FOCUS = "#preview-body"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,ctrl+s", "apply", "Apply", id="returns.preview.apply",
                tooltip="Write every new and changed record in one go (asks first; not with errors or conflicts)"),
        # When nothing can be applied "Apply" is not offered, and the keys say why instead.
        Binding("a,ctrl+s", "refused", "", show=False, id="returns.preview.refused",
                tooltip="Says why this preview cannot be applied"),
        Binding("escape", "cancel", "Cancel", id="returns.preview.cancel",
                tooltip="Back to the tracker; nothing is written"),
    ]

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self.applying = False

    def compose(self) -> ComposeResult:
        yield Static(summary(self.preview), id="preview-heading", markup=False)
        why, idle = refusal(self.preview), nothing_to_apply(self.preview)
        if why:
            verdict = Text.assemble(("✗ ", "bold"), why)
        elif idle:
            verdict = Text.assemble(("= ", "bold"), idle.rstrip("."), " · escape goes back")
        else:
            verdict = Text.assemble(("✓ Ready to apply", "bold"), ": a or ctrl+s applies (asks first) · escape cancels")
        yield Static(verdict, id="preview-verdict", classes="-refused" if why else "" if idle else "-ready")
        with Horizontal(id="preview-progress"):
            yield Static("applying…", id="preview-progress-label")
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="preview-progress-bar")
        with PreviewBody(id="preview-body"):
            for number, file in enumerate(self.preview.files):
                yield PreviewFile(file_text(file), id=f"preview-file-{number}")
        yield Footer()

    # -- applying -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("apply", "refused"):
            # Apply is offered only when it would write; otherwise the keys say why not.
            blocked = bool(refusal(self.preview) or nothing_to_apply(self.preview))
            return blocked == (action == "refused")
        return True

    def action_refused(self) -> None:
        why = refusal(self.preview)
        if why:
            self.notify(f"{why} Nothing was written.", severity="warning", timeout=10, markup=False)
        else:
            self.notify(nothing_to_apply(self.preview), markup=False)

    def action_apply(self) -> None:
        if self.applying:
            self.notify("Already applying; wait for it to finish.", markup=False)
            return
        why = refusal(self.preview)
        if why:
            self.notify(f"{why} Nothing was written.", severity="warning", timeout=10, markup=False)
            return
        idle = nothing_to_apply(self.preview)
        if idle:
            self.notify(idle, markup=False)
            return
        received = received_returns(self.preview)
        from ..common.confirm import ConfirmScreen

        files = self.preview.files
        new, changed = sum(len(f.new) for f in files), sum(len(f.changed) for f in files)
        question = (f"Apply {plural(new, 'new record')} and {plural(changed, 'changed record')} from "
                    f"{plural(len(files), 'file')}? All in one write; a backup is taken first.")
        if received:
            question += f"\nMarks received: {', '.join(received)}."

        def answered(yes: bool | None) -> None:
            if yes:
                self.applying = True
                self.set_class(True, "-applying")
                self.run_apply()

        self.app.push_screen(ConfirmScreen(question, yes="Apply", no="Back"), answered)

    def _reporter(self) -> Callable[[str, int, int], None]:
        worker = get_current_worker()

        def report(stage: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_progress, stage, done, total)

        return report

    def show_progress(self, stage: str, done: int, total: int) -> None:
        self.query_one("#preview-progress-label", Static).update(f"{stage}…")
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def applying_stopped(self, failure: str | None = None) -> None:
        self.applying = False
        self.set_class(False, "-applying")
        if failure:  # (the notification says it too)
            self.refused(f"{failure}; nothing was written")

    def refused(self, message: str) -> None:
        self.query_one("#preview-verdict", Static).update(Text.assemble(("✗ ", "bold"), message))
        self.query_one("#preview-verdict").set_classes("-refused")

    @task("applying the import", group="returns-apply", reset=applying_stopped)
    def run_apply(self) -> Applied | Conflict:
        try:
            return self.Applied(self.twintui.desk.apply(self.preview, progress=self._reporter()))
        except ConflictError as conflict:
            return self.Conflict(conflict)

    @on(Applied)
    def applied(self, event: Applied) -> None:
        self.applying_stopped()
        self.dismiss(event.result)

    @on(Conflict)
    def conflicted(self, event: Conflict) -> None:
        self.applying_stopped()
        message = (f"{event.conflict.message}: the register changed since this preview; nothing was written. "
                   "Escape and import the file again.")
        self.refused(message)
        self.notify(message, severity="error", timeout=10, markup=False)

    def action_cancel(self) -> None:
        if self.applying:
            self.notify("Applying; wait for it to finish.", markup=False)
            return
        self.dismiss(None)
