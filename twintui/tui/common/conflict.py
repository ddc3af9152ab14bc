"""Resolve a save conflict: your version and theirs, field by field.

When another user saved a record after this user opened it, the store refuses
the save (``ConflictError``) and this modal shows only the fields where the two
versions differ, side by side, so the user chooses per field which value to
keep. The result is *their* record (with its ``rev``, so saving it again goes
through) carrying the fields the user chose to keep from their own version, or
``None`` when the user cancels. Nothing is overwritten without being shown.

Given the version both started from (``base``), the defaults are chosen per
field the way a three-way merge would: a field only they changed takes theirs,
a field you changed keeps yours, and one changed by both is marked ``!``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from ...core.model import Field, Record
from ...core.text import clip
from .footer import Footer

MINE = "mine"
THEIRS = "theirs"
ELLIPSIS = "…"  # what clip() ends a cut value with

# Widths of the fixed columns; the two value columns share what is left.
_LABEL_WIDTH = 20
_KEEP_WIDTH = 6
# Cell padding (1 each side) of four columns, the modal's border and padding, and a scrollbar.
_CHROME = 8 + 4 + 2
_MAX_WIDTH = 120  # as #conflict-body's max-width in edit.tcss


def when(stamp: str) -> str:
    """A store timestamp (ISO, UTC) as a reader wants it: '2026-05-01 10:20 UTC'."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.utcoffset() == dt.timedelta(0) else "")


def describe(record: Record) -> str:
    """How the intro names the record: 'arrangement TW-NOR-0001', 'partner P-2 (UDI)'."""
    kind = type(record).__name__.lower()
    name = getattr(record, "name", "") or getattr(record, "title", "")
    return f"{kind} {record.key}" + (f" ({clip(name, 40)})" if name else "")


class ChoiceTable(DataTable[Text]):
    """The differing fields, one row each; left/right (or m/t) choose the version to keep."""

    HELP: ClassVar[str] = ("One row per field that differs. up/down move between fields; m or left keeps "
                           "yours, t or right takes theirs, space switches. The full values are shown below.")

    # These replace DataTable's left/right cursor moves: rows are chosen, not cells.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m,left", "screen.choose('mine')", "Mine", id="conflict.field.mine",
                tooltip="Keep your value of this field"),
        Binding("t,right", "screen.choose('theirs')", "Theirs", id="conflict.field.theirs",
                tooltip="Take their value of this field"),
        Binding("space", "screen.switch", "Switch", show=False, id="conflict.field.switch",
                tooltip="Switch this field between yours and theirs"),
    ]


class ConflictScreen(ModalScreen[Record | None]):
    """Your version and theirs side by side; choose per field, then save the merge."""

    CSS_PATH = "edit.tcss"
    HELP: ClassVar[str] = ("Someone else saved this record after you opened it. Only the fields that differ are "
                           "listed. Choose per field which value to keep, then save the merged record; cancel "
                           "goes back to your form unchanged.")
    AUTO_FOCUS = "ChoiceTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep_all_mine", "Keep all mine", id="conflict.all_mine",
                tooltip="Choose your value for every field"),
        Binding("a", "take_all_theirs", "Take all theirs", id="conflict.all_theirs",
                tooltip="Choose their value for every field"),
        Binding("ctrl+s", "save_merged", "Save merged", id="conflict.save",
                tooltip="Use the chosen values (their revision, your chosen fields) and save"),
        Binding("escape", "cancel", "Cancel", id="conflict.cancel",
                tooltip="Back to your form; nothing is saved"),
    ]

    def __init__(self, mine: Record, theirs: Record, base: Record | None = None) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs
        self.base = base
        cls = type(mine)
        # Only the fields that differ, in the record's own order.
        differing = mine.differences(theirs)
        self.fields: list[Field] = [f for f in cls.FIELDS if f.name in differing]
        self.both: set[str] = set()
        self.choices: dict[str, str] = {}
        for f in self.fields:
            self.choices[f.name] = MINE
            if base is None:
                continue
            was = f.to_doc(getattr(base, f.name))
            mine_changed = f.to_doc(getattr(mine, f.name)) != was
            theirs_changed = f.to_doc(getattr(theirs, f.name)) != was
            if theirs_changed and not mine_changed:
                self.choices[f.name] = THEIRS
            elif theirs_changed and mine_changed:
                self.both.add(f.name)

    # -- building -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-body"):
            yield Static(self._intro(), id="conflict-intro", markup=False)
            yield ChoiceTable(id="conflict-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="conflict-detail-scroll"):
                yield Static(id="conflict-detail", markup=False)
            with Horizontal(id="conflict-buttons"):
                yield Button("Save merged", id="conflict-save", variant="primary")
                yield Button("Keep all mine", id="conflict-mine")
                yield Button("Take all theirs", id="conflict-theirs")
                yield Button("Cancel", id="conflict-cancel")
        yield Footer()

    def _intro(self) -> str:
        who = self.theirs.updated_by or "someone"
        at = when(self.theirs.updated_at) if self.theirs.updated_at else "an unknown time"
        head = (f"{who} saved {describe(self.theirs)} at {at} (revision {self.theirs.rev}) "
                "after you opened it. ")
        if not self.fields:
            return head + "Their values are the same as yours: saving keeps them."
        count = len(self.fields)
        text = head + f"{count} field{'s differ' if count != 1 else ' differs'}; choose which value to keep."
        if self.both:
            text += " ! = changed by both of you."
        return text

    def on_mount(self) -> None:
        self._fill_table()
        self._show_detail()

    def on_resize(self, event: Resize) -> None:
        # Column widths follow the terminal's width; a handful of rows is cheap to redo.
        self._fill_table()

    @property
    def table(self) -> ChoiceTable:
        return self.query_one(ChoiceTable)

    def _value_width(self) -> int:
        # From the terminal's width (the body is at most _MAX_WIDTH wide), not the body's
        # size, which is not known yet when the table is first filled.
        width = min(self.app.size.width, _MAX_WIDTH)
        return max((width - _CHROME - _LABEL_WIDTH - _KEEP_WIDTH) // 2, 8)

    def _fill_table(self) -> None:
        table = self.table
        row = table.cursor_row
        width = self._value_width()
        table.clear(columns=True)
        by = clip(self.theirs.updated_by or "", width - 9)
        table.add_column("Field", width=_LABEL_WIDTH, key="field")
        table.add_column("Yours", width=width, key=MINE)
        table.add_column(f"Theirs ({by})" if by else "Theirs", width=width, key=THEIRS)
        table.add_column("Keep", width=_KEEP_WIDTH, key="keep")
        for f in self.fields:
            table.add_row(*self._cells(f, width), key=f.name)
        if self.fields:
            table.move_cursor(row=min(row, len(self.fields) - 1))

    def _cells(self, f: Field, width: int) -> tuple[Text, Text, Text, Text]:
        chosen = self.choices[f.name]
        # Markers as well as styles, so the choice reads without colour (NO_COLOR).
        mine_mark, theirs_mark = ("● ", "○ ") if chosen == MINE else ("○ ", "● ")
        label = ("! " if f.name in self.both else "") + f.label
        mine = Text(clip(mine_mark + self._shown(self.mine, f), width),
                    style="bold" if chosen == MINE else "dim")
        theirs = Text(clip(theirs_mark + self._shown(self.theirs, f), width),
                      style="bold" if chosen == THEIRS else "dim")
        keep = Text("yours" if chosen == MINE else "theirs", style="bold")
        return Text(clip(label, _LABEL_WIDTH)), mine, theirs, keep

    @staticmethod
    def _shown(record: Record, f: Field) -> str:
        return f.display(getattr(record, f.name)) or "(blank)"

    def _current(self) -> Field | None:
        if not self.fields:
            return None
        return self.fields[min(self.table.cursor_row, len(self.fields) - 1)]

    def _show_detail(self) -> None:
        detail = self.query_one("#conflict-detail", Static)
        f = self._current()
        if f is None:
            detail.update("")
            return
        who = self.theirs.updated_by or "someone"
        at = when(self.theirs.updated_at) if self.theirs.updated_at else ""
        keep = "yours" if self.choices[f.name] == MINE else "theirs"
        lines = [
            f"{f.label}: keeping {keep}" + (" (changed by both of you)" if f.name in self.both else ""),
            f"Yours: {self._shown(self.mine, f)}",
            f"Theirs ({who}{', ' + at if at else ''}): {self._shown(self.theirs, f)}",
        ]
        detail.update("\n".join(lines))

    def _refresh_row(self, f: Field) -> None:
        table = self.table
        width = self._value_width()
        for key, cell in zip(("field", MINE, THEIRS, "keep"), self._cells(f, width), strict=True):
            table.update_cell(f.name, key, cell)
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    # -- choosing -----------------------------------------------------------
    def action_choose(self, which: str) -> None:
        f = self._current()
        if f is not None:
            self.choices[f.name] = which
            self._refresh_row(f)

    def action_switch(self) -> None:
        f = self._current()
        if f is not None:
            self.action_choose(THEIRS if self.choices[f.name] == MINE else MINE)

    def _choose_all(self, which: str) -> None:
        for f in self.fields:
            self.choices[f.name] = which
            self._refresh_row(f)

    def action_keep_all_mine(self) -> None:
        self._choose_all(MINE)

    def action_take_all_theirs(self) -> None:
        self._choose_all(THEIRS)

    def merged(self) -> Record:
        """Their record with the fields chosen from mine; their ``rev``, so the next save goes through."""
        kept: dict[str, Any] = {}
        for f in self.fields:
            if self.choices[f.name] == MINE:
                value = getattr(self.mine, f.name)
                kept[f.name] = list(value) if isinstance(value, list) else value  # no list shared with mine
        return self.theirs.replace(**kept, rev=self.theirs.rev)

    def action_save_merged(self) -> None:
        self.dismiss(self.merged())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "conflict-save": self.action_save_merged,
            "conflict-mine": self.action_keep_all_mine,
            "conflict-theirs": self.action_take_all_theirs,
            "conflict-cancel": self.action_cancel,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()
