"""The fields and tables of the MoU sections, generated from one description per field.

A ``Spec`` names a field of ``Sections`` by path ('context', 'funding.amount'),
its label, its kind and its help; ``SpecField`` is its label, widget and message.
The tables (objectives, roles, activities) are DataTables whose keys add, edit
and remove rows; the forms for one row are in ``mou_forms``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from ...core.model import coerce
from ...core.mou.model import Activity, Objective, Role, Sections, iso, parse_date
from ...core.mou.smart import ObjectiveReview
from ...core.text import clip


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


# -- tables -----------------------------------------------------------------------------------
class ItemTable(DataTable[Text]):
    """Rows of a section: a adds, e or enter edits, x or delete removes, shift+up/down move.

    Column widths follow the table's width (the flexible column takes what the
    fixed ones leave), so the rows fit a narrow pane without scrolling sideways.
    """

    KIND: ClassVar[str] = ""
    NOUN: ClassVar[str] = ""
    # (key, header, width, shown only when the table is at least this wide); width 0 is the flexible column.
    COLUMNS: ClassVar[tuple[tuple[str, str, int, int], ...]] = ()

    # The rows are cut to the width, so never a sideways scrollbar: one that appeared with the vertical
    # one (2 columns wide by default, where the widths leave 1) took the last row's line, and the
    # cursor's row could stay under it.
    DEFAULT_CSS = """
    ItemTable { scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_item", "Add", id="mou.table.add", tooltip="Add a row to this section"),
        Binding("e,enter", "screen.edit_item", "Edit row", id="mou.table.edit", tooltip="Edit the highlighted row"),
        Binding("x,delete", "screen.remove_item", "Remove", id="mou.table.remove",
                tooltip="Remove the highlighted row (asks first)"),
        Binding("shift+up", "screen.move_item(-1)", "Move up", show=False, id="mou.table.up",
                tooltip="Move the highlighted row up"),
        Binding("shift+down", "screen.move_item(1)", "Move down", show=False, id="mou.table.down",
                tooltip="Move the highlighted row down"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.items: list[Any] = []
        self.extras: list[Any] = []
        self._width = 0

    @property
    def shown_columns(self) -> list[tuple[str, str, int, int]]:
        return [c for c in self.COLUMNS if self._width >= c[3]]

    def _flexible_width(self) -> int:
        shown = self.shown_columns
        fixed = sum(c[2] for c in shown)
        # Each cell has one space of padding on both sides; one column for a scrollbar.
        return max(self._width - fixed - 2 * len(shown) - 1, 8)

    def _build(self, row: int | None = None) -> None:
        row = self.cursor_row if row is None else row
        self.clear(columns=True)
        flexible = self._flexible_width()
        shown = self.shown_columns
        for key, label, width, _ in shown:
            self.add_column(label, key=key, width=width or flexible)
        keys = [c[0] for c in self.COLUMNS]
        for number, item in enumerate(self.items, 1):
            extra = self.extras[number - 1] if number - 1 < len(self.extras) else None
            cells = dict(zip(keys, self.cells(number, item, extra), strict=True))
            self.add_row(*(cells[c[0]] for c in shown), key=str(number))
        if self.items:
            self.move_cursor(row=max(0, min(row, len(self.items) - 1)))
            # Once more when the new rows are laid out: a scrollbar that appears with them (a form just
            # closed) leaves the cursor's row one line out of view (Textual #4524).
            self.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.cursor_row)

    def on_mount(self) -> None:
        self._build()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._build()

    def cells(self, number: int, item: Any, extra: Any = None) -> list[Text]:
        return []

    @property
    def flexible(self) -> int:
        return self._flexible_width()

    def refresh_extras(self, extras: list[Any], key: str) -> None:
        """New review results for the same rows: only the cells of column ``key`` change."""
        self.extras = list(extras)
        if self.row_count != len(self.items) or key not in [c[0] for c in self.shown_columns]:
            return
        index = [c[0] for c in self.COLUMNS].index(key)
        for number, item in enumerate(self.items, 1):
            extra = extras[number - 1] if number - 1 < len(extras) else None
            self.update_cell(str(number), key, self.cells(number, item, extra)[index])

    def fill(self, items: list[Any], extras: list[Any] | None = None, cursor: int | None = None) -> None:
        self.items, self.extras = list(items), list(extras or [])
        self._build(cursor)


class ObjectiveTable(ItemTable):
    KIND = "objectives"
    NOUN = "objective"
    HELP = ("The objectives of section 3, with their SMART letters ('-' is a rule not met; the side panel and the "
            "objective form say why). a adds, e or enter edits, x removes, shift+up/down move a row.")
    COLUMNS = (("n", "#", 2, 0), ("smart", "SMART", 9, 0), ("text", "Objective", 0, 0), ("due", "Due", 10, 48))

    def cells(self, number: int, item: Objective, extra: ObjectiveReview | None = None) -> list[Text]:
        letters = extra.letters() if extra is not None else ""
        return [Text(str(number)), Text(letters, style="bold" if extra is not None and extra.ok else ""),
                Text(clip(item.text or "(no text)", self.flexible)), Text(clip(item.due, 10))]


class RoleTable(ItemTable):
    KIND = "roles"
    NOUN = "role"
    HELP = ("The roles of section 4: each partner and person with what they are responsible for; * marks overall "
            "responsibility. a adds, e or enter edits, x removes, shift+up/down move a row.")
    COLUMNS = (("overall", "*", 1, 0), ("party", "Partner", 0, 0), ("person", "Person", 14, 0))

    def cells(self, number: int, item: Role, extra: Any = None) -> list[Text]:
        return [Text("*" if item.overall else ""), Text(clip(item.party, self.flexible)),
                Text(clip(item.person, 14))]


class ActivityTable(ItemTable):
    KIND = "activities"
    NOUN = "activity"
    HELP = ("The implementation plan of section 5: what, start, end; ! marks an activity to check (outside the MoU "
            "period, no owner, no milestone, no dates). a adds, e or enter edits, x removes, shift+up/down move.")
    COLUMNS = (("flag", "!", 1, 0), ("n", "#", 2, 0), ("what", "Activity", 0, 0), ("start", "Start", 10, 0),
               ("end", "End", 10, 56))

    def cells(self, number: int, item: Activity, extra: bool | None = None) -> list[Text]:
        return [Text("!" if extra else ""), Text(str(number)), Text(clip(item.what or "(no name)", self.flexible)),
                Text(iso(item.start) or ""), Text(iso(item.end) or "")]


TABLES: dict[str, type[ItemTable]] = {"objectives": ObjectiveTable, "roles": RoleTable, "activities": ActivityTable}
