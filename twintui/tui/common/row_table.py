"""A table that draws only the rows on screen, so 10,000 rows cost what 20 do.

Textual's DataTable measures every cell when rows are added (seconds for a
large register, on the UI thread). Here the rows are a plain list the core
already filtered and sorted; the widget renders visible lines on demand
(Textual's line API) with a fixed header, a cursor and column widths that
follow the widget's width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 0  # 0: shares the room left by the fixed columns
    share: int = 1  # weight among the flexible columns
    narrow: Callable[[str], str] | None = None  # shorter form when room is scarce
    narrow_width: int = 0
    hide_below: int = 0  # left out when the table is narrower than this (its room goes to the others)


class RowTable(ScrollView, can_focus=True):
    """Rows of any objects with a ``cell(key)`` method (or attributes named by the column keys)."""

    HELP_NAME = "the list"  # what the help title calls it
    HELP = ("The list. up/down move, pageup/pagedown jump a screen, home/end go to the first or last row, "
            "enter opens the row. Click a column header to sort by it.")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False, id="table.up", tooltip="Previous row"),
        Binding("down,j", "move(1)", "Down", show=False, id="table.down", tooltip="Next row"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.pageup", tooltip="One screen up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.pagedown", tooltip="One screen down"),
        Binding("home", "first", "First", show=False, id="table.first", tooltip="First row"),
        Binding("end", "last", "Last", show=False, id="table.last", tooltip="Last row"),
        Binding("enter", "select", "Open", id="table.open", tooltip="Open the row under the cursor"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header", "row-table--cursor", "row-table--marked", "row-table--sorted",
    }

    DEFAULT_CSS = """
    RowTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--sorted { text-style: bold underline; background: $panel; }
    RowTable > .row-table--cursor { background: $secondary 40%; }
    /* Blue, not the accent: in 16 colours the accent is the red of errors and critical risks. */
    RowTable:focus > .row-table--cursor { background: $primary; color: $text; text-style: bold; }
    RowTable:nocolor > .row-table--cursor { text-style: reverse; }
    RowTable:nocolor:focus > .row-table--cursor { text-style: bold reverse; }
    RowTable > .row-table--marked { color: $warning; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, table: RowTable, row: Any):
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RowTable:
            return self.table

    class Selected(Highlighted):
        """Enter (or a double click) on a row."""

    class HeaderClicked(Message):
        def __init__(self, table: RowTable, key: str):
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, columns: Sequence[Column], marker: Callable[[Any], str] | None = None,
                 *, marker_width: int = 1, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.rows: Sequence[Any] = []
        self.marker = marker  # a flag column (e.g. "!" for stale records), ``marker_width`` characters
        self.marker_width = marker_width
        self.sort_key: str | None = None
        self.sort_descending = False
        self._widths: list[int] = []
        self._shown: list[Column] = self.columns  # the columns that fit, laid out by _layout
        self._laid_out_for = -1  # the width _widths were computed for

    # -- data ---------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any], keep: Callable[[Any], bool] | None = None) -> None:
        """Show ``rows``; the cursor goes to the first row ``keep`` accepts, else stays in range."""
        self.rows = rows
        target = 0
        if keep is not None:
            target = next((i for i, row in enumerate(rows) if keep(row)), min(self.cursor, max(len(rows) - 1, 0)))
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.cursor = max(0, min(target, len(rows) - 1))
        self.refresh()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (a header that says what the column shows now)."""
        self.columns = list(columns)
        self._laid_out_for = -1
        self.refresh()

    def set_sort(self, key: str | None, descending: bool) -> None:
        self.sort_key, self.sort_descending = key, descending
        self.refresh()

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- cursor -------------------------------------------------------------
    def watch_cursor(self, cursor: int) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if cursor < top:
            self.scroll_to(y=cursor, animate=False)
        elif cursor >= top + visible:
            self.scroll_to(y=cursor - visible + 1, animate=False)
        self.refresh()
        if self.current is not None:
            self.post_message(self.Highlighted(self, self.current))

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.rows) - 1))

    def action_move(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.size.height - 2, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    async def _on_click(self, event: events.Click) -> None:
        if event.y == 0:
            key = self._column_at(event.x)
            if key:
                self.post_message(self.HeaderClicked(self, key))
            return
        row = int(self.scroll_y) + event.y - 1
        if 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain > 1:
                self.action_select()

    def _column_at(self, x: int) -> str | None:
        position = self._flag_cells
        for column, width in zip(self._shown, self._widths, strict=False):
            if position <= x < position + width + 1:
                return column.key
            position += width + 1
        return None

    # -- drawing ------------------------------------------------------------
    @property
    def _flag_cells(self) -> int:
        """The cells of the flag column and the space after it (none without flags)."""
        return self.marker_width + 1 if self.marker else 0

    def on_resize(self, event: events.Resize) -> None:
        self._widths = []
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    def _layout(self, width: int) -> list[int]:
        self._shown = [c for c in self.columns if width >= c.hide_below]
        columns = self._shown
        room = width - self._flag_cells - len(columns)
        fixed = sum(c.width for c in columns)
        narrow = fixed + 24 > room  # keep at least 24 cells for the flexible columns
        widths = [(c.narrow_width if narrow and c.narrow else c.width) for c in columns]
        flexible = [i for i, c in enumerate(columns) if not c.width]
        left = max(room - sum(widths), len(flexible) * 4)
        shares = sum(columns[i].share for i in flexible) or 1
        for i in flexible:
            widths[i] = max(4, left * columns[i].share // shares)
        if flexible:
            widths[flexible[0]] += max(0, left - sum(widths[i] for i in flexible))
        self._narrow = narrow
        return widths

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self._widths or self._laid_out_for != width:
            self._widths = self._layout(width)
            self._laid_out_for = width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("row-table--cursor")
        segments: list[Segment] = []
        if self.marker:
            flag = self.marker(row)
            flag_style = style + self.get_component_rich_style("row-table--marked") if flag else style
            segments.append(Segment(f"{flag or '':{self.marker_width}.{self.marker_width}} ", flag_style))
        for column, cell_width in zip(self._shown, self._widths, strict=False):
            value = row.cell(column.key) if hasattr(row, "cell") else str(getattr(row, column.key, ""))
            if self._narrow and column.narrow:
                value = column.narrow(value)
            segments.append(Segment(_fit(value, cell_width) + " ", style))
        return Strip(segments).crop_extend(0, width, style)

    def _header(self, width: int, base: Style) -> Strip:
        header = base + self.get_component_rich_style("row-table--header")
        sorted_style = base + self.get_component_rich_style("row-table--sorted")
        segments = [Segment(" " * self._flag_cells, header)] if self.marker else []
        for column, cell_width in zip(self._shown, self._widths, strict=False):
            label = column.header
            if column.key == self.sort_key:
                label += " ▼" if self.sort_descending else " ▲"
            segments.append(Segment(_fit(label, cell_width) + " ", sorted_style if column.key == self.sort_key
                                    else header))
        return Strip(segments).crop_extend(0, width, header)


def _fit(value: str, width: int) -> str:
    """``value`` on one line, cut with an ellipsis or padded to exactly ``width`` cells."""
    text = Text(value.replace("\n", " "), no_wrap=True, overflow="ellipsis")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text.plain
