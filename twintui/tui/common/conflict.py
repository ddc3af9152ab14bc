"""Resolve a save conflict: your version and theirs, item by item, for a record or a comparison.

When another user saved a record (or a comparison) after this user opened it, the store refuses the save
(``ConflictError``) and this modal shows only what differs, side by side, so the user chooses per item which
value to keep. What differs, the three-way defaults (an item only they changed takes theirs; ``!`` marks one
changed by both) and the merge come from the core as one ``Differences`` (``core.model.merge.of_records``,
``core.compare.merge.conflict``); this screen only shows them and records the choices. The result is their
version (with its ``rev``, so saving it again goes through) carrying the items the user chose to keep from
their own, or ``None`` when the user cancels. Nothing is overwritten without being shown.

A kind of thing with its own help is a subclass that sets ``HELP`` and a ``TABLE`` with its own ``HELP``
(the comparison's, ``tui.compare.merge``); the layout, keys and binding ids are this screen's for all.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from ...core.model import Bookkeeping
from ...core.model.merge import MINE, THEIRS, Differences, Item
from ...core.text import clip, plural, when
from .footer import Footer

K = TypeVar("K", bound=Hashable)
T = TypeVar("T", bound=Bookkeeping)

# The label column fits the longest label between these widths; the two value columns share what is left.
_LABEL_WIDTH = (5, 24)
_KEEP_WIDTH = 6  # "theirs"
# Cell padding (1 each side) of four columns, the modal's border and padding, and a scrollbar.
_CHROME = 8 + 4 + 2
_MAX_WIDTH = 120  # as #conflict-body's max-width in conflict.tcss


class ChoiceTable(DataTable[Text]):
    """The differing items, one row each; left/right (or m/t) choose the version to keep."""

    HELP: ClassVar[str] = ("One row per field that differs. up/down move between fields; m or left keeps "
                           "yours, t or right takes theirs, space switches. The full values are shown below.")

    # These replace DataTable's left/right cursor moves: rows are chosen, not cells.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m,left", "screen.choose('mine')", "Mine", id="conflict.field.mine",
                tooltip="Keep your value on this row"),
        Binding("t,right", "screen.choose('theirs')", "Theirs", id="conflict.field.theirs",
                tooltip="Take their value on this row"),
        Binding("space", "screen.switch", "Switch", show=False, id="conflict.field.switch",
                tooltip="Switch this row between yours and theirs"),
    ]


class ConflictScreen(ModalScreen[T | None], Generic[K, T]):
    """Your version and theirs side by side; choose per item, then save the merge."""

    # A path, not a name: a subclass in another package finds the same file.
    CSS_PATH = str(Path(__file__).with_name("conflict.tcss"))
    HELP: ClassVar[str] = ("Someone else saved this record after you opened it. Only the fields that differ are "
                           "listed. Choose per field which value to keep, then save the merged record; cancel "
                           "goes back to your form unchanged.")
    TABLE: ClassVar[type[ChoiceTable]] = ChoiceTable  # a subclass whose rows want other help has its own
    AUTO_FOCUS = "ChoiceTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep_all_mine", "Keep all mine", id="conflict.all_mine",
                tooltip="Choose your value on every row"),
        Binding("a", "take_all_theirs", "Take all theirs", id="conflict.all_theirs",
                tooltip="Choose their value on every row"),
        Binding("ctrl+s", "save_merged", "Save merged", id="conflict.save",
                tooltip="Save their revision with the values you chose from yours"),
        Binding("escape", "cancel", "Cancel", id="conflict.cancel",
                tooltip="Back to your version; nothing is saved"),
    ]

    def __init__(self, differences: Differences[K, T]) -> None:
        super().__init__()
        self.differences = differences
        self.theirs = differences.theirs
        self.items = differences.items
        self.choices: dict[K, str] = dict(differences.choices)

    @property
    def keys(self) -> tuple[K, ...]:
        return self.differences.keys

    @property
    def both(self) -> frozenset[K]:
        return self.differences.both

    # -- building -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-body"):
            yield Static(self._intro(), id="conflict-intro", markup=False)
            yield self.TABLE(id="conflict-table", cursor_type="row", zebra_stripes=True)
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
        head = (f"{who} saved {self.differences.what} at {at} (revision {self.theirs.rev}) "
                "after you opened it. ")
        if not self.items:
            return head + "Their values are the same as yours: saving keeps them."
        count = len(self.items)
        text = (head + f"{plural(count, self.differences.noun)} {'differ' if count != 1 else 'differs'}; "
                "choose which value to keep.")
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

    def _label_width(self) -> int:
        low, high = _LABEL_WIDTH
        return min(max([low, *(len(self._label(item)) for item in self.items)]), high)

    def _value_width(self) -> int:
        # From the terminal's width (the body is at most _MAX_WIDTH wide), not the body's
        # size, which is not known yet when the table is first filled.
        width = min(self.app.size.width, _MAX_WIDTH)
        return max((width - _CHROME - self._label_width() - _KEEP_WIDTH) // 2, 8)

    def _fill_table(self) -> None:
        table = self.table
        row = table.cursor_row
        width = self._value_width()
        table.clear(columns=True)
        by = clip(self.theirs.updated_by or "", width - 9)
        table.add_column(self.differences.noun.capitalize(), width=self._label_width(), key="label")
        table.add_column("Yours", width=width, key=MINE)
        table.add_column(f"Theirs ({by})" if by else "Theirs", width=width, key=THEIRS)
        table.add_column("Keep", width=_KEEP_WIDTH, key="keep")
        for number, item in enumerate(self.items):
            table.add_row(*self._cells(item, width), key=str(number))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))

    def _label(self, item: Item[K]) -> str:
        return ("! " if item.key in self.both else "") + item.label

    def _cells(self, item: Item[K], width: int) -> tuple[Text, Text, Text, Text]:
        chosen = self.choices[item.key]
        # Markers as well as styles, so the choice reads without colour (NO_COLOR).
        mine_mark, theirs_mark = ("● ", "○ ") if chosen == MINE else ("○ ", "● ")
        mine = Text(clip(mine_mark + item.mine, width), style="bold" if chosen == MINE else "dim")
        theirs = Text(clip(theirs_mark + item.theirs, width), style="bold" if chosen == THEIRS else "dim")
        keep = Text("yours" if chosen == MINE else "theirs", style="bold")
        return Text(clip(self._label(item), self._label_width())), mine, theirs, keep

    def _current(self) -> int | None:
        if not self.items:
            return None
        return min(self.table.cursor_row, len(self.items) - 1)

    def _show_detail(self) -> None:
        detail = self.query_one("#conflict-detail", Static)
        number = self._current()
        if number is None:
            detail.update("")
            return
        item = self.items[number]
        who = self.theirs.updated_by or "someone"
        at = when(self.theirs.updated_at) if self.theirs.updated_at else ""
        keep = "yours" if self.choices[item.key] == MINE else "theirs"
        lines = [
            f"{item.label}: keeping {keep}" + (" (changed by both of you)" if item.key in self.both else ""),
            f"Yours: {item.mine}",
            f"Theirs ({who}{', ' + at if at else ''}): {item.theirs}",
        ]
        detail.update("\n".join(lines))

    def _refresh_row(self, number: int) -> None:
        table = self.table
        width = self._value_width()
        for key, cell in zip(("label", MINE, THEIRS, "keep"), self._cells(self.items[number], width), strict=True):
            table.update_cell(str(number), key, cell)
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    # -- choosing -----------------------------------------------------------
    def action_choose(self, which: str) -> None:
        number = self._current()
        if number is not None:
            self.choices[self.items[number].key] = which
            self._refresh_row(number)

    def action_switch(self) -> None:
        number = self._current()
        if number is not None:
            self.action_choose(THEIRS if self.choices[self.items[number].key] == MINE else MINE)

    def _choose_all(self, which: str) -> None:
        for number, item in enumerate(self.items):
            self.choices[item.key] = which
            self._refresh_row(number)

    def action_keep_all_mine(self) -> None:
        self._choose_all(MINE)

    def action_take_all_theirs(self) -> None:
        self._choose_all(THEIRS)

    def merged(self) -> T:
        """Their version with the items chosen from mine; their ``rev``, so the next save goes through."""
        return self.differences.merged(self.choices)

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
