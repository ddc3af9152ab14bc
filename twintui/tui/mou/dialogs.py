"""The MoU editor's two dialogs: render the saved version to a file, and change its status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from ...core.mou.render import FORMATS
from ...core.mou.versions import NEXT_STATUSES
from ..common.confirm import ConfirmScreen

# How each status change reads in the chooser.
STATUS_CHOICES: dict[str, str] = {
    "agreed": "Agreed: all partners agree this text (it can still be reopened)",
    "signed": "Signed: every partner has signed; the version is frozen",
    "draft": "Draft again: reopen for changes (the partners agree again)",
}
FORMAT_NAMES: dict[str, str] = {"docx": "Word (DOCX)", "html": "Printable HTML", "md": "Markdown"}


class RenderForm(ModalScreen[tuple[str, str] | None]):
    """Choose the format and the file; the result is (format, path) or None."""

    CSS_PATH = "mou.tcss"
    HELP: ClassVar[str] = ("Render the saved version as a document: Word (DOCX, opens in Word and LibreOffice), "
                           "printable HTML (print it from a browser) or Markdown. The file name follows the "
                           "format; type another path if you like (~ is your home folder).")
    AUTO_FOCUS = "#render-path"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Render", id="mou.render.done", tooltip="Write the document to the file"),
        Binding("escape", "cancel", "Cancel", id="mou.render.cancel", tooltip="Close without rendering"),
    ]

    def __init__(self, folder: Path, names: dict[str, str], fmt: str = "docx") -> None:
        super().__init__()
        self.folder = folder
        self.names = names  # format -> suggested file name
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(id="render-body"):
            yield Static("Render the saved version to a file", id="render-heading")
            yield Label("Format", classes="item-label")
            yield Select([(FORMAT_NAMES[f], f) for f in ("docx", "html", "md")], value=self.fmt, allow_blank=False,
                         id="render-format")
            yield Label("File", classes="item-label")
            yield Input(str(self.folder / self.names[self.fmt]), id="render-path")
            with Horizontal(id="render-buttons"):
                yield Button("Render", id="render-done", variant="primary")
                yield Button("Cancel", id="render-cancel")
        yield Footer()

    @on(Select.Changed, "#render-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value in FORMATS and event.value != self.fmt:
            path = self.query_one("#render-path", Input)
            current = Path(path.value.strip() or self.names[self.fmt])
            if current.name == self.names[self.fmt] or current.suffix.lstrip(".") == self.fmt:
                path.value = str(current.with_name(self.names[str(event.value)]))
            self.fmt = str(event.value)

    @on(Input.Submitted, "#render-path")
    def _submitted(self) -> None:
        self.action_done()

    def on_mount(self) -> None:
        # Always the file first (enter renders to the name shown; shift+tab reaches the format).
        self.query_one("#render-path", Input).focus()

    def action_done(self) -> None:
        path = self.query_one("#render-path", Input).value.strip()
        if not path:
            self.notify("Give the file to write.", severity="error", markup=False)
            return
        target = Path(path).expanduser()
        if target.is_file():
            def answered(yes: bool | None) -> None:
                if yes:
                    self.dismiss((self.fmt, path))

            written = dt.datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            self.app.push_screen(ConfirmScreen(f"{target} already exists (written {written}). Replace it with "
                                               "this version?", yes="Replace", no="Keep it"), answered)
            return
        self.dismiss((self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#render-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done()

    @on(Button.Pressed, "#render-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


class StatusForm(ModalScreen[str | None]):
    """The statuses this version may take next; enter chooses one (the screen asks to confirm)."""

    CSS_PATH = "mou.tcss"
    HELP: ClassVar[str] = ("A memorandum goes draft → agreed → signed. Agreed means every partner agrees the text; "
                           "an agreed version can be reopened as a draft. Signed means every partner has signed: "
                           "the version is frozen, and editing it starts the next version as a draft.")
    AUTO_FOCUS = "#status-options"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="mou.status.cancel", tooltip="Keep the status as it is"),
    ]

    def __init__(self, label: str, status: str) -> None:
        super().__init__()
        self.label = label
        self.status = status

    def compose(self) -> ComposeResult:
        with Vertical(id="status-body"):
            yield Static(f"{self.label}: change the status to", id="status-heading", markup=False)
            yield OptionList(*(Option(STATUS_CHOICES[s], id=s) for s in NEXT_STATUSES[self.status]),
                             id="status-options")
        yield Footer()

    @on(OptionList.OptionSelected, "#status-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
