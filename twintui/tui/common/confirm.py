"""A yes/no question in a small modal: "Discard your changes?", "Remove this partner?".

The answer is the screen's result (``True`` for yes). ``y`` or ``enter`` answer yes,
``n`` or ``escape`` answer no, so the question can be answered from the keyboard
without moving the focus; the buttons are there for the mouse and for ``tab``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .footer import Footer


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; the result is True for yes."""

    CSS_PATH = "edit.tcss"
    HELP: ClassVar[str] = "Answer the question: y or enter for yes, n or escape for no."
    # The focused "Yes" button answers enter itself; on "No" enter answers no, as a
    # user who tabbed to it expects.
    AUTO_FOCUS = "#confirm-yes"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Answer yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Answer no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body"):
            # markup=False: questions quote user text (titles, names) that may hold brackets.
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="primary")
                yield Button(f"{self.no} (n)", id="confirm-no")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _pressed_yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _pressed_no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)
