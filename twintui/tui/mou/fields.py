"""The fields of the MoU sections, generated from one description per field.

A ``Spec`` names a field of ``Sections`` by path ('context', 'funding.amount'),
its label, its kind and its help; ``SpecField`` is its label, widget and message.
The tables of rows (objectives, roles, activities) are in ``items``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from ...core.model import coerce
from ...core.mou.dates import parse_date
from ...core.mou.model import Sections


@dataclass(frozen=True)
class Spec:
    path: str  # attribute path in Sections
    label: str
    kind: str = "text"  # text, wrap (one paragraph, wrapped), long, date, number, currency, bool
    help: str = ""


# The fields of each section, in the order shown (tables are placed by the screen).
SPECS: dict[str, tuple[Spec, ...]] = {
    "1": (Spec("title", "Title", "wrap", help="Describes the activity, e.g. 'General agreement for cooperation and "
                                       "exchange between ...'"),),
    "2": (Spec("start", "MoU starts", "date", "The start of the activity, e.g. 2025-01-01"),
          Spec("end", "MoU ends", "date", "The end of the activity, on or after the start"),
          Spec("context", "Context", "long", "A brief statement of the contextual background of the activity")),
    "3": (Spec("outcomes", "Expected outcomes", "long", "What the partners expect to deliver"),
          Spec("learning", "Reciprocal learning", "long", "What each side expects to gain or learn")),
    "4": (Spec("roles_note", "How roles are assigned", "long",
               "How roles are assigned, and partners drawn in as the activity evolves"),),
    "6": (Spec("monitoring", "Monitoring plan", "long",
               "How the activity and its outcomes will be monitored, by whom, how often"),),
    "7": (Spec("funding.source", "Source", help="e.g. national budget, ERF Community Action"),
          Spec("funding.amount", "Amount", "number", "The funds, e.g. 450000"),
          Spec("funding.currency", "Currency", "currency", "ISO 4217 code, e.g. EUR"),
          Spec("funding.total_cost", "Total cost", "number", "The whole cost, for a funding call's co-financing"),
          Spec("funding.available_from", "Available from", "date", "When the funds become available"),
          Spec("funding.available_until", "Available until", "date", "Until when the funds are available"),
          Spec("funding.committed", "Own resources committed", "bool",
               "Is your organisation committed to the use of resources for this activity?"),
          Spec("funding.note", "Note", "long", "What the funds cover, or why no funds are needed")),
    "8": (Spec("evaluation.milestones", "Milestone reviews", "long", "Reviews during the activity, at key "
                                                                    "milestones, with all partners' views"),
          Spec("evaluation.final", "Final evaluation and lessons learned", "long", "How the activity is evaluated at "
                                                                                  "its end; lessons learned"),
          Spec("evaluation.reporting", "Who reports and evaluates", "long", "The person(s) or team responsible"),
          Spec("evaluation.dissemination", "National dissemination", "long",
               "How the findings will be disseminated at a national level")),
}

PLACEHOLDERS = {"date": "2026-07-31", "number": "a number, e.g. 45000", "currency": "e.g. EUR"}


def get_path(sections: Sections, path: str) -> Any:
    value: Any = sections
    for part in path.split("."):
        value = getattr(value, part)
    return value


def set_path(sections: Sections, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target: Any = sections
    for part in parents:
        target = getattr(target, part)
    setattr(target, last, value)


def widget_id(path: str) -> str:
    return "mou-" + path.replace(".", "-").replace("_", "-")


def as_text(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "number" and isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if kind == "bool":
        return "yes" if value else "no"
    return str(value)


def parse(kind: str, text: str) -> Any:
    """The typed value of what the user typed (ValueError with a message the user can act on)."""
    if kind == "date":
        return parse_date(text)
    if kind == "number":
        number = coerce.number(text)
        if number is not None and number < 0:
            raise ValueError(f"{text.strip()} is below zero")
        return number
    if kind == "currency":
        return coerce.currency(text) or ""
    if kind == "bool":
        return {"yes": True, "no": False}.get(text)
    if kind == "long":
        return text.strip()
    return " ".join(text.split())


def place_caret(screen: Any) -> None:
    """Put the terminal's caret (where an input method writes) back at the focused field's, after the
    layout moved the field: Textual places it when the caret moves, not when its field does."""
    offset = getattr(screen.focused, "cursor_screen_offset", None)
    if offset is not None:
        screen.app.cursor_position = offset


class SpecField(Vertical):
    """One field of a section: label, widget, message.

    The value is checked on every key (``error``); the message shows once the field has been left
    (or a save tried), and from then on follows every key: it goes as soon as the value is valid.
    """

    def __init__(self, spec: Spec) -> None:
        super().__init__(classes="spec-field")
        self.spec = spec
        control: Widget
        if spec.kind in ("long", "wrap"):
            control = TextArea("", id=widget_id(spec.path), soft_wrap=True, tab_behavior="focus",
                               classes="-wrap" if spec.kind == "wrap" else "")
        elif spec.kind == "bool":
            control = Select([("yes", "yes"), ("no", "no")], allow_blank=True, prompt="(not said)",
                             id=widget_id(spec.path))
        else:
            control = Input("", placeholder=PLACEHOLDERS.get(spec.kind, ""), id=widget_id(spec.path))
        control.tooltip = spec.help or None
        control.HELP = f"{spec.label}. {spec.help}".strip()  # type: ignore[attr-defined]
        self.control = control
        self.message = Static("", classes="spec-message", markup=False)
        self.error = ""
        self.touched = False

    def compose(self) -> ComposeResult:
        yield Label(self.spec.label, classes="spec-label", markup=False)
        yield self.control
        yield self.message

    @property
    def text(self) -> str:
        control = self.control
        if isinstance(control, TextArea):
            return control.text
        if isinstance(control, Select):
            return "" if control.is_blank() else str(control.value)
        assert isinstance(control, Input)
        return control.value

    def load(self, sections: Sections) -> None:
        text = as_text(self.spec.kind, get_path(sections, self.spec.path))
        control = self.control
        if isinstance(control, TextArea):
            if control.text != text:
                control.load_text(text)
        elif isinstance(control, Select):
            if text:
                control.value = text
            else:
                control.clear()
        else:
            assert isinstance(control, Input)
            if control.value != text:
                control.value = text
        self.touched = False
        self.show("")

    def apply(self, sections: Sections) -> bool:
        """Write the widget's value into ``sections``; False (and a message) when it cannot be read."""
        try:
            value = parse(self.spec.kind, self.text)
        except ValueError as error:
            self.show(str(error))
            return False
        set_path(sections, self.spec.path, value)
        self.show("")
        return True

    def show(self, error: str) -> None:
        self.error = error
        shown = bool(error) and self.touched
        self.message.update(f"error: {error}" if shown else "")
        if self.message.display != shown and self.is_mounted:  # the fields below move, the focused one perhaps
            self.screen.call_after_refresh(place_caret, self.screen)
        self.message.display = shown
        self.set_class(shown, "-invalid")

    def touch(self) -> None:
        """The field was left (or a save tried): its message shows from now on."""
        self.touched = True
        self.show(self.error)

    def freeze(self, frozen: bool) -> None:
        control = self.control
        if isinstance(control, TextArea):
            control.read_only = frozen
        else:
            control.disabled = frozen
