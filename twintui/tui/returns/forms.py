"""The two small modals of the Returns screen: export a state's return, and name the files to import.

Export asks for a state (code or name), a quarter (the last ended one by
default) and where to save: nothing for the current folder, a folder, or a
path ending in .xlsx; the line under the fields shows the file that will be
written as the user types. Import takes paths one per line or separated by
spaces (quotes for names with spaces); tab completes the path before the cursor.
Both only collect what the user typed: the Returns screen does the work in its
workers.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from ...core.model import coerce
from ...core.workbook import due_date, suggested_name
from ..common.footer import Footer

MAX_LISTED = 1000  # directory entries looked at for one completion
MAX_SHOWN = 8  # completion candidates listed under the field


# -- export --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportRequest:
    state: str  # ISO3
    quarter: str  # YYYY-Qn
    path: Path  # absolute


def export_target(state: str, quarter: str, place: str, folder: Path) -> tuple[ExportRequest | None, str, str]:
    """What the export form would write: (request, '', '') or (None, field in error, message).

    ``place`` empty: the suggested name in ``folder``; ending in .xlsx: that file;
    anything else: a folder, with the suggested name inside.
    """
    try:
        code = coerce.country(state)
    except ValueError as error:
        return None, "state", str(error)
    try:
        wanted = coerce.quarter(quarter)
    except ValueError as error:
        return None, "quarter", str(error)
    if wanted is None:
        return None, "quarter", "give the quarter of the return, e.g. 2026-Q3"
    name = suggested_name(code, wanted)
    place = place.strip()
    if not place:
        path = folder / name
    else:
        typed = Path(os.path.expanduser(place))
        path = typed if place.casefold().endswith(".xlsx") else typed / name
        if not path.is_absolute():
            path = folder / path
    return ExportRequest(code, wanted, Path(os.path.normpath(path))), "", ""


class HelpfulInput(Input):
    """A one-line input whose F1 help says what to type in it (compact: one line, no border in any state)."""

    def __init__(self, value: str = "", *, help: str, label: str, **kwargs: object) -> None:
        super().__init__(value, compact=True, **kwargs)  # type: ignore[arg-type]
        self.HELP = help
        self.FIELD_LABEL = label


class ExportForm(ModalScreen[ExportRequest | None]):
    """State, quarter and where to save; the result is an ``ExportRequest`` or None."""

    HELP_TITLE = "Export a return"

    CSS_PATH = "returns.tcss"
    HELP: ClassVar[str] = ("Write a state's quarterly return: an Excel workbook pre-filled with the state's "
                           "arrangements, partners and risks, for its focal point to fill in and send back. "
                           "The export is recorded in the tracker (exported at, by whom, export id).")
    AUTO_FOCUS = "#export-state"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Export", id="returns.export.done", tooltip="Write the workbook"),
        Binding("escape", "cancel", "Cancel", id="returns.export.cancel", tooltip="Close without exporting"),
    ]

    def __init__(self, state: str, quarter: str, folder: Path, states: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self._shown: set[str] = set()  # the field whose error is on the screen
        self.state = state
        self.quarter = quarter
        self.folder = folder
        # Right arrow accepts a suggestion: codes and country names of the states in the tracker.
        words = [code for code, _ in states] + [name for _, name in states if name]
        self.suggester = SuggestFromList(words, case_sensitive=False) if words else None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-body"):
            yield Static("Export a state's quarterly return", id="export-heading")
            yield Label("State", classes="returns-label")
            yield HelpfulInput(self.state, id="export-state", placeholder="ISO 3166 code or name, e.g. NOR or Norway",
                               suggester=self.suggester, label="State",
                               help="The reporting state: its ISO 3166 code (NOR) or its name (Norway). "
                                    "Right arrow accepts the suggestion.")
            yield Label("Quarter", classes="returns-label")
            yield HelpfulInput(self.quarter, id="export-quarter", placeholder="YYYY-Qn, e.g. 2026-Q3", label="Quarter",
                               help="The quarter the return reports on, as 2026-Q3. It defaults to the last "
                                    "quarter that has ended; the return is due 30 days after the quarter ends.")
            yield Label("Save in", classes="returns-label")
            yield HelpfulInput("", id="export-place", placeholder=f"{self.folder}  (the current folder)", label="Save in",
                               help="Where to write the workbook: leave empty for the current folder, type a "
                                    "folder (the file is named for the state and quarter), or a path ending in "
                                    ".xlsx. ~ is your home folder.")
            yield Static("", id="export-target")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-done", variant="primary")
                yield Button("Cancel", id="export-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.show_target()

    def values(self) -> tuple[str, str, str]:
        return tuple(self.query_one(f"#export-{name}", Input).value for name in ("state", "quarter", "place"))  # type: ignore[return-value]

    def show_target(self, appear: str = "") -> tuple[ExportRequest | None, str]:
        """The line under the fields: the file that will be written, or what is wrong.

        The forms' one rule: an error appears when its field is left (``appear``) or on
        export, and goes as soon as the value is valid; none appears while typing.
        """
        request, where, message = export_target(*self.values(), self.folder)
        line = self.query_one("#export-target", Static)
        if request is None and (where == appear or where in self._shown):
            self._shown = {where}
        elif request is None:
            self._shown = set()
            line.update(Text("→ give the state and the quarter (ctrl+s exports)"))
            line.remove_class("-error")
        else:
            self._shown = set()
        for name in ("state", "quarter"):
            self.query_one(f"#export-{name}", Input).set_class(name in self._shown, "-invalid")
        if request is None and self._shown:
            # Text, not markup: the message quotes what the user typed.
            line.update(Text.assemble(("error: ", "bold"), message))
            line.add_class("-error")
        elif request is not None:
            due = due_date(request.quarter).isoformat()
            line.update(Text.assemble("→ ", (str(request.path), "bold"), f"\n  {request.state}'s return for "
                                      f"{request.quarter}, due back by {due}"))
            line.remove_class("-error")
        return request, where

    @on(Input.Changed)
    def _changed(self) -> None:
        self.show_target()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input) and event.widget.id:
            self.show_target(appear=event.widget.id.removeprefix("export-"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        request, where = self.show_target()
        if request is None:
            self.show_target(appear=where)  # on export every error shows
            self.query_one(f"#export-{where}", Input).focus()
            return
        if not request.path.exists():
            self.dismiss(request)
            return
        from ..common.confirm import ConfirmScreen

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(request)

        self.app.push_screen(ConfirmScreen(f"{request.path} exists. Replace it with a new export?",
                                           yes="Replace", no="Keep it"), answered)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


# -- import --------------------------------------------------------------------------------
def parse_paths(text: str, folder: Path) -> list[Path]:
    """The files named in ``text``: one per line, or several on a line separated by spaces.

    A line that is one existing file is taken whole (names with spaces need no
    quotes then); other lines are split like a shell would (quotes keep spaces).
    Relative paths start in ``folder``; ~ is the home folder; repeats are dropped.
    """

    def absolute(value: str) -> Path:
        path = Path(os.path.expanduser(value))
        return Path(os.path.normpath(path if path.is_absolute() else folder / path))

    found: list[Path] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        whole = absolute(line.strip("'\""))
        if whole.is_file():
            parts = [str(whole)]
        else:
            try:
                parts = shlex.split(line)
            except ValueError:  # an unmatched quote
                parts = line.split()
        for part in parts:
            path = absolute(part)
            if path not in found:
                found.append(path)
    return found


def complete_path(token: str, folder: Path) -> tuple[str, list[str]]:
    """Tab completion: (text to add after ``token``, the candidates when more than one fits)."""
    head, prefix = os.path.split(token)
    directory = Path(os.path.expanduser(head)) if head else Path(".")
    if not directory.is_absolute():
        directory = folder / directory
    try:
        with os.scandir(directory) as entries:
            names = [(e.name, _is_dir(e)) for e in islice(entries, MAX_LISTED)
                     if e.name.startswith(prefix) and (prefix.startswith(".") or not e.name.startswith("."))]
    except OSError:
        return "", []
    if not names:
        return "", []
    names.sort()
    common = os.path.commonprefix([name for name, _ in names])
    addition = common[len(prefix):]
    if len(names) == 1:
        return addition + ("/" if names[0][1] else ""), []
    return addition, [name + ("/" if is_dir else "") for name, is_dir in names]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


class PathArea(TextArea):
    """The files to import, one per line or separated by spaces; tab completes the path before the cursor."""

    HELP_NAME = "files to import (text area)"

    HELP: ClassVar[str] = ("Type the paths of the returned workbooks (.xlsx): one per line, or several on a line "
                           "separated by spaces (quote names that hold spaces, or give them a line each). "
                           "Relative paths start in the current folder; ~ is your home folder. tab completes "
                           "the file or folder name before the cursor and lists the choices when several fit; "
                           "on an empty word it moves to the buttons. ctrl+s previews the import.")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", id="returns.import.complete",
                tooltip="Complete the file name before the cursor"),
    ]

    def __init__(self, folder: Path, **kwargs: object) -> None:
        super().__init__(tab_behavior="focus", soft_wrap=True, **kwargs)  # type: ignore[arg-type]
        self.folder = folder
        self.candidates: list[str] = []

    def word_before_cursor(self) -> str:
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        return before[max(before.rfind(" "), before.rfind("\t")) + 1:]

    def action_complete(self) -> None:
        token = self.word_before_cursor()
        if not token:
            self.screen.focus_next()
            return
        addition, self.candidates = complete_path(token, self.folder)
        if addition:
            self.insert(addition)
        hint = self.screen.query_one("#import-candidates", Static)
        if self.candidates:
            shown = "  ".join(self.candidates[:MAX_SHOWN])
            more = f"  … {len(self.candidates) - MAX_SHOWN} more" if len(self.candidates) > MAX_SHOWN else ""
            hint.update(Text(f"{len(self.candidates)} fit: {shown}{more}"))
        elif not addition:
            hint.update(Text(f"nothing in {token!r} to complete"))
        else:
            hint.update("")


class ImportForm(ModalScreen[str | None]):
    """Name the returned workbooks; the result is the text typed (the screen reads the files)."""

    HELP_TITLE = "Import returns"

    CSS_PATH = "returns.tcss"
    HELP: ClassVar[str] = PathArea.HELP
    AUTO_FOCUS = "#import-paths"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Preview", id="returns.import.done",
                tooltip="Read the files and show what the import would change (nothing is written yet)"),
        Binding("escape", "cancel", "Cancel", id="returns.import.cancel", tooltip="Close without importing"),
    ]

    def __init__(self, folder: Path, text: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="import-body"):
            yield Static("Import returned workbooks", id="import-heading")
            yield Static(Text(f"One path per line, or separated by spaces. Relative to {self.folder}. "
                              "tab completes."), id="import-hint")
            yield PathArea(self.folder, text=self.text, id="import-paths",
                           placeholder="e.g. ~/returns/twintui-return-NOR-2026-Q3.xlsx")
            yield Static("", id="import-candidates")
            with Horizontal(id="import-buttons"):
                yield Button("Preview", id="import-done", variant="primary")
                yield Button("Cancel", id="import-cancel")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(PathArea)
        area.move_cursor(area.document.end)

    def action_done(self) -> None:
        text = self.query_one(PathArea).text
        if not text.strip():
            self.query_one("#import-candidates", Static).update(
                Text.assemble(("error: ", "bold"), "give the path of at least one returned .xlsx file"))
            self.query_one(PathArea).focus()
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done()

    @on(Button.Pressed, "#import-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


def country_names(codes: Iterable[str]) -> dict[str, str]:
    """Code -> name for the states in the tracker (loads pycountry: call it in a worker)."""
    return {code: coerce.country_name(code) for code in codes}
