"""F1 / ?: help for the focused widget and the keys that work where the user is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help")]

    def __init__(self, title: str, text: str, keys: list[tuple[str, str]]):
        super().__init__()
        self.title_text = title
        self.text = text
        self.keys = keys

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.keys), default=4)
        rows = "\n".join(f"  [b]{key:<{width}}[/b]  {what}" for key, what in self.keys)
        with VerticalScroll(id="help-body"):
            yield Static(f"[b]{self.title_text}[/b]\n\n{self.text}\n\n[b]Keys[/b]\n{rows}\n\n"
                         "[dim]ctrl+p opens the command palette. escape closes this help.[/dim]")
