"""Form fields generated from a record's ``FIELDS``: label, widget, validation message.

One ``Field`` description (shared with the workbook and the validation) gives
each field its widget: an input with the expected format as placeholder, a text
area for long prose, a drop-down for a choice, a tick list for a list. The
widgets hold text as typed; ``RecordFields.build()`` turns it into a typed
record with every problem, shown under its field ("error:" blocks saving,
"warning:" is saved; the prefixes read without colour).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from ...core.model import Field, Problem, Record, build
from .ticks import TickList

# Free text long enough to need several lines.
LONG_TEXT: frozenset[str] = frozenset({"learning_gap", "objectives", "outcomes", "best_practices", "lessons_learned",
                                       "mitigation"})

# What an empty input shows: the format the parser expects.
# Each reads as a hint ("YYYY-Qn, e.g. …"), never as a value someone has typed.
PLACEHOLDERS: dict[str, str] = {
    "date": "YYYY-MM-DD, e.g. 2026-07-31",
    "quarter": "YYYY-Qn, e.g. 2026-Q3",
    "email": "e.g. name@example.org",
    "country": "ISO 3166 code or name, e.g. NOR or Norway",
    "currency": "ISO 4217 code, e.g. EUR",
    "number": "a number, e.g. 45000",
    "whole": "a whole number",
}

BOOL_CHOICES: tuple[tuple[str, str], ...] = (("yes", "yes"), ("no", "no"))

RawValue = str | list[str]
Raw = dict[str, RawValue]


def form_text(field: Field, value: Any) -> RawValue:
    """A typed value as the form holds it: what the user would type to get it back."""
    if field.kind == "choices":
        return list(value or [])
    if value is None:
        return ""
    if field.kind == "number" and isinstance(value, (int, float)):
        # Not field.display(): no thousands separators in a field the user edits.
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return field.display(value)


def raw_of(fields: Iterable[Field], record: Record) -> Raw:
    return {f.name: form_text(f, getattr(record, f.name)) for f in fields}


def _normal(value: RawValue) -> RawValue:
    return sorted(value) if isinstance(value, list) else value.strip()


def same_raw(a: Raw, b: Raw) -> bool:
    """Whether two sets of form values say the same thing (surrounding blanks and list order aside)."""
    return a.keys() == b.keys() and all(_normal(a[k]) == _normal(b[k]) for k in a)


class FieldEditor(Vertical):
    """One field: its label, the widget its kind calls for, and its validation message."""

    # One line per single-line field, so a form shows several fields at 80x24. The inputs and
    # drop-downs are Textual's compact ones: no border in any state (focused, in error), since a
    # tall border on a one-line field hides its text. Focus shows on the label too (reversed with
    # NO_COLOR), errors by the "error:" line: both read in 16 colours and without colour.
    DEFAULT_CSS = """
    FieldEditor {
        height: auto;
        margin-bottom: 1;
    }
    FieldEditor Input, FieldEditor SelectCurrent {
        padding: 0 1;
        background: $boost;
    }
    FieldEditor Input:focus, FieldEditor Select:focus > SelectCurrent {
        background: $primary 30%;
    }
    FieldEditor.-invalid Input, FieldEditor.-invalid SelectCurrent {
        background: $error 30%;
    }
    FieldEditor .field-label {
        text-style: bold;
        color: $text;
    }
    /* The focused field's label: blue (cyan in 16 colours, never the red of errors), reversed without colour. */
    FieldEditor.-focused .field-label {
        background: $primary;
        color: $text;
    }
    FieldEditor.-focused .field-label:nocolor {
        text-style: bold reverse;
    }
    FieldEditor TextArea {
        height: 5;
    }
    FieldEditor SelectionList {
        height: auto;
        max-height: 9;
    }
    FieldEditor .field-message {
        display: none;
        height: auto;
        padding: 0 1;
    }
    FieldEditor .field-message.-error {
        display: block;
        color: $error;
        text-style: bold;
    }
    FieldEditor .field-message.-warning {
        display: block;
        color: $warning;
    }
    FieldEditor.-invalid TextArea, FieldEditor.-invalid SelectionList {
        border: tall $error;
    }
    """

    def __init__(self, field: Field, value: Any) -> None:
        super().__init__(id=f"fe-{field.name}", classes="field")
        self.field = field
        # A list keeps the order it was stored in (the first activity type is the main one,
        # and a reordering would be a change); entries ticked later follow in list order.
        self._order: list[str] = list(value or []) if field.kind == "choices" else []
        self.control = self._make_control(form_text(field, value))
        self.message = Static("", classes="field-message", markup=False)
        self._message_text = ""

    def compose(self) -> ComposeResult:
        f = self.field
        yield Label(f.label + (" *" if f.required else ""), classes="field-label", markup=False)
        yield self.control
        yield self.message

    def _make_control(self, value: RawValue) -> Widget:
        f = self.field
        control_id = f"field-{f.name}"
        control: Widget
        if f.kind == "choices":
            chosen = set(value)
            control = TickList(*(Selection(option, option, option in chosen) for option in f.vocabulary),
                                         id=control_id)
        elif f.kind in ("choice", "bool"):
            options = list(BOOL_CHOICES) if f.kind == "bool" else [(o, o) for o in f.vocabulary]
            if value and (value, value) not in options:
                options.append((str(value), str(value)))  # keep a stored value the list no longer has
            control = Select(options, value=value or Select.NULL, allow_blank=f.kind == "bool" or not f.required,
                             prompt="(not given)", id=control_id, compact=True)
        elif f.name in LONG_TEXT:
            control = TextArea(str(value), id=control_id, soft_wrap=True, tab_behavior="focus")
        else:
            control = Input(str(value), placeholder=PLACEHOLDERS.get(f.kind, ""), id=control_id, compact=True)
        hint = f.help or PLACEHOLDERS.get(f.kind, "")
        if f.kind == "choices":
            # The field's help speaks of the workbook ("separated by '; '"); here the entries are ticked.
            hint = (f"Tick every {f.label.lower()} entry that applies: up and down move, space ticks or unticks "
                    "the highlighted one, tab moves on.")
        elif f.kind in ("choice", "bool"):
            hint = (f"{hint} " if hint else "") + ("enter or space opens the list, up and down choose, enter "
                                                   "takes the choice.")
        if hint:
            control.tooltip = hint
        # F1 on a field shows this (the app's help reads HELP from the focused widget), titled by the label.
        control.HELP = f"{f.label}{' (required)' if f.required else ''}. {hint}".strip()  # type: ignore[attr-defined]
        control.FIELD_LABEL = f.label  # type: ignore[attr-defined]
        return control

    @property
    def raw(self) -> RawValue:
        control = self.control
        if isinstance(control, SelectionList):
            chosen = set(control.selected)
            kept = [option for option in self._order if option in chosen]
            return kept + [option for option in self.field.vocabulary if option in chosen and option not in kept]
        if isinstance(control, Select):
            return "" if control.is_blank() else str(control.value)
        if isinstance(control, TextArea):
            return control.text
        assert isinstance(control, Input)
        return control.value

    def load(self, value: Any) -> None:
        text = form_text(self.field, value)
        control = self.control
        if isinstance(control, SelectionList):
            self._order = list(text)
            control.deselect_all()
            for option in text:
                if option in self.field.vocabulary:
                    control.select(option)
        elif isinstance(control, Select):
            if text:
                control.value = text
            elif self.field.kind == "bool" or not self.field.required:
                control.clear()
        elif isinstance(control, TextArea):
            control.text = str(text)
        else:
            assert isinstance(control, Input)
            control.value = str(text)

    def show(self, problems: list[Problem]) -> None:
        """Errors first, then warnings; prefixed so they read without colour (NO_COLOR)."""
        ordered = sorted(problems, key=lambda p: not p.is_error)
        text = "\n".join(f"{p.severity}: {p.message}" for p in ordered)
        if text != self._message_text:  # every update lays the form out again: only when it changed
            self._message_text = text
            self.message.update(Text(text))
        has_error = any(p.is_error for p in problems)
        self.message.set_class(has_error, "-error")
        self.message.set_class(bool(problems) and not has_error, "-warning")
        self.set_class(has_error, "-invalid")
        self.control.set_class(has_error, "-invalid")

    # A class rather than :focus-within, which Textual does not re-check on the label when focus moves.
    def on_descendant_focus(self) -> None:
        self.add_class("-focused")
        # The whole field in view, label and message too, not only the widget that took the focus.
        self.call_after_refresh(self.scroll_visible, animate=False)

    def on_descendant_blur(self) -> None:
        self.remove_class("-focused")

    def focus_control(self) -> None:
        self.control.focus()
        self.control.scroll_visible()


class RecordFields(Vertical):
    """The generated fields of one record, checked by one rule in every form.

    A field's message appears when the user leaves the field (or picks a choice), and
    for every field when the user tries to save; it follows each keystroke from then
    on, so it disappears as soon as the value is valid, but a new message never
    appears while the user is still typing in a field they have not left.
    """

    DEFAULT_CSS = """
    RecordFields {
        height: auto;
    }
    """

    def __init__(self, cls: type[Record], record: Record, *, skip: Collection[str] = (),
                 id: str | None = None, extra_check: Callable[[Any], list[Problem]] | None = None) -> None:
        super().__init__(id=id, classes="record-fields")
        self.record_type = cls
        # Rules the record alone cannot tell (e.g. that its arrangement exists in the store).
        self.extra_check = extra_check
        self.base = record  # identity and revision the built record keeps
        self.skip = frozenset(skip)
        self.fields = tuple(f for f in cls.FIELDS if f.name not in self.skip)
        self.editors = {f.name: FieldEditor(f, getattr(record, f.name)) for f in self.fields}
        self._shown: set[str] = set()  # fields whose message is on the screen

    def compose(self) -> ComposeResult:
        yield from self.editors.values()

    def raw(self) -> Raw:
        return {name: editor.raw for name, editor in self.editors.items()}

    def load(self, record: Record) -> None:
        """Show ``record`` in the widgets (the user's explicit choice, e.g. a merge); it becomes the base."""
        self.base = record
        for name, editor in self.editors.items():
            editor.load(getattr(record, name))
        self._revalidate()

    def build(self) -> tuple[Record, list[Problem]]:
        record, problems = build(self.record_type, self.raw(), self.base)
        if self.extra_check is not None:
            problems += self.extra_check(record)
        # Problems of fields the form does not show (a new partner's arrangement id) are not the user's to fix.
        return record, [p for p in problems if p.field not in self.skip]

    def check(self) -> tuple[Record, list[Problem]]:
        """Build, and show every problem (the save attempt)."""
        record, problems = self.build()
        self.show(problems)
        return record, problems

    def show(self, problems: list[Problem], appear: Collection[str] | None = None) -> None:
        """Show ``problems`` under their fields: new messages only in ``appear`` (None: every field)."""
        by_field: dict[str, list[Problem]] = {name: [] for name in self.editors}
        for problem in problems:
            if problem.field in by_field:
                by_field[problem.field].append(problem)
        for name, editor in self.editors.items():
            allowed = appear is None or name in appear or name in self._shown
            shown = by_field[name] if allowed else []
            editor.show(shown)
            if shown:
                self._shown.add(name)
            else:
                self._shown.discard(name)

    def first_bad(self, problems: list[Problem]) -> FieldEditor | None:
        """The first field, in form order, with one of ``problems``."""
        bad = {p.field for p in problems}
        return next((editor for name, editor in self.editors.items() if name in bad), None)

    def unshown(self, problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if p.field not in self.editors and p.field not in self.skip]

    def _editor_of(self, widget: Widget) -> FieldEditor | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, FieldEditor):
                return node
            if node is self:
                break
        return None

    def _revalidate(self, appear: Collection[str] = ()) -> None:
        if not self.is_mounted:
            return
        _, problems = self.build()
        self.show(problems, appear)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        editor = self._editor_of(event.widget)
        if editor is not None:
            self._revalidate(appear={editor.field.name})  # left: its message may appear

    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _chosen(self, event: Select.Changed | SelectionList.SelectedChanged) -> None:
        editor = self._editor_of(event.control)
        if editor is None:
            return
        name = editor.field.name
        # A drop-down announces its first value when it mounts: that is not the user's doing.
        if name not in self._shown and _normal(editor.raw) == _normal(form_text(editor.field,
                                                                                 getattr(self.base, name))):
            return
        self._revalidate(appear={name})  # a choice is made at once, like leaving the field

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed) -> None:
        # Messages on the screen follow the keystroke (a fixed value clears at once); none appears.
        if self._shown:
            self._revalidate()
