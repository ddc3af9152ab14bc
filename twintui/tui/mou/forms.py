"""The MoU editor's forms for one row of a section's table: a role or an activity, and what every row form does.

The item forms hold text as typed and turn it into an ``Objective``, ``Role``
or ``Activity`` when kept (ctrl+s); a field that cannot be read (a date, a
missing name) is marked under the field and nothing is kept. As in every form,
a message appears when its field is left (or on ctrl+s) and goes as soon as the
value is valid. The objective
form (``objective``) builds on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TextArea,
)

from ...core.model import coerce
from ...core.mou.dates import due_date, iso, parse_date
from ...core.mou.model import (
    Activity,
    Role,
    Sections,
)
from ...core.text import hidden_characters, plural
from ..common.record_form import KeepOrDiscard
from ..common.ticks import TickBox
from .fields import as_text, place_caret


@dataclass(frozen=True)
class ItemField:
    name: str
    label: str
    kind: str = "text"  # text, long, date, due, bool, number, choice
    help: str = ""
    suggest: bool = False  # offer the names of section 4 as you type
    required: bool = False
    row: str = ""  # fields of one row name sit side by side (short ones, so a form fits 80x24)
    options: tuple[tuple[str, str], ...] = ()  # a choice: (shown, value)


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return as_text("number", value)  # 5, not 5.0
    return "" if value is None else str(value)


class ItemForm(KeepOrDiscard, ModalScreen[Any]):
    """Add or edit one row of a section's table; the result is the item, or None when cancelled."""

    CSS_PATH = "mou.tcss"
    ITEM: ClassVar[type] = object
    NOUN: ClassVar[str] = "item"
    FIELDS: ClassVar[tuple[ItemField, ...]] = ()
    HELP: ClassVar[str] = "ctrl+s keeps the row in the MoU (saved with ctrl+s on the MoU screen); escape cancels."
    AUTO_FOCUS = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Keep", id="mou.item.done", tooltip="Check the row and keep it in the MoU"),
        Binding("escape", "cancel", "Cancel", id="mou.item.cancel",
                tooltip="Close without keeping these changes; asks first when something changed"),
    ]

    def __init__(self, item: Any | None, *, number: int, names: list[str], sections: Sections) -> None:
        super().__init__()
        self.item = item
        self.number = number
        self.names = list(dict.fromkeys(n for n in names if n.strip()))
        self.sections = sections
        base = item if item is not None else self.ITEM()
        self.controls: dict[str, Widget] = {}
        self.messages: dict[str, Static] = {}
        self._clean: dict[str, str] = {}
        self._base = base
        self.touched: set[str] = set()  # fields left (or all, after ctrl+s): their messages follow every key
        self.submitted = False

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = f"{'New' if self.item is None else 'Edit'} {self.NOUN} {self.number}"
        with Vertical(id="item-body", classes=f"item-{self.NOUN}"):
            yield Static(f"{title}: ctrl+s keeps it, escape cancels", id="item-heading", markup=False)
            with Horizontal(id="item-columns"):
                with VerticalScroll(id="item-fields"):
                    yield from self._fields()
                yield from self.side()
            with Horizontal(id="item-buttons"):
                yield Button("Keep", id="item-done", classes="form-done", variant="primary")
                yield Button("Cancel", id="item-cancel", classes="form-cancel")
        yield Footer()

    def side(self) -> ComposeResult:
        return iter(())

    def _fields(self) -> ComposeResult:
        """Each field under the one before, or beside it when they share a row."""
        n, fields_ = 0, self.FIELDS
        while n < len(fields_):
            row = fields_[n].row
            if not row:
                yield from self._field(fields_[n])
                n += 1
                continue
            with Horizontal(classes="item-row", id=f"item-row-{row}"):
                while n < len(fields_) and fields_[n].row == row:
                    yield from self._field(fields_[n])
                    n += 1

    def _field(self, f: ItemField) -> ComposeResult:
        value = getattr(self._base, f.name)
        control: Widget
        if f.kind == "choice":
            control = Select(list(f.options), value=value, allow_blank=False, id=f"item-{f.name}")
        elif f.kind == "long":
            control = TextArea(_shown(value), id=f"item-{f.name}", soft_wrap=True, tab_behavior="focus")
        elif f.kind == "bool":
            control = TickBox(f.label, bool(value), id=f"item-{f.name}")
        else:
            placeholder = {"date": "2026-07-31", "due": "2027-06-30 or 2027-Q2", "number": "e.g. 5"}.get(f.kind, "")
            suggester = SuggestFromList(self.names, case_sensitive=False) if f.suggest and self.names else None
            control = Input(_shown(value), placeholder=placeholder, id=f"item-{f.name}", suggester=suggester)
        control.tooltip = f.help or None
        control.HELP = f"{f.label}{' (required)' if f.required else ''}. {f.help}".strip()  # type: ignore[attr-defined]
        self.controls[f.name] = control
        self.messages[f.name] = Static("", classes="item-message", markup=False)
        with Vertical(classes="item-field", id=f"item-field-{f.name}"):
            if f.kind != "bool":
                yield Label(f.label + (" *" if f.required else ""), classes="item-label", markup=False)
            yield control
            yield self.messages[f.name]

    def on_mount(self) -> None:
        self._clean = self.raw()  # what the widgets hold before the user types: "unchanged"
        self.controls[self.FIELDS[0].name].focus(scroll_visible=False)
        self.call_after_refresh(self.changed)

    # -- values ---------------------------------------------------------------
    def raw(self) -> dict[str, str]:
        out = {}
        for name, control in self.controls.items():
            if isinstance(control, TextArea):
                out[name] = control.text
            elif isinstance(control, TickBox):
                out[name] = "yes" if control.value else ""
            elif isinstance(control, Select):
                out[name] = str(control.value)
            else:
                assert isinstance(control, Input)
                out[name] = control.value
        return out

    def build(self) -> tuple[Any, dict[str, str]]:
        """The item the fields say, and a message per field that cannot be read."""
        raw = self.raw()
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for f in self.FIELDS:
            if not self.applies(f.name, raw):  # a field the form does not show now is not kept
                values[f.name] = next(x.default for x in fields(self.ITEM) if x.name == f.name)
                continue
            text = raw[f.name].strip()
            if f.required and not text:
                problems[f.name] = f"{f.label} is required"
            hidden = hidden_characters(text, multiline=f.kind == "long")
            if hidden:
                problems[f.name] = f"holds control characters ({', '.join(hidden)}): remove them"
                values[f.name] = getattr(self._base, f.name)
                continue
            try:
                if f.kind == "date":
                    values[f.name] = parse_date(text)
                elif f.kind == "due":
                    due_date(text)  # checked here; kept as typed (a date or a quarter)
                    values[f.name] = text
                elif f.kind == "bool":
                    values[f.name] = bool(text)
                elif f.kind == "number":
                    values[f.name] = coerce.number(text)
                elif f.kind == "choice":
                    values[f.name] = text
                else:
                    values[f.name] = " ".join(text.split()) if f.kind != "long" else text.strip()
            except ValueError as error:
                problems[f.name] = str(error)
                values[f.name] = getattr(self._base, f.name)
        values = {k: v for k, v in values.items() if k in {x.name for x in fields(self.ITEM)}}
        item = self.ITEM(**{**{x.name: getattr(self._base, x.name) for x in fields(self.ITEM)}, **values})
        for name, problem in self.extra_problems(item, raw).items():
            problems.setdefault(name, problem)  # a value that cannot be read says so first
        return item, problems

    def extra_problems(self, item: Any, raw: dict[str, str]) -> dict[str, str]:
        return {}

    def applies(self, name: str, raw: dict[str, str]) -> bool:
        """Whether the field is part of the item as the fields now say (the objective's kind decides some)."""
        return True

    def show(self, problems: dict[str, str]) -> None:
        moved = False
        for name, message in self.messages.items():
            text = problems.get(name, "")
            message.update(f"error: {text}" if text else "")
            moved |= message.display != bool(text)
            message.display = bool(text)
            self.controls[name].set_class(bool(text), "-invalid")
        if moved:  # the fields below moved, the focused one perhaps: its caret goes with it
            self.call_after_refresh(place_caret, self)

    @property
    def has_unsaved_changes(self) -> bool:
        return self.is_mounted and {k: v.strip() for k, v in self.raw().items()} != \
            {k: v.strip() for k, v in self._clean.items()}

    def changed(self) -> None:
        """Called on every edit (the objective form re-reviews here)."""

    def revalidate(self) -> dict[str, str]:
        """Show the problems of the fields left so far (every field after ctrl+s); returns them all."""
        _, problems = self.build()
        shown = problems if self.submitted else {k: v for k, v in problems.items() if k in self.touched}
        self.show(shown)
        return problems

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(TickBox.Changed)
    @on(Select.Changed)
    def _edited(self, event: Any) -> None:
        self.changed()
        if self.touched or self.submitted:
            self.revalidate()

    def on_descendant_blur(self, event: Any) -> None:
        name = next((n for n, c in self.controls.items() if c is event.widget), None)
        if name is not None and self.is_active:
            self.touched.add(name)
            self.revalidate()

    # -- actions --------------------------------------------------------------
    def action_done(self) -> None:
        self.submitted = True
        item, problems = self.build()
        self.show(problems)
        if problems:
            first = next(name for name in self.controls if name in problems)
            self.controls[first].focus()
            self.notify(f"{plural(len(problems), 'problem')}: fix the marked fields", severity="error",
                        title=f"{self.NOUN.capitalize()} not kept", markup=False)
            return
        self.dismiss(item)


class RoleForm(ItemForm):
    """One role of section 4: a partner, a person, what they are responsible for."""

    ITEM = Role
    NOUN = "role"
    HELP = ("One role: the partner (or a partner drawn in later), the person, what they are responsible for, and "
            "whether this role has overall responsibility (space ticks it).")
    FIELDS = (
        ItemField("party", "Partner", help="A partner of the arrangement or one drawn in later", suggest=True),
        ItemField("person", "Person", help="Who, by name or post"),
        ItemField("responsibility", "Responsibility", "long", "What this partner or person does"),
        ItemField("overall", "Overall responsibility", "bool", "Tick for the role with overall responsibility"),
    )

    def extra_problems(self, item: Any, raw: dict[str, str]) -> dict[str, str]:
        if not raw["party"].strip() and not raw["person"].strip():
            return {"party": "give the partner or the person"}
        return {}


class ActivityForm(ItemForm):
    """One activity of section 5: what, who, start, end, the milestone it works towards."""

    ITEM = Activity
    NOUN = "activity"
    HELP = ("One activity of the implementation plan: what it is, who is assigned (names from section 4 are "
            "suggested), when it starts and ends (within the MoU period), and the milestone or outcome it works "
            "towards.")
    FIELDS = (
        ItemField("what", "Activity", help="What the activity is, e.g. 'Shadowed selection mission, Chile'",
                  required=True),
        ItemField("who", "Who", help="Who is assigned (a partner or person of section 4)", suggest=True),
        ItemField("start", "Start", "date", "e.g. 2026-03-02"),
        ItemField("end", "End", "date", "On or after the start"),
        ItemField("milestone", "Milestone / outcome", help="The outcome or milestone this activity works towards"),
    )

    def extra_problems(self, item: Any, raw: dict[str, str]) -> dict[str, str]:
        if item.start and item.end and item.end < item.start:
            return {"end": f"the end {iso(item.end)} is before the start {iso(item.start)}"}
        return {}
