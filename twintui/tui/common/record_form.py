"""A modal form for one record (a partner, a risk): generated fields, ctrl+s keeps, escape cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...core.model import Problem, Record, errors
from ...core.text import plural
from .fields import RecordFields, raw_of, same_raw
from .footer import Footer
from .confirm import ConfirmScreen

R = TypeVar("R", bound=Record)


class KeepOrDiscard:
    """A modal form's cancel and buttons: escape asks before dropping changes (RecordForm, the MoU's row forms).

    The form provides ``has_unsaved_changes``, ``action_done`` and ``NOUN``, and gives its buttons
    the classes ``form-done`` and ``form-cancel``.
    """

    NOUN: ClassVar[str] = "record"

    def action_cancel(self) -> None:
        form: Any = self
        if not form.has_unsaved_changes:
            form.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                form.dismiss(None)

        form.app.push_screen(ConfirmScreen(f"Discard the changes to this {self.NOUN}?", yes="Discard",
                                           no="Keep editing"), answered)

    @on(Button.Pressed, ".form-done")
    def _done_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done()  # type: ignore[attr-defined]

    @on(Button.Pressed, ".form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


class RecordForm(KeepOrDiscard, ModalScreen[R | None], Generic[R]):
    """Check a record typed by the user and hand it back; the caller decides where it is saved.

    The result is the record built from the fields (with the base's identity and
    revision), or None when the user cancels.
    """

    DEFAULT_CSS = """
    RecordForm { align: center middle; }
    RecordForm .form-body { width: 78; max-width: 100%; height: 100%; border: round $accent;
                            background: $surface; padding: 0 1; }
    RecordForm .form-heading { text-style: bold; }
    RecordForm .form-fields { height: 1fr; }
    RecordForm .form-buttons { height: auto; }
    RecordForm .form-buttons Button { margin-right: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Keep", id="form.done", tooltip="Check the fields and keep the record"),
        Binding("escape", "cancel", "Cancel", id="form.cancel",
                tooltip="Close without keeping these changes; asks first when something changed"),
    ]
    # Focused in on_mount: focusing before the first layout scrolls the heading away.
    AUTO_FOCUS = None
    # What the record is called in messages ("partner", "risk").
    NOUN: ClassVar[str] = "record"
    DONE_LABEL: ClassVar[str] = "Keep"

    def __init__(self, cls: type[R], base: R, *, heading: str, skip: tuple[str, ...] = (),
                 first_field: str | None = None, id_prefix: str = "record",
                 extra_check: Callable[[R], list[Problem]] | None = None) -> None:
        super().__init__()
        self.fields = RecordFields(cls, base, skip=skip, id=f"{id_prefix}-fields", extra_check=extra_check)
        self.heading = heading
        self.first_field = first_field or self.fields.fields[0].name
        self.id_prefix = id_prefix
        self._clean = raw_of(self.fields.fields, base)

    def compose(self) -> ComposeResult:
        prefix = self.id_prefix
        with Vertical(id=f"{prefix}-body", classes="form-body"):
            yield Static(self.heading, id=f"{prefix}-heading", classes="form-heading", markup=False)
            with VerticalScroll(id=f"{prefix}-form", classes="form-fields"):
                yield self.fields
            with Horizontal(id=f"{prefix}-buttons", classes="form-buttons"):
                yield Button(self.DONE_LABEL, id=f"{prefix}-done", classes="form-done", variant="primary")
                yield Button("Cancel", id=f"{prefix}-cancel", classes="form-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.fields.editors[self.first_field].control.focus(scroll_visible=False)

    @property
    def has_unsaved_changes(self) -> bool:
        return self.is_mounted and not same_raw(self.fields.raw(), self._clean)

    def action_done(self) -> None:
        record, problems = self.fields.check()
        bad = errors(problems)
        if bad:
            first = self.fields.first_bad(bad)
            if first is not None:
                first.focus_control()
            self.notify(f"{plural(len(bad), 'problem')}: fix the marked fields", severity="error",
                        title=f"{self.NOUN.capitalize()} not kept", markup=False)
            return
        self.dismiss(record)  # type: ignore[arg-type]
