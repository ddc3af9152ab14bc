"""A conflicting save of a comparison: your version and theirs, item by item.

When someone else saved the comparison after you opened it, the store refuses
the save; ``ComparisonConflictScreen`` lists only the items that differ (a score,
a note, a weight, a minimum, the factors, the candidates, the details) with both
values. The user chooses per item; the result is their revision with the items
kept from yours (``core.compare.merge``), or None when cancelled.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from ...core.compare import Comparison, merge
from ...core.compare.merge import ItemKey
from ...core.text import clip
from ..common.conflict import when
from ..common.footer import Footer


class ConflictItems(DataTable[Text]):
    """One row per item that differs; left/right (or m/t) choose which version to keep."""

    HELP: ClassVar[str] = ("One row per item that differs: a score, a note, a weight, a must-have minimum, the "
                           "list of factors or candidates, the details. m or left keeps yours, t or right takes "
                           "theirs, space switches. The full values of the row are shown below.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m,left", "screen.choose('mine')", "Mine", id="cmp-conflict.mine", tooltip="Keep your value"),
        Binding("t,right", "screen.choose('theirs')", "Theirs", id="cmp-conflict.theirs",
                tooltip="Take their value"),
        Binding("space", "screen.switch", "Switch", show=False, id="cmp-conflict.switch",
                tooltip="Switch this item between yours and theirs"),
    ]


class ComparisonConflictScreen(ModalScreen[Comparison | None]):
    """Your version and theirs side by side; choose per item, then save the merge (their revision)."""

    CSS_PATH = "compare.tcss"
    HELP: ClassVar[str] = ("Someone else saved this comparison after you opened it. Only the items that differ "
                           "are listed, with both values. Choose per item, then ctrl+s saves the merge; escape "
                           "goes back to your version, unsaved.")
    AUTO_FOCUS = "ConflictItems"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "all('mine')", "Keep all mine", id="cmp-conflict.all_mine", tooltip="Your value everywhere"),
        Binding("a", "all('theirs')", "Take all theirs", id="cmp-conflict.all_theirs",
                tooltip="Their value everywhere"),
        Binding("ctrl+s", "save_merged", "Save merged", id="cmp-conflict.save",
                tooltip="Save their revision with the items you chose from yours"),
        Binding("escape", "cancel", "Cancel", id="cmp-conflict.cancel", tooltip="Back to your version, unsaved"),
    ]

    def __init__(self, base: Comparison | None, mine: Comparison, theirs: Comparison) -> None:
        super().__init__()
        self.base, self.mine, self.theirs = base, mine, theirs
        self.keys: list[ItemKey] = merge.differences(mine, theirs)
        self.choices, self.both = merge.default_choices(base, mine, theirs, self.keys)
        self._mine_items = merge.items(mine)
        self._their_items = merge.items(theirs)

    def compose(self) -> ComposeResult:
        with Vertical(id="cmp-conflict-body"):
            yield Static(self.intro(), id="cmp-conflict-intro", markup=False)
            yield ConflictItems(id="cmp-conflict-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="cmp-conflict-detail", markup=False)
            with Horizontal(id="cmp-conflict-buttons"):
                yield Button("Save merged", id="cmp-conflict-save", variant="primary")
                yield Button("Cancel", id="cmp-conflict-cancel")
        yield Footer()

    def intro(self) -> str:
        who = self.theirs.updated_by or "someone"
        at = when(self.theirs.updated_at) if self.theirs.updated_at else "an unknown time"
        text = (f"{who} saved “{clip(self.theirs.name, 40)}” at {at} (revision {self.theirs.rev}) after you opened "
                "it. ")
        if not self.keys:
            return text + "Their version is the same as yours: saving keeps it."
        n = len(self.keys)
        text += f"{n} item{'s differ' if n != 1 else ' differs'}; choose which value to keep (● kept)."
        if self.both:
            text += " ! = changed by both of you."
        return text

    def on_mount(self) -> None:
        self.fill()

    def on_resize(self, event: events.Resize) -> None:
        self.fill()

    @property
    def table(self) -> ConflictItems:
        return self.query_one(ConflictItems)

    def _width(self) -> int:
        return max(8, (min(self.app.size.width, 120) - 8 - 4 - 2 - 24 - 7) // 2)

    def _value(self, items: dict[ItemKey, Any], key: ItemKey) -> str:
        return merge.item_text(key, items.get(key), key in items)

    def fill(self) -> None:
        table = self.table
        row = table.cursor_row
        width = self._width()
        table.clear(columns=True)
        table.add_column("Item", width=24, key="item")
        table.add_column("Yours", width=width, key="mine")
        table.add_column(f"Theirs ({clip(self.theirs.updated_by, width - 9)})", width=width, key="theirs")
        table.add_column("Keep", width=7, key="keep")
        for key in self.keys:
            table.add_row(*self.cells(key, width), key="|".join(key))
        if self.keys:
            table.move_cursor(row=min(row, len(self.keys) - 1))
        self.show_detail()

    def cells(self, key: ItemKey, width: int) -> tuple[Text, Text, Text, Text]:
        chosen = self.choices[key]
        mine_mark, their_mark = ("● ", "○ ") if chosen == "mine" else ("○ ", "● ")
        label = ("! " if key in self.both else "") + merge.item_label(key)
        return (Text(clip(label, 24)),
                Text(clip(mine_mark + self._value(self._mine_items, key), width),
                     style="bold" if chosen == "mine" else "dim"),
                Text(clip(their_mark + self._value(self._their_items, key), width),
                     style="bold" if chosen == "theirs" else "dim"),
                Text("yours" if chosen == "mine" else "theirs", style="bold"))

    def current(self) -> ItemKey | None:
        if not self.keys:
            return None
        return self.keys[min(self.table.cursor_row, len(self.keys) - 1)]

    def show_detail(self) -> None:
        key = self.current()
        detail = self.query_one("#cmp-conflict-detail", Static)
        if key is None:
            detail.update("")
            return
        keep = "yours" if self.choices[key] == "mine" else "theirs"
        detail.update("\n".join([
            f"{merge.item_label(key)}: keeping {keep}" + (" (changed by both)" if key in self.both else ""),
            f"Yours: {self._value(self._mine_items, key)}",
            f"Theirs: {self._value(self._their_items, key)}",
        ]))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def _refresh_row(self, key: ItemKey) -> None:
        width = self._width()
        for column, cell in zip(("item", "mine", "theirs", "keep"), self.cells(key, width), strict=True):
            self.table.update_cell("|".join(key), column, cell)
        self.show_detail()

    def action_choose(self, which: str) -> None:
        key = self.current()
        if key is not None:
            self.choices[key] = which
            self._refresh_row(key)

    def action_switch(self) -> None:
        key = self.current()
        if key is not None:
            self.action_choose("theirs" if self.choices[key] == "mine" else "mine")

    def action_all(self, which: str) -> None:
        for key in self.keys:
            self.choices[key] = which
            self._refresh_row(key)

    def merged(self) -> Comparison:
        return merge.merge(self.mine, self.theirs, [k for k, v in self.choices.items() if v == "mine"])

    def action_save_merged(self) -> None:
        self.dismiss(self.merged())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cmp-conflict-save":
            self.action_save_merged()
        else:
            self.action_cancel()
